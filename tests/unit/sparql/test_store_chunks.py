"""The on-disk store is filled in slices of whole lines (bounded memory), and holds every triple."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from helpers import SAMPLE
from helpers.build import run_build

from kg.sparql import store


@pytest.mark.parametrize("chunk", [1, 777, 64 * 1024 * 1024])
def test_slices_end_at_line_ends_and_lose_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    nt = tmp_path / "x.nt"
    nt.write_bytes(b"".join(f'<x:s{i}> <x:p> "{"v" * (i % 50)}" .\n'.encode() for i in range(500)))
    monkeypatch.setattr(store, "LOAD_CHUNK_BYTES", chunk)
    slices = list(store._line_chunks(nt))
    assert b"".join(slices) == nt.read_bytes()
    assert all(s.endswith(b"\n") for s in slices)
    if chunk == 777:
        assert len(slices) > 10


@pytest.mark.slow
def test_filled_in_small_slices_the_store_holds_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = run_build(tmp_path / "out", SAMPLE)
    monkeypatch.setattr(store, "LOAD_CHUNK_BYTES", 4096)
    filled = store.fill(tmp_path / "store", build.outdir / "pfocr.nt")
    expected = {q.triple for q in pyoxigraph.parse(build.nt, pyoxigraph.RdfFormat.N_TRIPLES)}
    assert {q.triple for q in filled} == expected
