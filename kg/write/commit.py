"""Renaming a build's finished outputs into place as one step that always completes.

Every output is whole and fsynced under its temporary name before the commit starts, but the
renames are several system calls: a build killed between two of them would leave OUTDIR a mix of
two builds. So the steps are first written down in a journal (made durable), then done, then
the journal is removed. A build killed in between (SIGKILL, OOM killer, power loss) leaves the
journal, and the next build, merge or clean of that OUTDIR replays it (roll forward) before it
tidies anything. SIGINT and SIGTERM wait the few milliseconds the renames take (`on_signal`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, ClassVar

from kg.write.atomic import OutputError, write_bytes

JOURNAL_NAME = ".kg-commit.json"

Step = tuple[str, ...]  # ("rename", temporary name, final name) or ("remove", name), in OUTDIR


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C or SIGTERM came during or after the renames: the outputs in OUTDIR are this
    build's, whole; only what follows them (tidying the cache, filling --store) was skipped."""


class CommitError(Exception):
    """The renames could not all be done: OUTDIR is a mix until the journal is replayed."""


class _Signals:
    """Where the running build is, for `on_signal`: set by plain assignments, which a signal
    handler cannot interrupt half-way."""

    IDLE, COMMITTING, COMMITTED = range(3)
    state = IDLE
    noted: ClassVar[list[int]] = []


def on_signal(signum: int, frame: object) -> None:
    """The SIGINT/SIGTERM handler of `kg build` and `kg merge`: KeyboardInterrupt before the
    commit, nothing but a note during it (raised once it is done), InterruptedAfterCommit after."""
    if _Signals.state == _Signals.COMMITTING:
        _Signals.noted.append(signum)
        return
    if _Signals.state == _Signals.COMMITTED:
        raise InterruptedAfterCommit
    raise KeyboardInterrupt


def begin_build() -> None:
    """A new build writes (in one process, builds follow one another)."""
    _Signals.state = _Signals.IDLE
    _Signals.noted = []


def commit(outdir: Path, steps: list[Step]) -> None:
    """Do `steps` in order (paths are names in `outdir`), journalled."""
    journal = outdir / JOURNAL_NAME
    _Signals.state = _Signals.COMMITTING
    try:
        write_bytes(journal, json.dumps({"steps": steps}, indent=1).encode("utf-8"))
        sync_folder(outdir)  # the journal's name is durable before the first rename
    except BaseException:
        _Signals.state = _Signals.IDLE  # nothing renamed: the previous outputs stand
        raise
    try:
        _replay(outdir, steps)
        sync_folder(outdir)
        _unlink(journal)
    except OutputError as exc:
        _Signals.state = _Signals.IDLE
        raise CommitError(
            f"{exc}; {outdir}/ holds part of this build's outputs and part of the previous ones until "
            f"`kg build` or `kg clean {outdir}` completes the journalled renames"
        ) from exc
    _Signals.state = _Signals.COMMITTED
    if _Signals.noted:
        raise InterruptedAfterCommit


def interrupted_commit(outdir: Path) -> str | None:
    """Why OUTDIR's outputs cannot be read as one build now, or None: readers (kg query,
    kg publish) refuse a mix of two builds rather than serve it."""
    if (outdir / JOURNAL_NAME).exists():
        return (f"{outdir}/ is a mix of two builds: a build is renaming its outputs into place, or was "
                f"killed doing so; `kg build` or `kg clean {outdir}` completes it")
    return None


def finish_interrupted_commit(outdir: Path) -> bool:
    """Replay the journal a killed build left, if any (call only while holding the OUTDIR lock,
    before removing temporaries: the journal names some). True when there was one."""
    journal = outdir / JOURNAL_NAME
    try:
        data = journal.read_bytes()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise CommitError(f"cannot read {journal}: {exc.strerror or exc}") from exc
    steps = _steps(data)
    if steps is None:  # written atomically by this tool, so not ours, or a damaged disk
        raise CommitError(
            f"{journal} is not a commit journal this tool can replay; {outdir}/ may be a mix of two "
            f"builds: `kg clean --all {outdir}` (or deleting the file) and a new build set it right"
        )
    _replay(outdir, steps)
    sync_folder(outdir)
    _unlink(journal)
    return True


def _steps(data: bytes) -> list[Step] | None:
    try:
        steps: Any = json.loads(data)["steps"]
    except (ValueError, TypeError, KeyError):
        return None
    valid = isinstance(steps, list) and all(
        isinstance(step, list) and all(isinstance(part, str) and "/" not in part and part not in ("", ".", "..")
                                       for part in step[1:])
        and ((step[:1] == ["rename"] and len(step) == 3) or (step[:1] == ["remove"] and len(step) == 2))
        for step in steps
    )
    return [tuple(step) for step in steps] if valid else None


def _replay(outdir: Path, steps: list[Step]) -> None:
    """Idempotent: a rename whose temporary is gone was done before the kill."""
    for step in steps:
        if step[0] == "remove":  # files only: the build removes no folder
            _unlink(outdir / step[1])
            continue
        tmp, final = outdir / step[1], outdir / step[2]
        if not os.path.lexists(tmp):
            continue
        try:
            if tmp.is_dir() and final.is_dir():
                replace_folder(tmp, final, final.with_name(f".{final.name}.old-{os.getpid()}"))
            else:
                os.replace(tmp, final)
        except OSError as exc:
            raise OutputError(final, exc) from exc


def replace_folder(new: Path, final: Path, old: Path) -> None:
    """`new` renamed to `final`; the folder there before, if any, moved to `old` first and then
    removed (rename(2) will not replace a non-empty folder)."""
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    shutil.rmtree(old, ignore_errors=True)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(path, exc) from exc


def sync_folder(folder: Path) -> None:
    """fsync a folder, which makes the names in it durable (Linux; elsewhere best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the renames still happened
    finally:
        os.close(fd)

