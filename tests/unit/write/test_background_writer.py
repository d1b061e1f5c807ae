"""Large outputs' write calls run in a background thread (kg.write.atomic._Writer): the bytes
are exactly those given, in order; a write that fails (disk full) is
raised as an OutputError naming the output, by a later write or by finish(); abort() leaves no
temporary behind."""

from __future__ import annotations

import errno
import os
import random
import shutil
from pathlib import Path
from typing import IO, Any

import pytest
from helpers import SAMPLE

import kg.write.atomic
from kg.build.options import BuildOptions
from kg.build.run import build
from kg.write.atomic import TMP_MARK, AtomicFile, BufferedFile, OutputError, _Writer, temp_name


def _pieces(total: int, seed: int) -> list[bytes]:
    """Pieces of 1 B to 6 kB of varied bytes, `total` bytes in all."""
    rng = random.Random(seed)
    pieces, size = [], 0
    while size < total:
        n = min(rng.randint(1, 6000), total - size)
        pieces.append(rng.randbytes(n))
        size += n
    return pieces


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if TMP_MARK in p.name)


class _FullAfter:
    """A file handle whose device fills up after `room` bytes: the write that would go past it
    raises ENOSPC (and writes nothing), as do all later ones."""

    def __init__(self, handle: IO[bytes], room: int) -> None:
        self._handle = handle
        self.room = room
        self.written = 0
        self.calls = 0

    def write(self, data: bytes) -> int:
        self.calls += 1
        if self.written + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.written += len(data)
        return self._handle.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _filling(out: AtomicFile, room: int) -> _FullAfter:
    full = _FullAfter(out.handle, room)
    out.handle = full  # type: ignore[assignment]
    return full


# --------------------------------------------------------------------------------------------
# the bytes


@pytest.mark.parametrize("batch", [1, 997, 1 << 16])
def test_buffered_file_writes_exactly_its_pieces_in_order(tmp_path: Path, batch: int) -> None:
    pieces = _pieces(600_000, seed=batch)  # ≈ 200 pieces; with a batch of 1 byte, ≈ 200 chunks
    path = tmp_path / "pfocr.nt"
    out = BufferedFile(path, batch_bytes=batch)
    for i, piece in enumerate(pieces):
        if i % 7 == 3:
            out._add_many([piece, b"", piece[:1]])  # the writers' path for many small pieces
        else:
            out.write(piece)
    out.finish()
    out.publish()
    expected = b"".join(p + (b"" + p[:1] if i % 7 == 3 else b"") for i, p in enumerate(pieces))
    assert path.read_bytes() == expected
    assert _temporaries(tmp_path) == []


# --------------------------------------------------------------------------------------------
# a failing write


def test_a_full_disk_is_raised_by_a_later_write_naming_the_output(tmp_path: Path) -> None:
    path = tmp_path / "pfocr.nt"
    out = AtomicFile(path, flush_as_written=True)
    full = _filling(out, room=50_000)
    chunk = b"x" * 1000
    raised_at = None
    for i in range(1000):
        try:
            out.write(chunk)
        except OutputError as exc:
            raised_at, error = i, exc
            break
    # chunk 50 is the first that does not fit: its error is found by a later write, once the
    # writer thread took the chunk after it (it is at most DEPTH chunks behind, plus the one it is on)
    assert raised_at is not None and 50 < raised_at <= 50 + _Writer.DEPTH + 2
    assert error.path == path and str(path) in str(error) and "No space left on device" in str(error)
    assert isinstance(error.__cause__, OSError) and error.__cause__.errno == errno.ENOSPC
    assert full.written == 50_000
    assert full.calls == 51  # the chunks queued behind the failed one were dropped, not written
    with pytest.raises(OutputError):  # the error is kept
        out.write(chunk)
    with pytest.raises(OutputError) as at_finish:
        out.finish()
    assert at_finish.value.path == path
    out.abort()
    assert _temporaries(tmp_path) == [] and not path.exists()


def test_a_full_disk_is_raised_by_finish_when_no_write_came_after(tmp_path: Path) -> None:
    path = tmp_path / "pfocr.ttl"
    out = BufferedFile(path, batch_bytes=1 << 20)
    _filling(out._out, room=100)
    out.write(b"y" * 5000)  # buffered: written (and failing) in the background at finish()
    with pytest.raises(OutputError) as raised:
        out.finish()
    assert raised.value.path == path and "No space left on device" in str(raised.value)
    assert (tmp_path / temp_name(path).name).exists()  # still there until the caller aborts
    out.abort()
    assert _temporaries(tmp_path) == [] and not path.exists()


def test_writing_to_a_full_device(tmp_path: Path) -> None:
    """The kernel's own ENOSPC: the temporary is a link to /dev/full."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    path = tmp_path / "validation.ttl"
    temp_name(path).symlink_to("/dev/full")
    out = BufferedFile(path, batch_bytes=64 << 10)
    with pytest.raises(OutputError) as raised:
        for piece in _pieces(4_000_000, seed=1):
            out.write(piece)
        out.finish()
    assert raised.value.path == path
    assert isinstance(raised.value.__cause__, OSError) and raised.value.__cause__.errno == errno.ENOSPC
    out.abort()
    assert _temporaries(tmp_path) == [] and not path.exists()


def test_abort_while_writing_drops_everything(tmp_path: Path) -> None:
    path = tmp_path / "pfocr.nt"
    out = BufferedFile(path, batch_bytes=1000)
    for piece in _pieces(300_000, seed=3):
        out.write(piece)
    out.abort()
    assert _temporaries(tmp_path) == [] and not path.exists()
    assert out._out._writer is None  # the thread has ended


@pytest.mark.slow
def test_a_build_whose_dump_cannot_be_written_fails_naming_it_and_keeps_the_last_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "db"
    shutil.copytree(SAMPLE, db)
    out = tmp_path / "out"
    build(BuildOptions([db], out))
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    md = db / "_figures" / "PMC2776288__ajtr0001-0001-f3.md"
    text = md.read_text("utf-8")
    assert "  description: Crosstalk" in text
    md.write_text(text.replace("  description: Crosstalk", "  description: Edited. Crosstalk"), "utf-8")

    real = AtomicFile._write_now
    written: dict[Path, int] = {}

    def disk_full_for_the_dump(self: AtomicFile, data: bytes) -> None:
        if self.path.name == "pfocr.nt":
            written[self.path] = written.get(self.path, 0) + len(data)
            if written[self.path] > 200_000:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(self, data)

    monkeypatch.setattr(kg.write.atomic.AtomicFile, "_write_now", disk_full_for_the_dump)
    with pytest.raises(OutputError) as raised:
        build(BuildOptions([db], out))
    assert raised.value.path == out / "pfocr.nt"
    assert "No space left on device" in str(raised.value)
    assert _temporaries(out) == []
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before


def test_an_error_other_than_oserror_in_the_writer_thread_is_not_lost(tmp_path: Path) -> None:
    """A bug in the write path (here: the handle's write raising TypeError) must reach the caller:
    a thread that died quietly would let finish() publish a truncated file, or block for ever."""
    out = AtomicFile(tmp_path / "pfocr.nt", flush_as_written=True)
    out.write(b"first line\n")
    calls = 0
    real = out.handle.write

    def broken(data: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise TypeError("broken write path")
        return real(data)

    out.handle.write = broken  # type: ignore[method-assign]
    out.write(b"second line\n")
    with pytest.raises(TypeError, match="broken write path"):
        for _ in range(_Writer.DEPTH + 2):  # never blocks: the queue keeps draining
            out.write(b"more\n")
        out.finish()
    out.abort()
    assert not (tmp_path / "pfocr.nt").exists()
    assert not list(tmp_path.glob(f"*{TMP_MARK}*"))


def test_text_instead_of_bytes_is_refused_where_it_is_written(tmp_path: Path) -> None:
    out = AtomicFile(tmp_path / "pfocr.nt", flush_as_written=True)
    with pytest.raises(TypeError, match="not str"):
        out.write("text")  # type: ignore[arg-type]
    out.abort()
