"""kg.iris against the identifier lists in tests/resources/: valid ids mint IRIs a strict parser
accepts, under the right base; invalid ones (hostile ones included) raise BadIdentifier."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph
import pytest

from kg import iris, vocab

RESOURCES = Path(__file__).parent / "resources"

# kind → (minter, IRI base, suffix after the id)
MINTERS: dict[str, tuple[Callable[[str], str], str, str]] = {
    "figid": (iris.figure, vocab.FIGURE_BASE, ".html"),
    "pmc": (iris.paper, vocab.PMC_BASE, ""),
    "ncbigene": (iris.gene, vocab.NCBIGENE_BASE, ""),
    "taxon": (iris.taxon, vocab.TAXON_BASE, ""),
    "mesh": (iris.mesh, vocab.MESH_BASE, ""),
    "chebi": (iris.chebi, vocab.CHEBI_BASE, ""),
    "doid": (iris.doid, vocab.DOID_BASE, ""),
    "doi": (iris.doi, vocab.DOI_BASE, ""),
    "symbol": (iris.hgnc_symbol, vocab.HGNC_SYMBOL_BASE, ""),
}
PERCENT_ENCODED = {"doi"}

_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[nrt0\\])")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\"}


def decode(line: str) -> str:
    """One case line of a resource file → the identifier it stands for (see the files' header)."""
    if line == r"\e":
        return ""
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m[1]) or chr(int(m[1][1:], 16)), line)


def cases(validity: str, kind: str) -> list[str]:
    text = (RESOURCES / f"{validity}_{kind}_ids.txt").read_text("utf-8")
    return [decode(line) for line in text.split("\n") if line and not line.startswith("#")]


def params(validity: str) -> list[object]:
    return [
        pytest.param(kind, value, id=f"{kind}-{ascii(value)[1:-1][:40]}")
        for kind in MINTERS
        for value in cases(validity, kind)
    ]


def test_decode() -> None:
    assert decode(r"\e") == ""
    assert decode(r"a\nb\x00\u0663\U0001F600\\n") == "a\nb\x00\u0663\U0001f600\\n"


@pytest.mark.parametrize("kind", sorted(MINTERS))
def test_every_resource_file_has_cases_and_a_comment_header(kind: str) -> None:
    for validity in ("valid", "invalid"):
        path = RESOURCES / f"{validity}_{kind}_ids.txt"
        assert path.read_text("utf-8").startswith("# "), path
        values = cases(validity, kind)
        assert len(values) >= 4 and len(values) == len(set(values)), path


@pytest.mark.parametrize("kind", sorted(set(MINTERS) - {"symbol", "doi"}))
def test_invalid_files_cover_the_hostile_classes(kind: str) -> None:
    bad = cases("invalid", kind)
    assert "" in bad
    assert any("\u0660" <= c <= "\u0669" for v in bad for c in v), "Arabic-Indic digits"
    assert any(v.endswith("\n") for v in bad), "trailing newline"
    assert any(" " in v for v in bad), "space"
    for needle in (">", '"', "{", "\0", "../"):
        assert any(needle in v for v in bad), needle


@pytest.mark.parametrize(("kind", "value"), params("valid"))
def test_valid_identifier_mints_a_strict_iri(kind: str, value: str) -> None:
    mint, base, suffix = MINTERS[kind]
    assert iris.check(kind, value) == value
    iri = mint(value)
    assert pyoxigraph.NamedNode(iri).value == iri  # RFC 3987 IRI, as a strict parser reads it
    assert iri.startswith(base) and iri.endswith(suffix)
    local = iri[len(base) : len(iri) - len(suffix)]
    if kind in PERCENT_ENCODED:
        assert iri.isascii()
        assert unquote(local, errors="strict") == value  # nothing lost, nothing added
        assert not re.search(r"[#?\s<>\"{}|\\^`]", local)
    else:
        assert local == value
    # the IRI is a single N-Triples term: parse it back inside a triple
    quads = list(pyoxigraph.parse(f"<{iri}> <{iri}> <{iri}> .\n", pyoxigraph.RdfFormat.N_TRIPLES))
    assert quads[0].subject.value == iri


@pytest.mark.parametrize(("kind", "value"), params("invalid"))
def test_invalid_identifier_raises_bad_identifier(kind: str, value: str) -> None:
    mint = MINTERS[kind][0]
    with pytest.raises(iris.BadIdentifier) as info:
        mint(value)
    assert info.value.kind == kind and info.value.value == value
    assert repr(value)[:20] in str(info.value)
    with pytest.raises(iris.BadIdentifier):
        iris.check(kind, value)


@pytest.mark.parametrize("value", [None, 7124, 7124.0, b"7124", ["7124"], {"id": "7124"}, True])
def test_non_text_identifiers_raise_bad_identifier(value: object) -> None:
    for kind in ("ncbigene", "figid", "doi", "symbol"):
        with pytest.raises(iris.BadIdentifier):
            iris.check(kind, value)


def test_percent_encoding_of_odd_dois_and_symbols() -> None:
    assert iris.doi("10.1000/a#b?c<d>") == "https://doi.org/10.1000/a%23b%3Fc%3Cd%3E"
    assert iris.doi("10.1000/100%") == "https://doi.org/10.1000/100%25"
    assert (
        iris.doi("10.1002/(SICI)1097-4636(199706)35:4<465::AID-JBM7>3.0.CO;2-E")
        == "https://doi.org/10.1002/(SICI)1097-4636(199706)35:4%3C465::AID-JBM7%3E3.0.CO;2-E"
    )
    # symbols are never encoded: WikiPathways writes CONCAT(base, symbol), and an encoded
    # character would be another IRI (RFC 3986 §6.2.2.2); what would need it is no HGNC symbol
    assert iris.hgnc_symbol("HLA@") == "https://identifiers.org/hgnc.symbol/HLA@"
    for bad in ("a/b@c", "TNF-α", "../", "fs(1)h", "HGNC:11892"):
        with pytest.raises(iris.BadIdentifier):
            iris.hgnc_symbol(bad)


def test_leading_zeros_are_refused_with_the_reason() -> None:
    for mint, value in ((iris.gene, "07124"), (iris.taxon, "09606"), (iris.chebi, "015422"),
                        (iris.paper, "PMC09200009"), (iris.figure, "PMC0920__a")):
        with pytest.raises(iris.BadIdentifier, match="leading zero"):
            mint(value)
    assert iris.doid("0060239").endswith("DOID_0060239")  # Disease Ontology ids are zero-padded


def test_invisible_characters_are_refused_in_dois_and_filenames() -> None:
    for invisible in ("\u200b", "\u200e", "\u202e", "\u2066", "\ufeff", "\u00ad"):
        with pytest.raises(iris.BadIdentifier):
            iris.doi(f"10.1000/x{invisible}")
        with pytest.raises(iris.BadIdentifier):
            iris.pmc_image("PMC12", f"a{invisible}.jpg")


def test_other_minters_from_checked_parts() -> None:
    fig = iris.figure("PMC1__a.b")
    assert iris.mention("PMC1__a.b", 3) == f"{fig}#mention-3"
    assert iris.pmc_article_page("PMC12") == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12/"
    assert (
        iris.pmc_image("PMC12", "a>b.jpg") == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12/bin/a%3Eb.jpg"
    )
    for filename in ("a b.jpg", "a/b.jpg", "a\\b.jpg", "..", ".", "", "a\nb", "a\udc80"):
        with pytest.raises(iris.BadIdentifier):
            iris.pmc_image("PMC12", filename)
    with pytest.raises(iris.BadIdentifier):
        iris.mention("PMC1__a b", 1)
    assert iris.ndex("E0501886-DEAF-11EA-99DA-0AC135E8BACF").endswith("e0501886-deaf-11ea-99da-0ac135e8bacf")
    for bad in ("e0501886-deaf-11ea-99da-0ac135e8bac", "../x", "e0501886-deaf-11ea-99da-0ac135e8bacf\n"):
        with pytest.raises(iris.BadIdentifier):
            iris.ndex(bad)
    for bad in ("WP", "WP٣", "wp1", "WP1>"):
        with pytest.raises(iris.BadIdentifier):
            iris.wikipathways(bad)
    for bad in ("", "1abc", "hgnc symbol", "a-b", "é", "a\n", "MatchSource", "ocrText"):
        with pytest.raises(iris.BadIdentifier):
            iris.match_source(bad)
