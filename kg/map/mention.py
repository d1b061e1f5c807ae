"""Mention node (`<figure>#mention-<n>`, an oa:Annotation) and the match sources it points to.

Keeps how each entity was recognised — OCR word, matched text, match source — because alias and
family matches are often wrong and users must be able to filter them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg import iris, vocab
from kg.map.terms import A, LABEL, oa, pfocr
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


def normalise_source(source: str) -> str:
    """PFOCR writes `MESH` in inline chemicals and lower case elsewhere."""
    return source.strip().lower() if source.strip().upper() in ("MESH", "CHEBI", "DOID") else source.strip()


def source_triples(source: str) -> list[Triple]:
    s = ref(iris.match_source(source))
    known = MATCH_SOURCES.get(source, UNKNOWN)
    return [
        (s, A, pfocr("MatchSource")),
        (s, LABEL, text(known.label)),
        (s, pfocr("matchKind"), pfocr(known.kind)),
    ]


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
        (s, A, oa("Annotation")),
        (s, oa("hasBody"), ref(body_iri)),
        (s, oa("hasTarget"), ref(figure_iri)),
        (s, oa("motivatedBy"), ref(vocab.OA + "identifying")),
        (s, pfocr("ocrText"), text(word)),
    ]
    if matched is not None:
        out.append((s, pfocr("matchedText"), text(matched)))
    out.append((s, pfocr("matchSource"), ref(iris.match_source(source))))
    for name, value in zip(("countDirect", "countSynonym", "countMatch"), counts):
        if value is not None:
            out.append((s, pfocr(name), integer(value)))
    return out
