"""A wheel carries what a build needs: installed into a fresh venv outside the checkout, `kg build`
finds its shapes, vocabulary and JSON-LD context, `kg validate` its shapes and `kg query @NAME` the
shipped queries.

The venv sees the machine's site-packages for the dependencies, but imports `kg` from the wheel
(asserted), so nothing is read from the checkout: its processes run without PYTHONPATH (which may
name the checkout, and its pfocr_kg.egg-info would make pip skip the wheel as already installed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from helpers import REPO, SEEDS

ROOT = REPO
OUTSIDE = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv's bin folder, with only the wheel of this checkout installed in it."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(work / "dist")],
                   check=True, cwd=work)
    wheel = next((work / "dist").glob("pfocr_kg-*.whl"))
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(work / "venv")
    bin_dir = work / "venv" / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, cwd=work, env=OUTSIDE)
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "kg"), *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          check=False, env=OUTSIDE)


def test_kg_comes_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    found = subprocess.run([str(installed / "python"), "-c", "import kg; print(kg.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True, env=OUTSIDE).stdout.strip()
    assert "site-packages" in found and not found.startswith(str(ROOT))
    version = _run(installed, "--version", cwd=tmp_path)
    assert version.stdout.startswith("pfocr-kg ")


def test_build_and_validate_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    built = _run(installed, "build", str(seeds), "-o", str(tmp_path / "out"), "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["validation"]["enabled"] and report["figures_written"] == report["records_read"] > 0
    assert (tmp_path / "out" / "pfocr-vocab.ttl").read_bytes() == (ROOT / "kg" / "context" / "pfocr-vocab.ttl").read_bytes()
    checked = _run(installed, "validate", str(tmp_path / "out" / "pfocr.nt"), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 violations" in checked.stdout
    # a shipped query by name, from a folder that holds no queries/: found inside the installed package
    asked = _run(installed, "query", "@figures-by-gene-symbol", "-o", str(tmp_path / "out"), "-q", "--results", "csv",
                 cwd=tmp_path)
    assert asked.returncode == 0 and asked.stderr == "", asked.stderr
    assert "PMC2776288__ajtr0001-0001-f3" in asked.stdout  # the seed figure naming TNF
    ld = _run(installed, "build", str(seeds), "-o", str(tmp_path / "ld"), "-q", "--format", "nt,ttl,jsonld",
              cwd=tmp_path)
    assert ld.returncode == 0, ld.stderr
    assert json.loads((tmp_path / "ld" / "pfocr.jsonld").read_text("utf-8"))["@context"]


def test_the_wheel_ships_shapes_and_queries(installed: Path) -> None:
    site = next(installed.parent.glob("lib/python*/site-packages"))
    assert sorted(p.name for p in (site / "kg" / "shapes").glob("*.ttl")) == sorted(
        p.name for p in (ROOT / "shapes").glob("*.ttl"))
    assert sorted(p.name for p in (site / "kg" / "queries").glob("*.rq")) == sorted(
        p.name for p in (ROOT / "queries").glob("*.rq"))


def test_the_wheel_carries_its_license_and_metadata(installed: Path) -> None:
    site = next(installed.parent.glob("lib/python*/site-packages"))
    info = next(site.glob("pfocr_kg-*.dist-info"))
    assert (info / "licenses" / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    metadata = (info / "METADATA").read_text("utf-8")
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Topic :: Scientific/Engineering :: Bio-Informatics" in metadata
    assert "Project-URL: Source data, https://github.com/wikipathways/pfocr-database" in metadata
