#!/usr/bin/env python3
"""The naive baseline of issue 6: what a straightforward rdflib + pySHACL implementation does.

    python bench/naive.py SOURCE -o OUTDIR [--shapes DIR] [--yaml pyyaml|kg]

  read    every record with kg's own reader (kg.read.layout.discover + kg.read.record.read_record:
          the same files, sidecar TSVs and cleaning as `kg build`), front matter parsed by PyYAML's
          libyaml loader only — kg's fastyaml-rs fast path is switched off in this process
          (`--yaml kg` keeps it, to see how much of the gap is the parser)
  map     kg.map.record.map_record, each N-Triples term turned into an rdflib term
          (URIRef / Literal with datatype) and added to ONE rdflib Graph for the whole corpus
          (shared gene/chemical/paper nodes collapse by set semantics); then the dataset node
          (kg.map.dataset, the release as `kg build` reads it), as kg build writes one
  check   pyshacl.validate(graph, shacl_graph=<all shapes/ files in one rdflib Graph>,
          inference="none") on that corpus graph, once
  write   graph.serialize(OUTDIR/pfocr.nt, format="nt"), then
          graph.serialize(OUTDIR/pfocr.ttl, format="turtle") with kg's prefixes bound

Default garbage collection, one process, nothing cached: no tuning a first implementation would
not have. It writes OUTDIR/report.json (records_read, figures_written, quarantined_count, triples,
conforms, violations, stages: seconds per stage) so bench/run.py reads it like kg's report.
Not imported by kg; used by bench/run.py.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import driver
import pyshacl
import rdflib
from rdflib import Literal, URIRef

import kg.read.frontmatter
from kg.check.shapes import shape_files
from kg.map.dataset import dataset_triples
from kg.map.record import map_record
from kg.read.layout import discover
from kg.read.provenance import release_date, release_of
from kg.read.record import read_record
from kg.records import Problem
from kg.vocab import PREFIXES

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "'": "'"}


def _unescape_match(m: re.Match[str]) -> str:
    if m.group(3) is not None:
        return _SIMPLE[m.group(3)]
    return chr(int(m.group(1) or m.group(2), 16))


def term(nt: str) -> URIRef | Literal:
    """One N-Triples term as kg.rdf writes it (IRI, or literal with an optional datatype) → rdflib."""
    if nt[0] == "<":
        return URIRef(nt[1:-1])
    end = nt.rindex('"')
    lexical = nt[1:end]
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape_match, lexical)
    rest = nt[end + 1:]
    if rest.startswith("^^<"):
        return Literal(lexical, datatype=URIRef(rest[3:-1]))
    if rest.startswith("@"):
        return Literal(lexical, lang=rest[1:])
    return Literal(lexical)


def shapes_graph(folder: Path | None) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shape_files(folder):
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else "nt")
    return graph


def run(sources: list[Path], outdir: Path, shapes_dir: Path | None = None, yaml_mode: str = "pyyaml") -> dict:
    saved = kg.read.frontmatter._fast_yaml  # type: ignore[attr-defined]
    if yaml_mode == "pyyaml":
        kg.read.frontmatter._fast_yaml = None  # type: ignore[attr-defined]  # libyaml only
    try:
        return _run(sources, outdir, shapes_dir, yaml_mode)
    finally:
        kg.read.frontmatter._fast_yaml = saved  # type: ignore[attr-defined]


def _run(sources: list[Path], outdir: Path, shapes_dir: Path | None, yaml_mode: str) -> dict:
    # facts (report.html's numbers) stays 0: the naive pipeline writes no report.html
    stages = dict.fromkeys(("read", "map", "check", "write_nt", "write_ttl", "facts"), 0.0)
    t_start = time.perf_counter()
    records = discover(sources)
    shapes = shapes_graph(shapes_dir)
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    read = quarantined = mapped = 0
    clock = time.perf_counter
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
            fg = map_record(record)
            for s, p, o in fg.all_triples():
                graph.add((term(s), term(p), term(o)))
            mapped += 1
        except Exception:  # noqa: BLE001 - as the build: a record that cannot be mapped is quarantined
            quarantined += 1
        stages["map"] += clock() - t1
    t0 = clock()
    release = release_of(None, release_date(None, os.environ.get("SOURCE_DATE_EPOCH")),
                         sorted({s.root for s in records}))
    for s, p, o in dataset_triples(release, mapped, len(graph)):
        graph.add((term(s), term(p), term(o)))
    stages["map"] += clock() - t0

    t0 = clock()
    conforms, report_graph, _text = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", advanced=False, abort_on_first=False,
        allow_warnings=False, meta_shacl=False, do_owl_imports=False,
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    results = list(report_graph.subjects(rdflib.RDF.type, sh.ValidationResult))
    violations = sum(1 for r in results if (r, sh.resultSeverity, sh.Violation) in report_graph)
    stages["check"] = clock() - t0

    outdir.mkdir(parents=True, exist_ok=True)
    t0 = clock()
    graph.serialize(destination=str(outdir / "pfocr.nt"), format="nt", encoding="utf-8")
    t1 = clock()
    graph.serialize(destination=str(outdir / "pfocr.ttl"), format="turtle", encoding="utf-8")
    t2 = clock()
    stages["write_nt"], stages["write_ttl"] = t1 - t0, t2 - t1
    report = {
        "tool": "bench/naive.py (rdflib Graph per corpus + pySHACL + rdflib serialisers)",
        "yaml": "PyYAML CSafeLoader (libyaml)" if yaml_mode == "pyyaml" else "kg.read.frontmatter as is",
        "records_read": read,
        "figures_written": mapped,
        "quarantined_count": quarantined,
        "triples": len(graph),
        "conforms": bool(conforms),
        "results": len(results),
        "violations": violations,
        "stages": stages,
        "wall_in_process": clock() - t_start,
    }
    return driver.write_report(outdir, report)


def main(argv: list[str] | None = None) -> int:
    def options(ap: argparse.ArgumentParser) -> None:
        ap.add_argument("--yaml", choices=("pyyaml", "kg"), default="pyyaml",
                        help="pyyaml (default): libyaml only; kg: kg's loader as is (fastyaml-rs fast path)")

    return driver.main(__doc__, argv, options, lambda a: run(a.sources, a.outdir, a.shapes, a.yaml))


if __name__ == "__main__":
    sys.exit(main())
