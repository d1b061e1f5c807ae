"""kg.export.release and kg.export.graph: a release of the seed build (checksums, bytes that do not
change, metadata), and the refusal of an OUTDIR that is not a finished build."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph
import pytest
import yaml
from helpers.build import Build, run_build

from kg.export.graph import ExportError, finished_build, read_build
from kg.export.release import CHECKSUMS, release
from kg.write.commit import JOURNAL_NAME


@pytest.fixture(scope="module")
def released(seed_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("release") / "dist"
    release(seed_build.outdir, dist, "2024-05", "2024-05-01")
    return dist


def test_every_file_is_in_the_checksums_and_matches(released: Path) -> None:
    listed = {}
    for line in (released / CHECKSUMS).read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = sorted(p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file())
    assert sorted(listed) == [f for f in files if f != CHECKSUMS] == sorted(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((released / name).read_bytes()).hexdigest() == digest, name
    assert {"pfocr.nt.gz", "pfocr.ttl.gz", "void.ttl", "dataset.jsonld", "pfocr-vocab.ttl", "CITATION.cff",
            ".zenodo.json", "README.md", "kgx/pfocr_nodes.jsonl.gz", "kgx/pfocr_edges.jsonl.gz",
            "kgx/pfocr-kg.yaml"} <= set(listed)


def test_the_dumps_are_the_builds_triples(seed_build: Build, released: Path) -> None:
    for fmt, rdf_format in (("nt", pyoxigraph.RdfFormat.N_TRIPLES), ("ttl", pyoxigraph.RdfFormat.TURTLE)):
        data = gzip.decompress((released / f"pfocr.{fmt}.gz").read_bytes())
        assert set(pyoxigraph.parse(data, format=rdf_format)) == set(
            pyoxigraph.parse((seed_build.outdir / f"pfocr.{fmt}").read_bytes(), format=rdf_format))
    header = (released / "pfocr.nt.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0" and not header[3] & 0x08  # gzip: mtime 0, no file name


def test_same_build_and_options_same_bytes(seed_build: Build, released: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    release(seed_build.outdir, again, "2024-05", "2024-05-01")
    assert (again / CHECKSUMS).read_bytes() == (released / CHECKSUMS).read_bytes()
    release(seed_build.outdir, again, "2024-06", "2024-05-01")  # an earlier release is replaced
    assert (again / CHECKSUMS).read_bytes() != (released / CHECKSUMS).read_bytes()


def test_citation_and_zenodo_name_pfocr_its_license_and_the_release(released: Path) -> None:
    cff = yaml.safe_load((released / "CITATION.cff").read_text("utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"] == "2024-05" and cff["date-released"] == "2024-05-01"
    assert cff["license"] == "CC0-1.0" and cff["preferred-citation"]["doi"] == "10.1186/s13059-020-02181-2"
    zenodo = json.loads((released / ".zenodo.json").read_text("utf-8"))
    assert zenodo["license"] == "cc-zero" and zenodo["upload_type"] == "dataset"
    assert zenodo["version"] == "2024-05" and zenodo["publication_date"] == "2024-05-01"
    assert {"identifier": "https://pfocr.wikipathways.org/", "relation": "isDerivedFrom", "resource_type": "dataset",
            "scheme": "url"} in zenodo["related_identifiers"]
    assert yaml.safe_load((released / "kgx" / "pfocr-kg.yaml").read_text()) == {"build": "2024-05"}
    assert all("%PFOCR_2024-05%" in line for p in (released / "gmt").glob("*.gmt") for line in p.read_text().splitlines())


def test_a_folder_that_is_not_a_release_is_left_alone(seed_build: Build, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="not a release folder"):
        release(seed_build.outdir, tmp_path, "1", None)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_unfinished_outdir_is_refused(seed_build: Build, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no such folder"):
        finished_build(tmp_path / "missing")
    with pytest.raises(ExportError, match="report.json is missing"):
        finished_build(tmp_path)
    (tmp_path / "report.json").write_text("{}")
    (tmp_path / JOURNAL_NAME).write_text('{"steps": []}')
    with pytest.raises(ExportError, match="mix of two builds"):
        read_build(tmp_path)


@pytest.mark.slow
def test_the_seed_folder_builds_and_exports(tmp_path: Path) -> None:
    """All five seed records (seeds/, both formats) built with every output, read and released:
    the real pfocr.nq (one named graph per figure) goes in with the other dumps."""
    from helpers import SEEDS

    build = run_build(tmp_path / "out", SEEDS, extra=("--outputs", "nt,ttl,jsonld,nq"))
    graph = read_build(build.outdir)
    assert len(graph.figures) == build.report["figures_written"] == 5
    summary = release(build.outdir, tmp_path / "dist")
    assert summary.kgx.edges > 0 and summary.gmt.files
    assert {"pfocr.nt.gz", "pfocr.ttl.gz", "pfocr.jsonld.gz", "pfocr.nq.gz"} <= set(summary.files)
    quads = list(pyoxigraph.parse(gzip.decompress((tmp_path / "dist" / "pfocr.nq.gz").read_bytes()),
                                  format=pyoxigraph.RdfFormat.N_QUADS))
    assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads} == build.triples()


def test_a_release_version_other_than_the_builds_is_refused(seed_build: Build, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "report.json").write_bytes((seed_build.outdir / "report.json").read_bytes())
    (outdir / "pfocr.nt").write_bytes((seed_build.outdir / "pfocr.nt").read_bytes()
                                      + b'<https://w3id.org/pfocr-kg/dataset> <http://purl.org/pav/version> "9" .\n')
    with pytest.raises(ExportError, match="--release 10 differs from the build's 9"):
        release(outdir, tmp_path / "dist", "10", None)
    assert release(outdir, tmp_path / "dist", None, None).version == "9"


def test_a_failed_release_leaves_the_earlier_one_as_it_was(seed_build: Build, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.export.release as release_module

    dist = tmp_path / "dist"
    release(seed_build.outdir, dist, "1", None)
    before = {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*") if p.is_file()}

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(release_module, "export_gmt", broken)
    with pytest.raises(OSError, match="No space left"):
        release(seed_build.outdir, dist, "2", None)
    assert {p.relative_to(dist): p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]  # no temporary left


def test_n_quads_are_released_when_the_build_has_them(seed_build: Build, tmp_path: Path) -> None:
    """`kg build --format nq` writes pfocr.nq (one named graph per figure); a stand-in made here
    from pfocr.nt, every triple in one named graph, goes into the release as pfocr.nq.gz."""
    outdir = tmp_path / "out"
    outdir.mkdir()
    for name in ("report.json", "pfocr.nt", "pfocr-vocab.ttl"):
        (outdir / name).write_bytes((seed_build.outdir / name).read_bytes())
    graph = pyoxigraph.NamedNode("https://pfocr.wikipathways.org/figures/PMC2776288__ajtr0001-0001-f3.html")
    triples = list(pyoxigraph.parse((outdir / "pfocr.nt").read_bytes(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    (outdir / "pfocr.nq").write_bytes(pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"")
    summary = release(outdir, tmp_path / "dist")
    assert "pfocr.nq.gz" in summary.files
    released = list(pyoxigraph.parse(gzip.decompress((tmp_path / "dist" / "pfocr.nq.gz").read_bytes()),
                                     format=pyoxigraph.RdfFormat.N_QUADS))
    assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in released} == {
        pyoxigraph.Triple(t.subject, t.predicate, t.object) for t in triples}
    void = (tmp_path / "dist" / "void.ttl").read_text("utf-8")
    assert "pfocr.nq.gz" in void and "N-Quads" in void
    assert "| `pfocr.nq.gz` |" in (tmp_path / "dist" / "README.md").read_text("utf-8")
