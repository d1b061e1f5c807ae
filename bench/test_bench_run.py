"""Tests of the benchmark drivers (naive baseline, stage profile, tables): `python -m pytest bench/test_bench_run.py`.

Correctness only, on a tiny corpus; nothing here is timed. (Not in the default test run.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import rdflib

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate
import naive
import run
import stages


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate.generate(root, 30, seed=7, sidecar_fraction=0.5, jobs=1)
    return root


@pytest.mark.parametrize("nt", [
    '"plain"', '"a \\"quoted\\" \\\\ back\\nslash\\r\\t"', '"\\u0007 bell and \\u00E9"',
    '"2005"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"κ-opioid – ½"', "<https://identifiers.org/ncbigene/7124>",
])
def test_term_matches_rdflib_ntriples_parser(nt: str) -> None:
    line = f"<urn:s> <urn:p> {nt} .\n"
    expected = next(iter(rdflib.Graph().parse(data=line, format="nt")))[2]
    assert naive.term(nt) == expected


def test_stages_and_naive_agree(corpus: Path, tmp_path: Path) -> None:
    ours = stages.run([corpus], tmp_path / "stages")
    base = naive.run([corpus], tmp_path / "naive")
    assert ours["records_read"] == base["records_read"] == 30
    assert set(ours["stages"]) == set(base["stages"]) == set(run.STAGES)
    assert all(v >= 0 for v in ours["stages"].values())
    assert all(v > 0 for k, v in base["stages"].items() if k != "facts") and base["stages"]["facts"] == 0
    for out in ("stages", "naive"):
        assert (tmp_path / out / "pfocr.nt").stat().st_size > 0
        assert (tmp_path / out / "pfocr.ttl").stat().st_size > 0
    # Every triple kg writes is in the naive graph: the term conversion loses nothing. (The naive
    # graph may hold a few more: it merges every figure's description of a shared node.)
    kg_graph = rdflib.Graph().parse(tmp_path / "stages" / "pfocr.nt", format="nt")
    naive_graph = rdflib.Graph().parse(tmp_path / "naive" / "pfocr.nt", format="nt")
    assert len(kg_graph) == ours["triples"]
    assert len(naive_graph) == base["triples"] >= ours["triples"]
    assert set(kg_graph) <= set(naive_graph)
    assert len(rdflib.Graph().parse(tmp_path / "naive" / "pfocr.ttl", format="turtle")) == base["triples"]


def test_naive_uses_pyyaml_only(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.read.frontmatter as fm

    class Refuse:
        def safe_load(self, text: str) -> object:
            raise AssertionError("the naive baseline must not use the fast YAML parser")

    refuse = Refuse()
    monkeypatch.setattr(fm, "_fast_yaml", refuse)
    report = naive.run([corpus], tmp_path / "naive", yaml_mode="pyyaml")
    assert report["quarantined_count"] == 0 and fm._fast_yaml is refuse


def test_tables() -> None:
    rows = [
        run.Run(size=1000, kind=run.KG, wall=2.0, cpu=3.0, maxrss_mb=80, tree_mb=150, vs_naive=25.0),
        run.Run(size=1000, kind=run.PROFILE, wall=4.0, stages=dict.fromkeys(run.STAGES, 0.5), vs_naive=12.5),
        run.Run(size=1000, kind=run.NAIVE, wall=50.0, stages=dict.fromkeys(run.STAGES, 10.0), vs_naive=1.0),
        run.Run(size=1000, kind=run.NAIVE, status=1, wall=1.0),
    ]
    text = run.text_table(run.MAIN_COLUMNS, [run.main_row(r) for r in rows])
    assert "25.0×" in text and "FAILED (exit 1)" in text and "20.0" in text  # 1000 / 50 s
    md = run.markdown_table(run.MAIN_COLUMNS, [run.main_row(r) for r in rows])
    assert md.splitlines()[0].count("|") == len(run.MAIN_COLUMNS) + 1
    assert all(line.count("|") == len(run.MAIN_COLUMNS) + 1 for line in md.splitlines())
