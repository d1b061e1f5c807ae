"""Sidecar TSVs (`_data/<figid>-genes.tsv` …) → rows as dicts, exact duplicates collapsed.

Never forgives a broken table: missing columns or ragged rows fail the whole record.
"""

from __future__ import annotations

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


def read_table(path: Path, kind: str, max_bytes: int) -> list[dict[str, str]]:
    """Rows of a sidecar of `kind`, in file order, each exact duplicate row kept once."""
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
    rows: list[dict[str, str]] = []
    seen: set[str] = set()  # lines, not cells: equal lines are equal rows (and the first was checked)
    width = len(header)
    for number, line in enumerate(lines[1:], start=2):
        if line in seen or not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise RecordError(
                f"{kind} table line {number} has {len(cells)} fields, header has {len(header)}",
                field=kind,
                file=str(path),
            )
        seen.add(line)
        rows.append(dict(zip(header, cells)))
    return rows
