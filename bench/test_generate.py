"""Tests of the benchmark corpus generator: `python -m pytest bench/test_generate.py`.

(Not in the default test run: pyproject's testpaths is tests/.)
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import check_corpus
import generate

SAMPLE = BENCH.parent / "tests" / "fixtures" / "pfocr-sample"  # the 35 real records (its README: provenance)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate.generate(root, 400, seed=42, sidecar_fraction=0.5, jobs=1)
    return root


def test_structure(corpus: Path) -> None:
    result = check_corpus.check(corpus, quiet=True)
    assert result["problems"] == []
    assert result["figures"] == 400
    assert result["inline"] > 100 and result["sidecar"] > 100
    assert result["papers_with_several_figures"] > 0  # PMC ids shared by several figures
    assert all(result["tsv"].values())
    # graph v2: every figure type, PLOS journals named two ways (as in the sample), no figlink
    # two figids share (the image node would get two descriptions)
    assert set(result["figtypes"]) == check_corpus.FIGTYPES
    assert result["journals"] > 10 and any(j.startswith("PLoS ") for j in result["journal_variants"])
    assert result["shared_images"] == 0


def test_real_sample_statistics() -> None:
    """The checker's v2 numbers on the repository's sample (tests/fixtures/pfocr-sample)."""
    result = check_corpus.check(BENCH.parent / "tests" / "fixtures" / "pfocr-sample", quiet=True)
    assert result["problems"] == []
    assert result["figtypes"] == {"Figure": 32, "Graphical abstract": 1, "Scheme": 1, "Supplemental figure": 1}
    assert result["journals"] == 9 and result["journal_variants"] == ["PLoS One", "PLoS Pathog"]
    assert result["shared_images"] == 0


def test_every_file_parses_with_plain_libraries(corpus: Path) -> None:
    for md in (corpus / "_figures").glob("*.md"):
        text = md.read_text(encoding="utf-8")
        assert text.startswith("---\n") and text.endswith("---\n")
        d = yaml.safe_load(text.split("---\n")[1])
        assert d["figid"] == md.stem
        assert isinstance(d["year"], str)
    for tsv in (corpus / "_data").glob("*.tsv"):
        kind = tsv.stem.rsplit("-", 1)[1]
        with tsv.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        assert rows[0] == check_corpus.COLUMNS[kind]
        assert {len(r) for r in rows} == {len(rows[0])}
    for page in (corpus / "_organisms").glob("*.md"):
        assert isinstance(yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])["ncbi"], str)


def test_edge_cases_present(corpus: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in (corpus / "_figures").glob("*.md")]
    tables = [p.read_text(encoding="utf-8") for p in (corpus / "_data").glob("*.tsv")]
    assert any("- NA\n" in t for t in texts)                     # organisms: [NA]
    assert any(".na.character" in t for t in texts)
    assert any("organisms: Homo sapiens, " in t for t in texts)  # comma-joined inline organisms
    assert any("\tNA\t" in t for t in tables)
    assert any(any(ord(c) > 127 for c in t) for t in texts)      # Greek, dashes, curly quotes
    assert any("source: bioentities_symbol" in t for t in texts)
    assert any("\tfamplex_relations\t" in t for t in tables)
    chem = [t.splitlines()[1:] for t in tables if t.startswith("word\tmesh\tmatch\tname\tchebi")]
    assert any(len(rows) != len(set(rows)) for rows in chem)      # exact duplicate rows


def test_deterministic_and_independent_of_jobs(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate.generate(again, 400, seed=42, sidecar_fraction=0.5, jobs=2)
    assert check_corpus.tree_digest(corpus) == check_corpus.tree_digest(again)
    other = tmp_path / "other"
    generate.generate(other, 400, seed=43, sidecar_fraction=0.5, jobs=1)
    assert check_corpus.tree_digest(corpus) != check_corpus.tree_digest(other)


def test_sidecar_fraction_extremes(tmp_path: Path) -> None:
    info = generate.generate(tmp_path / "a", 60, sidecar_fraction=0.0)
    assert info["sidecar_records"] == 0 and not any((tmp_path / "a" / "_data").iterdir())
    info = generate.generate(tmp_path / "b", 60, sidecar_fraction=1.0)
    assert info["inline_records"] == 0


def test_fast_yaml_writer_matches_pyyaml() -> None:
    assert generate.selfcheck(300, seed=7) == 0


def test_refuses_to_overwrite(corpus: Path) -> None:
    with pytest.raises(FileExistsError):
        generate.generate(corpus, 10)


def test_measured_numbers_are_those_of_the_sample() -> None:
    assert generate.measure(SAMPLE) == json.loads(json.dumps(generate.MEASURED))


def test_organism_pages_match_the_real_ones(corpus: Path) -> None:
    for real in (SAMPLE / "_organisms").glob("*.md"):
        name = yaml.safe_load(real.read_text(encoding="utf-8").split("---\n")[1])["latin"]
        rel, text = generate.organism_page(name)
        assert rel == f"_organisms/{real.name}"
        assert text == real.read_text(encoding="utf-8"), real.name


def test_real_sample_passes_the_checker() -> None:
    assert check_corpus.check(SAMPLE, quiet=True)["problems"] == []


@pytest.mark.skipif(importlib.util.find_spec("kg.cli") is None, reason="kg not importable")
def test_run_smoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import run

    assert run.main(["--sizes", "30", "--workdir", str(tmp_path), "--markdown", "--json", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "machine:" in out and "| size |" in out
    r = json.loads((tmp_path / "r.json").read_text())["runs"][0]
    assert r["records_read"] == 30 and r["triples"] > 0 and r["maxrss_mb"] > 0
