"""kg.rdf terms survive a strict parser: every string kg.rdf.text() accepts reads back, from
N-Triples and from Turtle, as exactly the same value; text no RDF syntax can carry is refused."""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import rdf

S = "<http://example.org/s>"
P = "<http://example.org/p>"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

HOSTILE: dict[str, str] = {
    "empty": "",
    "double quotes": 'say "hi" and """triple"""',
    "single quotes": "it's '''triple'''",
    "backslashes": "a\\b\\\\c\\",
    "escape lookalikes": "\\n \\t \\u0041 \\U0001F600 \\\" \\'",
    "trailing backslash before quote": 'end\\"',
    "newlines and tabs": "line1\nline2\r\nline3\rtab\there\n",
    "every C0 control": "".join(chr(c) for c in range(0x20)),
    "NUL alone": "\x00",
    "NUL inside": "a\x00b",
    "DEL": "\x7f",
    "C1 controls": "".join(chr(c) for c in range(0x80, 0xA0)),
    "line and paragraph separators": "a\u2028b\u2029c\x85d",
    "bidi controls": "\u200e\u200f\u202a\u202b\u202c\u202d\u202eabc\u2066\u2067\u2068\u2069\u061c",
    "zero width and BOM": "\u200b\u200c\u200d\u2060\ufeff",
    "emoji": "🧬🦠👩‍🔬🇺🇳 ✔️",
    "combining marks": "e\u0301 a\u0308\u0323 Z\u0351\u0337\u0353\u036b",
    "greek and lookalikes": "TNF-α κB ΤΡΗ к ɑ − – —",
    "noncharacters and the last code point": "\ufdd0\ufffe\uffff\U0001fffe\U0010ffff",
    "replacement character": "\ufffd",
    "RDF punctuation": '<http://x> . _:b "x"@en "1"^^<y> # comment ; , [ ] ( ) { } @prefix',
    "IRI-breaking characters": "a>b <c> {d} |e| ^f `g` \\h",
    "turtle long-string closers": '""""""' + "''''''",
    "only spaces": "   ",
    "long": ("PFOCR " * 20000).strip(),
}


def _parse(term: str, syntax: str) -> pyoxigraph.Literal:
    rdf_format = pyoxigraph.RdfFormat.N_TRIPLES if syntax == "nt" else pyoxigraph.RdfFormat.TURTLE
    document = f"{S} {P} {term} .\n"
    quads = list(pyoxigraph.parse(document.encode("utf-8"), rdf_format))
    assert len(quads) == 1
    literal = quads[0].object
    assert isinstance(literal, pyoxigraph.Literal)
    return literal


def _round_trip(value: str) -> None:
    term = rdf.text(value)
    assert "\n" not in term and "\r" not in term  # one N-Triples line per triple
    assert not any(ord(c) < 0x20 or c == "\x7f" for c in term)  # no raw control characters
    for syntax in ("nt", "ttl"):
        literal = _parse(term, syntax)
        assert literal.value == value
        assert literal.datatype.value == XSD_STRING and literal.language is None
    line = rdf.line((S, P, term))
    assert line.endswith(" .\n") and line.count("\n") == 1
    assert [q.object.value for q in pyoxigraph.parse(line, pyoxigraph.RdfFormat.N_TRIPLES)] == [value]


@pytest.mark.parametrize("value", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_reads_back_exactly(value: str) -> None:
    _round_trip(value)


@pytest.mark.parametrize("code_point", [*range(0x20), 0x7F])
def test_each_control_character_alone(code_point: int) -> None:
    _round_trip(chr(code_point))
    _round_trip(f"a{chr(code_point)}b")


@pytest.mark.parametrize(
    "value",
    [
        chr(0xD800),
        chr(0xDFFF),
        f"a{chr(0xDC80)}b",
        chr(0xD83D) + chr(0xDE00),
        "ok until " + chr(0xDBFF),
        chr(0xDC00) + "x" * 1000,
    ],
    ids=["high", "low", "surrogateescape", "split-pair", "trailing-high", "leading-low"],
)
def test_lone_surrogates_are_refused(value: str) -> None:
    with pytest.raises(rdf.UnencodableText):
        rdf.text(value)
    with pytest.raises(rdf.UnencodableText):
        rdf.typed(value, XSD_STRING)


def test_typed_literals_read_back() -> None:
    cases = [
        (rdf.gyear(2009), "2009", rdf.XSD_GYEAR),
        (rdf.gyear(5), "0005", rdf.XSD_GYEAR),
        (rdf.integer(0), "0", rdf.XSD_INTEGER),
        (rdf.integer(10**40), str(10**40), rdf.XSD_INTEGER),
        (rdf.decimal(Decimal("0.9537671")), "0.9537671", rdf.XSD_DECIMAL),
        (rdf.decimal(Decimal("1E-5")), "0.00001", rdf.XSD_DECIMAL),
        (rdf.decimal(Decimal("1E+3")), "1000", rdf.XSD_DECIMAL),
        (rdf.typed('odd "lexical"\n', "http://example.org/dt"), 'odd "lexical"\n', "http://example.org/dt"),
    ]
    for term, lexical, datatype in cases:
        for syntax in ("nt", "ttl"):
            literal = _parse(term, syntax)
            assert (literal.value, literal.datatype.value) == (lexical, datatype)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_reads_back_exactly(value: str) -> None:
    _round_trip(value)


@settings(max_examples=100, deadline=None)
@given(st.text(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.text())
def test_any_text_with_a_lone_surrogate_is_refused(before: str, surrogate: str, after: str) -> None:
    with pytest.raises(rdf.UnencodableText):
        rdf.text(before + surrogate + after)
