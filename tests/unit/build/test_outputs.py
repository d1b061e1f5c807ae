"""kg.build.outputs: a SOURCE none of whose files is a figure record never replaces a build."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import SEEDS
from helpers.build import kg


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_source_with_no_figure_records_leaves_the_build_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert kg(capsys, "build", SEEDS, "-o", out, "-q", "--no-cache")[0] == 0
    before = _digests(out)
    # the organism pages are .md files with front matter, but no figid: a wrong SOURCE, not records
    code, _, err = kg(capsys, "build", SEEDS / "_organisms", "-o", out, "-q", "--no-cache")
    assert code == 2
    assert "is SOURCE a PFOCR database" in err and len(err.strip().splitlines()) <= 2
    assert _digests(out) == before


def test_a_source_with_one_figure_record_among_others_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figure = next((SEEDS / "_figures").glob("*.md"))
    code, _, err = kg(capsys, "build", figure, SEEDS / "_organisms", "-o", tmp_path / "out", "-q", "--no-cache")
    assert code == 0, err
    assert (tmp_path / "out" / "pfocr.nt").stat().st_size > 0


def test_a_source_whose_only_record_has_a_wrong_figid_is_built_with_it_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A figid that does not match its file name is a figure record's fault, not a wrong SOURCE:
    the record is quarantined with the reason and the build is written (found by test_fuzz)."""
    figure = next((SEEDS / "_figures").glob("*.md"))
    (tmp_path / "db" / "_figures").mkdir(parents=True)
    (tmp_path / "db" / "_figures" / "PMC1__other.md").write_bytes(figure.read_bytes())
    code, _, err = kg(capsys, "build", tmp_path / "db", "-o", tmp_path / "out", "-q", "--no-cache")
    assert code == 0, err
    assert "does not match the file name 'PMC1__other.md'" in (tmp_path / "out" / "report.json").read_text()
    assert (tmp_path / "out" / "pfocr.nt").is_file()
