"""Streaming N-Triples writer: figures in, bytes out, each shared entity node described once.

Never holds more than the entity blocks already written (each once, for kg.check.descriptions).
Workers hand over each figure's lines already joined and encoded, its entity blocks too
(kg.write.output.EntityBlock). The other formats follow it (kg.write.formats).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kg.write.atomic import BufferedFile
from kg.write.output import EntityBlock


class NTriplesWriter(BufferedFile):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._written: dict[str, int] = {}  # entity IRI → the digest of the block written for it
        self._blocks: dict[str, bytes] = {}  # … and the block (read only when another differs)
        self.triples = 0

    def write_figure(
        self, own: bytes, own_triples: int, entities: Mapping[str, EntityBlock]
    ) -> tuple[list[str], list[str]]:
        """Write a figure's own lines and the entity blocks not written before. Returns the IRIs of
        those entities (the other writers describe the same ones), and of the entities written
        before whose block here differs (kg.check.descriptions compares them). Blocks hold no line
        of the figure's own nor of each other (distinct subjects), so nothing is written twice."""
        pieces = [own]
        self.triples += own_triples
        new, differing = [], []
        written = self._written
        for iri, block in entities.items():
            first = written.get(iri)
            if first is None:
                written[iri] = block.digest
                self._blocks[iri] = block.nt
                new.append(iri)
                pieces.append(block.nt)
                self.triples += block.triples
            elif first != block.digest:
                differing.append(iri)
        self._add_many(pieces)
        return new, differing

    def first_block(self, iri: str) -> bytes:
        """The block written for an entity."""
        return self._blocks[iri]

    def write_lines(self, lines: list[str]) -> None:
        """Lines beyond a figure's blocks (kg.check.descriptions: properties a later figure
        fills in for an entity node already written)."""
        self.triples += len(lines)
        self.write("".join(lines).encode("utf-8"))
