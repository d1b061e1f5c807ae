"""Writing a build's outputs from its outcomes, in record order, then committing them together.

The same outcomes give the same bytes, whether they come from one build or from the shards
`kg merge` combines. Every output is written under a temporary name and renamed into place in
one journalled commit (kg.write.commit), report.json last: an interrupted build leaves the
previous outputs as they were. Never reads a record: outcomes hold all it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kg.build.shard import MANIFEST
from kg.build.worker import Lap, Outcome, _no_lap
from kg.check.descriptions import FirstDescriptions
from kg.check.gate import describe
from kg.map.dataset import dataset_triples
from kg.rdf import line
from kg.read.layout import SourceError
from kg.read.record import MISSING_FIGID
from kg.records import Problem, Release
from kg.report.graph_facts import GraphFacts, facts
from kg.report.html import write_report_html
from kg.report.summary import BuildReport, validation_summary
from kg.write.atomic import AtomicFile, write_bytes
from kg.write.commit import begin_build, commit
from kg.write.formats import FORMATS, OUTPUT_FORMATS
from kg.write.ntriples import NTriplesWriter
from kg.write.output import ExportedFigure, FormatWriter, OutputWriter
from kg.write.quarantine import QuarantineWriter
from kg.write.validation import ValidationReportWriter

Progress = Callable[[int, int], None]
# The pfocr: vocabulary, written with every build (docs/vocabulary.md).
VOCABULARY = Path(__file__).resolve().parent.parent / "context" / "pfocr-vocab.ttl"
VOCABULARY_NAME = "pfocr-vocab.ttl"
Writer = TypeVar("Writer", bound=OutputWriter)


@dataclass(slots=True)
class OutputPlan:
    """What a build's outputs are made of besides the outcomes (the same for `kg merge`)."""

    outdir: Path
    formats: tuple[str, ...]  # pfocr.nt is written whatever this says
    shapes: list[Path] | None  # None: no gate (--no-validate)
    engine: str
    release: Release
    organism_problems: list[tuple[str, list[Problem]]]  # by database root
    records: int  # how many outcomes come (for progress)


class Export:
    """Every outcome exported to every format, or quarantined; report.json's counts as it goes."""

    def __init__(self, plan: OutputPlan, lap: Lap = _no_lap) -> None:
        outdir = plan.outdir
        self.report = BuildReport()
        for _root, problems in plan.organism_problems:
            self.report.warnings.extend(problems)
        self.lap = lap
        self.graph = GraphFacts()
        self.descriptions = FirstDescriptions()
        self._previous: tuple[str, str] | None = None  # the last figid exported, and its file
        self.writers: list[OutputWriter] = []  # every output but the staged files, in finishing order
        try:  # opened one by one: those opened before a failure are removed
            self.ntriples = self._open(NTriplesWriter(outdir / "pfocr.nt"))
            self.formats: list[FormatWriter] = [
                self._open(opener(outdir / f"pfocr.{name}", self.ntriples))
                for name, opener in FORMATS.items() if name in plan.formats
            ]
            shapes = plan.shapes
            self.validation = self._open(ValidationReportWriter(outdir / "validation.ttl" if shapes is not None else None))
            self.quarantine = self._open(QuarantineWriter(outdir / "quarantine"))
        except BaseException:
            self.abort()
            raise

    def _open(self, writer: Writer) -> Writer:
        self.writers.append(writer)
        return writer

    def add(self, outcome: Outcome) -> None:
        """Export, or quarantine, one outcome. Records arrive sorted by file stem, which must
        equal the figid, so a duplicate figid always follows its first occurrence and no set of
        all figids is needed."""
        report = self.report
        report.records_read += 1
        if outcome.problem is not None:
            report.quarantined.append(outcome.problem)
            return
        figid = outcome.figid
        assert figid is not None
        if self._previous is not None and self._previous[0] == figid:
            reason = f"duplicate figid {figid!r}: already read from {self._previous[1]}"
            report.quarantined.append(Problem(outcome.file, reason, figid, "figid"))
            return
        self._previous = (figid, outcome.file)
        self.validation.add_rendered(outcome.own_results)
        self.validation.add(outcome.entity_results)
        report.warnings.extend(outcome.warnings)
        if outcome.failed:
            reasons = list(dict.fromkeys(describe(r) for r in outcome.failed))
            shown = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
            report.quarantined.append(Problem(outcome.file, f"fails the shapes: {shown}", figid))
            self.quarantine.add(figid, outcome.quarantine_lines, reasons)
            return
        figure = self._write_ntriples(outcome, figid)
        self.lap("write_nt")
        for writer in self.formats:
            writer.add_figure(figure)
        self.lap("write_ttl")
        self.graph.apply_packed(outcome.own_facts)
        entities = figure.entities
        for iri in figure.new:
            self.graph.apply_sealed(entities[iri].facts)
        if figure.fills:
            self.graph.apply(facts(figure.fills))
        self.lap("facts")
        report.figures_written += 1

    def _write_ntriples(self, outcome: Outcome, figid: str) -> ExportedFigure:
        """The figure into pfocr.nt with the entity blocks not written before, and the lines that
        fill in those written before (kg.check.descriptions); its conflicts are warned."""
        entities = outcome.entities
        new, differing = self.ntriples.write_figure(outcome.own_nt, outcome.own_triples, entities)
        self.descriptions.written_by(figid, new)
        fills: list[str] = []
        if differing:
            blocks = {iri: entities[iri].nt for iri in differing}
            fills, conflicts = self.descriptions.compare(outcome.file, figid, blocks, self.ntriples.first_block)
            self.report.warnings.extend(conflicts)
            if fills:
                self.ntriples.write_lines(fills)
        return ExportedFigure(figid, outcome.own_nt, outcome.own_ttl, entities, new, fills)

    def finish(self, plan: OutputPlan) -> None:
        """The dataset node, last in every format; then every writer finished, pfocr.nt first."""
        report = self.report
        dataset = [line(t) for t in dataset_triples(plan.release, report.figures_written, self.ntriples.triples)]
        self.ntriples.write_lines(dataset)
        for writer in self.formats:
            writer.add_lines(dataset)
        for output in self.writers:
            output.finish()
        report.triples = self.ntriples.triples
        report.validation = validation_summary(
            plan.shapes, plan.engine, self.validation.by_severity, self.validation.by_message
        )

    def abort(self) -> None:
        for output in self.writers:
            output.abort()


def write_outputs(
    plan: OutputPlan,
    stream: Iterable[Outcome],
    progress: Progress | None = None,
    shard_manifest: Callable[[], AtomicFile] | None = None,
    lap: Lap = _no_lap,
) -> BuildReport:
    """Write every output from the outcomes, then commit them. `shard_manifest` stages a shard
    build's shard.json once every outcome is known (it is renamed with the rest)."""
    begin_build()
    export = Export(plan, lap)
    staged: list[AtomicFile] = []
    try:
        for done, outcome in enumerate(stream, start=1):
            export.add(outcome)
            if progress is not None:
                progress(done, plan.records)
        export.finish(plan)
        report = export.report
        _refuse_no_figure_records(report)
        staged.append(write_bytes(plan.outdir / VOCABULARY_NAME, VOCABULARY.read_bytes(), publish=False))
        # the plots are drawn here, at the end: their numbers are known once every record is written
        statistics = export.graph.statistics()
        staged.append(write_report_html(plan.outdir / "report.html", report.as_dict(), None, stats=statistics))
        if shard_manifest is not None:
            staged.append(shard_manifest())
        report_json = write_bytes(plan.outdir / "report.json", report.as_json(), publish=False)
    except BaseException:
        export.abort()
        for output in staged:
            output.abort()
        raise
    _commit(plan, [*export.writers, *staged], report_json, shard=shard_manifest is not None)
    return report


def _refuse_no_figure_records(report: BuildReport) -> None:
    """A SOURCE none of whose files is a figure record (a checkout, `_organisms/`) must not replace
    a good build with an empty one: every record read was quarantined for having no figid. (A
    figid that is wrong, not missing, is a figure record's fault: quarantined, and built.)"""
    if report.records_read and not report.figures_written and all(
        problem.field == "figid" and problem.reason == MISSING_FIGID for problem in report.quarantined
    ):
        raise SourceError(
            f"none of the {report.records_read} .md files read is a PFOCR figure record (none has a figid); "
            "is SOURCE a PFOCR database (a folder with _figures/)? Nothing was written"
        )


def _commit(plan: OutputPlan, outputs: list[OutputWriter], report_json: AtomicFile, shard: bool) -> None:
    """Rename everything into place as one journalled step, removing what an earlier build wrote
    and this one does not; report.json last, so a reader that sees it sees this build's outputs."""
    stale = [f"pfocr.{fmt}" for fmt in sorted(set(OUTPUT_FORMATS) - set(plan.formats))]
    if plan.shapes is None:  # without the gate, a report from an earlier build would claim checks
        stale.append("validation.ttl")
    if not shard:  # a shard's manifest would pair with outputs it does not describe
        stale.append(MANIFEST)
    commit(plan.outdir, [
        *(("rename", tmp.name, final.name) for output in outputs for tmp, final in output.pending()),
        *(("remove", name) for name in stale),
        *(("rename", tmp.name, final.name) for tmp, final in report_json.pending()),
    ])
