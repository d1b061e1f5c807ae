"""The SHACL gate in `kg build` (graph v2): quarantine, validation.ttl, report counts, --no-validate,
--shapes, --engine, --jobs, and what happens to the entity nodes of a quarantined figure.

What the gate should find is worked out from the source records (front matter and TSVs), not read
back from a build: v2 warns once per figure or paper (no keywords, no gene, genes only from alias,
synonym or family matches, no year, no title), so the warnings of any folder of records follow
from their fields (`expected_warnings`). Messages are read from shapes/*.ttl by shape name.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from helpers import FIXTURES, SAMPLE, SEED_FIGID
from helpers.build import Build, run_build
from helpers.expected import (
    EXACT_SOURCES,
    NETWORK_MESSAGE,
    NETWORK_SHAPES,
    SHAPES_NS,
    annotation_iri,
    expected_warnings,
    figids,
    front_matter,
    gene_sources,
    one_report,
    paper_iri,
    record_iri,
    report_graph,
    results,
    shape_message,
)
from helpers.records import clone_record, drop_key, empty_block_keywords, set_key
from rdflib.namespace import RDF, SH

from kg.build.pool import PARALLEL_THRESHOLD
from kg.check.shapes import DEFAULT_SHAPES_DIR
from kg.cli import main

PFOCR = "https://w3id.org/pfocr-kg/vocab#"
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATASET = "https://w3id.org/pfocr-kg/dataset"
GR8 = "PMC10031279__gr8"  # sidecar, automl_pathway
SMALL = "PMC1391919__pgen.0020031.g001"  # inline: 1 gene (UXS1, an alias match), 4 chemicals, no NDEx id
POPPY = "PMC10017456__fpls-14-1084358-g002"  # sidecar, exact ncbigene symbols


# --- reading what a build wrote -----------------------------------------------------------------------


def _figures(build: Build) -> set[str]:
    rows = build.select("SELECT ?f WHERE { ?f a schema:Dataset }")
    return {r["f"].rsplit("/", 1)[1].removesuffix(".html") for r in rows}


def test_shapes_listed_in_the_report_are_the_shapes_folder(seed_build: Build) -> None:
    validation = seed_build.report["validation"]
    assert validation["enabled"] is True and validation["engine"] == "compiled"
    assert validation["shapes"] == sorted(p.name for p in DEFAULT_SHAPES_DIR.glob("*.ttl"))
    assert {"record.ttl", "annotation.ttl", "dataset.ttl"} <= set(validation["shapes"])


# --- the seed ---------------------------------------------------------------------------------------


def test_seed_mention_sources_counted_by_hand() -> None:
    # Counted by hand in the front matter: TNFA), CIAP-2, RIP1, TAB1/TAK1 (→ TAK1), NF-KB, CIAP-1 are
    # alias matches; Caspase ×12 and TGFB ×3 are family (Bioentities) expansions; XIAP, TRAF2 and
    # TAB1/TAK1 (→ TAB1) exact HGNC symbols.
    assert Counter(gene_sources(SAMPLE, SEED_FIGID)) == {
        "hgnc_alias_symbol": 6, "bioentities_symbol": 15, "hgnc_symbol": 3,
    }


def test_seed_has_nothing_to_warn(seed_build: Build) -> None:
    """v1 warned on each of the seed's 21 alias and family rows; v2 warns a figure once, and only
    when none of its genes is an exact match: the seed has three, keywords, a year and a title."""
    assert expected_warnings(SAMPLE, {SEED_FIGID}) == Counter()
    report = seed_build.report
    assert (report["figures_written"], report["quarantined"]) == (1, [])
    validation = report["validation"]
    assert (validation["violations"], validation["warnings"], validation["infos"]) == (0, 0, 0)
    assert validation["by_message"] == {}
    graph = report_graph(seed_build.outdir / "validation.ttl")
    report_node = one_report(graph)
    assert graph.value(report_node, SH.conforms) == rdflib.Literal(True)
    assert list(graph.objects(report_node, SH.result)) == []


# --- the sample: warnings once per figure, as the sources say ----------------------------------------


def test_sample_warnings_are_the_ones_the_sources_call_for(sample_build: Build) -> None:
    expected = expected_warnings(SAMPLE)
    # the sample (tests/fixtures/pfocr-sample/MANIFEST.tsv): 4 figures without a gene row, 3 whose
    # genes are all alias or family matches (PMC1069646, PMC1391919, PMC1440875), all with
    # keywords, years and titles
    assert sorted(Counter(m for _f, m in expected.elements()).values()) == [3, 4]
    assert expected[record_iri(SMALL), shape_message("RecordExactGeneWarning")] == 1
    assert results(sample_build.outdir, SH.Warning) == expected
    assert results(sample_build.outdir) == expected  # nothing else: no violation, no info
    validation = sample_build.report["validation"]
    assert (validation["violations"], validation["warnings"], validation["infos"]) == (0, sum(expected.values()), 0)
    assert validation["by_message"] == {"Warning": dict(Counter(m for _f, m in expected.elements()))}
    assert sample_build.report["quarantined"] == []
    assert sample_build.report["figures_written"] == len(figids(SAMPLE))


def test_no_warning_is_about_an_annotation(sample_build: Build) -> None:
    """v1 wrote one warning per alias-matched row (682 on the sample); v2 none on annotations."""
    alias_rows = sum(
        1 for figid in figids(SAMPLE) for s in gene_sources(SAMPLE, figid) if s not in EXACT_SOURCES
    )
    assert alias_rows > 600  # what v1 warned about, row by row
    assert not [focus for focus, _m in results(sample_build.outdir) if "#m-" in focus]


def test_validation_ttl_is_one_standard_report(sample_build: Build) -> None:
    path = sample_build.outdir / "validation.ttl"
    graph = report_graph(path)
    oxi = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxi) == len(graph)
    report = one_report(graph)
    # SHACL 1.0 §3.6.1: any result, warnings included, means sh:conforms false
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    found = list(graph.objects(report, SH.result))
    assert len(found) == sum(expected_warnings(SAMPLE).values())
    component = {
        shape_message("RecordMentionsGene"): (SH.QualifiedMinCountConstraintComponent, "RecordMentionsGene"),
        shape_message("RecordExactGeneWarning"): (SH.OrConstraintComponent, "RecordExactGeneWarning"),
    }
    for result in found:
        assert (result, RDF.type, SH.ValidationResult) in graph
        for predicate in (SH.focusNode, SH.resultSeverity, SH.sourceConstraintComponent, SH.sourceShape,
                          SH.resultMessage):
            assert len(list(graph.objects(result, predicate))) == 1, (result, predicate)
        assert graph.value(result, SH.resultSeverity) == SH.Warning
        kind, shape = component[str(graph.value(result, SH.resultMessage))]
        assert graph.value(result, SH.sourceConstraintComponent) == kind
        assert graph.value(result, SH.sourceShape) == rdflib.URIRef(SHAPES_NS + shape)
        if shape == "RecordMentionsGene":
            assert graph.value(result, SH.resultPath) == rdflib.URIRef(SCHEMA + "mentions")


# --- a mixed build: the seed, a few sample records, broken copies --------------------------------


def _mixed_db(root: Path) -> dict[str, str]:
    """The seed, PMC1391919, gr8 and poppy, plus copies under new PMC ids: score 1.5 and a gene row
    matched by `mesh` (quarantined), no figtitle (exported, titled by its caption), no year and no
    keywords (warned). Returns role → figid."""
    for figid in (SEED_FIGID, SMALL, GR8, POPPY):
        clone_record(root, figid)
    xiap = "source: hgnc_symbol\n  hgnc_symbol: XIAP"
    return {
        "score": clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5")),
        "mesh_gene": clone_record(root, SEED_FIGID, "PMC9000002",
                                  md=lambda t: t.replace(xiap, xiap.replace("hgnc_symbol\n", "mesh\n"))),
        "untitled": clone_record(root, GR8, "PMC9000003", md=drop_key("figtitle")),
        "undated": clone_record(root, SMALL, "PMC9000004", md=drop_key("year")),
        "no_keywords": clone_record(root, POPPY, "PMC9000005", md=empty_block_keywords),
    }


def _expected_violations(roles: dict[str, str]) -> Counter[tuple[str, str]]:
    return Counter({
        (record_iri(roles["score"]), shape_message("RecordScore")): 1,
        # the XIAP row (word XIAP, symbol XIAP) now says `mesh`: its annotation has a gene for body
        (annotation_iri(roles["mesh_gene"], "XIAP", "mesh"), shape_message("AnnotationBodyFitsSource")): 1,
    })


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict[str, str]]:
    root = tmp_path_factory.mktemp("mixed") / "db"
    roles = _mixed_db(root)
    return run_build(root.parent / "out", root), roles


def test_violations_quarantine_and_the_run_goes_on(mixed: tuple[Build, dict[str, str]]) -> None:
    build, roles = mixed
    report = build.report
    root = build.outdir.parent / "db"
    assert report["records_read"] == 9 == len(figids(root))
    assert report["records_read"] == report["figures_written"] + len(report["quarantined"])
    quarantined = {roles["score"], roles["mesh_gene"]}
    assert {q["figid"] for q in report["quarantined"]} == quarantined
    reasons = {q["figid"]: q["reason"] for q in report["quarantined"]}
    assert reasons[roles["score"]].startswith(f"fails the shapes: {shape_message('RecordScore')} (")
    assert f'= "1.5"^^<{XSD}decimal>' in reasons[roles["score"]]
    assert reasons[roles["mesh_gene"]].startswith(
        f"fails the shapes: {shape_message('AnnotationBodyFitsSource')} (<{annotation_iri(roles['mesh_gene'], 'XIAP', 'mesh')}>"
    )
    assert _figures(build) == set(figids(root)) - quarantined
    held = sorted(p.name for p in (build.outdir / "quarantine").iterdir())
    assert held == sorted(f"{figid}.ttl" for figid in quarantined)
    for name in held:
        triples = list(
            pyoxigraph.parse(path=str(build.outdir / "quarantine" / name), format=pyoxigraph.RdfFormat.TURTLE)
        )
        assert any(t.subject.value == record_iri(name.removesuffix(".ttl")) for t in triples)
    assert build.exit_code == 0
    # a record without figtitle is named by its caption's first sentence, with a field warning
    untitled = roles["untitled"]
    (title,) = [r["n"] for r in build.select(f"SELECT ?n WHERE {{ <{record_iri(untitled)}> schema:name ?n }}")]
    caption = " ".join(str(front_matter(root, untitled)["caption"]).split())
    assert title.endswith(".") and caption.startswith(title) and len(title) <= 200
    assert [(w["figid"], w["field"]) for w in report["warnings"]] == [(untitled, "figtitle")]


@pytest.mark.slow
def test_strict_exits_1_when_the_gate_quarantines(tmp_path: Path) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    assert run_build(tmp_path / "out", root, extra=("--strict",)).exit_code == 1
    clone_record(tmp_path / "good", SEED_FIGID)
    assert run_build(tmp_path / "out2", tmp_path / "good", extra=("--strict",)).exit_code == 0


def test_validation_ttl_holds_violations_and_warnings(mixed: tuple[Build, dict[str, str]]) -> None:
    build, roles = mixed
    root = build.outdir.parent / "db"
    exported = set(figids(root)) - {roles["score"], roles["mesh_gene"]}
    warnings = expected_warnings(root, exported)
    assert warnings == Counter({
        (record_iri(roles["undated"]), shape_message("RecordExactGeneWarning")): 1,
        (record_iri(SMALL), shape_message("RecordExactGeneWarning")): 1,
        (paper_iri("PMC9000004"), shape_message("PaperDatePublishedWarning")): 1,
        (record_iri(roles["no_keywords"]), shape_message("RecordKeywordsWarning")): 1,
    })
    assert results(build.outdir, SH.Warning) == warnings
    assert results(build.outdir, SH.Violation) == _expected_violations(roles)
    assert results(build.outdir, SH.Info) == Counter()
    graph = report_graph(build.outdir / "validation.ttl")
    assert graph.value(one_report(graph), SH.conforms) == rdflib.Literal(False)
    validation = build.report["validation"]
    assert (validation["violations"], validation["warnings"], validation["infos"]) == (2, 4, 0)
    assert validation["by_message"] == {
        "Violation": dict(Counter(m for _f, m in _expected_violations(roles).elements())),
        "Warning": dict(Counter(m for _f, m in warnings.elements())),
    }
    shapes = {
        str(graph.value(r, SH.sourceShape))
        for r in graph.objects(one_report(graph), SH.result)
        if graph.value(r, SH.resultSeverity) == SH.Violation
    }
    assert shapes == {SHAPES_NS + "RecordScore", SHAPES_NS + "AnnotationBodyFitsSource"}


# --- --no-validate --------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_validate_writes_everything_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "db"
    roles = _mixed_db(root)
    build = run_build(tmp_path / "out", root, extra=("--no-validate",))
    report = build.report
    assert report["quarantined"] == []
    assert report["figures_written"] == len(figids(root)) == 9
    assert {roles["score"], roles["mesh_gene"]} <= _figures(build)
    validation = report["validation"]
    assert validation["enabled"] is False
    assert "--no-validate" in validation["note"] and "nothing was checked" in validation["note"]
    assert list((tmp_path / "out" / "quarantine").iterdir()) == []
    assert not (tmp_path / "out" / "validation.ttl").exists()


@pytest.mark.slow
def test_no_validate_does_not_claim_conformance(tmp_path: Path) -> None:
    """A validated build, then an unvalidated one into the same OUTDIR: the old report goes."""
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID)
    run_build(tmp_path / "out", root)
    assert (tmp_path / "out" / "validation.ttl").exists()
    clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5"))
    run_build(tmp_path / "out", root, extra=("--no-validate",))
    assert not (tmp_path / "out" / "validation.ttl").exists()


# --- --shapes DIR ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def custom_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("custom")
    (folder / "shapes").mkdir()
    (folder / "shapes" / "record-network.ttl").write_text(NETWORK_SHAPES, "utf-8")
    return run_build(folder / "out", SAMPLE, extra=("--shapes", str(folder / "shapes")))


@pytest.mark.slow
def test_custom_shapes_replace_ours(custom_build: Build) -> None:
    report = custom_build.report
    with_network = {figid for figid in figids(SAMPLE) if front_matter(SAMPLE, figid).get("ndex")}
    assert len(with_network) == 12  # of 35: the others have `ndex: ''`
    assert _figures(custom_build) == with_network
    quarantined = {q["figid"] for q in report["quarantined"]}
    assert quarantined == set(figids(SAMPLE)) - with_network
    assert all(q["reason"].startswith(f"fails the shapes: {NETWORK_MESSAGE} (") for q in report["quarantined"])
    validation = report["validation"]
    assert validation["shapes"] == ["record-network.ttl"]
    # our shapes are not used: none of our warnings
    assert validation["by_message"] == {"Violation": {NETWORK_MESSAGE: 23}}
    assert sorted(p.name for p in (custom_build.outdir / "quarantine").iterdir()) == sorted(
        f"{f}.ttl" for f in quarantined
    )
    assert results(custom_build.outdir) == Counter({(record_iri(f), NETWORK_MESSAGE): 1 for f in quarantined})
    graph = report_graph(custom_build.outdir / "validation.ttl")
    shapes = {graph.value(r, SH.sourceShape) for r in graph.objects(one_report(graph), SH.result)}
    assert shapes == {rdflib.URIRef("https://example.org/test-shapes#RecordSeeAlso")}
    # the dataset node counts the records written
    (entities,) = custom_build.select(f"SELECT ?n WHERE {{ <{DATASET}> <http://rdfs.org/ns/void#entities> ?n }}")
    assert int(entities["n"]) == 12


def _unusable(name: str, tmp_path: Path) -> Path:
    if name == "missing":
        return tmp_path / "no-such-folder"
    if name == "empty":
        (tmp_path / "empty").mkdir()
        return tmp_path / "empty"
    if name == "not-shapes":  # a folder whose only file is not RDF
        (tmp_path / "notes").mkdir()
        (tmp_path / "notes" / "README.md").write_text("no shapes here\n")
        return tmp_path / "notes"
    return FIXTURES / "shapes" / name


UNUSABLE_SHAPES = [
    pytest.param("missing", "shacl", id="missing-folder"),
    pytest.param("empty", "shacl", id="empty-folder"),
    pytest.param("not-shapes", "shacl", id="folder-without-ttl"),
    pytest.param("broken-syntax", "shacl", id="turtle-syntax-error-shacl"),
    pytest.param("broken-syntax", "pyshacl", id="turtle-syntax-error-pyshacl"),
    pytest.param("broken-constraint", "shacl", id="invalid-shacl-shacl"),
    pytest.param("broken-constraint", "pyshacl", id="invalid-shacl-pyshacl"),
    pytest.param("broken-syntax", "compiled", id="turtle-syntax-error-compiled"),
    pytest.param("broken-constraint", "compiled", id="invalid-shacl-compiled"),
]


@pytest.mark.parametrize(("name", "engine"), UNUSABLE_SHAPES)
def test_unusable_shapes_exit_2_and_write_nothing(
    name: str, engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shapes = _unusable(name, tmp_path)
    out = tmp_path / "out"
    code = main(["build", str(SAMPLE), "-o", str(out), "-q", "--shapes", str(shapes), "--engine", engine])
    assert code == 2
    assert not out.exists()
    assert "kg build: error:" in capsys.readouterr().err


# --- engines and jobs give the same build ---------------------------------------------------------


def _files(outdir: Path) -> dict[str, bytes]:
    names = ["pfocr.nt", "pfocr.ttl", "validation.ttl", "report.json", "pfocr-vocab.ttl"]
    out = {name: (outdir / name).read_bytes() for name in names}
    out.update({f"quarantine/{p.name}": p.read_bytes() for p in sorted((outdir / "quarantine").iterdir())})
    return out


@pytest.mark.slow
def test_both_engines_quarantine_the_same_figures(tmp_path: Path) -> None:
    """The whole sample plus the broken copies, gated by each engine (pySHACL: ~15 s here)."""
    root = tmp_path / "db"
    shutil.copytree(SAMPLE, root)
    roles = _mixed_db(root)
    builds = {
        e: run_build(tmp_path / e, root, extra=("--engine", e, "--jobs", "1")) for e in ("compiled", "shacl", "pyshacl")
    }
    reports = {e: b.report for e, b in builds.items()}
    assert {q["figid"] for q in reports["shacl"]["quarantined"]} == {roles["score"], roles["mesh_gene"]}
    assert reports["shacl"]["quarantined"] == reports["pyshacl"]["quarantined"] == reports["compiled"]["quarantined"]
    validations = {e: dict(r["validation"]) for e, r in reports.items()}
    assert [v.pop("engine") for v in validations.values()] == ["compiled", "shacl", "pyshacl"]
    assert validations["shacl"] == validations["pyshacl"] == validations["compiled"]
    exported = set(figids(root)) - {roles["score"], roles["mesh_gene"]}
    assert results(tmp_path / "pyshacl", SH.Warning) == expected_warnings(root, exported)
    assert results(tmp_path / "pyshacl", SH.Violation) == _expected_violations(roles)
    files = {e: _files(tmp_path / e) for e in builds}
    for e in builds:
        files[e].pop("report.json")
    assert files["shacl"] == files["pyshacl"] == files["compiled"]


@pytest.mark.slow
def test_both_engines_gate_a_few_records_alike(tmp_path: Path) -> None:
    """The same, quick: one record of each kind of result (pySHACL a few seconds)."""
    root = tmp_path / "db"
    clone_record(root, SMALL)  # alias-only warning
    clone_record(root, "PMC10033909__d3sc00173c-s1")  # no gene
    clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5"))
    clone_record(root, SMALL, "PMC9000004", md=drop_key("year"))
    for engine in ("shacl", "pyshacl"):
        run_build(tmp_path / engine, root, extra=("--engine", engine, "--jobs", "1"))
    files = {e: _files(tmp_path / e) for e in ("shacl", "pyshacl")}
    files["shacl"].pop("report.json"), files["pyshacl"].pop("report.json")
    assert files["shacl"] == files["pyshacl"]
    assert results(tmp_path / "pyshacl", SH.Violation) == Counter(
        {(record_iri("PMC9000001__ajtr0001-0001-f3"), shape_message("RecordScore")): 1}
    )
    assert results(tmp_path / "pyshacl", SH.Warning) == expected_warnings(
        root, set(figids(root)) - {"PMC9000001__ajtr0001-0001-f3"}
    )


def _big_corpus(root: Path) -> int:
    """The sample and 6 copies of it under new PMC ids (PMC<k>0<id>), a few of them broken: 245 records."""
    shutil.copytree(SAMPLE, root)
    edits = {
        (1, SEED_FIGID): set_key("pathway_score", "1.5"),
        (2, GR8): set_key("automl_pathway", "1.0000001"),
        (3, SMALL): drop_key("year"),
        (4, POPPY): drop_key("papertitle"),
    }
    for k in range(1, 7):
        for figid in figids(SAMPLE):
            pmc = figid.split("__")[0]
            clone_record(root, figid, f"PMC{k}0{pmc[3:]}", md=edits.get((k, figid)))
    return len(figids(SAMPLE)) * 7


@pytest.mark.slow
def test_jobs_do_not_change_a_byte(tmp_path: Path) -> None:
    root = tmp_path / "db"
    n = _big_corpus(root)
    assert n > PARALLEL_THRESHOLD
    one = run_build(tmp_path / "one", root, extra=("--jobs", "1"))
    run_build(tmp_path / "two", root, extra=("--jobs", "2"))
    assert one.report["records_read"] == n
    assert {q["figid"] for q in one.report["quarantined"]} == {
        f"PMC10{SEED_FIGID[3:]}", f"PMC20{GR8[3:]}",
    }
    quarantined = {q["figid"] for q in one.report["quarantined"]}
    assert results(tmp_path / "one", SH.Warning) == expected_warnings(root, set(figids(root)) - quarantined)
    assert one.report["validation"]["violations"] == 2
    files_one, files_two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert files_one.keys() == files_two.keys()
    for name in files_one:
        assert files_one[name] == files_two[name], name


# --- entity nodes of a quarantined figure ---------------------------------------------------------


@pytest.mark.slow
def test_entities_of_a_quarantined_figure_are_written_only_when_an_exported_figure_links_them(
    tmp_path: Path,
) -> None:
    root = tmp_path / "db"
    # the seed, quarantined (score 1.5) ...
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    # ... and a copy (another paper) without its XIAP gene entry, exported
    other = clone_record(
        root,
        SEED_FIGID,
        "PMC9000001",
        md=lambda t: t.replace(
            "- word: XIAP\n  symbol: XIAP\n  source: hgnc_symbol\n  hgnc_symbol: XIAP\n  entrez: '331'\n", ""
        ),
    )
    build = run_build(tmp_path / "out", root)
    assert [q["figid"] for q in build.report["quarantined"]] == [SEED_FIGID]
    assert _figures(build) == {other}
    subjects = {t.subject.value for t in build.triples()}
    # linked by the exported copy: written
    assert "https://identifiers.org/ncbigene/836" in subjects  # CASP3, a Caspase family member
    assert "http://purl.obolibrary.org/obo/NCBITaxon_9606" in subjects
    assert paper_iri("PMC9000001") in subjects
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC9000001/figure/fig03/" in subjects  # its image
    assert build.report["triples"] == len(build.nt.splitlines())
    # linked only by the quarantined seed: not written
    assert "https://identifiers.org/ncbigene/331" not in subjects  # XIAP
    assert paper_iri("PMC2776288") not in subjects
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/" not in subjects
    assert not any(s.startswith(record_iri(SEED_FIGID)) for s in subjects)
    # a match source the copy still uses (TRAF2, TAB1 are exact HGNC matches)
    assert PFOCR + "hgnc_symbol" in subjects
    # the quarantine file keeps the seed's whole graph, XIAP included
    held = {
        t.subject.value
        for t in pyoxigraph.parse(
            path=str(tmp_path / "out" / "quarantine" / f"{SEED_FIGID}.ttl"),
            format=pyoxigraph.RdfFormat.TURTLE,
        )
    }
    assert {"https://identifiers.org/ncbigene/331", paper_iri("PMC2776288"), record_iri(SEED_FIGID)} <= held
    assert DATASET not in held  # the dataset node is the build's, not a figure's
    # the dataset counts the one record written
    (entities,) = build.select(f"SELECT ?n WHERE {{ <{DATASET}> <http://rdfs.org/ns/void#entities> ?n }}")
    assert entities["n"] == "1"


@pytest.mark.slow
def test_entities_of_a_quarantined_figure_first_in_order_are_still_written_for_a_later_figure(
    tmp_path: Path,
) -> None:
    """Same, with the exported figure sorted before the quarantined one."""
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, "PMC1000001")
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    build = run_build(tmp_path / "out", root)
    assert [q["figid"] for q in build.report["quarantined"]] == [SEED_FIGID]
    subjects = {t.subject.value for t in build.triples()}
    assert "https://identifiers.org/ncbigene/331" in subjects
    assert paper_iri("PMC2776288") not in subjects


# --- rerunning into the same OUTDIR ---------------------------------------------------------------


@pytest.mark.slow
def test_rerun_replaces_quarantine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = tmp_path / "first"
    clone_record(first, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    clone_record(first, GR8)
    build = run_build(out, first)
    assert sorted(p.name for p in (out / "quarantine").iterdir()) == [f"{SEED_FIGID}.ttl"]

    second = tmp_path / "second"
    clone_record(second, SEED_FIGID)
    clone_record(second, GR8, md=set_key("automl_pathway", "1.0000001"))
    build = run_build(out, second)
    assert [q["figid"] for q in build.report["quarantined"]] == [GR8]
    assert sorted(p.name for p in (out / "quarantine").iterdir()) == [f"{GR8}.ttl"]

    third = tmp_path / "third"
    clone_record(third, SEED_FIGID)
    build = run_build(out, third)
    assert build.report["quarantined"] == []
    assert list((out / "quarantine").iterdir()) == []
    assert json.loads((out / "report.json").read_text())["validation"]["violations"] == 0
    graph = report_graph(out / "validation.ttl")
    one_report(graph)
    assert not list(graph.triples((None, SH.resultSeverity, SH.Violation)))  # the old report is gone
    # no temporary or old folders left beside it (the lock file stays: see kg/write/lock.py)
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-build.lock",
        ".kg-cache",
        "pfocr-vocab.ttl",
        "pfocr.nt",
        "pfocr.ttl",
        "quarantine",
        "report.html",
        "report.json",
        "validation.ttl",
    ]
