"""The compiled checker (kg.check.compiled) against the SHACL engines: the W3C SHACL Core suite,
exact equality with `shacl` on real and generated figures and on triple-level mutants of real
records (with a coverage table: every (shape, component) pair the checker can report fires),
pySHACL as a second oracle, and what it refuses.

Results are compared as the gate compares them in shadow runs (kg.check.gate.comparable): the
7-tuple (focus node, path, component, severity, source shape, value, message), counted, with a
blank source shape as `_:` (each engine labels blank nodes its own way).
"""

from __future__ import annotations

import random
import sys
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SAMPLE
from test_shacl_engines import (
    SPARQL_CASES,
    _edit,
    _expected,
    _report_problems,
    _rows,
    _sparql_owner,
    w3c_cases,
)

from kg.build.worker import map_figure
from kg.check.compiled import Checker, Unsupported
from kg.check.compiled_engine import CompiledEngine
from kg.check.data_graph import DataGraph
from kg.check.engine import PyShaclEngine, RustShaclEngine, shapes_ntriples_from_files
from kg.check.gate import comparable, core_shapes
from kg.check.shapes import shape_files
from kg.read.layout import discover
from kg.read.record import read_record
from kg.records import Problem

REPO = Path(__file__).resolve().parents[3]
SH = "http://www.w3.org/ns/shacl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

# W3C cases the checker refuses (Unsupported when compiled), with the construct: checked both ways.
REFUSED = {
    "node/disjoint-001": "sh:disjoint", "node/equals-001": "sh:equals",
    "node/minInclusive-002": "sh:minInclusive", "node/minInclusive-003": "sh:minInclusive",
    "property/disjoint-001": "sh:disjoint", "property/equals-001": "sh:equals",
    "property/lessThan-001": "sh:lessThan", "property/lessThan-002": "sh:lessThan",
    "property/lessThanOrEquals-001": "sh:lessThanOrEquals", "property/or-datatypes-001": "sh:datatype",
    "property/qualifiedMinCountDisjoint-001": "sh:qualifiedValueShapesDisjoint",
    "property/qualifiedValueShapesDisjoint-001": "sh:qualifiedValueShapesDisjoint",
}


@pytest.mark.parametrize("case_id", [c.id for c in w3c_cases()])
def test_w3c_core_case_is_answered_right_or_refused(case_id: str) -> None:
    case = next(c for c in w3c_cases() if c.id == case_id)
    if case_id in REFUSED:
        with pytest.raises(Unsupported, match=REFUSED[case_id].replace("sh:", "")):
            CompiledEngine.from_files([case.shapes])
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib, reading the expected report of ill-typed literals
        outcome = CompiledEngine.from_files([case.shapes]).validate_graph_file(case.data, "turtle")
    assert outcome.conforms == case.conforms
    assert _rows(outcome) == Counter(case.results)
    assert not _report_problems(outcome)


# --- figures ----------------------------------------------------------------------------------------

Triples = list[tuple[str, str, str]]


def figures(*folders: Path) -> Iterator[tuple[str, Triples, str]]:
    """(figid, triples, N-Triples text) of every record of these folders that maps."""
    for source in discover(list(folders)):
        record = read_record(source, 10**8)
        if isinstance(record, Problem):
            continue
        try:
            mapped = map_figure(record)
        except ValueError:  # UnencodableText, BadIdentifier: no triples to check
            continue
        triples = [*mapped.own, *(t for ts, _lines in mapped.blocks.values() for t in ts)]
        yield record.figid, triples, nt(triples)


def nt(triples: Triples) -> str:
    return "".join(f"{s} {p} {o} .\n" for s, p, o in triples)


@pytest.fixture(scope="module")
def core() -> str:
    return core_shapes(shape_files())


@pytest.fixture(scope="module")
def checker(core: str) -> Checker:
    return Checker(core)


@pytest.fixture(scope="module")
def shacl(core: str) -> RustShaclEngine:
    return RustShaclEngine(core)


def differences(checker: Checker, shacl: RustShaclEngine, triples: Triples, text: str | None = None) -> str:
    ours, theirs = comparable(checker.check(triples)), comparable(shacl.validate_ntriples(text or nt(triples)).results)
    if ours == theirs:
        return ""
    return f"only the checker: {sorted(ours - theirs, key=repr)}; only shacl: {sorted(theirs - ours, key=repr)}"


@pytest.mark.parametrize("folder", [SAMPLE, REPO / "seeds", REPO / "tests/fixtures/seed"], ids=lambda p: p.name)
def test_same_results_as_shacl_on_real_records(folder: Path, checker: Checker, shacl: RustShaclEngine) -> None:
    count = 0
    for figid, triples, text in figures(folder):
        assert not differences(checker, shacl, triples, text), figid
        count += 1
    assert count >= 1


@pytest.mark.slow
def test_same_results_as_shacl_on_a_generated_1k_corpus(
    tmp_path: Path, checker: Checker, shacl: RustShaclEngine,
) -> None:
    import generate  # bench/generate.py

    generate.main([str(tmp_path / "db"), "--records", "1000", "--seed", "42"])
    found = Counter(bool(differences(checker, shacl, t, text)) for _f, t, text in figures(tmp_path / "db"))
    assert found == Counter({False: 1000})


@pytest.mark.slow
def test_same_results_as_shacl_on_the_fuzz_corpus(tmp_path: Path, checker: Checker, shacl: RustShaclEngine) -> None:
    from helpers.fuzz_records import write_corpus

    write_corpus(tmp_path / "db", 2000, seed=7)
    found: Counter[bool] = Counter()
    results = 0
    for figid, triples, text in figures(tmp_path / "db"):
        problem = differences(checker, shacl, triples, text)
        assert not problem, f"{figid}: {problem}"
        found[True] += 1
        results += len(checker.check(triples))
    assert found[True] > 500 and results > 0


# --- triple-level mutants ---------------------------------------------------------------------------

BAD_LITERALS = ('""', '"x"', '"PMC12\\n"', '" 7"', '"-1"^^<{x}integer>', '"1.5"^^<{x}decimal>', '"2"^^<{x}double>',
                '"1e400"^^<{x}double>', '"NaN"^^<{x}double>', '"abc"^^<{x}integer>', '"7"^^<{x}integer>',
                '"0"^^<{x}integer>', '"2020"^^<{x}gYear>', '"20"^^<{x}gYear>', '"x"@en', '"0.5"^^<{x}decimal>',
                '"01"^^<{x}integer>', '"3"^^<{x}decimal>')
BAD_IRIS = ("<http://example.org/x>", "_:b0", "<https://identifiers.org/ncbigene/0>", "<https://w3id.org/pfocr-kg/vocab#mesh>",
            "<https://w3id.org/pfocr-kg/vocab#FamilyMatch>", "<https://w3id.org/pfocr-kg/vocab#unheard_of>")


def mutate(rng: random.Random, triples: Triples) -> Triples:
    """One to three of: drop, duplicate, retype, re-subject, bad literal or IRI, second class,
    an object swapped for another node of the figure, an unknown property."""
    out = list(triples)
    nodes = sorted({t[0] for t in out})
    classes = sorted({t[2] for t in out if t[1] == RDF_TYPE})
    objects = sorted({t[2] for t in out})
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        s, p, o = out[i]
        op = rng.randrange(9)
        if op == 0:
            del out[i]
        elif op == 1:
            out.append((s, p, rng.choice(objects)))
        elif op == 2 and o.startswith('"'):
            out[i] = (s, p, o.rsplit('"', 1)[0] + '"' + rng.choice(["", f"^^<{XSD}integer>", f"^^<{XSD}gYear>", "@en"]))
        elif op == 3:
            out[i] = (rng.choice(nodes), p, o)
        elif op == 4:
            out[i] = (s, p, rng.choice(BAD_LITERALS).format(x=XSD))
        elif op == 5:
            bad = rng.choice(BAD_IRIS)
            out = [(bad if t[0] == s else t[0], t[1], bad if t[2] == s else t[2]) for t in out] if rng.random() < 0.3 \
                else [*out[:i], (s, p, bad), *out[i + 1:]]
        elif op == 6:
            out.append((s, RDF_TYPE, rng.choice(classes)))
        elif op == 7:
            out[i] = (s, p, rng.choice(objects))
        else:
            out.append((s, "<https://w3id.org/pfocr-kg/vocab#unheard_of>", o))
    return out


def variant(term: str) -> str:
    """Another term of the same kind: a second value that is otherwise as good."""
    if term.startswith('"'):
        end = term.rindex('"')
        return term[:end] + "9" + term[end:]
    return term[:-1] + "9>" if term.startswith("<") else "_:other"


def targeted(triples: Triples) -> Iterator[Triples]:
    """For each (subject, predicate) once: a second value; the value as an empty string, as a
    language string, as a plain string; no value; and for each subject once: the node renamed
    to a blank node (node kinds), and to an IRI of another scheme (patterns)."""
    seen = set()
    for i, (s, p, o) in enumerate(triples):
        if (s, p) in seen or p == RDF_TYPE:
            continue
        seen.add((s, p))
        rest = [*triples[:i], *triples[i + 1:]]
        yield [*triples, (s, p, variant(o))]
        yield [*rest, (s, p, '""')]
        yield [*rest, (s, p, '"x"@en')]
        yield [*rest, (s, p, '"' + o.strip('<>"').split('"')[0] + '"')]
        yield [t for t in triples if (t[0], t[1]) != (s, p)]
    for node in dict.fromkeys(s for s, _p, _o in triples):
        for other in ("_:renamed", "<urn:x:renamed>"):
            yield [(other if t[0] == node else t[0], t[1], other if t[2] == node else t[2]) for t in triples]


def dataset_graph() -> Triples:
    from kg.map.dataset import dataset_triples
    from kg.records import Release

    return dataset_triples(Release(version="v1", date="2026-01-02", commits=("ab" * 20,)), 3, 300)


def pairs_fired(checker: Checker, triples: Triples) -> set[tuple[str, str]]:
    return {(r.source_shape or "", r.component) for r in checker.check(triples)}


@pytest.mark.slow
def test_mutants_give_the_same_results_and_every_pair_fires_both_ways(
    core: str, checker: Checker, shacl: RustShaclEngine,
) -> None:
    """Each mutant of a real figure gives the same results with both; each (shape, component)
    pair the checker can report is seen to fire in a mutant of a figure where it was silent
    (so it passes where it should, and fails where it should). The table is printed (pytest -s)."""
    rng = random.Random(19)
    bases = [t for _f, t, _text in figures(SAMPLE, REPO / "seeds")]
    small, uses = [], set()  # the smallest figures that, together, use every predicate on every class
    for base in sorted(bases, key=len):
        types = {s: o for s, p, o in base if p == RDF_TYPE}
        used = {(types.get(s), p) for s, p, _o in base}
        if not used <= uses:
            small.append(base)
            uses |= used
    paths = sorted({line.split(" ")[2] for line in core.splitlines() if f"<{SH}path> <" in line})
    mutants = [(bases[n % len(bases)], mutate(rng, bases[n % len(bases)])) for n in range(1000)]
    mutants += [(base, m) for base in [*small, dataset_graph()] for m in targeted(base)]
    for cls in sorted({o for base in bases for _s, p, o in base if p == RDF_TYPE}):  # properties no figure gives
        base = next(b for b in small if any(p == RDF_TYPE and o == cls for _s, p, o in b))
        node = next(s for s, p, o in base if p == RDF_TYPE and o == cls)
        given = set()
        for b in bases:
            members = {t[0] for t in b if t[1:] == (RDF_TYPE, cls)}
            given |= {p for s, p, _o in b if s in members}
        for path in set(paths) - given:
            for values in (['""'], ['"x"@en'], ['"a"', '"b"'], ["<urn:x:nothing>"]):
                mutants.append((base, [*base, *((node, path, v) for v in values)]))
    covered: Counter[tuple[str, str]] = Counter()
    wrong = []
    for base, mutant in mutants:
        problem = differences(checker, shacl, mutant)
        if problem:
            wrong.append(problem)
        covered.update(pairs_fired(checker, mutant) - pairs_fired(checker, base))
    assert not wrong, wrong[:3]
    table = sorted(checker.pairs)
    print("\n(shape, component) pair: mutants where it fired on a node where the real figure was silent")
    for shape, component in table:
        print(f"  {covered[shape, component]:5d}  {shape.rsplit('#', 1)[-1]}  {component.rsplit('#', 1)[-1]}")
    assert [pair for pair in table if not covered[pair]] == []
    assert len(table) > 200  # every constraint of shapes/ is one (shape, component) pair


def test_random_mutants_give_the_same_results(checker: Checker, shacl: RustShaclEngine) -> None:
    """The fast part of the mutant test: 300 random mutants of the sample's figures."""
    rng = random.Random(7)
    bases = [t for _f, t, _text in figures(SAMPLE)]
    wrong = [p for n in range(300) if (p := differences(checker, shacl, mutate(rng, bases[n % len(bases)])))]
    assert not wrong, wrong[:3]


# --- pySHACL, a second oracle ------------------------------------------------------------------------

# pySHACL's known deviations: sh:pattern with Python's `re`, where `$` also matches before a final
# newline (below); and W3C property/uniqueLang-002 (kg.check.engine.PyShaclEngine's shapes parsing
# works around it, tests/unit/check/test_shacl_engines.py).


@pytest.mark.slow
def test_same_results_as_pyshacl_on_a_sample(core: str, checker: Checker) -> None:
    pyshacl = PyShaclEngine(core)
    for figid, triples, text in list(figures(SAMPLE))[:6]:
        ours = Counter((r.focus_node, r.path, r.component, r.severity, r.value) for r in checker.check(triples))
        theirs = Counter((r.focus_node, r.path, r.component, r.severity, r.value)
                         for r in pyshacl.validate_ntriples(text).results)
        assert ours == theirs, figid


@pytest.mark.slow
@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="pySHACL's `$` matches before a trailing newline (XPath's does not)")
def test_pyshacl_agrees_on_a_trailing_newline(core: str, checker: Checker) -> None:
    _figid, triples, _text = next(figures(SAMPLE))
    identifier = "<http://schema.org/identifier>"
    record = next(s for s, p, _o in triples if p == RDF_TYPE and "Dataset" in _o and "pfocr" in s)
    mutant = [(s, p, o[:-1] + "\\n\"" if (s, p) == (record, identifier) else o) for s, p, o in triples]
    assert any(o.endswith('\\n"') for _s, _p, o in mutant)
    ours = {(r.component, r.value) for r in checker.check(mutant)}
    theirs = {(r.component, r.value) for r in PyShaclEngine(core).validate_ntriples(nt(mutant)).results}
    assert ours == theirs


# --- what it refuses, and what it keeps from one figure to the next ---------------------------------


def test_unsupported_constructs_are_refused_by_name() -> None:
    shapes = """<http://ex/S> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/shacl#NodeShape> .
<http://ex/S> <http://www.w3.org/ns/shacl#targetNode> <http://ex/a> .
<http://ex/loop> <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> <http://ex/a> .
<http://ex/loop> <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://ex/loop> .
<http://ex/S> <http://www.w3.org/ns/shacl#%s> %s .
"""
    for construct, value in [("sparql", "_:q"), ("equals", "<http://ex/p>"), ("datatype", f"<{XSD}duration>"),
                             ("minInclusive", f'"2020-01-01"^^<{XSD}date>'), ("closed", '"maybe"'),
                             ("madeUp", "<http://ex/p>"), ("in", "<http://ex/loop>")]:
        with pytest.raises(Unsupported):
            Checker(shapes % (construct, value))


def test_a_sparql_rule_the_checker_does_not_know_is_refused() -> None:
    full = shapes_ntriples_from_files(shape_files())
    changed = full.replace("NCBITaxon_", "NCBITaxon:", 1)
    assert changed != full
    with pytest.raises(Unsupported, match="not one kg.check.sparql_rules knows"):
        Checker(changed)


# --- the SHACL-SPARQL rules ---------------------------------------------------------------------------



@pytest.fixture(scope="module")
def full() -> tuple[CompiledEngine, RustShaclEngine]:
    text = shapes_ntriples_from_files(shape_files())
    return CompiledEngine(text), RustShaclEngine(text)


def test_every_sparql_rule_is_compiled(full: tuple[CompiledEngine, RustShaclEngine]) -> None:
    assert {s.rsplit("#", 1)[-1].rstrip(">") for s, c in full[0].checker.pairs if c == f"<{SH}SPARQLConstraintComponent>"} \
        == {_sparql_owner(name).rsplit("#", 1)[-1].rstrip(">") for name in SPARQL_CASES}


@pytest.mark.parametrize("name", [*SPARQL_CASES, "all"])
def test_each_sparql_rule_fires_where_it_is_broken_as_with_shacl(
    name: str, few_nt: str, full: tuple[CompiledEngine, RustShaclEngine],
) -> None:
    compiled, shacl_full = full
    text = few_nt
    for case in SPARQL_CASES.values() if name == "all" else [SPARQL_CASES[name]]:
        text = _edit(text, case)
    ours = compiled.validate_ntriples(text).results
    assert comparable(ours) == comparable(shacl_full.validate_ntriples(text).results)
    expected = {_expected(n) for n in SPARQL_CASES} if name == "all" else {_expected(name)}
    assert expected <= set(ours)
    assert {r.message for r in ours if r in expected} == {r.message for r in expected}


@pytest.mark.slow
def test_every_sparql_rule_as_pyshacl_finds_it(few_nt: str, full: tuple[CompiledEngine, RustShaclEngine]) -> None:
    """pySHACL is the reference for SHACL-SPARQL: every rule broken at once, the same distinct
    results (one run, ~5 s); and the unbroken build."""
    pyshacl = PyShaclEngine(shapes_ntriples_from_files(shape_files()))
    text = few_nt
    for case in SPARQL_CASES.values():
        text = _edit(text, case)
    for data in (few_nt, text):
        assert set(full[0].validate_ntriples(data).results) == set(pyshacl.validate_ntriples(data).results)


def test_random_mutants_with_the_sparql_rules_give_the_same_results(
    full: tuple[CompiledEngine, RustShaclEngine],
) -> None:
    compiled, shacl_full = full
    rng = random.Random(8)
    bases = [t for _f, t, _text in figures(SAMPLE)][:12]
    for n in range(120):
        mutant = mutate(rng, bases[n % len(bases)])
        text = nt(mutant)
        ours, theirs = (comparable(e.validate_ntriples(text).results) for e in (compiled, shacl_full))
        assert ours == theirs, f"only the checker: {ours - theirs}; only shacl: {theirs - ours}"


def test_one_entity_described_differently_by_two_figures(checker: Checker, shacl: RustShaclEngine) -> None:
    """The checker keeps nothing between figures: a gene named by one figure and unnamed, or
    named twice, by the next gives each figure its own results, as `shacl` does."""
    base = next(t for _f, t, _text in figures(SAMPLE) if any("ncbigene" in s for s, _p, _o in t))
    gene = next(s for s, _p, _o in base if "identifiers.org/ncbigene/" in s)
    name = "<http://schema.org/name>"
    unnamed = [t for t in base if not (t[0] == gene and t[1] == name)]
    twice = [*base, (gene, name, '"ANOTHER"')]
    for triples in (base, unnamed, twice, base, twice, unnamed):
        assert not differences(checker, shacl, triples)
    assert checker.check(base) != checker.check(unnamed) != checker.check(twice)


def test_the_value_memo_is_per_shape_and_survives_being_emptied(
    core: str, shacl: RustShaclEngine, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The one thing the checker keeps across figures is each shape's memo of value-only tests.
    One term, valid for one shape and not for another, alternating; and memos emptied before
    every figure that finds them holding more than one value: the same results as `shacl`."""
    from kg.check import compiled

    monkeypatch.setattr(compiled, "MEMO_SIZE", 1)
    fresh = Checker(core)
    base = next(t for _f, t, _text in figures(SAMPLE) if any("ncbigene" in s for s, _p, _o in t))
    gene = next(s for s, _p, _o in base if "identifiers.org/ncbigene/" in s)
    record = next(s for s, p, o in base if p == RDF_TYPE and o == "<http://schema.org/Dataset>")
    name, identifier = "<http://schema.org/name>", "<http://schema.org/identifier>"
    symbol = next(o for s, p, o in base if (s, p) == (gene, name))

    def with_value(subject: str, predicate: str, value: str) -> Triples:
        return [(s, p, value if (s, p) == (subject, predicate) else o) for s, p, o in base]

    # the gene's symbol is a good name, a bad record identifier (the pattern)
    assert any(r.focus_node == record and r.component_name == "PatternConstraintComponent"
               for r in fresh.check(with_value(record, identifier, symbol)))
    for triples in [base, with_value(record, identifier, symbol), base, with_value(record, identifier, symbol),
                    *(m for _f, m, _t in figures(SAMPLE)), base]:
        assert comparable(fresh.check(triples)) == comparable(shacl.validate_ntriples(nt(triples)).results)


def test_blank_shape_labels_are_the_same_every_time(core: str) -> None:
    assert Checker(core).source == Checker(core_shapes(shape_files())).source


def test_data_index_keeps_distinct_values_in_order() -> None:
    g = DataGraph([("<a>", "<p>", "<b>"), ("<a>", "<p>", "<c>"), ("<a>", "<p>", "<b>"), ("<a>", RDF_TYPE, "<C>")])
    assert g.out["<a>"]["<p>"] == ["<b>", "<c>"]
    assert g.instances == {"<C>": ["<a>"]}
    assert g.inverse("<p>") == {"<b>": ["<a>"], "<c>": ["<a>"]}


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
