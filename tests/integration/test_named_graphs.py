"""pfocr.nq in real stores: loaded into Oxigraph (embedded, and `oxigraph serve`) and into Virtuoso
(its bulk loader), it gives pfocr.nt's triples, one graph per figure plus the shared graph; and
`kg load --by-figure` (Graph Store Protocol, graph by graph) sends only the graphs that changed
since the store's last load, after which the store holds what a fresh load of the new file gives.
Servers start on 127.0.0.1 with free ports (tests/helpers/servers.py)."""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest
from helpers.build import Build, kg, run_build
from helpers.records import copy_sample, edit_file
from helpers.servers import oxigraph_server, sparql_select, virtuoso_server

from kg.sparql import load as L
from kg.write.nquads import GRAPH_BASE, LOADED_GRAPH, SHARED_GRAPH, figure_graph, graph_runs

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_proxy_no_credentials")]

NQ = ("--outputs", "nt,ttl,nq")
NQUADS = pyoxigraph.RdfFormat.N_QUADS
INLINE = "PMC2776288__ajtr0001-0001-f3"  # an inline record of the sample
REMOVED = "PMC10033909__d3sc00173c-s1"


def _build(db: Path, out: Path) -> Build:
    build = run_build(out, db, extra=NQ)
    assert build.exit_code == 0
    return build


@pytest.fixture(scope="module")
def sample_nq(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("named-graphs")
    return _build(copy_sample(base / "db"), base / "out")


def _file_quads(path: Path) -> set[pyoxigraph.Quad]:
    return set(pyoxigraph.parse(path=str(path), format=NQUADS))


def _graph_sizes(path: Path) -> dict[str, int]:
    return {run.graph: run.lines for run in graph_runs(path)}


def test_embedded_oxigraph_holds_the_nt_triples_in_a_graph_per_figure(sample_nq: Build) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(sample_nq.outdir / "pfocr.nq"), format=NQUADS)
    quads = list(store.quads_for_pattern(None, None, None))
    assert {q.triple for q in quads} == sample_nq.triples()
    graphs = Counter(q.graph_name.value for q in quads if isinstance(q.graph_name, pyoxigraph.NamedNode))
    assert sum(graphs.values()) == len(quads)  # nothing in the default graph
    assert graphs == _graph_sizes(sample_nq.outdir / "pfocr.nq")
    assert len(graphs) == sample_nq.report["figures_written"] + 1 and SHARED_GRAPH in graphs


def _server_quads(store_url: str) -> set[pyoxigraph.Quad]:
    """Everything `oxigraph serve` holds (a GSP GET of the whole dataset), the load record aside."""
    request = urllib.request.Request(store_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read()
    return {q for q in pyoxigraph.parse(data, NQUADS) if q.graph_name != pyoxigraph.NamedNode(LOADED_GRAPH)}


def test_oxigraph_server_holds_the_nt_triples_in_a_graph_per_figure(sample_nq: Build, tmp_path: Path) -> None:
    nq = sample_nq.outdir / "pfocr.nq"
    with oxigraph_server(tmp_path) as server:
        request = urllib.request.Request(
            server.store_url, data=nq.read_bytes(), method="POST", headers={"Content-Type": "application/n-quads"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204)
        held = _server_quads(server.store_url)
        assert held == _file_quads(nq)
        assert {q.triple for q in held} == sample_nq.triples()
        rows = sparql_select(server.query_url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert rows == [{"n": str(sample_nq.report["figures_written"] + 1)}]


class RecordingHttp(L.Http):
    """The loader's HTTP client, noting each request it makes: (method, graph IRI)."""

    def __init__(self) -> None:
        super().__init__(retries=0)
        self.requests: list[tuple[str, str]] = []

    def _note(self, method: str, url: str) -> None:
        graph = urllib.parse.unquote(url.split("graph=", 1)[1]) if "graph=" in url else url
        self.requests.append((method, graph))

    def send(self, method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             ok_missing: bool = False, before_retry: Callable[[], None] | None = None) -> bytes | None:
        self._note(method, url)
        return super().send(method, url, data, headers, ok_missing, before_retry)

    def stream(self, method: str, url: str, headers: dict[str, str] | None = None, ok_missing: bool = False):  # type: ignore[no-untyped-def]
        self._note(method, url)
        return super().stream(method, url, headers, ok_missing)


def _by_figure(store_url: str, nq: Path) -> tuple[L.ByFigureReport, list[tuple[str, str]]]:
    http = RecordingHttp()  # a new client each time: nothing is remembered outside the store
    report = L.load_by_figure(store_url, nq, http, chunk_size=2000)
    assert http.requests[0] == ("GET", LOADED_GRAPH)
    return report, http.requests[1:]


def test_load_by_figure_sends_only_what_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = copy_sample(tmp_path / "db")
    out = tmp_path / "out"
    nq = out / "pfocr.nq"
    build = _build(db, out)
    graphs = list(_graph_sizes(nq))
    (tmp_path / "by-figure").mkdir()
    (tmp_path / "fresh").mkdir()
    with oxigraph_server(tmp_path / "by-figure") as server, oxigraph_server(tmp_path / "fresh") as fresh:
        # the first load sends every graph (the shared graph, 5,000 lines, in chunks: PUT, then POSTs)
        report, writes = _by_figure(server.store_url, nq)
        assert report.replaced == tuple(graphs) and report.deleted == ()
        assert report.triples == len(build.nt.splitlines())
        assert [w for w in writes if w[0] == "PUT"] == [("PUT", g) for g in graphs] + [("PUT", LOADED_GRAPH)]
        assert {w for w in writes if w[0] == "POST"} == {("POST", SHARED_GRAPH)}
        assert _server_quads(server.store_url) == _file_quads(nq)

        # nothing changed: only the record of digests is read
        assert _by_figure(server.store_url, nq) == (L.ByFigureReport(len(graphs), (), (), 0, 0), [])

        # a description edited: that figure's graph alone
        edit_file(db / "_figures" / f"{INLINE}.md", "description:", "description: Changed.", 1)
        _build(db, out)
        report, writes = _by_figure(server.store_url, nq)
        assert writes == [("PUT", figure_graph(INLINE)), ("PUT", LOADED_GRAPH)]
        assert report.replaced == (figure_graph(INLINE),) and report.triples == _graph_sizes(nq)[figure_graph(INLINE)]
        assert _server_quads(server.store_url) == _file_quads(nq)

        # a gene no other figure names: the figure's graph and the shared graph (its new gene node)
        edit_file(db / "_figures" / f"{INLINE}.md", "  hgnc_symbol: XIAP\n  entrez: '331'",
                  "  hgnc_symbol: TP53\n  entrez: '7157'", 1)
        _build(db, out)
        report, writes = _by_figure(server.store_url, nq)
        assert report.replaced == (figure_graph(INLINE), SHARED_GRAPH) and report.deleted == ()
        assert [w for w in writes if w[0] == "PUT"] == [
            ("PUT", figure_graph(INLINE)), ("PUT", SHARED_GRAPH), ("PUT", LOADED_GRAPH)
        ]
        assert _server_quads(server.store_url) == _file_quads(nq)

        # a record removed: its graph is deleted (through the CLI this time)
        (db / "_figures" / f"{REMOVED}.md").unlink()
        _build(db, out)
        code, _out, err = kg(capsys, "load", server.store_url, nq, "--by-figure", "-q")
        assert code == 0, err
        assert "1 deleted" in err, err
        held = _server_quads(server.store_url)
        assert held == _file_quads(nq)
        assert pyoxigraph.NamedNode(figure_graph(REMOVED)) not in {q.graph_name for q in held}

        # … which is what a fresh load of the last file gives
        report, _writes = _by_figure(fresh.store_url, nq)
        assert report.replaced == tuple(_graph_sizes(nq))
        assert _server_quads(fresh.store_url) == held


def test_load_by_figure_refuses_what_it_cannot_send(
    sample_nq: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = kg(capsys, "load", "http://127.0.0.1:9/store", sample_nq.outdir / "pfocr.nt", "--by-figure")
    assert code == 2 and "no graph name" in err, err  # an N-Triples file: no graph names
    code, _out, err = kg(capsys, "load", "http://127.0.0.1:9/store", sample_nq.outdir / "pfocr.nq", "--by-figure",
                         "--graph", GRAPH_BASE + "x")
    assert code == 2 and "no --graph" in err, err
    lines = (sample_nq.outdir / "pfocr.nq").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.nq"
    broken.write_bytes(lines[0] + lines[1].replace(b"> <", b"> <bad iri", 1))
    with oxigraph_server(tmp_path) as server:
        code, _out, err = kg(capsys, "load", server.store_url, broken, "--by-figure")
        assert code == 2 and "broken.nq:2: not valid N-Quads" in err, err
        assert _server_quads(server.store_url) == set()  # nothing was sent


def test_virtuoso_bulk_loads_the_graphs_and_takes_them_graph_by_graph(
    sample_nq: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = sample_nq.outdir.resolve()
    nq = outdir / "pfocr.nq"
    nt_graph = "https://w3id.org/pfocr-kg/nt"  # outside GRAPH_BASE
    ours = f'FILTER (STRSTARTS(STR(?g), "{GRAPH_BASE}"))'
    with virtuoso_server(tmp_path, allowed=[outdir]) as server:
        # the bulk loader: pfocr.nq's quads keep their graphs; pfocr.nt into a graph of its own
        server.isql(f"ld_dir('{outdir}', 'pfocr.nq', '{GRAPH_BASE}unused'); ld_dir('{outdir}', 'pfocr.nt', "
                    f"'{nt_graph}'); rdf_loader_run(); checkpoint;")
        states = server.isql("SELECT ll_file, ll_state, coalesce(ll_error, 'no error') FROM DB.DBA.LOAD_LIST;")
        assert states.count("no error") == 2, states
        rows = sparql_select(server.sparql_url,
                             f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }} GROUP BY ?g")
        assert {r["g"]: int(r["n"]) for r in rows} == _graph_sizes(nq)
        # the same triples as pfocr.nt, as Virtuoso reads both
        only_nt = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{nt_graph}> {{ ?s ?p ?o }} "
                   f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }} }}")
        only_nq = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} "
                   f"FILTER NOT EXISTS {{ GRAPH <{nt_graph}> {{ ?s ?p ?o }} }} }}")
        assert sparql_select(server.sparql_url, only_nt) == [{"n": "0"}]
        assert sparql_select(server.sparql_url, only_nq) == [{"n": "0"}]
        total = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{nt_graph}> {{ ?s ?p ?o }} }}"
        assert sparql_select(server.sparql_url, total) == [{"n": str(len(sample_nq.triples()))}]

        # graph by graph through its Graph Store endpoint (digest authentication): the bulk-loaded
        # graphs are replaced by the same content, then a second load sends nothing
        monkeypatch.setenv(L.USER_VAR, server.user)
        monkeypatch.setenv(L.PASSWORD_VAR, server.password)
        http = L.Http(L.credentials_by_origin([server.gsp_auth_url]))
        report = L.load_by_figure(server.gsp_auth_url, nq, http, chunk_size=2000)
        assert len(report.replaced) == len(_graph_sizes(nq)) and report.deleted == ()
        rows = sparql_select(server.sparql_url,
                             f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {ours} }} GROUP BY ?g")
        assert {r["g"]: int(r["n"]) for r in rows} == {**_graph_sizes(nq), LOADED_GRAPH: len(_graph_sizes(nq)) + 1}  # a digest a graph, and their count
        assert sparql_select(server.sparql_url, only_nt) == [{"n": "0"}]
        again = L.load_by_figure(server.gsp_auth_url, nq, L.Http(L.credentials_by_origin([server.gsp_auth_url])))
        assert again.replaced == () and again.requests == 0
