"""read → map → (check) → write, one figure at a time, in figid order.

Never prints or exits: failures travel as Problems into the report, and only a SOURCE that
does not exist (SourceError) stops a build.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg import __version__
from kg.map.record import FigureGraph, map_record
from kg.rdf import UnencodableText
from kg.read.layout import RecordSource, discover
from kg.read.organisms import load_table
from kg.read.record import read_record
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.records import FigureRecord, Problem
from kg.write.atomic import write_bytes
from kg.write.ntriples import NTriplesWriter
from kg.write.turtle import ntriples_to_turtle

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class BuildOptions:
    sources: list[Path]
    outdir: Path
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(slots=True)
class BuildReport:
    records_read: int = 0
    figures_written: int = 0
    triples: int = 0
    warnings: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "tool": f"pfocr-kg {__version__}",
            "records_read": self.records_read,
            "figures_written": self.figures_written,
            "triples": self.triples,
            "quarantined_count": len(self.quarantined),
            "warnings_count": len(self.warnings),
            "quarantined": [p.as_dict() for p in self.quarantined],
            "warnings": [p.as_dict() for p in self.warnings],
        }


@dataclass(slots=True)
class Outcome:
    """What became of one record: a graph to write, or the Problem that quarantines it."""

    source: RecordSource
    graph: FigureGraph | None = None
    problem: Problem | None = None


def process(source: RecordSource, max_bytes: int) -> Outcome:
    """Read and map one record; every failure becomes a Problem, nothing escapes."""
    result = read_record(source, max_bytes)
    if isinstance(result, Problem):
        return Outcome(source, problem=result)
    return _map(source, result)


def _map(source: RecordSource, record: FigureRecord) -> Outcome:
    try:
        return Outcome(source, graph=map_record(record))
    except UnencodableText as exc:
        return Outcome(source, problem=Problem(str(source.md), str(exc), record.figid))
    except Exception as exc:  # noqa: BLE001 - a bug must cost one record, not the run
        reason = f"internal error while mapping ({type(exc).__name__}: {exc}); please report it"
        return Outcome(source, problem=Problem(str(source.md), reason, record.figid))


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    sources = discover(options.sources)
    options.outdir.mkdir(parents=True, exist_ok=True)
    report = BuildReport()
    for root in sorted({s.root for s in sources}):
        report.warnings.extend(load_table(root / "_organisms")[1])
    nt_path = options.outdir / "pfocr.nt"
    writer = NTriplesWriter(nt_path)
    first_file: dict[str, str] = {}
    try:
        for done, source in enumerate(sources, start=1):
            report.records_read += 1
            outcome = process(source, options.max_bytes)
            _record(outcome, writer, report, first_file)
            if progress is not None:
                progress(done, len(sources))
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    report.triples = writer.triples
    ntriples_to_turtle(nt_path, options.outdir / "pfocr.ttl")
    write_bytes(
        options.outdir / "report.json",
        (json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    )
    return report


def _record(
    outcome: Outcome, writer: NTriplesWriter, report: BuildReport, first_file: dict[str, str]
) -> None:
    if outcome.problem is not None:
        report.quarantined.append(outcome.problem)
        return
    graph = outcome.graph
    assert graph is not None
    file = str(outcome.source.md)
    if graph.figid in first_file:
        reason = f"duplicate figid {graph.figid!r}: already read from {first_file[graph.figid]}"
        report.quarantined.append(Problem(file, reason, graph.figid, "figid"))
        return
    first_file[graph.figid] = file
    report.warnings.extend(graph.warnings)
    writer.write_figure(graph.triples, graph.entities)
    report.figures_written += 1
