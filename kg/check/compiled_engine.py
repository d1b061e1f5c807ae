"""The compiled checker behind kg.check.engine's Engine interface: `kg validate --engine compiled`
and the W3C suite hand it text or files, which pyoxigraph parses into the terms it checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.check import terms
from kg.check.compiled import RDF, Checker, sh
from kg.check.engine import (
    _OX_FORMATS,
    SH,
    ShaclResult,
    ValidationOutcome,
    _file_and_format,
    shapes_ntriples_from_files,
)


class CompiledEngine:
    """The checker behind the kg.check.engine.Engine interface (for `kg validate --engine compiled`
    and the W3C suite): text and files are parsed with pyoxigraph, then checked."""

    name = "compiled"

    def __init__(self, shapes_ntriples: str) -> None:
        self.checker = Checker(shapes_ntriples)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> CompiledEngine:
        return cls(shapes_ntriples_from_files(paths))

    def validate_triples(self, triples: Iterable[tuple[str, str, str]]) -> ValidationOutcome:
        results = self.checker.check(triples)
        conforms = not results
        return ValidationOutcome(self.name, conforms, results, lambda fmt: report_text(conforms, results, fmt))

    def validate_ntriples(self, text: str) -> ValidationOutcome:
        return self.validate_triples(_term_triples(ox.parse(text, ox.RdfFormat.N_TRIPLES)))

    def validate_graph_file(self, path: str | os.PathLike[str], format: str | None = None) -> ValidationOutcome:
        path, fmt = _file_and_format(path, format)
        return self.validate_triples(_term_triples(
            ox.parse(path=path, format=_OX_FORMATS[fmt], base_iri=Path(path).as_uri())))

    def __repr__(self) -> str:
        return "<CompiledEngine compiled>"


def _term_triples(quads: Iterable[Any]) -> list[tuple[str, str, str]]:
    return [(str(q.subject), str(q.predicate), str(q.object)) for q in quads]


def report_text(conforms: bool, results: Sequence[ShaclResult], fmt: str) -> str:
    """The W3C sh:ValidationReport graph of these results, "turtle" or "ntriples"."""
    lines = [f"_:report <{RDF}type> {sh('ValidationReport')} .",
             f"_:report {sh('conforms')} \"{'true' if conforms else 'false'}\"^^<{terms.XSD}boolean> ."]
    for n, r in enumerate(results):
        node = f"_:r{n}"
        lines.append(f"_:report {sh('result')} {node} .")
        lines.append(f"{node} <{RDF}type> {sh('ValidationResult')} .")
        pairs = [("focusNode", r.focus_node), ("sourceConstraintComponent", r.component),
                 ("resultSeverity", r.severity), ("sourceShape", r.source_shape), ("value", r.value)]
        if r.path is not None and r.path.startswith("<"):
            pairs.append(("resultPath", r.path))
        if r.message is not None:
            pairs.append(("resultMessage", str(ox.Literal(r.message))))
        lines += [f"{node} {sh(p)} {o} ." for p, o in pairs if o is not None]
    nt = "\n".join(lines) + "\n"
    if fmt == "ntriples":
        return nt
    data = ox.serialize(ox.parse(nt, ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes={"sh": SH, "rdf": RDF, "xsd": terms.XSD})
    assert data is not None
    return data.decode("utf-8")
