"""Disease node: the MeSH IRI (the DOID PURL when only DOID is known), a schema:MedicalCondition."""

from __future__ import annotations

from collections.abc import Hashable

from kg import iris
from kg.map.terms import A, remember, schema
from kg.rdf import Triple, ref, text
from kg.records import DiseaseMention

_BLOCKS: dict[Hashable, tuple[Triple, ...]] = {}


def disease_iri(mention: DiseaseMention) -> str:
    if mention.mesh_id is not None:
        return iris.mesh(mention.mesh_id)
    assert mention.doid is not None  # the reader drops rows with neither
    return iris.doid(mention.doid)


def disease_triples(mention: DiseaseMention) -> list[Triple]:
    key = (mention.mesh_id, mention.doid, mention.matched, mention.name)
    known = _BLOCKS.get(key)
    if known is not None:
        return list(known)
    s = ref(disease_iri(mention))
    out = [(s, A, schema("MedicalCondition"))]
    if mention.mesh_id is not None:
        out.append((s, schema("identifier"), text(mention.mesh_id)))
        if mention.doid is not None:
            out.append((s, schema("sameAs"), ref(iris.doid(mention.doid))))
    else:
        out.append((s, schema("identifier"), text(f"DOID:{mention.doid}")))
    name = mention.matched or mention.name
    if name is not None:
        out.append((s, schema("name"), text(name)))
    return remember(_BLOCKS, key, out)
