"""Publishing a finished build: descriptions of the dataset for catalogues and search engines.

`kg.publish.void`: the VoID description (void.ttl) with counts computed from pfocr.nt, and the
schema.org Dataset description (dataset.jsonld) that dataset search engines read. Never changes
the build's outputs: everything here reads pfocr.nt and writes new files atomically.
"""

from kg.publish.void import (
    DatasetStatistics,
    dataset_description,
    dataset_statistics,
    void_turtle,
    write_dataset_jsonld,
    write_void,
)

__all__ = [
    "DatasetStatistics",
    "dataset_description",
    "dataset_statistics",
    "void_turtle",
    "write_dataset_jsonld",
    "write_void",
]
