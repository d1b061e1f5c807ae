"""What the checks should find, worked out from the shapes and the source records, never read back
from a build; and validation.ttl read back, to compare.

v2 warns once per figure or paper (no keywords, no gene, genes only from alias, synonym or family
matches, no year, no title), so the warnings of any folder of records follow from their fields
(`expected_warnings`). Messages are read from shapes/*.ttl by shape name.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import rdflib
import yaml
from rdflib.namespace import RDF, SH

from helpers import figure_iri
from kg.check.shapes import shape_files

SHAPES_NS = "https://w3id.org/pfocr-kg/shapes#"
# docs/vocabulary.md, "match source": the sources whose kind is pfocr:ExactSymbolMatch
EXACT_SOURCES = {"hgnc_symbol", "ncbigene_symbol"}
record_iri = figure_iri


# --- what the shapes say, read from shapes/*.ttl ----------------------------------------------------


@functools.cache
def shapes_graph() -> rdflib.Graph:
    """The shapes kg uses by default (shapes/) in one graph, read once: do not change it."""
    graph = rdflib.Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return graph


def shape_message(local: str) -> str:
    """The sh:message of shapes:<local>, or of its one property shape that has one (a warning
    written as `sh:property [ ... sh:message ... ]`)."""
    graph = shapes_graph()
    shape = rdflib.URIRef(SHAPES_NS + local)
    assert (shape, None, None) in graph, f"no shape {local} in shapes/"
    found = [str(m) for m in graph.objects(shape, SH.message)]
    if not found:
        for prop in graph.objects(shape, SH.property):
            found += [str(m) for m in graph.objects(prop, SH.message)]
    assert len(found) == 1, (local, found)
    return found[0]


# a shapes folder of our own (`--shapes`): every record must link an NDEx network
NETWORK_MESSAGE = "a record links its NDEx network with rdfs:seeAlso"
NETWORK_SHAPES = f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix test: <https://example.org/test-shapes#> .

test:RecordWithNetwork a sh:NodeShape ;
    sh:targetClass schema:Dataset ;
    sh:property test:RecordSeeAlso .

test:RecordSeeAlso a sh:PropertyShape ;
    sh:path rdfs:seeAlso ;
    sh:minCount 1 ;
    sh:nodeKind sh:IRI ;
    sh:message "{NETWORK_MESSAGE}" .
"""


# --- what the source records say --------------------------------------------------------------------


def paper_iri(pmcid: str) -> str:
    return f"https://identifiers.org/pmc/{pmcid}"


def annotation_iri(figid: str, word: str, source: str, matched: str | None = None) -> str:
    """The IRI of record `figid`'s annotation of `word` by `source` (see annotation_of)."""
    return annotation_of(record_iri(figid), word, source, matched)


def annotation_of(record: str, word: str, source: str, matched: str | None = None) -> str:
    """docs/vocabulary.md, "annotation": the record IRI, `#m-`, the first 12 hex digits of SHA-256
    of the UTF-8 JSON array [word, source, matched] without spaces (matched "" when absent or
    equal to the word)."""
    key = json.dumps([word, source, "" if matched in (None, word) else matched], separators=(",", ":"),
                     ensure_ascii=False)
    return f"{record}#m-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


def front_matter(root: Path, figid: str) -> dict[str, Any]:
    text = (root / "_figures" / f"{figid}.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(front, dict)
    return front


def gene_sources(root: Path, figid: str) -> list[str]:
    """The match source of every gene row that names an NCBI gene (inline `genes[]` with an
    `entrez`, or the genes TSV's rows with an `ncbigene_id`), lower case."""
    table = root / "_data" / f"{figid}-genes.tsv"
    if table.is_file():
        with table.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        return [row["source"].lower() for row in rows if row.get("ncbigene_id")]
    genes = front_matter(root, figid).get("genes") or []
    return [str(gene["source"]).lower() for gene in genes if gene.get("entrez")]


def figids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "_figures").glob("*.md"))


def expected_warnings(root: Path, only: set[str] | None = None) -> Counter[tuple[str, str]]:
    """(focus node IRI, message) of every warning the gate should give the records at `root`
    (or those of them named in `only`): one per figure or paper, whatever its number of rows."""
    out: Counter[tuple[str, str]] = Counter()
    for figid in figids(root):
        if only is not None and figid not in only:
            continue
        front = front_matter(root, figid)
        sources = gene_sources(root, figid)
        if not sources:
            out[record_iri(figid), shape_message("RecordMentionsGene")] += 1
        elif not set(sources) & EXACT_SOURCES:
            out[record_iri(figid), shape_message("RecordExactGeneWarning")] += 1
        if not (front.get("schema-jsonld") or {}).get("keywords"):
            out[record_iri(figid), shape_message("RecordKeywordsWarning")] += 1
        # a paper's results are recorded once a build, however many of its figures there are
        if not front.get("year"):
            out[paper_iri(front["pmcid"]), shape_message("PaperDatePublishedWarning")] = 1
        if not front.get("papertitle"):
            out[paper_iri(front["pmcid"]), shape_message("PaperNameWarning")] = 1
    return out


# --- validation.ttl, read back ----------------------------------------------------------------------


def report_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def one_report(graph: rdflib.Graph) -> rdflib.term.Node:
    """The one sh:ValidationReport node of a report graph."""
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    return reports[0]


def results(outdir: Path, severity: rdflib.URIRef | None = None) -> Counter[tuple[str, str]]:
    """validation.ttl's results as (focus node, message), of one severity or all."""
    graph = report_graph(outdir / "validation.ttl")
    out: Counter[tuple[str, str]] = Counter()
    for result in graph.objects(one_report(graph), SH.result):
        if severity is None or graph.value(result, SH.resultSeverity) == severity:
            out[str(graph.value(result, SH.focusNode)), str(graph.value(result, SH.resultMessage))] += 1
    return out
