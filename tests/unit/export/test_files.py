"""kg.export.files: gzip written as it is compressed, the same bytes as in memory, nothing left on failure."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kg.export.files import gzip_file, gzip_writer, gzipped


def test_a_streamed_gzip_is_byte_for_byte_the_in_memory_one(tmp_path: Path) -> None:
    """Written in pieces of any size, the file is what `gzipped` makes of the whole (no date, no
    name): exports and release dumps keep their checksums."""
    data = b"".join(b"<http://x/%d> <http://x/p> \"%d\" .\n" % (i, i * i) for i in range(50_000))
    with gzip_writer(tmp_path / "a.gz") as out:
        for start in range(0, len(data), 777):
            out.write(data[start:start + 777])
    (tmp_path / "src").write_bytes(data)
    gzip_file(tmp_path / "src", tmp_path / "b.gz", chunk=4096)
    assert (tmp_path / "a.gz").read_bytes() == (tmp_path / "b.gz").read_bytes() == gzipped(data)
    assert gzip.decompress((tmp_path / "a.gz").read_bytes()) == data


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "edges.gz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), gzip_writer(target) as out:
        out.write(b"half of it")
        raise RuntimeError("stopped")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.gz"]
