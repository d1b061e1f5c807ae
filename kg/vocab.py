"""Namespaces and the terms we use, in one place.

Never builds an IRI from record data: that is `kg.iris`' job.
"""

from __future__ import annotations

SCHEMA = "http://schema.org/"
WP = "http://vocabularies.wikipathways.org/wp#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
VOID = "http://rdfs.org/ns/void#"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"

# Entity IRI bases (see DESIGN.md, "Vocabulary (v1)").
FIGURE_BASE = "https://pfocr.wikipathways.org/figures/"
PMC_BASE = "https://identifiers.org/pmc/"
NCBIGENE_BASE = "https://identifiers.org/ncbigene/"
HGNC_SYMBOL_BASE = "https://identifiers.org/hgnc.symbol/"
TAXON_BASE = "http://purl.obolibrary.org/obo/NCBITaxon_"
MESH_BASE = "http://id.nlm.nih.gov/mesh/"
CHEBI_BASE = "https://identifiers.org/chebi/CHEBI:"
DOID_BASE = "http://purl.obolibrary.org/obo/DOID_"
DOI_BASE = "https://doi.org/"
NDEX_BASE = "https://www.ndexbio.org/viewer/networks/"
WIKIPATHWAYS_BASE = "https://identifiers.org/wikipathways/"
PMC_ARTICLE_BASE = "https://www.ncbi.nlm.nih.gov/pmc/articles/"

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
# PFOCR's blocks give the creator as a blank node {@type Organization, name WikiPathways};
# we give it this stable IRI so the output has no blank nodes.
WIKIPATHWAYS_ORG = "https://www.wikipathways.org/"

PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "schema": SCHEMA,
    "wp": WP,
    "dcterms": DCTERMS,
    "prov": PROV,
    "oa": OA,
    "pfocr": PFOCR,
    "figure": FIGURE_BASE,
    "pmc": PMC_BASE,
    "ncbigene": NCBIGENE_BASE,
    "hgncsymbol": HGNC_SYMBOL_BASE,
    "mesh": MESH_BASE,
    "obo": "http://purl.obolibrary.org/obo/",
}
