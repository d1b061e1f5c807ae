"""`kg build --shard I/N` + `kg merge`: the merged outputs are one build's bytes; incomplete,
mixed or damaged shard sets are refused with a reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE
from helpers.build import OUTPUT_FILES, outputs
from helpers.records import copy_sample, edit_file

from kg.cache import CACHE_NAME
from kg.cli import main
from kg.shard import MANIFEST, shard_of

NQ = ("--format", "nt,ttl,nq")  # pfocr.nq merges to one build's bytes too
WITH_NQ = (*OUTPUT_FILES, "pfocr.nq")


@pytest.fixture(scope="module")
def shards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The sample (with a broken record, so quarantine merges too) built whole and in 3 shards."""
    base = tmp_path_factory.mktemp("shards")
    db = copy_sample(base / "db")
    edit_file(db / "_figures" / "PMC2776288__ajtr0001-0001-f3.md", "figid:", "figid: wrong-", 1)
    assert main(["build", str(db), "-o", str(base / "whole"), "-q", "--no-cache", "-j", "1", *NQ]) == 0
    dirs = []
    for i in (1, 2, 3):
        dirs.append(base / f"shard{i}")
        assert main(["build", str(db), "-o", str(dirs[-1]), "-q", "--shard", f"{i}/3", *NQ]) == 0
    return base, dirs


@pytest.mark.slow
def test_shards_partition_the_records(shards: tuple[Path, list[Path]]) -> None:
    base, dirs = shards
    figids = sorted(p.stem for p in (base / "db" / "_figures").glob("*.md"))
    parts = [json.loads((d / "report.json").read_text("utf-8"))["records_read"] for d in dirs]
    assert sum(parts) == len(figids)
    assert all(n > 0 for n in parts)  # 35 records over 3 shards: none empty (hash spread)
    for i, d in enumerate(dirs, start=1):
        listed = [stem for stem, _file, _key in json.loads((d / MANIFEST).read_text("utf-8"))["records"]]
        assert listed == sorted(f for f in figids if shard_of(f, 3) == i)


@pytest.mark.slow
def test_merge_gives_the_bytes_of_one_build(shards: tuple[Path, list[Path]]) -> None:
    base, dirs = shards
    out = base / "merged"
    assert main(["merge", *map(str, reversed(dirs)), "-o", str(out), "-q"]) == 0
    whole, merged = outputs(base / "whole", WITH_NQ), outputs(out, WITH_NQ)
    assert merged.keys() == whole.keys()
    for name in whole:
        assert merged[name] == whole[name], name
    report = json.loads(merged["report.json"])
    assert report["records_read"] == report["figures_written"] + len(report["quarantined"])
    assert len(report["quarantined"]) == 1


@pytest.mark.slow
def test_shards_sharing_one_cache_dir_merge_to_one_build(shards: tuple[Path, list[Path]], tmp_path: Path) -> None:
    """A job array may give every shard the same --cache-dir: no shard prunes another's entries."""
    base, _dirs = shards
    cache = tmp_path / "shared-cache"
    dirs = [base / f"shared-cache-shard{i}" for i in (1, 2, 3)]  # beside "whole": same links in report.html
    for i, folder in enumerate(dirs, start=1):
        assert main(["build", str(base / "db"), "-o", str(folder), "-q", "--shard", f"{i}/3", "--cache-dir", str(cache)]) == 0
    assert main(["merge", *map(str, dirs), "-o", str(base / "shared-cache-merged"), "-q"]) == 0
    assert outputs(base / "shared-cache-merged") == outputs(base / "whole")


@pytest.mark.slow
@pytest.mark.parametrize("problem", ["missing", "twice", "mixed-n", "not-a-shard", "damaged-entry"])
def test_merge_refuses_what_cannot_give_one_build(
    shards: tuple[Path, list[Path]], tmp_path: Path, capsys: pytest.CaptureFixture[str], problem: str
) -> None:
    base, dirs = shards
    given = list(dirs)
    if problem == "missing":
        given = dirs[:2]
        expected = "missing shard(s) 3/3"
    elif problem == "twice":
        given = [dirs[0], dirs[0], dirs[1], dirs[2]]
        expected = "shard 1/3 given twice"
    elif problem == "mixed-n":
        other = tmp_path / "other"
        assert main(["build", str(base / "db"), "-o", str(other), "-q", "--shard", "1/2"]) == 0
        given = [other, *dirs[1:]]
        expected = "different splits"
    elif problem == "not-a-shard":
        given = [base / "whole", *dirs]
        expected = "no shard.json"
    else:
        copy = tmp_path / "shard2"
        shutil.copytree(dirs[1], copy)
        manifest = json.loads((copy / MANIFEST).read_text("utf-8"))
        manifest["cache"] = str(copy / CACHE_NAME)
        (copy / MANIFEST).write_text(json.dumps(manifest), "utf-8")
        key = manifest["records"][0][2]
        (copy / CACHE_NAME / key[:2] / key[2:]).write_bytes(b"torn")
        given = [dirs[0], copy, dirs[2]]
        expected = "missing or damaged; rebuild that shard"
    out = tmp_path / "merged"
    assert main(["merge", *map(str, given), "-o", str(out), "-q"]) == 2
    assert expected in capsys.readouterr().err
    assert not (out / "pfocr.nt").exists()


def test_shard_needs_the_cache_and_a_valid_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "o"), "-q", "--shard", "1/2", "--no-cache"]) == 2
    assert "--shard needs the cache" in capsys.readouterr().err
    for bad in ("0/2", "3/2", "x", "1/2/3"):
        with pytest.raises(SystemExit):
            main(["build", str(SAMPLE), "--shard", bad])
        assert "--shard" in capsys.readouterr().err


def test_shard_of_is_stable() -> None:
    """Fixed by sha256, not Python's per-process hash(): hand-computed for these figids."""
    import hashlib

    for figid in ("PMC2776288__ajtr0001-0001-f3", "PMC10017456__fpls-14-1084358-g002"):
        expected = int(hashlib.sha256(figid.encode()).hexdigest()[:16], 16) % 4 + 1
        assert shard_of(figid, 4) == expected
