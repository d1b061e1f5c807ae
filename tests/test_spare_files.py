"""A rebuild writes its large outputs over the spares the build before left (kg.write.spare):
the bytes are those of a fresh full build, and a file anyone may still read is never reused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, leases_work

from kg.pipeline import BuildOptions, BuildReport, build, clean
from kg.write.spare import spare_name

INLINE = "PMC2776288__ajtr0001-0001-f3"
LARGE = ("pfocr.nt", "pfocr.ttl", "validation.ttl")
REWRITTEN = ("pfocr.nt", "pfocr.ttl")  # by a caption edit: validation.ttl stays (decision 0016)

pytestmark = pytest.mark.skipif(not hasattr(os, "link"), reason="spares are hard links")


def _build(root: Path, outdir: Path, **options: object) -> BuildReport:
    return build(BuildOptions([root], outdir, **options))  # type: ignore[arg-type]


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(outdir.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "_figures" / f"{INLINE}.md"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    root = tmp_path / "db"
    shutil.copytree(SAMPLE, root)
    return root


def _fresh(db: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    _build(db, out, use_cache=False)
    return _outputs(out)


def _recycled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the outputs written over a spare, as builds open them (inode numbers cannot
    tell: a file system may give a fresh file the number of one just removed)."""
    import kg.write.atomic
    from kg.write.spare import open_recycled

    found: list[str] = []

    def spy(spare: Path, tmp: Path):  # type: ignore[no-untyped-def]
        handle = open_recycled(spare, tmp)
        if handle is not None:
            found.append(spare.name)
        return handle

    monkeypatch.setattr(kg.write.atomic, "open_recycled", spy)
    return found


def test_rebuilds_write_over_the_spares_and_give_a_fresh_builds_bytes(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not leases_work(tmp_path):
        pytest.skip("no file leases here: spares are never reused")
    recycled = _recycled(monkeypatch)
    out = tmp_path / "out"
    _edit(db, "Paradoxically", "Paradoxically (a long first edit that makes every output longer)")
    _build(db, out)
    assert not recycled and not any(spare_name(out / name).exists() for name in LARGE)
    first = {name: (out / name).read_bytes() for name in LARGE}
    validation = (out / "validation.ttl").stat().st_ino

    _edit(db, "Paradoxically (a long first edit that makes every output longer)", "Paradoxically (edited)")
    _build(db, out)
    assert not recycled  # there were no spares yet; now the first build's outputs are
    assert {name: spare_name(out / name).read_bytes() for name in REWRITTEN} == {name: first[name] for name in REWRITTEN}
    assert all(spare_name(out / name).stat().st_nlink == 1 for name in REWRITTEN)
    # a caption changes no check result: validation.ttl is kept as it is, and needs no spare
    assert (out / "validation.ttl").stat().st_ino == validation
    assert not spare_name(out / "validation.ttl").exists()
    assert (out / "pfocr.nt").read_bytes() != first["pfocr.nt"]
    assert _outputs(out) == _fresh(db, tmp_path, "fresh1")

    _edit(db, "Paradoxically (edited)", "Paradoxically")  # shorter than the spares it is written over
    _build(db, out)
    assert sorted(recycled) == sorted(spare_name(out / name).name for name in REWRITTEN)
    assert (out / "pfocr.nt").stat().st_size < len(first["pfocr.nt"])
    assert _outputs(out) == _fresh(db, tmp_path, "fresh2")


def test_a_spare_someone_still_reads_is_never_written_over(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out)
    with open(out / "pfocr.nt", "rb") as reader:  # e.g. a triple store loading it, slowly
        before = reader.read()
        _edit(db, "Paradoxically", "Paradoxically (edited once)")
        _build(db, out)  # the file being read becomes a spare…
        assert spare_name(out / "pfocr.nt").stat().st_ino == os.fstat(reader.fileno()).st_ino
        _edit(db, "Paradoxically (edited once)", "Paradoxically (edited twice)")
        _build(db, out)  # … which this build must not write over
        assert (out / "pfocr.nt").stat().st_ino != os.fstat(reader.fileno()).st_ino
        reader.seek(0)
        assert reader.read() == before
    assert _outputs(out) == _fresh(db, tmp_path, "fresh")


def test_a_spare_linked_elsewhere_is_never_written_over(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out)
    _edit(db, "Paradoxically", "Paradoxically (edited once)")
    _build(db, out)
    kept = tmp_path / "kept.nt"  # a hard link someone made to an old output
    os.link(spare_name(out / "pfocr.nt"), kept)
    before = kept.read_bytes()
    _edit(db, "Paradoxically (edited once)", "Paradoxically (edited twice)")
    _build(db, out)
    assert kept.read_bytes() == before
    assert (out / "pfocr.nt").stat().st_ino != kept.stat().st_ino
    assert _outputs(out) == _fresh(db, tmp_path, "fresh")


def test_no_cache_builds_leave_no_spares_and_clean_removes_them(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(db, out, use_cache=False)
    _edit(db, "Paradoxically", "Paradoxically (edited once)")
    _build(db, out, use_cache=False)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".spare")]

    _build(db, out)
    _edit(db, "Paradoxically (edited once)", "Paradoxically (edited twice)")
    _build(db, out)
    spares = sorted(p.name for p in out.iterdir() if p.name.endswith(".spare"))
    assert spares == [".pfocr.nt.spare", ".pfocr.ttl.spare", ".validation.ttl.spare"]
    removed = {p.name for p in clean(out)}
    assert set(spares) <= removed
    assert not [p.name for p in out.iterdir() if p.name.endswith(".spare")]
    assert (out / "pfocr.nt").is_file()  # plain `kg clean` keeps the outputs


def test_a_build_that_fails_before_its_commit_keeps_the_outputs_and_reuses_no_live_file(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old outputs are linked as spares just before the commit; if the commit never comes,
    those spares are still the live outputs (two links) and the next build must not reuse them."""
    import kg.pipeline

    out = tmp_path / "out"
    _build(db, out)
    live = _outputs(out)

    def fail(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.pipeline, "commit", fail)
    _edit(db, "Paradoxically", "Paradoxically (edited once)")
    with pytest.raises(OSError):
        _build(db, out)
    assert _outputs(out) == live
    assert spare_name(out / "pfocr.nt").stat().st_nlink == 2  # the live file, linked twice
    monkeypatch.undo()
    recycled = _recycled(monkeypatch)
    _build(db, out)
    assert recycled == []  # each spare was a live output: dropped, not written over
    assert _outputs(out) == _fresh(db, tmp_path, "fresh")


def test_an_output_no_longer_asked_for_takes_its_spare_with_it(db: Path, tmp_path: Path) -> None:
    """Dropping --format jsonld (or the gate) removes pfocr.jsonld (validation.ttl) and its spare:
    a spare the next builds will not reuse would only hold the disk."""
    out = tmp_path / "out"
    _build(db, out, formats=("nt", "ttl", "jsonld"), use_cache=False)
    _build(db, out, formats=("nt", "ttl", "jsonld"))  # no last build to keep validation.ttl from
    assert spare_name(out / "pfocr.jsonld").is_file() and spare_name(out / "validation.ttl").is_file()
    _build(db, out, validate=False)
    assert not (out / "pfocr.jsonld").exists() and not spare_name(out / "pfocr.jsonld").exists()
    assert not (out / "validation.ttl").exists() and not spare_name(out / "validation.ttl").exists()
    assert spare_name(out / "pfocr.nt").is_file()  # the outputs still written keep theirs
