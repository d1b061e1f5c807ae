"""Annotation nodes (`<record>#m-<hash>`, oa:Annotation) and the match sources they point to.

One annotation per distinct (OCR word, match source, matched text) of a figure, with every entity
that word was resolved to as a body (a family word has several). Keeps how each entity was
recognised, because alias and family matches are often wrong and users must be able to filter
them out.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from kg import iris
from kg.map.terms import LABEL, A, oa, pfocr, remember
from kg.rdf import Triple, integer, ref, text


@dataclass(frozen=True, slots=True)
class MatchSource:
    label: str
    kind: str  # local name of the pfocr:MatchKind individual
    bodies: str  # what its annotations' bodies are: "gene", "chemical", "disease" or "term"


# Every match source PFOCR uses (pfocr-sample README), how trustworthy its matches are, and what
# they match: a gene source never names a chemical (the shapes check it).
MATCH_SOURCES: dict[str, MatchSource] = {
    "hgnc_symbol": MatchSource("HGNC approved symbol", "ExactSymbolMatch", "gene"),
    "ncbigene_symbol": MatchSource("NCBI Gene symbol", "ExactSymbolMatch", "gene"),
    "hgnc_alias_symbol": MatchSource("HGNC alias symbol", "AliasMatch", "gene"),
    "hgnc_prev_symbol": MatchSource("HGNC previous symbol", "PreviousSymbolMatch", "gene"),
    "ncbigene_synonym": MatchSource("NCBI Gene synonym", "SynonymMatch", "gene"),
    "bioentities_symbol": MatchSource("Bioentities (FamPlex) family expanded to members", "FamilyMatch", "gene"),
    "famplex_relations": MatchSource("FamPlex family expanded to members", "FamilyMatch", "gene"),
    "mesh": MatchSource("MeSH term", "TermMatch", "term"),
    "chebi": MatchSource("ChEBI name", "TermMatch", "chemical"),
    "doid": MatchSource("Disease Ontology term", "TermMatch", "disease"),
}
UNKNOWN = MatchSource("match source not known to pfocr-kg", "UnknownMatch", "any")

_ANNOTATION = oa("Annotation")
_HAS_BODY = oa("hasBody")
_HAS_TARGET = oa("hasTarget")
_OCR_TEXT = pfocr("ocrText")
_MATCHED_TEXT = pfocr("matchedText")
_MATCH_SOURCE = pfocr("matchSource")
_OCCURRENCES = pfocr("occurrences")
_SOURCE_BLOCKS: dict[Hashable, tuple[Triple, ...]] = {}


def normalise_source(source: str) -> str:
    """PFOCR writes `MESH` in inline chemicals and lower case elsewhere; source IRIs are lower
    case, so no source name can be one of our vocabulary's own terms (decision 0014)."""
    return source.strip().lower()


def source_triples(source: str) -> list[Triple]:
    block = _SOURCE_BLOCKS.get(source)
    if block is not None:
        return list(block)
    s = ref(iris.match_source(source))
    known = MATCH_SOURCES.get(source, UNKNOWN)
    return remember(_SOURCE_BLOCKS, source, [
        (s, A, pfocr("MatchSource")),
        (s, LABEL, text(known.label)),
        (s, pfocr("matchKind"), pfocr(known.kind)),
    ])


@dataclass(slots=True)
class Annotation:
    """One distinct (word, source, matched text) of a figure and the entities it names."""

    word: str
    source: str
    matched: str | None
    bodies: dict[str, None] = field(default_factory=dict)  # entity IRIs, in first-seen order
    occurrences: int = 1  # how often the most repeated of its rows is given


def annotation_triples(iri: str, target_iri: str, annotation: Annotation) -> list[Triple]:
    s = ref(iri)
    out = [(s, A, _ANNOTATION)]
    out.extend((s, _HAS_BODY, ref(body)) for body in annotation.bodies)
    out.append((s, _HAS_TARGET, ref(target_iri)))
    out.append((s, _OCR_TEXT, text(annotation.word)))
    if annotation.matched is not None and annotation.matched != annotation.word:
        out.append((s, _MATCHED_TEXT, text(annotation.matched)))
    out.append((s, _MATCH_SOURCE, ref(iris.match_source(annotation.source))))
    if annotation.occurrences > 1:
        out.append((s, _OCCURRENCES, integer(annotation.occurrences)))
    return out
