"""A rebuild's plot numbers, foreseen before it writes: the last build's numbers, minus the
records that left, plus those that came.

Why: report.html's plots are drawn from numbers the build gathers as it writes, so a rebuild
that adds or removes one record used to wait ≈ 0.5 s at the end for matplotlib to redraw them.
With the last build's GraphFacts kept beside its cache entries, the numbers are known before
writing starts and the plot helper draws while the build writes (docs/decisions/0016).
A forecast is only a head start: report.html is always drawn from the numbers the build really
gathered, and a plot foreseen wrongly (a name first seen in another figure, a duplicate figid)
is drawn again at the end, as before: a forecast never changes an output's bytes.
`same_validation` is exact instead: it says validation.ttl would come out byte for byte as the
last build wrote it, so a rebuild keeps the file rather than write 120 MB again.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path
from typing import NamedTuple, cast

from kg.cache import _framed, _write_framed
from kg.check.report import same_contribution
from kg.outcomes import Outcome
from kg.publish.graph_facts import GraphFacts
from kg.uptodate import state_file

_MAGIC = b"KGF4"  # KGF4: vocabulary v2 facts (entity links; records → images → papers)
# More changed records than this and the build is closer to a full one: nothing is foreseen.
MAX_CHANGES = 64


def facts_file(cache_folder: Path, outdir: Path) -> Path:
    """Where the last build of `outdir` keeps its GraphFacts (one file per OUTDIR)."""
    return state_file(cache_folder, outdir).with_suffix(".facts")


def save_facts(path: Path, keys: Sequence[str | None], graph: GraphFacts, salt: bytes) -> None:
    """After a build: its records' keys, in order, the facts it gathered from them, and its
    cache salt (kg.cache.salt: the tool's code, libraries, shapes, engine, size limit)."""
    if any(key is None for key in keys):
        path.unlink(missing_ok=True)
        return
    state = (tuple(keys), {f.name: getattr(graph, f.name) for f in fields(graph)}, salt)
    try:
        _write_framed(path, _MAGIC, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        path.unlink(missing_ok=True)  # no forecast next time, nothing else


class LastBuild(NamedTuple):
    keys: tuple[str, ...]  # its records' keys, in order
    graph: GraphFacts  # the facts it gathered
    salt: bytes  # what besides the records decided its outputs: another one, another validation.ttl


def load_facts(path: Path) -> LastBuild | None:
    """What `save_facts` kept; None when absent, torn or from another version."""
    try:
        payload = _framed(path.read_bytes(), _MAGIC)
        if payload is None:
            return None
        keys, state, salt = pickle.loads(payload)
        graph = GraphFacts(**state)
    except Exception:  # noqa: BLE001 - absent, torn or from another version: no forecast
        return None
    if not isinstance(keys, tuple) or not all(isinstance(key, str) for key in keys) or not isinstance(salt, bytes):
        return None
    return LastBuild(keys, graph, salt)


def forecast(
    path: Path, keys: Sequence[str | None], outcome: Callable[[str], Outcome | None]
) -> GraphFacts | None:
    """`forecast_from` the facts kept at `path`."""
    last = load_facts(path)
    return forecast_from(last, keys, outcome) if last is not None else None


def forecast_from(
    last: LastBuild, keys: Sequence[str | None], outcome: Callable[[str], Outcome | None]
) -> GraphFacts | None:
    """This build's GraphFacts as the last build's, the records whose keys left withdrawn and
    those whose keys came applied. `outcome(key)` gives a record's outcome (from the cache, or
    computed already). None when there is nothing to go by or too much changed. Consumes
    `last`'s GraphFacts."""
    if any(key is None for key in keys):
        return None
    before, graph = last.keys, last.graph
    now = Counter(cast("Sequence[str]", keys))  # none is None: checked above
    went, came = Counter(before) - now, now - Counter(before)
    if sum(went.values()) + sum(came.values()) > MAX_CHANGES:
        return None
    for changes, apply in ((went, False), (came, True)):
        for key, times in changes.items():
            record = outcome(key)  # type: ignore[arg-type]
            if record is None:
                return None
            if record.problem is not None or record.failed:
                continue  # quarantined: it added nothing
            for _ in range(times):
                if apply:
                    graph.apply_packed(record.own_facts)
                    for entity in record.entities.values():
                        graph.apply_sealed(entity[3], first_wins=True)
                else:
                    graph.withdraw_packed(record.own_facts)
    return graph


def same_validation(
    last: LastBuild, salt: bytes, keys: Sequence[str | None], outcome: Callable[[str], Outcome | None]
) -> bool:
    """Whether this build's validation.ttl is byte for byte the last build's: the same salt (the
    build process writes part of the file itself: header, numbering, shared entity results, so
    another version of the tool may write other bytes from the same results), the same number
    of records, and each whose key changed puts the same results into it (`same_contribution`).
    Then a rebuild after an edited caption need not write its 120 MB again."""
    before = last.keys
    if last.salt != salt or len(before) != len(keys) or any(key is None for key in keys):
        return False
    for old_key, new_key in zip(before, keys):
        if old_key == new_key:
            continue
        old, new = outcome(old_key), outcome(new_key)  # type: ignore[arg-type]
        if old is None or new is None or not same_contribution(old, new):
            return False
    return True
