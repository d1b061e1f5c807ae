"""Fuzzed input never breaks `kg build` (issue 8, "Fuzzed input").

Real records of tests/fixtures/pfocr-sample are mutated (tests/helpers/fuzz_records.py: front matter as
data and as text, sidecar TSVs, organism pages, bytes: hostile unicode, lone surrogates, NUL,
U+2028, bidi controls, deep nesting, wrong types, truncation, CRLF, BOMs, huge lines) and built
with the SHACL gate on. After every build `fuzz_records.check_build` asserts the contract: exit
status 0, every record exported or quarantined with a reason (never an "internal error"),
`records_read == figures_written + len(quarantined)`, and pfocr.nt and pfocr.ttl accepted by
pyoxigraph's strict parsers with the same triples. The long run is `python bench/fuzz.py`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import yaml
from helpers import fuzz_records as fr
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.read.errors import RecordError
from kg.read.frontmatter import load_mapping

pytestmark = pytest.mark.slow

# A build takes ~0.4 s: no shrinking (each failure names its records' mutations instead, which
# is enough to rebuild them), or a failure would spend minutes shrinking.
FUZZ_SETTINGS = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
SCHEMA_NAME = "http://schema.org/name"


def build_and_check(
    root: Path, outdir: Path, records: Sequence[fr.Record], *, jobs: int = 1, extra_roots: Sequence[Path] = ()
) -> fr.Checked:
    """`kg build` (gate on) over root and extra_roots, then the whole fuzzing contract."""
    err = io.StringIO()
    sources = [str(root), *map(str, extra_roots)]
    with contextlib.redirect_stderr(err):
        code = main(["build", *sources, "-o", str(outdir), "-j", str(jobs)])
    if not (outdir / "report.json").is_file():
        raise fr.Broken(f"no report.json (exit status {code}): {err.getvalue()[-2000:]}")
    return fr.check_build(outdir, [root, *extra_roots], validate=True, exit_code=code,
                          stderr=err.getvalue(), records=records)


# --- hypothesis: mutated records, a few per build ------------------------------------------------


@st.composite
def corpora(draw: Callable[[st.SearchStrategy[Any]], Any]) -> tuple[list[fr.Record], list[Any], int | None]:
    """1-5 mutated records, 0-2 mutated organism pages, and maybe the index of a record that a
    second database root holds too (a duplicate figid)."""
    count = draw(st.integers(1, 5))
    records = [draw(fr.records(n)) for n in range(count)]
    pages = draw(st.lists(fr.organism_pages_strategy(), max_size=2))
    duplicate = draw(st.none() | st.integers(0, count - 1))
    return records, pages, duplicate


@settings(FUZZ_SETTINGS, max_examples=15)
@given(corpora())
def test_mutated_records_never_break_a_build(corpus: tuple[list[fr.Record], list[Any], int | None]) -> None:
    records, pages, duplicate = corpus
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "db", Path(tmp) / "out"
        fr.write_organism_pages(root, pages)
        for record in records:
            record.write(root)
        extra = []
        if duplicate is not None:  # `db2` sorts after `db`: its copy is the one quarantined
            records[duplicate].write(Path(tmp) / "db2")
            extra.append(Path(tmp) / "db2")
        checked = build_and_check(root, out, records, extra_roots=extra)
    assert checked.records == len(records) + len(extra)


# --- hypothesis: hostile text reaches the graph unchanged ----------------------------------------

# Everything YAML can carry (lone surrogates cannot: see test_lone_surrogates_never_reach_the_graph).
_TEXT = st.lists(
    st.one_of(
        st.sampled_from([c for c in fr.HOSTILE_CHARS if not any(0xD800 <= ord(x) <= 0xDFFF for x in c)]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=30,
).map("".join)
_BASE = st.integers(0, len(fr.bases()) - 1).map(lambda i: fr.bases()[i])  # short reprs, unlike sampled_from


@settings(FUZZ_SETTINGS, max_examples=8)
@given(st.lists(st.tuples(_BASE, _TEXT), min_size=1, max_size=12), st.data())
def test_hostile_figure_titles_are_exported_exactly(titles: list[tuple[fr.Base, str]], data: st.DataObject) -> None:
    """A figtitle of any text (NUL, C0/C1 controls, U+2028, bidi controls, BOMs, quotes,
    backslashes…), dumped as YAML in any style, is the figure's schema:name exactly as the
    reader defines it (stripped; `NA`, `.na.character` and blank mean none: the record is still
    exported, named by its caption's first sentence, with a `figtitle` warning)."""
    src = fr.DrawSource(data.draw)
    records, expected = [], {}
    for n, (base, title) in enumerate(titles):
        stem = fr.new_figid(base, n)
        front = copy.deepcopy(base.data)
        front["figid"], front["figtitle"] = stem, title
        if isinstance(front.get("schema-jsonld"), dict):
            front["schema-jsonld"]["@id"] = f"{fr.FIGURE_BASE}{stem}.html"
        text = "---\n" + fr.dump_yaml(src, front) + "---\n"
        records.append(fr.Record(stem, base.figid, fr.encode(text), {k: fr.encode(v) for k, v in base.sidecars.items()},
                                 [f"figtitle={title!a}"]))
        untitled = title.strip() in {"", "NA", ".na.character"}
        expected[f"{fr.FIGURE_BASE}{stem}.html"] = _caption_title(base.data["caption"]) if untitled else title.strip()
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "db", Path(tmp) / "out"
        for record in records:
            record.write(root)
        checked = build_and_check(root, out, records)
        names: dict[str, list[str]] = {}
        for quad in pyoxigraph.parse(path=str(out / "pfocr.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES):
            if quad.predicate.value == SCHEMA_NAME and quad.subject.value in expected:
                names.setdefault(quad.subject.value, []).append(quad.object.value)
    for figure, title in expected.items():
        assert names.get(figure) == [title], (figure, title)
    assert checked.exported == len(expected)


def _caption_title(caption: str) -> str:
    """docs/vocabulary.md: without a figtitle, the caption's first sentence, at most 200 characters
    (cut at a word, marked `…`). A sentence ends at `.`, `!` or `?` after a lower-case letter, digit
    or bracket and before a space and a capital (not at "S. aureus" nor at a panel label "A.")."""
    words = " ".join(caption.split())
    ends = [i + 1 for i, c in enumerate(words[:-2]) if c in ".!?" and i > 0 and words[i - 1] in
            "abcdefghijklmnopqrstuvwxyz0123456789)]" and words[i + 1] == " " and "A" <= words[i + 2] <= "Z"]
    sentence = words[: ends[0]] if ends else words
    return sentence if len(sentence) <= 200 else sentence[:200].rsplit(" ", 1)[0] + "…"


def test_lone_surrogates_never_reach_the_graph(tmp_path: Path) -> None:
    """YAML escapes of lone surrogates (`"\\ud800"`) and their invalid UTF-8 bytes both quarantine."""
    base = fr.bases()[0]
    records = []
    for n, how in enumerate(("escaped", "raw bytes")):
        stem = fr.new_figid(base, n)
        front = copy.deepcopy(base.data)
        front["figid"], front["figtitle"] = stem, "a\ud800b" if how == "escaped" else "aXSURRXb"
        front["schema-jsonld"]["@id"] = f"{fr.FIGURE_BASE}{stem}.html"
        text = yaml.dump(front, Dumper=yaml.SafeDumper, allow_unicode=False, sort_keys=False)
        if how == "escaped":
            assert "\\uD800" in text
        else:  # the bytes a broken encoder writes for U+DFFF (not UTF-8)
            text = text.replace("XSURRX", "\udfff")
        records.append(fr.Record(stem, base.figid, fr.encode("---\n" + text + "---\n"), {}, [how]))
        records[-1].write(tmp_path / "db")
    checked = build_and_check(tmp_path / "db", tmp_path / "out", records)
    assert (checked.exported, checked.quarantined) == (0, 2)


# --- hypothesis: the fast YAML path never changes what a record means ----------------------------


class _Reference(yaml.CSafeLoader):
    """PyYAML's safe loader (libyaml, kg's documented reference) with dates kept as text."""


_Reference.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types (1, 1.0 and True differ; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and _same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fr.front_matter_texts())
@example("k0: [yes, x]\n")  # found by this test: the fast parser read `yes` in a flow sequence as text
@example("on: 1\nk: {a: 0x1F}\n")
@example("figtitle: '½\u2028  \u2068Δ'\nx: 1\n")  # ... and kept the indentation after U+2028
@example("k0: +.5\nk1: [.5e3, -.5, .5_0]\n.5e3: x\n")  # ... and read `+.5` as 0.5 (YAML 1.1: text)
@example("k0:\n- :\n")  # ... and took an empty key PyYAML refuses
@example("a: 1\n...\n\u200b\n")  # ... and dropped what follows a document end marker
@example("k0:\n- \t\n")  # ... and took a tab libyaml refuses
@example("a: x\n  y\n\ufeffb: 1\n")  # ... and a BOM starting a line
def test_front_matter_is_read_as_pyyaml_reads_it(text: str) -> None:
    """Whatever kg's loader accepts (through its fast YAML 1.2 parser or not) is what PyYAML's
    safe loader reads: YAML 1.1 scalars (yes, 0x1F, 1:30, 1_000, 1e3) as values, keys and in flow
    collections, tags, escapes, NEL/U+2028/U+2029 line breaks included."""
    try:
        data = load_mapping(text)
    except RecordError:
        return  # refused with a reason: fine (refusals are checked by the build tests)
    reference = yaml.load(text, Loader=_Reference)
    assert _same(data, reference), (data, reference)


# --- regressions: bugs the fuzzing found -----------------------------------------------------------


@pytest.mark.parametrize("text", ["a: !!bool maybe\n", 'a: !!bool ""\n', 'a: !!int ""\n', 'a: !!float ""\n'])
def test_values_pyyaml_cannot_build_are_invalid_yaml(text: str) -> None:
    """PyYAML raises KeyError / IndexError for these; they were "internal error"s, not reasons."""
    with pytest.raises(RecordError, match="invalid YAML: a value cannot be read"):
        load_mapping(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k: 'a\u2028  b'\n", {"k": "a\u2028b"}),  # U+2028, U+2029, NEL: line breaks in YAML 1.1
        ("k: \"a\u2029  b\"\n", {"k": "a\u2029b"}),
        ("k: a\x85  b\n", {"k": "a b"}),
        ("k: [yes, 0x1F, 1_000, ~]\n", {"k": [True, 31, 1000, None]}),  # YAML 1.1 scalars in flow collections
        ("k: {a: off, b: 1:30}\n", {"k": {"a": False, "b": 90}}),
        ("k:\n  on: 1\n", {"k": {True: 1}}),  # ... and as keys
    ],
)
def test_front_matter_means_what_pyyaml_says(text: str, expected: dict[str, Any]) -> None:
    assert _same(load_mapping(text), expected)
    assert _same(load_mapping(text), yaml.load(text, Loader=_Reference))


def test_hostile_title_with_line_separator_is_exported_exactly(tmp_path: Path) -> None:
    base = next(b for b in fr.bases() if b.format == "inline")
    stem, title = fr.new_figid(base, 0), "½\u2028\u2068\\u0000㑛Δ"
    front = copy.deepcopy(base.data)
    front["figid"], front["figtitle"] = stem, title
    front["schema-jsonld"]["@id"] = f"{fr.FIGURE_BASE}{stem}.html"
    text = yaml.dump(front, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    assert "\u2028  " in text  # the dumper folds after U+2028, which YAML 1.1 reads as a line break
    record = fr.Record(stem, base.figid, fr.encode("---\n" + text + "---\n"), {}, ["figtitle"])
    record.write(tmp_path / "db")
    build_and_check(tmp_path / "db", tmp_path / "out", [record])
    names = [q.object.value for q in pyoxigraph.parse(path=str(tmp_path / "out" / "pfocr.nt"),
                                                      format=pyoxigraph.RdfFormat.N_TRIPLES)
             if q.predicate.value == SCHEMA_NAME and q.subject.value == f"{fr.FIGURE_BASE}{stem}.html"]
    assert names == [title]


# --- one seeded build of ≥ 10,000 records ---------------------------------------------------------

SEED = 20261125
RECORDS = 10_000


def test_ten_thousand_fuzzed_records_in_one_build(tmp_path: Path) -> None:
    """Every field of the sample with every wrong type (fuzz_records.WRONG_VALUES), then seeded
    random mutations, 10,000 records in one build with the gate on (`-j 2`)."""
    started = time.monotonic()
    root = tmp_path / "db"
    wrong = fr.wrong_type_records()
    for record in wrong:
        record.write(root)
    records = wrong + fr.write_corpus(root, RECORDS - len(wrong), SEED, start=len(wrong), jobs=2)
    generated = time.monotonic()
    checked = build_and_check(root, tmp_path / "out", records, jobs=2)
    assert checked.records == len(records) == RECORDS
    # the mutations reach every outcome: clean exports, field warnings, and many kinds of refusal
    unmutated = sum(not r.mutations for r in records)
    assert unmutated > 500 and checked.exported > 4000 and checked.quarantined > 2000
    assert checked.warnings > 1000 and len(checked.reasons) > 40
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    refused = " ".join(e["reason"] for e in report["quarantined"])
    for kind in ("invalid YAML", "not UTF-8", "nested deeper", "anchors/aliases", "no front matter",
                 "is not closed", "table line", "lacks column", "fails the shapes", "figid"):
        assert kind in refused, kind
    print(f"\n{RECORDS} records: generated in {generated - started:.1f} s, built and checked in "
          f"{time.monotonic() - generated:.1f} s; {checked.exported} exported, {checked.quarantined} "
          f"quarantined, {checked.warnings} field warnings, {checked.triples} triples")


def test_checker_catches_broken_outputs(tmp_path: Path) -> None:
    """check_build is not vacuous: a lost record, a triple only in pfocr.nt, an unparseable
    pfocr.ttl and an "internal error" reason each make it fail."""
    base = fr.bases()[0]
    records = [fr.Record(fr.new_figid(base, n), base.figid, fr.encode(base.text.replace(base.figid, fr.new_figid(base, n))))
               for n in range(2)]
    for record in records:
        record.write(tmp_path / "db")
    out = tmp_path / "out"
    checked = build_and_check(tmp_path / "db", out, records)
    assert (checked.exported, checked.quarantined) == (2, 0)
    report_path, nt, ttl = out / "report.json", out / "pfocr.nt", out / "pfocr.ttl"
    good = {p: p.read_bytes() for p in (report_path, nt, ttl)}

    def broken(change: Callable[[], None], needle: str) -> None:
        change()
        with pytest.raises(fr.Broken, match=needle):
            fr.check_build(out, [tmp_path / "db"], validate=True, records=records)
        for path, content in good.items():
            path.write_bytes(content)

    def edit_report(edit: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        def change() -> None:
            report = json.loads(good[report_path])
            edit(report)
            report_path.write_text(json.dumps(report), "utf-8")
        return change

    broken(edit_report(lambda r: r.update(records_read=3)), "records_read")
    internal = {"file": str(tmp_path / "db" / "_figures" / f"{records[1].stem}.md"),
                "reason": "internal error while reading (KeyError: 'x'); please report it"}
    broken(edit_report(lambda r: r.update(figures_written=1, quarantined=[internal], quarantined_count=1)),
           "bug of its own")
    broken(lambda: nt.write_bytes(good[nt] + b'<http://x/s> <http://x/p> "only in nt" .\n'), "differ")
    broken(lambda: ttl.write_bytes(good[ttl] + b"<unterminated"), "strict parser")
    broken(lambda: nt.write_bytes(b"".join(l + b"\n" for l in good[nt].split(b"\n") if records[1].stem.encode() not in l)),
           "differ")
    # v2 naming: an annotation renamed in both files is no longer the hash of what it says
    name = re.search(rb"#m-([0-9a-f]{12})>", good[nt]).group(1)  # type: ignore[union-attr]

    def rename() -> None:
        for path in (nt, ttl):
            path.write_bytes(good[path].replace(name, b"000000000000"))
    broken(rename, "not named by the hash")
