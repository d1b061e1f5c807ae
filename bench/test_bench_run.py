"""Tests of the benchmark drivers (naive baseline, stage profile, incremental rebuilds, tables):
`python -m pytest bench/test_bench_run.py`.

Correctness only, on a tiny corpus; nothing here is timed. (Not in the default test run.)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pytest
import rdflib
import yaml

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


@pytest.mark.slow
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
    # both describe the build's dataset node; its void:triples counts each one's own file
    count = (rdflib.URIRef("https://w3id.org/pfocr-kg/dataset"), rdflib.URIRef("http://rdfs.org/ns/void#triples"))
    counts = [[t for t in g if t[:2] == count] for g in (kg_graph, naive_graph)]
    assert [[int(t[2]) for t in c] for c in counts] == [[ours["triples"]], [base["triples"]]]
    assert set(kg_graph) - set(counts[0]) <= set(naive_graph)
    assert len(rdflib.Graph().parse(tmp_path / "naive" / "pfocr.ttl", format="turtle")) == base["triples"]


@pytest.mark.slow
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


def test_incremental_table() -> None:
    rows = [
        run.Run(size=1000, kind=run.KG, wall=20.0, of_full=1.0, records_read=1000, cache_written=1000, cache_pruned=0),
        run.Run(size=1000, kind=run.UNCHANGED, change=run.UNCHANGED, wall=1.0, of_full=0.05, cache_written=0,
                cache_pruned=0, cache_expected=True, outputs_check="= full build"),
        run.Run(size=1000, kind=run.ADDED, change=run.ADDED, wall=2.0, of_full=0.1, cache_written=3, cache_pruned=0,
                cache_expected=False),
        run.Run(size=1000, kind=run.REMOVED, change=run.REMOVED, status=1, wall=1.0),
    ]
    text = run.text_table(run.INCREMENTAL_COLUMNS, [run.incremental_row(r) for r in rows])
    assert "100.0 %" in text and "5.0 %" in text and "= full build" in text and "+1,000 −0" in text
    assert "+3 −0 (expected +1 −0)" in text and "FAILED (exit 1)" in text
    md = run.markdown_table(run.INCREMENTAL_COLUMNS, [run.incremental_row(r) for r in rows])
    assert all(line.count("|") == len(run.INCREMENTAL_COLUMNS) + 1 for line in md.splitlines())


# --------------------------------------------------------------------------------------------
# Incremental rebuilds: the corpus changes are one record each and are undone byte for byte
# --------------------------------------------------------------------------------------------
def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every file under root."""
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def own_corpus(corpus: Path, tmp_path: Path) -> Path:
    """A copy of the 30-record corpus that a test may change (with the files' times)."""
    root = tmp_path / "db"
    shutil.copytree(corpus, root)
    return root


def test_corpus_changes_are_one_record_each_and_undone(own_corpus: Path, tmp_path: Path) -> None:
    before = _snapshot(own_corpus)
    marker = tmp_path / "db.editing"
    with run.CorpusChanges(own_corpus, marker) as changes:
        assert marker.exists()
        assert (own_corpus / "_data" / f"{changes.copied}-genes.tsv").exists()  # a sidecar record is copied
        edited = changes.edit()
        now = _snapshot(own_corpus)
        assert [k for k in before if now[k] != before[k]] == [f"_figures/{edited}.md"] and now.keys() == before.keys()
        added = changes.add()
        created = sorted(set(_snapshot(own_corpus)) - set(before))
        assert f"_figures/{added}.md" in created and f"_data/{added}-genes.tsv" in created
        assert all(added in name for name in created)
        text = (own_corpus / "_figures" / f"{added}.md").read_text("utf-8")
        assert f"figid: {added}\n" in text and f"{changes.copied}\n" not in text
        assert changes.remove_added() == added
        assert set(_snapshot(own_corpus)) == set(before)
    assert _snapshot(own_corpus) == before and not marker.exists()


def test_corpus_changes_are_undone_when_a_run_fails(own_corpus: Path) -> None:
    before = _snapshot(own_corpus)
    with pytest.raises(KeyboardInterrupt), run.CorpusChanges(own_corpus) as changes:
        changes.edit()
        changes.add()
        raise KeyboardInterrupt
    assert _snapshot(own_corpus) == before


def test_the_edit_changes_only_the_caption(own_corpus: Path) -> None:
    changes = run.CorpusChanges(own_corpus)
    md = own_corpus / "_figures" / f"{changes.edited}.md"
    old = md.read_text("utf-8")
    changes.edit()
    new = md.read_text("utf-8")
    old_data, new_data = (yaml.safe_load(t.split("---\n")[1]) for t in (old, new))
    assert new_data.pop("caption") == old_data.pop("caption") + " (edited)"
    assert new_data == old_data
    # generate.py writes what yaml.safe_dump writes, so the other lines are untouched
    assert yaml.safe_dump(yaml.safe_load(old.split("---\n")[1]), **run.YAML_STYLE) == old.split("---\n")[1]
    changes.restore()
    assert md.read_text("utf-8") == old


@pytest.mark.slow
def test_changed_corpus_builds_clean_recomputing_one_record(own_corpus: Path, tmp_path: Path) -> None:
    from kg.build.options import BuildOptions
    from kg.build.run import build

    out = tmp_path / "out"
    n = len(list((own_corpus / "_figures").glob("*.md")))
    first = build(BuildOptions([own_corpus], out))
    assert first.computed == n and not first.quarantined
    with run.CorpusChanges(own_corpus) as changes:
        for change, records, computed in ((changes.edit, n, 1), (changes.add, n + 1, 1), (changes.remove_added, n, 0)):
            change()
            report = build(BuildOptions([own_corpus], out))
            assert (report.records_read, report.computed, report.reused) == (records, computed, records - computed)
            assert not report.quarantined and len(report.warnings) == len(first.warnings)
            assert json.loads((out / "report.json").read_text("utf-8"))["quarantined_count"] == 0


@pytest.mark.slow
def test_main_prints_the_rebuild_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = run.corpus(tmp_path, 30, 42, 0.5, jobs=1, fresh=False)
    before = _snapshot(root)
    args = ["--sizes", "30", "--naive-sizes", "none", "--no-profile", "--workdir", str(tmp_path), "--gen-jobs", "1"]
    assert run.main([*args, "--markdown", "--json", str(tmp_path / "bench.json")]) == 0
    printed = capsys.readouterr().out
    assert "corpus 30: " in printed and "cached)" in printed  # the corpus' cache key still fits
    assert _snapshot(root) == before and not run.editing_marker(root).exists()
    assert not (tmp_path / "out-n30").exists()  # outputs deleted without --keep
    for kind in (run.UNCHANGED, run.EDITED, run.ADDED, run.REMOVED):
        assert printed.count(f"| 30 | {kind} |") == 3  # main, outputs and incremental Markdown tables
        assert printed.count(f"  30  {kind} ") == 3  # the same in plain text
    assert "% of full build" in printed and "= full build" in printed and "= 1 edited" in printed
    runs = json.loads((tmp_path / "bench.json").read_text())["runs"]
    assert [r["kind"] for r in runs] == [run.KG, run.UNCHANGED, run.EDITED, run.ADDED, run.REMOVED]
    assert [r["records_read"] for r in runs] == [30, 30, 30, 31, 30]
    assert all(r["quarantined"] == 0 and r["status"] == 0 for r in runs)
    assert [(r["cache_written"], r["cache_pruned"]) for r in runs] == [(30, 0), (0, 0), (1, 1), (1, 0), (0, 1)]
    assert all(r["cache_expected"] for r in runs[1:]) and runs[0]["of_full"] == 1.0
    assert [r["outputs_check"] for r in runs] == [None, "= full build", None, None, "= 1 edited"]
    assert all(r["of_full"] > 0 for r in runs[1:])  # a share exists; its value is not tested

    assert run.main([*args, "--incremental-sizes", "none"]) == 0
    printed = capsys.readouterr().out
    assert not any(kind in printed for kind in (run.UNCHANGED, run.EDITED, run.ADDED, run.REMOVED))
    assert "  % of full build  " not in printed  # no third table
