"""What a build was made from: the git commit of a SOURCE that is a git checkout, read from its
`.git` folder (no git binary needed), and the release settings a user gives.

Never runs a program and never reads the clock: a date enters only through `--release-date` or
SOURCE_DATE_EPOCH, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from kg.records import Release

_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The PFOCR database's public repository, however a checkout names its origin.
_PFOCR_ORIGIN = re.compile(r"(?:https://|git@|ssh://git@)github\.com[:/]wikipathways/pfocr-database(?:\.git)?/?")
PFOCR_TREE = "https://github.com/wikipathways/pfocr-database/tree/"


class ReleaseError(ValueError):
    """A release setting that cannot be used (a malformed date)."""


@dataclass(frozen=True, slots=True)
class Checkout:
    commit: str
    pfocr_origin: bool  # the origin is wikipathways/pfocr-database


def git_checkout(root: Path) -> Checkout | None:
    """The commit checked out at `root` when `root` itself is a git checkout; None otherwise or when
    `.git` cannot be read (a build never fails for want of provenance)."""
    try:
        git = root / ".git"
        if git.is_file():  # a worktree or submodule: `gitdir: <path>`
            text = git.read_text("utf-8").strip()
            if not text.startswith("gitdir:"):
                return None
            git = (root / text[len("gitdir:"):].strip()).resolve()
        if not git.is_dir():
            return None
        commit = _resolve(git, (git / "HEAD").read_text("utf-8").strip())
        if commit is None:
            return None
        return Checkout(commit, _origin_is_pfocr(_common(git) / "config"))
    except (OSError, UnicodeDecodeError):
        return None


def _resolve(git: Path, head: str) -> str | None:
    if _SHA.fullmatch(head):
        return head
    if not head.startswith("ref:"):
        return None
    ref = head[len("ref:"):].strip()
    for folder in (git, _common(git)):
        loose = folder / ref
        if loose.is_file():
            value = loose.read_text("utf-8").strip()
            return value if _SHA.fullmatch(value) else None
        packed = folder / "packed-refs"
        if packed.is_file():
            for line in packed.read_text("utf-8").splitlines():
                parts = line.split(" ", 1)
                if len(parts) == 2 and parts[1] == ref and _SHA.fullmatch(parts[0]):
                    return parts[0]
    return None


def _common(git: Path) -> Path:
    commondir = git / "commondir"
    return (git / commondir.read_text("utf-8").strip()).resolve() if commondir.is_file() else git


def _origin_is_pfocr(config: Path) -> bool:
    if not config.is_file():
        return False
    section = None
    for line in config.read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == '[remote "origin"]' and line.startswith("url"):
            url = line.split("=", 1)[1].strip() if "=" in line else ""
            return _PFOCR_ORIGIN.fullmatch(url) is not None
    return False


def release_date(given: str | None, source_date_epoch: str | None) -> str | None:
    """The release date (YYYY-MM-DD): `--release-date`, else SOURCE_DATE_EPOCH's day in UTC."""
    if given is not None:
        try:
            if not _DATE.fullmatch(given):
                raise ValueError
            datetime.date.fromisoformat(given)
        except ValueError:
            raise ReleaseError(f"--release-date {given!r} is not a date YYYY-MM-DD") from None
        return given
    if source_date_epoch is None or not source_date_epoch.strip():
        return None
    try:
        seconds = int(source_date_epoch.strip())
        return datetime.datetime.fromtimestamp(seconds, datetime.UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise ReleaseError(f"SOURCE_DATE_EPOCH {source_date_epoch!r} is not a number of seconds") from None


def release_of(version: str | None, date: str | None, roots: list[Path]) -> Release:
    """The release a build describes: its version (given, else the sources' single commit)."""
    checkouts = [c for c in (git_checkout(root) for root in sorted(set(roots))) if c is not None]
    commits = tuple(dict.fromkeys(c.commit for c in checkouts))
    if version is not None and not version.strip():
        raise ReleaseError("--release is empty")
    if version is None and len(commits) == 1:
        version = commits[0]
    trees = tuple(dict.fromkeys(PFOCR_TREE + c.commit for c in checkouts if c.pfocr_origin))
    return Release(version, date, commits, trees)
