"""Find figure records in what the user named: a PFOCR database root, a folder of .md files, or files.

Never opens a record: listing only, so the order of the run can be fixed before any work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RecordSource:
    """A figure file and the database root whose `_data/` and `_organisms/` belong to it."""

    md: Path
    root: Path

    @property
    def stem(self) -> str:
        return self.md.stem

    def sidecar(self, kind: str) -> Path:
        return self.root / "_data" / f"{self.md.stem}-{kind}.tsv"


class SourceError(Exception):
    """A SOURCE argument that does not exist or holds no records."""


def _root_of(folder: Path) -> Path:
    return folder.parent if folder.name == "_figures" else folder


def _same_file_key(resolved: str) -> str:
    """What pathlib compares when it compares two resolved paths, as a string: the path itself, or
    on Windows its lower case (PureWindowsPath folds each part with str.lower). Comparing these
    instead of Path objects gives the same matches without building a Path a file."""
    return resolved.lower() if os.name == "nt" else resolved


# How Path.iterdir names a child (CPython 3.11, 3.12): no parsing of a name that has no separator,
# ≈ 1.3 µs a file less than `folder / name` (13 ms per 10k); the public joinpath where it is gone.
_child = getattr(Path, "_make_child_relpath", Path.joinpath)


def _md_files(folder: Path) -> list[tuple[Path, str]]:
    """(path, same-file key of its resolved path) of each regular `*.md` file in `folder`. The folder
    is resolved once: resolving each of 100k files alone took ~0.4 s per 10k in every (re)build;
    and the resolved path stays a string (its Path took ~20 ms per 10k, only to be compared)."""
    real_folder = str(folder.resolve())
    files = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.endswith(".md") and entry.is_file():
                md = _child(folder, name)
                real = str(md.resolve()) if entry.is_symlink() else os.path.join(real_folder, name)
                files.append((md, _same_file_key(real)))
    return files


_STEM_THEN_PATH = itemgetter(0, 1)


def discover(sources: list[Path]) -> list[RecordSource]:
    """All records under `sources`, each file once, sorted by figid-to-be (file stem) then path."""
    found: dict[str, tuple[str, str, RecordSource]] = {}  # same-file key: (stem, str(md), source)
    for source in sources:
        if not source.exists():
            raise SourceError(f"{source}: no such file or folder")
        if source.is_dir():
            folder = source / "_figures" if (source / "_figures").is_dir() else source
            files = _md_files(folder)
            if not files:
                raise SourceError(f"{source}: no figure records (*.md) found in {folder}")
            root = _root_of(folder)
            for md, real in files:
                if real not in found:
                    found[real] = (md.stem, str(md), RecordSource(md, root))
        elif source.suffix == ".md":
            real = _same_file_key(str(source.resolve()))
            if real not in found:
                found[real] = (source.stem, str(source), RecordSource(source, _root_of(source.parent)))
        else:
            raise SourceError(f"{source}: not a folder and not a figure record (.md)")
    return [record for _, _, record in sorted(found.values(), key=_STEM_THEN_PATH)]
