"""The figure's `schema-jsonld` block → N-Triples with pyld and the bundled schema.org context.

Never fetches from the network: the document loader serves only the bundled context.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from pyld import jsonld
from pyld.jsonld import JsonLdError

from kg.vocab import CC0, SCHEMA, WIKIPATHWAYS_ORG

CONTEXT_RESOURCE = "context/schemaorg.jsonld"

# Every URL a record may name for the schema.org context; all get the same bundled document.
SCHEMA_ORG_CONTEXT_URLS = frozenset(
    f"{scheme}://schema.org{path}"
    for scheme in ("https", "http")
    for path in (
        "",
        "/",
        "/docs/jsonldcontext.json",
        "/docs/jsonldcontext.jsonld",
        "/docs/jsonldcontext.json.txt",
        "/version/30.0/schemaorgcontext.jsonld",
    )
)

_CREATOR = f"{SCHEMA}creator"


@lru_cache(maxsize=1)
def schema_org_context() -> dict[str, Any]:
    """The bundled schema.org context document, parsed once (pyld only reads it)."""
    text = resources.files("kg").joinpath(CONTEXT_RESOURCE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def offline_document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld `documentLoader`: the bundled context for schema.org's context URLs, an error for the rest."""
    if url in SCHEMA_ORG_CONTEXT_URLS:
        return loaded(url, schema_org_context())
    raise refused(url, "the bundled schema.org context is")


def loaded(url: str, document: dict[str, Any]) -> dict[str, Any]:
    """What a pyld `documentLoader` answers for `url`, whose document is `document`."""
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": document}


def refused(url: str, available: str) -> JsonLdError:
    """What a pyld `documentLoader` raises for a URL it will not load (`available`: what it serves, "… is/are")."""
    return JsonLdError(
        f"Refusing to load {url!r}: only {available} available (kg never fetches from the network).",
        "jsonld.LoadDocumentError",
        {"url": url},
        code="loading document failed",
    )


def block_ntriples(
    block: dict[str, Any], figtitle: str | None, creator_iri: str = WIKIPATHWAYS_ORG
) -> set[str]:
    """The triples a JSON-LD processor gets from a record's `schema-jsonld` block, as N-Triples lines.

    The real context maps `license` to {"@id": "schema:license", "@type": "@id"} (a string becomes an IRI:
    "CC0" a relative one, hence the fix); `keywords`, `description`, `name` and `creator` are plain
    {"@id": "schema:..."} terms: strings become plain literals, one triple per list item, creator a blank node.

    The two documented fixes are applied to a copy of `block` (never to `block` itself): `name` becomes
    `figtitle` unless that is None, and `license` "CC0" becomes {"@id": CC0}. The creator's blank node is
    replaced by `creator_iri`; more than one creator blank node is a ValueError (they would merge). Lines
    are `s p o .` without newline, in pyld's exact term forms (plain strings carry no ^^xsd:string);
    graph names are dropped.
    """
    doc = copy.deepcopy(block)
    if figtitle is not None:
        doc["name"] = figtitle
    if doc.get("license") == "CC0":
        doc["license"] = {"@id": CC0}
    nquads: str = jsonld.to_rdf(
        doc, {"format": "application/n-quads", "documentLoader": offline_document_loader}
    )
    dataset = jsonld.JsonLdProcessor.parse_nquads(nquads)
    triples = [triple for graph in dataset.values() for triple in graph]

    creators = {
        t["object"]["value"]
        for t in triples
        if t["predicate"]["value"] == _CREATOR and t["object"]["type"] == "blank node"
    }
    if len(creators) > 1:
        raise ValueError(f"{len(creators)} creator blank nodes in the block; expected at most one")
    iri = {"type": "IRI", "value": creator_iri}
    lines: set[str] = set()
    for t in triples:
        for position in ("subject", "object"):
            term = t[position]
            if term["type"] == "blank node" and term["value"] in creators:
                t[position] = iri
        lines.add(jsonld.JsonLdProcessor.to_nquad(t).rstrip("\n"))
    return lines
