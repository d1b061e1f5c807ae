"""`kg query`: result formats, ASK exit codes, Turtle graphs, @file queries, errors with positions,
and the on-disk store that is created when missing and refreshed only when pfocr.nt changed."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from helpers import FIXTURES, QUERIES, SEED_FIGID, SEEDS
from helpers.build import Build, kg, kg_process, run_build

from kg.sparql.store import STAMP

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PAPERS = (
    "PREFIX schema: <http://schema.org/> SELECT ?paper ?id WHERE { ?paper a schema:ScholarlyArticle ; "
    "schema:identifier ?id } ORDER BY ?id LIMIT 3"
)
TNF = "https://identifiers.org/ncbigene/7124"



@pytest.fixture
def nt(sample_build: Build, tmp_path: Path) -> Path:
    """A private copy of the sample build's pfocr.nt (stores get written beside it)."""
    path = tmp_path / "out" / "pfocr.nt"
    path.parent.mkdir()
    path.write_bytes(sample_build.nt)
    return path


def kg_query(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return kg(capsys, "query", *args)


def on_store(nt: Path, *args: str) -> list[str]:
    return [*args, "-o", str(nt.parent), "--store", str(nt.parent / "store")]


def triple_count(build: Build) -> int:
    return len(build.triples())


# --- result formats -----------------------------------------------------------------------------


def test_select_table(capsys: pytest.CaptureFixture[str], nt: Path, sample_build: Build) -> None:
    code, out, _ = kg_query(capsys, *on_store(nt, COUNT))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].strip() == "?n" and set(lines[1].strip()) == {"-"}
    assert lines[2].strip() == str(triple_count(sample_build))
    assert lines[-1] == "(1 row)"
    code, out, _ = kg_query(capsys, *on_store(nt, PAPERS))
    assert code == 0
    assert "pmc:PMC100005" in out and out.rstrip().endswith("(3 rows)")
    assert re.match(r"^\?paper\s+\| \?id\s*$", out.splitlines()[0])


def test_select_csv_tsv_json(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    code, out, _ = kg_query(capsys, *on_store(nt, PAPERS, "--results", "csv"))
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["paper", "id"]
    assert rows[1] == ["https://identifiers.org/pmc/PMC100005", "PMC100005"]
    assert len(rows) == 4

    code, out, _ = kg_query(capsys, *on_store(nt, PAPERS, "--results", "tsv"))
    assert code == 0
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == "?paper\t?id"
    assert lines[1] == '<https://identifiers.org/pmc/PMC100005>\t"PMC100005"'

    code, out, _ = kg_query(capsys, *on_store(nt, PAPERS, "--results", "json"))
    assert code == 0
    answer = json.loads(out)
    assert answer["head"]["vars"] == ["paper", "id"]
    first = answer["results"]["bindings"][0]
    assert first["paper"] == {"type": "uri", "value": "https://identifiers.org/pmc/PMC100005"}
    assert first["id"]["value"] == "PMC100005"


def test_ask_exit_status(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    code, out, _ = kg_query(capsys, *on_store(nt, f"ASK {{ ?f <http://schema.org/mentions> <{TNF}> }}"))
    assert (code, out) == (0, "true\n")
    code, out, _ = kg_query(
        capsys, *on_store(nt, "ASK { ?f <http://schema.org/mentions> <urn:no:such:gene> }")
    )
    assert (code, out) == (1, "false\n")


def test_construct_and_describe_print_turtle(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    construct = (
        "PREFIX schema: <http://schema.org/> CONSTRUCT { ?f schema:mentions ?g } "
        f"WHERE {{ ?f schema:mentions ?g FILTER (?g = <{TNF}>) }}"
    )
    code, out, _ = kg_query(capsys, *on_store(nt, construct))
    assert code == 0
    graph = {q.triple for q in pyoxigraph.parse(out.encode(), pyoxigraph.RdfFormat.TURTLE)}
    assert len(graph) == 3  # the three sample figures that mention TNF
    assert {t.object.value for t in graph} == {TNF}

    code, out, _ = kg_query(capsys, *on_store(nt, f"DESCRIBE <{TNF}>"))
    assert code == 0
    described = {q.triple for q in pyoxigraph.parse(out.encode(), pyoxigraph.RdfFormat.TURTLE)}
    name = pyoxigraph.Triple(
        pyoxigraph.NamedNode(TNF), pyoxigraph.NamedNode("http://schema.org/name"), pyoxigraph.Literal("TNF")
    )
    assert name in described
    assert all(t.subject == pyoxigraph.NamedNode(TNF) for t in described)


def test_query_from_file(capsys: pytest.CaptureFixture[str], nt: Path, tmp_path: Path) -> None:
    code, out, _ = kg_query(capsys, *on_store(nt, f"@{QUERIES / 'figures-by-gene-id.rq'}", "--results", "csv"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # the three sample records that name TNF (`entrez: '7124'` twice, one genes TSV row), one
    # annotation each
    assert [(r["gene"], r["figid"], r["annotations"]) for r in rows] == [
        (TNF, "PMC10919860__ppat.1012049.g001", "1"),
        (TNF, "PMC1383482__ppat.0020004.g001", "1"),
        (TNF, "PMC2776288__ajtr0001-0001-f3", "1"),
    ]
    code, _, err = kg_query(capsys, *on_store(nt, f"@{tmp_path / 'missing.rq'}"))
    assert code == 2 and "cannot read" in err and "missing.rq" in err


def test_syntax_error_exits_2_with_position(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    code, out, err = kg_query(capsys, *on_store(nt, "SELECT ?x\nWHERE { ?x ?y }", "-q"))
    assert code == 2 and out == ""
    assert re.search(r"syntax error at line 2, column \d+", err), err
    assert len(err.splitlines()) == 1  # -q: no note of the store's loading; one line of error


def test_updates_are_refused(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    code, _, err = kg_query(capsys, *on_store(nt, "PREFIX a: <urn:a:>\nINSERT DATA { a:b a:c a:d }"))
    assert code == 2 and "only reads" in err
    code, out, _ = kg_query(capsys, *on_store(nt, "ASK { <urn:a:b> ?p ?o }"))
    assert (code, out) == (1, "false\n")


# --- the on-disk store --------------------------------------------------------------------------


def test_store_created_when_missing_and_not_reloaded_when_unchanged(
    capsys: pytest.CaptureFixture[str], nt: Path, sample_build: Build
) -> None:
    store = nt.parent / "store"
    assert not store.exists()
    code, out, err = kg_query(capsys, *on_store(nt, COUNT, "--results", "csv"))
    assert code == 0 and out.split()[1] == str(triple_count(sample_build))
    assert "loaded" in err and (store / STAMP).is_file()
    stamp_before = (store / STAMP).stat().st_mtime_ns

    code, out, err = kg_query(capsys, *on_store(nt, COUNT, "--results", "csv"))
    assert code == 0 and out.split()[1] == str(triple_count(sample_build))
    assert err == ""  # no reload message: the store was used as it was
    assert (store / STAMP).stat().st_mtime_ns == stamp_before


def test_store_refreshed_when_the_build_changed(
    capsys: pytest.CaptureFixture[str], nt: Path, sample_build: Build
) -> None:
    assert kg_query(capsys, *on_store(nt, COUNT))[0] == 0
    extra = b'<urn:x:figure> <http://schema.org/name> "added after the first load" .\n'
    nt.write_bytes(sample_build.nt + extra)
    code, out, err = kg_query(capsys, *on_store(nt, COUNT, "--results", "csv"))
    assert code == 0 and "loaded" in err
    assert out.split()[1] == str(triple_count(sample_build) + 1)
    code, out, _ = kg_query(capsys, *on_store(nt, 'ASK { <urn:x:figure> ?p "added after the first load" }'))
    assert code == 0


def test_default_paths_under_output(
    capsys: pytest.CaptureFixture[str], sample_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = kg_query(capsys, COUNT)
    assert code == 2 and "output/pfocr.nt" in err and "kg build" in err
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "pfocr.nt").write_bytes(sample_build.nt)
    code, _, err = kg_query(capsys, COUNT, "--results", "tsv")
    assert code == 0 and "loaded output/pfocr.nt into output/store" in err
    assert (tmp_path / "output" / "store" / STAMP).is_file()


def test_store_refuses_a_folder_that_is_not_ours(capsys: pytest.CaptureFixture[str], nt: Path) -> None:
    store = nt.parent / "store"
    store.mkdir()
    (store / "precious.txt").write_text("not a store", encoding="utf-8")
    code, _, err = kg_query(capsys, *on_store(nt, COUNT))
    assert code == 2 and "not a pfocr-kg store" in err
    assert (store / "precious.txt").is_file()


def test_data_files_instead_of_the_store(
    capsys: pytest.CaptureFixture[str], nt: Path, sample_build: Build
) -> None:
    wikipathways = FIXTURES / "wikipathways" / "wikipathways-sample.ttl"
    wp = {q.triple for q in pyoxigraph.parse(path=str(wikipathways), format=pyoxigraph.RdfFormat.TURTLE)}
    code, out, err = kg_query(capsys, COUNT, "--results", "csv", "--data", str(nt), str(wikipathways))
    assert code == 0 and err == ""
    # one graph, a set: the wp:bdb* links both sides write for the same genes count once
    assert out.split()[1] == str(len(sample_build.triples() | wp))
    assert len(sample_build.triples() & wp) > 0
    assert not (nt.parent / "store").exists()  # --data never touches a store
    code, out, _ = kg_query(
        capsys,
        f"@{QUERIES / 'wikipathways-pathways-of-figures.rq'}",
        "--results",
        "csv",
        "--data",
        str(nt),
        str(wikipathways),
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    # tests/fixtures/wikipathways/README.md, "Genes per pathway": 4 + 4 + 6 (pathway, figure) pairs
    assert code == 0 and len(rows) == 14
    assert (rows[0]["wpid"], rows[0]["sharedGenes"]) == ("WP4760", "6")
    assert {r["wpid"] for r in rows} == {"WP254", "WP231", "WP4760"}
    code, out, _ = kg_query(
        capsys,
        f"@{QUERIES / 'wikipathways-pathways-sharing-genes-with-figure.rq'}",
        "--results",
        "csv",
        "--data",
        str(nt),
        str(wikipathways),
    )
    # PMC1383482 shares TNF CASP3 CASP8 TRAF2 FADD with WP254 (7 genes), TNF TRADD TNFRSF1B TNFRSF1A
    # with WP231 (6), CASP3 with WP4760 (7)
    assert code == 0
    assert [(r["wpid"], r["sharedGenes"], r["pathwayGenes"]) for r in csv.DictReader(io.StringIO(out))] == [
        ("WP254", "5", "7"),
        ("WP231", "4", "6"),
        ("WP4760", "1", "7"),
    ]


def test_data_file_problems_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = kg_query(capsys, COUNT, "--data", str(tmp_path / "absent.nt"))
    assert code == 2 and "no such file" in err
    odd = tmp_path / "data.xyz"
    odd.write_text("x", encoding="utf-8")
    code, _, err = kg_query(capsys, COUNT, "--data", str(odd))
    assert code == 2 and "unknown RDF format" in err
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    code, _, err = kg_query(capsys, COUNT, "--data", str(broken))
    assert code == 2 and "broken.ttl" in err


@pytest.mark.slow
def test_build_store_then_query_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root = tmp_path / "db"
    (root / "_figures").mkdir(parents=True)
    shutil.copy(SEEDS / "_figures" / f"{SEED_FIGID}.md", root / "_figures")
    store = tmp_path / "store"
    # without the gate: the store is tested here, and v1 shapes would quarantine the v2 record
    build = run_build(tmp_path / "out", root, extra=("--store", str(store),))
    assert build.exit_code == 0 and (store / STAMP).is_file()
    capsys.readouterr()
    code, out, err = kg_query(
        capsys, COUNT, "--store", str(store), "-o", str(tmp_path / "out"), "--results", "csv"
    )
    assert code == 0
    assert err == ""  # the build left a fresh store: nothing is reloaded
    assert out.split()[1] == str(len(build.triples()))
    code, out, _ = kg_query(
        capsys,
        f"ASK {{ <https://pfocr.wikipathways.org/figures/{SEED_FIGID}.html> ?p ?o }}",
        "--store",
        str(store),
        "-o",
        str(tmp_path / "out"),
    )
    assert code == 0


@pytest.mark.slow
def test_store_survives_a_new_process(tmp_path: Path, nt: Path) -> None:
    """The stamp records the file by path, size and mtime: a later `kg query` in another process
    finds the same store fresh (no reload) as long as pfocr.nt is untouched."""
    args = ("query", COUNT, "-o", nt.parent, "--store", nt.parent / "store")
    first, second = kg_process(*args, timeout=120), kg_process(*args, timeout=120)
    assert first.returncode == second.returncode == 0
    assert "loaded" in first.stderr and "loaded" not in second.stderr
    assert first.stdout == second.stdout
