"""The build cache: each record's outcome (lines, Turtle, check results), keyed by its content.

Why: users rebuild often and the corpus changes a little each release; a record whose files,
organism pages, shapes and tool code are unchanged gives the same outcome, so it is read from the
cache instead of being read, mapped and checked again. A worker stores the outcome it computed
and sends it back too (kg.build.worker): the build never reads back what it has just had computed.

Key = sha256 of: the cache salt (tool code, shapes, engine, size limit), the bytes of the record's
root's `_organisms/` pages, and the record's digest: its path, its `.md` bytes and each sidecar's
bytes (or "absent"). A build remembers each record's digest by its files' stat signatures
(ContentIndex) and hashes again only what changed; workers always hash the bytes.
An entry is written to a temporary file beside it and renamed into place; a torn or foreign entry
fails its length/CRC check and is recomputed, never trusted. Entries are LZ4-compressed: they hold
each record's N-Triples, Turtle and check results (~100 KB a figure raw, ~13 KB compressed, at
~0.07 ms a figure each way), and a build that writes a cache 8x its outputs' size waits on the
disk (docs/decisions/0011).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import struct
import time
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import lz4.block

from kg.read.layout import RecordSource
from kg.write.atomic import TMP_MARK, owner_alive

CACHE_NAME = ".kg-cache"
SIDECAR_KINDS = ("genes", "chemicals", "diseases")
_MAGIC = b"KGC2"
_INDEX_MAGIC = b"KGI1"
_HEADER = struct.Struct(">4sIQ")  # magic, crc32 of payload, payload length (payload: LZ4 of a pickle)
_PACKAGE = Path(__file__).parent.parent  # kg/: the whole package


# The libraries whose versions decide a record's outcome (parsing, JSON-LD, Turtle, SHACL): an
# upgrade within the ranges pyproject allows recomputes every record.
OUTCOME_LIBRARIES = ("pyyaml", "fastyaml-rs", "pyld", "pyoxigraph", "shacl", "pyshacl", "rdflib")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the package's code and bundled data (every file but compiled bytecode: the
    report's stylesheet too): any change to the tool invalidates the cache (safer than trusting
    a version number that is not bumped for every edit). Lengths frame each part."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
            name, data = str(path.relative_to(_PACKAGE)).encode(), path.read_bytes()
            digest.update(b"%d:%s%d:" % (len(name), name, len(data)) + data)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def library_versions(names: tuple[str, ...] = OUTCOME_LIBRARIES) -> str:
    """`name=version;…` (installed versions do not change under a running process; the lookups
    scan sys.path, ≈ 50 ms, once)."""
    found = []
    for name in names:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ";".join(found)


def salt(shapes: list[Path] | None, engine: str, max_bytes: int) -> bytes:
    """Everything besides the record itself that decides its outcome."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"\0engine={engine}\0max_bytes={max_bytes}\0{library_versions()}\0".encode())
    for path in shapes if shapes is not None else ():
        name, data = path.name.encode(), path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)) + data)
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


def _files(source: RecordSource) -> list[str]:
    """The record's .md and its three sidecar paths (plain strings: see _read_capped)."""
    prefix = os.path.join(str(source.root), "_data", source.md.stem)
    return [str(source.md), *(f"{prefix}-{kind}.tsv" for kind in SIDECAR_KINDS)]


def _record_digest(source: RecordSource, max_bytes: int) -> tuple[bytes, tuple[bool, ...]] | None:
    """sha256 of the record's path, .md bytes and each sidecar's bytes (or "absent"), and which
    sidecars were there when read; None when the .md is absent. Raises OSError when a file cannot
    be used."""
    md_path, *sidecars = _files(source)
    md = _read_capped(md_path, max_bytes)
    if md is None:
        return None
    digest = hashlib.sha256(md_path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(struct.pack(">Q", len(md)) + md)
    present = []
    for path in sidecars:
        data = _read_capped(path, max_bytes)
        present.append(data is not None)
        digest.update(b"-" if data is None else struct.pack(">Q", len(data)) + data)
    return digest.digest(), tuple(present)


Signature = tuple[tuple[int, int, int, int, int] | None, ...]


def _signature(source: RecordSource) -> Signature:
    """(device, inode, size, mtime, ctime) of each of the record's files, None when absent."""
    out: list[tuple[int, int, int, int, int] | None] = []
    for path in _files(source):
        try:
            st = os.stat(path)
        except FileNotFoundError:
            out.append(None)
            continue
        out.append((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(out)


class ContentIndex:
    """What each record's files held when last hashed, by their stat signature: a rebuild of 10k
    records stats 40k files (~0.1 s) instead of reading and hashing them (~0.5 s). The same
    trust git's index gives a stat: a file is assumed unchanged while its device, inode, size,
    mtime and ctime are (ctime cannot be set back by a user; an editor or rsync that replaces the
    file makes a new inode). A signature is only remembered when every time in it is older than
    RACY_NS before the file was read, so a change in the same clock tick as the read cannot hide."""

    NAME = "content-index"
    RACY_NS = 2_000_000_000

    def __init__(self, path: Path, max_bytes: int, known: dict[str, tuple[Signature, bytes]]) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self._known = known
        self._now: dict[str, tuple[Signature, bytes]] = {}

    @classmethod
    def load(cls, folder: Path, max_bytes: int) -> ContentIndex:
        path = folder / cls.NAME
        known: dict[str, tuple[Signature, bytes]] = {}
        try:
            payload = _framed(path.read_bytes(), _INDEX_MAGIC)
            loaded = pickle.loads(payload) if payload is not None else None
            if isinstance(loaded, dict):
                known = loaded
        except Exception:  # noqa: BLE001 - absent, torn or foreign: every record is hashed, nothing else
            known = {}
        return cls(path, max_bytes, known)

    def lookup(self, md_path: str, signature: Signature) -> bytes | None:
        """The remembered digest when the files are as they were; None means: hash them."""
        found = self._known.get(md_path)
        if found is None or found[0] != signature or signature[0] is None:
            return None
        if any(sig is not None and sig[2] > self.max_bytes for sig in signature):
            return None  # over this build's size limit: read, so the reader can say so
        self._now[md_path] = found
        return found[1]

    def remember(self, md_path: str, signature: Signature, digest: bytes, hashed_at_ns: int) -> None:
        newest = max((max(sig[3], sig[4]) for sig in signature if sig is not None), default=0)
        if newest < hashed_at_ns - self.RACY_NS:
            self._now[md_path] = (signature, digest)

    def save(self) -> None:
        """Keep this build's records only (tmp + rename); a failure costs hashing next time."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _write_framed(self.path, _INDEX_MAGIC, pickle.dumps(self._now, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass


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
        """The record's content key, from its files' bytes; None when they cannot be read as they
        are (missing, unreadable, over the size limit): such a record is processed uncached, and
        the reader reports why."""
        try:
            found = _record_digest(source, self.max_bytes)
            return None if found is None else self._key(source, found[0])
        except OSError:
            return None

    def keys(self, sources: list[RecordSource]) -> list[str | None]:
        """Each record's key, as `key` gives it, hashing again only the records whose files'
        stat signatures changed since the last build (ContentIndex), then remembering them."""
        index = ContentIndex.load(self.folder, self.max_bytes)
        keys: list[str | None] = []
        for source in sources:
            try:
                signature = _signature(source)
                digest = index.lookup(str(source.md), signature)
                if digest is None:
                    hashed_at = time.time_ns()
                    found = _record_digest(source, self.max_bytes)
                    if found is not None:
                        digest, present = found
                        # a sidecar made or removed between its stat and its read: the signature
                        # does not describe what was hashed, so it is not remembered
                        if present == tuple(sig is not None for sig in signature[1:]):
                            index.remember(str(source.md), signature, digest, hashed_at)
                keys.append(None if digest is None else self._key(source, digest))
            except OSError:
                keys.append(None)
        index.save()
        return keys

    def _key(self, source: RecordSource, record_digest: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        digest.update(self._organisms_digest(source.root))
        digest.update(record_digest)
        return digest.hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def _entry(self, key: str) -> str:
        return f"{self._folder}{os.sep}{key[:2]}{os.sep}{key[2:]}"  # os.path.join: ≈ 8 µs, 10k times

    def has(self, key: str) -> bool:
        return os.path.isfile(self._entry(key))

    def load(self, key: str) -> Any | None:
        """The stored outcome, or None when absent, torn or unreadable (then it is recomputed)."""
        try:
            data = _read_whole(self._entry(key))
        except OSError:
            return None
        payload = _framed(data, _MAGIC)
        if payload is None:
            return None
        try:
            return pickle.loads(lz4.block.decompress(payload))
        except Exception:  # noqa: BLE001 - a torn or foreign entry is a miss: the record is redone
            return None

    def store(self, key: str, outcome: Any) -> None:
        """Write the entry under a temporary name, then rename it into place."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_framed(target, _MAGIC, lz4.block.compress(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)))

    def remove_stale(self) -> None:
        """Temporary entries of builds that died. A --cache-dir may be shared by builds into other
        OUTDIRs, which their locks do not cover: a temporary whose writer is alive is left alone."""
        if not self.folder.is_dir():
            return
        for sub in os.scandir(self.folder):
            if TMP_MARK in sub.name and sub.is_file():  # the content index's
                _remove_if_orphaned(sub.path, sub.name)
            elif sub.is_dir():
                for entry in os.scandir(sub.path):
                    if TMP_MARK in entry.name:
                        _remove_if_orphaned(entry.path, entry.name)

    def prune(self, keep: set[str]) -> int:
        """Remove entries no record of this build uses; returns how many."""
        removed = 0
        if not self.folder.is_dir():
            return removed
        for sub in os.scandir(self.folder):
            if not sub.is_dir():
                continue
            for entry in os.scandir(sub.path):
                if sub.name + entry.name not in keep and TMP_MARK not in entry.name:  # see remove_stale
                    Path(entry.path).unlink(missing_ok=True)
                    removed += 1
        return removed


def _read_whole(path: str) -> bytes:
    """A file's bytes with plain system calls (a buffered `open` costs ≈ 15 µs more a file, and a
    rebuild reads 10k entries)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size)
        if len(data) < size:  # a short read: read on (entries are renamed into place, never grown)
            chunks = [data]
            while chunk := os.read(fd, size):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def _framed(data: bytes, magic: bytes) -> memoryview | None:
    """The payload of an entry or index file when its magic, length and CRC check out."""
    if len(data) < _HEADER.size:
        return None
    found, crc, length = _HEADER.unpack_from(data)
    payload = memoryview(data)[_HEADER.size :]
    if found != magic or length != len(payload) or zlib.crc32(payload) != crc:
        return None
    return payload


def _write_framed(target: Path, magic: bytes, payload: bytes) -> None:
    """Header and payload under a temporary name beside `target`, renamed into place; a failed
    write leaves no temporary behind."""
    tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}")
    try:
        with tmp.open("wb") as handle:
            handle.write(_HEADER.pack(magic, zlib.crc32(payload), len(payload)))
            handle.write(payload)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _remove_if_orphaned(path: str, name: str) -> None:
    """Remove a temporary file named …<TMP_MARK><pid> unless that process is still running."""
    pid = name.rsplit(TMP_MARK, 1)[1]
    if pid.isdigit() and int(pid) != os.getpid() and owner_alive(int(pid)):
        return  # its writer may still rename it into place
    Path(path).unlink(missing_ok=True)
