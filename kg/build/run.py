"""`kg build` and `kg merge`: read → map → check → write, one figure at a time, in figid order.

The steps, each in its own module of kg.build: what the build reads (`_inputs`), each record's
outcome from the cache or computed (kg.build.pool, kg.build.worker), the up-to-date skip
(kg.build.uptodate), the outputs written and committed (kg.build.outputs), the cache tidied.
Never prints or exits: failures travel as Problems into the report, and only a SOURCE or shapes
folder that cannot be used stops a build. Work may run in worker processes; output order never
depends on them.
"""

from __future__ import annotations

import json
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kg.build.cache import CACHE_NAME, OutcomeCache, salt
from kg.build.options import BuildOptions
from kg.build.outputs import OutputPlan, Progress, write_outputs
from kg.build.pool import CacheStats, outcomes
from kg.build.shard import (
    ShardError,
    in_shard,
    merged_organism_problems,
    merged_outcomes,
    read_manifests,
    total_records,
    write_manifest,
)
from kg.build.uptodate import fingerprint, remember, up_to_date
from kg.build.worker import RunSettings
from kg.check.gate import Gate, ShadowDisagreement
from kg.check.shapes import shape_files
from kg.read.layout import RecordSource, discover
from kg.read.organisms import load_table
from kg.read.provenance import release_of
from kg.records import Problem, Release
from kg.report.summary import BuildReport
from kg.sparql.store import fill
from kg.write.atomic import OutputError
from kg.write.lock import OutdirLock, remove_stale_temporaries


@dataclass(slots=True)
class _Inputs:
    """What a build reads: its records (a shard's only), the release, the shapes (None: no gate)."""

    sources: list[RecordSource]
    release: Release
    shapes: list[Path] | None


def build(options: BuildOptions, progress: Progress | None = None, wait_for_lock: bool = False) -> BuildReport:
    """Build OUTDIR from the sources. Outputs are written under temporary names and renamed into
    place together at the end (report.json last): an interrupted build leaves the previous
    outputs as they were."""
    inputs = _inputs(options)
    _make_outdir(options.outdir)
    with OutdirLock(options.outdir, wait=wait_for_lock):
        remove_stale_temporaries(options.outdir)
        report = _build(options, inputs, progress)
        if options.store_dir is not None:
            fill(options.store_dir, options.outdir / "pfocr.nt")
        return report


def _inputs(options: BuildOptions) -> _Inputs:
    """The records, release and shapes; fails early, before any output, on unusable shapes."""
    sources = discover(options.sources)
    # the release is the whole build's, whichever records a shard holds
    release = release_of(options.release, options.release_date, sorted({s.root for s in sources}))
    if options.shard is not None:
        if not options.use_cache:
            raise ShardError("--shard needs the cache: kg merge reads each record's outcome from it")
        sources = in_shard(sources, *options.shard)
    shapes = shape_files(options.shapes_dir) if options.validate else None
    if shapes is not None:
        Gate(shapes, options.engine)
    return _Inputs(sources, release, shapes)


def _build(options: BuildOptions, inputs: _Inputs, progress: Progress | None) -> BuildReport:
    """Under the OUTDIR lock: the last build's report when nothing changed, else a new build."""
    folder = _cache_folder(options)
    settings = RunSettings(
        options.max_bytes, inputs.shapes, options.engine, folder.absolute() if folder is not None else None,
        salt(inputs.shapes, options.engine, options.max_bytes),
    )
    cache = settings.cache()
    # without the cache (--no-cache) nothing is keyed, read or kept: every record is computed
    keys: list[str | None] = [None] * len(inputs.sources)
    done = None
    if cache is not None:
        cache.remove_stale()
        keys = cache.keys(inputs.sources)
        done = _fingerprint(options, inputs, keys)
        report = _unchanged(cache.folder, options.outdir, done, len(inputs.sources))
        if report is not None:
            return report
    stats = CacheStats()
    report = _write(options, inputs, settings, keys, stats, progress)
    if cache is not None:
        _tidy(cache, options, stats, done)
    report.reused, report.computed = stats.reused, stats.computed
    return report


def _cache_folder(options: BuildOptions) -> Path | None:
    return (options.cache_dir or options.outdir / CACHE_NAME) if options.use_cache else None


def _fingerprint(options: BuildOptions, inputs: _Inputs, keys: list[str | None]) -> str | None:
    """What decides the outputs' bytes (kg.build.uptodate); None for a shard, never skipped."""
    if options.shard is not None:
        return None
    places = [*sorted({s.root for s in inputs.sources}), options.outdir]
    described = (*options.formats, json.dumps(inputs.release.as_dict(), sort_keys=True))
    return fingerprint(keys, described, places)


def _write(
    options: BuildOptions, inputs: _Inputs, settings: RunSettings, keys: list[str | None], stats: CacheStats,
    progress: Progress | None,
) -> BuildReport:
    """Every record's outcome, written into the outputs (and a shard's manifest)."""
    organism_problems = _organism_problems(inputs.sources, options.max_bytes)
    plan = OutputPlan(
        options.outdir, options.formats, inputs.shapes, options.engine, inputs.release, organism_problems,
        len(inputs.sources),
    )
    shard = options.shard is not None
    manifest = (
        (lambda: write_manifest(
            options.outdir, options, settings, inputs.sources, stats, organism_problems, inputs.release
        )) if shard else None
    )
    # closed however writing ends: the worker processes stop with it
    try:
        with closing(outcomes(inputs.sources, settings, options.jobs, stats, keys, shard)) as stream:
            return write_outputs(plan, stream, progress, shard_manifest=manifest)
    except ShadowDisagreement as exc:  # the compiled gate and shacl disagreed: both reports kept
        exc.keep(options.outdir / "shadow")
        raise


def _tidy(cache: OutcomeCache, options: BuildOptions, stats: CacheStats, done: str | None) -> None:
    """After a complete build: unused entries pruned, and the build remembered for the next."""
    if _cache_folder(options) == options.outdir / CACHE_NAME:  # OUTDIR's own; a --cache-dir may serve others too
        cache.prune(stats.keys)
    # a record that changed while it was read was computed from other bytes than its key says:
    # its outcome is not cached, and this build is not remembered
    remember(cache.folder, options.outdir, None if stats.unstable else done)


def _unchanged(folder: Path, outdir: Path, fingerprint: str | None, records: int) -> BuildReport | None:
    """The last build's report when its outputs are what this build would write (kg.build.uptodate)."""
    previous = up_to_date(folder, outdir, fingerprint)
    if previous is None:
        return None
    try:
        report = BuildReport.from_dict(previous)
    except (KeyError, TypeError, ValueError):
        return None  # a report.json this tool did not write: rebuild
    report.reused, report.up_to_date = records, True
    return report


def _make_outdir(outdir: Path) -> None:
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(outdir, exc) from exc


def _organism_problems(sources: list[RecordSource], max_bytes: int) -> list[tuple[str, list[Problem]]]:
    """Problems of each database root's organism pages, by root (reported once per root)."""
    roots = sorted({str(s.root) for s in sources})
    return [(root, list(load_table(Path(root) / "_organisms", max_bytes)[1])) for root in roots]


def merge(
    shard_dirs: list[Path], outdir: Path, progress: Progress | None = None, wait_for_lock: bool = False
) -> BuildReport:
    """Combine the OUTDIRs of `kg build --shard I/N` (all N of them) into the outputs one build
    of all records gives, byte for byte."""
    manifests = read_manifests(shard_dirs)
    first = manifests[0]
    shapes = None if first["shapes"] is None else [Path(p) for p in first["shapes"]]
    _make_outdir(outdir)
    with OutdirLock(outdir, wait=wait_for_lock):
        remove_stale_temporaries(outdir)
        plan = OutputPlan(
            outdir, tuple(first["formats"]), shapes, first["engine"], Release.from_dict(first.get("release") or {}),
            merged_organism_problems(manifests), total_records(manifests),
        )
        return write_outputs(plan, merged_outcomes(manifests), progress)
