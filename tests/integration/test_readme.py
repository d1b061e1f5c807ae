"""The README stays a front page (≤ 12 KB, issue 21) whose links all lead somewhere, and whose
commands are the ones CI and a new user run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO

README = REPO / "README.md"
# the pages the README's reference sections moved to, and docs/cli.md: their links are checked too
PAGES = [README, *(REPO / "docs" / f"{name}.md" for name in
                   ("cli", "building", "incremental", "guarantees", "stores", "publishing", "site", "development"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a Markdown page's headings."""
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", page.read_text(encoding="utf-8"), flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


def test_the_readme_is_at_most_12_kb() -> None:
    assert README.stat().st_size <= 12 * 1024


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_exists(page: Path) -> None:
    links = [link for link in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in link]
    assert links or page.name != "README.md"
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: {link} leads nowhere"
        if anchor:
            assert anchor in anchors(target), f"{page.name}: {link}: no such heading"


def test_the_readme_links_the_moved_reference_pages() -> None:
    text = README.read_text(encoding="utf-8")
    for name in ("cli", "building", "incremental", "guarantees", "stores", "publishing", "site", "performance"):
        assert f"(docs/{name}.md)" in text, name


def test_ci_runs_the_readmes_test_command() -> None:
    """.ci/run ends with the README's set-up-and-test line, as written there."""
    command = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert command == "pip install -e '.[test]' && python -m pytest"
    lines = [line.split("#")[0].strip() for line in README.read_text(encoding="utf-8").splitlines()]
    assert command in lines and "pip install -e . && kg build" in lines
