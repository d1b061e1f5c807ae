"""Shared entity nodes as several figures describe them: what the export adds, and what it warns.

Why: an entity node (a gene, a chemical, a paper, …) is written with the first exported figure
that links to it (docs/decisions/0010). Figures do not all say the same of it: an inline record
names a MeSH chemical without its ChEBI link or name, a sidecar one gives both; a gene's symbol
differs between PFOCR releases. Across figures the rule is the one a figure follows within itself
(kg.map.record._merge, docs/decisions/0017): a later description fills in the properties the node
still lacks, and a different value for a property it has is not exported and is warned, naming
both. The N-Triples writer, which looks each link up anyway, says which blocks differ from the one
it wrote (by the block's digest, kg.write.output.EntityBlock); only those are read here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from kg.records import Problem


@dataclass(slots=True)
class _Node:
    """An entity node whose descriptions differ: what is exported of it, property by property."""

    values: dict[str, tuple[list[str], str]]  # predicate → (objects, the figid they came from)
    same: set[bytes] = field(default_factory=set)  # other blocks found to add nothing new


class FirstDescriptions:
    """What a build exported of the entity nodes whose descriptions differ between figures."""

    def __init__(self) -> None:
        self._figids: dict[str, str] = {}  # entity IRI → the figure its block was written with
        self._differing: dict[str, _Node] = {}

    def written_by(self, figid: str, iris: Iterable[str]) -> None:
        """These entities' blocks were written with this figure."""
        for iri in iris:
            self._figids[iri] = figid

    def compare(
        self, file: str, figid: str, differing: Mapping[str, bytes], first_block: Callable[[str], bytes],
    ) -> tuple[list[str], list[Problem]]:
        """For an exported figure: the N-Triples lines (with their `\\n`) that fill in properties
        its entity nodes lacked, to be written with it, and a warning for each value it gives that
        differs from the one exported. `differing`: the N-Triples block of each entity whose block
        differs from the one written (`first_block`, NTriplesWriter), by IRI."""
        fills: list[str] = []
        problems: list[Problem] = []
        for iri, block in differing.items():
            node = self._differing.get(iri)
            if node is None:
                node = self._differing[iri] = _Node({})
                _difference(node, first_block(iri), self._figids[iri])  # all of it is "lacking"
            elif block in node.same:
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
    exported, source = node.values[predicate]
    return (
        f"entity <{iri}>: this figure gives {predicate} {_short(value)}, but "
        f"{_short(' , '.join(exported))} is "
        f"exported, from figure {source} (a node keeps the values of the first figure that gives "
        f"the property); not exported from this figure"
    )


SHOWN_CHARS = 200  # of a value, in a warning: a title can be long, a fuzzed one huge


def _short(term: str) -> str:
    return term if len(term) <= SHOWN_CHARS else term[:SHOWN_CHARS] + f"… ({len(term)} characters)"
