"""A rebuild whose outputs would be the same bytes rewrites nothing (kg.uptodate); any change to
the records, the options or the outputs on disk makes it a real rebuild again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE

from kg.cache import CACHE_NAME
from kg.cli import main
from kg.pipeline import BuildOptions, BuildReport, build
from kg.uptodate import state_file

INLINE = "PMC2776288__ajtr0001-0001-f3"


def _build(root: Path, outdir: Path, **options: object) -> BuildReport:
    return build(BuildOptions([root], outdir, **options))  # type: ignore[arg-type]


def _files(outdir: Path) -> dict[str, tuple[bytes, int]]:
    """Each output's bytes and inode (a rewritten file is a new inode: written then renamed)."""
    paths = [p for p in sorted(outdir.rglob("*")) if p.is_file() and CACHE_NAME not in p.parts and p.name[0] != "."]
    return {str(p.relative_to(outdir)): (p.read_bytes(), p.stat().st_ino) for p in paths}


def _bytes(outdir: Path) -> dict[str, bytes]:
    return {name: data for name, (data, _ino) in _files(outdir).items()}


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(SAMPLE, root)
    # one record the gate quarantines (a pathway score over 1), so quarantine/ is not empty
    text = (root / "_figures" / f"{INLINE}.md").read_text("utf-8")
    broken = text.replace("pathway_score: 0.924795", "pathway_score: 1.5").replace(INLINE, "PMC1__broken-f1")
    assert broken != text.replace(INLINE, "PMC1__broken-f1")
    (root / "_figures" / "PMC1__broken-f1.md").write_text(broken, "utf-8")
    return root


def test_unchanged_rebuild_rewrites_nothing_and_reports_the_same(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _build(db, out)
    assert first.quarantined, "the fixture should quarantine a record"
    before = _files(out)
    again = _build(db, out)
    assert again.up_to_date and (again.reused, again.computed) == (first.records_read, 0)
    assert _files(out) == before  # same bytes, same inodes: not even rewritten
    assert again.as_dict() == first.as_dict()


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


@pytest.mark.parametrize(
    "change", [_edit_output, _stray_format, _quarantine_removed, _record_edited, "report.html", "last-build"],
    ids=["output-edited", "stray-format", "quarantine-file-removed", "record-edited", "output-removed", "state-lost"],
)
def test_any_change_makes_a_real_rebuild_with_a_full_builds_bytes(db: Path, tmp_path: Path, change: object) -> None:
    out = tmp_path / "out"
    _build(db, out)
    if change == "report.html":
        (out / "report.html").unlink()
    elif change == "last-build":
        state_file(out / CACHE_NAME, out).unlink()
    else:
        change(out)  # type: ignore[operator]
    again = _build(db, out)
    assert not again.up_to_date
    full = tmp_path / "full"
    _build(db, full, use_cache=False)
    assert _bytes(out) == _bytes(full)
    assert _build(db, out).up_to_date  # and the next one is again


def test_other_formats_are_not_up_to_date(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out)
    with_jsonld = _build(db, out, formats=("nt", "ttl", "jsonld"))
    assert not with_jsonld.up_to_date and (out / "pfocr.jsonld").is_file()
    assert _build(db, out, formats=("nt", "ttl", "jsonld")).up_to_date
    assert not _build(db, out).up_to_date and not (out / "pfocr.jsonld").exists()


def test_no_cache_and_records_without_a_key_are_never_skipped(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out)
    assert not _build(db, out, use_cache=False).up_to_date
    limit = max(p.stat().st_size for p in db.rglob("*") if p.is_file())
    (db / "_figures" / "PMC2__huge-f1.md").write_bytes(b"---\nfigid: PMC2__huge-f1\n---\n" + b"x" * limit)
    _build(db, out, max_bytes=limit)  # PMC2__huge-f1 alone is over the limit: it has no cache key
    again = _build(db, out, max_bytes=limit)
    assert not again.up_to_date and again.computed == 1


def test_kg_clean_forgets_the_last_build(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out)
    assert main(["clean", str(out)]) == 0
    again = _build(db, out)
    assert not again.up_to_date and again.computed == again.records_read
