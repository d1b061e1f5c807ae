"""Shards: `kg build --shard I/N` builds one deterministic part of the records, `kg merge` combines
the parts into exactly the bytes one build of all records gives.

Why this way: a shard keeps every record's outcome in its cache and lists them in `shard.json`;
merge replays those outcomes, in the order one build would meet them, through the same writing
stage. So entity nodes are described once, duplicates across shards are caught, and reports add
up — by construction, not by stitching output files together.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.build.cache import OutcomeCache
from kg.read.layout import RecordSource
from kg.records import Problem, Release
from kg.write.atomic import AtomicFile, write_bytes

if TYPE_CHECKING:
    from kg.build.options import BuildOptions
    from kg.build.pool import CacheStats
    from kg.build.worker import Outcome, RunSettings

MANIFEST = "shard.json"
MANIFEST_VERSION = 2


class ShardError(Exception):
    """A shard request or a set of shard outputs that cannot be used."""


def parse_shard(text: str) -> tuple[int, int]:
    """'I/N' with 1 ≤ I ≤ N."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ShardError(f"--shard {text!r}: expected I/N, e.g. 1/4") from None
    if not 1 <= index <= count:
        raise ShardError(f"--shard {text!r}: I must be between 1 and N")
    return index, count


def shard_of(stem: str, count: int) -> int:
    """The 1-based shard of a record: by a hash of its figid (file stem), the same on every
    machine and Python (not `hash()`, which is salted per process)."""
    return int.from_bytes(hashlib.sha256(stem.encode("utf-8", "surrogateescape")).digest()[:8], "big") % count + 1


def in_shard(sources: list[RecordSource], index: int, count: int) -> list[RecordSource]:
    return [s for s in sources if shard_of(s.stem, count) == index]


def write_manifest(
    outdir: Path,
    options: BuildOptions,
    settings: RunSettings,
    sources: list[RecordSource],
    stats: CacheStats,
    organism_problems: list[tuple[str, list[Problem]]],
    release: Release,
) -> AtomicFile:
    """shard.json, staged under its temporary name: the build's commit renames it with the outputs."""
    assert options.shard is not None
    manifest = {
        "version": MANIFEST_VERSION,
        "shard": list(options.shard),
        "salt": settings.salt.hex(),
        "cache": str(settings.cache_folder),
        "max_bytes": settings.max_bytes,
        "formats": list(options.formats),
        "engine": options.engine,
        "release": release.as_dict(),
        "shapes": None if settings.shapes is None else [str(p) for p in settings.shapes],
        "organism_problems": [[root, [p.as_dict() for p in ps]] for root, ps in organism_problems],
        "records": [[s.stem, str(s.md), key] for s, key in zip(sources, stats.locations, strict=True)],
    }
    text = json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
    return write_bytes(outdir / MANIFEST, text.encode("utf-8"), publish=False)


def read_manifests(shard_dirs: list[Path]) -> list[dict[str, Any]]:
    """The manifests of a complete set of shards of one build, or a ShardError saying what is wrong."""
    manifests = []
    for folder in shard_dirs:
        path = folder / MANIFEST
        try:
            manifest = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ShardError(f"{folder}: no {MANIFEST}; is it the OUTDIR of a `kg build --shard I/N`?") from None
        except (OSError, ValueError) as exc:
            raise ShardError(f"{path}: unreadable ({exc})") from None
        if manifest.get("version") != MANIFEST_VERSION:
            raise ShardError(f"{path}: written by another version of kg; rebuild that shard")
        manifest["_dir"] = str(folder)
        manifests.append(manifest)
    counts = {m["shard"][1] for m in manifests}
    if len(counts) != 1:
        raise ShardError(f"the shards come from different splits (N = {', '.join(map(str, sorted(counts)))})")
    count = counts.pop()
    seen: dict[int, str] = {}
    for m in manifests:
        index = m["shard"][0]
        if index in seen:
            raise ShardError(f"shard {index}/{count} given twice: {seen[index]} and {m['_dir']}")
        seen[index] = m["_dir"]
    missing = sorted(set(range(1, count + 1)) - seen.keys())
    if missing:
        raise ShardError(f"missing shard(s) {', '.join(f'{i}/{count}' for i in missing)}")
    for key in ("salt", "formats", "engine", "shapes", "max_bytes", "release"):
        values = {json.dumps(m[key], sort_keys=True) for m in manifests}
        if len(values) > 1:
            what = {"salt": "tool version or shapes", "release": "release (--release, --release-date, "
                    "SOURCE_DATE_EPOCH or the SOURCE's git commit)"}.get(key, key)
            raise ShardError(f"the shards were built with different {what}; rebuild them alike")
    return sorted(manifests, key=lambda m: m["shard"][0])


def merged_organism_problems(manifests: list[dict[str, Any]]) -> list[tuple[str, list[Problem]]]:
    by_root: dict[str, list[Problem]] = {}
    for m in manifests:
        for root, problems in m["organism_problems"]:
            by_root.setdefault(root, [Problem(**p) for p in problems])
    return sorted(by_root.items())


def merged_outcomes(manifests: list[dict[str, Any]]) -> Iterator[Outcome]:
    """Every shard's outcomes in the order one build meets its records: (figid-to-be, path)."""
    caches = [OutcomeCache(Path(m["cache"]), bytes.fromhex(m["salt"]), m["max_bytes"]) for m in manifests]
    streams = [[(stem, file, key, n) for stem, file, key in m["records"]] for n, m in enumerate(manifests)]
    for _stem, file, key, n in heapq.merge(*streams, key=lambda r: (r[0], r[1])):
        outcome = caches[n].load(key)
        if outcome is None:
            raise ShardError(
                f"{manifests[n]['_dir']}: the cache entry of {file} is missing or damaged; rebuild that shard"
            )
        yield outcome


def total_records(manifests: list[dict[str, Any]]) -> int:
    return sum(len(m["records"]) for m in manifests)
