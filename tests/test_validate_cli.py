"""`kg validate DATA... [--shapes DIR] [--format F] [--report FILE] [--fail-on S]`, through kg.cli.main."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from conftest import FIXTURES, SEED_FIGID, Build, run_build
from rdflib.namespace import RDF, SH
from test_shapes import clone_record, figure_iri, message, set_key

from kg.cli import main

ALIAS_WARNING = message("MentionMatchSourceWarning")
SHAPES_NS = "https://w3id.org/pfocr-kg/shapes#"
CUSTOM_SHAPES = FIXTURES / "shapes" / "figure-sameas"
SAMEAS_MESSAGE = "a figure links its NDEx network with schema:sameAs"
SMALL = "PMC1391919__pgen.0020031.g001"  # inline, no NDEx id, one alias-matched gene


def validate(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["validate", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def seed_summary(triples: int, engine: str = "shacl") -> str:
    return f"{triples} triples checked with {engine}: 0 violations, 21 warnings, 0 infos\n"


SEED_WARNING_LINE = f"  Warning ×21 {ALIAS_WARNING}  [<{SHAPES_NS}MentionMatchSourceWarning>]\n"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("small") / "db"
    clone_record(root, SMALL)
    return run_build(root.parent / "out", root)


@pytest.mark.parametrize("name", ["pfocr.ttl", "pfocr.nt"])
def test_build_output_conforms(name: str, seed_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, seed_build.outdir / name)
    assert (code, err) == (0, "")
    lines = out.splitlines(keepends=True)
    assert lines[0] == seed_summary(seed_build.report["triples"])
    assert lines[1] == SEED_WARNING_LINE
    examples = [l for l in lines[2:] if l.startswith("      e.g. <")]
    assert len(examples) == 3 == len(lines) - 2  # --examples defaults to 3
    assert all(f"{figure_iri(SEED_FIGID)}#mention-" in l for l in examples)


def test_examples_option(seed_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--examples", "1")
    assert code == 0 and out.count("e.g.") == 1


def test_pyshacl_engine_gives_the_same_summary(seed_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--engine", "pyshacl")
    assert code == 0
    assert out.splitlines(keepends=True)[:2] == [
        seed_summary(seed_build.report["triples"], "pyshacl"),
        SEED_WARNING_LINE,
    ]


def _write_other_syntaxes(seed_build: Build, folder: Path) -> dict[str, Path]:
    triples = seed_build.triples()
    jsonld = folder / "seed.jsonld"
    pyoxigraph.serialize(triples, str(jsonld), format=pyoxigraph.RdfFormat.JSON_LD)
    rdfxml = folder / "seed.rdf"
    rdflib.Graph().parse(data=seed_build.nt.decode("utf-8"), format="nt").serialize(rdfxml, format="xml")
    return {"jsonld": jsonld, "rdfxml": rdfxml}


@pytest.mark.parametrize("fmt", ["jsonld", "rdfxml"])
def test_json_ld_and_rdf_xml(
    fmt: str, seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_other_syntaxes(seed_build, tmp_path)[fmt]
    code, out, err = validate(capsys, path)
    assert (code, err) == (0, "")
    assert out.splitlines(keepends=True)[:2] == [
        seed_summary(seed_build.report["triples"]),
        SEED_WARNING_LINE,
    ]
    # the same file under a name that says nothing: --format tells
    blind = tmp_path / "seed.data"
    blind.write_bytes(path.read_bytes())
    code, out, err = validate(capsys, blind)
    assert code == 2 and out == ""
    assert (
        err
        == f"kg validate: error: {blind}: unknown RDF format (use --format turtle|ntriples|jsonld|rdfxml)\n"
    )
    code, out, _ = validate(capsys, blind, "--format", fmt)
    assert code == 0 and out.startswith(seed_summary(seed_build.report["triples"]))


def test_format_overrides_the_extension(
    seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # N-Triples is Turtle: a .nt file read as Turtle gives the same graph
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--format", "turtle")
    assert code == 0 and out.startswith(seed_summary(seed_build.report["triples"]))
    # Turtle is not N-Triples
    code, _, err = validate(capsys, seed_build.outdir / "pfocr.ttl", "--format", "ntriples")
    assert code == 2 and "syntax error at line 1, column" in err


def test_several_files_are_one_data_graph(
    seed_build: Build, small_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.ttl", small_build.outdir / "pfocr.nt")
    assert code == 0
    total = seed_build.report["triples"] + small_build.report["triples"]
    assert out.startswith(f"{total} triples checked with shacl: 0 violations, 22 warnings, 0 infos\n")
    assert f"  Warning ×22 {ALIAS_WARNING}" in out


GENE_NAME = '<https://identifiers.org/ncbigene/331> <http://schema.org/name> "XIAP" .\n'


@pytest.fixture
def broken_nt(seed_build: Build, tmp_path: Path) -> Path:
    """The seed's N-Triples with XIAP's name removed and the score turned to 1.5."""
    text = seed_build.nt.decode("utf-8")
    assert GENE_NAME in text and '"0.924795"^^' in text
    path = tmp_path / "broken.nt"
    path.write_text(text.replace(GENE_NAME, "").replace('"0.924795"^^', '"1.5"^^'), "utf-8")
    return path


def test_violations_exit_1_with_message_and_example(
    broken_nt: Path, seed_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = validate(capsys, broken_nt)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert (
        lines[0]
        == f"{seed_build.report['triples'] - 1} triples checked with shacl: 2 violations, 21 warnings, 0 infos"
    )
    # violations first (same count: by shape IRI), each with its example focus node, then warnings
    assert lines[1:5] == [
        f"  Violation ×1 {message('FigureScore')}  [<{SHAPES_NS}FigureScore>]",
        f"      e.g. <{figure_iri(SEED_FIGID)}>",
        f"  Violation ×1 {message('GeneName')}  [<{SHAPES_NS}GeneName>]",
        "      e.g. <https://identifiers.org/ncbigene/331>",
    ]
    assert lines[5] == SEED_WARNING_LINE.rstrip("\n")


def test_report_file(broken_nt: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.ttl"
    code, _, _ = validate(capsys, broken_nt, "--report", report)
    assert code == 1
    graph = rdflib.Graph().parse(report, format="turtle")
    assert len(list(pyoxigraph.parse(path=str(report), format=pyoxigraph.RdfFormat.TURTLE))) == len(graph)
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert graph.value(reports[0], SH.conforms) == rdflib.Literal(False)
    results = list(graph.objects(reports[0], SH.result))
    assert len(results) == 23
    severities = sorted(str(graph.value(r, SH.resultSeverity)).rsplit("#", 1)[1] for r in results)
    assert severities == ["Violation"] * 2 + ["Warning"] * 21
    shapes = {
        str(graph.value(r, SH.sourceShape))
        for r in results
        if graph.value(r, SH.resultSeverity) == SH.Violation
    }
    assert shapes == {SHAPES_NS + "GeneName", SHAPES_NS + "FigureScore"}
    for result in results:
        for predicate in (
            SH.focusNode,
            SH.resultSeverity,
            SH.sourceConstraintComponent,
            SH.sourceShape,
            SH.resultMessage,
        ):
            assert graph.value(result, predicate) is not None


@pytest.mark.parametrize("engine", ["shacl", "pyshacl"])
def test_report_file_on_warnings_only_follows_shacl(
    engine: str, seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SHACL 3.6.1: sh:conforms is false as soon as there is any result, warnings included (exit
    status still 0 under --fail-on violation)."""
    report = tmp_path / "report.ttl"
    code, _, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--report", report, "--engine", engine)
    assert code == 0
    graph = rdflib.Graph().parse(report, format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == rdflib.Literal(False)
    assert len(list(graph.objects(node, SH.result))) == 21


@pytest.mark.parametrize(("fail_on", "expected"), [("violation", 0), ("warning", 1), ("info", 1)])
def test_fail_on(fail_on: str, expected: int, seed_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.ttl", "--fail-on", fail_on)
    assert code == expected
    assert out.startswith(seed_summary(seed_build.report["triples"]))


def test_a_quarantined_file_fails_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    run_build(tmp_path / "out", root)
    code, out, _ = validate(capsys, tmp_path / "out" / "quarantine" / f"{SEED_FIGID}.ttl")
    assert code == 1
    assert (
        f"  Violation ×1 {message('FigureScore')}  [<{SHAPES_NS}FigureScore>]\n      e.g. <{figure_iri(SEED_FIGID)}>\n"
        in out
    )


# --- unusable input: exit 2 -----------------------------------------------------------------------


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.ttl"
    code, out, err = validate(capsys, missing)
    assert (code, out) == (2, "")
    assert err == f"kg validate: error: {missing}: no such file\n"


def test_missing_file_among_good_ones(
    seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = validate(capsys, seed_build.outdir / "pfocr.nt", tmp_path / "nowhere.nt")
    assert (code, out) == (2, "") and "no such file" in err


def test_turtle_syntax_error_has_line_and_column(
    seed_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = seed_build.ttl.decode("utf-8")
    assert text.endswith("\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text(text + "<https://example.org/a> <https://example.org/b> oops .\n", "utf-8")
    line = text.count("\n") + 1
    column = len("<https://example.org/a> <https://example.org/b> ") + 1
    code, out, err = validate(capsys, bad)
    assert (code, out) == (2, "")
    assert err.startswith(f"kg validate: error: {bad}: syntax error at line {line}, column {column}: ")
    assert "oops" in err


NT_LINES = [
    '<https://example.org/a> <https://example.org/b> "x" .',
    "<https://example.org/a> <https://example.org/b> <c d> .",
]
JSONLD = '{"@id": "https://example.org/a", "https://example.org/b": [}'


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        # the IRI with a space starts at column 49 of line 2
        ("bad.nt", "\n".join(NT_LINES) + "\n", 2, NT_LINES[1].index("<c d>") + 1),
        # the } that closes no object, column 60
        ("bad.jsonld", JSONLD, 1, JSONLD.index("[}") + 2),
    ],
)
def test_other_syntax_errors_have_line_and_column(
    name: str, text: str, line: int, column: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / name
    bad.write_text(text, "utf-8")
    code, _, err = validate(capsys, bad)
    assert code == 2
    assert err.startswith(f"kg validate: error: {bad}: syntax error at line {line}, column {column}: ")


def test_rdf_xml_syntax_error_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.rdf"
    bad.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="https://example.org/a">\n</rdf:RDF>\n',
        "utf-8",
    )
    code, _, err = validate(capsys, bad)
    assert code == 2
    assert "None" not in err


# --- --shapes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shapes", [CUSTOM_SHAPES, CUSTOM_SHAPES / "figure-sameas.ttl"], ids=["folder", "file"]
)
def test_custom_shapes(
    shapes: Path, seed_build: Build, small_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    # the seed links its NDEx network: nothing to say, not even our alias warnings
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--shapes", shapes)
    assert (code, out) == (
        0,
        f"{seed_build.report['triples']} triples checked with shacl: 0 violations, 0 warnings, 0 infos\n",
    )
    # PMC1391919 has no NDEx id
    code, out, _ = validate(capsys, small_build.outdir / "pfocr.nt", "--shapes", shapes)
    assert code == 1
    assert out.splitlines()[1:] == [
        f"  Violation ×1 {SAMEAS_MESSAGE}  [<https://example.org/test-shapes#FigureSameAs>]",
        f"      e.g. <{figure_iri(SMALL)}>",
    ]


@pytest.mark.parametrize(
    ("shapes", "engine", "expected"),
    [
        pytest.param("missing", "shacl", "no such shapes folder", id="missing-folder"),
        pytest.param(
            FIXTURES / "shapes" / "broken-constraint",
            "shacl",
            "unusable shapes: invalid shapes graph",
            id="invalid-shacl-shacl",
        ),
        pytest.param(
            FIXTURES / "shapes" / "broken-constraint",
            "pyshacl",
            "unusable shapes",
            id="invalid-shacl-pyshacl",
        ),
        pytest.param(
            FIXTURES / "shapes" / "broken-syntax",
            "shacl",
            "line 10",
            id="turtle-syntax-error",
        ),
    ],
)
def test_unusable_shapes_exit_2(
    shapes: Path | str,
    engine: str,
    expected: str,
    seed_build: Build,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if shapes == "missing":
        shapes = tmp_path / "no-shapes"
    code, out, err = validate(capsys, seed_build.outdir / "pfocr.nt", "--shapes", shapes, "--engine", engine)
    assert (code, out) == (2, "")
    assert err.startswith("kg validate: error: ") and expected in err
