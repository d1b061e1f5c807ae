"""One record's work: read → map → check, and its outputs rendered (`Worker`), giving its Outcome.

Runs in a worker process or in the build process (kg.build.pool), the same code either way, and
in bench/stages.py. Never writes an output: the Outcome is what the build process writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.cache import OutcomeCache
from kg.check.engine import ShaclResult
from kg.check.gate import Gate, violations
from kg.iris import BadIdentifier
from kg.map.record import map_record
from kg.map.terms import bounded_store
from kg.rdf import UnencodableText, line
from kg.read.layout import RecordSource
from kg.read.record import read_record
from kg.records import FigureRecord, Problem
from kg.report.graph_facts import PackedFacts, SealedFacts, pack, seal, triple_facts
from kg.write.output import EntityBlock
from kg.write.turtle import turtle_of
from kg.write.validation import RenderedResults, render

# Called after each step of a record's work with the step's name (bench/stages.py times them).
Lap = Callable[[str], None]


def _no_lap(_step: str) -> None:
    pass


@dataclass(slots=True)
class Outcome:
    """One record after read, map and check, in the form the build process writes without
    looking inside: encoded N-Triples and Turtle, rendered report text, packed facts. Why: the
    build process is the one part no worker shares, and a rebuild from the cache is nothing else.
    A record that cannot be exported carries the Problem that stops it."""

    file: str
    figid: str | None = None
    problem: Problem | None = None
    warnings: list[Problem] = field(default_factory=list)
    own_nt: bytes = b""  # the figure and its mentions
    own_triples: int = 0
    own_ttl: bytes = b""
    own_facts: PackedFacts | None = None  # report.html's numbers, from the own lines
    entities: dict[str, EntityBlock] = field(default_factory=dict)  # entity IRI → its block
    own_results: RenderedResults | None = None  # check results about the figure's own nodes
    entity_results: tuple[ShaclResult, ...] = ()  # … and about entity nodes (reported once a build)
    failed: tuple[ShaclResult, ...] = ()  # violations: the figure is quarantined
    quarantine_lines: list[str] = field(default_factory=list)  # all its lines, when failed


@dataclass(slots=True)
class MappedFigure:
    """A figure's triples, deduplicated, with their N-Triples lines: own (figure and mentions)
    and per entity block. Each block holds no line given before it (blocks have distinct
    subjects, so this only drops a block's own repeats): what the writer takes, it writes as is."""

    own: list[tuple[str, str, str]]
    own_lines: list[str]
    blocks: dict[str, tuple[list[tuple[str, str, str]], list[str]]]
    warnings: list[Problem]


def map_figure(record: FigureRecord) -> MappedFigure:
    """Raises UnencodableText or BadIdentifier for a record no RDF syntax can carry."""
    graph = map_record(record)
    own = list(dict.fromkeys(graph.triples))
    own_lines = [line(t) for t in own]
    seen = set(own_lines)
    blocks: dict[str, tuple[list[tuple[str, str, str]], list[str]]] = {}
    for iri, block in graph.entities.items():
        triples, lines = [], []
        for triple in block:
            text = line(triple)
            if text not in seen:
                seen.add(text)
                triples.append(triple)
                lines.append(text)
        blocks[iri] = (triples, lines)
    return MappedFigure(own, own_lines, blocks, graph.warnings)


def check_figure(outcome: Outcome, mapped: MappedFigure, gate: Gate) -> None:
    """Run the gate on the figure with its entity nodes; results rendered for the report."""
    triples = [*mapped.own, *(t for triples, _lines in mapped.blocks.values() for t in triples)]
    results = gate.check_figure(outcome.figid or outcome.file, triples, lambda: "".join(
        mapped.own_lines) + "".join(l for _t, lines in mapped.blocks.values() for l in lines))
    own_nodes = {t[0] for t in mapped.own}
    outcome.own_results = render(r for r in results if r.focus_node in own_nodes)
    outcome.entity_results = tuple(r for r in results if r.focus_node not in own_nodes)
    outcome.failed = tuple(violations(results))
    if outcome.failed:  # quarantined: its lines go to quarantine/<figid>.ttl
        outcome.quarantine_lines = mapped.own_lines + [l for _t, lines in mapped.blocks.values() for l in lines]


def render_figure(outcome: Outcome, mapped: MappedFigure, lap: Lap = _no_lap) -> None:
    """A figure that may be exported, in the forms the build process writes as they are: its own
    and its entity blocks' N-Triples and Turtle, and report.html's facts."""
    blocks = mapped.blocks.values()
    outcome.own_nt = "".join(mapped.own_lines).encode("utf-8")
    outcome.own_triples = len(mapped.own)
    nts = ["".join(lines).encode("utf-8") for _triples, lines in blocks]
    digests = [block_digest(nt) for nt in nts]
    lap("write_nt")
    outcome.own_ttl = turtle_of(mapped.own).encode("utf-8")
    ttls = [turtle_of(triples).encode("utf-8") for triples, _lines in blocks]
    lap("write_ttl")
    outcome.own_facts = pack(triple_facts(mapped.own))
    memo = _SEALED_FACTS
    sealed = [
        memo[nt] if nt in memo else bounded_store(memo, nt, seal(pack(triple_facts(triples))))
        for nt, (triples, _lines) in zip(nts, blocks, strict=True)
    ]
    lap("facts")
    outcome.entities = {
        iri: EntityBlock(nt, len(triples), ttl, facts, digest)
        for iri, (triples, _lines), nt, ttl, facts, digest in zip(mapped.blocks, blocks, nts, ttls, sealed, digests,
                                                                   strict=True)
    }


def block_digest(nt: bytes) -> int:
    """64 bits of BLAKE2b of an entity block: the build process compares a link's block with the
    one written by this number, not by bytes it has not touched for a while (a collision, 2^-64
    for a pair, would hide one kg.check.descriptions warning). Memoised like the sealed facts."""
    digest = _DIGESTS.get(nt)
    if digest is None:
        digest = bounded_store(_DIGESTS, nt, int.from_bytes(hashlib.blake2b(nt, digest_size=8).digest(), "big"))
    return digest


_DIGESTS: dict[bytes, int] = {}


# Entity blocks' sealed facts by the block's N-Triples bytes, which say everything the facts are
# made of: most blocks recur across figures (at 1k generated records, 13k distinct of 33k).
# Bounded like the mappers' caches (kg.map.terms): emptied when full.
_SEALED_FACTS: dict[bytes, SealedFacts | None] = {}


class Worker:
    """Read, map and check one record; every failure becomes a Problem, nothing escapes.
    `lap` is told when each step is done (read, map, check, write_nt, write_ttl, facts)."""

    def __init__(self, max_bytes: int, gate: Gate | None, lap: Lap = _no_lap) -> None:
        self.max_bytes = max_bytes
        self.gate = gate
        self.lap = lap

    def __call__(self, source: RecordSource) -> Outcome:
        file, lap = str(source.md), self.lap
        record = read_record(source, self.max_bytes)
        lap("read")
        if isinstance(record, Problem):
            return Outcome(file, record.figid, problem=record)
        try:
            mapped = map_figure(record)
        except (UnencodableText, BadIdentifier) as exc:
            return Outcome(file, record.figid, problem=Problem(file, str(exc), record.figid))
        except Exception as exc:  # noqa: BLE001 - a mapper's bug stops one record, not the build
            reason = f"internal error while mapping ({type(exc).__name__}: {exc}); please report it"
            return Outcome(file, record.figid, problem=Problem(file, reason, record.figid))
        finally:
            lap("map")
        outcome = Outcome(file, record.figid, warnings=mapped.warnings)
        if self.gate is not None:
            check_figure(outcome, mapped, self.gate)
            lap("check")
        if not outcome.failed:  # only what may be exported is rendered
            render_figure(outcome, mapped, lap)
        return outcome


@dataclass(slots=True)
class RunSettings:
    """What a worker process needs to rebuild the build's Worker and cache on its side."""

    max_bytes: int
    shapes: list[Path] | None
    engine: str
    cache_folder: Path | None  # None: no cache (--no-cache)
    salt: bytes

    def worker(self) -> Worker:
        return Worker(self.max_bytes, Gate(self.shapes, self.engine) if self.shapes is not None else None)

    def cache(self) -> OutcomeCache | None:
        return None if self.cache_folder is None else OutcomeCache(self.cache_folder, self.salt, self.max_bytes)


