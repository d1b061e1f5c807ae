"""Renaming a build's finished outputs into place as one step that always completes.

Every output is whole and fsynced under its temporary name before the commit starts, but the
renames are several system calls: a build killed between two of them would leave OUTDIR a mix of
two builds. So the renames are first written down in a journal (made durable), then done, then
the journal is removed. A build killed in between (SIGKILL, OOM killer, power loss) leaves the
journal, and the next build, merge or clean of that OUTDIR replays it (roll forward) before it
tidies anything. SIGINT and SIGTERM wait the few milliseconds the renames take.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.write.atomic import OutputError, write_bytes

JOURNAL_NAME = ".kg-commit.json"
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C or SIGTERM came while the outputs were being renamed: they are this build's now,
    whole; only what follows the commit (tidying the cache) was skipped."""


def commit(outdir: Path, renames: list[tuple[Path, Path]], removals: list[Path]) -> None:
    """Rename each (temporary, final) pair in order, then remove `removals` (stale outputs of an
    earlier build). All paths are in `outdir`."""
    steps = {
        "rename": [[tmp.name, final.name] for tmp, final in renames],
        "remove": [path.name for path in removals],
    }
    journal = outdir / JOURNAL_NAME
    with _signals_held():
        write_bytes(journal, json.dumps(steps, indent=1).encode("utf-8"))
        _sync_folder(outdir)  # the journal's name is durable before the first rename
        _replay(outdir, steps)
        _sync_folder(outdir)
        _unlink(journal)


def interrupted_commit(outdir: Path) -> str | None:
    """Why OUTDIR's outputs cannot be read as one build now, or None: readers (kg query,
    kg publish) refuse a mix of two builds rather than serve it."""
    if (outdir / JOURNAL_NAME).exists():
        return (f"{outdir}/ holds a build that was killed while renaming its outputs into place "
                f"(a mix of two builds); `kg build` or `kg clean {outdir}` completes it")
    return None


def finish_interrupted_commit(outdir: Path) -> bool:
    """Replay the journal a killed build left, if any (call only while holding the OUTDIR lock,
    before removing temporaries: the journal names some). True when there was one."""
    journal = outdir / JOURNAL_NAME
    try:
        steps = json.loads(journal.read_bytes())
    except FileNotFoundError:
        return False
    except (OSError, ValueError):  # written atomically, so unreadable means not ours: leave it be
        return False
    _replay(outdir, steps)
    _sync_folder(outdir)
    _unlink(journal)
    return True


def _replay(outdir: Path, steps: dict[str, list]) -> None:
    """Idempotent: a rename whose temporary is gone was done before the kill."""
    for tmp_name, final_name in steps["rename"]:
        tmp, final = outdir / tmp_name, outdir / final_name
        if not os.path.lexists(tmp):
            continue
        try:
            if tmp.is_dir() and final.is_dir():  # rename(2) will not replace a non-empty folder
                old = final.with_name(f".{final.name}.old-{os.getpid()}")
                os.replace(final, old)
                os.replace(tmp, final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, final)
        except OSError as exc:
            raise OutputError(final, exc) from exc
    for name in steps["remove"]:
        path = outdir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            _unlink(path)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(path, exc) from exc


def _sync_folder(folder: Path) -> None:
    """fsync a folder, which makes the renames in it durable (Linux; elsewhere best effort)."""
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


@contextmanager
def _signals_held() -> Iterator[None]:
    """Swap the Python handlers of SIGINT/SIGTERM for ones that only take note, then raise the
    interrupt once the block is done. (Masking with pthread_sigmask would cover this thread only;
    a signal taken by another thread still runs its handler in the main thread.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    noted: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: noted.append(signum)) for sig in HELD_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
    if noted:
        raise InterruptedAfterCommit
