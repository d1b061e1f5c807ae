"""`kg validate DATA... [--shapes DIR] [--format F] [--report FILE] [--fail-on S]`, through kg.cli.main.

`kg validate` runs the whole shapes, SHACL-SPARQL rules included (the build's gate runs their
SHACL Core part). What it should report is worked out from the source records (helpers.expected's
`expected_warnings`) or from the edit a test plants, with messages read from shapes/*.ttl.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from helpers import FIXTURES, SAMPLE, SEED_FIGID
from helpers.build import Build, kg, run_build
from helpers.expected import (
    NETWORK_MESSAGE,
    NETWORK_SHAPES,
    SHAPES_NS,
    expected_warnings,
    front_matter,
    record_iri,
    shape_message,
    shapes_graph,
)
from helpers.records import clone_record, set_key
from rdflib.namespace import RDF, SH

from kg.cli import main

SMALL = "PMC1391919__pgen.0020031.g001"  # inline, no NDEx id, one gene, an alias match
EXACT_GENE = "RecordExactGeneWarning"
VOID = "http://rdfs.org/ns/void#"


def validate(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return kg(capsys, "validate", *args)


def summary(triples: int, violations: int = 0, warnings: int = 0, engine: str = "shacl") -> str:
    return f"{triples} triples checked with {engine}: {violations} violations, {warnings} warnings, 0 infos\n"


def group(severity: str, n: int, shape: str, message: str | None = None) -> str:
    return f"  {severity} ×{n} {message or shape_message(shape)}  [<{SHAPES_NS}{shape}>]\n"


def example(iri: str) -> str:
    return f"      e.g. <{iri}>\n"


def property_message(path: str) -> str:
    """The sh:message of the one property shape (named or not) whose sh:path is <path>."""
    graph = shapes_graph()
    found = {str(m) for shape in graph.subjects(SH.path, rdflib.URIRef(path)) for m in graph.objects(shape, SH.message)}
    assert len(found) == 1, (path, found)
    return found.pop()


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = tmp_path_factory.mktemp("small") / "db"
    clone_record(root, SMALL)
    return run_build(root.parent / "out", root)


def test_the_small_record_warns_once(small_build: Build) -> None:
    """The premise of the tests below, from the source: UXS1 is PMC1391919's only gene, an alias match."""
    assert [g["source"] for g in front_matter(SAMPLE, SMALL)["genes"]] == ["hgnc_alias_symbol"]
    assert set(expected_warnings(SAMPLE, {SMALL})) == {(record_iri(SMALL), shape_message(EXACT_GENE))}
    assert small_build.report["validation"]["warnings"] == 1


@pytest.mark.parametrize("name", ["pfocr.ttl", "pfocr.nt"])
def test_build_output_passes(name: str, small_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, small_build.outdir / name)
    assert (code, err) == (0, "")
    assert out == summary(small_build.report["triples"], warnings=1) + group("Warning", 1, EXACT_GENE) + example(
        record_iri(SMALL)
    )


def test_the_seed_conforms(seed_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = validate(capsys, seed_build.outdir / "pfocr.nt", "--fail-on", "info")
    assert (code, out, err) == (0, summary(seed_build.report["triples"]), "")


@pytest.mark.slow
def test_the_sample_with_its_sparql_rules(sample_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole sample with the whole shapes: the warnings the sources call for and nothing
    else (the SPARQL rules hold); groups by size, examples (3 by default) in IRI order."""
    expected = expected_warnings(SAMPLE)
    by_message: dict[str, list[str]] = {}
    for focus, message in sorted(expected):
        by_message.setdefault(message, []).append(focus)
    shapes = {shape_message(s): s for s in ("RecordMentionsGene", EXACT_GENE)}
    lines = summary(sample_build.report["triples"], warnings=sum(expected.values()))
    for message, nodes in sorted(by_message.items(), key=lambda kv: (-len(kv[1]), shapes[kv[0]])):
        lines += group("Warning", len(nodes), shapes[message]) + "".join(example(n) for n in nodes[:3])
    code, out, _ = validate(capsys, sample_build.outdir / "pfocr.nt")
    assert (code, out) == (0, lines)
    code, out, _ = validate(capsys, sample_build.outdir / "pfocr.nt", "--examples", "1")
    assert code == 0 and out.count("e.g.") == len(by_message) == 2


@pytest.mark.slow
def test_pyshacl_engine_gives_the_same_output(small_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, small_build.outdir / "pfocr.nt", "--engine", "pyshacl")
    assert code == 0
    assert out == summary(small_build.report["triples"], warnings=1, engine="pyshacl") + group(
        "Warning", 1, EXACT_GENE
    ) + example(record_iri(SMALL))


def _write_other_syntaxes(build: Build, folder: Path) -> dict[str, Path]:
    triples = build.triples()
    jsonld = folder / "small.jsonld"
    pyoxigraph.serialize(triples, str(jsonld), format=pyoxigraph.RdfFormat.JSON_LD)
    rdfxml = folder / "small.rdf"
    rdflib.Graph().parse(data=build.nt.decode("utf-8"), format="nt").serialize(rdfxml, format="xml")
    return {"jsonld": jsonld, "rdfxml": rdfxml}


@pytest.mark.parametrize("fmt", ["jsonld", "rdfxml"])
def test_json_ld_and_rdf_xml(
    fmt: str, small_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_other_syntaxes(small_build, tmp_path)[fmt]
    code, out, err = validate(capsys, path)
    assert (code, err) == (0, "")
    expected = summary(small_build.report["triples"], warnings=1) + group("Warning", 1, EXACT_GENE)
    assert out.startswith(expected)
    # the same file under a name that says nothing: --format tells
    blind = tmp_path / "small.data"
    blind.write_bytes(path.read_bytes())
    code, out, err = validate(capsys, blind)
    assert code == 2 and out == ""
    assert (
        err
        == f"kg validate: error: {blind}: unknown RDF format (use --syntax turtle|ntriples|jsonld|rdfxml)\n"
    )
    code, out, _ = validate(capsys, blind, "--format", fmt)
    assert code == 0 and out.startswith(expected)


def test_format_overrides_the_extension(
    small_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    # N-Triples is Turtle: a .nt file read as Turtle gives the same graph
    code, out, _ = validate(capsys, small_build.outdir / "pfocr.nt", "--format", "turtle")
    assert code == 0 and out.startswith(summary(small_build.report["triples"], warnings=1))
    # Turtle is not N-Triples
    code, _, err = validate(capsys, small_build.outdir / "pfocr.ttl", "--format", "ntriples")
    assert code == 2 and "syntax error at line 1, column" in err


def test_several_files_are_one_data_graph(
    seed_build: Build, small_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two builds checked together are one graph: their one dataset node
    (<https://w3id.org/pfocr-kg/dataset>) then has each build's triple count, which the dataset
    shape refuses, while each build alone passes."""
    dataset = "https://w3id.org/pfocr-kg/dataset"
    assert seed_build.report["triples"] != small_build.report["triples"]
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.ttl", small_build.outdir / "pfocr.nt")
    assert code == 1
    total = len(seed_build.triples() | small_build.triples())  # a triple in both files counts once
    assert total < seed_build.report["triples"] + small_build.report["triples"]  # the shared nodes, say
    assert out.splitlines(keepends=True) == [
        summary(total, violations=1, warnings=1),
        f"  Violation ×1 {property_message(VOID + 'triples')}\n",  # a blank property shape: no [shape]
        example(dataset),
        group("Warning", 1, EXACT_GENE),
        example(record_iri(SMALL)),
    ]


GENE_NAME = '<https://identifiers.org/ncbigene/331> <http://schema.org/name> "XIAP" .\n'
GENE_ID = '<https://identifiers.org/ncbigene/331> <http://schema.org/identifier> "331" .\n'


@pytest.fixture
def broken_nt(seed_build: Build, tmp_path: Path) -> Path:
    """The seed's N-Triples with XIAP's name removed, its identifier 332 (which only the SPARQL
    rule GeneIdentifierIsIri sees) and the score turned to 1.5."""
    text = seed_build.nt.decode("utf-8")
    score = f'"{front_matter(SAMPLE, SEED_FIGID)["pathway_score"]}"^^'
    assert GENE_NAME in text and GENE_ID in text and score in text
    path = tmp_path / "broken.nt"
    path.write_text(
        text.replace(GENE_NAME, "").replace(GENE_ID, GENE_ID.replace('"331"', '"332"')).replace(score, '"1.5"^^'),
        "utf-8",
    )
    return path


BROKEN_SHAPES = {"GeneName", "GeneRules", "RecordScore"}


def test_violations_exit_1_with_message_and_example(
    broken_nt: Path, seed_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = validate(capsys, broken_nt)
    assert (code, err) == (1, "")
    # violations first (same count: by shape IRI), each with its example focus node
    assert out.splitlines(keepends=True) == [
        summary(seed_build.report["triples"] - 1, violations=3),
        group("Violation", 1, "GeneName"),
        example("https://identifiers.org/ncbigene/331"),
        group("Violation", 1, "GeneRules", shape_message("GeneIdentifierIsIri")),
        example("https://identifiers.org/ncbigene/331"),
        group("Violation", 1, "RecordScore"),
        example(record_iri(SEED_FIGID)),
    ]


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
    assert len(results) == 3
    assert {graph.value(r, SH.resultSeverity) for r in results} == {SH.Violation}
    assert {str(graph.value(r, SH.sourceShape)) for r in results} == {SHAPES_NS + s for s in BROKEN_SHAPES}
    sparql = [r for r in results if graph.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent]
    assert [(str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.value))) for r in sparql] == [
        ("https://identifiers.org/ncbigene/331", "332")
    ]
    for result in results:
        for predicate in (SH.focusNode, SH.resultSeverity, SH.sourceConstraintComponent, SH.sourceShape,
                          SH.resultMessage):
            assert graph.value(result, predicate) is not None


@pytest.mark.parametrize("engine", ["shacl", pytest.param("pyshacl", marks=pytest.mark.slow)])
def test_report_file_on_warnings_only_follows_shacl(
    engine: str, small_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SHACL 3.6.1: sh:conforms is false as soon as there is any result, warnings included (exit
    status still 0 under --fail-on violation)."""
    report = tmp_path / "report.ttl"
    code, _, _ = validate(capsys, small_build.outdir / "pfocr.nt", "--report", report, "--engine", engine)
    assert code == 0
    graph = rdflib.Graph().parse(report, format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == rdflib.Literal(False)
    (result,) = graph.objects(node, SH.result)
    assert graph.value(result, SH.resultSeverity) == SH.Warning
    assert str(graph.value(result, SH.focusNode)) == record_iri(SMALL)


@pytest.mark.parametrize(("fail_on", "expected"), [("violation", 0), ("warning", 1), ("info", 1)])
def test_fail_on(fail_on: str, expected: int, small_build: Build, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = validate(capsys, small_build.outdir / "pfocr.ttl", "--fail-on", fail_on)
    assert code == expected
    assert out.startswith(summary(small_build.report["triples"], warnings=1))


def test_a_quarantined_file_fails_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    clone_record(root, SEED_FIGID, md=set_key("pathway_score", "1.5"))
    run_build(tmp_path / "out", root)
    code, out, _ = validate(capsys, tmp_path / "out" / "quarantine" / f"{SEED_FIGID}.ttl")
    assert code == 1
    assert out.splitlines(keepends=True)[1:] == [group("Violation", 1, "RecordScore"), example(record_iri(SEED_FIGID))]


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


@pytest.fixture(scope="module")
def network_shapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    (folder / "record-network.ttl").write_text(NETWORK_SHAPES, "utf-8")
    return folder


@pytest.mark.parametrize("as_file", [False, True], ids=["folder", "file"])
def test_custom_shapes(
    as_file: bool, network_shapes: Path, seed_build: Build, small_build: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    shapes = network_shapes / "record-network.ttl" if as_file else network_shapes
    # the seed links its NDEx network (its source has an `ndex` id)
    assert front_matter(SAMPLE, SEED_FIGID)["ndex"] and not front_matter(SAMPLE, SMALL)["ndex"]
    code, out, _ = validate(capsys, seed_build.outdir / "pfocr.nt", "--shapes", shapes)
    assert (code, out) == (0, summary(seed_build.report["triples"]))
    # PMC1391919 has none; our own alias warning is not given: our shapes are not used
    code, out, _ = validate(capsys, small_build.outdir / "pfocr.nt", "--shapes", shapes)
    assert code == 1
    assert out.splitlines(keepends=True)[1:] == [
        f"  Violation ×1 {NETWORK_MESSAGE}  [<https://example.org/test-shapes#RecordSeeAlso>]\n",
        example(record_iri(SMALL)),
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


@pytest.mark.parametrize("content", ["", "{\"a\": 1}"], ids=["empty", "json-not-jsonld"])
def test_data_without_triples_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    path = tmp_path / ("data.nt" if not content else "data.jsonld")
    path.write_text(content, "utf-8")
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "no triples to check" in err and str(path) in err


def test_report_into_a_missing_folder_is_one_line(seed_build: Build, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "missing" / "report.ttl"
    assert main(["validate", str(seed_build.outdir / "pfocr.nt"), "--report", str(report)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write the report" in err and str(report) in err
