#!/usr/bin/env python3
"""Per-stage profile of kg's own building blocks, one process — NOT `kg build` itself.

    python bench/stages.py SOURCE -o OUTDIR [--shapes DIR] [--engine shacl|pyshacl] [--no-validate]

The same per-record work `kg build` does (the building blocks kg.build.worker.Worker is made of),
called in a plain loop in one process (no worker pool, no cache, no validation report file, no
quarantine files), with a clock around each call:

  read       kg.read.record.read_record(source)                      (front matter + sidecar TSVs)
  map        kg.build.worker.map_figure(record): map_record + N-Triples lines, deduplicated
  check      kg.build.worker.check_figure(...): the gate on the figure + its entity nodes, results
             rendered for validation.ttl
  write_nt   kg.build.worker.add_ntriples (encode) + NTriplesWriter.write_figure for figures
             without violations, the cross-figure rule (kg.check.descriptions: properties a
             later figure fills in for an entity node), the dataset node (kg.map.dataset, the
             release as `kg build` reads it) and its finish()
  write_ttl  kg.build.worker.add_turtle (a Turtle block per figure and entity) + TurtleWriter
  facts      kg.build.worker.add_facts + GraphFacts.apply_packed (report.html's numbers)

so the stage times add up to about the wall time of this process (minus start-up, discovery and
compiling the shapes, reported as `setup`). It exists because the times per stage cannot be taken
from `kg build` without instrumenting kg/pipeline.py; `kg build`'s own wall time and memory come
from running it. Writes OUTDIR/pfocr.nt, OUTDIR/pfocr.ttl and OUTDIR/report.json (records_read,
figures_written, quarantined_count, triples, stages). Not imported by kg; used by bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import driver

from kg.build.worker import Outcome, add_facts, add_ntriples, add_turtle, check_figure, map_figure
from kg.check.descriptions import FirstDescriptions
from kg.check.gate import DEFAULT_ENGINE, Gate
from kg.check.shapes import shape_files
from kg.map.dataset import dataset_triples
from kg.rdf import line
from kg.read.layout import discover
from kg.read.provenance import release_date, release_of
from kg.read.record import read_record
from kg.records import Problem
from kg.report.graph_facts import GraphFacts, facts
from kg.write.ntriples import NTriplesWriter
from kg.write.turtle import TurtleWriter, turtle_block

TTL_MODE = "per-figure turtle blocks"
STAGES = ("read", "map", "check", "write_nt", "write_ttl", "facts")


def run(sources: list[Path], outdir: Path, shapes_dir: Path | None = None, engine: str = DEFAULT_ENGINE,
        validate: bool = True) -> dict:
    clock = time.perf_counter
    t_start = clock()
    stages = dict.fromkeys(STAGES, 0.0)
    records = discover(sources)
    # the dataset node's release, as `kg build` without --release / --release-date reads it
    release = release_of(None, release_date(None, os.environ.get("SOURCE_DATE_EPOCH")),
                         sorted({s.root for s in records}))
    gate = Gate(shape_files(shapes_dir), engine) if validate else None
    outdir.mkdir(parents=True, exist_ok=True)
    writer = NTriplesWriter(outdir / "pfocr.nt")
    turtle = TurtleWriter(outdir / "pfocr.ttl")
    graph = GraphFacts()
    descriptions = FirstDescriptions()
    setup = clock() - t_start
    read = written = quarantined = failed_shapes = 0
    previous = None
    for source in records:
        t0 = clock()
        record = read_record(source)
        t1 = clock()
        stages["read"] += t1 - t0
        read += 1
        if isinstance(record, Problem):
            quarantined += 1
            continue
        try:
            mapped = map_figure(record)
        except Exception:  # noqa: BLE001 - as the build: a record that cannot be mapped is quarantined
            quarantined += 1
            stages["map"] += clock() - t1
            continue
        t2 = clock()
        stages["map"] += t2 - t1
        outcome = Outcome(str(source.md), record.figid)
        if gate is not None:
            check_figure(outcome, mapped, gate)
        t3 = clock()
        stages["check"] += t3 - t2
        if outcome.failed or record.figid == previous:
            quarantined += 1
            failed_shapes += bool(outcome.failed)
            continue
        previous = record.figid
        add_ntriples(outcome, mapped)
        new, differing = writer.write_figure(outcome.own_nt, outcome.own_triples, outcome.entities)
        descriptions.written_by(record.figid, new)
        fills = (descriptions.compare(outcome.file, record.figid, outcome.entities, differing, writer.first_block)[0]
                 if differing else [])
        if fills:
            writer.write_lines(fills)
        written += 1
        t4 = clock()
        stages["write_nt"] += t4 - t3
        add_turtle(outcome, mapped)
        turtle.write_figure(outcome.own_ttl, [outcome.entities[iri][2] for iri in new])
        if fills:
            turtle.write(turtle_block(fills).encode("utf-8"))
        t5 = clock()
        stages["write_ttl"] += t5 - t4
        add_facts(outcome, mapped)
        graph.apply_packed(outcome.own_facts)
        for iri in new:
            graph.apply_sealed(outcome.entities[iri][3])
        if fills:
            graph.apply(facts(fills))
        stages["facts"] += clock() - t5
    t0 = clock()
    dataset = [line(t) for t in dataset_triples(release, written, writer.triples)]
    writer.write_lines(dataset)
    writer.finish()
    t1 = clock()
    stages["write_nt"] += t1 - t0
    turtle.write(turtle_block(dataset).encode("utf-8"))
    turtle.finish()
    stages["write_ttl"] += clock() - t1
    writer.publish()
    turtle.publish()
    report = {
        "tool": "bench/stages.py (kg's read/map/gate/writers in one process; not kg build)",
        "engine": engine if validate else None,
        "ttl_mode": TTL_MODE,
        "records_read": read,
        "figures_written": written,
        "quarantined_count": quarantined,
        "failed_shapes": failed_shapes,
        "triples": writer.triples,
        "setup": setup,
        "stages": stages,
        "wall_in_process": clock() - t_start,
    }
    return driver.write_report(outdir, report)


def main(argv: list[str] | None = None) -> int:
    def options(ap: argparse.ArgumentParser) -> None:
        ap.add_argument("--engine", default=DEFAULT_ENGINE, help=f"SHACL engine of the gate (default {DEFAULT_ENGINE})")
        ap.add_argument("--no-validate", action="store_true", help="skip the gate (check stage = 0)")

    return driver.main(__doc__, argv, options, lambda a: run(a.sources, a.outdir, a.shapes, a.engine, not a.no_validate))


if __name__ == "__main__":
    sys.exit(main())
