"""What the tests share: paths, builds, record edits, expectations, servers.

tests/ is on sys.path (pyproject's `pythonpath`), so a test in any folder imports these as
`from helpers import SAMPLE` or `from helpers.build import Build`. The fixtures in
helpers/fixtures.py are registered for every test by tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
RESOURCES = TESTS / "resources"
W3C_CORE = TESTS / "w3c" / "core"
SAMPLE = FIXTURES / "pfocr-sample"
HOSTILE_FIXTURES = FIXTURES / "hostile"
SEEDS = REPO / "seeds"
SEED_FIGID = "PMC2776288__ajtr0001-0001-f3"
# three sample records the engine tests build and edit
SAMPLE_FIGURES = SAMPLE / "_figures"
INLINE = "PMC1391919__pgen.0020031.g001"  # inline: UXS1 (alias match), 4 MeSH chemicals
SIDECAR = "PMC5883377__CN-16-151_F1B"  # sidecar: 4 organisms with counts, ChEBI-linked chemical, disease
NO_GENE = "PMC10033909__d3sc00173c-s1"  # sidecar, chemicals only
SHAPES = REPO / "shapes"
QUERIES = REPO / "queries"
BENCH = REPO / "bench"

FIGURE_BASE = "https://pfocr.wikipathways.org/figures/"


def figure_iri(figid: str) -> str:
    """A record's IRI: its page on the PFOCR site (docs/vocabulary.md)."""
    return f"{FIGURE_BASE}{figid}.html"
