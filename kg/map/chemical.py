"""Chemical node: the MeSH IRI (ChEBI's identifiers.org IRI when only ChEBI is known)."""

from __future__ import annotations

from collections.abc import Hashable

from kg import iris
from kg.map.terms import A, remember, schema, skos, wp
from kg.rdf import Triple, ref, text
from kg.records import ChemicalMention

_BLOCKS: dict[Hashable, tuple[Triple, ...]] = {}


def chemical_iri(mention: ChemicalMention) -> str:
    if mention.mesh_id is not None:
        return iris.mesh(mention.mesh_id)
    assert mention.chebi_id is not None  # the reader drops rows with neither
    return iris.chebi(mention.chebi_id)


def chemical_triples(mention: ChemicalMention) -> list[Triple]:
    """Named by the MeSH heading the word matched, else by the ChEBI name; ChEBI linked in
    WikiPathways' form (`wp:bdbChEBI`) and in the OBO form Biolink and Bioregistry use."""
    key = (mention.mesh_id, mention.chebi_id, mention.matched, mention.chebi_name)
    known = _BLOCKS.get(key)
    if known is not None:
        return list(known)
    s = ref(chemical_iri(mention))
    out = [(s, A, schema("ChemicalSubstance"))]
    if mention.mesh_id is not None:
        out.append((s, schema("identifier"), text(mention.mesh_id)))
        name = mention.matched or mention.chebi_name
    else:
        out.append((s, schema("identifier"), text(f"CHEBI:{mention.chebi_id}")))
        name = mention.chebi_name or mention.matched
    if name is not None:
        out.append((s, schema("name"), text(name)))
    if mention.chebi_id is not None:
        out.append((s, wp("bdbChEBI"), ref(iris.chebi(mention.chebi_id))))
        out.append((s, skos("exactMatch"), ref(iris.chebi_obo(mention.chebi_id))))
    return remember(_BLOCKS, key, out)
