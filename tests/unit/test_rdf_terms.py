"""kg.rdf terms and kg.iris IRIs survive a strict parser: every string kg.rdf.text() accepts reads
back, from N-Triples and from Turtle, as exactly the same value; text no RDF syntax can carry is
refused; any string given to an IRI minter gives an IRI pyoxigraph accepts, from which the
identifier can be read back, or BadIdentifier."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import unquote

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import iris, rdf, vocab

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


# --- any string in: a literal that reads back, an IRI a strict parser accepts, or a refusal -------

# Text biased towards what breaks escapers: controls, quotes, backslashes, line separators, bidi
# controls, astral characters, lone surrogates; plus anything hypothesis makes up.
_HOSTILE_PIECES = st.sampled_from([
    "\x00", "\x07", "\t", "\n", "\r", "\x0b", "\x1f", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u2066",
    "\ufeff", "\ufffe", "\U0010ffff", "\U0001f9ec", '"', "'", "\\", "\\u0000", "\\n", '"""', "<", ">", "{",
    "}", "|", "^", "`", "#", "?", "%", "%00", " ", "/", ".", "..", "@", ":", "_:b", "^^", "@en", "é", "e\u0301",
])
_ANY_TEXT = st.lists(st.one_of(_HOSTILE_PIECES, st.characters()), max_size=40).map("".join)
_SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
_ANY_STRING = st.one_of(_ANY_TEXT, st.builds(lambda a, s, b: a + s + b, _ANY_TEXT, _SURROGATE, _ANY_TEXT))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_ANY_STRING, st.sampled_from([rdf.XSD_STRING, rdf.XSD_DECIMAL, "http://example.org/dt"]))
def test_any_string_is_a_literal_that_reads_back_or_refused(value: str, datatype: str) -> None:
    try:
        text_term, typed_term = rdf.text(value), rdf.typed(value, datatype)
    except rdf.UnencodableText:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    _round_trip(value)
    for syntax in ("nt", "ttl"):
        assert _parse(text_term, syntax).value == value
        literal = _parse(typed_term, syntax)
        assert (literal.value, literal.datatype.value) == (value, datatype)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e30"), max_value=Decimal("1e30"), places=None)
    | st.decimals(allow_nan=False, allow_infinity=False).filter(lambda d: abs(d.adjusted()) <= 100),
    st.integers(),
    st.integers(0, 9999),
)
def test_any_number_reads_back(number: Decimal, whole: int, year: int) -> None:
    for syntax in ("nt", "ttl"):
        literal = _parse(rdf.decimal(number), syntax)
        assert literal.datatype.value == rdf.XSD_DECIMAL and Decimal(literal.value) == number
        assert "e" not in literal.value.lower()  # xsd:decimal has no exponent
        literal = _parse(rdf.integer(whole), syntax)
        assert literal.datatype.value == rdf.XSD_INTEGER and int(literal.value) == whole
        literal = _parse(rdf.gyear(year), syntax)
        assert literal.datatype.value == rdf.XSD_GYEAR and int(literal.value) == year and len(literal.value) == 4


# kind → (minter, IRI base, suffix, how the identifier appears in the IRI)
_MINTERS: dict[str, tuple[Any, str, str, Any]] = {
    "figid": (iris.figure, vocab.FIGURE_BASE, ".html", None),
    "pmc": (iris.paper, vocab.PMC_BASE, "", None),
    "ncbigene": (iris.gene, vocab.NCBIGENE_BASE, "", None),
    "taxon": (iris.taxon, vocab.TAXON_BASE, "", None),
    "mesh": (iris.mesh, vocab.MESH_BASE, "", None),
    "chebi": (iris.chebi, vocab.CHEBI_BASE, "", None),
    "doid": (iris.doid, vocab.DOID_BASE, "", None),
    "doi": (iris.doi, vocab.DOI_BASE, "", unquote),
    "symbol": (iris.hgnc_symbol, vocab.HGNC_SYMBOL_BASE, "", unquote),
    "ndex": (iris.ndex, vocab.NDEX_BASE, "", str.upper),
    "wikipathways": (iris.wikipathways, vocab.WIKIPATHWAYS_BASE, "", None),
    "match_source": (iris.match_source, vocab.PFOCR, "", None),
    "filename": (lambda v: iris.pmc_image("PMC1", v), vocab.PMC_ARTICLE_BASE + "PMC1/bin/", "", unquote),
}


def _matching(kind: str) -> st.SearchStrategy[str]:
    # every code point, surrogates included: the patterns' negated classes must exclude them
    return st.from_regex(iris.PATTERNS[kind], fullmatch=True, alphabet=st.characters(exclude_categories=[]))


@st.composite
def _identifiers(draw: Any) -> tuple[str, str]:
    """A kind and a string: one matching the kind's pattern (often), a near miss, or anything."""
    kind = draw(st.sampled_from(sorted(_MINTERS)))
    how = draw(st.integers(0, 2))
    if how == 0:
        value = draw(_matching(kind))
    elif how == 1:  # a valid one with hostile text spliced in
        valid = draw(_matching(kind))
        at = draw(st.integers(0, len(valid)))
        value = valid[:at] + draw(_ANY_STRING) + valid[at:]
    else:
        value = draw(_ANY_STRING)
    return kind, value


@pytest.mark.slow
@settings(max_examples=600, deadline=None)
@given(_identifiers())
def test_any_identifier_mints_a_strict_iri_or_is_refused(case: tuple[str, str]) -> None:
    kind, value = case
    mint, base, suffix, decode = _MINTERS[kind]
    try:
        iri = mint(value)
    except iris.BadIdentifier as exc:
        assert exc.kind == kind and exc.value == value
        if iris.PATTERNS[kind].fullmatch(value):  # matches, yet refused: only for '..' or a '.' path segment
            assert kind in {"figid", "doi", "symbol", "filename"} and "." in value
        return
    assert iris.PATTERNS[kind].fullmatch(value) and iris.check(kind, value) == value
    assert iri.startswith(base) and iri.endswith(suffix)
    local = iri[len(base): len(iri) - len(suffix)]
    if decode is unquote:
        assert iri.isascii() and unquote(local, errors="strict") == value  # nothing lost, nothing added
        assert not re.search(r"[#?\s<>\"{}|\\^`]", local)
        assert local not in (".", "..") and "/../" not in f"/{local}/" and "/./" not in f"/{local}/"
    elif decode is str.upper:
        assert local.upper() == value.upper()
    else:
        assert local == value
    assert pyoxigraph.NamedNode(iri).value == iri  # an RFC 3987 IRI for the strict parser
    term = rdf.ref(iri)
    for syntax, fmt in (("nt", pyoxigraph.RdfFormat.N_TRIPLES), ("ttl", pyoxigraph.RdfFormat.TURTLE)):
        quads = list(pyoxigraph.parse(f"{term} {term} {term} .\n".encode(), fmt))
        assert [q.subject.value for q in quads] == [iri], syntax


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(iris.PATTERNS)),
       st.one_of(st.none(), st.integers(), st.floats(), st.booleans(), st.binary(max_size=8),
                 st.lists(st.text(max_size=4), max_size=2), st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2)))
def test_non_text_identifiers_are_refused(kind: str, value: object) -> None:
    with pytest.raises(iris.BadIdentifier):
        iris.check(kind, value)
