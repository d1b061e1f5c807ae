"""Streaming N-Triples writer: figures in, lines out, each shared entity node described once.

Never holds more than the set of entity IRIs already written.
"""

from __future__ import annotations

from pathlib import Path

from kg.write.atomic import AtomicFile


class NTriplesWriter:
    def __init__(self, path: Path, buffer_lines: int = 8192) -> None:
        self._out = AtomicFile(path)
        self._seen_entities: set[str] = set()
        self._buffer: list[str] = []
        self._buffer_lines = buffer_lines
        self.triples = 0

    def write_figure(self, own_lines: list[str], entity_lines: dict[str, list[str]]) -> list[str]:
        """Write a figure's own lines and the entity blocks not written before; returns the IRIs
        of those entities (the other writers describe the same ones)."""
        lines = dict.fromkeys(own_lines)
        new = []
        for iri, block in entity_lines.items():
            if iri in self._seen_entities:
                continue
            self._seen_entities.add(iri)
            new.append(iri)
            lines.update(dict.fromkeys(block))
        self._buffer.extend(lines)
        if len(self._buffer) >= self._buffer_lines:
            self._flush()
        self.triples += len(lines)
        return new

    def _flush(self) -> None:
        self._out.write("".join(self._buffer).encode("utf-8"))
        self._buffer.clear()

    @property
    def tmp_path(self) -> Path:
        """Where the lines are until `publish()` (readable once `finish()` returned)."""
        return self._out.tmp

    def finish(self) -> None:
        self._flush()
        self._out.finish()

    def publish(self) -> None:
        self._out.publish()

    def abort(self) -> None:
        self._out.abort()
