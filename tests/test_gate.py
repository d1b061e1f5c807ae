"""The SHACL gate in `kg build`: quarantine, validation.ttl, report counts, --no-validate, --shapes,
--engine, --jobs, and what happens to the entity nodes of a quarantined figure."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import yaml
from conftest import FIXTURES, SAMPLE, SEED_FIGID, Build, run_build
from rdflib.namespace import RDF, SH
from test_shapes import clone_record, drop_key, empty_block_keywords, fig_term, figure_iri, message, set_key

from kg.cli import main
from kg.outcomes import PARALLEL_THRESHOLD

ALIAS_WARNING = message("MentionMatchSourceWarning")
SHAPES_NS = "https://w3id.org/pfocr-kg/shapes#"
GR8 = "PMC10031279__gr8"
SMALL = "PMC1391919__pgen.0020031.g001"  # inline, 1 gene, 4 chemicals, no NDEx id
POPPY = "PMC10017456__fpls-14-1084358-g002"
CUSTOM_SHAPES = FIXTURES / "shapes" / "figure-sameas"
SAMEAS_MESSAGE = "a figure links its NDEx network with schema:sameAs"


def _figures(build: Build) -> set[str]:
    rows = build.select("SELECT ?f WHERE { ?f a schema:Dataset }")
    return {r["f"].rsplit("/", 1)[1].removesuffix(".html") for r in rows}


def _report_graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def _one_report(graph: rdflib.Graph) -> rdflib.term.Node:
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    return reports[0]


# --- the seed -------------------------------------------------------------------------------------


def _seed_sources() -> Counter[str]:
    text = (SAMPLE / "_figures" / f"{SEED_FIGID}.md").read_text("utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    return Counter(gene["source"] for gene in front["genes"])


def test_seed_mention_sources_counted_by_hand() -> None:
    # Counted by hand in the front matter: TNFA), CIAP-2, RIP1, TAB1/TAK1 (→ TAK1), NF-KB, CIAP-1 are
    # alias matches; Caspase ×12 and TGFB ×3 are family (Bioentities) expansions; XIAP, TRAF2 and
    # TAB1/TAK1 (→ TAB1) exact HGNC symbols.
    assert _seed_sources() == {"hgnc_alias_symbol": 6, "bioentities_symbol": 15, "hgnc_symbol": 3}


def test_seed_builds_with_no_violation_and_a_warning_per_alias_or_family_mention(seed_build: Build) -> None:
    report = seed_build.report
    assert (report["figures_written"], report["quarantined"]) == (1, [])
    validation = report["validation"]
    assert validation["enabled"] is True and validation["engine"] == "shacl"
    assert validation["shapes"] == [
        "chemical.ttl",
        "disease.ttl",
        "figure.ttl",
        "gene.ttl",
        "mention.ttl",
        "organism.ttl",
        "paper.ttl",
        "vocab.ttl",
    ]
    assert (validation["violations"], validation["warnings"], validation["infos"]) == (0, 6 + 15, 0)
    assert validation["by_message"] == {"Warning": {ALIAS_WARNING: 21}}


def _warned(outdir: Path) -> dict[str, str]:
    """validation.ttl: focus node → source shape, for warnings."""
    graph = _report_graph(outdir / "validation.ttl")
    out = {}
    for result in graph.objects(_one_report(graph), SH.result):
        if graph.value(result, SH.resultSeverity) == SH.Warning:
            out[str(graph.value(result, SH.focusNode))] = str(graph.value(result, SH.sourceShape))
    return out


def test_seed_warnings_are_on_the_non_exact_mentions(seed_build: Build) -> None:
    warned = _warned(seed_build.outdir)
    assert set(warned.values()) == {SHAPES_NS + "MentionMatchSourceWarning"}
    non_exact = seed_build.select(
        "SELECT ?m ?word ?symbol WHERE { ?m pfocr:matchSource ?s ; pfocr:ocrText ?word ; oa:hasBody ?g ."
        " ?g schema:name ?symbol . ?s pfocr:matchKind ?kind FILTER (?kind != pfocr:ExactSymbolMatch) }"
    )
    assert len(non_exact) == 21
    assert set(warned) == {r["m"] for r in non_exact}
    by_word = {(r["word"], r["symbol"]): r["m"] for r in non_exact}
    assert by_word[("RIP1", "KRR1")] in warned
    assert by_word[("TAB1/TAK1", "NR2C2")] in warned
    exact = seed_build.select("SELECT ?m WHERE { ?m pfocr:matchSource pfocr:hgnc_symbol }")
    assert len(exact) == 3 and not {r["m"] for r in exact} & set(warned)


def test_validation_ttl_is_one_standard_report(seed_build: Build) -> None:
    path = seed_build.outdir / "validation.ttl"
    graph = _report_graph(path)
    oxi = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxi) == len(graph)
    report = _one_report(graph)
    # SHACL 1.0 §3.6.1: any result, warnings included, means sh:conforms false
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(report, SH.result))
    assert len(results) == 21
    for result in results:
        assert (result, RDF.type, SH.ValidationResult) in graph
        for predicate in (
            SH.focusNode,
            SH.resultSeverity,
            SH.sourceConstraintComponent,
            SH.sourceShape,
            SH.resultMessage,
        ):
            assert len(list(graph.objects(result, predicate))) == 1, (result, predicate)
        assert graph.value(result, SH.sourceConstraintComponent) == SH.InConstraintComponent
        assert graph.value(result, SH.resultPath) == rdflib.URIRef(
            "https://w3id.org/pfocr-kg/vocab#matchSource"
        )
        assert str(graph.value(result, SH.resultMessage)) == ALIAS_WARNING


# --- a mixed build: the seed, a few sample records, broken copies --------------------------------


def _mixed_db(root: Path) -> dict[str, str]:
    """The seed, PMC1391919, gr8 and poppy, plus copies: score 1.5 (quarantined), no figtitle
    (quarantined), no year (warned). Returns role → figid."""
    for figid in (SEED_FIGID, SMALL, GR8, POPPY):
        clone_record(root, figid)
    return {
        "score": clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5")),
        "untitled": clone_record(root, GR8, "PMC9000002", md=drop_key("figtitle")),
        "undated": clone_record(root, SMALL, "PMC9000003", md=drop_key("year")),
    }


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, dict[str, str]]:
    root = tmp_path_factory.mktemp("mixed") / "db"
    roles = _mixed_db(root)
    return run_build(root.parent / "out", root), roles


def test_violations_quarantine_and_the_run_goes_on(mixed: tuple[Build, dict[str, str]]) -> None:
    build, roles = mixed
    report = build.report
    assert report["records_read"] == 7
    assert report["records_read"] == report["figures_written"] + len(report["quarantined"])
    assert sorted(q["figid"] for q in report["quarantined"]) == sorted([roles["score"], roles["untitled"]])
    reasons = {q["figid"]: q["reason"] for q in report["quarantined"]}
    assert message("FigureScore") in reasons[roles["score"]]
    assert message("FigureName") in reasons[roles["untitled"]]
    assert _figures(build) == {SEED_FIGID, SMALL, GR8, POPPY, roles["undated"]}
    held = sorted(p.name for p in (build.outdir / "quarantine").iterdir())
    assert held == sorted(f"{roles[k]}.ttl" for k in ("score", "untitled"))
    for name in held:
        triples = list(
            pyoxigraph.parse(path=str(build.outdir / "quarantine" / name), format=pyoxigraph.RdfFormat.TURTLE)
        )
        assert any(str(t.subject) == fig_term(name.removesuffix(".ttl")) for t in triples)
    assert build.exit_code == 0
    warnings = report["validation"]["by_message"]["Warning"]
    assert warnings[message("PaperDatePublishedWarning")] == 1


def test_strict_exits_1_when_the_gate_quarantines(tmp_path: Path) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    assert run_build(tmp_path / "out", root, extra=("--strict",)).exit_code == 1


def test_validation_ttl_holds_violations_and_warnings(mixed: tuple[Build, dict[str, str]]) -> None:
    build, roles = mixed
    graph = _report_graph(build.outdir / "validation.ttl")
    report = _one_report(graph)
    assert graph.value(report, SH.conforms) == rdflib.Literal(False)
    severities = Counter(
        str(graph.value(r, SH.resultSeverity)).rsplit("#", 1)[1] for r in graph.objects(report, SH.result)
    )
    validation = build.report["validation"]
    assert severities == {"Violation": validation["violations"], "Warning": validation["warnings"]}
    messages = Counter(
        (str(graph.value(r, SH.resultSeverity)).rsplit("#", 1)[1], str(graph.value(r, SH.resultMessage)))
        for r in graph.objects(report, SH.result)
    )
    assert {
        sev: {m: n for (s, m), n in messages.items() if s == sev} for sev in ("Violation", "Warning")
    } == {sev: validation["by_message"][sev] for sev in ("Violation", "Warning")}
    violations = {
        (str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.sourceShape)))
        for r in graph.objects(report, SH.result)
        if graph.value(r, SH.resultSeverity) == SH.Violation
    }
    assert violations == {
        (figure_iri(roles["score"]), SHAPES_NS + "FigureScore"),
        (figure_iri(roles["untitled"]), SHAPES_NS + "FigureName"),
        (figure_iri(roles["untitled"]), SHAPES_NS + "BioschemasName"),
    }


# --- --no-validate --------------------------------------------------------------------------------


def test_no_validate_writes_everything_and_says_so(tmp_path: Path) -> None:
    root = tmp_path / "db"
    roles = _mixed_db(root)
    build = run_build(tmp_path / "out", root, extra=("--no-validate",))
    report = build.report
    assert report["quarantined"] == []
    assert report["figures_written"] == 7
    assert {roles["score"], roles["untitled"]} <= _figures(build)
    validation = report["validation"]
    assert validation["enabled"] is False
    assert "--no-validate" in validation["note"] and "nothing was checked" in validation["note"]
    assert list((tmp_path / "out" / "quarantine").iterdir()) == []


def test_no_validate_does_not_claim_conformance(tmp_path: Path) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    run_build(tmp_path / "out", root, extra=("--no-validate",))
    path = tmp_path / "out" / "validation.ttl"
    if path.exists():
        graph = _report_graph(path)
        assert graph.value(_one_report(graph), SH.conforms) != rdflib.Literal(True)


# --- --shapes DIR ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def custom_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_build(
        tmp_path_factory.mktemp("custom") / "out", SAMPLE, extra=("--shapes", str(CUSTOM_SHAPES))
    )


def test_custom_shapes_replace_ours(custom_build: Build, sample_build: Build) -> None:
    report = custom_build.report
    with_network = {
        r["f"].rsplit("/", 1)[1].removesuffix(".html")
        for r in sample_build.select("SELECT ?f WHERE { ?f a schema:Dataset ; schema:sameAs ?n }")
    }
    assert len(with_network) == 12
    assert _figures(custom_build) == with_network
    quarantined = {q["figid"] for q in report["quarantined"]}
    assert len(quarantined) == 23 and quarantined == _figures(sample_build) - with_network
    assert all(q["reason"].startswith(f"fails the shapes: {SAMEAS_MESSAGE} (") for q in report["quarantined"])
    validation = report["validation"]
    assert validation["shapes"] == ["figure-sameas.ttl"]
    # our shapes are not used: no alias warnings
    assert validation["by_message"] == {"Violation": {SAMEAS_MESSAGE: 23}}
    assert sorted(p.name for p in (custom_build.outdir / "quarantine").iterdir()) == sorted(
        f"{f}.ttl" for f in quarantined
    )
    graph = _report_graph(custom_build.outdir / "validation.ttl")
    shapes = {graph.value(r, SH.sourceShape) for r in graph.objects(_one_report(graph), SH.result)}
    assert shapes == {rdflib.URIRef("https://example.org/test-shapes#FigureSameAs")}


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
    pytest.param(
        "broken-syntax",
        "shacl",
        id="turtle-syntax-error-shacl",
    ),
    pytest.param(
        "broken-syntax",
        "pyshacl",
        id="turtle-syntax-error-pyshacl",
    ),
    pytest.param(
        "broken-constraint",
        "shacl",
        id="invalid-shacl-shacl",
    ),
    pytest.param(
        "broken-constraint",
        "pyshacl",
        id="invalid-shacl-pyshacl",
    ),
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
    names = ["pfocr.nt", "pfocr.ttl", "validation.ttl", "report.json"]
    out = {name: (outdir / name).read_bytes() for name in names}
    out.update({f"quarantine/{p.name}": p.read_bytes() for p in sorted((outdir / "quarantine").iterdir())})
    return out


def test_both_engines_quarantine_the_same_figures(tmp_path: Path) -> None:
    """The whole sample plus broken copies (pySHACL takes ~5 s here)."""
    root = tmp_path / "db"
    shutil.copytree(SAMPLE, root)
    broken = {
        clone_record(root, SEED_FIGID, "PMC9000001", md=set_key("pathway_score", "1.5")),
        clone_record(root, GR8, "PMC9000002", md=drop_key("figtitle")),
        clone_record(root, POPPY, "PMC9000004", md=empty_block_keywords),
    }
    clone_record(root, SMALL, "PMC9000003", md=drop_key("year"))
    builds = {
        e: run_build(tmp_path / e, root, extra=("--engine", e, "--jobs", "1")) for e in ("shacl", "pyshacl")
    }
    reports = {e: b.report for e, b in builds.items()}
    assert {q["figid"] for q in reports["shacl"]["quarantined"]} == broken
    assert reports["shacl"]["quarantined"] == reports["pyshacl"]["quarantined"]
    validations = {e: dict(r["validation"]) for e, r in reports.items()}
    assert (validations["shacl"].pop("engine"), validations["pyshacl"].pop("engine")) == ("shacl", "pyshacl")
    assert validations["shacl"] == validations["pyshacl"]
    assert validations["shacl"]["violations"] >= 3 and validations["shacl"]["warnings"] > 0
    files = {e: _files(tmp_path / e) for e in builds}
    files["shacl"].pop("report.json"), files["pyshacl"].pop("report.json")
    assert files["shacl"] == files["pyshacl"]


def _big_corpus(root: Path) -> int:
    """The sample and 6 copies of it under new PMC ids (PMC<k>0<id>), a few of them broken: 245 records."""
    shutil.copytree(SAMPLE, root)
    figids = sorted(p.stem for p in (SAMPLE / "_figures").glob("*.md"))
    edits = {
        (1, SEED_FIGID): set_key("pathway_score", "1.5"),
        (2, GR8): drop_key("figtitle"),
        (3, SMALL): drop_key("year"),
        (4, POPPY): drop_key("papertitle"),
    }
    for k in range(1, 7):
        for figid in figids:
            pmc = figid.split("__")[0]
            clone_record(root, figid, f"PMC{k}0{pmc[3:]}", md=edits.get((k, figid)))
    return len(figids) * 7


def test_jobs_do_not_change_a_byte(tmp_path: Path) -> None:
    root = tmp_path / "db"
    n = _big_corpus(root)
    assert n > PARALLEL_THRESHOLD
    one = run_build(tmp_path / "one", root, extra=("--jobs", "1"))
    run_build(tmp_path / "two", root, extra=("--jobs", "2"))
    assert one.report["records_read"] == n
    assert len(one.report["quarantined"]) == 2
    assert one.report["validation"]["violations"] >= 2
    files_one, files_two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert files_one.keys() == files_two.keys()
    for name in files_one:
        assert files_one[name] == files_two[name], name


# --- entity nodes of a quarantined figure ---------------------------------------------------------


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
    subjects = {str(t.subject) for t in build.triples()}
    # linked by the exported copy: written
    assert "<https://identifiers.org/ncbigene/836>" in subjects  # CASP3
    assert "<http://purl.obolibrary.org/obo/NCBITaxon_9606>" in subjects
    assert "<https://identifiers.org/pmc/PMC9000001>" in subjects
    # linked only by the quarantined seed: not written
    assert "<https://identifiers.org/ncbigene/331>" not in subjects  # XIAP
    assert "<https://identifiers.org/pmc/PMC2776288>" not in subjects
    assert not any(s.startswith(f"<{figure_iri(SEED_FIGID)}") for s in subjects)
    # a match source the copy still uses (TRAF2, TAB1 are exact HGNC matches)
    assert "<https://w3id.org/pfocr-kg/vocab#hgnc_symbol>" in subjects
    # the quarantine file keeps the seed's whole graph, XIAP included
    held = {
        str(t.subject)
        for t in pyoxigraph.parse(
            path=str(tmp_path / "out" / "quarantine" / f"{SEED_FIGID}.ttl"),
            format=pyoxigraph.RdfFormat.TURTLE,
        )
    }
    assert {
        "<https://identifiers.org/ncbigene/331>",
        "<https://identifiers.org/pmc/PMC2776288>",
        fig_term(SEED_FIGID),
    } <= held
    assert build.report["triples"] == len(build.nt.splitlines())


def test_entities_of_a_quarantined_figure_first_in_order_are_still_written_for_a_later_figure(
    tmp_path: Path,
) -> None:
    """Same, with the exported figure sorted before the quarantined one."""
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, "PMC1000001")
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    build = run_build(tmp_path / "out", root)
    assert [q["figid"] for q in build.report["quarantined"]] == [SEED_FIGID]
    subjects = {str(t.subject) for t in build.triples()}
    assert "<https://identifiers.org/ncbigene/331>" in subjects
    assert "<https://identifiers.org/pmc/PMC2776288>" not in subjects


# --- rerunning into the same OUTDIR ---------------------------------------------------------------


def test_rerun_replaces_quarantine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = tmp_path / "first"
    clone_record(first, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    clone_record(first, GR8)
    build = run_build(out, first)
    assert sorted(p.name for p in (out / "quarantine").iterdir()) == [f"{SEED_FIGID}.ttl"]

    second = tmp_path / "second"
    clone_record(second, SEED_FIGID)
    clone_record(second, GR8, md=drop_key("figtitle"))
    build = run_build(out, second)
    assert [q["figid"] for q in build.report["quarantined"]] == [GR8]
    assert sorted(p.name for p in (out / "quarantine").iterdir()) == [f"{GR8}.ttl"]

    third = tmp_path / "third"
    clone_record(third, SEED_FIGID)
    build = run_build(out, third)
    assert build.report["quarantined"] == []
    assert list((out / "quarantine").iterdir()) == []
    assert json.loads((out / "report.json").read_text())["validation"]["violations"] == 0
    graph = _report_graph(out / "validation.ttl")
    _one_report(graph)
    assert not list(graph.triples((None, SH.resultSeverity, SH.Violation)))  # the old report is gone
    # no temporary or old folders left beside it (the lock file stays: see kg/write/lock.py)
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-build.lock",
        ".kg-cache",
        ".pfocr.nt.spare",  # the previous build's large outputs, which the next one writes over
        ".pfocr.ttl.spare",
        ".validation.ttl.spare",
        "pfocr.nt",
        "pfocr.ttl",
        "quarantine",
        "report.html",
        "report.json",
        "validation.ttl",
    ]
