"""pfocr.nq: the lines of pfocr.nt as N-Quads, one named graph per figure and one shared graph;
and the reading back of that layout (one run of lines per graph) for `kg load --by-figure`.

Never writes a line pfocr.nt does not hold, nor leaves one out: each N-Triples line the build
writes goes into exactly one graph, so the union of the graphs is the N-Triples file's graph.
A figure's graph holds what only that figure says: its record, organism counts, annotations,
the pathways drawn from it, and its image's description (the image is PMC's figure, an entity
node only because two figids may show one image: docs/vocabulary.md, "Named graphs"). The shared
graph holds the nodes figures share (genes, chemicals, diseases, organisms, match sources,
papers, journals, publishers, WikiPathways) and the dataset node. Figure graphs come in record
order, each one run of lines; the shared graph is the last run.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg import iris, vocab
from kg.write.atomic import BufferedFile, OutputError
from kg.write.output import ExportedFigure

GRAPH_BASE = vocab.HOME + "graph/"
FIGURE_GRAPH_BASE = GRAPH_BASE + "figures/"  # + figid
SHARED_GRAPH = GRAPH_BASE + "shared"  # the entity nodes every figure links to, and the dataset node
# Where `kg load --by-figure` keeps, in the store, the SHA-256 of each graph's lines as it loaded
# them: `<graph> schema:sha256 "<hex>"` (schema.org's term for the hash of an item's content).
LOADED_GRAPH = GRAPH_BASE + "loaded"
DIGEST = vocab.SCHEMA + "sha256"
GRAPH_COUNT = vocab.SCHEMA + "numberOfItems"  # how many digests LOADED_GRAPH holds, to see a cut answer

_END = b" .\n"  # how every line kg writes ends (a literal's line break is written `\n`)
_COPY_BYTES = 1 << 20


def figure_graph(figid: str) -> str:
    """The named graph of one figure (the figid is checked as for its record IRI)."""
    iris.figure(figid)
    return FIGURE_GRAPH_BASE + figid


def in_figure_graph(iri: str) -> bool:
    """Whether an entity node is described in its figure's graph rather than the shared one: the
    image (`https://pmc.ncbi.nlm.nih.gov/articles/<pmcid>/figure/<part>/`, or `<record>#image`)."""
    return iri.startswith((vocab.PMC_FIGURE_BASE, vocab.FIGURE_BASE))


def quads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines as kg writes them (`S P O .\\n`) put into `graph`."""
    return ntriples.replace(_END, b" <" + graph.encode("utf-8") + b">" + _END)


def _subject(line: str) -> str:
    return line[1 : line.index(">")]


class NQuadsWriter(BufferedFile):
    """pfocr.nq from the pieces the N-Triples writer takes, in its order: each figure's graph is
    written at once; the shared graph's lines wait in an unnamed temporary file (nothing to
    clean after a kill) and are appended by `finish`."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._path = path
        self._shared_suffix = b" <" + SHARED_GRAPH.encode("utf-8") + b">" + _END
        try:
            # closed by finish or abort; unnamed, so a killed build leaves nothing
            self._shared: IO[bytes] = tempfile.TemporaryFile(dir=path.parent, prefix=".pfocr-nq-shared-")  # noqa: SIM115
        except OSError as exc:
            super().abort()
            raise OutputError(path, exc) from exc

    def write_figure(self, figid: str, own: bytes, blocks: Iterable[tuple[str, bytes]], fills: list[str]) -> None:
        """One exported figure: its own N-Triples, the entity blocks written with it (IRI, N-Triples),
        and the lines that fill in entity nodes written before (kg.check.descriptions)."""
        graph = figure_graph(figid)
        mine: list[bytes] = [own]
        shared: list[bytes] = []
        for iri, block in blocks:
            (mine if in_figure_graph(iri) else shared).append(block)
        for text in fills:
            (mine if in_figure_graph(_subject(text)) else shared).append(text.encode("utf-8"))
        self._add_many([quads(b"".join(mine), graph)])
        if shared:
            self.write_shared(b"".join(shared))

    def add_figure(self, figure: ExportedFigure) -> None:
        """kg.write.output.FormatWriter: an exported figure."""
        entities = figure.entities
        self.write_figure(figure.figid, figure.nt, [(iri, entities[iri].nt) for iri in figure.new], figure.fills)

    def add_lines(self, lines: list[str]) -> None:
        """kg.write.output.FormatWriter: the dataset node's lines, in the shared graph."""
        self.write_shared("".join(lines).encode("utf-8"))

    def write_shared(self, ntriples: bytes) -> None:
        """N-Triples lines of the shared graph (entity blocks, fills, the dataset node)."""
        try:
            self._shared.write(ntriples.replace(_END, self._shared_suffix))
        except OSError as exc:
            raise OutputError(self._path, exc) from exc

    def finish(self) -> None:
        try:
            self._shared.seek(0)
            while piece := self._shared.read(_COPY_BYTES):
                self.write(piece)
            self._shared.close()
        except OSError as exc:
            raise OutputError(self._path, exc) from exc
        super().finish()

    def abort(self) -> None:
        self._shared.close()
        super().abort()


# --- reading the layout back ------------------------------------------------------------------


class LayoutError(ValueError):
    """An N-Quads file that is not laid out as kg build writes pfocr.nq (line number in the message)."""


@dataclass(frozen=True)
class GraphRun:
    """One graph of a pfocr.nq: where its lines are, how many, and the SHA-256 of their bytes."""

    graph: str
    start: int  # byte offset of its first line
    end: int  # … and after its last
    first_line: int  # 1-based
    lines: int
    digest: str


def _graph_of(line: bytes) -> bytes | None:
    """The last IRI term of a line (its graph, on a pfocr.nq line), without `<>`; None if there is none."""
    if not line.endswith(b">" + _END):
        return None
    cut = line.rfind(b" <", 0, len(line) - len(_END))
    return None if cut < 0 else line[cut + 2 : -len(_END) - 1]


def _no_statement(line: bytes) -> bool:
    """A blank or comment line (it stays with the run it is in)."""
    stripped = line.strip()
    return not stripped or stripped.startswith(b"#")


def graph_runs(path: Path) -> Iterator[GraphRun]:
    """Each graph of a pfocr.nq as one run of consecutive lines, in file order. Raises LayoutError
    when a graph comes back after another one (the file is not grouped by graph) or a line has no
    IRI where the graph name goes. Lines are not parsed here: `ntriples_of` gives what is sent,
    and the sender parses it."""
    seen: set[bytes] = set()
    graph: bytes | None = None
    suffix = b""
    digest = hashlib.sha256()
    start = offset = count = first = 0
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            line = raw if raw.endswith(b"\n") else raw + b"\n"
            if not (suffix and line.endswith(suffix)) and not _no_statement(line):
                found = _graph_of(line)
                if found is None:
                    raise LayoutError(f"{path}:{number}: no graph name where kg build --outputs nq writes one")
                if graph is not None:
                    yield GraphRun(graph.decode("utf-8"), start, offset, first, count, digest.hexdigest())
                if found in seen:
                    raise LayoutError(
                        f"{path}:{number}: graph <{found.decode('utf-8', 'replace')}> comes back after other "
                        "graphs; kg load --by-figure needs each graph's lines together, as kg build writes them"
                    )
                seen.add(found)
                graph, suffix = found, b" <" + found + b">" + _END
                digest, start, count, first = hashlib.sha256(), offset, 0, number
            offset += len(raw)
            if graph is None:  # blank or comment lines before the first graph
                continue
            digest.update(line)
            count += 1
    if graph is not None:
        yield GraphRun(graph.decode("utf-8"), start, offset, first, count, digest.hexdigest())


def ntriples_of(path: Path, run: GraphRun, size: int) -> Iterator[tuple[bytes, int]]:
    """A run's lines as N-Triples (the graph name cut off; blank and comment lines kept, so line
    numbers still count), `size` lines at a time: (bytes, the line number of the piece's first line)."""
    cut = len(run.graph.encode("utf-8")) + 3 + len(_END)  # ` <G> .\n`
    with path.open("rb") as stream:
        stream.seek(run.start)
        piece: list[bytes] = []
        first = run.first_line
        for _ in range(run.lines):
            raw = stream.readline()
            line = raw if raw.endswith(b"\n") else raw + b"\n"
            piece.append(line if _no_statement(line) else line[:-cut] + _END)
            if len(piece) >= size:
                yield b"".join(piece), first
                first += len(piece)
                piece = []
        if piece:
            yield b"".join(piece), first
