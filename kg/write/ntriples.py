"""Streaming N-Triples writer: figures in, bytes out, each shared entity node described once.

Never holds more than the set of entity IRIs already written. Workers hand over each figure's
lines already joined and encoded, its entity blocks too (kg.outcomes.EntityBlock).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.write.atomic import BufferedFile


class NTriplesWriter(BufferedFile):
    def __init__(self, path: Path, recycle: bool = False) -> None:
        super().__init__(path, recycle=recycle)
        self._seen_entities: set[str] = set()
        self.triples = 0

    def write_figure(self, own: bytes, own_triples: int, entities: Mapping[str, tuple[bytes, int, Any, Any]]) -> list[str]:
        """Write a figure's own lines and the entity blocks not written before; returns the IRIs
        of those entities (the other writers describe the same ones). Blocks hold no line of
        the figure's own nor of each other (distinct subjects), so nothing is written twice."""
        pieces = [own]
        self.triples += own_triples
        new = []
        seen = self._seen_entities
        for iri, block in entities.items():
            if iri in seen:
                continue
            seen.add(iri)
            new.append(iri)
            pieces.append(block[0])  # kg.outcomes.EntityBlock: (N-Triples, triple count, …)
            self.triples += block[1]
        self._add_many(pieces)
        return new

    def write_lines(self, lines: list[str]) -> None:
        """Lines beyond a figure's blocks (kg.check.descriptions: properties a later figure
        fills in for an entity node already written)."""
        self.triples += len(lines)
        self.write("".join(lines).encode("utf-8"))
