"""The dataset node `https://w3id.org/pfocr-kg/dataset`, one per build: release provenance and counts.

Written by the build after every record (its counts need them all); every record is
`void:inDataset` it. Carries no date but the one the release gives.
"""

from __future__ import annotations

from kg import __version__, vocab
from kg.map.terms import A, dcterms, pav, pfocr, prov, schema, void
from kg.rdf import Triple, integer, ref, text, typed
from kg.records import Release

_DATASET = ref(vocab.DATASET)
_SOFTWARE = ref(vocab.SOFTWARE)


def dataset_triples(release: Release, records: int, triples_before: int) -> list[Triple]:
    """The dataset's triples; `void:triples` counts the whole file: the `triples_before` already
    written plus these."""
    out = [
        (_DATASET, A, void("Dataset")),
        (_DATASET, dcterms("title"), text("PFOCR knowledge graph")),
        (_DATASET, dcterms("description"), text(
            "Pathway Figure OCR (PFOCR): published pathway figures and the genes, chemicals and diseases "
            "recognised in them, as a linked graph made by pfocr-kg.")),
        (_DATASET, dcterms("license"), ref(vocab.CC0)),
        (_DATASET, dcterms("source"), ref(vocab.PFOCR_HOME)),
        (_DATASET, pav("createdWith"), _SOFTWARE),
        (_DATASET, void("vocabulary"), ref(vocab.PFOCR.rstrip("#"))),
        (_DATASET, void("entities"), integer(records)),
    ]
    if release.version is not None:
        out.append((_DATASET, pav("version"), text(release.version)))
    if release.date is not None:
        out.append((_DATASET, dcterms("issued"), typed(release.date, vocab.XSD + "date")))
    out.extend((_DATASET, pfocr("sourceCommit"), text(commit)) for commit in release.commits)
    out.extend((_DATASET, prov("wasDerivedFrom"), ref(tree)) for tree in release.source_trees)
    software = [
        (_SOFTWARE, A, schema("SoftwareApplication")),
        (_SOFTWARE, schema("name"), text("pfocr-kg")),
        (_SOFTWARE, schema("softwareVersion"), text(__version__)),
    ]
    out.append((_DATASET, void("triples"), integer(triples_before + len(out) + 1 + len(software))))
    return out + software
