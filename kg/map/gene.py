"""Gene node: `https://identifiers.org/ncbigene/<id>`, a schema:Gene with WikiPathways' bdb links."""

from __future__ import annotations

from collections.abc import Hashable

from kg import iris
from kg.map.terms import A, remember, schema, wp
from kg.rdf import Triple, ref, text
from kg.records import HUMAN, GeneMention

_GENE = schema("Gene")
_IDENTIFIER = schema("identifier")
_NAME = schema("name")
_TAXONOMIC_RANGE = schema("taxonomicRange")
_BDB_ENTREZ = wp("bdbEntrezGene")
_BDB_HGNC = wp("bdbHgncSymbol")
_BLOCKS: dict[Hashable, tuple[Triple, ...]] = {}


def gene_iri(mention: GeneMention) -> str:
    return iris.gene(mention.gene_id)


def gene_triples(mention: GeneMention, hgnc_link: bool = True, taxon_link: bool = True) -> list[Triple]:
    """The gene a mention resolved to; wp:bdbHgncSymbol only for human genes (HGNC is human-only).

    The caller turns off the links it cannot back: `hgnc_link` when the symbol cannot be part of
    an IRI (kg.iris.hgnc_symbol raises), `taxon_link` when the taxon has no description."""
    key = (mention.gene_id, mention.symbol, mention.taxon_id, hgnc_link, taxon_link)
    known = _BLOCKS.get(key)
    if known is not None:
        return list(known)
    s = ref(gene_iri(mention))
    out = [
        (s, A, _GENE),
        (s, _IDENTIFIER, text(mention.gene_id)),
        (s, _NAME, text(mention.symbol)),
        (s, _BDB_ENTREZ, s),
    ]
    if hgnc_link and mention.taxon_id == HUMAN:
        out.append((s, _BDB_HGNC, ref(iris.hgnc_symbol(mention.symbol))))
    if taxon_link and mention.taxon_id is not None:
        out.append((s, _TAXONOMIC_RANGE, ref(iris.taxon(mention.taxon_id))))
    return remember(_BLOCKS, key, out)
