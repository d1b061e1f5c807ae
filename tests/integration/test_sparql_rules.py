"""The shapes' SHACL-SPARQL rules hold by construction on every real, seed, generated and fuzzed
record (the gate checks SHACL Core only: kg/check/gate.py, `core_shapes`).

Each build's whole pfocr.nt goes through the full shapes with the `shacl` engine, which runs
SPARQL constraints; a planted break shows the check is not vacuous.
"""

from __future__ import annotations

from pathlib import Path

import generate  # bench/generate.py (bench/ is on pytest's pythonpath)
import pytest
from helpers import SAMPLE, SEEDS
from helpers import fuzz_records as fr
from helpers.build import run_build

from kg.check.engine import SH, get_engine
from kg.check.gate import Gate, core_shapes
from kg.check.shapes import shape_files

pytestmark = pytest.mark.slow

SPARQL_COMPONENT = f"<{SH}SPARQLConstraintComponent>"


def _sparql_rule_names() -> set[str]:
    """The shapes that carry SPARQL constraints (read from the shapes, so a new rule is covered)."""
    text = "".join(p.read_text("utf-8") for p in shape_files())
    return {line.split()[0] for line in text.splitlines() if "a sh:SPARQLConstraint" in line}


def _full_results(nt: Path) -> list:
    engine = get_engine("shacl", shape_files())
    return list(engine.validate_graph_file(nt).results)


def _assert_rules_hold(outdir: Path) -> None:
    results = _full_results(outdir / "pfocr.nt")
    broken = [r for r in results if r.component == SPARQL_COMPONENT]
    assert broken == [], broken[:5]
    assert [r for r in results if r.severity == f"<{SH}Violation>"] == []


def test_the_shapes_have_sparql_rules_and_the_gate_leaves_them_out() -> None:
    names = _sparql_rule_names()
    assert {"shapes:GeneIdentifierIsIri", "shapes:GeneBdbEntrezGeneIsSelf", "shapes:RecordMentionsAreBodies",
            "shapes:RecordBodiesAreMentioned", "shapes:KnownPfocrTerms"} <= names
    assert f"<{SH}sparql>" in "".join(p.read_text("utf-8") for p in shape_files()).replace("sh:sparql", f"<{SH}sparql>")
    assert f"<{SH}sparql>" not in core_shapes(shape_files())


def test_rules_hold_on_the_sample(tmp_path: Path) -> None:
    _assert_rules_hold(run_build(tmp_path / "out", SAMPLE).outdir)


def test_rules_hold_on_the_seeds(tmp_path: Path) -> None:
    _assert_rules_hold(run_build(tmp_path / "out", SEEDS).outdir)


def test_rules_hold_on_a_generated_corpus(tmp_path: Path) -> None:
    generate.generate(tmp_path / "db", 200, seed=11, sidecar_fraction=0.5, jobs=1)
    _assert_rules_hold(run_build(tmp_path / "out", tmp_path / "db").outdir)


def test_rules_hold_on_fuzzed_records(tmp_path: Path) -> None:
    """Mutated real records: whatever the reader lets through, the mapper keeps the rules."""
    fr.write_corpus(tmp_path / "db", 300, 20261207)
    outdir = run_build(tmp_path / "out", tmp_path / "db").outdir
    results = _full_results(outdir / "pfocr.nt")
    assert [r for r in results if r.component == SPARQL_COMPONENT and r.severity == f"<{SH}Violation>"] == []


def test_a_planted_break_is_found_by_the_rules_and_not_by_the_gate(tmp_path: Path) -> None:
    """Not vacuous: a gene whose identifier differs from its IRI fails the full shapes (SPARQL),
    while the gate's Core shapes pass it (that is what the mapper's construction stands for)."""
    outdir = run_build(tmp_path / "out", SAMPLE / "_figures" / "PMC1391919__pgen.0020031.g001.md").outdir
    text = (outdir / "pfocr.nt").read_text("utf-8")
    line = '<https://identifiers.org/ncbigene/80146> <http://schema.org/identifier> "80146" .\n'
    assert line in text
    broken = tmp_path / "broken.nt"
    broken.write_text(text.replace(line, line.replace('"80146"', '"80147"')), "utf-8")
    found = [r for r in _full_results(broken) if r.component == SPARQL_COMPONENT]
    assert [(r.focus_node, r.value) for r in found] == [("<https://identifiers.org/ncbigene/80146>", '"80147"')]
    assert [r for r in Gate(shape_files()).check(broken.read_text("utf-8")) if r.component == SPARQL_COMPONENT] == []


def test_pyshacl_agrees_on_a_record_of_each_format(tmp_path: Path) -> None:
    """The reference engine runs the same SPARQL rules and finds nothing either."""
    records = [SAMPLE / "_figures" / "PMC1391919__pgen.0020031.g001.md",  # inline
               SAMPLE / "_figures" / "PMC5883377__CN-16-151_F1B.md"]  # sidecar
    outdir = run_build(tmp_path / "out", *records).outdir
    engine = get_engine("pyshacl", shape_files())
    results = engine.validate_graph_file(outdir / "pfocr.nt").results
    assert [r for r in results if r.severity == f"<{SH}Violation>"] == []
