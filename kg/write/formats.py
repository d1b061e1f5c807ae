"""The graph formats a build writes besides pfocr.nt: the one list a new format is added to.

pfocr.nt is always written (kg.write.ntriples); it decides which entity blocks are new, and the
formats below follow it. Each entry opens the format's writer (kg.write.output.FormatWriter) for
its path; a format converted from the finished pfocr.nt is a `derived` one. They are finished in
this order, after pfocr.nt. Never decides what is exported.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.write.atomic import AtomicFile
from kg.write.jsonld import ntriples_to_jsonld
from kg.write.nquads import NQuadsWriter
from kg.write.ntriples import NTriplesWriter
from kg.write.output import ExportedFigure, FormatWriter
from kg.write.turtle import TurtleWriter

# (the format's path, pfocr.nt's writer) → the format's writer
Opener = Callable[[Path, NTriplesWriter], FormatWriter]


class DerivedFormat:
    """A format converted from the finished pfocr.nt by a streaming converter
    (pfocr.nt's path, the format's path) → the format's file, finished under its temporary name."""

    def __init__(self, convert: Callable[[Path, Path], AtomicFile], path: Path, ntriples: NTriplesWriter) -> None:
        self._convert, self._path, self._ntriples = convert, path, ntriples
        self._out: AtomicFile | None = None

    def add_figure(self, figure: ExportedFigure) -> None:
        pass  # everything is read from pfocr.nt once it is finished

    def add_lines(self, lines: list[str]) -> None:
        pass

    def finish(self) -> None:
        self._out = self._convert(self._ntriples.tmp_path, self._path)

    def pending(self) -> list[tuple[Path, Path]]:
        return [] if self._out is None else self._out.pending()

    def abort(self) -> None:
        if self._out is not None:
            self._out.abort()


def derived(convert: Callable[[Path, Path], AtomicFile]) -> Opener:
    return lambda path, ntriples: DerivedFormat(convert, path, ntriples)


FORMATS: dict[str, Opener] = {
    "ttl": lambda path, _ntriples: TurtleWriter(path),
    "jsonld": derived(ntriples_to_jsonld),
    "nq": lambda path, _ntriples: NQuadsWriter(path),  # one named graph per figure
}
OUTPUT_FORMATS = ("nt", *FORMATS)  # `--format` values; pfocr.<format> in OUTDIR
DEFAULT_FORMATS = ("nt", "ttl")
