"""kg.iris against the identifier lists in tests/resources/: valid ids mint IRIs a strict parser
accepts, under the right base; invalid ones (hostile ones included) raise BadIdentifier."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import unquote

import pyoxigraph
import pytest
from helpers import RESOURCES
from hypothesis import given
from hypothesis import strategies as st

from kg import iris, vocab

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
    assert iris.image("PMC1__a.b", "PMC1", "F11") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC1/figure/F11/"
    assert iris.image("PMC1__a.b", "PMC1", None) == f"{fig}#image"  # no usable figlink
    assert iris.organism_counts("PMC1__a.b", "9606") == f"{fig}#organism-9606"
    assert iris.chebi_obo("22984") == "http://purl.obolibrary.org/obo/CHEBI_22984"
    assert iris.pmc_article_page("PMC12") == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12/"
    assert (
        iris.pmc_image("PMC12", "a>b.jpg") == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC12/bin/a%3Eb.jpg"
    )
    for filename in ("a b.jpg", "a/b.jpg", "a\\b.jpg", "..", ".", "", "a\nb", "a\udc80"):
        with pytest.raises(iris.BadIdentifier):
            iris.pmc_image("PMC12", filename)
    for mint in (lambda: iris.annotation("PMC1__a b", "w", "s", None),
                 lambda: iris.image("PMC1__a.b", "PMC1", "F 1"), lambda: iris.image("PMC1__a.b", "PMC01", "F1"),
                 lambda: iris.organism_counts("PMC1__a.b", "09606"), lambda: iris.chebi_obo("CHEBI:1")):
        with pytest.raises(iris.BadIdentifier):
            mint()
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


# --- v2: annotations named by their content, journals and publishers by a slug ------------------


def _sha12(text: str) -> str:
    """The first 12 hex digits of SHA-256 of `text` in UTF-8, as docs/vocabulary.md defines them."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def test_annotation_iri_is_the_documented_content_hash() -> None:
    figid = "PMC2776288__ajtr0001-0001-f3"
    fig = iris.figure(figid)
    # the JSON arrays written out by hand: no spaces, `matched` "" when absent or equal to the word
    tnf = '["TNFA)","hgnc_alias_symbol","TNF-alpha"]'
    assert _sha12(tnf) == "22c45989db16"
    assert iris.annotation(figid, "TNFA)", "hgnc_alias_symbol", "TNF-alpha") == fig + "#m-22c45989db16"
    xiap = fig + "#m-" + _sha12('["XIAP","hgnc_symbol",""]')
    assert iris.annotation(figid, "XIAP", "hgnc_symbol", None) == xiap
    assert iris.annotation(figid, "XIAP", "hgnc_symbol", "XIAP") == xiap
    assert iris.annotation(figid, "XIAP", "hgnc_symbol", "") == xiap
    # non-ASCII stays UTF-8 (no \u escapes); a quote and a backslash are JSON-escaped
    assert iris.annotation("PMC1__a", "NF-κB", "hgnc_alias_symbol", None).endswith(
        "#m-" + _sha12('["NF-κB","hgnc_alias_symbol",""]'))
    assert iris.annotation("PMC1__a", 'a"b\\c', "mesh", None).endswith(
        "#m-" + _sha12(r'["a\"b\\c","mesh",""]'))
    # every part counts: word, source and matched text each change the IRI
    variants = {iris.annotation("PMC1__a", w, s, m) for w, s, m in (
        ("Ca", "mesh", "Calcium"), ("Ca2", "mesh", "Calcium"), ("Ca", "chebi", "Calcium"), ("Ca", "mesh", None))}
    assert len(variants) == 4
    # a separator inside a part cannot make two keys one (the parts are JSON strings)
    assert iris.annotation("PMC1__a", 'a","b', "mesh", None) != iris.annotation("PMC1__a", "a", "b", "mesh")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Acta Pharm Sin B", "acta-pharm-sin-b"),  # docs/vocabulary.md's example
        ("Acta Pharmaceutica Sinica. B", "acta-pharmaceutica-sinica-b"),
        ("PLoS One", "plos-one"),
        ("PLOS ONE", "plos-one"),
        ("  Front. Plant Sci.  ", "front-plant-sci"),
        ('J <Biol> "Chem" {x}|^`\\ y', "j-biol-chem-x-y"),
        ("Revista Española de Cardiología", "revista-espanola-de-cardiologia"),
        ("Zhōngguó 🧬 Yīxué", "zhongguo-yixue"),
        ("Cell\tRep\nMed\x00", "cell-rep-med"),
        ("Nat Rev Mol Cell Biol", "nat-rev-mol-cell-biol"),
    ],
)
def test_slug_keeps_ascii_letters_and_digits(name: str, slug: str) -> None:
    assert iris.slug(name) == slug
    assert iris.journal(name) == "https://w3id.org/pfocr-kg/journal/" + slug
    assert iris.publisher(name) == "https://w3id.org/pfocr-kg/publisher/" + slug


@pytest.mark.parametrize("name", ["中华医学杂志", "🧬", "---", "\u0301", "Ελληνική Ιατρική", "\udc80"])
def test_slug_of_a_name_without_ascii_letters_or_digits_is_its_hash(name: str) -> None:
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    assert iris.slug(name) == f"x-{digest}"
    assert iris.journal(name) == f"https://w3id.org/pfocr-kg/journal/x-{digest}"


# shapes/paper.ttl's JournalShape pattern, the form every slug must have
_SLUG = re.compile(r"([a-z0-9]+(-[a-z0-9]+)*|x-[0-9a-f]{12})")


@given(st.text())
def test_any_name_gives_a_well_formed_deterministic_iri(name: str) -> None:
    slug = iris.slug(name)
    assert _SLUG.fullmatch(slug), (name, slug)
    for mint, base in ((iris.journal, "https://w3id.org/pfocr-kg/journal/"),
                       (iris.publisher, "https://w3id.org/pfocr-kg/publisher/")):
        iri = mint(name)
        assert iri == base + slug == mint(name)
        assert pyoxigraph.NamedNode(iri).value == iri
