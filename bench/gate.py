#!/usr/bin/env python3
"""The gate alone, side by side: the compiled checker and the `shacl` engine on the same figures,
in build order, one process, CPU time (time.process_time) — NOT `kg build`.

    python bench/gate.py SOURCE [--records N] [--repeat 3]

Each record is read and mapped (not timed), then, in turn for the same figure:

  compiled   kg.build.worker.check_figure with Gate(engine="compiled"): the triples listed, the
             checker, the shadow decision (and `shacl` on a shadowed figure or one with a
             violation, as in a build), the results split and rendered for validation.ttl
  shacl      kg.build.worker.check_figure with Gate(engine="shacl"): the lines joined, `shacl`,
             the results split and rendered

and, for where the compiled checker's time goes (the same figures again, each part alone):
  list       the figure's triples as one list            index   kg.check.compiled.DataGraph
  checks     the generated functions on the index         results ShaclResults made and sorted
  own_only   index + checks as a perfect entity-result cache would leave them: only the figure's
             own triples and its entity nodes' rdf:type triples indexed, only its own nodes
             checked (the floor of any cache of entity nodes' results across figures)

Prints JSON: ms a figure for each (the best of --repeat passes over the figures, each with a new
gate, so a pass disturbed by the machine's other work counts least), figures, triples a figure, results, shadow
runs. Used for docs/performance.md's gate section.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.build.worker import MappedFigure, Outcome, check_figure, map_figure
from kg.check.compiled import Checker
from kg.check.data_graph import RDF_TYPE, DataGraph
from kg.check.engine import ShaclResult
from kg.check.gate import Gate, core_shapes, shadowed
from kg.check.shapes import shape_files
from kg.read.layout import discover
from kg.read.record import read_record
from kg.records import Problem


def mapped_figures(source: Path, limit: int | None) -> list[tuple[str, MappedFigure]]:
    out = []
    for record_source in discover([source])[:limit]:
        record = read_record(record_source, 10**8)
        if isinstance(record, Problem):
            continue
        try:
            out.append((record.figid, map_figure(record)))
        except ValueError:
            continue
    return out


def best(passes: int, figures: list, make: Callable[[], Callable[[object], object]]) -> float:
    """ms a figure: the best of `passes` passes over every figure, CPU time, each pass with a
    fresh `make()` (a new gate: its memo of value tests starts empty, as in a build, where each
    figure is checked once)."""
    times = []
    for _ in range(passes):
        work = make()
        started = time.process_time()
        for figure in figures:
            work(figure)
        times.append(time.process_time() - started)
    return 1000 * min(times) / len(figures)


def run(source: Path, limit: int | None, passes: int) -> dict[str, object]:
    figures = mapped_figures(source, limit)

    def gate(engine: str) -> Callable[[], Callable[[object], object]]:
        def make() -> Callable[[object], object]:
            fresh = Gate(shape_files(), engine)

            def work(item: object) -> None:
                figid, mapped = item  # type: ignore[misc]
                check_figure(Outcome("f", figid), mapped, fresh)
            return work
        return make

    def checker() -> Checker:
        return Checker(core_shapes(shape_files()))

    def triples(item: object) -> list[tuple[str, str, str]]:
        mapped = item[1]  # type: ignore[index]
        return [*mapped.own, *(t for ts, _lines in mapped.blocks.values() for t in ts)]

    def own_only() -> Callable[[object], object]:
        check = checker()._check

        def work(item: object) -> None:
            kept, own = item  # type: ignore[misc]
            graph = DataGraph(kept)
            graph.instances = {c: [n for n in nodes if n in own] for c, nodes in graph.instances.items()}
            check(graph)
        return work

    own_inputs = [([*m.own, *(t for ts, _lines in m.blocks.values() for t in ts if t[1] == RDF_TYPE)],
                   {t[0] for t in m.own}) for _figid, m in figures]

    lists = [triples(f) for f in figures]
    indexes = [DataGraph(t) for t in lists]
    check_once = checker()._check
    rows = [check_once(g) for g in indexes]
    results = {
        # side by side, in turn over the same figures in build order
        "compiled": best(passes, figures, gate("compiled")),
        "shacl": best(passes, figures, gate("shacl")),
        "list": best(passes, figures, lambda: triples),
        "index": best(passes, lists, lambda: DataGraph),
        "checks": best(passes, indexes, lambda: checker()._check),
        "own_only": best(passes, own_inputs, own_only),
        "results": best(passes, rows, lambda: lambda r: sorted(map(_result, r), key=ShaclResult.sort_key)),  # type: ignore
    }
    return {
        "figures": len(figures),
        "triples_a_figure": round(sum(map(len, lists)) / len(lists), 1),
        "results": sum(map(len, rows)),
        "shadowed": sum(shadowed(f) for f, _m in figures),
        "with_violations": sum(any(r[3].endswith("Violation>") for r in rs) for rs in rows),
        "ms_a_figure": {k: round(v, 4) for k, v in results.items()},
        "speed_up": round(results["shacl"] / results["compiled"], 2),
    }


def _result(row: tuple) -> ShaclResult:  # type: ignore[type-arg]
    return ShaclResult(*row)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path)
    ap.add_argument("--records", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(json.dumps(run(args.source, args.records, args.repeat), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
