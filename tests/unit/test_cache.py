"""The build cache: a rebuild redoes only changed records and writes the bytes a full build writes;
damaged entries are recomputed; `--no-cache` and `kg clean` leave nothing behind."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SHAPES
from helpers.build import OUTPUT_FILES, build_report, outputs

from kg.cache import CACHE_NAME
from kg.cli import main

INLINE = "PMC2776288__ajtr0001-0001-f3"
SIDECAR = "PMC10017456__fpls-14-1084358-g002"  # a newer-format record with _data/ TSVs
TWIN = "PMC10028837__nihpp-2023.03.03.530734v1-f0009"  # its paper has another figure (…-f0001)
FORMATS = ("nt", "ttl", "nq")  # pfocr.nq's graphs are cut from the same pieces: the same property holds


def _count(root: Path) -> int:
    return len(list((root / "_figures").glob("*.md")))


@pytest.mark.slow
def test_unchanged_rebuild_reuses_every_record(db: Path, tmp_path: Path) -> None:
    first = build_report(db, tmp_path / "out")
    assert (first.reused, first.computed) == (0, _count(db))
    before = outputs(tmp_path / "out")
    again = build_report(db, tmp_path / "out")
    assert (again.reused, again.computed) == (_count(db), 0)
    assert outputs(tmp_path / "out") == before


@pytest.mark.parametrize(
    "change",
    ["edit-caption", *(pytest.param(change, marks=pytest.mark.slow)
                       for change in ("edit-sidecar", "add-record", "remove-record", "delete-sidecar",
                                      "add-figure-of-a-paper-with-sidecars", "remove-figure-of-a-shared-paper",
                                      "swap-an-inline-gene"))],
)
def test_one_change_recomputes_one_record_and_gives_a_full_builds_bytes(
    db: Path, tmp_path: Path, change: str
) -> None:
    out = tmp_path / "out"
    build_report(db, out, formats=FORMATS)
    n = _count(db)
    if change == "edit-caption":
        md = db / "_figures" / f"{INLINE}.md"
        md.write_text(md.read_text("utf-8").replace("description:", "description: Changed.", 1), "utf-8")
        expected = (n - 1, 1)
    elif change == "edit-sidecar":
        tsv = db / "_data" / f"{SIDECAR}-genes.tsv"
        lines = tsv.read_text("utf-8").splitlines(keepends=True)
        tsv.write_text("".join(lines[:-1]), "utf-8")  # one gene row fewer
        expected = (n - 1, 1)
    elif change == "delete-sidecar":
        (db / "_data" / f"{SIDECAR}-genes.tsv").unlink()
        expected = (n - 1, 1)
    elif change == "add-record":
        text = (db / "_figures" / f"{INLINE}.md").read_text("utf-8")
        new = "PMC9999999__new-f1"
        (db / "_figures" / f"{new}.md").write_text(text.replace(INLINE, new), "utf-8")
        expected = (n, 1)
    elif change == "add-figure-of-a-paper-with-sidecars":  # SIDECAR under a new figid, TSVs too
        copy = SIDECAR.replace("g002", "g099")
        text = (db / "_figures" / f"{SIDECAR}.md").read_text("utf-8")
        (db / "_figures" / f"{copy}.md").write_text(text.replace(SIDECAR, copy), "utf-8")
        for tsv in (db / "_data").glob(f"{SIDECAR}-*.tsv"):
            shutil.copy(tsv, tsv.with_name(tsv.name.replace(SIDECAR, copy)))
        expected = (n, 1)
    elif change == "remove-figure-of-a-shared-paper":
        (db / "_figures" / f"{TWIN}.md").unlink()
        for tsv in (db / "_data").glob(f"{TWIN}-*.tsv"):
            tsv.unlink()
        expected = (n - 1, 0)
    elif change == "swap-an-inline-gene":  # XIAP (331) becomes TP53 (7157), which no figure names
        md = db / "_figures" / f"{INLINE}.md"
        text = md.read_text("utf-8")
        old = "  hgnc_symbol: XIAP\n  entrez: '331'"
        assert old in text
        md.write_text(text.replace(old, "  hgnc_symbol: TP53\n  entrez: '7157'"), "utf-8")
        expected = (n - 1, 1)
    else:
        (db / "_figures" / f"{INLINE}.md").unlink()
        expected = (n - 1, 0)
    rebuilt = build_report(db, out, formats=FORMATS)
    assert (rebuilt.reused, rebuilt.computed) == expected
    full = build_report(db, tmp_path / "full", use_cache=False, formats=FORMATS)
    assert full.computed == rebuilt.reused + rebuilt.computed
    assert outputs(out, (*OUTPUT_FILES, "pfocr.nq")) == outputs(tmp_path / "full", (*OUTPUT_FILES, "pfocr.nq"))
    if change == "remove-record":  # its entry is pruned: the cache holds what the build uses
        entries = [p for p in (out / CACHE_NAME).glob("??/*") if p.is_file()]  # not the content index
        assert len(entries) == n - 1


@pytest.mark.slow
def test_other_shapes_or_organism_pages_invalidate_every_record(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    n = _count(db)
    shapes = tmp_path / "shapes"
    shutil.copytree(SHAPES, shapes)
    (shapes / "record.ttl").write_text((shapes / "record.ttl").read_text("utf-8") + "\n# edited\n", "utf-8")
    assert build_report(db, out, shapes_dir=shapes).computed == n
    page = next((db / "_organisms").glob("*.md"))
    page.write_text(page.read_text("utf-8") + "\n", "utf-8")
    assert build_report(db, out, shapes_dir=shapes).computed == n
    assert build_report(db, out, shapes_dir=shapes).computed == 0


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "foreign-header"])
def test_a_damaged_entry_is_recomputed_not_trusted(db: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    before = outputs(out)
    entry = sorted(p for p in (out / CACHE_NAME).glob("??/*") if p.is_file())[3]
    data = entry.read_bytes()
    entry.write_bytes(
        {
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "garbage": data[:16] + bytes(len(data) - 16),
            "foreign-header": b"XXXX" + data[4:],
        }[damage]
    )
    (out / "report.html").unlink()  # else the outputs are up to date and nothing is loaded (kg.uptodate)
    again = build_report(db, out)
    assert (again.reused, again.computed) == (_count(db) - 1, 1)
    assert outputs(out) == before
    assert entry.read_bytes() == data  # rewritten whole


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=False, capture_output=True, text=True)
    return int(done.stdout)


@pytest.mark.slow
def test_stale_temporary_entries_are_removed_but_not_a_running_writers(db: Path, tmp_path: Path) -> None:
    """A --cache-dir may be shared by builds into other OUTDIRs: their temporaries stay."""
    out = tmp_path / "out"
    build_report(db, out)
    sub = next(p for p in (out / CACHE_NAME).iterdir() if p.is_dir())
    stale = sub / f".deadbeef.tmp-{_dead_pid()}"
    stale.write_bytes(b"half an entry")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as writer:
        try:
            busy = sub / f".cafebabe.tmp-{writer.pid}"
            busy.write_bytes(b"an entry being written")
            (out / "report.html").unlink()  # a real rebuild, not an up-to-date one
            build_report(db, out)
            assert not stale.exists()
            assert busy.exists()
        finally:
            writer.kill()


@pytest.mark.slow
def test_a_shared_cache_dir_keeps_what_other_outdirs_use(db: Path, tmp_path: Path) -> None:
    """Builds of different records into two OUTDIRs with one --cache-dir: neither prunes the
    other's entries (only an OUTDIR's own .kg-cache is pruned)."""
    cache = tmp_path / "shared"
    other = tmp_path / "other"
    (other / "_figures").mkdir(parents=True)
    shutil.copy(db / "_figures" / f"{INLINE}.md", other / "_figures")
    (db / "_figures" / f"{INLINE}.md").unlink()
    first = build_report(db, tmp_path / "a", cache_dir=cache)
    assert build_report(other, tmp_path / "b", cache_dir=cache).computed == 1
    (tmp_path / "a" / "report.html").unlink()
    again = build_report(db, tmp_path / "a", cache_dir=cache)
    assert (again.reused, again.computed) == (first.records_read, 0)
    assert build_report(other, tmp_path / "b", cache_dir=cache).up_to_date  # one state per OUTDIR


@pytest.mark.slow
def test_no_cache_reads_and_leaves_no_cache(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    report = build_report(db, out, use_cache=False)
    assert (report.reused, report.computed) == (0, _count(db))
    fresh = tmp_path / "fresh"
    assert main(["build", str(db), "-o", str(fresh), "-q", "--no-cache"]) == 0
    assert sorted(p.name for p in fresh.iterdir()) == sorted(
        [".kg-build.lock", "pfocr-vocab.ttl", "pfocr.nt", "pfocr.ttl", "quarantine", "report.html", "report.json",
         "validation.ttl"]
    )


@pytest.mark.slow
def test_cache_dir_elsewhere(db: Path, tmp_path: Path) -> None:
    cache = tmp_path / "elsewhere"
    build_report(db, tmp_path / "out", cache_dir=cache)
    assert not (tmp_path / "out" / CACHE_NAME).exists()
    assert build_report(db, tmp_path / "out2", cache_dir=cache).reused == _count(db)


@pytest.mark.slow
def test_kg_clean(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    build_report(db, out)
    (out / "mine.txt").write_text("not kg's")
    assert main(["clean", str(out)]) == 0
    assert not (out / CACHE_NAME).exists()
    assert (out / "pfocr.nt").exists()
    assert f"removed {out / CACHE_NAME}" in capsys.readouterr().err
    assert main(["clean", str(out), "--all"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    assert main(["clean", str(out)]) == 0
    assert "nothing to remove" in capsys.readouterr().err


def _count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The records whose files the build process reads and hashes (kg.cache._record_digest)."""
    import kg.cache

    hashed: list[str] = []
    real = kg.cache._record_digest

    def counting(source, max_bytes):  # type: ignore[no-untyped-def]
        hashed.append(source.md.stem)
        return real(source, max_bytes)

    monkeypatch.setattr(kg.cache, "_record_digest", counting)
    return hashed


@pytest.mark.slow
def test_content_index_rehashes_only_files_whose_stat_changed(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cache import ContentIndex

    monkeypatch.setattr(ContentIndex, "RACY_NS", 0)  # the fixture's files are seconds old
    out = tmp_path / "out"
    build_report(db, out)
    hashed = _count_hashing(monkeypatch)
    assert build_report(db, out).computed == 0
    assert hashed == []  # every key from the index
    # Same size, one byte different, same second: the mtime (and ctime, inode) tell it apart.
    md = db / "_figures" / f"{INLINE}.md"
    data = md.read_bytes()
    cut = data.index(b"description:") + len(b"description: ")
    md.write_bytes(data[:cut] + (b"X" if data[cut:cut + 1] != b"X" else b"Y") + data[cut + 1:])
    rebuilt = build_report(db, out)
    assert (rebuilt.reused, rebuilt.computed) == (_count(db) - 1, 1)
    assert INLINE in hashed
    assert outputs(out) == _outputs_of_full_build(db, tmp_path / "full")


@pytest.mark.slow
def test_a_sidecar_made_between_its_stat_and_its_read_is_not_remembered_as_absent(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index must not pair "no chemicals TSV" (the stat) with a digest of one (the read): once
    the TSV is gone again, a rebuild would take the outcome of the record with it."""
    import kg.cache
    from kg.cache import ContentIndex

    monkeypatch.setattr(ContentIndex, "RACY_NS", 0)
    out = tmp_path / "out"
    figid = "PMC10028837__nihpp-2023.03.03.530734v1-f0001"  # a genes TSV, no chemicals TSV
    md = db / "_figures" / f"{figid}.md"
    sidecar = db / "_data" / f"{figid}-chemicals.tsv"
    assert not sidecar.exists()
    without = _outputs_of_full_build(db, tmp_path / "full")
    build_report(db, out)
    md.touch()  # changed: its record is hashed again, and the TSV appears meanwhile
    real = kg.cache._record_digest

    def racing(source, max_bytes):  # type: ignore[no-untyped-def]
        if source.md.stem == figid and not sidecar.exists():
            sidecar.write_text("word\tmesh\tmatch\tname\tchebi\n"
                               "magnoflorine\tmesh:C001670\t(S)-magnoflorine\tmagnoflorine\tchebi:6641\n")
        return real(source, max_bytes)

    monkeypatch.setattr(kg.cache, "_record_digest", racing)
    build_report(db, out)
    assert b"magnoflorine" in outputs(out)["pfocr.nt"]  # the TSV was read
    monkeypatch.setattr(kg.cache, "_record_digest", real)
    sidecar.unlink()
    build_report(db, out)
    assert outputs(out) == without


def _outputs_of_full_build(db: Path, outdir: Path) -> dict[str, bytes]:
    build_report(db, outdir, use_cache=False)
    return outputs(outdir)


@pytest.mark.slow
def test_content_index_never_trusts_files_younger_than_the_racy_window(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_report(db, out)  # files copied a moment ago: too young to be remembered by their stat
    hashed = _count_hashing(monkeypatch)
    assert build_report(db, out).computed == 0
    assert len(hashed) == _count(db)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "truncated", "not-a-dict"])
def test_a_damaged_content_index_means_hashing_again(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    import pickle
    import struct
    import zlib

    from kg.cache import ContentIndex

    monkeypatch.setattr(ContentIndex, "RACY_NS", 0)
    out = tmp_path / "out"
    build_report(db, out)
    index = out / CACHE_NAME / ContentIndex.NAME
    data = index.read_bytes()
    payload = pickle.dumps(["not", "a", "dict"])
    index.write_bytes({
        "garbage": bytes(len(data)),
        "truncated": data[: len(data) // 2],
        "not-a-dict": struct.pack(">4sIQ", b"KGI1", zlib.crc32(payload), len(payload)) + payload,
    }[damage])
    hashed = _count_hashing(monkeypatch)
    before = outputs(out)
    assert build_report(db, out).computed == 0
    assert len(hashed) == _count(db)
    assert outputs(out) == before
    hashed.clear()
    assert build_report(db, out).computed == 0 and hashed == []  # rewritten whole


def _keys_as_hashed(root: Path, folder: Path) -> list[str | None]:
    """OutcomeCache.keys of the records under `root`, checked against the key of each record's
    bytes (OutcomeCache.key)."""
    from kg.cache import OutcomeCache
    from kg.read.layout import discover

    sources = discover([root])
    cache = OutcomeCache(folder, b"salt", 1 << 22)
    keys = cache.keys(sources)
    assert keys == [cache.key(source) for source in sources]
    return keys


def test_a_sidecar_created_or_deleted_after_a_build_changes_its_records_key(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sidecar that appears after a build is seen by the next one, and one deleted gives its
    record a new key."""
    from kg.cache import ContentIndex

    monkeypatch.setattr(ContentIndex, "RACY_NS", 0)
    cache = tmp_path / "cache"
    names = sorted(p.stem for p in (db / "_figures").glob("*.md"))
    first = _keys_as_hashed(db, cache)
    hashed = _count_hashing(monkeypatch)
    assert _keys_as_hashed(db, cache) == first
    added = db / "_data" / f"{INLINE}-genes.tsv"
    assert not added.exists()
    shutil.copy(db / "_data" / f"{SIDECAR}-genes.tsv", added)
    hashed.clear()
    second = _keys_as_hashed(db, cache)
    changed = [name for name, a, b in zip(names, first, second) if a != b]
    assert changed == [INLINE] and INLINE in hashed
    added.unlink()
    assert _keys_as_hashed(db, cache) == first
    (db / "_data" / f"{SIDECAR}-chemicals.tsv").unlink()
    third = _keys_as_hashed(db, cache)
    assert [name for name, a, b in zip(names, first, third) if a != b] == [SIDECAR]


def test_a_record_whose_files_cannot_be_used_has_no_key(db: Path, tmp_path: Path) -> None:
    """A sidecar path that is a folder (unreadable) or past the name length limit: the record is
    not keyed (it is computed every build, and the reader says why); a dangling symlink is an
    absent sidecar."""
    data = db / "_data"
    names = sorted(p.stem for p in (db / "_figures").glob("*.md"))
    other = next(name for name in names if name not in (INLINE, SIDECAR))
    (data / f"{other}-diseases.tsv").mkdir()
    (data / f"{INLINE}-diseases.tsv").symlink_to(data / "nowhere")
    long = "PMC1__" + "x" * 240  # its .md name fits, its -chemicals.tsv does not
    shutil.copy(db / "_figures" / f"{INLINE}.md", db / "_figures" / f"{long}.md")
    keys = _keys_as_hashed(db, tmp_path / "a")
    names.append(long)
    names.sort()
    unkeyed = [name for name, key in zip(names, keys) if key is None]
    assert unkeyed == sorted([other, long])  # long: ENAMETOOLONG
