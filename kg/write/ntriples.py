"""Streaming N-Triples writer: figures in, lines out, each shared entity node described once.

Never holds more than the set of entity IRIs already written.
"""

from __future__ import annotations

from pathlib import Path

from kg.write.atomic import BufferedTextFile


class NTriplesWriter(BufferedTextFile):
    def __init__(self, path: Path, buffer_lines: int = 8192) -> None:
        super().__init__(path, buffer_lines)
        self._seen_entities: set[str] = set()
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
        self._add(lines)
        self.triples += len(lines)
        return new
