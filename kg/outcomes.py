"""Each record's outcome (read → map → check), in record order, from the cache or computed anew,
here or in worker processes.

Each worker process has a pipe of its own: it is sent chunks of records and answers each record
with its outcome (stored in the cache first, when there is one). Why not a pool's shared result
queue: a worker killed while sending a large outcome leaves half a message, and on a queue every
worker (and the build) holds open, the build would wait for the rest of it for ever; on a pipe
only that worker held open, the build reads end-of-file and stops with WorkerDied. For the same
reason a build killed outright leaves no worker behind: each reads end-of-file, or fails to
answer, and exits.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, cast

from kg.cache import OutcomeCache
from kg.check.engine import ShaclResult
from kg.check.gate import Gate, violations
from kg.check.report import RenderedResults, render
from kg.iris import BadIdentifier
from kg.map.record import map_record
from kg.map.terms import bounded_store
from kg.publish.graph_facts import PackedFacts, SealedFacts, pack, seal, triple_facts
from kg.rdf import UnencodableText, line
from kg.read.layout import RecordSource
from kg.read.record import read_record
from kg.records import FigureRecord, Problem
from kg.write.atomic import OutputError
from kg.write.turtle import turtle_of

# Below this many records to compute, a worker pool costs more than it saves.
PARALLEL_THRESHOLD = 200


# A shared entity node's description, ready to write: (N-Triples, triple count, Turtle, sealed facts,
# digest of the N-Triples: the build compares blocks of one entity by it, kg.check.descriptions).
# The build writes it with the first exported figure that links to it. A plain tuple: the build
# unpickles ~17 a figure, and plain tuples load ~3x faster than NamedTuples.
EntityBlock = tuple[bytes, int, bytes, "SealedFacts | None", int]


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


def add_ntriples(outcome: Outcome, mapped: MappedFigure) -> None:
    outcome.own_nt = "".join(mapped.own_lines).encode("utf-8")
    outcome.own_triples = len(mapped.own)
    outcome.entities = {}
    for iri, (triples, lines) in mapped.blocks.items():
        nt = "".join(lines).encode("utf-8")
        outcome.entities[iri] = (nt, len(triples), b"", None, block_digest(nt))


def block_digest(nt: bytes) -> int:
    """64 bits of BLAKE2b of an entity block: the build process compares a link's block with the
    one written by this number, not by bytes it has not touched for a while (a collision, 2^-64
    for a pair, would hide one kg.check.descriptions warning). Memoised like the sealed facts."""
    digest = _DIGESTS.get(nt)
    if digest is None:
        digest = bounded_store(_DIGESTS, nt, int.from_bytes(hashlib.blake2b(nt, digest_size=8).digest(), "big"))
    return digest


_DIGESTS: dict[bytes, int] = {}


def add_turtle(outcome: Outcome, mapped: MappedFigure) -> None:
    outcome.own_ttl = turtle_of(mapped.own).encode("utf-8")
    for iri, (triples, _lines) in mapped.blocks.items():
        nt, count, _ttl, found, digest = outcome.entities[iri]
        outcome.entities[iri] = (nt, count, turtle_of(triples).encode("utf-8"), found, digest)


# Entity blocks' sealed facts by the block's N-Triples bytes, which say everything the facts are
# made of: most blocks recur across figures (at 1k generated records, 13k distinct of 33k).
# Bounded like the mappers' caches (kg.map.terms): emptied when full.
_SEALED_FACTS: dict[bytes, SealedFacts | None] = {}


def add_facts(outcome: Outcome, mapped: MappedFigure) -> None:
    outcome.own_facts = pack(triple_facts(mapped.own))
    memo = _SEALED_FACTS
    for iri, (triples, _lines) in mapped.blocks.items():
        nt, count, ttl, _facts, digest = outcome.entities[iri]
        sealed = memo[nt] if nt in memo else bounded_store(memo, nt, seal(pack(triple_facts(triples))))
        outcome.entities[iri] = (nt, count, ttl, sealed, digest)


class Worker:
    """Read, map and check one record; every failure becomes a Problem, nothing escapes."""

    def __init__(self, max_bytes: int, gate: Gate | None) -> None:
        self.max_bytes = max_bytes
        self.gate = gate

    def __call__(self, source: RecordSource) -> Outcome:
        file = str(source.md)
        record = read_record(source, self.max_bytes)
        if isinstance(record, Problem):
            return Outcome(file, record.figid, problem=record)
        try:
            mapped = map_figure(record)
        except (UnencodableText, BadIdentifier) as exc:
            return Outcome(file, record.figid, problem=Problem(file, str(exc), record.figid))
        except Exception as exc:  # noqa: BLE001 - a mapper's bug stops one record, not the build
            reason = f"internal error while mapping ({type(exc).__name__}: {exc}); please report it"
            return Outcome(file, record.figid, problem=Problem(file, reason, record.figid))
        outcome = Outcome(file, record.figid, warnings=mapped.warnings)
        if self.gate is not None:
            check_figure(outcome, mapped, self.gate)
        if not outcome.failed:  # only what may be exported is rendered
            add_ntriples(outcome, mapped)
            add_turtle(outcome, mapped)
            add_facts(outcome, mapped)
        return outcome


class WorkerDied(Exception):
    """A worker process ended abnormally (killed, out of memory): the build cannot be complete."""


class CacheWriteError(Exception):
    """A cache entry a worker could not write (plain arguments: it crosses the process boundary)."""

    def __init__(self, path: str, errno: int, strerror: str) -> None:
        super().__init__(path, errno, strerror)

    def as_output_error(self) -> OutputError:
        path, errno, strerror = self.args
        return OutputError(Path(path), OSError(errno, strerror))


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


@dataclass(slots=True)
class CacheStats:
    reused: int = 0
    computed: int = 0
    keys: set[str] = field(default_factory=set)  # entries this build uses (the rest is pruned)
    unstable: int = 0  # keyed records whose files changed while the build read them
    locations: list[str] = field(default_factory=list)  # with record_keys: each record's entry


def _store(cache: OutcomeCache, key: str, outcome: Outcome) -> None:
    try:
        cache.store(key, outcome)
    except OSError as exc:
        raise CacheWriteError(str(cache.path(key)), exc.errno or 0, exc.strerror or str(exc)) from None


def _compute(worker: Worker, cache: OutcomeCache | None, source: RecordSource, key: str | None) -> tuple[Outcome, bool]:
    """(the record's outcome, whether it is stored under `key`): it is when the record's files
    still hold what `key` says (a record edited while it was read is not cached)."""
    outcome = worker(source)
    if key is None or cache is None or cache.key(source) != key:
        return outcome, False
    _store(cache, key, outcome)
    return outcome, True


def outcomes(
    sources: list[RecordSource],
    settings: RunSettings,
    jobs: int,
    stats: CacheStats,
    keys: list[str | None],
    record_keys: bool = False,
) -> Generator[Outcome, None, None]:
    """Outcomes in the order of `sources`: reused from the cache when the record is unchanged,
    computed otherwise (in `jobs` worker processes when there are enough to compute). `keys`:
    each record's cache key (OutcomeCache.keys; stale temporaries already removed), all None
    without a cache. With `record_keys` every outcome stays in the cache, and `stats.locations`
    says where."""
    cache = settings.cache()
    inner = _outcomes(sources, settings, jobs, stats, cache, keys)
    if not record_keys:
        for outcome, _location in inner:
            yield outcome
        return
    assert cache is not None  # a shard build needs the cache (checked by the build)
    for outcome, location in inner:
        if location is None:  # not keyable by content: kept under a one-off key for kg merge
            location = "nk" + uuid.uuid4().hex
            _store(cache, location, outcome)
        stats.keys.add(location)
        stats.locations.append(location)
        yield outcome


class LocalComputer:
    """Computes records in this process (when too few for a pool) and stores their outcomes."""

    def __init__(self, settings: RunSettings, stats: CacheStats, cache: OutcomeCache | None) -> None:
        self._settings, self._stats, self._cache = settings, stats, cache
        self._worker: Worker | None = None

    def __call__(self, source: RecordSource, key: str | None) -> tuple[Outcome, str | None]:
        """(outcome, the key it is stored under, or None when it is not stored)."""
        self._worker = self._worker or self._settings.worker()
        try:
            outcome, stored = _compute(self._worker, self._cache, source, key)
        except CacheWriteError as exc:
            raise exc.as_output_error() from None
        self._stats.computed += 1
        self._stats.unstable += key is not None and not stored
        return outcome, key if stored else None


def _outcomes(
    sources: list[RecordSource], settings: RunSettings, jobs: int, stats: CacheStats, cache: OutcomeCache | None,
    keys: list[str | None],
) -> Iterator[tuple[Outcome, str | None]]:
    """(outcome, the key it is stored under or None) in record order."""
    stats.keys.update(k for k in keys if k is not None)
    todo = [i for i, key in enumerate(keys) if key is None or cache is None or not cache.has(key)]
    compute_here = LocalComputer(settings, stats, cache)

    def reuse_or_compute(index: int) -> tuple[Outcome, str | None]:
        key = keys[index]
        found = cache.load(key) if key is not None and cache is not None else None
        if found is None:  # torn, foreign or vanished entry: never trusted, recomputed
            return compute_here(sources[index], key)
        stats.reused += 1
        return found, key

    if jobs <= 1 or len(todo) < PARALLEL_THRESHOLD:
        pending = set(todo)
        for index, source in enumerate(sources):
            yield compute_here(source, keys[index]) if index in pending else reuse_or_compute(index)
        return
    # chunks of up to 64 records, and at most ≈ 1,000 outcomes waiting in this process
    chunk = max(1, min(64, len(todo) // (jobs * 8), 512 // jobs))
    pool = Pool(jobs, settings)
    try:
        answers = pool.run([(sources[i], keys[i]) for i in todo], chunk, ahead=2 * jobs * chunk)
        pending = set(todo)
        for index in range(len(sources)):
            if index not in pending:
                yield reuse_or_compute(index)
                continue
            outcome, stored = next(answers)
            stats.computed += 1
            stats.unstable += keys[index] is not None and not stored
            yield outcome, keys[index] if stored else None
    finally:
        pool.close()


def _serve(conn: Connection, settings: RunSettings) -> None:
    """A worker process: each chunk of (record, key) it is sent, computed and answered record by
    record, with `_compute`'s answer or the exception that stopped it; until the build closes
    its end or is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the process group: the build decides
    worker, cache = settings.worker(), settings.cache()
    try:
        while True:
            for source, key in conn.recv():
                try:
                    answer: tuple[Outcome, bool] | Exception = _compute(worker, cache, source, key)
                except Exception as exc:  # noqa: BLE001 - raised in the build process instead
                    answer = exc
                conn.send(answer)
    except (EOFError, OSError):
        return  # the build has all it asked for, or is gone


class Pool:
    """`jobs` worker processes (`_serve`), each with its own pipe (see the module docstring)."""

    def __init__(self, jobs: int, settings: RunSettings) -> None:
        # forkserver (spawn where there is none), not fork: a forked worker would inherit the
        # other workers' pipes, and hold them open after they die
        context: Any = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
        self.workers: list[tuple[BaseProcess, Connection]] = []
        try:
            for _ in range(jobs):
                here, there = context.Pipe()
                process = context.Process(target=_serve, args=(there, settings), name="kg-worker", daemon=True)
                process.start()
                there.close()
                self.workers.append((process, here))
        except BaseException:
            self.close()
            raise

    def run(
        self, tasks: list[tuple[RecordSource, str | None]], chunk: int, ahead: int
    ) -> Iterator[tuple[Outcome, bool]]:
        """`_compute`'s answer for each task, in order. A worker is sent the next `chunk` tasks
        once it has answered its last ones, while fewer than `ahead` answers wait to be taken."""
        answers: dict[int, tuple[Outcome, bool]] = {}
        starts = deque(range(0, len(tasks), chunk))
        idle = [conn for _process, conn in self.workers]
        busy: dict[Connection, deque[int]] = {}
        taken = 0
        while taken < len(tasks):
            while idle and starts and starts[0] < taken + ahead:
                start, conn = starts.popleft(), idle.pop()
                _talk(conn.send, tasks[start : start + chunk])
                busy[conn] = deque(range(start, min(start + chunk, len(tasks))))
            for ready in wait(list(busy), timeout=0 if taken in answers else None):
                conn = cast(Connection, ready)
                answer = _talk(conn.recv)
                if isinstance(answer, CacheWriteError):
                    raise answer.as_output_error()
                if isinstance(answer, Exception):
                    raise answer
                answers[busy[conn].popleft()] = answer
                if not busy[conn]:
                    del busy[conn]
                    idle.append(conn)
            if taken in answers:
                yield answers.pop(taken)
                taken += 1

    def close(self) -> None:
        """Stop every worker (one still computing is not waited for: the build failed or stops)."""
        for process, conn in self.workers:
            conn.close()
            process.terminate()
        for process, _conn in self.workers:
            process.join()


def _talk(call: Callable[..., Any], *args: Any) -> Any:
    """A send or receive on a worker's pipe; WorkerDied when the pipe ended (the worker died)."""
    try:
        return call(*args)
    except (EOFError, OSError) as exc:
        raise WorkerDied("a worker process died (killed, or out of memory) before finishing its records") from exc
