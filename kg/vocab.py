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
SKOS = "http://www.w3.org/2004/02/skos/core#"
PAV = "http://purl.org/pav/"
OBO = "http://purl.obolibrary.org/obo/"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"

# Our own IRIs (docs/vocabulary.md; docs/w3id.md gives the redirect rules of w3id.org/pfocr-kg/).
HOME = "https://w3id.org/pfocr-kg/"
DATASET = HOME + "dataset"  # the dataset node: release provenance, every record void:inDataset it
SOFTWARE = HOME + "software"  # pfocr-kg itself, what pav:createdWith names
JOURNAL_BASE = HOME + "journal/"
PUBLISHER_BASE = HOME + "publisher/"
PFOCR_HOME = "https://pfocr.wikipathways.org/"  # the source, dcterms:source of the dataset

# Entity IRI bases (see DESIGN.md, "Vocabulary (v1)").
FIGURE_BASE = "https://pfocr.wikipathways.org/figures/"
PMC_BASE = "https://identifiers.org/pmc/"
NCBIGENE_BASE = "https://identifiers.org/ncbigene/"
HGNC_SYMBOL_BASE = "https://identifiers.org/hgnc.symbol/"
TAXON_BASE = "http://purl.obolibrary.org/obo/NCBITaxon_"
MESH_BASE = "http://id.nlm.nih.gov/mesh/"
CHEBI_BASE = "https://identifiers.org/chebi/CHEBI:"
CHEBI_OBO_BASE = "http://purl.obolibrary.org/obo/CHEBI_"  # Biolink's and Bioregistry's form
DOID_BASE = "http://purl.obolibrary.org/obo/DOID_"
DOI_BASE = "https://doi.org/"
NDEX_BASE = "https://www.ndexbio.org/viewer/networks/"
WIKIPATHWAYS_BASE = "https://identifiers.org/wikipathways/"
PMC_ARTICLE_BASE = "https://www.ncbi.nlm.nih.gov/pmc/articles/"
PMC_FIGURE_BASE = "https://pmc.ncbi.nlm.nih.gov/articles/"  # <pmcid>/figure/<part>/: the image

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
    "skos": SKOS,
    "pav": PAV,
    "void": VOID,
    "pfocr": PFOCR,
    "figure": FIGURE_BASE,
    "pmc": PMC_BASE,
    "ncbigene": NCBIGENE_BASE,
    "hgncsymbol": HGNC_SYMBOL_BASE,
    "mesh": MESH_BASE,
    "obo": "http://purl.obolibrary.org/obo/",
}
