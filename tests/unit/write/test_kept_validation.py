"""A rebuild keeps validation.ttl as it is when it would write the same bytes again (an edited
caption changes no check result), and writes it whenever anything in it could differ.

The real sample corpus; each rebuild's outputs are compared with a fresh `--no-cache` build of
the changed corpus, so keeping a file can never hide a difference."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SAMPLE
from helpers.expected import EXACT_SOURCES, expected_warnings, gene_sources, record_iri
from helpers.records import edit_file

from kg.cli import main

OUTPUTS = ("pfocr.nt", "pfocr.ttl", "validation.ttl", "report.json", "report.html", "pfocr-vocab.ttl")
# Graph v2 warns a figure once, e.g. when none of its genes is an exact symbol match: this inline
# record's genes are all alias matches (its source), so it has a result in validation.ttl.
WARNED = "PMC1069646__pbio.0030121.g003"
NO_GENE = "PMC10033909__d3sc00173c-s1"  # no gene row at all: warned too


def test_the_records_edited_here_have_results() -> None:
    """The premise: the records the tests edit or remove put results into validation.ttl."""
    warned = {focus for focus, _message in expected_warnings(SAMPLE)}
    assert {record_iri(WARNED), record_iri(NO_GENE)} <= warned
    assert gene_sources(SAMPLE, WARNED) and not set(gene_sources(SAMPLE, WARNED)) & EXACT_SOURCES


def _edit_caption(db: Path) -> None:
    """A warned record's caption: its results (and so validation.ttl) stay as they were."""
    edit_file(db / "_figures" / f"{WARNED}.md", "  description: Pathways", "  description: Changed. Pathways")


def _alias_becomes_symbol(db: Path) -> None:
    """The warned record's first alias match becomes an exact symbol match: its warning goes."""
    edit_file(db / "_figures" / f"{WARNED}.md", "source: hgnc_alias_symbol", "source: hgnc_symbol", 1)


def _remove_record(db: Path) -> None:
    (db / "_figures" / f"{NO_GENE}.md").unlink()


def _build(db: Path, out: Path, *extra: str) -> None:
    assert main(["build", str(db), "-o", str(out), "-q", *extra]) == 0


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    db, out = tmp_path / "db", tmp_path / "out"
    shutil.copytree(SAMPLE, db)
    _build(db, out)
    return db, out


def _rebuild(built: tuple[Path, Path], change: Callable[[Path], None], tmp_path: Path) -> tuple[os.stat_result, os.stat_result, dict[str, bytes], bytes]:
    """(validation.ttl's stat before, after, the fresh build's outputs, the first build's validation.ttl)."""
    db, out = built
    first = (out / "validation.ttl").read_bytes()
    before = os.stat(out / "validation.ttl")
    change(db)
    _build(db, out)
    after = os.stat(out / "validation.ttl")
    fresh = tmp_path / "fresh"
    _build(db, fresh, "--no-cache")
    assert _outputs(out) == _outputs(fresh)
    return before, after, _outputs(fresh), first


@pytest.mark.slow
def test_an_edited_caption_leaves_validation_ttl_as_it_was(built: tuple[Path, Path], tmp_path: Path) -> None:
    before, after, fresh, first = _rebuild(built, _edit_caption, tmp_path)
    assert fresh["validation.ttl"] == first  # the premise: no result changed
    assert record_iri(WARNED).encode() in first  # ... though the edited record has one
    assert b"Changed. Pathways" in fresh["pfocr.nt"]
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not written again
    assert not list(built[1].glob(".validation.ttl.tmp-*"))


@pytest.mark.slow
@pytest.mark.parametrize("change", [_alias_becomes_symbol, _remove_record], ids=["results-change", "record-removed"])
def test_validation_ttl_is_written_when_it_could_differ(
    built: tuple[Path, Path], tmp_path: Path, change: Callable[[Path], None]
) -> None:
    before, after, fresh, first = _rebuild(built, change, tmp_path)
    assert fresh["validation.ttl"] != first
    assert after.st_ino != before.st_ino
    gone = WARNED if change is _alias_becomes_symbol else NO_GENE
    assert record_iri(gone).encode() in first and record_iri(gone).encode() not in fresh["validation.ttl"]


@pytest.mark.slow
def test_a_validation_ttl_changed_by_hand_is_written_again(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Only the file the last build left is trusted: one edited since (same size even) is rewritten."""
    _db, out = built
    original = (out / "validation.ttl").read_bytes()
    data = bytearray(original)
    data[-3:-2] = b"#"  # same length
    (out / "validation.ttl").write_bytes(bytes(data))
    _before, _after, fresh, _first = _rebuild(built, _edit_caption, tmp_path)
    assert fresh["validation.ttl"] == original
    assert (out / "validation.ttl").read_bytes() == original  # rewritten (_rebuild compares all outputs)


@pytest.mark.slow
def test_another_version_of_the_tool_writes_validation_ttl_again(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same results, other code: the build process writes part of validation.ttl itself (here its
    header), so a changed tool (a new cache salt) never keeps the old file."""
    import kg.cache
    import kg.check.report

    db, out = built
    code = kg.cache.code_digest()
    monkeypatch.setattr(kg.cache, "code_digest", lambda: code + "-next")
    monkeypatch.setattr(kg.check.report, "_HEADER", kg.check.report._HEADER + "# another version\n")
    _build(db, out)
    fresh = tmp_path / "fresh"
    _build(db, fresh, "--no-cache")
    assert b"# another version" in (out / "validation.ttl").read_bytes()
    assert _outputs(out) == _outputs(fresh)
