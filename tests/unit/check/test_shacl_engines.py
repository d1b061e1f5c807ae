"""Both SHACL engines behind kg.check.engine: the W3C SHACL Core suite, and parity on figure-like data.

W3C runner: tests/w3c/core/manifest.ttl and its mf:include chain give the sht:Validate entries; each
runs once per engine (shapes graph compiled from sht:shapesGraph, data from sht:dataGraph, every file
read with its own file:// IRI as base). A case passes when the conforms flag and the multiset of
(focusNode, resultPath, sourceConstraintComponent, resultSeverity, value) equal the expected report's
(sh:resultMessage and sh:sourceShape are not compared, as the suite's README says). Blank nodes are
wildcards: every blank node term becomes "_:*" on both sides, since labels are not comparable across
graphs; complex result paths are compared as SPARQL path text (kg.check.engine renders both sides).
The engine's own report graph must also parse, with the same sh:conforms and number of sh:result.
"""

from __future__ import annotations

import functools
import re
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import rdflib
from helpers import INLINE, NO_GENE, SAMPLE_FIGURES, SHAPES, SIDECAR, W3C_CORE
from helpers.needs import require_module
from rdflib import Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from kg.check import engine as eng
from kg.check.engine import (
    ENGINE_NAMES,
    SH_INFO,
    SH_VIOLATION,
    SH_WARNING,
    EngineUnavailable,
    PyShaclEngine,
    RustShaclEngine,
    ShaclResult,
    ValidationOutcome,
    get_engine,
)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ENGINE_CLASSES = {"pyshacl": PyShaclEngine, "shacl": RustShaclEngine}
MODULES = {"pyshacl": "pyshacl", "shacl": "shacl"}

# rdflib says so whenever it parses or-datatypes-001's ill-typed "none"^^xsd:boolean.
pytestmark = pytest.mark.filterwarnings("ignore:Parsing weird boolean:UserWarning")

# (engine, case id) -> why it fails. Marked xfail(strict=True): a fix turns the test red until the
# entry is removed, and test_w3c_failures_are_exactly_the_known_ones checks the list both ways.
KNOWN_FAILURES: dict[tuple[str, str], str] = {
    # none: both engines pass all 98 cases. (pySHACL passes property/uniqueLang-002 and the exact
    # sh:value comparisons because of how PyShaclEngine parses shapes and data: see its docstring.)
}

Row = tuple[str, str | None, str, str, str | None]  # focus, path, component, severity, value


# --- the manifest --------------------------------------------------------------------------------


@dataclass(frozen=True)
class W3CCase:
    id: str  # the entry IRI relative to tests/w3c/core, e.g. "property/uniqueLang-002"
    data: Path
    shapes: Path
    conforms: bool
    results: tuple[Row, ...]  # expected, blank nodes as "_:*"


def _file_path(iri: Node | None) -> Path:
    parsed = urlparse(str(iri))
    assert parsed.scheme == "file", iri
    return Path(unquote(parsed.path))


def _parse_as_written(path: Path) -> rdflib.Graph:
    """A test file as written: base = its file IRI, literals not normalised (like the engines' data)."""
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        with warnings.catch_warnings():  # or-datatypes-001 expects the ill-typed "none"^^xsd:boolean
            warnings.filterwarnings("ignore", "Parsing weird boolean", UserWarning)
            return rdflib.Graph().parse(path, format="turtle", publicID=path.absolute().as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = saved


def _true(term: Node | None) -> bool:
    """sh:conforms read as the boolean it is (True only for a literal whose value is true)."""
    return isinstance(term, Literal) and term.toPython() is True


def _wild(term: str | None) -> str | None:
    """Blank nodes are wildcards: every blank node label (also inside path text) becomes `_:*`."""
    return None if term is None else re.sub(r"_:[^\s)|/]+", "_:*", term)


def _row(focus: str, path: str | None, component: str, severity: str, value: str | None) -> Row:
    return (_wild(focus) or "", _wild(path), component, severity, _wild(value))


@functools.cache
def w3c_cases() -> tuple[W3CCase, ...]:
    cases: list[W3CCase] = []
    todo, seen = [W3C_CORE.absolute() / "manifest.ttl"], set()
    while todo:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        g = _parse_as_written(path)
        for manifest in g.subjects(RDF.type, MF.Manifest):
            todo.extend(sorted(_file_path(i) for i in g.objects(manifest, MF.include)))
            for entries in g.objects(manifest, MF.entries):
                for entry in Collection(g, entries):
                    if (entry, RDF.type, SHT.Validate) in g:
                        cases.append(_case(g, entry))
    return tuple(sorted(cases, key=lambda c: c.id))


def _case(g: rdflib.Graph, entry: Node) -> W3CCase:
    action, report = g.value(entry, MF.action), g.value(entry, MF.result)
    rows = []
    for result in g.objects(report, SH.result):
        def nt(p: URIRef, result: Node = result) -> str | None:
            value = g.value(result, p)
            return None if value is None else eng.rdflib_term_nt(value)

        path = g.value(result, SH.resultPath)
        rows.append(_row(nt(SH.focusNode) or "", None if path is None else eng.rdflib_path_text(g, path),
                         nt(SH.sourceConstraintComponent) or "", nt(SH.resultSeverity) or "", nt(SH.value)))
    return W3CCase(
        id=_file_path(entry).relative_to(W3C_CORE.absolute()).as_posix(),
        data=_file_path(g.value(action, SHT.dataGraph)),
        shapes=_file_path(g.value(action, SHT.shapesGraph)),
        conforms=_true(g.value(report, SH.conforms)),
        results=tuple(sorted(rows, key=repr)),
    )


def _rows(outcome: ValidationOutcome) -> Counter[Row]:
    return Counter(_row(r.focus_node, r.path, r.component, r.severity, r.value) for r in outcome.results)


@functools.cache
def run_case(engine_name: str, case_id: str) -> tuple[str, ...]:
    """What is wrong with `engine_name` on one W3C case (empty: it passes)."""
    case = next(c for c in w3c_cases() if c.id == case_id)
    try:
        engine = ENGINE_CLASSES[engine_name].from_files([case.shapes])
        outcome = engine.validate_graph_file(case.data, "turtle")
    except EngineUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - an engine's error is a result the case compares
        return (f"error: {type(exc).__name__}: {exc}",)
    problems = []
    if outcome.conforms != case.conforms:
        problems.append(f"conforms {outcome.conforms}, expected {case.conforms}")
    got, want = _rows(outcome), Counter(case.results)
    if got != want:
        problems.append(f"unexpected results {sorted(got - want, key=repr)}; "
                        f"missing results {sorted(want - got, key=repr)}")
    problems.extend(_report_problems(outcome))
    return tuple(problems)


def _report_problems(outcome: ValidationOutcome) -> list[str]:
    """The engine's W3C report graph must agree with the outcome read from it or beside it."""
    g = rdflib.Graph().parse(data=outcome.report("turtle"), format="turtle")
    reports = list(g.subjects(RDF.type, SH.ValidationReport))
    if len(reports) != 1:
        return [f"report graph has {len(reports)} sh:ValidationReport nodes"]
    problems = []
    if _true(g.value(reports[0], SH.conforms)) is not outcome.conforms:
        problems.append("report graph sh:conforms differs from the outcome")
    if len(set(g.objects(reports[0], SH.result))) != len(outcome.results):
        problems.append("report graph has a different number of sh:result")
    return problems


def _require(engine_name: str) -> None:
    require_module(MODULES[engine_name], hint="the SHACL engines: pip install -e '.[test]'")


def _w3c_params() -> list[Any]:
    params = []
    for engine_name in ENGINE_NAMES:
        for case in w3c_cases():
            reason = KNOWN_FAILURES.get((engine_name, case.id))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            if engine_name == "pyshacl":  # the reference engine; the gate's (shacl) runs in the fast subset
                marks.append(pytest.mark.slow)
            params.append(pytest.param(engine_name, case.id, id=f"{engine_name}:{case.id}", marks=marks))
    return params


# --- W3C tests -----------------------------------------------------------------------------------


def test_w3c_manifest_is_complete() -> None:
    cases = w3c_cases()
    assert len(cases) == 98, "the suite's README promises 98 sht:Validate cases"
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.data.is_file() and c.shapes.is_file() for c in cases)
    assert {k[1] for k in KNOWN_FAILURES} <= {c.id for c in cases}, "a known failure names no case"


def test_known_failures_become_strict_xfails(monkeypatch: pytest.MonkeyPatch) -> None:
    case = w3c_cases()[0].id
    monkeypatch.setitem(KNOWN_FAILURES, ("shacl", case), "because")
    params = {p.id: p for p in _w3c_params()}
    (mark,) = params[f"shacl:{case}"].marks
    assert mark.name == "xfail" and mark.kwargs == {"strict": True, "reason": "because"}
    assert "xfail" not in {m.name for m in params[f"pyshacl:{case}"].marks}


@pytest.mark.parametrize(("engine_name", "case_id"), _w3c_params())
def test_w3c_core(engine_name: str, case_id: str) -> None:
    _require(engine_name)
    problems = run_case(engine_name, case_id)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("engine_name", ["shacl", pytest.param("pyshacl", marks=pytest.mark.slow)])
def test_w3c_failures_are_exactly_the_known_ones(engine_name: str) -> None:
    _require(engine_name)
    started = time.perf_counter()
    failing = sorted(c.id for c in w3c_cases() if run_case(engine_name, c.id))
    known = sorted(case for (name, case) in KNOWN_FAILURES if name == engine_name)
    total = len(w3c_cases())
    print(f"\n{engine_name}: W3C SHACL core {total - len(failing)}/{total} pass; failing: {failing or 'none'} "
          f"({time.perf_counter() - started:.2f} s, cached cases included)")
    assert failing == known


# --- parity on figure-like data --------------------------------------------------------------------

PARITY_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <http://schema.org/> .
@prefix t: <https://example.org/test-shapes#> .

t:Figure a sh:NodeShape ;
    sh:targetClass schema:Dataset ;
    sh:nodeKind sh:IRI ;
    sh:pattern "^https://pfocr\\\\.wikipathways\\\\.org/figures/PMC[0-9]+__" ;
    sh:property t:FigureName, t:FigureIdentifier, t:FigureYear, t:FigurePaper, t:FigurePaperId,
        t:FigureScore, t:FigureGene, t:FigureDescription, t:FigureLicense .
t:FigureName a sh:PropertyShape ; sh:path schema:name ;
    sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:message "a figure has one name" .
t:FigureIdentifier a sh:PropertyShape ; sh:path schema:identifier ;
    sh:minCount 1 ; sh:pattern "^PMC[0-9]+__[A-Za-z0-9][A-Za-z0-9._-]*$" .
t:FigureYear a sh:PropertyShape ; sh:path schema:datePublished ; sh:datatype xsd:gYear .
t:FigurePaper a sh:PropertyShape ; sh:path schema:isPartOf ;
    sh:minCount 1 ; sh:class schema:ScholarlyArticle .
t:FigurePaperId a sh:PropertyShape ; sh:path ( schema:isPartOf schema:identifier ) ;
    sh:pattern "^PMC[0-9]+$" .
t:FigureScore a sh:PropertyShape ; sh:path <https://w3id.org/pfocr-kg/vocab#pathwayScore> ;
    sh:datatype xsd:decimal ; sh:maxInclusive 1 .
t:FigureGene a sh:PropertyShape ; sh:path schema:mentions ;
    sh:qualifiedValueShape [ sh:class schema:Gene ] ; sh:qualifiedMinCount 1 ;
    sh:severity sh:Warning ; sh:message "figure mentions no gene" .
t:FigureDescription a sh:PropertyShape ; sh:path schema:description ; sh:minCount 1 ; sh:severity sh:Info .
t:FigureLicense a sh:PropertyShape ; sh:path schema:license ;
    sh:in ( <http://creativecommons.org/publicdomain/zero/1.0/> ) .
t:Paper a sh:NodeShape ; sh:targetClass schema:ScholarlyArticle ;
    sh:property t:PaperFigures .
t:PaperFigures a sh:PropertyShape ; sh:path [ sh:inversePath schema:isPartOf ] ; sh:minCount 1 .
"""

FIG = "https://pfocr.wikipathways.org/figures/PMC1__f1.html"
S = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _figure(fig: str = FIG, drop: tuple[str, ...] = (), extra: tuple[str, ...] = (), **override: str) -> str:
    """N-Triples of one figure, its paper and a gene; `drop` predicates, `override` objects (by local name)."""
    props = {
        "name": '"Wnt signalling"',
        "identifier": '"PMC1__f1"',
        "datePublished": f'"2020"^^<{XSD}gYear>',
        "isPartOf": "<https://identifiers.org/pmc/PMC1>",
        "description": '"caption"',
        "license": "<http://creativecommons.org/publicdomain/zero/1.0/>",
        "mentions": "<https://identifiers.org/ncbigene/7157>",
    }
    props.update(override)
    lines = [f"<{fig}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}Dataset> ."]
    lines += [f"<{fig}> <{S}{k}> {v} ." for k, v in props.items() if k not in drop]
    lines += [
        f"<https://identifiers.org/pmc/PMC1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}ScholarlyArticle> .",
        '<https://identifiers.org/pmc/PMC1> <http://schema.org/identifier> "PMC1" .',
        f"<https://identifiers.org/ncbigene/7157> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{S}Gene> .",
        *extra,
    ]
    return "\n".join(lines) + "\n"


PARITY_CASES = {
    "valid": _figure(),
    "missing-name": _figure(drop=("name",)),
    "two-names-one-tagged": _figure(extra=(f'<{FIG}> <{S}name> "Wnt"@EN-GB .',)),
    "bad-datatype": _figure(datePublished=f'"2020"^^<{XSD}integer>'),
    "non-canonical-literal": _figure(extra=(f'<{FIG}> <https://w3id.org/pfocr-kg/vocab#pathwayScore> "01.50"^^<{XSD}decimal> .',)),
    "pattern": _figure(identifier='"PMC1 f1"'),
    "figure-iri-pattern": _figure(fig="https://example.org/not-a-figure"),
    "class": _figure(isPartOf="<https://identifiers.org/pmc/PMC2>",
                     extra=("<https://identifiers.org/pmc/PMC2> <http://schema.org/identifier> \"x2\" .",)),
    "in": _figure(license="<http://creativecommons.org/licenses/by/4.0/>"),
    "warning-only": _figure(mentions="<https://identifiers.org/mesh/D000001>"),
    "info-only": _figure(drop=("description",)),
    "orphan-paper": _figure(drop=("isPartOf",)),
    "string-escapes": _figure(identifier='"PMC1__f1\\n\\"q\\" \\u00E9\\u0007\\t"'),
}


@pytest.fixture(scope="module")
def engines() -> dict[str, eng.Engine]:
    for name in ENGINE_NAMES:
        _require(name)
    return {name: ENGINE_CLASSES[name].from_turtle(PARITY_SHAPES) for name in ENGINE_NAMES}


def _key(r: ShaclResult) -> tuple[str, str | None, str, str]:
    return (r.focus_node, r.path, r.component, r.severity)


@pytest.mark.parametrize("case", PARITY_CASES)
def test_engines_agree(engines: dict[str, eng.Engine], case: str) -> None:
    ref, fast = (engines[n].validate_ntriples(PARITY_CASES[case]) for n in ("pyshacl", "shacl"))
    print(f"\n{case}: {[(r.component_name, r.severity_name, r.path, r.value) for r in ref.results]}")
    assert ref.conforms == fast.conforms
    assert {_key(r) for r in ref.results} == {_key(r) for r in fast.results}
    # Every shape here has an IRI and the data has no blank nodes, so the whole results are equal
    # strings, value and source shape included (messages are engine-specific and not compared).
    assert ref.results == fast.results
    assert ref.conforms == (not ref.results)


EXPECTED_PARITY = {  # case -> (component local name, severity, path) for the reference engine
    "valid": set(),
    "missing-name": {("MinCountConstraintComponent", "Violation", f"<{S}name>")},
    "two-names-one-tagged": {("MaxCountConstraintComponent", "Violation", f"<{S}name>"),
                             ("DatatypeConstraintComponent", "Violation", f"<{S}name>")},
    "bad-datatype": {("DatatypeConstraintComponent", "Violation", f"<{S}datePublished>")},
    "non-canonical-literal": {("MaxInclusiveConstraintComponent", "Violation",
                               "<https://w3id.org/pfocr-kg/vocab#pathwayScore>")},
    "pattern": {("PatternConstraintComponent", "Violation", f"<{S}identifier>")},
    "figure-iri-pattern": {("PatternConstraintComponent", "Violation", None)},
    "class": {("ClassConstraintComponent", "Violation", f"<{S}isPartOf>"),
              ("PatternConstraintComponent", "Violation", f"(<{S}isPartOf>/<{S}identifier>)"),
              ("MinCountConstraintComponent", "Violation", f"^<{S}isPartOf>")},
    "in": {("InConstraintComponent", "Violation", f"<{S}license>")},
    "warning-only": {("QualifiedMinCountConstraintComponent", "Warning", f"<{S}mentions>")},
    "info-only": {("MinCountConstraintComponent", "Info", f"<{S}description>")},
    "orphan-paper": {("MinCountConstraintComponent", "Violation", f"<{S}isPartOf>"),
                     ("MinCountConstraintComponent", "Violation", f"^<{S}isPartOf>")},
    "string-escapes": {("PatternConstraintComponent", "Violation", f"<{S}identifier>")},
}


@pytest.mark.parametrize("case", PARITY_CASES)
def test_parity_cases_find_what_they_plant(engines: dict[str, eng.Engine], case: str) -> None:
    outcome = engines["pyshacl"].validate_ntriples(PARITY_CASES[case])
    assert {(r.component_name, r.severity_name, r.path) for r in outcome.results} == EXPECTED_PARITY[case]


def test_term_forms(engines: dict[str, eng.Engine]) -> None:
    """Literals print as pyoxigraph prints them, lexical form as written, for both engines."""
    for name, engine in engines.items():
        score = engine.validate_ntriples(PARITY_CASES["non-canonical-literal"]).results[0]
        assert score.value == f'"01.50"^^<{XSD}decimal>', name
        assert score.severity == SH_VIOLATION and score.focus_node == f"<{FIG}>"
        assert score.component == "<http://www.w3.org/ns/shacl#MaxInclusiveConstraintComponent>"
        assert score.source_shape == "<https://example.org/test-shapes#FigureScore>"
        tagged = engine.validate_ntriples(PARITY_CASES["two-names-one-tagged"])
        assert '"Wnt"@en-gb' in {r.value for r in tagged.results}, name
        assert engine.validate_ntriples(PARITY_CASES["warning-only"]).results[0].severity == SH_WARNING
        assert engine.validate_ntriples(PARITY_CASES["info-only"]).results[0].severity == SH_INFO
        named = engine.validate_ntriples(PARITY_CASES["missing-name"]).results[0]
        assert named.message == "a figure has one name", name


def test_blank_nodes_are_labelled(engines: dict[str, eng.Engine]) -> None:
    data = _figure(drop=("name",), fig="https://pfocr.wikipathways.org/figures/PMC1__f1.html").replace(
        f"<{FIG}>", "_:fig")
    for name, engine in engines.items():
        outcome = engine.validate_ntriples(data)
        nodes = {r.focus_node for r in outcome.results if r.component_name == "MinCountConstraintComponent"}
        assert len(nodes) == 1 and next(iter(nodes)).startswith("_:"), name


def test_graph_files_resolve_against_their_own_iri(engines: dict[str, eng.Engine], tmp_path: Path) -> None:
    ttl = tmp_path / "figure data.ttl"
    ttl.write_text(
        "@prefix schema: <http://schema.org/> .\n"
        "<PMC1__f1.html> a schema:Dataset ; schema:identifier \"bad id\" .\n", "utf-8")
    (tmp_path / "same.data").write_text(ttl.read_text("utf-8"), "utf-8")
    results = {}
    for name, engine in engines.items():
        outcome = engine.validate_graph_file(ttl)
        assert outcome.results == engine.validate_graph_file(tmp_path / "same.data", "turtle").results
        assert engine.validate_graph_file(str(ttl), "ttl").results == outcome.results
        results[name] = {_key(r) for r in outcome.results}
        assert {r.focus_node for r in outcome.results} == {f"<{(tmp_path / 'PMC1__f1.html').as_uri()}>"}
    assert results["pyshacl"] == results["shacl"]


def test_report_graph(engines: dict[str, eng.Engine]) -> None:
    for name, engine in engines.items():
        outcome = engine.validate_ntriples(PARITY_CASES["class"])
        for fmt, rdflib_fmt in (("turtle", "turtle"), ("ntriples", "nt")):
            g = rdflib.Graph().parse(data=outcome.report(fmt), format=rdflib_fmt)
            report = g.value(None, RDF.type, SH.ValidationReport)
            assert _true(g.value(report, SH.conforms)) is False, name
            assert len(set(g.objects(report, SH.result))) == len(outcome.results) == 3, name
        with pytest.raises(ValueError):
            outcome.report("jsonld")


def test_results_are_sorted_and_frozen(engines: dict[str, eng.Engine]) -> None:
    data = "".join(_figure(fig=f"https://pfocr.wikipathways.org/figures/PMC{n}__f.html", drop=("name",))
                   for n in (3, 1, 2))
    for engine in engines.values():
        results = engine.validate_ntriples(data).results
        assert list(results) == sorted(results, key=ShaclResult.sort_key)
        with pytest.raises(AttributeError):
            results[0].focus_node = "x"  # type: ignore[misc]


# --- parity on our shapes (SHACL-SPARQL rules included) and graph v2 output ------------------------
#
# The gate checks SHACL Core per figure (kg.check.gate.core_shapes); `kg validate` and these tests
# run the whole shapes, SPARQL constraints included, which both engines implement. A few real
# records are built, then every SPARQL rule is broken in turn by a one-line edit of the build's
# N-Triples; both engines must give the same results, each rule must fire where it is planted.

PF = "https://w3id.org/pfocr-kg/vocab#"
WPV = "http://vocabularies.wikipathways.org/wp#"
OBO = "http://purl.obolibrary.org/obo/"
SPARQL_COMPONENT = f"<{SH}SPARQLConstraintComponent>"


def _rec(figid: str) -> str:
    return f"<https://pfocr.wikipathways.org/figures/{figid}.html>"


def _shapes_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted(SHAPES.glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _sparql_constraints() -> dict[str, str]:
    """Every sh:SPARQLConstraint in shapes/ (local name) → its sh:message."""
    g = _shapes_graph()
    return {str(c).rsplit("#", 1)[1]: str(g.value(c, SH.message)) for c in g.subjects(RDF.type, SH.SPARQLConstraint)}


def _sparql_owner(name: str) -> str:
    """The shape whose sh:sparql is the constraint (a result's sh:sourceShape)."""
    g = _shapes_graph()
    (owner,) = g.subjects(SH.sparql, URIRef(f"https://w3id.org/pfocr-kg/shapes#{name}"))
    return f"<{owner}>"


@pytest.fixture(scope="module")
def full_engines() -> dict[str, eng.Engine]:
    for name in ENGINE_NAMES:
        _require(name)
    shapes = sorted(SHAPES.glob("*.ttl"))
    return {name: get_engine(name, shapes) for name in ENGINE_NAMES}


def _distinct(outcome: ValidationOutcome) -> set[ShaclResult]:
    return set(outcome.results)


def _line(s: str, p: str, o: str) -> str:
    return f"{s} <{p}> {o} .\n"


def _source_gene(figid: str) -> str:
    """The NCBI gene of an inline record's first gene row, from its front matter."""
    text = (SAMPLE_FIGURES / f"{figid}.md").read_text("utf-8")
    entrez = re.search(r"(?m)^  entrez: '([0-9]+)'$", text)
    assert entrez is not None
    return entrez.group(1)


GENE = _source_gene(INLINE)  # 80146, UXS1
GENE_IRI = f"<https://identifiers.org/ncbigene/{GENE}>"
CALCIUM = "<http://id.nlm.nih.gov/mesh/D002118>"  # SIDECAR's chemicals.tsv: mesh D002118, chebi 22984
DISEASE = "<http://id.nlm.nih.gov/mesh/D001259>"  # SIDECAR's diseases.tsv
HUMAN, MOUSE, RAT = (f"<{OBO}NCBITaxon_{n}>" for n in (9606, 10090, 10116))


@dataclass(frozen=True)
class SparqlCase:
    """One SPARQL rule broken by replacing a line of the build (or adding one, `old` empty)."""

    old: str
    new: str
    focus: str
    value: str
    path: str | None = None


SPARQL_CASES: dict[str, SparqlCase] = {
    "RecordIdentifierIsIri": SparqlCase(
        _line(_rec(INLINE), f"{S}identifier", f'"{INLINE}"'), _line(_rec(INLINE), f"{S}identifier", '"PMC1391919__g002"'),
        _rec(INLINE), '"PMC1391919__g002"'),
    "RecordMentionsAreBodies": SparqlCase(
        "", _line(_rec(SIDECAR), f"{S}mentions", GENE_IRI), _rec(SIDECAR), GENE_IRI),
    "RecordBodiesAreMentioned": SparqlCase(
        _line(_rec(SIDECAR), f"{S}mentions", DISEASE), "", _rec(SIDECAR), DISEASE),
    "RecordGeneOrganisms": SparqlCase(
        _line(_rec(SIDECAR), f"{WPV}organism", RAT), "", _rec(SIDECAR), RAT),
    "CountsTaxonIsIri": SparqlCase(
        _line(f"<{_rec(SIDECAR)[1:-1]}#organism-10116>", f"{PF}taxon", RAT),
        _line(f"<{_rec(SIDECAR)[1:-1]}#organism-10116>", f"{PF}taxon", MOUSE),
        f"<{_rec(SIDECAR)[1:-1]}#organism-10116>", MOUSE),
    "ChemicalIdentifierIsIri": SparqlCase(
        _line(CALCIUM, f"{S}identifier", '"D002118"'), _line(CALCIUM, f"{S}identifier", '"D002119"'),
        CALCIUM, '"D002119"'),
    "ChemicalChebiFormsAgree": SparqlCase(
        _line(CALCIUM, "http://www.w3.org/2004/02/skos/core#exactMatch", f"<{OBO}CHEBI_22984>"), "",
        CALCIUM, "<https://identifiers.org/chebi/CHEBI:22984>"),
    "DiseaseIdentifierIsIri": SparqlCase(
        _line(DISEASE, f"{S}identifier", '"D001259"'), _line(DISEASE, f"{S}identifier", '"D001260"'),
        DISEASE, '"D001260"'),
    "GeneIdentifierIsIri": SparqlCase(
        _line(GENE_IRI, f"{S}identifier", f'"{GENE}"'), _line(GENE_IRI, f"{S}identifier", '"80147"'),
        GENE_IRI, '"80147"'),
    "GeneBdbEntrezGeneIsSelf": SparqlCase(
        _line(GENE_IRI, f"{WPV}bdbEntrezGene", GENE_IRI),
        _line(GENE_IRI, f"{WPV}bdbEntrezGene", "<https://identifiers.org/ncbigene/80147>"),
        GENE_IRI, "<https://identifiers.org/ncbigene/80147>"),
    "OrganismIdentifierIsIri": SparqlCase(
        _line(HUMAN, f"{S}identifier", '"9606"'), _line(HUMAN, f"{S}identifier", '"9607"'), HUMAN, '"9607"'),
    "PaperIdentifierIsIri": SparqlCase(
        _line("<https://identifiers.org/pmc/PMC1391919>", f"{S}identifier", '"PMC1391919"'),
        _line("<https://identifiers.org/pmc/PMC1391919>", f"{S}identifier", '"PMC1391920"'),
        "<https://identifiers.org/pmc/PMC1391919>", '"PMC1391920"'),
    # a misspelt term of our namespace: the focus node is the vocabulary, the value the node using it
    "KnownPfocrTerms": SparqlCase(
        "", _line(_rec(INLINE), f"{PF}pathwayscore", f'"0.5"^^<{XSD}decimal>'),
        "<https://w3id.org/pfocr-kg/vocab>", _rec(INLINE), f"<{PF}pathwayscore>"),
}
# Warnings (not violations) written as SPARQL constraints; found in the unedited build already.
SPARQL_WARNINGS: set[str] = set()


def _edit(text: str, case: SparqlCase) -> str:
    if not case.old:
        return text + case.new
    assert text.count(case.old) == 1, case.old
    return text.replace(case.old, case.new)


def _expected(name: str) -> ShaclResult:
    case = SPARQL_CASES[name]
    return ShaclResult(case.focus, case.path, SPARQL_COMPONENT, SH_VIOLATION, _sparql_owner(name), case.value,
                       _sparql_constraints()[name])


def test_every_sparql_rule_has_a_case() -> None:
    assert set(_sparql_constraints()) == set(SPARQL_CASES) | SPARQL_WARNINGS
    assert len(SPARQL_CASES) >= 13


@pytest.mark.slow
def test_engines_agree_on_a_v2_build(few_nt: str, full_engines: dict[str, eng.Engine]) -> None:
    """Real records with the whole shapes: the rules hold (no violation), the one warning each of
    the two records calls for (from its source: PMC1391919's one gene is an alias match,
    PMC10033909 has no gene row), and the same results from both engines."""
    ref, fast = (full_engines[n].validate_ntriples(few_nt) for n in ("pyshacl", "shacl"))
    assert ref.conforms is fast.conforms is False
    assert Counter(ref.results) == Counter(fast.results)
    assert {(r.focus_node, r.severity_name, r.source_shape) for r in fast.results} == {
        (_rec(INLINE), "Warning", "<https://w3id.org/pfocr-kg/shapes#RecordExactGeneWarning>"),
        (_rec(NO_GENE), "Warning", "<https://w3id.org/pfocr-kg/shapes#RecordMentionsGene>"),
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", SPARQL_CASES)
def test_each_sparql_rule_fires_where_it_is_broken(name: str, few_nt: str, full_engines: dict[str, eng.Engine]) -> None:
    """With the fast engine: the edit adds exactly the rule's result, with the rule's own message."""
    base = _distinct(full_engines["shacl"].validate_ntriples(few_nt))
    broken = _distinct(full_engines["shacl"].validate_ntriples(_edit(few_nt, SPARQL_CASES[name])))
    assert broken - base == {_expected(name)}
    assert base - broken == set()
    (found,) = broken - base
    assert found.message == _sparql_constraints()[name]


def _all_broken(text: str) -> str:
    for case in SPARQL_CASES.values():
        text = _edit(text, case)
    return text


@pytest.fixture(scope="module")
def all_broken(few_nt: str, full_engines: dict[str, eng.Engine]) -> tuple[ValidationOutcome, ValidationOutcome]:
    """Every rule broken at once, checked by pySHACL (one run, ~5 s) and shacl."""
    text = _all_broken(few_nt)
    return full_engines["pyshacl"].validate_ntriples(text), full_engines["shacl"].validate_ntriples(text)


@pytest.mark.slow
def test_engines_agree_on_every_sparql_rule(all_broken: tuple[ValidationOutcome, ValidationOutcome]) -> None:
    """The same distinct results from both engines, and every planted break among them."""
    ref, fast = all_broken
    assert ref.conforms is fast.conforms is False
    assert _distinct(ref) == _distinct(fast)
    assert {_expected(name) for name in SPARQL_CASES} <= _distinct(ref)
    assert [r for r in ref.violations if r.component != SPARQL_COMPONENT] == []


@pytest.mark.slow
def test_engines_count_sparql_results_alike(all_broken: tuple[ValidationOutcome, ValidationOutcome]) -> None:
    ref, fast = all_broken
    assert Counter(ref.results) == Counter(fast.results)


@pytest.mark.slow
def test_engines_agree_on_the_sample_with_our_shapes(sample_build: Any) -> None:
    """DESIGN.md: a faster engine may gate only if it agrees with pySHACL on the W3C suite and on
    our data. The whole sample, whole shapes (pySHACL with the SPARQL rules: minutes)."""
    shapes = sorted(SHAPES.glob("*.ttl"))
    for name in ENGINE_NAMES:
        _require(name)
    ref, fast = (get_engine(n, shapes).validate_graph_file(sample_build.outdir / "pfocr.nt") for n in ENGINE_NAMES)

    def rows(outcome: ValidationOutcome) -> Counter[tuple[str, str | None, str, str, str | None, str | None]]:
        return Counter((r.focus_node, r.path, r.component, r.severity, r.value, r.source_shape) for r in outcome.results)

    assert ref.conforms == fast.conforms
    assert rows(ref) == rows(fast)
    assert ref.violations == ()
    assert {r.severity_name for r in ref.results} == {"Warning"}


# --- the factory -----------------------------------------------------------------------------------


def test_get_engine(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PARITY_SHAPES, "utf-8")
    for name in ENGINE_NAMES:
        _require(name)
        engine = get_engine(name, [shapes])
        assert isinstance(engine, eng.Engine) and engine.name == name
        assert not engine.validate_ntriples(_figure()).results
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        get_engine("jena", [shapes])
    with pytest.raises(ValueError, match="no shapes"):
        get_engine("shacl", [])


def test_shapes_from_several_files_keep_blank_nodes_apart(tmp_path: Path) -> None:
    """Two files using the same blank node label must not merge their property shapes."""
    head = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <http://schema.org/> .\n"
    (tmp_path / "a.ttl").write_text(
        head + "<#A> a sh:NodeShape ; sh:targetClass schema:Dataset ; sh:property _:p .\n"
        "_:p sh:path schema:name ; sh:minCount 1 .\n", "utf-8")
    (tmp_path / "b.ttl").write_text(
        head + "<#B> a sh:NodeShape ; sh:targetClass schema:Dataset ; sh:property _:p .\n"
        "_:p sh:path schema:url ; sh:minCount 1 .\n", "utf-8")
    for name in ENGINE_NAMES:
        _require(name)
        engine = get_engine(name, [tmp_path / "a.ttl", tmp_path / "b.ttl"])
        outcome = engine.validate_ntriples(_figure(drop=("name",)))
        assert {r.path for r in outcome.results} == {f"<{S}name>", f"<{S}url>"}, name
        assert len(outcome.results) == 2, name


@pytest.mark.parametrize("engine_name", ENGINE_NAMES)
def test_missing_package_is_a_clear_error(engine_name: str, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(PARITY_SHAPES, "utf-8")
    monkeypatch.setitem(sys.modules, MODULES[engine_name], None)  # makes `import <module>` fail
    with pytest.raises(EngineUnavailable, match=f"needs the Python package '{MODULES[engine_name]}'"):
        get_engine(engine_name, [shapes])


def test_unknown_file_format(engines: dict[str, eng.Engine], tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text("{}", "utf-8")
    for engine in engines.values():
        with pytest.raises(ValueError, match="extension"):
            engine.validate_graph_file(data)
        with pytest.raises(ValueError, match="unsupported RDF format"):
            engine.validate_graph_file(data, "jsonld")

