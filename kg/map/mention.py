"""Mention node (`<figure>#mention-<n>`, an oa:Annotation) and the match sources it points to.

Keeps how each entity was recognised — OCR word, matched text, match source — because alias and
family matches are often wrong and users must be able to filter them out.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from kg import iris, vocab
from kg.map.terms import LABEL, A, oa, pfocr, remember
from kg.rdf import Triple, integer, ref, text


@dataclass(frozen=True, slots=True)
class MatchSource:
    label: str
    kind: str  # local name of the pfocr:MatchKind individual


# Every match source PFOCR uses (pfocr-sample README), and how trustworthy its matches are.
MATCH_SOURCES: dict[str, MatchSource] = {
    "hgnc_symbol": MatchSource("HGNC approved symbol", "ExactSymbolMatch"),
    "ncbigene_symbol": MatchSource("NCBI Gene symbol", "ExactSymbolMatch"),
    "hgnc_alias_symbol": MatchSource("HGNC alias symbol", "AliasMatch"),
    "hgnc_prev_symbol": MatchSource("HGNC previous symbol", "PreviousSymbolMatch"),
    "ncbigene_synonym": MatchSource("NCBI Gene synonym", "SynonymMatch"),
    "bioentities_symbol": MatchSource("Bioentities (FamPlex) family expanded to members", "FamilyMatch"),
    "famplex_relations": MatchSource("FamPlex family expanded to members", "FamilyMatch"),
    "mesh": MatchSource("MeSH term", "TermMatch"),
    "chebi": MatchSource("ChEBI name", "TermMatch"),
    "doid": MatchSource("Disease Ontology term", "TermMatch"),
}
UNKNOWN = MatchSource("match source not known to pfocr-kg", "UnknownMatch")

_ANNOTATION = oa("Annotation")
_HAS_BODY = oa("hasBody")
_HAS_TARGET = oa("hasTarget")
_MOTIVATED_BY = oa("motivatedBy")
_IDENTIFYING = ref(vocab.OA + "identifying")
_OCR_TEXT = pfocr("ocrText")
_MATCHED_TEXT = pfocr("matchedText")
_MATCH_SOURCE = pfocr("matchSource")
_COUNTS = (pfocr("countDirect"), pfocr("countSynonym"), pfocr("countMatch"))
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


def mention_triples(
    figure_iri: str,
    mention_iri: str,
    body_iri: str,
    word: str,
    matched: str | None,
    source: str,
    counts: tuple[int | None, int | None, int | None] = (None, None, None),
) -> list[Triple]:
    s = ref(mention_iri)
    out = [
        (s, A, _ANNOTATION),
        (s, _HAS_BODY, ref(body_iri)),
        (s, _HAS_TARGET, ref(figure_iri)),
        (s, _MOTIVATED_BY, _IDENTIFYING),
        (s, _OCR_TEXT, text(word)),
    ]
    if matched is not None:
        out.append((s, _MATCHED_TEXT, text(matched)))
    out.append((s, _MATCH_SOURCE, ref(iris.match_source(source))))
    for predicate, value in zip(_COUNTS, counts):
        if value is not None:
            out.append((s, predicate, integer(value)))
    return out
