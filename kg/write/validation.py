"""validation.ttl: one standard sh:ValidationReport for a whole build, written as results arrive.

Never holds the results in memory: each is written when found; the report node and its
sh:conforms flag come last (Turtle allows statements in any order).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from kg.check.engine import SH, ShaclResult
from kg.rdf import text
from kg.write.atomic import BufferedFile

_HEADER = f"@prefix sh: <{SH}> .\n\n"


class ValidationReportWriter:
    """Counts results per severity and message; writes validation.ttl unless `path` is None."""

    def __init__(self, path: Path | None) -> None:
        self._out = BufferedFile(path) if path is not None else None
        self._write(_HEADER)
        self._n = 0
        self.by_severity: Counter[str] = Counter()
        self.by_message: dict[str, Counter[str]] = {}
        self._seen_entity_results: set[tuple[str, ...]] = set()

    def add_rendered(self, rendered: RenderedResults | None) -> None:
        """Record the results about a figure's own nodes, rendered by `render` in its worker."""
        if rendered is None:
            return
        first = self._n + 1
        self._n += rendered.size
        for severity, message, n in rendered.tally:
            self.by_severity[severity] += n
            self.by_message.setdefault(severity, Counter())[message] += n
        numbers = [first + i for i in range(rendered.size) for _twice in (0, 1)]
        if self._out is not None:
            self._out.write(rendered.template % tuple(numbers))

    def add(self, results: tuple[ShaclResult, ...]) -> None:
        """Record results about shared entity nodes: each is recorded once per build."""
        lines = []
        for result in results:
            key = result.sort_key()
            if key in self._seen_entity_results:
                continue
            self._seen_entity_results.add(key)
            self._n += 1
            severity = result.severity_name
            self.by_severity[severity] += 1
            message = result.message or result.component_name
            self.by_message.setdefault(severity, Counter())[message] += 1
            if self._out is not None:  # None: only counted
                lines.append(_result_turtle(self._n, result))
        if lines:
            self._write("".join(lines))

    def _write(self, text: str) -> None:
        if self._out is not None:
            self._out.write(text.encode("utf-8"))

    def finish(self) -> None:
        # SHACL 1.0 §3.6.1: a graph conforms only when there is no result at all, warnings included.
        conforms = "false" if self._n else "true"
        self._write(f"_:report a sh:ValidationReport ;\n    sh:conforms {conforms} .\n")
        if self._out is not None:
            self._out.finish()

    def publish(self) -> None:
        if self._out is not None:
            self._out.publish()

    def pending(self) -> list[tuple[Path, Path]]:
        return [] if self._out is None else self._out.pending()

    def abort(self) -> None:
        if self._out is not None:
            self._out.abort()


class RenderedResults(NamedTuple):
    """A figure's results as validation.ttl text with `%d` where each result's number goes (the
    build numbers them in order), and their count per (severity, message)."""

    template: bytes
    size: int  # how many results (not `count`: that is tuple's method)
    tally: tuple[tuple[str, str, int], ...]


def render(results: Iterable[ShaclResult]) -> RenderedResults | None:
    """Results as `ValidationReportWriter.add_rendered` takes them; None when there are none."""
    pieces = []
    tally: Counter[tuple[str, str]] = Counter()
    for result in results:
        pieces.append(_result_turtle("%d", result, escape=True))
        tally[result.severity_name, result.message or result.component_name] += 1
    if not pieces:
        return None
    counts = tuple((severity, message, n) for (severity, message), n in tally.items())
    return RenderedResults("".join(pieces).encode("utf-8"), len(pieces), counts)


def _result_turtle(n: int | str, result: ShaclResult, escape: bool = False) -> str:
    """One result as Turtle; with `escape`, `%` doubled so the text is a %-format template."""
    parts = [
        "a sh:ValidationResult",
        f"sh:focusNode {result.focus_node}",
        f"sh:resultSeverity {result.severity}",
        f"sh:sourceConstraintComponent {result.component}",
    ]
    if result.path and result.path.startswith("<"):
        parts.append(f"sh:resultPath {result.path}")
    if result.source_shape and result.source_shape.startswith("<"):
        parts.append(f"sh:sourceShape {result.source_shape}")
    if result.value is not None and not result.value.startswith("_:"):
        parts.append(f"sh:value {result.value}")
    if result.message:
        parts.append(f"sh:resultMessage {text(result.message)}")
    body = " ;\n    ".join(parts)
    if escape:
        body = body.replace("%", "%%")
    return f"_:report sh:result _:r{n} .\n_:r{n} {body} .\n"
