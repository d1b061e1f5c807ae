"""Where the shapes are: the project's `shapes/` folder by default, or a folder the user names.

Never reads a shape file itself: engines parse them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def packaged(name: str) -> Path:
    """A folder the package ships (`shapes`, `queries`): inside the installed package (a wheel
    puts the repository's top-level folder there, pyproject.toml), else the checkout's own."""
    installed = Path(str(resources.files("kg"))) / name
    return installed if installed.is_dir() else Path(__file__).resolve().parents[2] / name


DEFAULT_SHAPES_DIR = packaged("shapes")


class ShapesError(Exception):
    """No usable shapes where the user pointed."""


def shape_files(folder: Path | None = None) -> list[Path]:
    """The Turtle files of a shapes folder (or of one file), sorted so every run loads them alike."""
    folder = folder or DEFAULT_SHAPES_DIR
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise ShapesError(f"{folder}: no such shapes folder (give one with --shapes)")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".ttl", ".nt") and p.is_file())
    if not files:
        raise ShapesError(f"{folder}: no shape files (*.ttl, *.nt)")
    return files
