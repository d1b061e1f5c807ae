"""One build at a time per OUTDIR: an advisory lock file, and cleanup of what killed builds left.

Never breaks another process's lock: a second build waits for it or refuses with a clear message.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from pathlib import Path
from typing import IO, Self

from kg.write.atomic import TMP_MARK, OutputError
from kg.write.commit import JOURNAL_NAME, CommitError, finish_interrupted_commit

LOCK_NAME = ".kg-build.lock"


class Locked(Exception):
    """Another build holds the OUTDIR lock."""


class OutdirLock:
    def __init__(self, outdir: Path, wait: bool = False, poll: float = 0.2) -> None:
        self.path = outdir / LOCK_NAME
        self.wait = wait
        self.poll = poll
        self._handle: IO[str] | None = None

    def __enter__(self) -> Self:
        try:
            handle = self.path.open("a+")
        except OSError as exc:  # a read-only or full OUTDIR: said as for any output
            raise OutputError(self.path, exc) from exc
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not self.wait:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    handle.close()
                    raise Locked(
                        f"{self.path.parent}: another kg build ({holder}) is writing here; "
                        "try again when it has finished, or pass --wait"
                    ) from None
                time.sleep(self.poll)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        """A build that fails or is interrupted (at any point: a signal may land between opening a
        temporary file and recording it) leaves no temporary behind; while the lock is held no
        other process can own one."""
        if self._handle is None:
            return
        try:
            if exc_type is not None:
                remove_stale_temporaries(self.path.parent)
        except (OutputError, CommitError, OSError):
            pass  # the error on its way out says more; the next build tidies up
        finally:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def remove_stale_temporaries(outdir: Path, complete_commit: bool = True) -> list[Path]:
    """Temp files and folders of earlier builds that died (call only while holding the lock);
    a build killed while renaming its outputs into place is first completed (kg.write.commit),
    unless `complete_commit` is False (the outputs are about to be removed): then its journal goes."""
    removed = []
    if complete_commit:
        finish_interrupted_commit(outdir)
    elif (outdir / JOURNAL_NAME).exists():
        (outdir / JOURNAL_NAME).unlink()
        removed.append(outdir / JOURNAL_NAME)
    for path in outdir.iterdir():
        if path.name.startswith(".") and (TMP_MARK in path.name or ".old-" in path.name):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def is_held(outdir: Path) -> bool:
    """Whether a build holds OUTDIR's lock now (the lock file stays after a build, so its presence says nothing)."""
    try:
        with (outdir / LOCK_NAME).open("r") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
            return False
    except OSError:
        return False
