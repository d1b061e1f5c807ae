"""`kg load` into real servers: Oxigraph (`oxigraph serve`) and Virtuoso (`virtuoso-t`, bulk-loaded
with isql as docs/stores.md says), started on 127.0.0.1 with free ports; they must answer the queries
in queries/ as the embedded store does. Skipped, with the reason, only when the server binary is
not installed (failed under CI). The loader itself: tests/unit/sparql/test_load.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from helpers import FIXTURES, QUERIES, REPO
from helpers.build import Build, kg, select
from helpers.servers import oxigraph_server, sparql_select, virtuoso_server

from kg.sparql import load as L

WIKIPATHWAYS = FIXTURES / "wikipathways" / "wikipathways-sample.ttl"
GRAPH = "https://w3id.org/pfocr-kg/graph"
NT = pyoxigraph.RdfFormat.N_TRIPLES

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy_no_credentials")]


def kg_load(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return kg(capsys, "load", *args)


# --- real servers -------------------------------------------------------------------------------


def _normalise(rows: list[dict[str, str | None]]) -> list[tuple[tuple[str, str], ...]]:
    """Rows as comparable tuples without unbound variables; GROUP_CONCAT lists sorted (their order is free)."""
    out = []
    for row in rows:
        items = []
        for key, value in row.items():
            if not value:
                continue  # unbound: SPARQL JSON leaves the variable out, pyoxigraph gives None
            if key == "symbols":
                value = " ".join(sorted(value.split()))
            items.append((key, value))
        out.append(tuple(sorted(items)))
    return sorted(out)


@pytest.fixture(scope="module")
def reference(sample_build: Build) -> pyoxigraph.Store:
    """The embedded store the servers must agree with: the sample build plus the WikiPathways fixture."""
    store = pyoxigraph.Store()
    store.load(sample_build.nt, NT)
    store.load(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def assert_same_answers(query_url: str, graph: str, reference: pyoxigraph.Store) -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        mine = _normalise(select(reference, text))
        theirs = _normalise(sparql_select(query_url, text, default_graph=graph))  # type: ignore[arg-type]
        assert mine, f"{path.name} gives no rows on the sample"
        assert theirs == mine, f"{path.name}: the server and the embedded store disagree"


def test_oxigraph_server(
    capsys: pytest.CaptureFixture[str], sample_build: Build, reference: pyoxigraph.Store, tmp_path: Path
) -> None:
    nt = sample_build.outdir / "pfocr.nt"
    expected = len(list(reference.quads_for_pattern(None, None, None)))
    with oxigraph_server(tmp_path) as server:
        code, _, err = kg_load(
            capsys,
            server.store_url,
            str(nt),
            str(WIKIPATHWAYS),
            "--graph",
            GRAPH,
            "--replace",
            "--chunk",
            "5000",
            "--sparql",
            server.query_url,
        )
        assert code == 0, err
        assert f"the store now holds {expected} triples there" in err
        # the same count through a GSP GET of the graph, counted with pyoxigraph
        code, _, err = kg_load(capsys, server.store_url, str(nt), "--graph", GRAPH)
        assert code == 0 and f"the store now holds {expected} triples there" in err  # POST again: a set
        count = sparql_select(
            server.query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        )
        assert count == [{"n": str(expected)}]
        assert_same_answers(server.query_url, GRAPH, reference)
        # --replace empties what was there before
        code, _, err = kg_load(capsys, server.store_url, str(WIKIPATHWAYS), "--graph", GRAPH, "--replace")
        wp = len(list(pyoxigraph.parse(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)))
        assert code == 0 and f"holds {wp} triples there" in err


def readme_virtuoso_steps() -> list[str]:
    """The isql statements docs/stores.md gives for Virtuoso's bulk loader."""
    text = (REPO / "docs" / "stores.md").read_text(encoding="utf-8")
    steps = re.findall(r"^(ld_dir\(.*\);|rdf_loader_run\(\);|checkpoint;)$", text, flags=re.MULTILINE)
    assert [s.split("(")[0].rstrip(";") for s in steps] == ["ld_dir", "rdf_loader_run", "checkpoint"], steps
    return steps


def readme_virtuoso_reload() -> list[str]:
    """docs/stores.md's two statements that make a graph ready for a new build."""
    text = " ".join((REPO / "docs" / "stores.md").read_text(encoding="utf-8").split())
    found = re.findall(
        r"`(SPARQL CLEAR GRAPH <[^>]+>;)` and `(DELETE FROM DB\.DBA\.LOAD_LIST WHERE [^`]+;)`", text
    )
    assert len(found) == 1, found
    return list(found[0])


def test_virtuoso_bulk_load_and_graph_store_protocol(
    capsys: pytest.CaptureFixture[str],
    sample_build: Build,
    reference: pyoxigraph.Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outdir = sample_build.outdir.resolve()
    steps = readme_virtuoso_steps()
    expected = len(list(reference.quads_for_pattern(None, None, None)))
    with virtuoso_server(tmp_path, allowed=[outdir, WIKIPATHWAYS.parent.resolve()]) as server:
        # docs/stores.md's steps, for our output folder, then the WikiPathways fixture into the same graph
        sql = " ".join(steps).replace("/path/to/output", str(outdir))
        assert f"ld_dir('{outdir}', 'pfocr.nt', '{GRAPH}');" in sql
        server.isql(sql)
        server.isql(
            f"ld_dir('{WIKIPATHWAYS.parent.resolve()}', '*.ttl', '{GRAPH}'); rdf_loader_run(); checkpoint;"
        )
        states = server.isql(
            "SELECT ll_file, ll_state, coalesce(ll_error, 'no error') FROM DB.DBA.LOAD_LIST;"
        )
        assert states.count("no error") == 2 and "pfocr.nt" in states, states

        count_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
        assert sparql_select(server.sparql_url, count_graph) == [{"n": str(expected)}]
        assert_same_answers(server.sparql_url, GRAPH, reference)

        # docs/stores.md's way to load a new build into the same graph: clear, forget, load again
        server.isql(" ".join(readme_virtuoso_reload()) + " " + sql)
        assert sparql_select(server.sparql_url, count_graph) == [{"n": str(len(sample_build.triples()))}]

        # kg load through Virtuoso's Graph Store endpoint, HTTP digest authentication
        other = "https://w3id.org/pfocr-kg/graph-gsp"
        nt = sample_build.outdir / "pfocr.nt"
        code, _, err = kg_load(capsys, server.gsp_auth_url, str(nt), "--graph", other, "--no-count")
        assert code == 1 and "HTTP 401" in err  # no credentials given
        monkeypatch.setenv(L.USER_VAR, server.user)
        monkeypatch.setenv(L.PASSWORD_VAR, server.password)
        code, _, err = kg_load(
            capsys,
            server.gsp_auth_url,
            str(nt),
            "--graph",
            other,
            "--replace",
            "--chunk",
            "5000",
            "--sparql",
            server.sparql_url,
        )
        assert code == 0, err
        assert f"{len(sample_build.triples())} triples from" in err
        assert f"the store now holds {len(sample_build.triples())} triples there" in err
        code, _, err = kg_load(capsys, server.gsp_auth_url, str(nt), "--graph", other, "--replace")
        assert (
            code == 0 and f"the store now holds {len(sample_build.triples())} triples there" in err
        )  # GSP GET
