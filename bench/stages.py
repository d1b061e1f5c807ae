#!/usr/bin/env python3
"""Per-stage profile of `kg build`'s own per-record work, in one process, with a clock around each step.

    python bench/stages.py SOURCE -o OUTDIR [--shapes DIR] [--engine shacl|pyshacl] [--no-validate]

Runs what `kg build -j 1 --no-cache` runs — each record through kg.build.worker.Worker, each
outcome through kg.build.outputs.write_outputs — with a `lap` callback that both call after each
step (kg.build.worker.Lap), so every second of a record is counted in one of:

  read       kg.read.record.read_record (front matter + sidecar TSVs)
  map        kg.build.worker.map_figure: map_record + N-Triples lines, deduplicated
  check      kg.build.worker.check_figure: the gate on the figure + its entity nodes, results
             rendered for validation.ttl
  write_nt   the figure's N-Triples encoded (worker), written to pfocr.nt with the entity blocks
             new to it and the cross-figure rule (kg.check.descriptions) (build process)
  write_ttl  the figure's Turtle blocks made (worker) and written to the other formats (build process)
  facts      report.html's numbers packed (worker) and counted (build process)

The end of the build (the dataset node, finishing the files, report.html's plots, the commit) is
`finish`; start-up, discovery and compiling the shapes are `setup`. Writes what kg build writes
in OUTDIR, then replaces OUTDIR/report.json with the profile (records_read, figures_written,
quarantined_count, triples, stages). Not imported by kg; used by bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import driver

from kg.build.outputs import OutputPlan, write_outputs
from kg.build.worker import Worker
from kg.check.gate import DEFAULT_ENGINE, Gate
from kg.check.shapes import shape_files
from kg.read.layout import discover
from kg.read.provenance import release_date, release_of
from kg.read.textfile import DEFAULT_MAX_BYTES

TTL_MODE = "per-figure turtle blocks"
STAGES = ("read", "map", "check", "write_nt", "write_ttl", "facts")


class Laps:
    """The time since the last lap, added to the stage just finished."""

    def __init__(self) -> None:
        self.stages = dict.fromkeys(STAGES, 0.0)
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] += now - self.last
        self.last = now


def run(sources: list[Path], outdir: Path, shapes_dir: Path | None = None, engine: str = DEFAULT_ENGINE,
        validate: bool = True) -> dict:
    clock = time.perf_counter
    t_start = clock()
    records = discover(sources)
    # the dataset node's release, as `kg build` without --release / --release-date reads it
    release = release_of(None, release_date(None, os.environ.get("SOURCE_DATE_EPOCH")),
                         sorted({s.root for s in records}))
    shapes = shape_files(shapes_dir) if validate else None
    gate = Gate(shapes, engine) if shapes is not None else None
    outdir.mkdir(parents=True, exist_ok=True)
    plan = OutputPlan(outdir, ("nt", "ttl"), shapes, engine, release, [], len(records))
    laps = Laps()  # the clock starts here
    worker = Worker(DEFAULT_MAX_BYTES, gate, laps)
    setup = laps.last - t_start
    report = write_outputs(plan, (worker(source) for source in records), lap=laps)
    finish = clock() - laps.last
    profile = {
        "tool": "bench/stages.py (kg build's worker and writing, one process, timed)",
        "engine": engine if validate else None,
        "ttl_mode": TTL_MODE,
        "records_read": report.records_read,
        "figures_written": report.figures_written,
        "quarantined_count": len(report.quarantined),
        "failed_shapes": sum(p.reason.startswith("fails the shapes") for p in report.quarantined),
        "triples": report.triples,
        "setup": setup,
        "finish": finish,
        "stages": laps.stages,
        "wall_in_process": clock() - t_start,
    }
    return driver.write_report(outdir, profile)


def main(argv: list[str] | None = None) -> int:
    def options(ap: argparse.ArgumentParser) -> None:
        ap.add_argument("--engine", default=DEFAULT_ENGINE, help=f"SHACL engine of the gate (default {DEFAULT_ENGINE})")
        ap.add_argument("--no-validate", action="store_true", help="skip the gate (check stage = 0)")

    return driver.main(__doc__, argv, options, lambda a: run(a.sources, a.outdir, a.shapes, a.engine, not a.no_validate))


if __name__ == "__main__":
    sys.exit(main())
