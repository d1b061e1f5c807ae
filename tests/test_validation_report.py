"""validation.ttl: results rendered in workers as %-templates, numbered by the build in order."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from kg.check.engine import SH, SH_VIOLATION, SH_WARNING, ShaclResult
from kg.check.report import ValidationReportWriter, render

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
