"""A data graph's triples indexed the way the generated checker (kg.check.compiled) reads them.

Why a module: the index and the path walk are the checker's only view of the data; each figure's
triples are indexed once (≈ 0.1 ms a figure, docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"


class DataGraph:
    """A data graph's triples indexed as the generated code reads them: subject → predicate →
    objects (distinct, in order), each node's classes (with rdfs:subClassOf from the data), and
    the inverse index, built only when a path or target needs it."""

    __slots__ = ("_inverse", "instances", "out", "types")

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        out: dict[str, dict[str, list[str]]] = {}
        for s, p, o in triples:
            by_p = out.get(s)
            if by_p is None:
                out[s] = {p: [o]}
            else:
                objects = by_p.get(p)
                if objects is None:
                    by_p[p] = [o]
                elif o not in objects:
                    objects.append(o)
        self.out = out
        self._inverse: dict[str, dict[str, list[str]]] = {}
        supers = _superclasses(out)
        types: dict[str, set[str] | list[str]] = {}
        instances: dict[str, list[str]] = {}
        for s, by_p in out.items():
            classes = by_p.get(RDF_TYPE)
            if classes:
                if supers:
                    classes = list({c: None for d in classes for c in supers.get(d, (d,))})
                types[s] = classes
                for c in classes:
                    nodes = instances.get(c)
                    if nodes is None:
                        instances[c] = [s]
                    else:
                        nodes.append(s)
        self.types = types
        self.instances = instances

    def inverse(self, predicate: str) -> dict[str, list[str]]:
        """object → the subjects that have it as a value of `predicate`."""
        found = self._inverse.get(predicate)
        if found is None:
            found = self._inverse[predicate] = {}
            for s, by_p in self.out.items():
                for o in by_p.get(predicate, ()):
                    found.setdefault(o, []).append(s)
        return found


def _superclasses(out: dict[str, dict[str, list[str]]]) -> dict[str, set[str]]:
    """Each class with an rdfs:subClassOf in the data → itself and all its superclasses."""
    direct = {s: by_p[RDFS_SUBCLASS] for s, by_p in out.items() if RDFS_SUBCLASS in by_p}
    closure: dict[str, set[str]] = {}
    for start in direct:
        seen, todo = {start}, [start]
        while todo:
            for parent in direct.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        closure[start] = seen
    return closure


def walk(plan: tuple[Any, ...], focus: str, graph: DataGraph) -> list[str]:
    """The value nodes of a path that is not a single predicate."""
    return list(_step(plan, {focus: None}, graph))


def _step(plan: tuple[Any, ...], nodes: dict[str, None], graph: DataGraph) -> dict[str, None]:
    kind = plan[0]
    out: dict[str, None] = {}
    if kind == "p":
        for n in nodes:
            out.update(dict.fromkeys(graph.out.get(n, {}).get(plan[1], ())))
    elif kind == "inversePath":
        for n in nodes:
            out.update(dict.fromkeys(graph.inverse(plan[1][1]).get(n, ())))
    elif kind == "seq":
        out = nodes
        for part in plan[1]:
            out = _step(part, out, graph)
    elif kind == "alt":
        for part in plan[1]:
            out.update(_step(part, nodes, graph))
    elif kind == "zeroOrOnePath":
        out = {**nodes, **_step(plan[1], nodes, graph)}
    else:  # zeroOrMorePath, oneOrMorePath
        frontier = nodes if kind == "zeroOrMorePath" else _step(plan[1], nodes, graph)
        out = dict(frontier)
        while frontier:
            frontier = {n: None for n in _step(plan[1], frontier, graph) if n not in out}
            out.update(frontier)
    return out
