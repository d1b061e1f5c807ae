"""Turtle from the finished N-Triples file, streamed through pyoxigraph's serializer.

Never builds a corpus-wide graph in memory: one pass, constant memory, prefixes declared.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kg.vocab import PREFIXES
from kg.write.atomic import AtomicFile


def ntriples_to_turtle(nt_path: Path, ttl_path: Path) -> None:
    out = AtomicFile(ttl_path)
    try:
        pyoxigraph.serialize(
            pyoxigraph.parse(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES),
            out.handle,
            pyoxigraph.RdfFormat.TURTLE,
            prefixes=PREFIXES,
        )
    except BaseException:
        out.abort()
        raise
    out.commit()
