"""A rebuild writes validation.ttl, like every output, as a full build of the changed corpus
would: whether the change leaves every check result as it was (an edited caption), changes one,
or removes a record, and when the tool itself changed.

The real sample corpus; each rebuild's outputs are compared with a fresh `--no-cache` build of
the changed corpus."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import SAMPLE
from helpers.expected import EXACT_SOURCES, expected_warnings, gene_sources, record_iri

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


def _replace(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), "utf-8")


def _edit_caption(db: Path) -> None:
    """A warned record's caption: its results (and so validation.ttl) stay as they were."""
    _replace(db / "_figures" / f"{WARNED}.md", "  description: Pathways", "  description: Changed. Pathways")


def _alias_becomes_symbol(db: Path) -> None:
    """The warned record's first alias match becomes an exact symbol match: its warning goes."""
    _replace(db / "_figures" / f"{WARNED}.md", "source: hgnc_alias_symbol", "source: hgnc_symbol", 1)


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


def _rebuild(built: tuple[Path, Path], change: Callable[[Path], None], tmp_path: Path) -> tuple[bytes, dict[str, bytes]]:
    """(the first build's validation.ttl, the rebuild's outputs, checked equal to a fresh build's)."""
    db, out = built
    first = (out / "validation.ttl").read_bytes()
    change(db)
    _build(db, out)
    fresh = tmp_path / "fresh"
    _build(db, fresh, "--no-cache")
    assert _outputs(out) == _outputs(fresh)
    return first, _outputs(fresh)


def test_an_edited_caption_changes_no_result(built: tuple[Path, Path], tmp_path: Path) -> None:
    first, fresh = _rebuild(built, _edit_caption, tmp_path)
    assert fresh["validation.ttl"] == first  # no result changed…
    assert record_iri(WARNED).encode() in first  # … though the edited record has one
    assert b"Changed. Pathways" in fresh["pfocr.nt"]
    assert not list(built[1].glob(".validation.ttl.tmp-*"))


@pytest.mark.parametrize("change", [_alias_becomes_symbol, _remove_record], ids=["results-change", "record-removed"])
def test_a_change_of_results_is_in_the_rebuilt_validation_ttl(
    built: tuple[Path, Path], tmp_path: Path, change: Callable[[Path], None]
) -> None:
    first, fresh = _rebuild(built, change, tmp_path)
    assert fresh["validation.ttl"] != first
    gone = WARNED if change is _alias_becomes_symbol else NO_GENE
    assert record_iri(gone).encode() in first and record_iri(gone).encode() not in fresh["validation.ttl"]


def test_another_version_of_the_tool_writes_its_own_validation_ttl(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same records, other code (a new cache salt): the build process writes part of
    validation.ttl itself (here its header), and the rebuild has the new version's bytes."""
    import kg.build.cache
    import kg.write.validation

    db, out = built
    code = kg.build.cache.code_digest()
    monkeypatch.setattr(kg.build.cache, "code_digest", lambda: code + "-next")
    monkeypatch.setattr(kg.write.validation, "_HEADER", kg.write.validation._HEADER + "# another version\n")
    _build(db, out)
    fresh = tmp_path / "fresh"
    _build(db, fresh, "--no-cache")
    assert b"# another version" in (out / "validation.ttl").read_bytes()
    assert _outputs(out) == _outputs(fresh)
