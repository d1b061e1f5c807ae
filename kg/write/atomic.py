"""Files that appear complete or not at all: write to a temp file beside the target, then rename.

Never leaves a half-written file under a real output name: a killed build leaves only temp files,
which the next build (holding the OUTDIR lock) removes.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

TMP_MARK = ".tmp-"


class OutputError(Exception):
    """An output that could not be written: names the file and the cause (disk full, read-only…)."""

    def __init__(self, path: Path, exc: OSError) -> None:
        self.path = path
        super().__init__(f"cannot write {path}: {exc.strerror or exc}")


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")


def owner_alive(pid: int) -> bool:
    """Whether the process whose id a temporary's name carries may still be writing it (another
    user's process counts as alive: what it writes is not ours to remove)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Flusher:
    """fdatasync in a background thread while the build goes on writing, each time another
    FLUSH_BYTES were written: the final fsync then waits for the last stretch only, not for
    gigabytes of dirty pages (~0.3 s of a 10k-figure rebuild). A failed sync is kept and raised
    by `finish`: after a failed fsync the kernel may report the next one as clean."""

    FLUSH_BYTES = 64 << 20

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._wake = threading.Event()
        self._stop = False
        self.error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="kg-flush", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stop:
                return
            try:
                os.fdatasync(self._fd)
            except OSError as exc:
                self.error = self.error or exc
                return

    def kick(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join()


class _Writer:
    """The write calls of a large output, made in a background thread: the kernel's work of
    putting the bytes into the page cache (≈ 2 s for a 10k build's 745 MB of fresh pages on a
    virtual machine, where each new page is a fault in the host) goes on on another core while
    the build goes on making the next bytes. At most DEPTH chunks wait; a failed write is kept,
    the rest of the queue is dropped, and the error is raised by the next `put` or by `close`."""

    DEPTH = 8

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.DEPTH)
        self.error: BaseException | None = None  # an OSError, or a bug: raised in the caller's thread
        self._dropping = False
        self._thread = threading.Thread(target=self._run, name="kg-write", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self.error is None and not self._dropping:
                try:
                    self._write(data)
                except BaseException as exc:  # noqa: BLE001 - whatever it is, the caller must hear of it
                    self.error = exc

    def put(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"a file of bytes, not {type(data).__name__}, is written")
        self._queue.put(data)

    def close(self, drop: bool = False) -> None:
        """Wait for every queued chunk (`drop`: skip writing them); raises the first write error."""
        self._dropping = drop
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self.error is not None:
            raise self.error


class AtomicFile:
    """A binary file written under a temporary name; `finish()` makes it durable, `publish()`
    renames it into place, `commit()` does both. With `flush_as_written` (large files written
    in chunks), the chunks are written by a background thread (_Writer) and synced to disk in
    another as they grow (_Flusher)."""

    def __init__(self, path: Path, flush_as_written: bool = False) -> None:
        self.path = path
        self.tmp = temp_name(path)
        try:
            self.handle: IO[bytes] = self.tmp.open("wb")
        except OSError as exc:
            raise OutputError(path, exc) from exc
        self._flusher: _Flusher | None = None
        self._writer: _Writer | None = None
        self._unsynced = 0
        if flush_as_written:
            self._writer = _Writer(self._write_now)
            if hasattr(os, "fdatasync"):
                self._flusher = _Flusher(self.handle.fileno())

    def write(self, data: bytes) -> None:
        try:
            if self._writer is not None:
                self._writer.put(data)
            else:
                self._write_now(data)
        except OSError as exc:
            raise OutputError(self.path, exc) from exc

    def _write_now(self, data: bytes) -> None:
        self.handle.write(data)
        if self._flusher is not None:
            self._unsynced += len(data)
            if self._unsynced >= _Flusher.FLUSH_BYTES:
                self._unsynced = 0
                self.handle.flush()
                self._flusher.kick()

    def _stop_writer(self, drop: bool = False) -> None:
        if self._writer is not None:
            self._writer.close(drop)  # kept until joined: an interrupted join is finished by abort
            self._writer = None

    def _stop_flusher(self) -> None:
        if self._flusher is not None:
            self._flusher.stop()
            error, self._flusher = self._flusher.error, None
            if error is not None:
                raise error

    def finish(self) -> None:
        try:
            self._stop_writer()
            self.handle.flush()
            self._stop_flusher()
            os.fsync(self.handle.fileno())
            self.handle.close()
        except OSError as exc:
            raise OutputError(self.path, exc) from exc

    def publish(self) -> None:
        try:
            os.replace(self.tmp, self.path)
        except OSError as exc:
            raise OutputError(self.path, exc) from exc

    def commit(self) -> None:
        self.finish()
        self.publish()

    def pending(self) -> list[tuple[Path, Path]]:
        """(temporary, final) for kg.write.commit, once `finish()` returned."""
        return [(self.tmp, self.path)]

    def abort(self) -> None:
        interrupted: BaseException | None = None
        for stop in (lambda: self._stop_writer(drop=True), self._stop_flusher):
            try:
                stop()
            except Exception:  # noqa: BLE001, S110 - aborting already: the first error is on its way up
                pass
            except BaseException as exc:  # noqa: BLE001 - Ctrl-C: clean up all the same, then stop
                interrupted = interrupted or exc
        try:
            self.handle.close()
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)
        if interrupted is not None:
            raise interrupted


def write_bytes(path: Path, data: bytes, publish: bool = True) -> AtomicFile:
    """Write `data` atomically; with `publish=False` the file stays under its temp name."""
    out = AtomicFile(path)
    try:
        out.write(data)
        out.finish()
    except BaseException:
        out.abort()
        raise
    if publish:
        out.publish()
    return out


class BufferedFile:
    """An AtomicFile fed encoded pieces, written in batches of about `batch_bytes` (the dumps are
    made of millions of small pieces; one write call each would cost more than the bytes)."""

    def __init__(self, path: Path, batch_bytes: int = 1 << 20) -> None:
        self._out = AtomicFile(path, flush_as_written=True)
        self._buffer: list[bytes] = []
        self._size = 0
        self._batch = batch_bytes

    def write(self, piece: bytes) -> None:
        self._buffer.append(piece)
        self._size += len(piece)
        if self._size >= self._batch:
            self._flush()

    def _add_many(self, pieces: list[bytes]) -> None:
        self._buffer += pieces
        self._size += sum(map(len, pieces))
        if self._size >= self._batch:
            self._flush()

    def _flush(self) -> None:
        self._out.write(b"".join(self._buffer))
        self._buffer.clear()
        self._size = 0

    @property
    def tmp_path(self) -> Path:
        """Where the bytes are until `publish()` (readable once `finish()` returned)."""
        return self._out.tmp

    def finish(self) -> None:
        self._flush()
        self._out.finish()

    def publish(self) -> None:
        self._out.publish()

    def pending(self) -> list[tuple[Path, Path]]:
        return self._out.pending()

    def abort(self) -> None:
        self._out.abort()
