"""The compiled checker in `kg build` and `kg validate`: shadow runs of `shacl` (a deterministic
≈ 0.5 % sample and every figure with a violation) that fail the build on any disagreement and
keep both reports; shapes the checker does not support go to `shacl`, with a note in
report.json; the same outputs as `--engine shacl`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import SAMPLE

from kg.check import gate
from kg.check.compiled import Checker
from kg.check.engine import SH_VIOLATION, ShaclResult
from kg.check.shapes import DEFAULT_SHAPES_DIR, shape_files
from kg.cli import main

OUTPUTS = ("pfocr.nt", "pfocr.ttl", "validation.ttl")


def build(out: Path, *extra: str) -> int:
    return main(["build", str(SAMPLE), "-o", str(out), "-q", "--no-cache", "--jobs", "1", *extra])


def test_shadow_sample_is_deterministic_and_about_one_in_200() -> None:
    figids = [f"PMC{n}__gr{n % 7}" for n in range(20000)]
    sample = [f for f in figids if gate.shadowed(f)]
    assert 60 <= len(sample) <= 140  # 100 expected
    assert sample == [f for f in figids if gate.shadowed(f)]


def test_compiled_build_writes_what_a_shacl_build_writes(tmp_path: Path) -> None:
    assert build(tmp_path / "compiled") == 0
    assert build(tmp_path / "shacl", "--engine", "shacl") == 0
    for name in OUTPUTS:
        assert (tmp_path / "compiled" / name).read_bytes() == (tmp_path / "shacl" / name).read_bytes(), name
    reports = [json.loads((tmp_path / e / "report.json").read_text()) for e in ("compiled", "shacl")]
    assert [r["validation"].pop("engine") for r in reports] == ["compiled", "shacl"]
    assert reports[0] == reports[1]
    assert "engine_note" not in reports[0]["validation"]


def _one_more_violation(self: Checker, triples: object) -> tuple[ShaclResult, ...]:
    results = _REAL_CHECK(self, triples)
    record = next(r.focus_node for r in results) if results else "<urn:x>"
    extra = ShaclResult(record, None, "<http://www.w3.org/ns/shacl#NodeKindConstraintComponent>", SH_VIOLATION,
                        "<urn:made-up>", record, "made up")
    return (*results, extra)


_REAL_CHECK = Checker.check


def test_a_disagreement_on_a_violation_fails_the_build_and_keeps_both_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(Checker, "check", _one_more_violation)
    out = tmp_path / "out"
    assert build(out) == 1
    err = capsys.readouterr().err
    assert "the compiled checker and the shacl engine disagree" in err and "please report it" in err
    kept = sorted(p.name for p in (out / "shadow").iterdir())
    assert len(kept) == 2 and kept[0].endswith(".compiled.ttl") and kept[1].endswith(".shacl.ttl")
    assert "urn:made-up" in (out / "shadow" / kept[0]).read_text()
    assert "urn:made-up" not in (out / "shadow" / kept[1]).read_text()
    assert not (out / "pfocr.nt").exists()


def test_a_disagreement_in_the_shadow_sample_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """A checker that loses a warning is caught where `shacl` runs again: the sample (here every
    figure is in it) — figures without a violation are not re-checked otherwise."""
    monkeypatch.setattr(Checker, "check", lambda self, triples: _REAL_CHECK(self, triples)[1:])
    assert build(tmp_path / "unsampled") == 0  # no violation, and the real sample misses these
    monkeypatch.setattr(gate, "shadowed", lambda figid: True)
    assert build(tmp_path / "sampled") == 1
    assert "only shacl" in capsys.readouterr().err


def test_unsupported_shapes_go_to_shacl_with_a_note(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes"
    shutil.copytree(DEFAULT_SHAPES_DIR, shapes)
    (shapes / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <http://schema.org/> .\n"
        "<urn:x:NameIsNotIdentifier> a sh:NodeShape ; sh:targetClass schema:Gene ;\n"
        "    sh:property [ sh:path schema:name ; sh:disjoint schema:identifier ] .\n")
    assert build(tmp_path / "out", "--shapes", str(shapes)) == 0
    validation = json.loads((tmp_path / "out" / "report.json").read_text())["validation"]
    assert validation["engine"] == "compiled"
    assert "does not support" in validation["engine_note"] and "disjoint" in validation["engine_note"]
    assert gate.Gate(shape_files(shapes), "compiled").note == validation["engine_note"]


def test_validate_chooses_the_engine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(tmp_path / "out") == 0
    data = str(tmp_path / "out" / "pfocr.nt")
    core = tmp_path / "core.nt"
    core.write_text(gate.core_shapes(shape_files()))
    lines = {}
    for engine in ("compiled", "shacl"):
        capsys.readouterr()
        assert main(["validate", data, "--shapes", str(core), "--engine", engine]) == 0
        lines[engine] = capsys.readouterr().out
    assert lines["compiled"].startswith(lines["shacl"].split(" checked with ")[0] + " checked with compiled")
    assert lines["compiled"].split(":", 1)[1] == lines["shacl"].split(":", 1)[1]
    # the full shapes, with their SHACL-SPARQL rules (kg.check.sparql_rules)
    for engine in ("compiled", "shacl"):
        assert main(["validate", data, "--engine", engine]) == 0
        lines[engine] = capsys.readouterr().out
    assert lines["compiled"].replace(" checked with compiled", " checked with shacl") == lines["shacl"]
    # the default stays full SHACL
    assert main(["validate", data]) == 0
    assert " checked with shacl" in capsys.readouterr().out


def test_a_disagreement_crosses_the_worker_pipe() -> None:
    """Raised in a worker process, it reaches the build through a pipe: it must pickle whole."""
    import pickle

    exc = gate.ShadowDisagreement("PMC1__f", "ours", "theirs", "1 result only the checker found")
    back = pickle.loads(pickle.dumps(exc))
    assert (back.figid, back.compiled_report, back.shacl_report, back.difference) == (
        "PMC1__f", "ours", "theirs", "1 result only the checker found")
    assert str(back) == str(exc)
