"""`kg clean` (kg.build.clean): the cache, killed builds' temporaries and the files machinery
removed since left behind; never an output (without --all) nor a file that is not kg's."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.cache import CACHE_NAME
from kg.cli import main

# What builds before decision 0019 left beside the outputs they wrote over (kg/write/spare.py,
# removed in commit 42b381e): no build writes or removes them any more.
SPARES = (".pfocr.nt.spare", ".pfocr.ttl.spare", ".pfocr.jsonld.spare", ".validation.ttl.spare")


def test_clean_removes_the_spare_outputs_of_earlier_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / CACHE_NAME / "ab").mkdir(parents=True)
    for name in (*SPARES, "pfocr.nt", "report.json", "mine.txt", ".mine.spare"):
        (out / name).write_text(name)
    assert main(["clean", str(out)]) == 0
    err = capsys.readouterr().err
    assert all(f"removed {out / name}" in err for name in SPARES)
    assert sorted(p.name for p in out.iterdir()) == [".mine.spare", "mine.txt", "pfocr.nt", "report.json"]
