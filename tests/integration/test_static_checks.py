"""The code passes the project's static checks: ruff on everything, mypy on the package.

Both are pinned in the test extra, so a new release's rules or inferences change nothing until
the pin moves; mypy checks against the typed libraries we pin (pyoxigraph, shacl, fastyaml-rs) and
sees the unpinned ones as untyped (pyproject.toml). Deliberate exceptions are marked in place
(`# noqa: RULE - why`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from helpers.needs import require_module

pytestmark = pytest.mark.slow

ROOT = REPO


def _run_module(module: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    require_module(module, hint="pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, check=False,
                          capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    done = _run_module("ruff", "check", "--no-cache", "kg", "bench", "tests")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing_in_the_package(tmp_path: Path) -> None:
    done = _run_module("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_checks_do_find_what_they_are_for(tmp_path: Path) -> None:
    """Run on a copy of the configuration beside code with one finding each, both fail: a
    configuration that checks nothing would pass the two tests above."""
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    (tmp_path / "kg").mkdir()
    (tmp_path / "kg" / "__init__.py").write_text("")
    (tmp_path / "kg" / "bad.py").write_text(
        "import os\n\n\ndef half(n: int) -> str:\n    return n / 2\n"  # unused import; wrong return type
    )
    ruff = _run_module("ruff", "check", "--no-cache", "kg", cwd=tmp_path)
    assert ruff.returncode == 1 and "F401" in ruff.stdout, ruff.stdout + ruff.stderr
    mypy = _run_module("mypy", "--cache-dir", str(tmp_path / "mypy-cache"), cwd=tmp_path)
    assert mypy.returncode == 1 and "bad.py:5" in mypy.stdout, mypy.stdout + mypy.stderr
