"""kg.write.nquads: `kg build --outputs nq` writes pfocr.nt's lines as N-Quads, each in exactly one
graph (one per figure: its record, image, annotations; one shared: entity nodes, dataset node),
grouped by graph, the shared graph last; same input, same bytes. And the reading of that layout
back (graph runs, their digests, their N-Triples) that `kg load --by-figure` sends."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest
from helpers import SAMPLE, SEED_FIGID, SEEDS, figure_iri
from helpers.build import Build, run_build
from helpers.records import clone_record, copy_record, edit_file

from kg import vocab
from kg.write.nquads import (
    FIGURE_GRAPH_BASE,
    SHARED_GRAPH,
    LayoutError,
    figure_graph,
    graph_runs,
    ntriples_of,
)

NQ = ("--outputs", "nt,ttl,nq")
A = vocab.RDF + "type"
ABOUT = vocab.SCHEMA + "about"
DERIVED = vocab.PROV + "wasDerivedFrom"
IMAGE = vocab.SCHEMA + "ImageObject"
POSITION = vocab.SCHEMA + "position"


def _quads(path: Path) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))


def _by_graph(path: Path) -> dict[str, list[pyoxigraph.Triple]]:
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    for quad in _quads(path):
        assert isinstance(quad.graph_name, pyoxigraph.NamedNode), quad  # never the default graph
        graphs[quad.graph_name.value].append(quad.triple)
    return dict(graphs)


def _nt_lines_of_nq(path: Path) -> list[bytes]:
    """Every line of pfocr.nq as N-Triples (graph cut off), through the loader's own reader."""
    return [line for run in graph_runs(path) for piece, _first in ntriples_of(path, run, 1000)
            for line in piece.splitlines(keepends=True)]


@pytest.fixture(scope="module")
def seed_nq(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("seed-nq")
    (root / "_figures").mkdir()
    (root / "_figures" / f"{SEED_FIGID}.md").write_bytes((SEEDS / "_figures" / f"{SEED_FIGID}.md").read_bytes())
    return run_build(root / "out", root, extra=NQ)


@pytest.fixture(scope="module")
def sample_nq(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_build(tmp_path_factory.mktemp("sample-nq") / "out", SAMPLE, extra=NQ)


def _check_graphs(build: Build) -> dict[str, list[pyoxigraph.Triple]]:
    """What holds for every pfocr.nq: each pfocr.nt line in exactly one graph; a graph per
    exported figure holding its record and what hangs off it only; the rest in the shared graph,
    last. Returns the triples by graph."""
    nq = build.outdir / "pfocr.nq"
    assert sorted(_nt_lines_of_nq(nq)) == sorted(build.nt.splitlines(keepends=True))
    graphs = _by_graph(nq)
    assert sum(map(len, graphs.values())) == len(build.nt.splitlines())
    runs = [run.graph for run in graph_runs(nq)]
    assert runs[-1] == SHARED_GRAPH and runs[:-1] == sorted(runs[:-1]) and len(set(runs)) == len(runs)
    assert len(runs) - 1 == build.report["figures_written"]
    for graph in runs[:-1]:
        figid = graph.removeprefix(FIGURE_GRAPH_BASE)
        record = figure_iri(figid)
        triples = graphs[graph]
        images = {t.object.value for t in triples if t.subject.value == record and t.predicate.value == ABOUT}
        pathways = {t.subject.value for t in triples if t.predicate.value == DERIVED and t.object.value == record}
        for t in triples:
            s = t.subject.value
            assert s == record or s.startswith(record + "#") or s in images or s in pathways, (graph, t)
        assert len(images) == 1
    shared = graphs[SHARED_GRAPH]
    for t in shared:
        assert not t.subject.value.startswith((vocab.FIGURE_BASE, vocab.PMC_FIGURE_BASE)), t
    assert any(t.subject.value == vocab.DATASET for t in shared)
    assert any(t.subject.value.startswith(vocab.NCBIGENE_BASE) for t in shared)
    return graphs


def test_the_seed_figure_has_a_graph_and_its_entities_the_shared_graph(seed_nq: Build) -> None:
    graphs = _check_graphs(seed_nq)
    assert set(graphs) == {figure_graph(SEED_FIGID), SHARED_GRAPH}
    mine = graphs[figure_graph(SEED_FIGID)]
    record = figure_iri(SEED_FIGID)
    subjects = {t.subject.value for t in mine}
    assert record in subjects
    assert any(s.startswith(record + "#m-") for s in subjects)  # the annotations
    image = "https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/"
    assert pyoxigraph.Triple(pyoxigraph.NamedNode(image), pyoxigraph.NamedNode(A), pyoxigraph.NamedNode(IMAGE)) in mine
    assert figure_graph(SEED_FIGID) == f"https://w3id.org/pfocr-kg/graph/figures/{SEED_FIGID}"


@pytest.mark.slow
def test_every_sample_figure_has_its_graph_and_the_union_is_pfocr_nt(sample_nq: Build) -> None:
    graphs = _check_graphs(sample_nq)
    assert len(graphs) == 36 and sample_nq.report["figures_written"] == 35


@pytest.mark.slow
def test_same_input_same_bytes(sample_nq: Build, tmp_path: Path) -> None:
    again = run_build(tmp_path / "out", SAMPLE, extra=(*NQ, "--no-cache", "-j", "2"))
    assert (again.outdir / "pfocr.nq").read_bytes() == (sample_nq.outdir / "pfocr.nq").read_bytes()
    assert again.nt == sample_nq.nt


@pytest.mark.slow
def test_an_image_two_figids_show_is_described_with_the_first(tmp_path: Path) -> None:
    """Two figids, one PMC figure: the image's description is in the first figure's graph; what
    the second adds to it (here its position, which the first record lacks) in the second's."""
    db = copy_record(tmp_path / "db", SEED_FIGID)
    second = clone_record(db, SEED_FIGID, new_figid=SEED_FIGID + "b")
    edit_file(db / "_figures" / f"{SEED_FIGID}.md", "number: F3\n", "", 1)
    build = run_build(tmp_path / "out", db, extra=NQ)
    assert build.report["figures_written"] == 2
    graphs = _check_graphs(build)
    image = pyoxigraph.NamedNode("https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/")
    first, then = graphs[figure_graph(SEED_FIGID)], graphs[figure_graph(second)]
    assert pyoxigraph.Triple(image, pyoxigraph.NamedNode(A), pyoxigraph.NamedNode(IMAGE)) in first
    assert [t for t in then if t.subject == image] == [
        pyoxigraph.Triple(image, pyoxigraph.NamedNode(POSITION), pyoxigraph.Literal("F3"))
    ]
    assert not any(t.subject == image and t.predicate.value == POSITION for t in first)


# --- reading the layout back --------------------------------------------------------------------


def test_runs_are_the_graphs_in_file_order_with_digests_of_their_lines(seed_nq: Build, tmp_path: Path) -> None:
    nq = seed_nq.outdir / "pfocr.nq"
    data = nq.read_bytes()
    runs = list(graph_runs(nq))
    assert [r.graph for r in runs] == [figure_graph(SEED_FIGID), SHARED_GRAPH]
    assert runs[0].start == 0 and runs[0].end == runs[1].start and runs[1].end == len(data)
    assert runs[0].first_line == 1 and runs[1].first_line == runs[0].lines + 1
    assert sum(r.lines for r in runs) == len(data.splitlines())
    assert all(r.digest == hashlib.sha256(data[r.start:r.end]).hexdigest() for r in runs)
    # a comment and a blank line inside a graph stay in its run, and line numbers still count
    lines = data.splitlines(keepends=True)
    edited = tmp_path / "commented.nq"
    edited.write_bytes(b"# a comment\n" + b"".join(lines[:3]) + b"\n# here\n" + b"".join(lines[3:]))
    again = list(graph_runs(edited))
    assert [r.graph for r in again] == [r.graph for r in runs]
    assert again[0].first_line == 2 and again[0].lines == runs[0].lines + 2
    assert again[1].first_line == runs[1].first_line + 3
    assert _nt_lines_of_nq(edited) == [*_nt_lines_of_nq(nq)[:3], b"\n", b"# here\n", *_nt_lines_of_nq(nq)[3:]]


def test_a_file_not_grouped_by_graph_is_refused_with_its_line(seed_nq: Build, tmp_path: Path) -> None:
    lines = (seed_nq.outdir / "pfocr.nq").read_bytes().splitlines(keepends=True)
    moved = tmp_path / "moved.nq"
    moved.write_bytes(b"".join(lines[1:]) + lines[0])  # the record's type line after the shared graph
    with pytest.raises(LayoutError, match=rf"moved.nq:{len(lines)}: graph <{figure_graph(SEED_FIGID)}> comes back"):
        list(graph_runs(moved))
    triples = tmp_path / "triples.nq"
    triples.write_bytes(lines[0] + b'<https://example.org/s> <https://example.org/p> "no graph" .\n')
    with pytest.raises(LayoutError, match=r"triples.nq:2: no graph name"):
        list(graph_runs(triples))


def test_an_aborted_writer_leaves_nothing_and_a_finished_one_only_its_temporary(seed_nq: Build, tmp_path: Path) -> None:
    """The shared graph waits in an unnamed file: nothing of it is ever seen in OUTDIR."""
    from kg.write.nquads import NQuadsWriter

    lines = seed_nq.nt.splitlines(keepends=True)
    for finish in (False, True):
        folder = tmp_path / str(finish)
        folder.mkdir()
        writer = NQuadsWriter(folder / "pfocr.nq")
        writer.write_figure(SEED_FIGID, lines[0], [("https://identifiers.org/ncbigene/331", lines[-1])], [])
        if finish:
            writer.finish()
            (temporary,) = folder.iterdir()  # renamed into place by the build's commit
            assert temporary.name.startswith(".pfocr.nq.tmp-")
            assert temporary.read_bytes() == (lines[0].replace(b" .\n", f" <{figure_graph(SEED_FIGID)}> .\n".encode())
                                              + lines[-1].replace(b" .\n", f" <{SHARED_GRAPH}> .\n".encode()))
        else:
            writer.abort()
            assert list(folder.iterdir()) == []
