"""The SHACL gate: each figure's triples, with the entity nodes it links to, against the shapes.

Never writes anything: it returns the results, and the pipeline decides what is exported.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kg.check.compiled import Checker, Unsupported
from kg.check.compiled_engine import CompiledEngine, report_text
from kg.check.engine import (
    ENGINE_NAMES,
    ENGINES,
    SH,
    SH_VIOLATION,
    Engine,
    ShaclResult,
    get_engine,
    shapes_ntriples_from_files,
)
from kg.check.shapes import ShapesError

# The checker generated from the shapes, with `shacl` shadowing a sample (docs/decisions/0021);
# "shacl" is the Rust engine: 98/98 W3C Core, ~0.7 ms a figure (docs/decisions/0007).
DEFAULT_ENGINE = "compiled"
SHADOW_ENGINE = "shacl"
ENGINE_CHOICES = ("compiled", *ENGINE_NAMES)
VALIDATE_ENGINE = "shacl"  # `kg validate`: any RDF, any shapes, full SHACL (Core and SPARQL)
SHADOW_ONE_IN = 200  # figures (by figid hash) that `shacl` checks again, besides every one with a violation


_SPARQL = f"<{SH}sparql>"


def core_shapes(shapes: Sequence[Path]) -> str:
    """The shapes as N-Triples without their SHACL-SPARQL constraints (`sh:sparql`).

    Why: the gate checks each figure with SHACL Core only. The SPARQL rules (an identifier equal to
    its IRI's local part, the self link, mentions equal to the annotations' bodies, a record's
    organisms covering its genes' taxa, ChEBI's two forms agreeing, no unknown pfocr: term) hold by
    construction of the mapper, which tests check on every real and generated record with the
    full shapes; `kg validate` runs them on any graph. In the gate they cost ≈ 3 ms a figure,
    three times the rest of it (docs/performance.md)."""
    lines = shapes_ntriples_from_files(shapes).splitlines(keepends=True)
    return "".join(line for line in lines if line.split(" ", 2)[1] != _SPARQL)


def compile_shapes(engine: str, shapes: Sequence[Path], sparql: bool = True) -> Engine:
    """An engine with the shapes loaded and checked, or ShapesError saying why they are unusable.

    The shapes are also compiled by the `shacl` engine, which checks every constraint's
    parameters up front: pySHACL loads constraints lazily and would otherwise fail only at the
    first focus node, after output was started."""
    if engine == "compiled":
        try:
            return _compiled(shapes, sparql)
        except Unsupported:  # what the checker cannot check, `shacl` does (the engine's name says which)
            return compile_shapes("shacl", shapes, sparql)
    try:
        compiled = get_engine(engine, shapes) if sparql else _engine(engine)(core_shapes(shapes))
        if engine != "shacl":
            get_engine("shacl", shapes)
        compiled.validate_ntriples("")
    except SyntaxError as exc:
        raise ShapesError(f"shapes are not valid RDF: {exc}") from exc
    except (ValueError, RuntimeError) as exc:  # pySHACL's ConstraintLoadError is a RuntimeError
        raise ShapesError(f"unusable shapes: {exc}") from exc
    return compiled


def _compiled(shapes: Sequence[Path], sparql: bool) -> Engine:
    compile_shapes("shacl", shapes, sparql)  # the shapes' parameters checked, as for any engine
    return CompiledEngine(shapes_ntriples_from_files(shapes) if sparql else core_shapes(shapes))


def _engine(name: str) -> Callable[[str], Engine]:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown SHACL engine {name!r}") from None


class ShadowDisagreement(Exception):
    """The compiled checker and `shacl` found different results for one figure: the build fails.
    Plain arguments (it crosses the worker pipe): figid, both reports as Turtle, and a summary."""

    def __init__(self, figid: str, compiled_report: str, shacl_report: str, difference: str) -> None:
        super().__init__(figid, compiled_report, shacl_report, difference)
        self.figid, self.compiled_report, self.shacl_report, self.difference = (
            figid, compiled_report, shacl_report, difference)

        self.kept: Path | None = None

    def keep(self, folder: Path) -> None:
        """Write both reports into `folder` (<figid>.compiled.ttl, <figid>.shacl.ttl), if it can."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{self.figid}.compiled.ttl").write_text(self.compiled_report, encoding="utf-8")
            (folder / f"{self.figid}.shacl.ttl").write_text(self.shacl_report, encoding="utf-8")
            self.kept = folder
        except OSError:
            self.kept = None

    def __str__(self) -> str:
        kept = f"; both reports are in {self.kept}/" if self.kept is not None else ""
        return (f"figure {self.figid}: the compiled checker and the shacl engine disagree ({self.difference}){kept}; "
                f"please report it")


@functools.cache
def _note(shapes: tuple[Path, ...]) -> str | None:
    try:
        Checker(core_shapes(shapes))
    except Unsupported as exc:
        return _unsupported(exc)
    return None


def _unsupported(exc: Unsupported) -> str:
    return f"the compiled checker does not support these shapes ({exc}): the shacl engine checked them"


def engine_note(shapes: Sequence[Path], engine: str) -> str | None:
    """For report.json: why the gate did not use the engine asked for, or None."""
    return _note(tuple(shapes)) if engine == "compiled" else None


def shadowed(figid: str) -> bool:
    """Is this figure in the build's deterministic shadow sample (≈ 1 in SHADOW_ONE_IN)?"""
    return int.from_bytes(hashlib.blake2b(figid.encode("utf-8"), digest_size=8).digest(), "big") % SHADOW_ONE_IN == 0


def comparable(results: Iterable[ShaclResult]) -> Counter[tuple[str | None, ...]]:
    """Results as the engines' 7-tuples, counted, every blank node as `_:` (blank labels are each
    engine's own: kg.check.engine.ShaclResult)."""
    return Counter(
        (_unlabelled(r.focus_node), r.path, r.component, r.severity, _unlabelled(r.source_shape),
         _unlabelled(r.value), r.message)
        for r in results)


def _unlabelled(term: str | None) -> str | None:
    return "_:" if term is not None and term.startswith("_:") else term


class Gate:
    """The shapes' SHACL Core part, run on each figure (see `core_shapes` on the SPARQL rules).

    With the "compiled" engine the checker generated from the shapes runs on the mapped triples,
    and `shacl` checks again the shadow sample and every figure with a violation; shapes the
    checker does not support go to `shacl` instead, and `note` says so (for report.json)."""

    def __init__(self, shapes: Sequence[Path], engine: str = DEFAULT_ENGINE) -> None:
        self.shapes = list(shapes)
        self.engine_name = engine
        self.note: str | None = None
        self._checker: Checker | None = None
        self._engine: Engine = compile_shapes(SHADOW_ENGINE if engine == "compiled" else engine, self.shapes,
                                              sparql=False)
        if engine == "compiled":  # the checker generated once (engine_note would generate it again)
            try:
                self._checker = Checker(core_shapes(self.shapes))
            except Unsupported as exc:
                self.note = _unsupported(exc)

    def check(self, ntriples: str) -> tuple[ShaclResult, ...]:
        """All results (violations, warnings, infos) for one figure's N-Triples."""
        return self._engine.validate_ntriples(ntriples).results

    def check_figure(
        self, figid: str, triples: Iterable[tuple[str, str, str]], ntriples: Callable[[], str],
    ) -> tuple[ShaclResult, ...]:
        """All results for one figure's triples (`ntriples()`: the same as text, for an engine).
        Raises ShadowDisagreement when a shadow run finds other results."""
        if self._checker is None:
            return self.check(ntriples())
        results = self._checker.check(triples)
        if shadowed(figid) or any(r.severity == SH_VIOLATION for r in results):
            outcome = self._engine.validate_ntriples(ntriples())
            ours, theirs = comparable(results), comparable(outcome.results)
            if ours != theirs:
                only_ours, only_theirs = ours - theirs, theirs - ours
                difference = (f"{sum(only_ours.values())} results only the checker found, "
                              f"{sum(only_theirs.values())} only shacl, e.g. {next(iter(only_ours or only_theirs))}")
                raise ShadowDisagreement(figid, report_text(not results, results, "turtle"),
                                         outcome.report("turtle"), difference)
        return results


def violations(results: Sequence[ShaclResult]) -> list[ShaclResult]:
    return [r for r in results if r.severity == SH_VIOLATION]


def describe(result: ShaclResult) -> str:
    """One line a person can act on: the message, the node and the property it is about."""
    message = result.message or result.component_name
    where = result.focus_node
    if result.path:
        where += f" {result.path}"
    if result.value is not None:
        where += f" = {result.value}"
    return f"{message} ({where})"
