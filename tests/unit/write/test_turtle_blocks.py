"""kg.write.turtle: Turtle blocks made from N-Triples lines read back to exactly those triples,
whatever the IRIs' local parts and the literals hold; prefixed names only where safe."""

from __future__ import annotations

import pyoxigraph
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.rdf import line
from kg.write.turtle import HEADER, turtle_block

GENE = "<https://identifiers.org/ncbigene/{}>"
NAME = "<http://schema.org/name>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def _triples(text: str, fmt: pyoxigraph.RdfFormat) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse(text, fmt)}


def _nt_iri(local: str) -> str:
    """An N-Triples IRI term with `local` escaped as kg's minting would refuse or keep it."""
    escaped = "".join(c if c.isalnum() or c in "_-.~:/%" else f"\\u{ord(c):04X}" for c in local if ord(c) < 0x10000)
    return GENE.format(escaped)


@settings(max_examples=300, deadline=None)
@given(
    locals_=st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12), min_size=1, max_size=6),
    literal=st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
)
def test_blocks_read_back_to_the_same_triples(locals_: list[str], literal: str) -> None:
    from kg.rdf import text as text_term

    lines = []
    for local in locals_:
        s = _nt_iri(local)
        lines.append(line((s, TYPE, "<http://schema.org/Gene>")))
        lines.append(line((s, NAME, text_term(literal))))
        lines.append(line((s, NAME, '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>')))
    nt = "".join(lines)
    try:
        expected = _triples(nt, pyoxigraph.RdfFormat.N_TRIPLES)
    except SyntaxError:
        return  # not a line kg would write
    ttl = HEADER + turtle_block(lines)
    assert _triples(ttl, pyoxigraph.RdfFormat.TURTLE) == expected


def test_groups_subjects_and_uses_prefixes_only_when_safe() -> None:
    lines = [
        line((GENE.format("7157"), TYPE, "<http://schema.org/Gene>")),
        line((GENE.format("7157"), NAME, '"TP53"')),
        line((GENE.format("7157"), NAME, '"p53"')),
        line((GENE.format("a.b."), NAME, '"x"')),  # a local part ending in "." cannot be prefixed
    ]
    block = turtle_block(lines)
    assert block == (
        'ncbigene:7157 a schema:Gene ;\n\tschema:name "TP53" , "p53" .\n'
        '<https://identifiers.org/ncbigene/a.b.> schema:name "x" .\n'
    )
