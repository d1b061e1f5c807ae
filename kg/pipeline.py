"""read → map → check → write, one figure at a time, written in figid order.

Never prints or exits: failures travel as Problems into the report, and only a SOURCE or shapes
folder that cannot be used stops a build. Work may run in worker processes; output order never
depends on them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.check.engine import ShaclResult
from kg.check.gate import DEFAULT_ENGINE, Gate, describe, violations
from kg.check.report import ValidationReportWriter
from kg.check.shapes import shape_files
from kg.map.record import map_record
from kg.publish.report_html import write_report_html
from kg.iris import BadIdentifier
from kg.rdf import UnencodableText, line
from kg.read.layout import RecordSource, discover
from kg.read.organisms import load_table
from kg.read.record import read_record
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.records import Problem
from kg.sparql.store import fill
from kg.write.atomic import AtomicFile, OutputError, write_bytes
from kg.write.jsonld import ntriples_to_jsonld
from kg.write.lock import OutdirLock, remove_stale_temporaries
from kg.write.ntriples import NTriplesWriter
from kg.write.quarantine import QuarantineWriter
from kg.write.turtle import ntriples_to_turtle

Progress = Callable[[int, int], None]

# Below this many records a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 200

# Formats derived from the finished pfocr.nt (always written), each by a streaming converter.
DERIVED_FORMATS: dict[str, Callable[[Path, Path], AtomicFile]] = {
    "ttl": ntriples_to_turtle,
    "jsonld": ntriples_to_jsonld,
}
OUTPUT_FORMATS = ("nt", *DERIVED_FORMATS)
DEFAULT_FORMATS = ("nt", "ttl")


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


@dataclass(slots=True)
class BuildReport:
    records_read: int = 0
    figures_written: int = 0
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    validation: dict[str, object] = field(default_factory=dict)

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


@dataclass(slots=True)
class Outcome:
    """One record after read, map and check: lines to write, or the Problem that stops it."""

    file: str
    figid: str | None = None
    own_lines: list[str] = field(default_factory=list)  # the figure and its mentions
    entity_lines: dict[str, list[str]] = field(default_factory=dict)  # entity IRI → its lines
    own_nodes: frozenset[str] = frozenset()  # N-Triples terms of the figure and mention nodes
    warnings: list[Problem] = field(default_factory=list)
    results: tuple[ShaclResult, ...] = ()
    problem: Problem | None = None


class Worker:
    """Read, map and check one record; every failure becomes a Problem, nothing escapes."""

    def __init__(self, max_bytes: int, gate: Gate | None) -> None:
        self.max_bytes = max_bytes
        self.gate = gate

    def __call__(self, source: RecordSource) -> Outcome:
        file = str(source.md)
        record = read_record(source, self.max_bytes)
        if isinstance(record, Problem):
            return Outcome(file, record.figid, problem=record)
        try:
            graph = map_record(record)
            own_lines = list(dict.fromkeys(line(t) for t in graph.triples))
            entity_lines = {iri: [line(t) for t in block] for iri, block in graph.entities.items()}
        except (UnencodableText, BadIdentifier) as exc:
            return Outcome(file, record.figid, problem=Problem(file, str(exc), record.figid))
        except Exception as exc:  # noqa: BLE001 - a bug must cost one record, not the run
            reason = f"internal error while mapping ({type(exc).__name__}: {exc}); please report it"
            return Outcome(file, record.figid, problem=Problem(file, reason, record.figid))
        own_nodes = frozenset(t[0] for t in graph.triples)
        outcome = Outcome(file, record.figid, own_lines, entity_lines, own_nodes, graph.warnings)
        if self.gate is not None:
            text = "".join(own_lines) + "".join(l for block in entity_lines.values() for l in block)
            outcome.results = self.gate.check(text)
        return outcome


_worker: Worker | None = None


def _init_worker(max_bytes: int, shapes: list[Path] | None, engine: str, in_pool: bool = False) -> None:
    global _worker
    if in_pool:
        # Ctrl-C reaches the whole process group: the parent alone decides how to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(max_bytes, Gate(shapes, engine) if shapes is not None else None)


def _run_in_worker(source: RecordSource) -> Outcome:
    assert _worker is not None
    return _worker(source)


class WorkerDied(Exception):
    """A worker process ended abnormally (killed, out of memory): the build cannot be complete."""


def _outcomes(sources: list[RecordSource], options: BuildOptions, shapes: list[Path] | None) -> Iterator[Outcome]:
    """Outcomes in the order of `sources`, computed here or in `options.jobs` worker processes."""
    if options.jobs <= 1 or len(sources) < PARALLEL_THRESHOLD:
        _init_worker(options.max_bytes, shapes, options.engine)
        yield from map(_run_in_worker, sources)
        return
    # Not "fork": a forked pool hangs for ever when a worker is killed; forkserver reports it.
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    chunk = max(1, min(64, len(sources) // (options.jobs * 8)))
    pool = ProcessPoolExecutor(
        options.jobs, context, _init_worker, (options.max_bytes, shapes, options.engine, True)
    )
    try:
        yield from pool.map(_run_in_worker, sources, chunksize=chunk)
    except (BrokenProcessPool, EOFError, ConnectionError) as exc:  # EOFError: the forkserver died
        raise WorkerDied(
            "a worker process died (killed, or out of memory) before finishing its records"
        ) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def build(options: BuildOptions, progress: Progress | None = None, wait_for_lock: bool = False) -> BuildReport:
    """Build OUTDIR from the sources. Outputs are written under temporary names and renamed into
    place together at the end (report.json last): an interrupted build leaves the previous
    outputs as they were."""
    sources = discover(options.sources)
    shapes = shape_files(options.shapes_dir) if options.validate else None
    if shapes is not None:
        Gate(shapes, options.engine)  # fail early, before any output, on unusable shapes
    outdir = options.outdir
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(outdir, exc) from exc
    with OutdirLock(outdir, wait=wait_for_lock):
        remove_stale_temporaries(outdir)
        return _build_locked(options, sources, shapes, progress)


def _build_locked(
    options: BuildOptions,
    sources: list[RecordSource],
    shapes: list[Path] | None,
    progress: Progress | None,
) -> BuildReport:
    outdir = options.outdir
    report = BuildReport()
    for root in sorted({s.root for s in sources}):
        report.warnings.extend(load_table(root / "_organisms", options.max_bytes)[1])
    staged: list[AtomicFile] = []
    writer = NTriplesWriter(outdir / "pfocr.nt")
    validation = ValidationReportWriter(outdir / "validation.ttl" if shapes is not None else None)
    quarantine = QuarantineWriter(outdir / "quarantine")
    previous: dict[str, str] = {}
    try:
        for done, outcome in enumerate(_outcomes(sources, options, shapes), start=1):
            report.records_read += 1
            _record(outcome, writer, validation, quarantine, report, previous)
            if progress is not None:
                progress(done, len(sources))
        writer.finish()
        validation.finish()
        report.triples = writer.triples
        report.validation = _validation_summary(options, shapes, validation)
        for fmt, derive in DERIVED_FORMATS.items():
            if fmt in options.formats:
                staged.append(derive(writer.tmp_path, outdir / f"pfocr.{fmt}"))
        staged.append(write_report_html(outdir / "report.html", report.as_dict(), writer.tmp_path))
        report_json = json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
        staged.append(write_bytes(outdir / "report.json", report_json.encode("utf-8"), publish=False))
    except BaseException:
        for output in (writer, validation, quarantine, *staged):
            output.abort()
        raise
    # Everything is complete and on disk: rename into place, report.json last.
    writer.publish()
    for derived in staged[:-1]:
        derived.publish()
    for fmt in sorted(DERIVED_FORMATS.keys() - set(options.formats)):  # stale: an earlier build's
        (outdir / f"pfocr.{fmt}").unlink(missing_ok=True)
    validation.publish()
    if shapes is None:  # without the gate, a report from an earlier build would claim checks
        (outdir / "validation.ttl").unlink(missing_ok=True)
    quarantine.publish()
    staged[-1].publish()
    if options.store_dir is not None:
        fill(options.store_dir, outdir / "pfocr.nt")
    return report


def _validation_summary(
    options: BuildOptions, shapes: list[Path] | None, validation: ValidationReportWriter
) -> dict[str, object]:
    if shapes is None:
        return {"enabled": False, "note": "SHACL gate skipped (--no-validate): nothing was checked"}
    return {
        "enabled": True,
        "engine": options.engine,
        "shapes": [p.name for p in shapes],
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
    validation: ValidationReportWriter,
    quarantine: QuarantineWriter,
    report: BuildReport,
    previous: dict[str, str],
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
    validation.add(outcome.results, outcome.own_nodes)
    failed = violations(outcome.results)
    if failed:
        report.warnings.extend(outcome.warnings)
        reasons = list(dict.fromkeys(describe(r) for r in failed))
        shown = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
        report.quarantined.append(Problem(outcome.file, f"fails the shapes: {shown}", figid))
        all_lines = outcome.own_lines + [l for block in outcome.entity_lines.values() for l in block]
        quarantine.add(figid, all_lines, reasons)
        return
    report.warnings.extend(outcome.warnings)
    writer.write_figure(outcome.own_lines, outcome.entity_lines)
    report.figures_written += 1
