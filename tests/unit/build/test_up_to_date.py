"""A rebuild whose outputs would be the same bytes rewrites nothing (kg.build.uptodate); any change to
the records, the options or the outputs on disk makes it a real rebuild again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers.build import build_report
from helpers.records import clone_record, replace

from kg.build.cache import CACHE_NAME
from kg.build.uptodate import state_file
from kg.cli import main

INLINE = "PMC2776288__ajtr0001-0001-f3"


def _files(outdir: Path) -> dict[str, tuple[bytes, int]]:
    """Each output's bytes and inode (a rewritten file is a new inode: written then renamed)."""
    paths = [p for p in sorted(outdir.rglob("*")) if p.is_file() and CACHE_NAME not in p.parts and p.name[0] != "."]
    return {str(p.relative_to(outdir)): (p.read_bytes(), p.stat().st_ino) for p in paths}


def _bytes(outdir: Path) -> dict[str, bytes]:
    return {name: data for name, (data, _ino) in _files(outdir).items()}


@pytest.fixture()
def db(db: Path) -> Path:
    """The sample's copy, plus one record the gate quarantines (a pathway score over 1), so
    quarantine/ is not empty."""
    clone_record(db, INLINE, new_figid="PMC1__broken-f1", md=replace("pathway_score: 0.924795", "pathway_score: 1.5"))
    return db


def test_unchanged_rebuild_rewrites_nothing_and_reports_the_same(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_report(db, out)
    assert first.quarantined, "the fixture should quarantine a record"
    before = _files(out)
    again = build_report(db, out)
    assert again.up_to_date and (again.reused, again.computed) == (first.records_read, 0)
    assert _files(out) == before  # same bytes, same inodes: not even rewritten
    assert again.as_dict() == first.as_dict()


@pytest.mark.slow
def test_up_to_date_build_keeps_exit_status_and_says_so(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(db), "-o", str(out), "--strict"]) == 1
    capsys.readouterr()
    assert main(["build", str(db), "-o", str(out), "--strict"]) == 1  # still quarantined: still 1
    err = capsys.readouterr().err
    assert "quarantined" in err and "PMC1__broken-f1" in err
    assert "outputs already up to date, nothing rewritten" in err


def _edit_output(out: Path) -> None:
    with (out / "pfocr.ttl").open("ab") as handle:
        handle.write(b"# edited by hand\n")


def _stray_format(out: Path) -> None:
    (out / "pfocr.jsonld").write_text("{}", "utf-8")  # an earlier build's: the real build removes it


def _quarantine_removed(out: Path) -> None:
    next((out / "quarantine").iterdir()).unlink()


def _record_edited(out: Path) -> None:
    md = out.parent / "db" / "_figures" / f"{INLINE}.md"
    md.write_text(md.read_text("utf-8").replace("description:", "description: Changed.", 1), "utf-8")


def _quarantine_folder_removed(out: Path) -> None:
    shutil.rmtree(out / "quarantine")


def _hidden_file_in_quarantine(out: Path) -> None:
    (out / "quarantine" / ".stray.ttl").write_text("# not this build's", "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    "change", [_edit_output, _stray_format, _quarantine_removed, _quarantine_folder_removed,
               _hidden_file_in_quarantine, _record_edited, "report.html", "last-build"],
    ids=["output-edited", "stray-format", "quarantine-file-removed", "quarantine-folder-removed",
         "hidden-file-in-quarantine", "record-edited", "output-removed", "state-lost"],
)
def test_any_change_makes_a_real_rebuild_with_a_full_builds_bytes(db: Path, tmp_path: Path, change: object) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    if change == "report.html":
        (out / "report.html").unlink()
    elif change == "last-build":
        state_file(out / CACHE_NAME, out).unlink()
    else:
        change(out)  # type: ignore[operator]
    again = build_report(db, out)
    assert not again.up_to_date
    full = tmp_path / "full"
    build_report(db, full, use_cache=False)
    assert _bytes(out) == _bytes(full)
    assert build_report(db, out).up_to_date  # and the next one is again


@pytest.mark.slow
def test_other_formats_are_not_up_to_date(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    with_jsonld = build_report(db, out, formats=("nt", "ttl", "jsonld"))
    assert not with_jsonld.up_to_date and (out / "pfocr.jsonld").is_file()
    assert build_report(db, out, formats=("nt", "ttl", "jsonld")).up_to_date
    assert not build_report(db, out).up_to_date and not (out / "pfocr.jsonld").exists()


@pytest.mark.slow
def test_no_cache_and_records_without_a_key_are_never_skipped(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    assert not build_report(db, out, use_cache=False).up_to_date
    limit = max(p.stat().st_size for p in db.rglob("*") if p.is_file())
    (db / "_figures" / "PMC2__huge-f1.md").write_bytes(b"---\nfigid: PMC2__huge-f1\n---\n" + b"x" * limit)
    build_report(db, out, max_bytes=limit)  # PMC2__huge-f1 alone is over the limit: it has no cache key
    again = build_report(db, out, max_bytes=limit)
    assert not again.up_to_date and again.computed == 1


@pytest.mark.slow
def test_kg_clean_forgets_the_last_build(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    assert main(["clean", str(out)]) == 0
    again = build_report(db, out)
    assert not again.up_to_date and again.computed == again.records_read


@pytest.mark.slow
def test_a_record_edited_while_it_is_read_is_never_up_to_date(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed with one content, read with another (saved mid-build), then put back: the outputs
    hold the middle content, so the next build must not take them as up to date."""
    from kg.build import worker

    md = db / "_figures" / f"{INLINE}.md"
    original = md.read_text("utf-8")
    real = worker.read_record

    def saved_while_read(source, max_bytes):  # type: ignore[no-untyped-def]
        if source.md == md:
            md.write_text(original.replace("description:", "description: Saved mid-build.", 1), "utf-8")
        return real(source, max_bytes)

    monkeypatch.setattr(worker, "read_record", saved_while_read)
    out = tmp_path / "out"
    first = build_report(db, out, jobs=1)
    assert first.computed == first.records_read
    monkeypatch.setattr(worker, "read_record", real)
    md.write_text(original, "utf-8")  # the edit undone
    assert b"Saved mid-build." in (out / "pfocr.nt").read_bytes()
    again = build_report(db, out)
    assert not again.up_to_date
    full = tmp_path / "full"
    build_report(db, full, use_cache=False)
    assert _bytes(out) == _bytes(full)


@pytest.mark.slow
def test_a_source_symlink_moved_to_another_release_is_not_up_to_date(db: Path, tmp_path: Path) -> None:
    """report.html links the records by their real location: a `current -> release` link moved
    to a copy is another build, though every record's content is the same."""
    second = tmp_path / "db2"
    shutil.copytree(db, second)
    current = tmp_path / "current"
    current.symlink_to(db)
    out = tmp_path / "out"
    build_report(current, out)
    current.unlink()
    current.symlink_to(second)
    assert not build_report(current, out).up_to_date
    assert "db2" in (out / "report.html").read_text("utf-8")


def test_code_digest_covers_every_bundled_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """report.html inlines the package's stylesheet: editing it must invalidate like code does."""
    from kg.build import cache

    package = tmp_path / "kg"
    (package / "publish" / "static").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    css = package / "publish" / "static" / "site.css"
    css.write_text("body{}", "utf-8")
    (package / "__pycache__").mkdir()
    pyc = package / "__pycache__" / "x.cpython-311.pyc"
    pyc.write_bytes(b"1")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    digests = []
    for change in (None, lambda: pyc.write_bytes(b"2"), lambda: css.write_text("body{color:red}", "utf-8")):
        if change is not None:
            change()
        cache.code_digest.cache_clear()
        digests.append(cache.code_digest())
    cache.code_digest.cache_clear()
    assert digests[0] == digests[1]  # compiled bytecode is not the tool
    assert digests[1] != digests[2]
