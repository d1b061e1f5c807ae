"""Spare files: a large output replaced by a build is kept under a hidden name, and the next
build writes its new bytes over it instead of into a fresh file.

Why: on Linux, writing ~700 MB into a new file costs ≈1.7 s of kernel time at 10k records
(allocating page cache and blocks), writing over a same-sized file whose pages are cached costs
≈0.1 s (measured with dd on this workplace's ext4; docs/decisions/0015). A one-record rebuild
rewrites every output, so this is most of what it spends beyond reading the cache.

The price is disk: OUTDIR holds each large output twice (`kg clean` removes the spares).
A file published as an output is never written again while anyone may read it: a spare is
reused only when no other name links to it (a build killed before its renames leaves the old
output linked twice) and no process has it open (an exclusive Linux lease is granted only then;
where leases are unavailable, nothing is reused and every output is a fresh file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

SPARE_SUFFIX = ".spare"


def spare_name(path: Path) -> Path:
    """`.pfocr.nt.spare` beside `pfocr.nt`: hidden, so never taken for an output."""
    return path.with_name(f".{path.name}{SPARE_SUFFIX}")


def open_recycled(spare: Path, tmp: Path) -> IO[bytes] | None:
    """The spare renamed to `tmp` and open for writing over from its start, or None (then no
    spare is left behind: whatever was there is removed)."""
    try:
        os.replace(spare, tmp)
    except OSError:
        return None  # none yet, or not movable: a fresh file it is
    try:
        handle = open(tmp, "r+b")  # noqa: SIM115 - owned by the AtomicFile
    except OSError:
        tmp.unlink(missing_ok=True)
        return None
    if _unshared(handle):
        return handle
    handle.close()
    tmp.unlink(missing_ok=True)  # still someone's output: drop the name, the bytes stay theirs
    return None


def _unshared(handle: IO[bytes]) -> bool:
    """No other name links to the file and no other open file (or mapping) refers to it."""
    try:
        import fcntl
        if os.fstat(handle.fileno()).st_nlink != 1:
            return False
        fcntl.fcntl(handle.fileno(), fcntl.F_SETLEASE, fcntl.F_WRLCK)
        fcntl.fcntl(handle.fileno(), fcntl.F_SETLEASE, fcntl.F_UNLCK)
    except (ImportError, AttributeError, OSError):
        return False  # no leases (not Linux, disabled, not the file's owner): cannot be sure
    return True


def keep_as_spare(final: Path) -> None:
    """Before a commit renames a new file over `final`: link the old one as its spare (best
    effort: without a spare, the next build writes a fresh file)."""
    spare = spare_name(final)
    try:
        spare.unlink(missing_ok=True)
        if final.is_file() and not final.is_symlink():
            os.link(final, spare)
    except OSError:
        pass


def remove_spares(outdir: Path) -> list[Path]:
    """Every spare in OUTDIR (kg clean)."""
    removed: list[Path] = []
    try:
        entries = list(outdir.iterdir())
    except OSError:
        return removed
    for path in entries:
        if path.name.startswith(".") and path.name.endswith(SPARE_SUFFIX) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
