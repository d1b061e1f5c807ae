"""Shared entity nodes as several figures describe them: what the export adds, and what it warns.

Why: an entity node (a gene, a chemical, a paper, …) is written with the first exported figure
that links to it (docs/decisions/0010). Figures do not all say the same of it: an inline record
names a MeSH chemical without its ChEBI link or name, a sidecar one gives both; a gene's symbol
differs between PFOCR releases. Across figures the rule is the one a figure follows within itself
(kg.map.record._merge, docs/decisions/0017): a later description fills in the properties the node
still lacks, and a different value for a property it has is not exported and is warned, naming
both. Blocks are compared as the bytes the workers made, so the usual case (the same block) costs
a dictionary lookup and a memcmp per link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kg.records import Problem


@dataclass(slots=True)
class _Node:
    """One entity node as exported so far."""

    block: bytes  # the first description, as written
    figid: str  # the figure it came with
    values: dict[str, tuple[list[str], str]] | None = None  # predicate → (objects, from figid), once needed
    same: set[bytes] = field(default_factory=set)  # other blocks found to add nothing new


class FirstDescriptions:
    def __init__(self) -> None:
        self._nodes: dict[str, _Node] = {}

    def compare(
        self, file: str, figid: str, entities: Mapping[str, tuple[bytes, Any, Any, Any]], new: Iterable[str]
    ) -> tuple[list[str], list[Problem]]:
        """For an exported figure: the N-Triples lines (with their `\\n`) that fill in properties
        its entity nodes lacked, to be written with it, and a warning for each value it gives that
        differs from the one exported. `entities`: kg.outcomes.EntityBlock by IRI; `new`: the
        IRIs whose blocks this figure writes first."""
        nodes = self._nodes
        for iri in new:
            nodes[iri] = _Node(entities[iri][0], figid)
        fills: list[str] = []
        problems: list[Problem] = []
        for iri, entity in entities.items():
            node = nodes[iri]
            block = entity[0]
            if block == node.block or node.figid == figid or block in node.same:
                continue
            added, conflicts = _difference(node, block, figid)
            fills.extend(added)
            problems.extend(
                Problem(file, _conflict(iri, predicate, value, node), figid, "entity")
                for predicate, value in conflicts
            )
            if not added and not conflicts:
                node.same.add(block)
        return fills, problems


def _triples(block: bytes) -> list[tuple[str, str, str]]:
    """A block's N-Triples lines as (subject, predicate, object) terms (kg writes `S P O .\\n`;
    split at `\\n` only: a literal may hold U+2028 or U+0085, which `splitlines` breaks at)."""
    out = []
    for line in block.decode("utf-8").split("\n")[:-1]:
        s, p, o = line.split(" ", 2)
        out.append((s, p, o.removesuffix(" .")))
    return out


def _difference(node: _Node, block: bytes, figid: str) -> tuple[list[str], list[tuple[str, str]]]:
    """(lines of `block` for predicates the node lacks, now added to it; (predicate, value) of
    those whose predicate it has with other values)."""
    if node.values is None:
        node.values = {}
        for _s, p, o in _triples(node.block):
            node.values.setdefault(p, ([], node.figid))[0].append(o)
    added, conflicts = [], []
    lacking: dict[str, tuple[list[str], str]] = {}
    for s, p, o in _triples(block):
        known = node.values.get(p)
        if known is None:
            lacking.setdefault(p, ([], figid))[0].append(o)
            added.append(f"{s} {p} {o} .\n")
        elif o not in known[0]:
            conflicts.append((p, o))
    node.values.update(lacking)
    return added, conflicts


def _conflict(iri: str, predicate: str, value: str, node: _Node) -> str:
    exported, source = (node.values or {})[predicate]
    return (
        f"entity <{iri}>: this figure gives {predicate} {_short(value)}, but "
        f"{_short(' , '.join(exported))} is "
        f"exported, from figure {source} (a node keeps the values of the first figure that gives "
        f"the property); not exported from this figure"
    )


SHOWN_CHARS = 200  # of a value, in a warning: a title can be long, a fuzzed one huge


def _short(term: str) -> str:
    return term if len(term) <= SHOWN_CHARS else term[:SHOWN_CHARS] + f"… ({len(term)} characters)"
