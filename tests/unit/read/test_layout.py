"""kg.read.layout.discover: each record once, in figid-then-path order, as the plain pathlib
version of it finds them (resolved paths compared as strings, children named without parsing)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE

from kg.read.layout import RecordSource, SourceError, discover


def _reference(sources: list[Path]) -> list[RecordSource]:
    """discover as it was written with pathlib objects throughout."""
    found: dict[Path, RecordSource] = {}
    for source in sources:
        if source.is_dir():
            folder = source / "_figures" if (source / "_figures").is_dir() else source
            root = folder.parent if folder.name == "_figures" else folder
            real_folder = folder.resolve()
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".md") and entry.is_file():
                        md = folder / entry.name
                        real = md.resolve() if entry.is_symlink() else real_folder / entry.name
                        found.setdefault(real, RecordSource(md, root))
        else:
            parent = source.parent
            root = parent.parent if parent.name == "_figures" else parent
            found.setdefault(source.resolve(), RecordSource(source, root))
    return sorted(found.values(), key=lambda s: (s.stem, str(s.md)))


def _same(sources: list[Path]) -> list[RecordSource]:
    found = discover(sources)
    expected = _reference(sources)
    assert found == expected
    assert [(str(s.md), str(s.root), type(s.md)) for s in found] == [
        (str(s.md), str(s.root), type(s.md)) for s in expected
    ]
    return found


def test_the_sample_as_pathlib_finds_it() -> None:
    found = _same([SAMPLE])
    assert len(found) == len(list((SAMPLE / "_figures").glob("*.md")))
    assert all(s.root == SAMPLE for s in found)


def test_each_file_once_however_it_is_named(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = db / "_figures"
    first = min(figures.glob("*.md"))
    (figures / "zz-link.md").symlink_to(first)  # the same file under a second name
    (figures / "dir.md").mkdir()  # not a file
    (figures / "notes.txt").write_text("not a record")
    flat = tmp_path / "flat"
    flat.mkdir()
    shutil.copy(first, flat / "a.md")
    (flat / ".md").write_text("a name that is all suffix")
    (flat / "b.md").symlink_to(figures / first.name)  # a record of db, through another folder
    found = _same([db, db, figures / first.name, flat, figures, flat / "a.md"])
    assert len({str(s.md.resolve()) for s in found}) == len(found)
    monkeypatch.chdir(flat)
    _same([Path("."), Path("a.md"), Path("../db")])
    monkeypatch.chdir(figures)
    _same([Path("."), Path(first.name)])


def test_what_is_not_a_source_is_refused(db: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        discover([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError):
        discover([tmp_path / "empty"])
    (tmp_path / "x.txt").write_text("")
    with pytest.raises(SourceError):
        discover([tmp_path / "x.txt"])
