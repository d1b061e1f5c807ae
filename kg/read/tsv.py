"""Sidecar TSVs (`_data/<figid>-genes.tsv` …) → rows as dicts, exact duplicates counted once.

Never forgives a broken table: missing columns or ragged rows fail the whole record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.read.errors import RecordError
from kg.read.textfile import read_text

COLUMNS: dict[str, tuple[str, ...]] = {
    "genes": (
        "organism_id", "organism_name", "organism_group", "word", "match", "ncbigene_symbol",
        "ncbigene_id", "source", "count_direct", "count_synonym", "count_match",
    ),
    "chemicals": ("word", "mesh", "match", "name", "chebi"),
    "diseases": ("word", "mesh", "match", "name", "doid"),
}


@dataclass(frozen=True, slots=True)
class Row:
    """One distinct line of a sidecar table: its cells by column, where it first is, and how often
    the file gives it (PFOCR repeats rows; the annotation says so with pfocr:occurrences)."""

    line: int  # the file's line number of its first copy (the header is line 1)
    cells: dict[str, str]
    times: int = 1


def read_table(path: Path, kind: str, max_bytes: int) -> list[Row]:
    """The distinct rows of a sidecar of `kind`, in file order, each with how often it is given."""
    text = read_text(path, max_bytes)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise RecordError(f"{kind} table is empty (no header row)", file=str(path))
    header = lines[0].split("\t")
    missing = [c for c in COLUMNS[kind] if c not in header]
    if missing:
        raise RecordError(
            f"{kind} table lacks column(s) {', '.join(missing)}", field=kind, file=str(path)
        )
    # lines, not cells: equal lines are equal rows (and the first was checked)
    first: dict[str, tuple[int, dict[str, str]]] = {}
    times: dict[str, int] = {}
    width = len(header)
    for number, line in enumerate(lines[1:], start=2):
        if line in first:
            times[line] += 1
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise RecordError(
                f"{kind} table line {number} has {len(cells)} fields, header has {len(header)}",
                field=kind,
                file=str(path),
            )
        first[line] = (number, dict(zip(header, cells)))
        times[line] = 1
    return [Row(number, cells, times[line]) for line, (number, cells) in first.items()]
