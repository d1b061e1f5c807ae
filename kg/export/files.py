"""Reproducible files for exports and releases: gzip without a date or a name, atomic writes.

Never writes a timestamp: the same bytes in give the same file out.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.write.atomic import AtomicFile, write_bytes


def gzipped(data: bytes) -> bytes:
    """`data` gzip-compressed with mtime 0 and no file name in the header (same input, same bytes)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as out:
        out.write(data)
    return buffer.getvalue()


@contextmanager
def gzip_writer(target: Path) -> Iterator[gzip.GzipFile]:
    """A gzip file (as `gzipped` makes them) written as it is compressed, under a temporary name,
    renamed into place when the block ends without an error and removed when it does not: a
    dump of the corpus (2.6 GB of N-Triples at 100k) never sits in memory."""
    target.parent.mkdir(parents=True, exist_ok=True)
    out = AtomicFile(target)
    try:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as compressed:  # type: ignore[call-overload]
            yield compressed
        out.commit()
    except BaseException:
        out.abort()
        raise


def gzip_file(source: Path, target: Path, chunk: int = 1 << 20) -> None:
    """Compress `source` into `target` (atomically), reading it in chunks."""
    with gzip_writer(target) as out, source.open("rb") as f:
        while piece := f.read(chunk):
            out.write(piece)


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, data)
