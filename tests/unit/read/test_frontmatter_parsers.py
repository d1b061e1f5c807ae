"""The fast front-matter parser (fastyaml-rs) against the reference (PyYAML's safe loader).

Every real record must take the fast path and give identical objects; YAML that the two YAML
versions read differently, and YAML with aliases or tags, must take the reference path.
"""

from __future__ import annotations

import pytest
import yaml
from helpers import SAMPLE

from kg.read import frontmatter

RECORDS = sorted((SAMPLE / "_figures").glob("*.md")) + sorted((SAMPLE / "_organisms").glob("*.md"))


def _yaml_of(path) -> str:
    return frontmatter.split_front_matter(path.read_text("utf-8"))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_real_records_parse_identically(path) -> None:
    text = _yaml_of(path)
    reference = yaml.load(text, Loader=yaml.CSafeLoader)
    fast = frontmatter._fast_load(text)
    if fast is not None:  # None: a construct the fast path leaves to PyYAML (anchors, tags, flow
        # collections, YAML 1.1 scalars); test_most_real_records_take_the_fast_path bounds how many
        assert fast == reference
        assert type(fast) is type(reference)
    assert frontmatter.load_mapping(text) == reference


def test_most_real_records_take_the_fast_path() -> None:
    """The fast path is live (fastyaml-rs is a dependency) and serves nearly every real record."""
    fast = [p for p in RECORDS if frontmatter._fast_load(_yaml_of(p)) is not None]
    assert len(fast) >= len(RECORDS) - 5


@pytest.mark.parametrize(
    "text",
    [
        "year: 2009-01-01\n",
        "flag: yes\n",
        "flag: Off\n",
        "n: 012\n",
        "n: 0x1F\n",
        "n: 1_000\n",
        "t: 1:30\n",
        "x: 1e3\n",
        "- on\n",
        "a: &x [1]\nb: *x\n",
        "a: !!str 1\n",
        "<<: {a: 1}\n",
    ],
)
def test_yaml_versions_disagree_so_reference_decides(text: str) -> None:
    assert frontmatter._fast_load(text) is None
