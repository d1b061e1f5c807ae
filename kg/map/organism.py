"""Organism node: `http://purl.obolibrary.org/obo/NCBITaxon_<id>`, a schema:Taxon."""

from __future__ import annotations

from collections.abc import Hashable

from kg import iris
from kg.map.terms import A, remember, schema
from kg.rdf import Triple, ref, text
from kg.records import Organism

_BLOCKS: dict[Hashable, tuple[Triple, ...]] = {}


def organism_triples(organism: Organism) -> list[Triple]:
    """Triples of a taxon; organisms without a known taxon id have no node (name only on figures)."""
    if organism.taxon_id is None:
        return []
    key = (organism.name, organism.taxon_id, organism.common_name)
    known = _BLOCKS.get(key)
    if known is not None:
        return list(known)
    s = ref(iris.taxon(organism.taxon_id))
    out = [
        (s, A, schema("Taxon")),
        (s, schema("name"), text(organism.name)),
        (s, schema("identifier"), text(organism.taxon_id)),
    ]
    if organism.common_name is not None:
        out.append((s, schema("alternateName"), text(organism.common_name)))
    return remember(_BLOCKS, key, out)
