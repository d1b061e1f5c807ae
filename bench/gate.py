#!/usr/bin/env python3
"""The gate alone, side by side: the compiled checker and the `shacl` engine on the same figures,
in build order, one process, CPU time (time.process_time) — NOT `kg build`.

    python bench/gate.py SOURCE [--records N] [--repeat 3]

Each record is read and mapped (not timed), then, in turn for the same figure:

  compiled   kg.outcomes.check_figure with Gate(engine="compiled"): the triples listed, the
             checker, the shadow decision (and `shacl` on a shadowed figure or one with a
             violation, as in a build), the results split and rendered for validation.ttl
  shacl      kg.outcomes.check_figure with Gate(engine="shacl"): the lines joined, `shacl`,
             the results split and rendered

and, for where the compiled checker's time goes (the same figures again, each part alone):
  list       the figure's triples as one list            index   kg.check.compiled.DataGraph
  checks     the generated functions on the index         results ShaclResults made and sorted

Prints JSON: ms a figure for each (the best of --repeat passes over the figures, so a pass
disturbed by the machine's other work counts least), figures, triples a figure, results, shadow
runs. Used for docs/performance.md's gate section.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg.check.compiled import DataGraph
from kg.check.engine import ShaclResult
from kg.check.gate import Gate, shadowed
from kg.check.shapes import shape_files
from kg.outcomes import MappedFigure, Outcome, check_figure, map_figure
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


def best(passes: int, figures: list, work: Callable[[object], object]) -> float:
    """ms a figure: the best of `passes` passes of `work` over every figure, CPU time."""
    times = []
    for _ in range(passes):
        started = time.process_time()
        for figure in figures:
            work(figure)
        times.append(time.process_time() - started)
    return 1000 * min(times) / len(figures)


def run(source: Path, limit: int | None, passes: int) -> dict[str, object]:
    figures = mapped_figures(source, limit)
    gates = {engine: Gate(shape_files(), engine) for engine in ("compiled", "shacl")}
    checker = gates["compiled"]._checker
    assert checker is not None

    def gate(engine: str) -> Callable[[object], object]:
        def work(item: object) -> None:
            figid, mapped = item  # type: ignore[misc]
            check_figure(Outcome("f", figid), mapped, gates[engine])
        return work

    def triples(item: object) -> list[tuple[str, str, str]]:
        mapped = item[1]  # type: ignore[index]
        return [*mapped.own, *(t for ts, _lines in mapped.blocks.values() for t in ts)]

    lists = [triples(f) for f in figures]
    indexes = [DataGraph(t) for t in lists]
    rows = [checker._check(g) for g in indexes]
    results = {
        # side by side, in turn over the same figures in build order
        "compiled": best(passes, figures, gate("compiled")),
        "shacl": best(passes, figures, gate("shacl")),
        "list": best(passes, figures, triples),
        "index": best(passes, lists, DataGraph),
        "checks": best(passes, indexes, checker._check),
        "results": best(passes, rows, lambda r: sorted(map(_result, r), key=ShaclResult.sort_key)),  # type: ignore[arg-type]
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
