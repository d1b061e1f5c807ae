"""The SHACL gate: each figure's triples, with the entity nodes it links to, against the shapes.

Never writes anything: it returns the results, and the pipeline decides what is exported.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.check.engine import (
    ENGINES,
    SH,
    SH_VIOLATION,
    Engine,
    ShaclResult,
    get_engine,
    shapes_ntriples_from_files,
)
from kg.check.shapes import ShapesError

DEFAULT_ENGINE = "shacl"  # the Rust engine: 98/98 W3C Core, ~0.4 ms a figure (docs/decisions/0007)


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


def _engine(name: str) -> Callable[[str], Engine]:
    try:
        return ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown SHACL engine {name!r}") from None


class Gate:
    """The shapes' SHACL Core part, run on each figure (see `core_shapes` on the SPARQL rules)."""

    def __init__(self, shapes: Sequence[Path], engine: str = DEFAULT_ENGINE) -> None:
        self.shapes = list(shapes)
        self.engine_name = engine
        self._engine: Engine = compile_shapes(engine, self.shapes, sparql=False)

    def check(self, ntriples: str) -> tuple[ShaclResult, ...]:
        """All results (violations, warnings, infos) for one figure's N-Triples."""
        return self._engine.validate_ntriples(ntriples).results


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
