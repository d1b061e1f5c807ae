"""Shared vocabulary terms for the mappers, as ready N-Triples terms."""

from __future__ import annotations

from kg import vocab
from kg.rdf import ref

A = ref(vocab.RDF + "type")
LABEL = ref(vocab.RDFS + "label")
COMMENT = ref(vocab.RDFS + "comment")


def schema(name: str) -> str:
    return ref(vocab.SCHEMA + name)


def wp(name: str) -> str:
    return ref(vocab.WP + name)


def pfocr(name: str) -> str:
    return ref(vocab.PFOCR + name)


def oa(name: str) -> str:
    return ref(vocab.OA + name)


def dcterms(name: str) -> str:
    return ref(vocab.DCTERMS + name)
