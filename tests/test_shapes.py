"""Every shape in shapes/: data that satisfies it and data that breaks it.

Two kinds of breaking case:

* record cases: a real sample record (tests/fixtures/pfocr-sample) is copied and its front matter
  or TSV edited (figtitle removed, `pathway_score: 1.5`, ...), then `kg build` runs on it and two
  untouched records. We check which figure is quarantined (or warned), the exact shape message in
  report.json and validation.ttl, that the other figures are written and that
  quarantine/<figid>.ttl exists and parses.
* graph cases: what the mapper cannot produce (it is correct by construction: a gene without a
  name, a bad IRI, a mention with two bodies, a language-tagged literal, a wrong datatype...). A
  real record is built, its N-Triples (exactly what the gate sees for that figure) edited line by
  line, and both engines (`shacl` and the reference pySHACL) must report the expected
  (focus node, sh:sourceShape, severity, message) while the unedited graph has no violation.

Meta tests keep the tables honest: the messages below are the ones in shapes/*.ttl, and every
named shape has at least one breaking case and a conforming one.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from conftest import SAMPLE, Build, run_build
from rdflib.namespace import RDF, SH

from kg.check.engine import SH_VIOLATION, SH_WARNING, ShaclResult
from kg.check.gate import Gate
from kg.check.shapes import DEFAULT_SHAPES_DIR, shape_files

SHAPES_NS = "https://w3id.org/pfocr-kg/shapes#"
ENGINES = ("shacl", "pyshacl")

# --- IRIs and terms (N-Triples form) -------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "http://schema.org/"
WP = "http://vocabularies.wikipathways.org/wp#"
OA = "http://www.w3.org/ns/oa#"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
DCTERMS = "http://purl.org/dc/terms/"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def s(local: str) -> str:
    return f"<{SCHEMA}{local}>"


def wp(local: str) -> str:
    return f"<{WP}{local}>"


def oa(local: str) -> str:
    return f"<{OA}{local}>"


def pf(local: str) -> str:
    return f"<{PFOCR}{local}>"


def xsd(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{XSD}{datatype}>'


def figure_iri(figid: str) -> str:
    return f"https://pfocr.wikipathways.org/figures/{figid}.html"


def fig_term(figid: str) -> str:
    return f"<{figure_iri(figid)}>"


# Base graph "inline": PMC1391919 (inline record: human gene UXS1 matched by alias, 4 MeSH chemicals).
INLINE = "PMC1391919__pgen.0020031.g001"
FIG = fig_term(INLINE)
M1 = f"<{figure_iri(INLINE)}#mention-1>"  # the gene mention (hgnc_alias_symbol)
PAPER = "<https://identifiers.org/pmc/PMC1391919>"
GENE = "<https://identifiers.org/ncbigene/80146>"
HUMAN = "<http://purl.obolibrary.org/obo/NCBITaxon_9606>"
MOUSE = "<http://purl.obolibrary.org/obo/NCBITaxon_10090>"
ORG = "<https://www.wikipathways.org/>"
GALACTOSE = "<http://id.nlm.nih.gov/mesh/D005690>"
SRC_ALIAS = pf("hgnc_alias_symbol")

# Base graph "sidecar": PMC5883377 (sidecar record; genes.tsv cut to its first 3 rows): counts on
# mentions, a MeSH chemical with a ChEBI link and a name, a MeSH disease.
SIDECAR = "PMC5883377__CN-16-151_F1B"
FIG_B = fig_term(SIDECAR)
M1_B = f"<{figure_iri(SIDECAR)}#mention-1>"  # TRPC3, ncbigene_symbol, counts 2 / 13 / 14
CHEM = "<http://id.nlm.nih.gov/mesh/D002118>"
DISEASE = "<http://id.nlm.nih.gov/mesh/D001259>"
SRC_NCBI = pf("ncbigene_symbol")

# --- shapes and their messages, exactly as in shapes/*.ttl ----------------------------------------

MESSAGES: dict[str, str] = {
    # figure.ttl
    "FigureShape": "figure IRI must be https://pfocr.wikipathways.org/figures/<figid>.html",
    "FigureImageType": "a figure is also a schema:ImageObject",
    "FigureName": "a figure has exactly one name (its figtitle), a non-empty plain string",
    "FigureIdentifier": "a figure has exactly one identifier, its figid PMC<digits>__<file stem>",
    "FigureLicense": "a figure has exactly one license, the CC0 1.0 IRI",
    "FigurePaper": "a figure is part of exactly one paper (a schema:ScholarlyArticle)",
    "FigureDescription": "a figure has at most one description (its caption), a plain string",
    "FigureCreator": "a figure names its creator, a schema:Organization (WikiPathways)",
    "FigureContentUrl": "a figure's image is at most one PMC image IRI",
    "FigurePosition": "a figure has at most one position (its figure number), a plain string",
    "FigureScore": "a figure has at most one pathway score, an xsd:decimal between 0 and 1",
    "FigureOrganism": "a figure's organisms are NCBITaxon IRIs described as schema:Taxon",
    "FigureOrganismName": "organism names are non-empty plain strings",
    "FigureMentions": "a figure mentions only genes, chemicals and diseases",
    "FigureMentionsGene": "figure mentions no gene",
    "BioschemasDatasetShape": "",  # no node-level constraint: broken through its property shapes
    "BioschemasDescription": "Bioschemas Dataset: description is required",
    "BioschemasIdentifier": "Bioschemas Dataset: identifier is required",
    "BioschemasKeywords": "Bioschemas Dataset: keywords (plain strings) are required",
    "BioschemasLicense": "Bioschemas Dataset: license is required",
    "BioschemasName": "Bioschemas Dataset: name is required",
    "BioschemasUrl": "Bioschemas Dataset: url (an IRI) is required",
    "CreatorShape": "an organisation is named by an IRI",
    "CreatorName": "an organisation has exactly one name, a plain string",
    # paper.ttl
    "PaperShape": "paper IRI must be https://identifiers.org/pmc/PMC<digits>",
    "PaperIdentifier": "a paper has exactly one identifier, its PMC id",
    "PaperName": "a paper has at most one title, a non-empty plain string",
    "PaperNameWarning": "paper without a title",
    "PaperDatePublished": "a paper has at most one year, an xsd:gYear",
    "PaperDatePublishedWarning": "paper without a year",
    "PaperBibliographicCitation": "a paper has at most one citation text, a plain string",
    "PaperSameAs": "a paper is the same as DOI IRIs only (https://doi.org/10.…)",
    "PaperUrl": "a paper's url is its PMC article page",
    "PaperKeywords": "paper keywords are plain strings",
    # gene.ttl
    "GeneShape": "gene IRI must be https://identifiers.org/ncbigene/<digits>",
    "GeneIdentifier": "a gene has exactly one identifier, its NCBI Gene id (digits)",
    "GeneName": "a gene has exactly one name, its symbol, a non-empty plain string",
    "GeneBdbEntrezGene": "a gene has exactly one wp:bdbEntrezGene link, its identifiers.org NCBI Gene IRI",
    "GeneBdbHgncSymbol": "a gene has at most one wp:bdbHgncSymbol link, an identifiers.org hgnc.symbol IRI",
    "GeneTaxonomicRange": "a gene belongs to at most one taxon, described as schema:Taxon",
    # organism.ttl
    "OrganismShape": "organism IRI must be http://purl.obolibrary.org/obo/NCBITaxon_<digits>",
    "OrganismIdentifier": "an organism has exactly one identifier, its NCBI taxon id",
    "OrganismName": "an organism has exactly one name, its latin name",
    "OrganismAlternateName": "an organism has at most one common name, a plain string",
    # chemical.ttl
    "ChemicalShape": "chemical IRI must be a MeSH IRI (http://id.nlm.nih.gov/mesh/<id>) or a ChEBI identifiers.org IRI",
    "ChemicalIdentifier": "a chemical has exactly one identifier, a MeSH id or CHEBI:<digits>",
    "ChemicalName": "a chemical has at most one name, a plain string",
    "ChemicalBdbChEBI": "a chemical has at most one wp:bdbChEBI link, https://identifiers.org/chebi/CHEBI:<digits>",
    # disease.ttl
    "DiseaseShape": "disease IRI must be a MeSH IRI or a DOID PURL",
    "DiseaseIdentifier": "a disease has exactly one identifier, a MeSH id or DOID:<digits>",
    "DiseaseName": "a disease has at most one name, a plain string",
    "DiseaseSameAs": "a disease is the same as Disease Ontology PURLs only",
    # mention.ttl
    "MentionShape": "mention IRI must be <figure IRI>#mention-<n>",
    "MatchSourceShape": "a match source is named by an IRI",
    "MentionHasBody": "a mention has exactly one body: a gene, chemical or disease node",
    "MentionHasTarget": "a mention targets exactly one figure",
    "MentionMotivatedBy": "a mention is motivated by oa:identifying",
    "MentionOcrText": "a mention keeps exactly one OCR word, a plain string",
    "MentionMatchedText": "a mention has at most one matched text, a plain string",
    "MentionMatchSource": "a mention has exactly one match source, a described pfocr:MatchSource",
    "MentionMatchSourceWarning": (
        "gene matched by alias, previous symbol, synonym, family expansion or an unknown source, "
        "not by its symbol: often wrong, check it"
    ),
    "MentionCountDirect": "countDirect is at most one non-negative xsd:integer",
    "MentionCountSynonym": "countSynonym is at most one non-negative xsd:integer",
    "MentionCountMatch": "countMatch is at most one non-negative xsd:integer",
    "MatchSourceLabel": "a match source has exactly one label",
    "MatchSourceMatchKind": "a match source has exactly one known match kind",
}
WARNING_SHAPES = {
    "FigureMentionsGene",
    "PaperNameWarning",
    "PaperDatePublishedWarning",
    "MentionMatchSourceWarning",
}


def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shape_files(DEFAULT_SHAPES_DIR):
        graph.parse(path, format="turtle")
    return graph


SHAPES_GRAPH = _shapes_graph()


def _local(term: rdflib.term.Node) -> str:
    return str(term).removeprefix(SHAPES_NS)


def named_shapes() -> dict[str, rdflib.URIRef]:
    """Every named sh:NodeShape and sh:PropertyShape in shapes/*.ttl, by local name."""
    found = {}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for node in SHAPES_GRAPH.subjects(RDF.type, kind):
            if isinstance(node, rdflib.URIRef):
                found[_local(node)] = node
    return found


def node_shape_of() -> dict[str, str]:
    """Property shape → the node shape it belongs to (node shapes map to themselves)."""
    owners = {}
    for node, prop in SHAPES_GRAPH.subject_objects(SH.property):
        if isinstance(prop, rdflib.URIRef):
            owners[_local(prop)] = _local(node)
    for node in SHAPES_GRAPH.subjects(RDF.type, SH.NodeShape):
        owners[_local(node)] = _local(node)
    return owners


def message(shape: str) -> str:
    return MESSAGES[shape]


def severity(shape: str) -> str:
    return SH_WARNING if shape in WARNING_SHAPES else SH_VIOLATION


# --- copying and editing sample records ----------------------------------------------------------


def clone_record(
    root: Path,
    figid: str,
    new_pmc: str | None = None,
    *,
    md: Callable[[str], str] | None = None,
    tsv: dict[str, Callable[[str], str | None]] | None = None,
) -> str:
    """Copy sample record `figid` (.md and its _data TSVs) into the PFOCR database at `root`.

    With `new_pmc`, the record's PMC id is replaced everywhere (file names, figid, pmcid, figlink,
    the schema-jsonld @id), so the copy is a distinct figure of a distinct paper. `md` edits the
    front matter text; `tsv` maps a kind (genes, chemicals, diseases) to an edit of that table
    (returning None drops the table). Returns the copy's figid."""
    pmc = figid.split("__", 1)[0]
    new_figid = (new_pmc or pmc) + figid[len(pmc) :]
    rename = re.compile(re.escape(pmc) + r"(?![0-9])")
    (root / "_figures").mkdir(parents=True, exist_ok=True)
    (root / "_data").mkdir(exist_ok=True)
    text = (SAMPLE / "_figures" / f"{figid}.md").read_text("utf-8")
    if new_pmc:
        text = rename.sub(new_pmc, text)
    if md is not None:
        edited = md(text)
        assert edited != text, f"the edit of {figid}.md changed nothing"
        text = edited
    (root / "_figures" / f"{new_figid}.md").write_text(text, "utf-8")
    tsv = dict(tsv or {})
    for table in sorted((SAMPLE / "_data").glob(f"{figid}-*.tsv")):
        kind = table.name[len(figid) + 1 : -len(".tsv")]
        content: str | None = table.read_text("utf-8")
        if new_pmc:
            content = rename.sub(new_pmc, content)
        if kind in tsv:
            content = tsv.pop(kind)(content)
        if content is not None:
            (root / "_data" / f"{new_figid}-{kind}.tsv").write_text(content, "utf-8")
    assert not tsv, f"{figid} has no table for {sorted(tsv)}"
    return new_figid


def drop_key(key: str) -> Callable[[str], str]:
    """Remove a top-level scalar key of the front matter (with its folded continuation lines)."""
    return lambda text: re.sub(rf"(?m)^{re.escape(key)}:.*\n(?:  .*\n)*", "", text, count=1)


def set_key(key: str, value: str) -> Callable[[str], str]:
    return lambda text: re.sub(rf"(?m)^{re.escape(key)}:.*\n(?:  .*\n)*", f"{key}: {value}\n", text, count=1)


def empty_block_keywords(text: str) -> str:
    """schema-jsonld `keywords:` list → `keywords: []`."""
    return re.sub(r"(?m)^  keywords:\n(?:  - .*\n)+", "  keywords: []\n", text, count=1)


def drop_block_description(text: str) -> str:
    return re.sub(r"(?m)^  description:.*\n(?:    .*\n)*", "", text, count=1)


def both(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def run(text: str) -> str:
        for edit in edits:
            text = edit(text)
        return text

    return run


def tsv_rows(keep: int) -> Callable[[str], str]:
    """Keep the header and the first `keep` rows of a TSV."""
    return lambda text: "".join(text.splitlines(keepends=True)[: keep + 1])


def tsv_cell(row: int, column: str, value: str) -> Callable[[str], str]:
    """Set one cell (row 1 = first data row) of a TSV."""

    def run(text: str) -> str:
        lines = text.splitlines(keepends=True)
        header = lines[0].rstrip("\n").split("\t")
        cells = lines[row].rstrip("\n").split("\t")
        cells[header.index(column)] = value
        lines[row] = "\t".join(cells) + "\n"
        return "".join(lines)

    return run


def tsv_append(*cells: str) -> Callable[[str], str]:
    return lambda text: text + "\t".join(cells) + "\n"


# --- editing N-Triples ---------------------------------------------------------------------------

Edit = Callable[[str], str]


def sub(old: str, new: str) -> Edit:
    """Replace every occurrence of a term (an IRI in <> or a whole literal)."""

    def run(text: str) -> str:
        assert old in text, f"{old} not in the graph"
        return text.replace(old, new)

    return run


def drop(subject: str, predicate: str, obj: str | None = None) -> Edit:
    """Remove the triples with this subject and predicate (and object)."""
    start = f"{subject} {predicate} " + (f"{obj} ." if obj is not None else "")

    def run(text: str) -> str:
        lines = text.splitlines(keepends=True)
        kept = [l for l in lines if not l.startswith(start)]
        assert len(kept) < len(lines), f"no triple starts with {start}"
        return "".join(kept)

    return run


def swap(subject: str, predicate: str, new_object: str) -> Edit:
    """Give the triples with this subject and predicate another object."""
    start = f"{subject} {predicate} "

    def run(text: str) -> str:
        lines = text.splitlines(keepends=True)
        out = [f"{start}{new_object} .\n" if l.startswith(start) else l for l in lines]
        assert out != lines, f"no triple starts with {start}"
        return "".join(out)

    return run


def add(*triples: tuple[str, str, str]) -> Edit:
    return lambda text: text + "".join(f"{a} {b} {c} .\n" for a, b, c in triples)


def chain(*edits: Edit) -> Edit:
    def run(text: str) -> str:
        for edit in edits:
            text = edit(text)
        return text

    return run


# --- graph cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphCase:
    id: str
    base: str  # "inline" or "sidecar"
    edit: Edit
    focus: str  # N-Triples term; "_:" = any blank node
    shape: str  # local name of the sh:sourceShape expected


def case(id: str, shape: str, focus: str, edit: Edit, base: str = "inline") -> object:
    return pytest.param(GraphCase(id, base, edit, focus, shape), id=id)


NEW_FIG = "<https://example.org/figures/PMC1391919__pgen.0020031.g001.html>"
TITLE = '"Genetic Analysis of the Capsular Biosynthetic Locus from All 90 Pneumococcal Serotypes"'

GRAPH_CASES = [
    # FigureShape and its property shapes (inline record PMC1391919)
    case("FigureShape-iri-not-pfocr", "FigureShape", NEW_FIG, sub(FIG, NEW_FIG)),
    case("FigureImageType-missing", "FigureImageType", FIG, drop(FIG, A, s("ImageObject"))),
    case("FigureName-language-tagged", "FigureName", FIG, swap(FIG, s("name"), TITLE + "@en")),
    case("FigureName-empty", "FigureName", FIG, swap(FIG, s("name"), '""')),
    case("FigureName-two", "FigureName", FIG, add((FIG, s("name"), '"Capsule biosynthesis"'))),
    case(
        "FigureIdentifier-not-a-figid",
        "FigureIdentifier",
        FIG,
        swap(FIG, s("identifier"), '"pgen.0020031.g001"'),
    ),
    case("FigureIdentifier-two", "FigureIdentifier", FIG, add((FIG, s("identifier"), '"PMC1391919__F1"'))),
    case(
        "FigureLicense-not-cc0",
        "FigureLicense",
        FIG,
        swap(FIG, s("license"), "<https://creativecommons.org/licenses/by/4.0/>"),
    ),
    case("FigurePaper-untyped", "FigurePaper", FIG, drop(PAPER, A, s("ScholarlyArticle"))),
    case("FigurePaper-missing", "FigurePaper", FIG, drop(FIG, s("isPartOf"))),
    case("FigureDescription-two", "FigureDescription", FIG, add((FIG, s("description"), '"Capsule."'))),
    case(
        "FigureDescription-language-tagged",
        "FigureDescription",
        FIG,
        swap(FIG, s("description"), '"Capsule."@en'),
    ),
    case("FigureCreator-untyped", "FigureCreator", FIG, drop(ORG, A, s("Organization"))),
    case("FigureCreator-missing", "FigureCreator", FIG, drop(FIG, s("creator"))),
    case(
        "FigureContentUrl-not-pmc",
        "FigureContentUrl",
        FIG,
        swap(FIG, s("contentUrl"), "<https://example.org/pgen.0020031.g001.jpg>"),
    ),
    case(
        "FigureContentUrl-literal",
        "FigureContentUrl",
        FIG,
        swap(FIG, s("contentUrl"), '"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1391919/bin/g001.jpg"'),
    ),
    case("FigurePosition-integer", "FigurePosition", FIG, swap(FIG, s("position"), xsd("1", "integer"))),
    case("FigureScore-plain-string", "FigureScore", FIG, swap(FIG, pf("pathwayScore"), '"0.8734195"')),
    case("FigureScore-double", "FigureScore", FIG, swap(FIG, pf("pathwayScore"), xsd("0.5", "double"))),
    case("FigureScore-ill-formed", "FigureScore", FIG, swap(FIG, pf("pathwayScore"), xsd("high", "decimal"))),
    case("FigureScore-above-one", "FigureScore", FIG, swap(FIG, pf("pathwayScore"), xsd("1.5", "decimal"))),
    case("FigureScore-below-zero", "FigureScore", FIG, swap(FIG, pf("pathwayScore"), xsd("-0.1", "decimal"))),
    case("FigureScore-two", "FigureScore", FIG, add((FIG, pf("pathwayScore"), xsd("0.5", "decimal")))),
    case("FigureOrganism-untyped", "FigureOrganism", FIG, drop(HUMAN, A, s("Taxon"))),
    case(
        "FigureOrganism-not-ncbitaxon",
        "FigureOrganism",
        FIG,
        add(
            (FIG, wp("organism"), "<https://identifiers.org/taxonomy/9606>"),
            ("<https://identifiers.org/taxonomy/9606>", A, s("Taxon")),
        ),
    ),
    case("FigureOrganismName-empty", "FigureOrganismName", FIG, swap(FIG, wp("organismName"), '""')),
    case(
        "FigureOrganismName-language-tagged",
        "FigureOrganismName",
        FIG,
        swap(FIG, wp("organismName"), '"Homo sapiens"@la'),
    ),
    case(
        "FigureMentions-untyped-node",
        "FigureMentions",
        FIG,
        add((FIG, s("mentions"), "<https://example.org/capsule>")),
    ),
    case("FigureMentions-literal", "FigureMentions", FIG, add((FIG, s("mentions"), '"UXS1"'))),
    case("FigureMentions-paper", "FigureMentions", FIG, add((FIG, s("mentions"), PAPER))),
    case("FigureMentionsGene-only-chemicals", "FigureMentionsGene", FIG, drop(FIG, s("mentions"), GENE)),
    # BioschemasDatasetShape
    case("BioschemasDescription-missing", "BioschemasDescription", FIG, drop(FIG, s("description"))),
    case("BioschemasIdentifier-missing", "BioschemasIdentifier", FIG, drop(FIG, s("identifier"))),
    case("BioschemasKeywords-missing", "BioschemasKeywords", FIG, drop(FIG, s("keywords"))),
    case(
        "BioschemasKeywords-language-tagged", "BioschemasKeywords", FIG, swap(FIG, s("keywords"), '"UXS1"@en')
    ),
    case("BioschemasLicense-missing", "BioschemasLicense", FIG, drop(FIG, s("license"))),
    case("BioschemasName-missing", "BioschemasName", FIG, drop(FIG, s("name"))),
    case("BioschemasUrl-missing", "BioschemasUrl", FIG, drop(FIG, s("url"))),
    case("BioschemasUrl-literal", "BioschemasUrl", FIG, swap(FIG, s("url"), f'"{FIG[1:-1]}"')),
    # CreatorShape
    case("CreatorShape-blank-node", "CreatorShape", "_:", sub(ORG, "_:wikipathways")),
    case("CreatorName-missing", "CreatorName", ORG, drop(ORG, s("name"))),
    case("CreatorName-two", "CreatorName", ORG, add((ORG, s("name"), '"WikiPathways.org"'))),
    case("CreatorName-language-tagged", "CreatorName", ORG, swap(ORG, s("name"), '"WikiPathways"@en')),
    # PaperShape
    case(
        "PaperShape-iri-without-PMC",
        "PaperShape",
        "<https://identifiers.org/pmc/1391919>",
        sub(PAPER, "<https://identifiers.org/pmc/1391919>"),
    ),
    case("PaperIdentifier-not-a-pmcid", "PaperIdentifier", PAPER, swap(PAPER, s("identifier"), '"1391919"')),
    case("PaperIdentifier-missing", "PaperIdentifier", PAPER, drop(PAPER, s("identifier"))),
    case("PaperName-two", "PaperName", PAPER, add((PAPER, s("name"), '"Capsular loci."'))),
    case("PaperName-language-tagged", "PaperName", PAPER, swap(PAPER, s("name"), '"Capsular loci."@en')),
    case("PaperName-empty", "PaperName", PAPER, swap(PAPER, s("name"), '""')),
    case("PaperNameWarning-missing", "PaperNameWarning", PAPER, drop(PAPER, s("name"))),
    case(
        "PaperDatePublished-date",
        "PaperDatePublished",
        PAPER,
        swap(PAPER, s("datePublished"), xsd("2006-03-01", "date")),
    ),
    case(
        "PaperDatePublished-plain-string",
        "PaperDatePublished",
        PAPER,
        swap(PAPER, s("datePublished"), '"2006"'),
    ),
    case(
        "PaperDatePublished-two",
        "PaperDatePublished",
        PAPER,
        add((PAPER, s("datePublished"), xsd("2005", "gYear"))),
    ),
    case(
        "PaperDatePublishedWarning-missing",
        "PaperDatePublishedWarning",
        PAPER,
        drop(PAPER, s("datePublished")),
    ),
    case(
        "PaperBibliographicCitation-two",
        "PaperBibliographicCitation",
        PAPER,
        add((PAPER, f"<{DCTERMS}bibliographicCitation>", '"PLoS Genet 2006."')),
    ),
    case(
        "PaperSameAs-not-doi",
        "PaperSameAs",
        PAPER,
        add((PAPER, s("sameAs"), "<https://pubmed.ncbi.nlm.nih.gov/16518465/>")),
    ),
    case(
        "PaperSameAs-doi-literal",
        "PaperSameAs",
        PAPER,
        add((PAPER, s("sameAs"), '"https://doi.org/10.1371/journal.pgen.0020031"')),
    ),
    case(
        "PaperUrl-not-pmc",
        "PaperUrl",
        PAPER,
        swap(PAPER, s("url"), "<https://europepmc.org/article/PMC/PMC1391919>"),
    ),
    case(
        "PaperKeywords-language-tagged", "PaperKeywords", PAPER, add((PAPER, s("keywords"), '"capsule"@en'))
    ),
    # GeneShape
    case(
        "GeneShape-iri-not-ncbigene",
        "GeneShape",
        "<https://identifiers.org/hgnc.symbol/UXS1.gene>",
        sub(GENE, "<https://identifiers.org/hgnc.symbol/UXS1.gene>"),
    ),
    case("GeneIdentifier-symbol", "GeneIdentifier", GENE, swap(GENE, s("identifier"), '"UXS1"')),
    case(
        "GeneIdentifier-integer", "GeneIdentifier", GENE, swap(GENE, s("identifier"), xsd("80146", "integer"))
    ),
    case("GeneName-missing", "GeneName", GENE, drop(GENE, s("name"))),
    case("GeneName-empty", "GeneName", GENE, swap(GENE, s("name"), '""')),
    case("GeneName-language-tagged", "GeneName", GENE, swap(GENE, s("name"), '"UXS1"@en')),
    case("GeneName-two", "GeneName", GENE, add((GENE, s("name"), '"SDR6E1"'))),
    case("GeneBdbEntrezGene-missing", "GeneBdbEntrezGene", GENE, drop(GENE, wp("bdbEntrezGene"))),
    case("GeneBdbEntrezGene-literal", "GeneBdbEntrezGene", GENE, swap(GENE, wp("bdbEntrezGene"), '"80146"')),
    case(
        "GeneBdbHgncSymbol-hgnc-id",
        "GeneBdbHgncSymbol",
        GENE,
        swap(GENE, wp("bdbHgncSymbol"), "<https://identifiers.org/hgnc/17729>"),
    ),
    case(
        "GeneBdbHgncSymbol-two",
        "GeneBdbHgncSymbol",
        GENE,
        add((GENE, wp("bdbHgncSymbol"), "<https://identifiers.org/hgnc.symbol/SDR6E1>")),
    ),
    case(
        "GeneTaxonomicRange-two",
        "GeneTaxonomicRange",
        GENE,
        add(
            (GENE, s("taxonomicRange"), MOUSE),
            (MOUSE, A, s("Taxon")),
            (MOUSE, s("name"), '"Mus musculus"'),
            (MOUSE, s("identifier"), '"10090"'),
        ),
    ),
    case(
        "GeneTaxonomicRange-undescribed-taxon",
        "GeneTaxonomicRange",
        GENE,
        swap(GENE, s("taxonomicRange"), "<http://purl.obolibrary.org/obo/NCBITaxon_99999>"),
    ),
    # OrganismShape
    case(
        "OrganismShape-iri-not-obo",
        "OrganismShape",
        "<https://identifiers.org/taxonomy/9606>",
        sub(HUMAN, "<https://identifiers.org/taxonomy/9606>"),
    ),
    case(
        "OrganismIdentifier-curie",
        "OrganismIdentifier",
        HUMAN,
        swap(HUMAN, s("identifier"), '"NCBITaxon:9606"'),
    ),
    case("OrganismIdentifier-missing", "OrganismIdentifier", HUMAN, drop(HUMAN, s("identifier"))),
    case("OrganismName-missing", "OrganismName", HUMAN, drop(HUMAN, s("name"))),
    case("OrganismName-two", "OrganismName", HUMAN, add((HUMAN, s("name"), '"Homo sapiens sapiens"'))),
    case(
        "OrganismAlternateName-two", "OrganismAlternateName", HUMAN, add((HUMAN, s("alternateName"), '"Man"'))
    ),
    case(
        "OrganismAlternateName-language-tagged",
        "OrganismAlternateName",
        HUMAN,
        swap(HUMAN, s("alternateName"), '"Human"@en'),
    ),
    # ChemicalShape (sidecar record PMC5883377)
    case(
        "ChemicalShape-iri-not-mesh",
        "ChemicalShape",
        "<http://id.nlm.nih.gov/mesh/calcium>",
        sub(CHEM, "<http://id.nlm.nih.gov/mesh/calcium>"),
        base="sidecar",
    ),
    case(
        "ChemicalIdentifier-curie",
        "ChemicalIdentifier",
        CHEM,
        swap(CHEM, s("identifier"), '"mesh:D002118"'),
        base="sidecar",
    ),
    case(
        "ChemicalIdentifier-missing", "ChemicalIdentifier", CHEM, drop(CHEM, s("identifier")), base="sidecar"
    ),
    case("ChemicalName-two", "ChemicalName", CHEM, add((CHEM, s("name"), '"calcium atom"')), base="sidecar"),
    case(
        "ChemicalName-language-tagged",
        "ChemicalName",
        CHEM,
        swap(CHEM, s("name"), '"Calcium"@en'),
        base="sidecar",
    ),
    case(
        "ChemicalBdbChEBI-obo-purl",
        "ChemicalBdbChEBI",
        CHEM,
        swap(CHEM, wp("bdbChEBI"), "<http://purl.obolibrary.org/obo/CHEBI_22984>"),
        base="sidecar",
    ),
    case(
        "ChemicalBdbChEBI-two",
        "ChemicalBdbChEBI",
        CHEM,
        add((CHEM, wp("bdbChEBI"), "<https://identifiers.org/chebi/CHEBI:29108>")),
        base="sidecar",
    ),
    # DiseaseShape
    case(
        "DiseaseShape-iri-not-mesh",
        "DiseaseShape",
        "<http://id.nlm.nih.gov/mesh/ataxia>",
        sub(DISEASE, "<http://id.nlm.nih.gov/mesh/ataxia>"),
        base="sidecar",
    ),
    case(
        "DiseaseIdentifier-word",
        "DiseaseIdentifier",
        DISEASE,
        swap(DISEASE, s("identifier"), '"ataxia"'),
        base="sidecar",
    ),
    case(
        "DiseaseIdentifier-two",
        "DiseaseIdentifier",
        DISEASE,
        add((DISEASE, s("identifier"), '"DOID:0050753"')),
        base="sidecar",
    ),
    case(
        "DiseaseName-two",
        "DiseaseName",
        DISEASE,
        add((DISEASE, s("name"), '"Ataxia"'), (DISEASE, s("name"), '"CARS Ataxia"')),
        base="sidecar",
    ),
    case(
        "DiseaseName-integer",
        "DiseaseName",
        DISEASE,
        add((DISEASE, s("name"), xsd("1", "integer"))),
        base="sidecar",
    ),
    case(
        "DiseaseSameAs-not-doid",
        "DiseaseSameAs",
        DISEASE,
        add((DISEASE, s("sameAs"), "<https://identifiers.org/DOID:0050753>")),
        base="sidecar",
    ),
    # MentionShape
    case(
        "MentionShape-mention-0",
        "MentionShape",
        f"<{figure_iri(INLINE)}#mention-0>",
        sub(M1, f"<{figure_iri(INLINE)}#mention-0>"),
    ),
    case("MentionHasBody-two", "MentionHasBody", M1, add((M1, oa("hasBody"), GALACTOSE))),
    case("MentionHasBody-missing", "MentionHasBody", M1, drop(M1, oa("hasBody"))),
    case(
        "MentionHasBody-untyped", "MentionHasBody", M1, swap(M1, oa("hasBody"), "<https://example.org/UXS1>")
    ),
    case("MentionHasBody-paper", "MentionHasBody", M1, swap(M1, oa("hasBody"), PAPER)),
    case("MentionHasTarget-missing", "MentionHasTarget", M1, drop(M1, oa("hasTarget"))),
    case("MentionHasTarget-paper", "MentionHasTarget", M1, swap(M1, oa("hasTarget"), PAPER)),
    case("MentionMotivatedBy-tagging", "MentionMotivatedBy", M1, swap(M1, oa("motivatedBy"), oa("tagging"))),
    case("MentionMotivatedBy-missing", "MentionMotivatedBy", M1, drop(M1, oa("motivatedBy"))),
    case("MentionOcrText-missing", "MentionOcrText", M1, drop(M1, pf("ocrText"))),
    case("MentionOcrText-language-tagged", "MentionOcrText", M1, swap(M1, pf("ocrText"), '"Ugd"@en')),
    case("MentionMatchedText-two", "MentionMatchedText", M1, add((M1, pf("matchedText"), '"UGDH"'))),
    case(
        "MentionMatchedText-language-tagged",
        "MentionMatchedText",
        M1,
        swap(M1, pf("matchedText"), '"UGD"@en'),
    ),
    case(
        "MentionMatchSource-undescribed",
        "MentionMatchSource",
        M1,
        swap(M1, pf("matchSource"), pf("hgnc_symbol")),
    ),
    case("MentionMatchSource-missing", "MentionMatchSource", M1, drop(M1, pf("matchSource"))),
    case(
        "MentionMatchSourceWarning-synonym",
        "MentionMatchSourceWarning",
        M1_B,
        chain(
            swap(M1_B, pf("matchSource"), pf("ncbigene_synonym")),
            add(
                (pf("ncbigene_synonym"), A, pf("MatchSource")),
                (pf("ncbigene_synonym"), RDFS_LABEL, '"NCBI Gene synonym"'),
                (pf("ncbigene_synonym"), pf("matchKind"), pf("SynonymMatch")),
            ),
        ),
        base="sidecar",
    ),
    case(
        "MentionCountDirect-negative",
        "MentionCountDirect",
        M1_B,
        swap(M1_B, pf("countDirect"), xsd("-1", "integer")),
        base="sidecar",
    ),
    case(
        "MentionCountDirect-plain-string",
        "MentionCountDirect",
        M1_B,
        swap(M1_B, pf("countDirect"), '"2"'),
        base="sidecar",
    ),
    case(
        "MentionCountSynonym-decimal",
        "MentionCountSynonym",
        M1_B,
        swap(M1_B, pf("countSynonym"), xsd("13.5", "decimal")),
        base="sidecar",
    ),
    case(
        "MentionCountSynonym-two",
        "MentionCountSynonym",
        M1_B,
        add((M1_B, pf("countSynonym"), xsd("12", "integer"))),
        base="sidecar",
    ),
    case(
        "MentionCountMatch-negative",
        "MentionCountMatch",
        M1_B,
        swap(M1_B, pf("countMatch"), xsd("-14", "integer")),
        base="sidecar",
    ),
    case(
        "MentionCountMatch-two",
        "MentionCountMatch",
        M1_B,
        add((M1_B, pf("countMatch"), xsd("15", "integer"))),
        base="sidecar",
    ),
    # MatchSourceShape
    case(
        "MatchSourceShape-blank-node",
        "MatchSourceShape",
        "_:",
        sub(SRC_NCBI, "_:ncbigene_symbol"),
        base="sidecar",
    ),
    case(
        "MatchSourceLabel-missing", "MatchSourceLabel", SRC_NCBI, drop(SRC_NCBI, RDFS_LABEL), base="sidecar"
    ),
    case(
        "MatchSourceLabel-two",
        "MatchSourceLabel",
        SRC_NCBI,
        add((SRC_NCBI, RDFS_LABEL, '"NCBI symbol"')),
        base="sidecar",
    ),
    case(
        "MatchSourceMatchKind-unknown-kind",
        "MatchSourceMatchKind",
        SRC_NCBI,
        swap(SRC_NCBI, pf("matchKind"), pf("GuessMatch")),
        base="sidecar",
    ),
    case(
        "MatchSourceMatchKind-missing",
        "MatchSourceMatchKind",
        SRC_NCBI,
        drop(SRC_NCBI, pf("matchKind")),
        base="sidecar",
    ),
    case(
        "MatchSourceMatchKind-two",
        "MatchSourceMatchKind",
        SRC_NCBI,
        add((SRC_NCBI, pf("matchKind"), pf("AliasMatch"))),
        base="sidecar",
    ),
]


class Checker:
    """Both engines' gates, with results remembered per (engine, graph): pySHACL takes ~50 ms a graph."""

    def __init__(self) -> None:
        self.gates = {engine: Gate(shape_files(), engine) for engine in ENGINES}
        self._seen: dict[tuple[str, str], tuple] = {}

    def check(self, engine: str, text: str) -> tuple:
        key = (engine, text)
        if key not in self._seen:
            self._seen[key] = self.gates[engine].check(text)
        return self._seen[key]


@pytest.fixture(scope="module")
def gates() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def base_graphs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The N-Triples of one real record each, as the gate sees them (a one-figure build writes all
    of the figure's triples and of the entity nodes it links to)."""
    graphs = {}
    for name, figid, tsv in (("inline", INLINE, None), ("sidecar", SIDECAR, {"genes": tsv_rows(3)})):
        root = tmp_path_factory.mktemp(f"base-{name}")
        clone_record(root, figid, tsv=tsv)
        build = run_build(root / "out", root)
        assert (build.report["figures_written"], build.report["quarantined"]) == (1, []), build.report
        graphs[name] = build.nt.decode("utf-8")
    return graphs


def _matches(result: ShaclResult, focus: str, shape: str) -> bool:
    focus_ok = result.focus_node.startswith("_:") if focus == "_:" else result.focus_node == focus
    return (
        focus_ok
        and result.source_shape == f"<{SHAPES_NS}{shape}>"
        and result.severity == severity(shape)
        and result.message == message(shape)
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("base", ["inline", "sidecar"])
def test_unedited_graph_has_no_violation(
    base: str, engine: str, gates: Checker, base_graphs: dict[str, str]
) -> None:
    results = gates.check(engine, base_graphs[base])
    assert [r for r in results if r.severity == SH_VIOLATION] == []
    # the only warnings are for family / alias-matched genes
    shapes = {r.source_shape for r in results}
    assert shapes == {f"<{SHAPES_NS}MentionMatchSourceWarning>"}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("graph_case", GRAPH_CASES)
def test_graph_case(graph_case: GraphCase, engine: str, gates: Checker, base_graphs: dict[str, str]) -> None:
    base = base_graphs[graph_case.base]
    edited = graph_case.edit(base)
    assert edited != base
    before = [r for r in gates.check(engine, base) if _matches(r, graph_case.focus, graph_case.shape)]
    assert before == [], "the unedited graph already breaks the shape"
    results = gates.check(engine, edited)
    found = [r for r in results if _matches(r, graph_case.focus, graph_case.shape)]
    assert found, (
        f"expected {severity(graph_case.shape)} from {graph_case.shape} on {graph_case.focus}; got\n"
        + "\n".join(f"  {r.severity_name} {r.source_shape} {r.focus_node} {r.message}" for r in results)
    )


def test_engines_agree_on_graph_cases(gates: Checker, base_graphs: dict[str, str]) -> None:
    """Same (focus, path, component, severity, shape, value) from both engines, blank nodes aside —
    except where pySHACL is known to differ (below)."""
    differences = {}
    for param in GRAPH_CASES:
        graph_case: GraphCase = param.values[0]
        edited = graph_case.edit(base_graphs[graph_case.base])
        found = {}
        for engine in ENGINES:
            found[engine] = {
                (
                    r.focus_node if not r.focus_node.startswith("_:") else "_:",
                    r.path,
                    r.component,
                    r.severity,
                    r.source_shape,
                    r.value if r.value is None or not r.value.startswith("_:") else "_:",
                    r.message,
                )
                for r in gates.check(engine, edited)
            }
        if found["shacl"] != found["pyshacl"]:
            differences[graph_case.id] = (
                found["shacl"] - found["pyshacl"],
                found["pyshacl"] - found["shacl"],
            )
    # pySHACL (0.40) reports no sh:maxInclusive result for an ill-formed "high"^^xsd:decimal;
    # SHACL 4.3.4 says a value that cannot be compared is a result, as `shacl` reports.
    assert set(differences) == {"FigureScore-ill-formed"}, differences


# --- record cases: real records edited, then `kg build` ------------------------------------------

COMPANIONS = ("PMC1391919__pgen.0020031.g001", "PMC10957088__pbio.3002543.g006")  # inline, sidecar
SEED = "PMC2776288__ajtr0001-0001-f3"
GR8 = "PMC10031279__gr8"
POPPY = "PMC10017456__fpls-14-1084358-g002"


@dataclass(frozen=True)
class RecordCase:
    id: str
    figid: str
    shapes: tuple[str, ...]  # every shape whose message must appear
    md: Callable[[str], str] | None = None
    tsv: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    focus: str = "figure"  # "figure", "paper" or an N-Triples term
    count: int = 1  # results per shape
    field_warning: str | None = None  # a reader warning (report.json `warnings`) expected too

    @property
    def quarantined(self) -> bool:
        return any(severity(s) == SH_VIOLATION for s in self.shapes)


def rcase(*args: object, **kwargs: object) -> object:
    record_case = RecordCase(*args, **kwargs)  # type: ignore[arg-type]
    return pytest.param(record_case, id=record_case.id)


RECORD_CASES = [
    rcase("no-figtitle", SEED, ("FigureName", "BioschemasName"), md=drop_key("figtitle")),
    rcase("pathway_score-1.5", SEED, ("FigureScore",), md=set_key("pathway_score", "1.5")),
    rcase("pathway_score-negative", SEED, ("FigureScore",), md=set_key("pathway_score", "-0.25")),
    rcase("automl_pathway-above-one", GR8, ("FigureScore",), md=set_key("automl_pathway", "1.0000001")),
    rcase("empty-jsonld-keywords", SEED, ("BioschemasKeywords",), md=empty_block_keywords),
    rcase(
        "no-caption-no-jsonld-description",
        SEED,
        ("BioschemasDescription",),
        md=both(drop_key("caption"), drop_block_description),
    ),
    rcase(
        "sidecar-no-caption-no-jsonld-description",
        GR8,
        ("BioschemasDescription",),
        md=both(drop_key("caption"), drop_block_description),
    ),
    rcase("no-year", SEED, ("PaperDatePublishedWarning",), md=drop_key("year"), focus="paper"),
    rcase(
        "year-not-a-year",
        GR8,
        ("PaperDatePublishedWarning",),
        md=set_key("year", "'c. 2023'"),
        focus="paper",
        field_warning="year 'c. 2023' is not a four-digit year; value dropped",
    ),
    rcase("no-papertitle", SEED, ("PaperNameWarning",), md=drop_key("papertitle"), focus="paper"),
    rcase(
        "no-papertitle-no-year",
        GR8,
        ("PaperNameWarning", "PaperDatePublishedWarning"),
        md=both(drop_key("papertitle"), drop_key("year")),
        focus="paper",
    ),
    rcase(
        "inline-no-genes",
        SEED,
        ("FigureMentionsGene",),
        md=lambda t: re.sub(r"(?m)^genes:\n(?:[- ] .*\n)+", "genes: []\n", t, count=1),
    ),
    rcase("sidecar-no-genes-table", POPPY, ("FigureMentionsGene",), tsv={"genes": lambda t: None}),
    rcase(
        "exact-match-turned-previous-symbol",
        SEED,
        ("MentionMatchSourceWarning",),
        md=lambda t: t.replace(
            "source: hgnc_symbol\n  hgnc_symbol: XIAP", "source: hgnc_prev_symbol\n  hgnc_symbol: XIAP"
        ),
        focus=f"<{figure_iri(SEED)}#mention-1>",
    ),
]


@functools.lru_cache(maxsize=8)
def _validation_results(outdir: Path) -> list[dict[str, str]]:
    """The results in OUTDIR/validation.ttl (parsed once per folder)."""
    store = pyoxigraph.Store()
    store.load(path=str(outdir / "validation.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    rows = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?focus ?shape ?severity ?message WHERE {"
        " ?report a sh:ValidationReport ; sh:result ?r . ?r sh:focusNode ?focus ; sh:sourceShape ?shape ;"
        " sh:resultSeverity ?severity ; sh:resultMessage ?message }"
    )
    return [
        {
            "focus": str(r["focus"]),
            "shape": r["shape"].value.removeprefix(SHAPES_NS),
            "severity": str(r["severity"]),
            "message": r["message"].value,
        }
        for r in rows
    ]


def _figures_in(build: Build) -> set[str]:
    return {
        r["f"].rsplit("/", 1)[1].removesuffix(".html")
        for r in build.select("SELECT ?f WHERE { ?f a schema:Dataset }")
    }


@pytest.mark.parametrize("record_case", RECORD_CASES)
def test_record_case(record_case: RecordCase, tmp_path: Path) -> None:
    root = tmp_path / "db"
    for figid in COMPANIONS:
        clone_record(root, figid)
    figid = clone_record(root, record_case.figid, md=record_case.md, tsv=record_case.tsv)
    build = run_build(tmp_path / "out", root)
    report = build.report
    if record_case.focus == "figure":
        focus = fig_term(figid)
    elif record_case.focus == "paper":
        focus = f"<https://identifiers.org/pmc/{figid.split('__')[0]}>"
    else:
        focus = record_case.focus
    assert report["records_read"] == 3
    assert set(COMPANIONS) <= _figures_in(build)  # the rest of the run goes on
    by_message = report["validation"]["by_message"]
    results = _validation_results(tmp_path / "out")
    for shape in record_case.shapes:
        sev = severity(shape)
        assert by_message[sev.rsplit("#", 1)[1].rstrip(">")][message(shape)] >= record_case.count
        hits = [r for r in results if r["shape"] == shape and r["focus"] == focus]
        assert len(hits) == record_case.count, (shape, results)
        assert all(r["severity"] == sev and r["message"] == message(shape) for r in hits)
    quarantine = tmp_path / "out" / "quarantine"
    if record_case.quarantined:
        assert [q["figid"] for q in report["quarantined"]] == [figid]
        reason = report["quarantined"][0]["reason"]
        assert reason.startswith("fails the shapes: ")
        for shape in record_case.shapes:
            assert message(shape) in reason
        assert report["quarantined"][0]["file"].endswith(f"_figures/{figid}.md")
        assert report["figures_written"] == 2
        assert figid not in _figures_in(build)
        assert figure_iri(figid).encode() not in build.nt
        assert sorted(p.name for p in quarantine.iterdir()) == [f"{figid}.ttl"]
        held = (quarantine / f"{figid}.ttl").read_bytes()
        triples = list(pyoxigraph.parse(held, pyoxigraph.RdfFormat.TURTLE))
        subjects = {str(t.subject) for t in triples}
        assert fig_term(figid) in subjects and len(triples) > 10
        header = held.decode("utf-8").split("\n\n", 1)[0]
        for shape in record_case.shapes:
            assert message(shape) in header
        assert report["validation"]["violations"] >= 1
    else:
        assert report["quarantined"] == []
        assert report["figures_written"] == 3
        assert figid in _figures_in(build)
        assert list(quarantine.iterdir()) == []
        assert report["validation"]["violations"] == 0
    if record_case.field_warning is not None:
        assert record_case.field_warning in [w["reason"] for w in report["warnings"]]


def test_unedited_companions_and_sources_have_no_violation(tmp_path: Path) -> None:
    """The conforming side of every record case: the records edited above, unedited."""
    root = tmp_path / "db"
    for figid in {*COMPANIONS, SEED, GR8, POPPY}:
        clone_record(root, figid)
    build = run_build(tmp_path / "out", root)
    assert build.report["quarantined"] == []
    assert build.report["validation"]["violations"] == 0
    by_message = build.report["validation"]["by_message"]["Warning"]
    assert set(by_message) == {message("MentionMatchSourceWarning")}


def test_gene_row_with_unnamed_organism_does_not_quarantine_the_figure(tmp_path: Path) -> None:
    root = tmp_path / "db"
    figid = clone_record(
        root,
        GR8,
        tsv={"genes": both(tsv_cell(1, "organism_id", "99999"), tsv_cell(1, "organism_name", "NA"))},
    )
    build = run_build(tmp_path / "out", root)
    assert build.report["quarantined"] == []
    assert figid in _figures_in(build)


def test_unknown_match_source_is_exported_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "db"
    figid = clone_record(root, GR8, tsv={"genes": tsv_cell(1, "source", "pubtator_symbol")})
    build = run_build(tmp_path / "out", root)
    assert build.report["quarantined"] == []
    assert figid in _figures_in(build)
    assert any("unknown match source 'pubtator_symbol'" in w["reason"] for w in build.report["warnings"])
    # exported, and flagged by the gate like any match that is not an exact symbol match
    warned = build.report["validation"]["by_message"]["Warning"]
    assert message("MentionMatchSourceWarning") in warned


# --- the conforming side: the whole sample, plus DOID diseases -----------------------------------

DOID_COPY = "PMC95883377__CN-16-151_F1B"


@pytest.fixture(scope="module")
def conforming_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The full sample, plus PMC5883377 copied with DOIDs in its diseases table (no sample record
    has one, nor a disease name): a MeSH disease with a DOID (schema:sameAs) and a disease known
    only by its DOID, with a name. The
    MeSH id is changed too (to Spinocerebellar Ataxias): a disease node shared with the original
    record would be written with the original's description, the first one exported."""
    root = tmp_path_factory.mktemp("conforming") / "db"
    shutil.copytree(SAMPLE, root)
    clone_record(
        root,
        "PMC5883377__CN-16-151_F1B",
        "PMC95883377",
        tsv={
            "diseases": both(
                tsv_cell(1, "mesh", "mesh:D020754"),
                tsv_cell(1, "doid", "doid:0050753"),
                tsv_append("SCA", "NA", "NA", "spinocerebellar ataxia", "doid:1440"),
            )
        },
    )
    return run_build(root.parent / "out", root)


def test_conforming_build_has_no_violation(conforming_build: Build) -> None:
    report = conforming_build.report
    assert report["quarantined"] == []
    assert report["records_read"] == report["figures_written"] == 36
    assert report["validation"]["violations"] == 0
    assert conforming_build.ask(
        "ASK { <http://id.nlm.nih.gov/mesh/D020754> schema:sameAs <http://purl.obolibrary.org/obo/DOID_0050753> ."
        ' <http://purl.obolibrary.org/obo/DOID_1440> a schema:MedicalCondition ; schema:identifier "DOID:1440" ;'
        ' schema:name "spinocerebellar ataxia" }'
    )


def _target(node_shape: str) -> str:
    return str(SHAPES_GRAPH.value(rdflib.URIRef(SHAPES_NS + node_shape), SH.targetClass))


@pytest.mark.parametrize("shape", sorted(s for s, owner in node_shape_of().items() if s == owner))
def test_node_shape_has_conforming_nodes(shape: str, conforming_build: Build) -> None:
    """Nodes of the shape's target class exist in the build, and none broke the shape (or any of
    its property shapes) with a violation."""
    count = conforming_build.select(f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ ?n a <{_target(shape)}> }}")
    assert int(count[0]["c"]) >= 1
    owners = node_shape_of()
    results = _validation_results(conforming_build.outdir)
    assert [r for r in results if owners.get(r["shape"]) == shape and r["severity"] == SH_VIOLATION] == []


def _path(shape: str) -> str:
    return str(SHAPES_GRAPH.value(rdflib.URIRef(SHAPES_NS + shape), SH.path))


@pytest.mark.parametrize("shape", sorted(s for s, owner in node_shape_of().items() if s != owner))
def test_property_shape_is_exercised_and_satisfied(shape: str, conforming_build: Build) -> None:
    """Some node of the target class has a value on the shape's path (the shape really ran on a
    value), and the shape produced no violation in the conforming build."""
    owner = node_shape_of()[shape]
    assert conforming_build.ask(f"ASK {{ ?n a <{_target(owner)}> ; <{_path(shape)}> ?v }}")
    results = _validation_results(conforming_build.outdir)
    if severity(shape) == SH_VIOLATION:
        assert [r for r in results if r["shape"] == shape] == []
    else:  # a warning shape: some node satisfies it, i.e. has no warning
        warned = {r["focus"] for r in results if r["shape"] == shape}
        nodes = {
            f"<{r['n']}>" for r in conforming_build.select(f"SELECT ?n WHERE {{ ?n a <{_target(owner)}> }}")
        }
        assert nodes - warned


# --- meta ----------------------------------------------------------------------------------------


def test_messages_are_the_ones_in_the_shapes_files() -> None:
    in_files = {}
    for name, node in named_shapes().items():
        messages = [str(m) for m in SHAPES_GRAPH.objects(node, SH.message)]
        assert len(messages) <= 1, name
        in_files[name] = messages[0] if messages else ""
    assert in_files == MESSAGES


def test_warning_shapes_are_the_ones_in_the_shapes_files() -> None:
    warnings = {
        name for name, node in named_shapes().items() if (node, SH.severity, SH.Warning) in SHAPES_GRAPH
    }
    assert warnings == WARNING_SHAPES


def test_every_shape_has_a_breaking_case() -> None:
    covered = {p.values[0].shape for p in GRAPH_CASES} | {s for p in RECORD_CASES for s in p.values[0].shapes}
    owners = node_shape_of()
    missing = {name for name in named_shapes() if name not in covered}
    # a node shape without node-level constraints is broken through its property shapes
    missing = {m for m in missing if not (MESSAGES[m] == "" and any(owners[c] == m for c in covered))}
    assert missing == set()


def test_every_property_shape_belongs_to_a_node_shape() -> None:
    assert set(named_shapes()) == set(node_shape_of())
