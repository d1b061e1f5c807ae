"""Streaming N-Triples writer: figures in, lines out, each shared entity node described once.

Never holds more than the set of entity IRIs already written.
"""

from __future__ import annotations

from pathlib import Path

from kg.rdf import Triple, line
from kg.write.atomic import AtomicFile


class NTriplesWriter:
    def __init__(self, path: Path, buffer_lines: int = 4096) -> None:
        self._out = AtomicFile(path)
        self._seen_entities: set[str] = set()
        self._buffer: list[str] = []
        self._buffer_lines = buffer_lines
        self.triples = 0

    def new_entities(self, entities: dict[str, list[Triple]]) -> dict[str, list[Triple]]:
        """The entity blocks not yet written, in the figure's order."""
        return {iri: block for iri, block in entities.items() if iri not in self._seen_entities}

    def write_figure(self, triples: list[Triple], entities: dict[str, list[Triple]]) -> int:
        """Write a figure's own triples and the entity blocks not written before; returns the count."""
        lines = dict.fromkeys(line(t) for t in triples)
        for iri, block in entities.items():
            if iri in self._seen_entities:
                continue
            self._seen_entities.add(iri)
            lines.update(dict.fromkeys(line(t) for t in block))
        self._buffer.extend(lines)
        if len(self._buffer) >= self._buffer_lines:
            self._flush()
        self.triples += len(lines)
        return len(lines)

    def _flush(self) -> None:
        self._out.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    def commit(self) -> None:
        self._flush()
        self._out.commit()

    def abort(self) -> None:
        self._out.abort()
