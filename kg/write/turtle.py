"""Turtle from the finished N-Triples file, streamed through pyoxigraph's serializer.

Never builds a corpus-wide graph in memory: one pass, constant memory, prefixes declared.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kg.vocab import PREFIXES
from kg.write.atomic import AtomicFile, OutputError


def ntriples_to_turtle(nt_path: Path, ttl_path: Path) -> AtomicFile:
    """Write `ttl_path` under its temp name, finished; the caller publishes it."""
    out = AtomicFile(ttl_path)
    try:
        pyoxigraph.serialize(
            pyoxigraph.parse(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES),
            out.handle,
            pyoxigraph.RdfFormat.TURTLE,
            prefixes=PREFIXES,
        )
        out.finish()
    except OSError as exc:
        out.abort()
        raise OutputError(ttl_path, exc) from exc
    except BaseException:
        out.abort()
        raise
    return out
