"""Organism names → NCBI taxon ids: `_organisms/<name>.md` pages first, then a built-in table.

Never guesses an id for a name neither knows; such organisms keep their name only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kg.read.errors import RecordError
from kg.read.frontmatter import load_mapping, split_front_matter
from kg.read.textfile import DEFAULT_MAX_BYTES, read_text
from kg.records import BUILTIN_ORGANISMS, Organism, Problem

BUILTIN = BUILTIN_ORGANISMS  # the table lives in kg.records (the mappers need it too)

MISSING = frozenset({"", "NA", ".na.character"})


def _page_value(page: dict[str, object], key: str) -> str | None:
    value = page.get(key)
    if value is None or isinstance(value, bool):
        return None
    value = str(value).strip()
    return None if value in MISSING else value


@lru_cache(maxsize=64)
def load_table(
    organisms_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[dict[str, Organism], tuple[Problem, ...]]:
    """Organism pages of one database, keyed by latin name; unreadable pages are reported."""
    table: dict[str, Organism] = {}
    problems: list[Problem] = []
    if not organisms_dir.is_dir():
        return table, ()
    for page_path in sorted(organisms_dir.glob("*.md")):
        try:
            page = load_mapping(split_front_matter(read_text(page_path, max_bytes)))
        except RecordError as exc:
            problems.append(Problem(str(page_path), f"organism page skipped: {exc.reason}"))
            continue
        latin = _page_value(page, "latin")
        ncbi = _page_value(page, "ncbi")
        if latin is None or ncbi is None or not ncbi.isascii() or not ncbi.isdigit():
            problems.append(
                Problem(str(page_path), "organism page skipped: needs `latin` and a numeric `ncbi`")
            )
            continue
        common = _page_value(page, "common")
        table[latin] = Organism(latin, ncbi, common if common != latin else None)
    return table, tuple(problems)


def resolve(name: str, table: dict[str, Organism], known_ids: dict[str, str]) -> Organism:
    """The organism for a name: the database's page, then the record's own TSV ids, then built-ins."""
    if name in table:
        return table[name]
    builtin = BUILTIN.get(name)
    if name in known_ids:
        return Organism(name, known_ids[name], builtin[1] if builtin else None)
    if builtin is not None:
        return Organism(name, builtin[0], builtin[1])
    return Organism(name)
