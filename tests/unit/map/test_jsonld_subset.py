"""pyld's triples from each record's schema-jsonld block ⊆ our figure's triples (DESIGN.md, JSON-LD).

The hot path maps the block's fields directly; this proves, on every real record, that a JSON-LD
processor with the real schema.org context reads nothing from the block that we do not write —
after PFOCR's two bugs are fixed (name → figtitle, license → the CC0 IRI) and with the block's
blank-node creator given our stable IRI.
"""

from __future__ import annotations

import pyoxigraph
import pytest
import yaml
from helpers import SAMPLE
from helpers.build import Build

from kg.jsonld import block_ntriples

RECORDS = sorted((SAMPLE / "_figures").glob("*.md"))


def _front_matter(path) -> dict:
    text = path.read_text("utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---\n"))


def _triples(lines: set[str]) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse("\n".join(lines) + "\n", pyoxigraph.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.stem)
def test_block_triples_are_a_subset_of_ours(record, sample_build: Build) -> None:
    data = _front_matter(record)
    figtitle = str(data["figtitle"]).strip()  # our reader strips YAML folding's trailing space
    expected = _triples(block_ntriples(data["schema-jsonld"], figtitle))
    ours = sample_build.triples("nt")
    missing = expected - ours
    assert not missing, f"{len(missing)} block triples not in our output, e.g. {sorted(map(str, missing))[:3]}"
    # the comparison is not vacuous: the block gives the figure's type, name, license, keywords …
    figure = pyoxigraph.NamedNode(data["schema-jsonld"]["@id"])
    predicates = {t.predicate.value.rsplit("/", 1)[1] for t in expected if t.subject == figure}
    assert {"name", "license", "description", "creator", "keywords"} <= predicates
