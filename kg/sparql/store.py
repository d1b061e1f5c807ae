"""An on-disk pyoxigraph store that mirrors a build's pfocr.nt, reloaded when the build changes.

Never loads twice what has not changed: a stamp beside the data records which file it holds.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph

from kg.write.commit import interrupted_commit

STAMP = "pfocr-kg-source.json"
IN_USE = "being written by another process (a kg query or kg build --store filling it); try again when it has finished"


class StoreError(Exception):
    """No data to fill the store from, or a store folder that is not ours."""


def _stamp_of(nt_path: Path) -> dict[str, object]:
    stat = nt_path.stat()
    return {"source": str(nt_path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def is_fresh(store_dir: Path, nt_path: Path) -> bool:
    stamp = store_dir / STAMP
    if not stamp.is_file() or not nt_path.is_file():
        return False
    try:
        return json.loads(stamp.read_text("utf-8")) == _stamp_of(nt_path)
    except (OSError, ValueError):
        return False


# The bulk loader holds about three times its input in memory: fed the whole dump of 10k figures
# (500 MB) it peaked at 1.6 GB; in 16 MB slices of whole lines, 200 MB (64 MB slices: 510 MB), as fast.
LOAD_CHUNK_BYTES = 16 * 1024 * 1024


def _line_chunks(nt_path: Path) -> Iterator[bytes]:
    """The N-Triples file in slices of about LOAD_CHUNK_BYTES, each ending at a line end."""
    size = LOAD_CHUNK_BYTES
    with nt_path.open("rb") as handle:
        rest = b""
        while block := handle.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            if cut == 0:  # one line longer than a slice: keep reading
                rest = block
                continue
            rest = block[cut:]
            yield block[:cut]
        if rest:
            yield rest


def _is_ours(store_dir: Path) -> bool:
    return (store_dir / STAMP).is_file()


def fill(store_dir: Path, nt_path: Path) -> pyoxigraph.Store:
    """(Re)create the store at `store_dir` from `nt_path` with the bulk loader. A stamp saying the
    load is under way is written first, so a store left half-made (a damaged pfocr.nt, a killed
    run) is still ours and is made again by the next call; a damaged file's store is removed."""
    if not nt_path.is_file():
        raise StoreError(f"{nt_path}: no such file (run `kg build` first, or give --data FILE)")
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(f"{store_dir}: is a file, not a store folder (--store names a folder)")
    if store_dir.exists():
        if any(store_dir.iterdir()) and not _is_ours(store_dir):
            raise StoreError(
                f"{store_dir}: exists and is not a pfocr-kg store; refusing to replace it (give another --store DIR)"
            )
        if (store_dir / "LOCK").exists():  # a store being filled by another process is left to it
            try:
                pyoxigraph.Store(str(store_dir))
            except OSError as exc:
                raise StoreError(f"{store_dir}: {IN_USE}") from exc
        shutil.rmtree(store_dir)
    try:
        store_dir.mkdir(parents=True)
        (store_dir / STAMP).write_text(json.dumps({"loading": str(nt_path.resolve())}), encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot create the store: {exc.strerror or exc}") from exc
    try:
        store = pyoxigraph.Store(str(store_dir))
    except OSError as exc:  # another process opened it for writing between our check and here
        raise StoreError(f"{store_dir}: {IN_USE}") from exc
    lines = 0
    try:
        for chunk in _line_chunks(nt_path):
            try:
                store.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                where = f" at line {lines + exc.lineno}" if exc.lineno is not None else ""
                cause = str(exc.msg).split(": ", 1)[-1]
                raise StoreError(
                    f"{nt_path}: not N-Triples{where}: {cause} (rebuild it with `kg build`)"
                ) from None
            lines += chunk.count(b"\n")
        store.flush()
        (store_dir / STAMP).write_text(json.dumps(_stamp_of(nt_path)), encoding="utf-8")
    except (StoreError, OSError) as exc:
        del store
        shutil.rmtree(store_dir, ignore_errors=True)
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"{store_dir}: cannot fill the store from {nt_path}: {exc.strerror or exc}") from exc
    return store


def remove(store_dir: Path) -> bool:
    """Remove the store at `store_dir` if it is one of ours (`kg clean --all`); whether it was."""
    if not store_dir.is_dir() or not _is_ours(store_dir):
        return False
    shutil.rmtree(store_dir)
    return True


def open_store(store_dir: Path, nt_path: Path) -> tuple[pyoxigraph.Store, bool]:
    """The store for `nt_path`, and whether it had to be (re)loaded."""
    problem = interrupted_commit(nt_path.parent)
    if problem is not None:
        raise StoreError(problem)
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(f"{store_dir}: is a file, not a store folder (--store names a folder)")
    if is_fresh(store_dir, nt_path):
        try:  # read-only: any number of kg query and kg publish may read one store at once
            return pyoxigraph.Store.read_only(str(store_dir)), False
        except OSError as exc:
            raise StoreError(f"{store_dir}: cannot open the store: {exc}") from exc
    return fill(store_dir, nt_path), True


def memory_store(files: list[Path]) -> pyoxigraph.Store:
    """An in-memory store of the given RDF files (format from each extension)."""
    store = pyoxigraph.Store()
    for path in files:
        fmt = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise StoreError(f"{path}: unknown RDF format (use .nt, .ttl, .jsonld, .rdf)")
        if not path.is_file():
            raise StoreError(f"{path}: no such file")
        problem = interrupted_commit(path.parent)
        if problem is not None:
            raise StoreError(problem)
        try:
            store.bulk_load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        except SyntaxError as exc:
            raise StoreError(f"{path}: syntax error: {exc}") from exc
    return store
