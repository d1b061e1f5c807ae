"""validation.ttl: one standard sh:ValidationReport for a whole build, written as results arrive.

Never holds the results in memory: each is written when found; the report node and its
sh:conforms flag come last (Turtle allows statements in any order).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kg.check.engine import SH, ShaclResult
from kg.rdf import text
from kg.write.atomic import AtomicFile

_HEADER = f"@prefix sh: <{SH}> .\n\n"


class ValidationReportWriter:
    """Counts results per severity and message; writes validation.ttl unless `path` is None."""

    def __init__(self, path: Path | None) -> None:
        self._out = AtomicFile(path) if path is not None else None
        self._write(_HEADER)
        self._n = 0
        self.by_severity: Counter[str] = Counter()
        self.by_message: dict[str, Counter[str]] = {}
        self._seen_entity_results: set[tuple[str, ...]] = set()

    def add(self, results: tuple[ShaclResult, ...], own_nodes: frozenset[str]) -> None:
        """Record a figure's results; a shared entity's result is recorded once per build."""
        lines = []
        for result in results:
            if result.focus_node not in own_nodes:
                key = result.sort_key()
                if key in self._seen_entity_results:
                    continue
                self._seen_entity_results.add(key)
            self._n += 1
            severity = result.severity_name
            self.by_severity[severity] += 1
            message = result.message or result.component_name
            self.by_message.setdefault(severity, Counter())[message] += 1
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

    def abort(self) -> None:
        if self._out is not None:
            self._out.abort()


def _result_turtle(n: int, result: ShaclResult) -> str:
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
    return f"_:report sh:result _:r{n} .\n_:r{n} {body} .\n"
