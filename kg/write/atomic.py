"""Files that appear complete or not at all: write to a temp file beside the target, then rename."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO


class AtomicFile:
    """A binary file written under a temporary name and renamed into place on `commit()`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.handle: IO[bytes] = self.tmp.open("wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.handle.close()
        self.tmp.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    out = AtomicFile(path)
    try:
        out.write(data)
    except BaseException:
        out.abort()
        raise
    out.commit()
