#!/usr/bin/env python3
"""Per-stage profile of kg's own building blocks, one process — NOT `kg build` itself.

    python bench/stages.py SOURCE -o OUTDIR [--shapes DIR] [--engine shacl|pyshacl] [--no-validate]

The same per-record work `kg build` does, called in a plain loop in one process (no worker pool,
no cache, no validation report, no quarantine files), with a clock around each call:

  read       kg.read.record.read_record(source)                      (front matter + sidecar TSVs)
  map        kg.map.record.map_record(record) + kg.rdf.line for every triple (own and entity lines)
  check      kg.check.gate.Gate(shapes, engine).check(text of the figure + its entity nodes)
  write_nt   kg.write.ntriples.NTriplesWriter.write_figure(...) for figures without violations,
             and its finish()
  write_ttl  kg.write.turtle.ntriples_to_turtle(nt, ttl) (streamed by pyoxigraph), or, when this
             checkout has kg.write.turtle.turtle_block, a block per figure (its lines written to
             pfocr.nt, entity nodes once) concatenated after kg.write.turtle.HEADER; report.json
             says which (`ttl_mode`)

so the stage times add up to about the wall time of this process (minus start-up, discovery and
compiling the shapes, reported as `setup`). It exists because the times per stage cannot be taken
from `kg build` without instrumenting kg/pipeline.py; `kg build`'s own wall time and memory come
from running it. Writes OUTDIR/pfocr.nt, OUTDIR/pfocr.ttl and OUTDIR/report.json (records_read,
figures_written, quarantined_count, triples, stages). Not imported by kg; used by bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kg.check.gate import DEFAULT_ENGINE, Gate, violations
from kg.check.shapes import shape_files
from kg.map.record import map_record
from kg.rdf import line
from kg.read.layout import discover
from kg.read.record import read_record
from kg.records import Problem
from kg.write import turtle as _turtle
from kg.write.ntriples import NTriplesWriter

# kg's Turtle writer is being reworked: a streaming converter over the finished pfocr.nt
# (`ntriples_to_turtle`), or Turtle blocks made per figure and concatenated (`turtle_block`).
# The profile times whichever this checkout has, and says which.
TTL_MODE = "per-figure turtle_block" if hasattr(_turtle, "turtle_block") else "ntriples_to_turtle"


def run(sources: list[Path], outdir: Path, shapes_dir: Path | None = None, engine: str = DEFAULT_ENGINE,
        validate: bool = True) -> dict:
    clock = time.perf_counter
    t_start = clock()
    stages = dict.fromkeys(("read", "map", "check", "write_nt", "write_ttl"), 0.0)
    records = discover(sources)
    gate = Gate(shape_files(shapes_dir), engine) if validate else None
    outdir.mkdir(parents=True, exist_ok=True)
    writer = NTriplesWriter(outdir / "pfocr.nt")
    ttl_seen: set[str] = set()
    ttl_out = None
    if TTL_MODE != "ntriples_to_turtle":  # per-figure blocks, streamed to the file as made
        ttl_out = open(outdir / "pfocr.ttl", "w", encoding="utf-8")
        ttl_out.write(getattr(_turtle, "HEADER", ""))
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
            graph = map_record(record)
            own_lines = list(dict.fromkeys(line(t) for t in graph.triples))
            entity_lines = {iri: [line(t) for t in block] for iri, block in graph.entities.items()}
        except Exception:
            quarantined += 1
            stages["map"] += clock() - t1
            continue
        t2 = clock()
        stages["map"] += t2 - t1
        ok = True
        if gate is not None:
            text = "".join(own_lines) + "".join(l for block in entity_lines.values() for l in block)
            ok = not violations(gate.check(text))
        t3 = clock()
        stages["check"] += t3 - t2
        if not ok or record.figid == previous:
            quarantined += 1
            failed_shapes += not ok
            continue
        previous = record.figid
        writer.write_figure(own_lines, entity_lines)
        written += 1
        t4 = clock()
        stages["write_nt"] += t4 - t3
        if ttl_out is not None:
            lines = dict.fromkeys(own_lines)
            for iri, block in entity_lines.items():
                if iri not in ttl_seen:
                    ttl_seen.add(iri)
                    lines.update(dict.fromkeys(block))
            ttl_out.write(_turtle.turtle_block(lines))
            stages["write_ttl"] += clock() - t4
    t0 = clock()
    writer.finish()
    t1 = clock()
    stages["write_nt"] += t1 - t0
    if ttl_out is None:
        ttl = _turtle.ntriples_to_turtle(writer.tmp_path, outdir / "pfocr.ttl")
        ttl.publish()
    else:
        ttl_out.close()
    stages["write_ttl"] += clock() - t1
    writer.publish()
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
    (outdir / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    ap.add_argument("-o", "--outdir", type=Path, required=True)
    ap.add_argument("--shapes", type=Path, help="shapes folder or file (default: the project's shapes/)")
    ap.add_argument("--engine", default=DEFAULT_ENGINE, help=f"SHACL engine of the gate (default {DEFAULT_ENGINE})")
    ap.add_argument("--no-validate", action="store_true", help="skip the gate (check stage = 0)")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    report = run(a.sources, a.outdir, a.shapes, a.engine, not a.no_validate)
    if not a.quiet:
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
