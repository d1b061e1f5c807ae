"""read → map → check → write, one figure at a time, written in figid order.

Never prints or exits: failures travel as Problems into the report, and only a SOURCE or shapes
folder that cannot be used stops a build. Work may run in worker processes; output order never
depends on them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import __version__
from kg.cache import CACHE_NAME, salt
from kg.check.descriptions import FirstDescriptions
from kg.check.gate import DEFAULT_ENGINE, Gate, ShadowDisagreement, describe, engine_note
from kg.check.report import ValidationReportWriter
from kg.check.shapes import shape_files
from kg.map.dataset import dataset_triples
from kg.outcomes import CacheStats, Outcome, RunSettings, outcomes
from kg.publish.graph_facts import GraphFacts, facts
from kg.publish.report_html import write_report_html
from kg.rdf import line
from kg.read.layout import RecordSource, discover
from kg.read.organisms import load_table
from kg.read.provenance import release_of
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.records import Problem, Release
from kg.shard import (
    MANIFEST,
    ShardError,
    in_shard,
    merged_organism_problems,
    merged_outcomes,
    read_manifests,
    total_records,
    write_manifest,
)
from kg.sparql.store import fill
from kg.uptodate import fingerprint, remember, up_to_date
from kg.write.atomic import AtomicFile, OutputError, write_bytes
from kg.write.commit import begin_build, commit
from kg.write.jsonld import ntriples_to_jsonld
from kg.write.lock import LOCK_NAME, OutdirLock, remove_stale_temporaries
from kg.write.ntriples import NTriplesWriter
from kg.write.quarantine import QuarantineWriter
from kg.write.turtle import TurtleWriter, turtle_block

Progress = Callable[[int, int], None]

# Formats derived from the finished pfocr.nt (always written), each by a streaming converter;
# pfocr.ttl is written beside pfocr.nt, from Turtle blocks made in the workers.
DERIVED_FORMATS: dict[str, Callable[..., AtomicFile]] = {  # (pfocr.nt, output)
    "jsonld": ntriples_to_jsonld,
}
OUTPUT_FORMATS = ("nt", "ttl", *DERIVED_FORMATS)
DEFAULT_FORMATS = ("nt", "ttl")
# The pfocr: vocabulary, written with every build (docs/vocabulary.md).
VOCABULARY = Path(__file__).resolve().parent / "context" / "pfocr-vocab.ttl"
VOCABULARY_NAME = "pfocr-vocab.ttl"


@dataclass(slots=True)
class BuildOptions:
    sources: list[Path]
    outdir: Path
    max_bytes: int = DEFAULT_MAX_BYTES
    validate: bool = True
    shapes_dir: Path | None = None
    engine: str = DEFAULT_ENGINE
    jobs: int = 1
    store_dir: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS  # pfocr.nt is written whatever this says
    use_cache: bool = True
    cache_dir: Path | None = None  # default OUTDIR/.kg-cache
    shard: tuple[int, int] | None = None  # (I, N): build only the I-th of N partitions
    release: str | None = None  # pav:version of the dataset node (else the SOURCE's git commit)
    release_date: str | None = None  # YYYY-MM-DD, from --release-date or SOURCE_DATE_EPOCH


@dataclass(slots=True)
class BuildReport:
    records_read: int = 0
    figures_written: int = 0
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    validation: dict[str, object] = field(default_factory=dict)
    reused: int = 0  # outcomes taken from the cache (not in report.json: a rebuild's report
    computed: int = 0  # must be byte-identical to a full build's)
    up_to_date: bool = False  # nothing rewritten: the outputs were already what this build gives

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BuildReport:
        """The report of a build whose report.json this is (what `as_dict` wrote)."""
        def problems(key: str) -> list[Problem]:
            return [Problem(p["file"], p["reason"], p.get("figid"), p.get("field")) for p in data[key]]

        return cls(
            records_read=int(data["records_read"]), figures_written=int(data["figures_written"]),
            triples=int(data["triples"]), warnings=problems("warnings"), quarantined=problems("quarantined"),
            validation=dict(data["validation"]),
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": f"pfocr-kg {__version__}",
            "records_read": self.records_read,
            "figures_written": self.figures_written,
            "triples": self.triples,
            "quarantined_count": len(self.quarantined),
            "warnings_count": len(self.warnings),
            "validation": self.validation,
            "quarantined": [p.as_dict() for p in self.quarantined],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def build(options: BuildOptions, progress: Progress | None = None, wait_for_lock: bool = False) -> BuildReport:
    """Build OUTDIR from the sources. Outputs are written under temporary names and renamed into
    place together at the end (report.json last): an interrupted build leaves the previous
    outputs as they were."""
    sources = discover(options.sources)
    # the release is the whole build's, whichever records a shard holds
    release = release_of(options.release, options.release_date, sorted({s.root for s in sources}))
    if options.shard is not None:
        if not options.use_cache:
            raise ShardError("--shard needs the cache: kg merge reads each record's outcome from it")
        sources = in_shard(sources, *options.shard)
    shapes = shape_files(options.shapes_dir) if options.validate else None
    if shapes is not None:
        Gate(shapes, options.engine)  # fail early, before any output, on unusable shapes
    outdir = options.outdir
    _make_outdir(outdir)
    with OutdirLock(outdir, wait=wait_for_lock):
        remove_stale_temporaries(outdir)
        # without the cache (--no-cache) nothing is keyed, read or kept: every record is computed
        folder = (options.cache_dir or outdir / CACHE_NAME) if options.use_cache else None
        settings = RunSettings(
            options.max_bytes, shapes, options.engine, folder.absolute() if folder is not None else None,
            salt(shapes, options.engine, options.max_bytes),
        )
        stats = CacheStats()
        cache = settings.cache()
        keys: list[str | None] = [None] * len(sources)
        report = None
        if cache is not None:
            cache.remove_stale()
            keys = cache.keys(sources)
            places = [*sorted({s.root for s in sources}), outdir]
            described = (*options.formats, json.dumps(release.as_dict(), sort_keys=True))
            done = fingerprint(keys, described, places) if options.shard is None else None
            report = _unchanged(cache.folder, outdir, done, len(sources))
        if report is None:
            organism_problems = _organism_problems(sources, options.max_bytes)
            manifest = (
                (lambda: write_manifest(outdir, options, settings, sources, stats, organism_problems, release))
                if options.shard is not None else None
            )
            # closed however writing ends: the worker processes stop with it
            try:
                with closing(outcomes(sources, settings, options.jobs, stats, keys, options.shard is not None)) as stream:
                    report = write_outputs(
                        outdir, stream, organism_problems, options, shapes, len(sources), progress, release,
                        shard_manifest=manifest,
                    )
            except ShadowDisagreement as exc:
                exc.keep(outdir / "shadow")
                raise
            if cache is not None:
                if folder == outdir / CACHE_NAME:  # OUTDIR's own; a --cache-dir may serve others too
                    cache.prune(stats.keys)
                # a record that changed while it was read was computed from other bytes than
                # its key says: its outcome is not cached, and this build is not remembered
                remember(cache.folder, outdir, None if stats.unstable else done)
            report.reused, report.computed = stats.reused, stats.computed
        if options.store_dir is not None:
            fill(options.store_dir, outdir / "pfocr.nt")
        return report


def _unchanged(folder: Path, outdir: Path, fingerprint: str | None, records: int) -> BuildReport | None:
    """The last build's report when its outputs are what this build would write (kg.uptodate)."""
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
    options = BuildOptions(
        [], outdir, max_bytes=first["max_bytes"], validate=shapes is not None,
        engine=first["engine"], formats=tuple(first["formats"]),
    )
    _make_outdir(outdir)
    with OutdirLock(outdir, wait=wait_for_lock):
        remove_stale_temporaries(outdir)
        stream = merged_outcomes(manifests)
        problems = merged_organism_problems(manifests)
        release = Release.from_dict(first.get("release") or {})
        return write_outputs(outdir, stream, problems, options, shapes, total_records(manifests), progress, release)


def write_outputs(
    outdir: Path,
    stream: Iterable[Outcome],
    organism_problems: list[tuple[str, list[Problem]]],
    options: BuildOptions,
    shapes: list[Path] | None,
    total: int,
    progress: Progress | None,
    release: Release,
    shard_manifest: Callable[[], AtomicFile] | None = None,
) -> BuildReport:
    """Write every output from outcomes in record order; the same outcomes give the same bytes,
    whether they come from one build or from the shards `kg merge` combines. `shard_manifest`
    stages a shard build's shard.json once every outcome is known (it is renamed with the rest)."""
    report = BuildReport()
    for _root, problems in organism_problems:
        report.warnings.extend(problems)
    begin_build()
    staged: list[AtomicFile] = []
    manifest: AtomicFile | None = None
    writer = NTriplesWriter(outdir / "pfocr.nt")
    turtle = TurtleWriter(outdir / "pfocr.ttl") if "ttl" in options.formats else None
    validation = ValidationReportWriter(outdir / "validation.ttl" if shapes is not None else None)
    quarantine = QuarantineWriter(outdir / "quarantine")
    previous: dict[str, str] = {}
    graph = GraphFacts()
    descriptions = FirstDescriptions()
    try:
        for done, outcome in enumerate(stream, start=1):
            report.records_read += 1
            _record(outcome, writer, turtle, validation, quarantine, report, previous, graph, descriptions)
            if progress is not None:
                progress(done, total)
        dataset = [line(t) for t in dataset_triples(release, report.figures_written, writer.triples)]
        writer.write_lines(dataset)
        if turtle is not None:
            turtle.write(turtle_block(dataset).encode("utf-8"))
        writer.finish()
        if turtle is not None:
            turtle.finish()
        validation.finish()
        quarantine.finish()
        report.triples = writer.triples
        report.validation = _validation_summary(options, shapes, validation)
        for fmt, derive in DERIVED_FORMATS.items():
            if fmt in options.formats:
                staged.append(derive(writer.tmp_path, outdir / f"pfocr.{fmt}"))
        staged.append(write_bytes(outdir / VOCABULARY_NAME, VOCABULARY.read_bytes(), publish=False))
        # the plots are drawn here, at the end: their numbers are known once every record is written
        staged.append(write_report_html(outdir / "report.html", report.as_dict(), None, stats=graph.statistics()))
        manifest = shard_manifest() if shard_manifest is not None else None
        report_json = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
        staged.append(write_bytes(outdir / "report.json", report_json.encode("utf-8"), publish=False))
    except BaseException:
        for output in (writer, turtle, validation, quarantine, *staged, manifest):
            if output is not None:
                output.abort()
        raise
    # Everything is complete and on disk: rename into place as one journalled step, removing
    # what an earlier build wrote and this one does not, report.json last.
    renames = [
        *writer.pending(), *(turtle.pending() if turtle is not None else ()),
        *(pair for derived in staged[:-1] for pair in derived.pending()),
        *validation.pending(), *quarantine.pending(), *(manifest.pending() if manifest is not None else ()),
    ]
    stale = [f"pfocr.{fmt}" for fmt in sorted(set(OUTPUT_FORMATS) - set(options.formats))]
    if shapes is None:  # without the gate, a report from an earlier build would claim checks
        stale.append("validation.ttl")
    if manifest is None:  # a shard's manifest would pair with outputs it does not describe
        stale.append(MANIFEST)
    commit(outdir, [
        *(("rename", tmp.name, final.name) for tmp, final in renames),
        *(("remove", name) for name in stale),
        *(("rename", tmp.name, final.name) for tmp, final in staged[-1].pending()),
    ])
    return report


# What `kg build` writes in OUTDIR (besides the cache): what `kg clean --all` may remove.
BUILD_OUTPUTS = (
    *(f"pfocr.{fmt}" for fmt in OUTPUT_FORMATS), VOCABULARY_NAME, "report.json", "report.html", "validation.ttl",
    "quarantine", MANIFEST,
)


def clean(outdir: Path, cache_dir: Path | None = None, outputs: bool = False) -> list[Path]:
    """Remove the build cache and killed builds' temporaries (and with `outputs`, the outputs);
    under the build lock, so never from under a running build."""
    removed: list[Path] = []
    with OutdirLock(outdir):
        removed.extend(remove_stale_temporaries(outdir, complete_commit=not outputs))
        cache = cache_dir or outdir / CACHE_NAME
        if cache.exists():
            shutil.rmtree(cache)
            removed.append(cache)
        for name in BUILD_OUTPUTS if outputs else ():
            path = outdir / name
            if path.is_dir():
                shutil.rmtree(path)
                removed.append(path)
            elif path.exists():
                path.unlink()
                removed.append(path)
    (outdir / LOCK_NAME).unlink(missing_ok=True)
    return removed


def _validation_summary(
    options: BuildOptions, shapes: list[Path] | None, validation: ValidationReportWriter
) -> dict[str, object]:
    if shapes is None:
        return {"enabled": False, "note": "SHACL gate skipped (--no-validate): nothing was checked"}
    return {
        "enabled": True,
        "engine": options.engine,
        "shapes": [p.name for p in shapes],
        "checked": "SHACL Core per figure; the SHACL-SPARQL rules hold by construction (kg validate runs them)",
        **({"engine_note": note} if (note := engine_note(shapes, options.engine)) else {}),
        "violations": validation.by_severity.get("Violation", 0),
        "warnings": validation.by_severity.get("Warning", 0),
        "infos": validation.by_severity.get("Info", 0),
        "by_message": {
            severity: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
            for severity, counts in sorted(validation.by_message.items())
        },
    }


def _record(
    outcome: Outcome,
    writer: NTriplesWriter,
    turtle: TurtleWriter | None,
    validation: ValidationReportWriter,
    quarantine: QuarantineWriter,
    report: BuildReport,
    previous: dict[str, str],
    graph: GraphFacts,
    descriptions: FirstDescriptions,
) -> None:
    """Export, or quarantine, one outcome. `previous` holds the last figid written and its file:
    records arrive sorted by file stem, which must equal the figid, so a duplicate figid always
    follows its first occurrence and no set of all figids is needed."""
    if outcome.problem is not None:
        report.quarantined.append(outcome.problem)
        return
    figid = outcome.figid
    assert figid is not None
    if previous.get("figid") == figid:
        reason = f"duplicate figid {figid!r}: already read from {previous['file']}"
        report.quarantined.append(Problem(outcome.file, reason, figid, "figid"))
        return
    previous.update(figid=figid, file=outcome.file)
    validation.add_rendered(outcome.own_results)
    validation.add(outcome.entity_results)
    if outcome.failed:
        report.warnings.extend(outcome.warnings)
        reasons = list(dict.fromkeys(describe(r) for r in outcome.failed))
        shown = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
        report.quarantined.append(Problem(outcome.file, f"fails the shapes: {shown}", figid))
        quarantine.add(figid, outcome.quarantine_lines, reasons)
        return
    report.warnings.extend(outcome.warnings)
    entities = outcome.entities
    new_entities, differing = writer.write_figure(outcome.own_nt, outcome.own_triples, entities)
    descriptions.written_by(figid, new_entities)
    fills, conflicts = (descriptions.compare(outcome.file, figid, entities, differing, writer.first_block)
                        if differing else ((), ()))
    report.warnings.extend(conflicts)
    if fills:
        writer.write_lines(fills)
    if turtle is not None:
        turtle.write_figure(outcome.own_ttl, [entities[iri][2] for iri in new_entities])
        if fills:
            turtle.write(turtle_block(fills).encode("utf-8"))
    graph.apply_packed(outcome.own_facts)
    for iri in new_entities:
        graph.apply_sealed(entities[iri][3])
    if fills:
        graph.apply(facts(fills))
    report.figures_written += 1
