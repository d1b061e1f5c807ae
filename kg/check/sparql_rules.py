"""The SHACL-SPARQL constraints of shapes/ as Python, for the compiled checker (kg.check.compiled).

Why by hand: a SPARQL query is not compiled in general. Each rule here is recognised by its exact
`sh:select` text (whitespace aside); a query that is not one of them, changed by a character,
makes the checker refuse the shapes (Unsupported), so they go to an engine. Each function gives
the query's DISTINCT (path, value) rows for one focus node ($this), with SPARQL's semantics for
what the shapes use: STR of a blank node is an error, and a FILTER in error keeps no row.
tests/unit/check/test_compiled_checker.py checks each against pySHACL and `shacl`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kg.check import terms

S = "http://schema.org/"
WP = "http://vocabularies.wikipathways.org/wp#"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_E: dict[str, list[str]] = {}

Rows = Iterator[tuple[str | None, str]]


class _Error(Exception):
    """A SPARQL expression error: the FILTER it is in removes the row."""


def _str(term: str) -> str:
    """SPARQL STR(): an IRI's text, a literal's lexical form; an error for a blank node."""
    value = terms.text(term)
    if value is None or term[0] == "_":
        raise _Error
    return value


def _after(text: str, marker: str) -> str:
    """SPARQL STRAFTER on simple strings."""
    at = text.find(marker)
    return "" if at < 0 else text[at + len(marker):]


def _values(graph: Any, node: str, predicate: str) -> list[str]:
    return graph.out.get(node, _E).get(f"<{predicate}>", [])


def _rows(this: str, values: list[str], differs: Callable[[str], bool]) -> Rows:
    """(None, value) for each value whose FILTER holds (an error: no row)."""
    for value in values:
        try:
            if differs(value):
                yield None, value
        except _Error:
            continue


def _identifier_is(prefixes: tuple[str, str] | None, strip: str, add: str = "") -> Callable[[str, Any], Rows]:
    """STR(?value) != the IRI's part after `strip` (or, for MeSH IRIs, after the MeSH prefix)."""
    def rule(this: str, graph: Any) -> Rows:
        def differs(value: str) -> bool:
            iri = _str(this)
            if prefixes is not None and iri.startswith(prefixes[0]):
                return _str(value) != _after(iri, prefixes[0])
            return _str(value) != add + _after(iri, strip)
        return _rows(this, _values(graph, this, S + "identifier"), differs)
    return rule


_MESH = "http://id.nlm.nih.gov/mesh/"


def counts_taxon_is_iri(this: str, graph: Any) -> Rows:
    return _rows(this, _values(graph, this, PFOCR + "taxon"),
                 lambda v: _after(_str(v), "NCBITaxon_") != _after(_str(this), "#organism-"))


def chebi_forms_agree(this: str, graph: Any) -> Rows:
    wp, obo = _values(graph, this, WP + "bdbChEBI"), _values(graph, this, SKOS + "exactMatch")

    def same(obo_term: str, wp_term: str) -> bool:
        try:
            return _after(_str(obo_term), "CHEBI_") == _after(_str(wp_term), "CHEBI:")
        except _Error:
            return False

    seen: dict[str, None] = {}
    for value in wp:
        if not any(same(o, value) for o in obo):
            seen[value] = None
    for value in obo:
        if not any(same(value, w) for w in wp):
            seen[value] = None
    return ((None, v) for v in seen)


def bdb_entrez_gene_is_self(this: str, graph: Any) -> Rows:
    return _rows(this, _values(graph, this, WP + "bdbEntrezGene"), lambda v: v != this)


def record_identifier_is_iri(this: str, graph: Any) -> Rows:
    return _rows(this, _values(graph, this, S + "identifier"),
                 lambda v: "https://pfocr.wikipathways.org/figures/" + _str(v) + ".html" != _str(this))


def _bodies(this: str, graph: Any) -> dict[str, None]:
    """?value of: $this schema:about ?image . ?annotation oa:hasTarget ?image ; oa:hasBody ?value .
    FILTER (STRSTARTS(STR(?annotation), CONCAT(STR($this), "#m-")))."""
    try:
        prefix = _str(this) + "#m-"
    except _Error:
        return {}
    found: dict[str, None] = {}
    targets = graph.inverse(f"<{OA}hasTarget>")
    for image in _values(graph, this, S + "about"):
        for annotation in targets.get(image, ()):
            if annotation[0] == "<" and annotation[1:-1].startswith(prefix):
                found.update(dict.fromkeys(_values(graph, annotation, OA + "hasBody")))
    return found


def mentions_are_bodies(this: str, graph: Any) -> Rows:
    bodies = _bodies(this, graph)
    return ((None, v) for v in _values(graph, this, S + "mentions") if v not in bodies)


def bodies_are_mentioned(this: str, graph: Any) -> Rows:
    mentions = set(_values(graph, this, S + "mentions"))
    return ((None, v) for v in _bodies(this, graph) if v not in mentions)


def gene_organisms(this: str, graph: Any) -> Rows:
    organisms = set(_values(graph, this, WP + "organism"))
    found: dict[str, None] = {}
    for gene in _values(graph, this, S + "mentions"):
        if f"<{S}Gene>" in graph.out.get(gene, _E).get(_TYPE, ()):
            found.update((v, None) for v in _values(graph, gene, S + "taxonomicRange") if v not in organisms)
    return ((None, v) for v in found)


KNOWN_PFOCR = frozenset((
    "ocrText", "matchedText", "matchSource", "matchKind", "occurrences", "pathwayScore", "figureType",
    "recognisedOrganism", "recognisedOrganismName", "organismName", "matchCounts", "taxon", "countDirect",
    "countSynonym", "countMatch", "sourceCommit"))


def known_pfocr_terms(this: str, graph: Any) -> Rows:
    found: dict[tuple[str, str], None] = {}
    for subject, by_p in graph.out.items():
        for predicate in by_p:
            if predicate.startswith(f"<{PFOCR}") and _after(predicate[1:-1], "#") not in KNOWN_PFOCR:
                found[predicate, subject] = None
    return iter(found)


def _normal(query: str) -> str:
    return " ".join(query.split())


# Each query exactly as shapes/*.ttl writes it (whitespace aside) → its rows.
RULES: dict[str, Callable[[str, Any], Rows]] = {_normal(q): f for q, f in {
    """SELECT DISTINCT $this ?value WHERE {
        $this <https://w3id.org/pfocr-kg/vocab#taxon> ?value .
        FILTER (STRAFTER(STR(?value), "NCBITaxon_") != STRAFTER(STR($this), "#organism-"))
    }""": counts_taxon_is_iri,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (STR(?value) != IF(STRSTARTS(STR($this), "http://id.nlm.nih.gov/mesh/"),
            STRAFTER(STR($this), "http://id.nlm.nih.gov/mesh/"),
            STRAFTER(STR($this), "https://identifiers.org/chebi/")))
    }""": _identifier_is((_MESH, ""), "https://identifiers.org/chebi/"),
    """SELECT DISTINCT $this ?value WHERE {
        { $this <http://vocabularies.wikipathways.org/wp#bdbChEBI> ?value .
          FILTER NOT EXISTS { $this <http://www.w3.org/2004/02/skos/core#exactMatch> ?obo .
              FILTER (STRAFTER(STR(?obo), "CHEBI_") = STRAFTER(STR(?value), "CHEBI:")) } }
        UNION
        { $this <http://www.w3.org/2004/02/skos/core#exactMatch> ?value .
          FILTER NOT EXISTS { $this <http://vocabularies.wikipathways.org/wp#bdbChEBI> ?wp .
              FILTER (STRAFTER(STR(?value), "CHEBI_") = STRAFTER(STR(?wp), "CHEBI:")) } }
    }""": chebi_forms_agree,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (STR(?value) != IF(STRSTARTS(STR($this), "http://id.nlm.nih.gov/mesh/"),
            STRAFTER(STR($this), "http://id.nlm.nih.gov/mesh/"),
            CONCAT("DOID:", STRAFTER(STR($this), "http://purl.obolibrary.org/obo/DOID_"))))
    }""": _identifier_is((_MESH, ""), "http://purl.obolibrary.org/obo/DOID_", "DOID:"),
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (STR(?value) != STRAFTER(STR($this), "https://identifiers.org/ncbigene/"))
    }""": _identifier_is(None, "https://identifiers.org/ncbigene/"),
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://vocabularies.wikipathways.org/wp#bdbEntrezGene> ?value .
        FILTER (?value != $this)
    }""": bdb_entrez_gene_is_self,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (STR(?value) != STRAFTER(STR($this), "http://purl.obolibrary.org/obo/NCBITaxon_"))
    }""": _identifier_is(None, "http://purl.obolibrary.org/obo/NCBITaxon_"),
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (STR(?value) != STRAFTER(STR($this), "https://identifiers.org/pmc/"))
    }""": _identifier_is(None, "https://identifiers.org/pmc/"),
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/identifier> ?value .
        FILTER (CONCAT("https://pfocr.wikipathways.org/figures/", STR(?value), ".html") != STR($this))
    }""": record_identifier_is_iri,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/mentions> ?value .
        FILTER NOT EXISTS {
            $this <http://schema.org/about> ?image .
            ?annotation <http://www.w3.org/ns/oa#hasTarget> ?image ; <http://www.w3.org/ns/oa#hasBody> ?value .
            FILTER (STRSTARTS(STR(?annotation), CONCAT(STR($this), "#m-")))
        }
    }""": mentions_are_bodies,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/about> ?image .
        ?annotation <http://www.w3.org/ns/oa#hasTarget> ?image ; <http://www.w3.org/ns/oa#hasBody> ?value .
        FILTER (STRSTARTS(STR(?annotation), CONCAT(STR($this), "#m-")))
        FILTER NOT EXISTS { $this <http://schema.org/mentions> ?value }
    }""": bodies_are_mentioned,
    """SELECT DISTINCT $this ?value WHERE {
        $this <http://schema.org/mentions> ?gene .
        ?gene a <http://schema.org/Gene> ; <http://schema.org/taxonomicRange> ?value .
        FILTER NOT EXISTS { $this <http://vocabularies.wikipathways.org/wp#organism> ?value }
    }""": gene_organisms,
    """SELECT DISTINCT $this ?path ?value WHERE {
        ?value ?path ?object .
        FILTER (STRSTARTS(STR(?path), "https://w3id.org/pfocr-kg/vocab#"))
        FILTER (STRAFTER(STR(?path), "#") NOT IN ("ocrText", "matchedText", "matchSource", "matchKind",
            "occurrences", "pathwayScore", "figureType", "recognisedOrganism", "recognisedOrganismName", "organismName", "matchCounts",
            "taxon", "countDirect", "countSynonym", "countMatch", "sourceCommit"))
    }""": known_pfocr_terms,
}.items()}


def rule(query: str) -> Callable[[str, Any], Rows] | None:
    """The Python of a known sh:select query, or None."""
    return RULES.get(_normal(query))
