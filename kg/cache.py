"""The build cache: each record's outcome (lines, Turtle, check results), keyed by its content.

Why: users rebuild often and the corpus changes a little each release; a record whose files,
organism pages, shapes and tool code are unchanged gives the same outcome, so it is read from the
cache instead of being read, mapped and checked again. Entries are also how worker processes hand
outcomes to the build process (a file, not a pipe message: a worker killed mid-message would leave
the pool waiting for bytes that never come).

Key = sha256 of: the cache salt (tool code, shapes, engine, size limit), the record's path, its
`.md` bytes, each sidecar's bytes (or "absent"), and the bytes of its root's `_organisms/` pages.
An entry is written to a temporary file beside it and renamed into place; a torn or foreign entry
fails its length/CRC check and is recomputed, never trusted. Entries are LZ4-compressed: they hold
each record's N-Triples, Turtle and check results (~100 KB a figure raw, ~13 KB compressed, at
~0.07 ms a figure each way), and a build that writes a cache 8x its outputs' size waits on the
disk (docs/decisions/0011).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import lz4.block

from kg.read.layout import RecordSource
from kg.write.atomic import TMP_MARK

CACHE_NAME = ".kg-cache"
SIDECAR_KINDS = ("genes", "chemicals", "diseases")
_MAGIC = b"KGC2"
_HEADER = struct.Struct(">4sIQ")  # magic, crc32 of payload, payload length (payload: LZ4 of a pickle)
_PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the package's code and bundled data: any change to the tool invalidates the cache
    (safer than trusting a version number that is not bumped for every edit)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".jsonld", ".ttl", ".json"}:
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def salt(shapes: list[Path] | None, engine: str, max_bytes: int) -> bytes:
    """Everything besides the record itself that decides its outcome."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"\0engine={engine}\0max_bytes={max_bytes}\0".encode())
    for path in shapes if shapes is not None else ():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(b"gate" if shapes is not None else b"no-gate")
    return digest.digest()


def _read_capped(path: str, max_bytes: int) -> bytes | None:
    """The file's bytes; None when it is absent. Raises OSError when it cannot be used as a key.
    (Plain string paths: a rebuild keys every record, and pathlib's objects cost more than the
    reads.)"""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        return None
    if len(data) > max_bytes:
        raise OSError(f"{path} is over the size limit")
    return data


class OutcomeCache:
    """Outcome entries under `folder`, two-level fan-out by key prefix."""

    def __init__(self, folder: Path, salt: bytes, max_bytes: int) -> None:
        self.folder = folder
        self._folder = str(folder)
        self.salt = salt
        self.max_bytes = max_bytes
        self._organism_digests: dict[Path, bytes] = {}

    def _organisms_digest(self, root: Path) -> bytes:
        cached = self._organism_digests.get(root)
        if cached is None:
            digest = hashlib.sha256()
            folder = root / "_organisms"
            pages = sorted(folder.glob("*.md")) if folder.is_dir() else []
            for page in pages:
                digest.update(page.name.encode() + b"\0" + page.read_bytes()[: self.max_bytes + 1] + b"\0")
            cached = self._organism_digests[root] = digest.digest()
        return cached

    def key(self, source: RecordSource) -> str | None:
        """The record's content key; None when its files cannot be read as they are (missing,
        unreadable, over the size limit): such a record is processed uncached, and the reader
        reports why."""
        digest = hashlib.sha256(self.salt)
        md_path = str(source.md)
        try:
            digest.update(self._organisms_digest(source.root))
            md = _read_capped(md_path, self.max_bytes)
            if md is None:
                return None
            digest.update(md_path.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(struct.pack(">Q", len(md)) + md)
            prefix = os.path.join(str(source.root), "_data", source.md.stem)
            for kind in SIDECAR_KINDS:
                data = _read_capped(f"{prefix}-{kind}.tsv", self.max_bytes)
                digest.update(b"-" if data is None else struct.pack(">Q", len(data)) + data)
        except OSError:
            return None
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def has(self, key: str) -> bool:
        return os.path.isfile(os.path.join(self._folder, key[:2], key[2:]))

    def load(self, key: str) -> Any | None:
        """The stored outcome, or None when absent, torn or unreadable (then it is recomputed)."""
        try:
            with open(os.path.join(self._folder, key[:2], key[2:]), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        if len(data) < _HEADER.size:
            return None
        magic, crc, length = _HEADER.unpack_from(data)
        payload = memoryview(data)[_HEADER.size :]
        if magic != _MAGIC or length != len(payload) or zlib.crc32(payload) != crc:
            return None
        try:
            return pickle.loads(lz4.block.decompress(payload))
        except Exception:
            return None

    def store(self, key: str, outcome: Any) -> None:
        """Write the entry under a temporary name, then rename it into place."""
        payload = lz4.block.compress(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}")
        with tmp.open("wb") as handle:
            handle.write(_HEADER.pack(_MAGIC, zlib.crc32(payload), len(payload)))
            handle.write(payload)
        os.replace(tmp, target)

    def remove_stale(self) -> None:
        """Temporary entries of builds that died (call only while holding the OUTDIR lock)."""
        if not self.folder.is_dir():
            return
        for sub in os.scandir(self.folder):
            if sub.is_dir():
                for entry in os.scandir(sub.path):
                    if TMP_MARK in entry.name:
                        Path(entry.path).unlink(missing_ok=True)

    def prune(self, keep: set[str]) -> int:
        """Remove entries no record of this build uses; returns how many."""
        removed = 0
        if not self.folder.is_dir():
            return removed
        for sub in os.scandir(self.folder):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                if sub.name + entry.name not in keep:
                    Path(entry.path).unlink(missing_ok=True)
                    removed += 1
        return removed

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
