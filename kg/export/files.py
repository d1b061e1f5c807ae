"""Reproducible files for exports and releases: gzip without a date or a name, atomic writes.

Never writes a timestamp: the same bytes in give the same file out.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from kg.write.atomic import write_bytes


def gzipped(data: bytes) -> bytes:
    """`data` gzip-compressed with mtime 0 and no file name in the header (same input, same bytes)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as out:
        out.write(data)
    return buffer.getvalue()


def gzip_file(source: Path, target: Path, chunk: int = 1 << 20) -> None:
    """Compress `source` into `target` (atomically), reading it in chunks."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as out, source.open("rb") as f:
        while piece := f.read(chunk):
            out.write(piece)
    write_bytes(target, buffer.getvalue())


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, data)
