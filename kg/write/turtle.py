"""Turtle written directly, figure by figure: each figure's block is made once (in the worker that
mapped it, and kept in the build cache) from its N-Triples lines, and the build concatenates them.

Why not a serializer over the finished dump: pyoxigraph's took ~0.7 ms a figure in the build
process, the one part of a build no worker can share, and a rebuild would redo it for every
figure. The blocks are plain Turtle: prefixes declared once, consecutive triples of a subject
grouped with `;` and `,`, `a` for rdf:type, prefixed names only where the local part is plainly
safe (ASCII letters, digits, `_`, `-`, inner `.`), N-Triples terms (valid Turtle) everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from kg.vocab import PREFIXES
from kg.write.atomic import BufferedFile
from kg.write.output import ExportedFigure

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
# Longest namespace first: a prefix never hides a longer one that also matches.
_NAMESPACES = sorted(((ns, name) for name, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
_DATATYPE_MARK = '"^^<'

HEADER = "".join(f"@prefix {name}: <{ns}> .\n" for name, ns in sorted(PREFIXES.items())) + "\n"


@lru_cache(maxsize=1 << 16)
def _iri(term: str) -> str:
    """An N-Triples IRI term (`<…>`) as a prefixed name when that is plainly safe."""
    iri = term[1:-1]
    for ns, name in _NAMESPACES:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if _SAFE_LOCAL.fullmatch(local):
                return f"{name}:{local}"
            break
    return term


def _term(term: str) -> str:
    if term[0] == "<":
        return _iri(term)
    if term[-1] == ">":  # a typed literal: "…"^^<datatype>
        cut = term.rfind(_DATATYPE_MARK)
        if cut > 0:
            return term[: cut + 3] + _iri(term[cut + 3 :])
    return term


def turtle_block(lines: Iterable[str]) -> str:
    """Turtle of N-Triples lines as kg writes them (`S P O .\\n`, no blank nodes), in their order."""
    return turtle_of(tuple(line[:-3].split(" ", 2)) for line in lines)  # type: ignore[misc]


def turtle_of(triples: Iterable[tuple[str, str, str]]) -> str:
    """Turtle of triples of N-Triples terms (no blank nodes), in their order."""
    out: list[str] = []
    subject = predicate = None
    for s, p, o in triples:
        o = _term(o)
        if s != subject:
            if subject is not None:
                out.append(" .\n")
            subject, predicate = s, p
            out.append(f"{_iri(s)} {'a' if p == RDF_TYPE else _iri(p)} {o}")
        elif p != predicate:
            predicate = p
            out.append(f" ;\n\t{'a' if p == RDF_TYPE else _iri(p)} {o}")
        else:
            out.append(f" , {o}")
    if subject is not None:
        out.append(" .\n")
    return "".join(out)


class TurtleWriter(BufferedFile):
    """pfocr.ttl from the blocks of exported figures, in the order the N-Triples writer takes them."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.write(HEADER.encode("utf-8"))

    def add_figure(self, figure: ExportedFigure) -> None:
        """The figure's own block, the blocks of the entities written with it, and the lines
        filling in entities written before."""
        entities = figure.entities
        self._add_many([figure.ttl, *(entities[iri].ttl for iri in figure.new)])
        if figure.fills:
            self.add_lines(figure.fills)

    def add_lines(self, lines: list[str]) -> None:
        self.write(turtle_block(lines).encode("utf-8"))
