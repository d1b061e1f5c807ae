"""The one interface of every output a build writes, and the figure data the formats are fed.

Every output (pfocr.nt and the other formats, validation.ttl, quarantine/, report.json, …) is an
`OutputWriter`: written under a temporary name, `finish()`ed (whole and durable), then renamed
into place with all the others in one journalled commit (kg.write.commit), or `abort()`ed.
A graph format is a `FormatWriter`: it is also fed each exported figure, in record order, and the
dataset node's lines at the end. Never decides what is exported: the build does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol


class EntityBlock(NamedTuple):
    """A shared entity node's description, ready to write, made in the worker that mapped the
    figure. The build writes it with the first exported figure that links to the entity."""

    nt: bytes  # its N-Triples lines
    triples: int
    ttl: bytes  # the same triples as a Turtle block (kg.write.turtle)
    facts: bytes | None  # report.html's numbers from it, sealed (kg.report.graph_facts.seal)
    digest: int  # of `nt`: the build compares blocks of one entity by it (kg.check.descriptions)


@dataclass(slots=True)
class ExportedFigure:
    """A figure as the formats write it, once the N-Triples writer has taken it."""

    figid: str
    nt: bytes  # the figure's own lines (the figure and its annotations)
    ttl: bytes  # the same as a Turtle block
    entities: Mapping[str, EntityBlock]  # every entity node the figure links to, by IRI
    new: list[str]  # the IRIs of those written with this figure (first exported link)
    fills: list[str]  # N-Triples lines filling in entity nodes written before (kg.check.descriptions)


class OutputWriter(Protocol):
    """A file or folder of OUTDIR, written under a temporary name."""

    def finish(self) -> None:
        """Complete and durable under the temporary name (raises OutputError)."""

    def pending(self) -> list[tuple[Path, Path]]:
        """(temporary, final) renames for the commit, once finished."""

    def abort(self) -> None:
        """Remove the temporary: the build failed or was interrupted."""


class FormatWriter(OutputWriter, Protocol):
    """One serialisation of the graph, `pfocr.<format>` (kg.write.formats lists them)."""

    def add_figure(self, figure: ExportedFigure) -> None:
        """An exported figure, in record order."""

    def add_lines(self, lines: list[str]) -> None:
        """N-Triples lines beyond the figures (the dataset node, written last)."""
