"""validation.ttl: results rendered in workers as %-templates, numbered by the build in order."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from helpers.build import run_build
from helpers.records import both, clone_record, empty_block_keywords, set_key

from kg.check.engine import SH, SH_VIOLATION, SH_WARNING, ShaclResult
from kg.check.gate import Gate
from kg.check.shapes import shape_files
from kg.write.validation import ValidationReportWriter, render

MIN_COUNT = f"<{SH}MinCountConstraintComponent>"
FIG = "<https://pfocr.wikipathways.org/figures/PMC1__f%201.html>"  # a % in an IRI, as minted


def _result(focus: str, message: str | None, value: str | None = None, severity: str = SH_WARNING) -> ShaclResult:
    return ShaclResult(focus, "<http://schema.org/name>", MIN_COUNT, severity, None, value, message)


def _parse(path: Path) -> dict[str, dict[str, str]]:
    """Each result node's properties (local name → term text), by its blank node label."""
    out: dict[str, dict[str, str]] = {}
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
        if isinstance(quad.subject, pyoxigraph.BlankNode) and quad.subject.value != "report":
            local = quad.predicate.value.rsplit("#", 1)[-1]
            value = quad.object.value if not isinstance(quad.object, pyoxigraph.NamedNode) else str(quad.object)
            out.setdefault(quad.subject.value, {})[local] = value
    return out


def test_percent_signs_survive_the_template_and_numbers_follow_on(tmp_path: Path) -> None:
    first = render([_result(FIG, "100% wrong: %d %s %%", '"50%"'), _result(FIG, None, severity=SH_VIOLATION)])
    second = render([_result(FIG, "again %(x)s")])
    assert first is not None and second is not None and render([]) is None
    writer = ValidationReportWriter(tmp_path / "validation.ttl")
    writer.add_rendered(first)
    writer.add([_result("<https://identifiers.org/ncbigene/1>", "entity 5%")])
    writer.add([_result("<https://identifiers.org/ncbigene/1>", "entity 5%")])  # once a build
    writer.add_rendered(None)
    writer.add_rendered(second)
    writer.finish()
    writer.publish()
    results = _parse(tmp_path / "validation.ttl")
    assert sorted(results) == ["r1", "r2", "r3", "r4"]
    assert results["r1"]["resultMessage"] == "100% wrong: %d %s %%"
    assert results["r1"]["value"] == "50%"
    assert results["r1"]["focusNode"] == FIG
    assert "resultMessage" not in results["r2"]
    assert results["r3"]["resultMessage"] == "entity 5%"
    assert results["r4"]["resultMessage"] == "again %(x)s"
    assert writer.by_severity == {"Warning": 3, "Violation": 1}
    assert writer.by_message["Warning"] == {"100% wrong: %d %s %%": 1, "entity 5%": 1, "again %(x)s": 1}
    assert writer.by_message["Violation"] == {"MinCountConstraintComponent": 1}


@pytest.mark.slow
def test_a_real_figures_results_keep_every_field(tmp_path: Path) -> None:
    """The gate's own results for a v2 record (PMC1391919 with its score 1.5 and its keywords
    emptied): each result's focus node, severity, component, path, source shape, value and
    message come back from validation.ttl as the engine gave them; a blank source shape (a
    property shape written `sh:property [ ... ]`) is left out, as blank nodes cannot be named."""
    figid = clone_record(tmp_path / "db", "PMC1391919__pgen.0020031.g001",
                         md=both(set_key("pathway_score", "1.5"), empty_block_keywords))
    build = run_build(tmp_path / "out", tmp_path / "db", extra=("--no-validate",))
    found = Gate(shape_files()).check(build.nt.decode("utf-8"))
    record = f"<https://pfocr.wikipathways.org/figures/{figid}.html>"
    shapes = "https://w3id.org/pfocr-kg/shapes#"
    # a violation on a property, a warning from a blank property shape, one from a node shape
    assert {(r.focus_node, r.severity_name, r.component_name, r.source_shape and r.source_shape.startswith("_:"))
            for r in found} == {
        (record, "Violation", "MaxInclusiveConstraintComponent", False),
        (record, "Warning", "MinCountConstraintComponent", True),
        (record, "Warning", "OrConstraintComponent", False),
    }
    writer = ValidationReportWriter(tmp_path / "validation.ttl")
    writer.add_rendered(render(found))
    writer.finish()
    writer.publish()
    written = _parse(tmp_path / "validation.ttl")
    assert len(written) == len(found) == 3
    for n, result in enumerate(found, start=1):
        fields = written[f"r{n}"]
        assert fields["focusNode"] == result.focus_node
        assert fields["resultSeverity"] == result.severity
        assert fields["sourceConstraintComponent"] == result.component
        assert fields.get("resultPath") == result.path
        assert fields["resultMessage"] == result.message
        if result.source_shape is not None and result.source_shape.startswith("_:"):
            assert "sourceShape" not in fields
        else:
            assert fields["sourceShape"] == result.source_shape
            assert fields["sourceShape"].startswith(f"<{shapes}")
        if result.component_name == "MaxInclusiveConstraintComponent":
            assert result.value == '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
            assert fields["value"] == "1.5"  # the literal's lexical form, as _parse reads it
    assert writer.by_severity == {"Violation": 1, "Warning": 2}
