"""Fixtures every test may ask for (registered by tests/conftest.py): the seed and sample builds,
a copy of the sample to edit, and the published sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import INLINE, NO_GENE, SAMPLE, SAMPLE_FIGURES, SEED_FIGID, SEEDS, SIDECAR
from helpers.build import Build, run_build
from helpers.hostile import hostile_db
from helpers.records import copy_sample
from kg.publish.site import publish
from kg.sparql import load


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`kg build` of the seed record alone (seeds/_figures/, an inline record)."""
    root = tmp_path_factory.mktemp("seed")
    (root / "_figures").mkdir()
    (root / "_figures" / f"{SEED_FIGID}.md").write_bytes((SEEDS / "_figures" / f"{SEED_FIGID}.md").read_bytes())
    return run_build(root / "out", root)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`kg build` of tests/fixtures/pfocr-sample (35 real records, both formats). Read it only."""
    return run_build(tmp_path_factory.mktemp("sample") / "out", SAMPLE)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A copy of the whole sample at tmp_path/db, this test's to edit."""
    return copy_sample(tmp_path / "db")


@pytest.fixture(scope="session")
def sample_site(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample build published from an in-memory store (the on-disk store, `kg publish`'s
    default, gives the same bytes: test_site's test_same_input_same_bytes_whatever_the_store)."""
    tmp = tmp_path_factory.mktemp("site")
    publish(sample_build.outdir / "pfocr.nt", tmp / "site", memory=True)
    return tmp / "site"


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """The hostile records (helpers.hostile) built and published: (the build, the site)."""
    tmp = tmp_path_factory.mktemp("hostile")
    build = run_build(tmp / "out", hostile_db(tmp / "db"))
    assert build.report["quarantined"] == []
    publish(build.outdir / "pfocr.nt", tmp / "site", memory=True)
    return build, tmp / "site"


@pytest.fixture
def no_proxy_no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Loopback traffic never goes through a proxy; no real ~/.netrc or KG_LOAD_* leaks in."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", load.USER_VAR, load.PASSWORD_VAR):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(scope="session")
def few_nt(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The N-Triples of a build of the three records (pfocr.nt, dataset node included)."""
    from kg.cli import main

    out = tmp_path_factory.mktemp("few") / "out"
    sources = [str(SAMPLE_FIGURES / f"{figid}.md") for figid in (INLINE, SIDECAR, NO_GENE)]
    assert main(["build", *sources, "-o", str(out), "-q", "--no-validate"]) == 0
    return (out / "pfocr.nt").read_text("utf-8")
