"""Shared vocabulary terms for the mappers, as ready N-Triples terms."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from kg import vocab
from kg.rdf import Triple, ref

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

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


def rdfs(name: str) -> str:
    return ref(vocab.RDFS + name)


def prov(name: str) -> str:
    return ref(vocab.PROV + name)


def skos(name: str) -> str:
    return ref(vocab.SKOS + name)


def void(name: str) -> str:
    return ref(vocab.VOID + name)


def pav(name: str) -> str:
    return ref(vocab.PAV + name)


# Entity descriptions already mapped in this process (genes, taxa, MeSH terms and match sources
# recur across figures), keyed by every value the description depends on. Each cache holds at most
# this many descriptions and is emptied when full, so memory stays bounded on any corpus.
BLOCK_CACHE_LIMIT = 20_000


def bounded_store(cache: dict[K, V], key: K, value: V) -> V:
    """Store `value` under `key`, the cache emptied first when it holds BLOCK_CACHE_LIMIT entries;
    hand the value back."""
    if len(cache) >= BLOCK_CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


def remember(cache: dict[Hashable, tuple[Triple, ...]], key: Hashable, triples: list[Triple]) -> list[Triple]:
    """Store a freshly mapped description under `key` and hand it back (the caller's own list)."""
    bounded_store(cache, key, tuple(triples))
    return triples
