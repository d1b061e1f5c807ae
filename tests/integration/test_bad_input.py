"""Bad and hostile input, end to end through `kg build` (tests/fixtures/hostile/README.md).

Every run here also reads two good sample records and checks the contract: the bad record is
quarantined (or the bad value warned about and skipped) with a reason naming the cause, the good
records are still written, `records_read == figures_written + len(quarantined)`, the exit status is
right, and pfocr.nt and pfocr.ttl parse strictly (pyoxigraph) to the same triples.

Each case is a build of its own: all but one (invalid YAML, in the fast subset) are marked slow.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
from helpers import SAMPLE, TESTS
from helpers.build import Build
from helpers.records import clone_record, copy_record, replace_once

from kg.cli import main

HOSTILE = TESTS / "fixtures" / "hostile"
I = "PMC1342634__pgen.0010080.g001"  # the inline record most cases were edited from
S = "PMC10957088__pbio.3002543.g006"  # the sidecar record with a small genes TSV
GOOD = {
    "PMC1322299__pmed.0020415.g001": SAMPLE / "_figures" / "PMC1322299__pmed.0020415.g001.md",
    "PMC10031279__gr8": SAMPLE / "_figures" / "PMC10031279__gr8.md",
}
FIGURE = "https://pfocr.wikipathways.org/figures/{}.html"
SCHEMA = "http://schema.org/"
WP = "http://vocabularies.wikipathways.org/wp#"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
JOURNAL = "https://w3id.org/pfocr-kg/journal/"
PUBLISHER = "https://w3id.org/pfocr-kg/publisher/"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DATASET = pyoxigraph.NamedNode(SCHEMA + "Dataset")
ENTRY_KEYS = {"file", "figid", "field", "reason"}


@dataclass
class Run:
    build: Build
    stderr: str
    triples: set[pyoxigraph.Triple]

    @property
    def code(self) -> int:
        return self.build.exit_code

    @property
    def report(self) -> dict:
        return self.build.report

    @property
    def quarantined(self) -> list[dict[str, str]]:
        return self.report["quarantined"]

    @property
    def warnings(self) -> list[dict[str, str]]:
        return self.report["warnings"]

    def figures(self) -> set[str]:
        return {t.subject.value for t in self.triples if t.predicate == RDF_TYPE and t.object == DATASET}

    def values(self, subject: str, prop: str) -> list[str]:
        s, p = pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(prop)
        return sorted(t.object.value for t in self.triples if t.subject == s and t.predicate == p)

    def image(self, figid: str) -> str:
        """The image the record is about (schema:about): it carries contentUrl and position."""
        (image,) = self.values(FIGURE.format(figid), SCHEMA + "about")
        return image

    def iris(self) -> set[str]:
        return {
            term.value
            for t in self.triples
            for term in (t.subject, t.predicate, t.object)
            if isinstance(term, pyoxigraph.NamedNode)
        }


def build(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *sources: Path,
    extra: tuple[str, ...] = (),
    good: bool = True,
) -> Run:
    """`kg build` of `sources` (plus the good sample records), with the contract checked."""
    out = tmp_path / "out"
    every = [*sources, *(GOOD.values() if good else ())]
    code = main(["build", *map(str, every), "-o", str(out), "-q", "-j", "1", *extra])
    stderr = capsys.readouterr().err
    result = Build(out, code)
    report = result.report
    nt, ttl = result.triples("nt"), result.triples("ttl")  # strict parsers: raise on any bad term
    assert nt == ttl
    assert report["records_read"] == report["figures_written"] + len(report["quarantined"])
    assert report["quarantined_count"] == len(report["quarantined"])
    assert report["warnings_count"] == len(report["warnings"])
    assert report["triples"] == len(nt) == len(result.nt.splitlines())
    for entry in report["quarantined"] + report["warnings"]:
        assert set(entry) <= ENTRY_KEYS and {"file", "reason"} <= set(entry), entry
    for entry in report["quarantined"]:
        assert f"quarantined {entry['file']}" in stderr and entry["reason"] in stderr
    run = Run(result, stderr, nt)
    assert len(run.figures()) == report["figures_written"]
    if good:
        assert {FIGURE.format(f) for f in GOOD} <= run.figures()
    return run


def only_quarantined(
    run: Run, cause: str, *, figid: str | None = None, file_suffix: str = ""
) -> dict[str, str]:
    """The one quarantined entry; its reason mentions `cause`; the run went on (exit 0)."""
    assert run.code == 0
    assert len(run.quarantined) == 1, run.quarantined
    entry = run.quarantined[0]
    assert cause in entry["reason"], entry
    assert entry.get("figid") == figid, entry
    assert entry["file"].endswith(file_suffix), entry
    assert run.report["figures_written"] == len(GOOD)
    return entry


def warned(run: Run, field: str, cause: str, figid: str = I) -> dict[str, str]:
    """The warning about `field`; the record was still written, nothing quarantined."""
    assert run.code == 0 and run.quarantined == []
    assert FIGURE.format(figid) in run.figures()
    matches = [w for w in run.warnings if w.get("field") == field]
    assert len(matches) == 1, run.warnings
    assert cause in matches[0]["reason"] and matches[0]["figid"] == figid
    return matches[0]


def case(name: str) -> Path:
    return HOSTILE / name


def inline_text() -> str:
    return (SAMPLE / "_figures" / f"{I}.md").read_text("utf-8")


def write_record(root: Path, name: str, text: str | bytes) -> Path:
    path = root / "_figures" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


# --- the file and its front matter -------------------------------------------------------------


@pytest.mark.slow
def test_no_front_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("no-front-matter"))
    only_quarantined(run, "no front matter", file_suffix=f"no-front-matter/_figures/{I}.md")


@pytest.mark.slow
def test_unclosed_front_matter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("unclosed-front-matter"))
    only_quarantined(run, "front matter is not closed", file_suffix=f"{I}.md")


def test_invalid_yaml_names_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("invalid-yaml"))
    entry = only_quarantined(run, "invalid YAML at line 21, column 39", file_suffix=f"{I}.md")
    assert "mapping values are not allowed" in entry["reason"]
    line = (case("invalid-yaml") / "_figures" / f"{I}.md").read_text("utf-8").split("\n")[20]
    assert line[38] == ":" and line.startswith("figtitle:")  # the position really is the fault


@pytest.mark.slow
def test_raw_control_character_is_invalid_yaml_with_position(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = build(tmp_path, capsys, case("raw-control-char"))
    only_quarantined(run, "invalid YAML at line 21, column 22: unacceptable character #x0001")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "kind"), [("yaml-list", "list"), ("yaml-scalar", "str"), ("yaml-empty", "empty")]
)
def test_front_matter_that_is_not_a_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, kind: str
) -> None:
    run = build(tmp_path, capsys, case(name))
    only_quarantined(
        run, f"front matter is not a mapping (got {kind})", file_suffix=f"{name}/_figures/{I}.md"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("value", "cause"),
    [
        ("!!timestamp x", "invalid YAML: a value cannot be read"),
        ("!!int abc", "invalid YAML: a value cannot be read"),
        ("1" * 5000, "invalid YAML: a value cannot be read"),
        ("0x" + "f" * 5000, "integer too large to use (20000 bits)"),
    ],
    ids=["bad-timestamp-tag", "bad-int-tag", "5000-digit-int", "20000-bit-hex-int"],
)
def test_values_yaml_cannot_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, cause: str
) -> None:
    """PyYAML's safe constructor raises plain ValueError/AttributeError for these; they ended the run."""
    write_record(
        tmp_path / "db",
        f"{I}.md",
        inline_text().replace("pathway_score: 0.6898101", f"pathway_score: {value}", 1),
    )
    run = build(tmp_path, capsys, tmp_path / "db")
    only_quarantined(run, cause, file_suffix=f"{I}.md")


@pytest.mark.slow
def test_opening_line_with_trailing_blanks_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Jekyll accepts `--- ` (the closing line already could have trailing blanks)."""
    text = inline_text()
    assert text.startswith("---\n")
    write_record(tmp_path / "db", f"{I}.md", "--- \t" + text[3:])
    run = build(tmp_path, capsys, tmp_path / "db")
    assert run.code == 0 and run.quarantined == [] and FIGURE.format(I) in run.figures()


@pytest.mark.slow
def test_alias_bomb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Billion laughs: 10^9 "lol"s if expanded; refused without expanding anything."""
    levels = ['lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"lol{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 10)]
    text = inline_text().replace("figlink:", "\n".join(levels) + "\nfiglink:", 1)
    write_record(tmp_path / "db", f"{I}.md", text)
    run = build(tmp_path, capsys, tmp_path / "db")
    only_quarantined(run, "aliases are not accepted", file_suffix=f"{I}.md")
    assert "lol" not in run.build.nt.decode()


@pytest.mark.slow
def test_anchors_and_aliases_on_plain_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Even a harmless-looking scalar alias is refused: a list of many aliases to one big string
    would multiply the output without ever being a shared container."""
    run = build(tmp_path, capsys, case("anchors-aliases"))
    only_quarantined(run, "YAML anchors/aliases are not accepted", file_suffix=f"{I}.md")


@pytest.mark.slow
def test_deep_nesting_is_refused_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """200 000 nested `[` (400 KB) overflowed libyaml's recursive composer: a segfault, whole run lost."""
    depth = 200_000
    text = inline_text().replace("annotations: []", "annotations: " + "[" * depth + "]" * depth, 1)
    write_record(tmp_path / "db", f"{I}.md", text)
    run = build(tmp_path, capsys, tmp_path / "db")
    # Our own depth check speaks first with PyYAML ≤ 6.0.3; PyYAML 6.0.4's libyaml has a depth
    # limit of its own, reported as invalid YAML with the position. Either way: quarantined.
    entry = only_quarantined(run, "", file_suffix=f"{I}.md")
    assert "nested deeper than 64 levels" in entry["reason"] or (
        "invalid YAML at line" in entry["reason"] and "nesting depth" in entry["reason"]
    ), entry


@pytest.mark.slow
def test_file_over_max_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    limit = 100_000
    text = inline_text().replace("caption: The E3", "caption: " + "padding " * 20_000 + "The E3", 1)
    assert len(text.encode()) > limit
    write_record(tmp_path / "db", f"{I}.md", text)
    run = build(tmp_path, capsys, tmp_path / "db", extra=("--max-bytes", str(limit)))
    only_quarantined(run, f"larger than the limit of {limit} bytes", file_suffix=f"{I}.md")


@pytest.mark.slow
def test_file_at_max_bytes_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_record(tmp_path / "db", f"{I}.md", inline_text())
    size = path.stat().st_size
    sidecars = [
        SAMPLE / "_data" / "PMC10031279__gr8-genes.tsv",
        SAMPLE / "_data" / "PMC10031279__gr8-diseases.tsv",
    ]
    assert size >= max(p.stat().st_size for p in [*GOOD.values(), *sidecars])
    run = build(tmp_path, capsys, tmp_path / "db", extra=("--max-bytes", str(size)))
    assert run.quarantined == [] and FIGURE.format(I) in run.figures()


@pytest.mark.slow
def test_sidecar_over_max_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    shutil.copytree(case("tsv-bad-ids"), root)
    genes = root / "_data" / f"{S}-genes.tsv"
    header, *rows = genes.read_text("utf-8").splitlines(keepends=True)
    genes.write_text(header + rows[-1] * 2_000, "utf-8")  # one real row, many times: ~170 KB
    run = build(tmp_path, capsys, root, extra=("--max-bytes", "100000"))
    entry = only_quarantined(
        run, "larger than the limit of 100000 bytes", figid=S, file_suffix=f"{S}-genes.tsv"
    )
    assert "field" not in entry or entry["field"] in (None, "genes")


@pytest.mark.slow
def test_bytes_that_are_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("not-utf8"))
    entry = only_quarantined(run, "not UTF-8: byte 0xbd at offset", file_suffix=f"not-utf8/_figures/{I}.md")
    offset = int(entry["reason"].rsplit(" ", 1)[1])
    assert (case("not-utf8") / "_figures" / f"{I}.md").read_bytes()[offset] == 0xBD


@pytest.mark.slow
def test_bom_and_crlf_are_read_like_the_original(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figid = "PMC11495567__pone.0312563.g001"
    assert (case("bom-crlf") / "_figures" / f"{figid}.md").read_bytes().startswith(b"\xef\xbb\xbf---\r\n")
    run = build(tmp_path / "a", capsys, case("bom-crlf"))
    assert run.code == 0 and run.quarantined == [] and run.warnings == []
    assert run.report["figures_written"] == 3
    alone = build(tmp_path / "b", capsys, case("bom-crlf"), good=False)
    pristine = tmp_path / "pristine"  # the sample files, without the sample's _organisms/ pages
    for rel in (f"_figures/{figid}.md", f"_data/{figid}-genes.tsv", f"_data/{figid}-chemicals.tsv"):
        (pristine / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE / rel, pristine / rel)
    original = build(tmp_path / "c", capsys, pristine, good=False)
    assert alone.triples == original.triples and alone.build.nt == original.build.nt
    fig = FIGURE.format(figid)
    assert run.values(fig, SCHEMA + "name") == ["RAS signaling pathway"]  # no \r, no BOM
    assert not any("\r" in t.object.value or "\ufeff" in t.object.value for t in run.triples)
    annotations = {t.subject.value for t in run.triples if t.subject.value.startswith(fig + "#m-")}
    assert len(annotations) == 22 + 2  # distinct (word, source, match) of its 87 gene and 2 chemical rows


# --- the figid ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_missing_figid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = only_quarantined(build(tmp_path, capsys, case("figid-missing")), "figid is missing")
    assert entry["field"] == "figid"


@pytest.mark.slow
def test_empty_figid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = only_quarantined(build(tmp_path, capsys, case("figid-empty")), "figid is missing or empty")
    assert entry["field"] == "figid"


@pytest.mark.slow
def test_figid_not_matching_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("figid-mismatch"))
    entry = only_quarantined(run, f"does not match the file name '{I}.md'")
    assert "PMC1342634__pgen.0010080.g002" in entry["reason"] and entry["field"] == "figid"
    assert not any("PMC1342634" in iri for iri in run.iris())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "bad"),
    [("figid-slash", "PMC1342634__pgen/0010080.g001"), ("figid-dotdot", "PMC1342634__pgen..0010080.g001")],
)
def test_figid_with_path_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, bad: str
) -> None:
    run = build(tmp_path, capsys, case(name))
    entry = only_quarantined(run, "contains a path separator or '..'")
    assert repr(bad) in entry["reason"] and entry["field"] == "figid"
    assert not any("PMC1342634" in iri for iri in run.iris())
    assert not [p for p in tmp_path.rglob("*0010080*")]  # no file made from the figid anywhere


@pytest.mark.slow
@pytest.mark.parametrize(("name", "bad"), [("figid-space", " "), ("figid-gt", ">")])
def test_figid_with_iri_breaking_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, bad: str
) -> None:
    """The file is named after its (bad) figid, so only the identifier check can stop it."""
    figid = f"PMC1342634__pgen{bad}0010080.g001"
    text = (case(name) / "_figures" / f"{I}.md").read_text("utf-8")
    assert f"figid: {figid}\n" in text
    write_record(tmp_path / "db", f"{figid}.md", text)
    run = build(tmp_path, capsys, tmp_path / "db")
    entry = only_quarantined(
        run, f"figid identifier {figid!r} does not match PMC[1-9][0-9]*__", file_suffix=f"{figid}.md"
    )
    assert entry["field"] == "figid"
    assert not any("PMC1342634" in iri for iri in run.iris())


@pytest.mark.slow
def test_same_figid_in_two_database_roots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figid = "PMC1322299__pmed.0020415.g001"
    copy = case("duplicate-figid") / "_figures" / f"{figid}.md"
    run = build(tmp_path, capsys, case("duplicate-figid"))
    assert run.code == 0 and run.report["records_read"] == 3 and run.report["figures_written"] == 2
    assert len(run.quarantined) == 1
    entry = run.quarantined[0]
    assert entry["figid"] == figid and entry["field"] == "figid"
    assert f"duplicate figid {figid!r}: already read from" in entry["reason"]
    files = {str(copy), str(GOOD[figid])}
    assert entry["file"] in files and (files - {entry["file"]}).pop() in entry["reason"]
    titles = run.values(FIGURE.format(figid), SCHEMA + "name")
    assert len(titles) == 1  # one record's title, not a mix of both
    written_copy = titles[0].endswith("(second copy)")
    assert written_copy == (entry["file"] == str(GOOD[figid]))


# --- field values ------------------------------------------------------------------------------


@pytest.mark.slow
def test_non_numeric_entrez_in_inline_genes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("inline-bad-ids"))
    warned(run, "genes[0].entrez", "'73O6'")
    warned(run, "genes[2].entrez", "'٥٧٠١٦'")
    warned(run, "chemicals[0].identifier", "'X123'")
    genes = run.values(FIGURE.format(I), SCHEMA + "mentions")
    assert "https://identifiers.org/ncbigene/7299" in genes  # the good gene entry is kept
    assert "http://id.nlm.nih.gov/mesh/D004151" in genes  # and the good chemicals
    assert not any(x in iri for iri in run.iris() for x in ("73O6", "X123", "٥", "%D9%A5"))
    assert len([g for g in genes if "/ncbigene/" in g]) == 1 and len([g for g in genes if "/mesh/" in g]) == 7


@pytest.mark.slow
def test_non_numeric_ids_in_genes_tsv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("tsv-bad-ids"))
    warned(run, "genes.tsv row 2 ncbigene_id", "'1792S2'", S)
    warned(run, "genes.tsv row 4 organism_id", "'6239x'", S)
    mentions = run.values(FIGURE.format(S), SCHEMA + "mentions")
    gene = "https://identifiers.org/ncbigene/{}".format
    assert mentions == sorted(gene(n) for n in ("182748", "180081", "178214"))
    assert run.values(gene("180081"), SCHEMA + "taxonomicRange") == []  # its taxon was the bad value
    assert run.values(gene("178214"), SCHEMA + "taxonomicRange") == [
        "http://purl.obolibrary.org/obo/NCBITaxon_6239"
    ]
    assert not any("1792S2" in iri or "6239x" in iri for iri in run.iris())


@pytest.mark.slow
def test_malformed_mesh_and_chebi_in_chemicals_tsv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figid = "PMC12083809__pone.0322516.g001"
    run = build(tmp_path, capsys, case("chemicals-bad-ids"))
    warned(run, "chemicals.tsv row 4 mesh", "'X123'", figid)
    warned(run, "chemicals.tsv row 5 chebi", "'abc'", figid)
    mentions = run.values(FIGURE.format(figid), SCHEMA + "mentions")
    chebi = "https://identifiers.org/chebi/CHEBI:{}".format
    # Glycol keeps its (valid) ChEBI id; Serine had only the broken one and is dropped
    assert mentions == sorted(chebi(n) for n in ("33508", "29362", "30742", "57305", "17497"))
    assert not any("X123" in iri or "abc" in iri for iri in run.iris())


@pytest.mark.slow
def test_malformed_doid_and_mesh_in_diseases_tsv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figid = "PMC5883377__CN-16-151_F1B"
    run = build(tmp_path, capsys, case("diseases-bad-ids"))
    warned(run, "diseases.tsv row 2 doid", "'12x'", figid)
    warned(run, "diseases.tsv row 3 mesh", "'d001259'", figid)
    warned(run, "diseases.tsv row 3 doid", "'12x'", figid)
    disease = "http://id.nlm.nih.gov/mesh/D001259"
    assert disease in run.values(FIGURE.format(figid), SCHEMA + "mentions")
    assert run.values(disease, SCHEMA + "sameAs") == []
    assert not any("DOID_12x" in iri or "d001259" in iri for iri in run.iris())


@pytest.mark.slow
def test_tsv_with_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("tsv-missing-column"))
    entry = only_quarantined(
        run, "genes table lacks column(s) ncbigene_id", figid=S, file_suffix=f"_data/{S}-genes.tsv"
    )
    assert entry["field"] == "genes"


@pytest.mark.slow
def test_tsv_with_a_ragged_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("tsv-ragged"))
    entry = only_quarantined(
        run, "genes table line 3 has 10 fields, header has 11", figid=S, file_suffix=f"{S}-genes.tsv"
    )
    assert entry["field"] == "genes"


@pytest.mark.slow
def test_hostile_strings_are_written_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("hostile-strings"))
    assert run.code == 0 and run.quarantined == [] and run.report["figures_written"] == 4
    fig, sidecar = FIGURE.format(I), FIGURE.format(S)
    title = (
        'Harnessing "Natural" Diversity \\ to Probe\tMetabolic\nPathways\r \x00\x01\x1b\x7f\u2028'
        "\u202eDESREVER\u202c <b>{x}</b> ^^ @en . # \U0001f9ec e\u0301"
    )
    assert run.values(fig, SCHEMA + "name") == [title]
    assert run.values(fig, SCHEMA + "description") == [
        'line one "quoted" \\ \'\'\' """\nline two > < {{ }}\nThe E3 ubiquitin ligase'
    ]
    words = {t.object.value for t in run.triples if t.predicate.value.endswith("#ocrText")}
    assert 'His,"\\>\x00\x1b' in words
    assert 'B0507.8"\\\x00\x0b\x1b\x7f' in words and "pals-5 <x> {y} \u2028\u202e" in words
    # a file name with a space cannot be part of an IRI: warned and skipped; `>` is percent-encoded
    warned(run, "filename", "'pgen 0010080>g001.jpg'")
    assert run.values(run.image(I), SCHEMA + "contentUrl") == []
    assert run.values(run.image(S), SCHEMA + "contentUrl") == [
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10957088/bin/pbio.3002543%3Eg006.jpg"
    ]
    assert run.values(fig, SCHEMA + "contentUrl") == run.values(sidecar, SCHEMA + "contentUrl") == []
    nt = run.build.nt.decode("utf-8")
    assert all(ord(c) >= 0x20 for c in nt.replace("\n", ""))  # controls only as \u escapes


@pytest.mark.slow
def test_year_that_is_not_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("year-not-a-year"))
    warned(run, "year", "year '20a9' is not a four-digit year")
    assert run.values("https://identifiers.org/pmc/PMC1342634", SCHEMA + "datePublished") == []


@pytest.mark.slow
def test_year_that_yaml_would_read_as_an_impossible_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`year: 2005-13-45` unquoted: PyYAML's date constructor raised ValueError and ended the run."""
    run = build(tmp_path, capsys, case("year-impossible-date"))
    warned(run, "year", "'2005-13-45'")
    assert run.values("https://identifiers.org/pmc/PMC1342634", SCHEMA + "datePublished") == []


@pytest.mark.slow
def test_score_that_is_not_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("score-not-a-number"))
    warned(run, "pathway_score", "pathway_score 'abc' is not a number")
    assert run.values(FIGURE.format(I), "https://w3id.org/pfocr-kg/vocab#pathwayScore") == []


@pytest.mark.slow
def test_score_with_a_huge_exponent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """12 bytes of YAML that would be a billion-digit xsd:decimal."""
    run = build(tmp_path, capsys, case("score-huge-exponent"))
    warned(run, "pathway_score", "'1e999999999' is out of range")
    assert run.values(FIGURE.format(I), "https://w3id.org/pfocr-kg/vocab#pathwayScore") == []
    assert len(run.build.nt) < 200_000


@pytest.mark.slow
def test_organisms_as_a_number(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("organisms-number"))
    warned(run, "organisms", "expected a list of names, got int")
    paper = "https://identifiers.org/pmc/PMC1342634"  # `organisms` are the paper's
    assert run.values(paper, SCHEMA + "about") == [] and run.values(paper, PFOCR + "organismName") == []
    # the record's organisms are its genes' (inline: human), whatever `organisms` says
    assert run.values(FIGURE.format(I), WP + "organismName") == ["Homo sapiens"]


@pytest.mark.slow
def test_gene_entry_that_is_a_string(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("gene-entry-string"))
    warned(run, "genes", "genes[1] is not a mapping")
    genes = [g for g in run.values(FIGURE.format(I), SCHEMA + "mentions") if "/ncbigene/" in g]
    assert genes == ["https://identifiers.org/ncbigene/57016", "https://identifiers.org/ncbigene/7306"]


@pytest.mark.slow
def test_unreadable_organism_page_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("organism-page-bad"))
    assert run.code == 0 and run.quarantined == []
    pages = [w for w in run.warnings if w["file"].endswith("organism-page-bad/_organisms/homo_sapiens.md")]
    assert len(pages) == 1 and "organism page skipped: invalid YAML at line 5" in pages[0]["reason"]
    # the built-in table still knows Homo sapiens
    taxa = run.values(FIGURE.format(I), WP + "organism")
    assert taxa == ["http://purl.obolibrary.org/obo/NCBITaxon_9606"]


# --- SOURCE arguments and exit status ----------------------------------------------------------


@pytest.mark.slow
def test_nonexistent_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no such folder"
    out = tmp_path / "out"
    code = main(["build", str(GOOD["PMC10031279__gr8"]), str(missing), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(missing) in err and "no such file or folder" in err
    assert not (out / "report.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["bare", "database root"])
def test_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str) -> None:
    empty = tmp_path / "empty"
    (empty / "_figures" if layout == "database root" else empty).mkdir(parents=True)
    (empty / "notes.txt").write_text("not a record\n")
    out = tmp_path / "out"
    code = main(["build", str(empty), "-o", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(empty) in err and "no figure records" in err
    assert not (out / "report.json").exists()


@pytest.mark.slow
def test_strict_exits_1_when_something_is_quarantined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = build(tmp_path / "strict", capsys, case("figid-missing"), extra=("--strict",))
    assert run.code == 1 and len(run.quarantined) == 1
    assert run.report["figures_written"] == len(GOOD)  # still written, exit status aside
    lenient = build(tmp_path / "lenient", capsys, case("figid-missing"))
    assert lenient.code == 0
    assert json.dumps(lenient.report, sort_keys=True) == json.dumps(run.report, sort_keys=True)


@pytest.mark.slow
def test_strict_exits_0_with_warnings_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, case("year-not-a-year"), extra=("--strict",))
    assert run.code == 0 and run.quarantined == [] and run.warnings


@pytest.mark.slow
def test_every_hostile_case_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """All committed cases in one run: one bad record never disturbs the others, counts add up."""
    cases = sorted(p for p in HOSTILE.iterdir() if p.is_dir())
    assert len(cases) >= 30
    run = build(tmp_path, capsys, *cases)
    assert run.code == 0
    assert run.report["records_read"] == sum(len(list((c / "_figures").glob("*.md"))) for c in cases) + len(
        GOOD
    )
    reasons = " | ".join(q["reason"] for q in run.quarantined)
    for cause in (
        "no front matter",
        "not closed",
        "invalid YAML",
        "not a mapping",
        "aliases",
        "not UTF-8",
        "figid is missing",
        "does not match the file name",
        "path separator",
        "lacks column",
        "has 10 fields",
        "duplicate figid",
    ):
        assert cause in reasons
    assert FIGURE.format("PMC11495567__pone.0312563.g001") in run.figures()  # the BOM + CRLF record
    # the readable variants of one inline record share its figid: the first is written, the rest
    # are quarantined as duplicates, each naming the file that was kept
    duplicates = [q for q in run.quarantined if q["reason"].startswith(f"duplicate figid '{I}'")]
    assert len(duplicates) >= 8 and FIGURE.format(I) in run.figures()


# --- identifiers that would split or collide nodes (decision 0014) ------------------------------


@pytest.mark.slow
def test_block_id_that_is_not_the_figure_page_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "db"
    other = f"https://pfocr.wikipathways.org/figures/{I}.html"
    write_record(root, f"{I}.md", inline_text().replace(f"'@id': {other}", "'@id': https://example.org/other.html"))
    run = build(tmp_path, capsys, root)
    warned(run, "schema-jsonld.@id", "'https://example.org/other.html' is not this figure's page")
    assert "https://example.org/other.html" not in run.iris()


@pytest.mark.slow
def test_leading_zero_gene_id_is_refused_not_a_second_node(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_record(tmp_path / "db", S)
    tsv = root / "_data" / f"{S}-genes.tsv"
    tsv.write_text(tsv.read_text("utf-8").replace("\t182748\t", "\t0182748\t"), "utf-8")
    run = build(tmp_path, capsys, root)
    warned(run, "genes.tsv row 3 ncbigene_id", "has a leading zero", S)
    assert not any(iri.endswith("/0182748") for iri in run.iris())


@pytest.mark.slow
def test_second_chebi_for_one_mesh_term_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figid = "PMC12083809__pone.0322516.g001"
    root = copy_record(tmp_path / "db", figid)
    tsv = root / "_data" / f"{figid}-chemicals.tsv"
    tsv.write_text(
        tsv.read_text("utf-8")
        + "Adenosine triphosphate\tD000255\tadenosine triphosphate\tATP\tchebi:15422\n"
        + "ATP\tD000255\tadenosine triphosphate\tATP\tchebi:30616\n",
        "utf-8",
    )
    run = build(tmp_path, capsys, root)
    # one warning for the row, naming both forms of the ChEBI id it could not keep
    entry = warned(run, "mentions", "https://identifiers.org/chebi/CHEBI:30616", figid)
    assert "http://purl.obolibrary.org/obo/CHEBI_30616" in entry["reason"]
    assert "the first are kept" in entry["reason"] and "(mention of 'ATP')" in entry["reason"]
    mesh = "http://id.nlm.nih.gov/mesh/D000255"
    assert run.values(mesh, WP + "bdbChEBI") == ["https://identifiers.org/chebi/CHEBI:15422"]
    assert run.values(mesh, SKOS + "exactMatch") == ["http://purl.obolibrary.org/obo/CHEBI_15422"]


@pytest.mark.slow
def test_match_source_cannot_name_a_vocabulary_term(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_record(tmp_path / "db", S)
    tsv = root / "_data" / f"{S}-genes.tsv"
    lines = tsv.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace("\tncbigene_symbol\t", "\tMatchSource\t")
    tsv.write_text("\n".join(lines), "utf-8")
    run = build(tmp_path, capsys, root)
    warned(run, "source", "unknown match source 'matchsource'", S)
    vocab_term = "https://w3id.org/pfocr-kg/vocab#MatchSource"
    assert run.values(vocab_term, str(RDF_TYPE.value)) == []  # the class is never described as a source
    assert "https://w3id.org/pfocr-kg/vocab#matchsource" in run.iris()



# --- v2 fields: NDEx, WikiPathways, figlink, journal and publisher names ------------------------


def _edited_sidecar(root: Path, *edits: tuple[str, str], figid: str = S, new_figid: str | None = None) -> Path:
    """The sample's sidecar record `figid` under `root` with each (old, new) line edit made once
    (the figid renamed when `new_figid` is given, in the front matter and the TSVs' names)."""
    clone_record(root, figid, new_figid=new_figid, md=replace_once(*edits) if edits else None)
    return root


def _yaml(value: str) -> str:
    """`value` as a YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.slow
@pytest.mark.parametrize(
    "bad",
    ["66c48006-ded7-11ea-99da-0ac135e8bac", "66c48006 ded7 11ea 99da 0ac135e8bacf", "<66c48006>",
     "../66c48006-ded7-11ea-99da-0ac135e8bacf", "https://www.ndexbio.org/viewer/networks/x", "٦٦c48006"],
)
def test_malformed_ndex_is_warned_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    run = build(tmp_path, capsys, _edited_sidecar(tmp_path / "db", ("ndex: ''", f"ndex: {_yaml(bad)}")))
    entry = warned(run, "ndex", repr(bad), S)
    assert "value skipped" in entry["reason"]
    assert run.values(FIGURE.format(S), "http://www.w3.org/2000/01/rdf-schema#seeAlso") == []
    assert not any("ndexbio" in iri for iri in run.iris())
    assert run.report["validation"]["violations"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["WP 4760", "wp4760", "WP4760>", "WP٤٧٦٠", "WP", "https://www.wikipathways.org/pathways/WP4760"])
def test_malformed_wpid_is_warned_and_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    root = _edited_sidecar(tmp_path / "db", ("ndex: ''", f"ndex: ''\nwpid: {_yaml(bad)}"))
    run = build(tmp_path, capsys, root)
    entry = warned(run, "wpid", repr(bad), S)
    assert "value skipped" in entry["reason"]
    derived = [t for t in run.triples if t.predicate.value == "http://www.w3.org/ns/prov#wasDerivedFrom"]
    assert derived == []
    assert not any("wikipathways/" in iri for iri in run.iris())


@pytest.mark.slow
def test_good_wpid_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The control for the two tests above: the same edit with a good value gives the links."""
    root = _edited_sidecar(tmp_path / "db", ("ndex: ''", "ndex: 66C48006-DED7-11EA-99DA-0AC135E8BACF\nwpid: WP4760"))
    run = build(tmp_path, capsys, root)
    assert run.warnings == [] and run.quarantined == []
    assert run.values("https://identifiers.org/wikipathways/WP4760", "http://www.w3.org/ns/prov#wasDerivedFrom") == [
        FIGURE.format(S)]
    assert run.values(FIGURE.format(S), "http://www.w3.org/2000/01/rdf-schema#seeAlso") == [
        "https://www.ndexbio.org/viewer/networks/66c48006-ded7-11ea-99da-0ac135e8bacf"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "bad",
    [
        "/pmc/articles/PMC10957088/figure/F 6/",
        "/pmc/articles/PMC999/figure/F6/",  # another paper's figure
        "/pmc/articles/PMC10957088/figure/../../PMC999/figure/F6/",
        "/pmc/articles/PMC10957088/figure/<F6>/",
        "/pmc/articles/PMC10957088/figure/Ф6/",
        "/pmc/articles/PMC10957088/figure/",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC10957088/figure/F6/\"> <x",
        "F6",
    ],
)
def test_malformed_figlink_falls_back_to_the_record_image(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    root = _edited_sidecar(tmp_path / "db", ("figlink: /pmc/articles/PMC10957088/figure/F6", f"figlink: {_yaml(bad)}"))
    run = build(tmp_path, capsys, root)
    entry = warned(run, "figlink", repr(bad), S)
    assert "<record>#image" in entry["reason"]
    image = FIGURE.format(S) + "#image"
    assert run.image(S) == image
    assert run.values(image, SCHEMA + "isPartOf") == ["https://identifiers.org/pmc/PMC10957088"]
    assert run.values(image, SCHEMA + "position") == ["F6"]
    targets = {t.object.value for t in run.triples if t.predicate.value == "http://www.w3.org/ns/oa#hasTarget"
               and t.subject.value.startswith(FIGURE.format(S))}
    assert targets == {image}
    assert not any(iri.startswith("https://pmc.ncbi.nlm.nih.gov/articles/PMC10957088/") for iri in run.iris())
    assert run.report["validation"]["violations"] == 0


@pytest.mark.slow
def test_figlink_not_given_is_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = build(tmp_path, capsys, _edited_sidecar(tmp_path / "db", ("figlink: /pmc/articles/PMC10957088/figure/F6\n", "")))
    assert run.warnings == [] and run.image(S) == FIGURE.format(S) + "#image"


def _hash_slug(name: str) -> str:
    return "x-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "abbreviation", "slug"),
    [
        ('PLOS <Biology> "x" {y}|^`\\', 'PLoS <Biol> "x" {y}|^`\\', "plos-biol-x-y"),
        ("Revista Española de Cardiología", "Rev Esp Cardiol", "rev-esp-cardiol"),
        ("Revista Española de Cardiología", None, "revista-espanola-de-cardiologia"),  # no abbreviation: the title
        ("🧬 Genomics 🧬", "🧬 Genomics", "genomics"),
        ("中华医学杂志", "中华医学杂志", _hash_slug("中华医学杂志")),
        ("Cell\tReports\nMedicine", "Cell\tRep Med", "cell-rep-med"),
        ("Ελληνική Ιατρική", None, _hash_slug("Ελληνική Ιατρική")),
    ],
)
def test_journal_names_outside_iri_syntax_get_a_slug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, abbreviation: str | None, slug: str
) -> None:
    root = _edited_sidecar(
        tmp_path / "db",
        ("journal_title: PLOS Biology", f"journal_title: {_yaml(title)}"),
        ("journal_nlm_ta: PLoS Biol", "" if abbreviation is None else f"journal_nlm_ta: {_yaml(abbreviation)}"),
        ("publisher_name: Public Library of Science", f"publisher_name: {_yaml(title + ' Press')}"),
    )
    run = build(tmp_path, capsys, root)
    assert run.code == 0 and run.quarantined == [] and run.warnings == []
    assert run.report["validation"]["violations"] == 0
    journal = JOURNAL + slug
    assert run.values("https://identifiers.org/pmc/PMC10957088", SCHEMA + "isPartOf") == [journal]
    assert run.values(journal, SCHEMA + "name") == [title]  # the names themselves are literals, as given
    assert run.values(journal, SCHEMA + "alternateName") == ([] if abbreviation is None else [abbreviation])
    (publisher,) = run.values(journal, SCHEMA + "publisher")
    assert run.values(publisher, SCHEMA + "name") == [title + " Press"]
    assert publisher.startswith(PUBLISHER) and all(ord(c) < 128 for c in publisher)
    again = build(tmp_path / "again", capsys, root)  # deterministic
    assert again.build.nt == run.build.nt


@pytest.mark.slow
def test_one_abbreviation_two_journal_titles_is_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two figures give NLM abbreviation `PLoS Biol` different titles: one node (its slug), the first
    figure's title exported, the other warned as any entity description is (field `entity`)."""
    other = "PMC10957088__pbio.3002543.g007"
    root = _edited_sidecar(tmp_path / "db")
    _edited_sidecar(root, ("journal_title: PLOS Biology", "journal_title: PLoS Biology (Online)"), new_figid=other)
    run = build(tmp_path, capsys, root)
    assert run.code == 0 and run.quarantined == [] and {FIGURE.format(S), FIGURE.format(other)} <= run.figures()
    entities = [w for w in run.warnings if w.get("field") == "entity"]
    assert len(entities) == 1 and entities[0]["figid"] == other
    reason = entities[0]["reason"]
    assert f"<{JOURNAL}plos-biol>" in reason and '"PLoS Biology (Online)"' in reason
    assert f'"PLOS Biology" is exported, from figure {S}' in reason
    assert run.values(JOURNAL + "plos-biol", SCHEMA + "name") == ["PLOS Biology"]
    assert run.report["validation"]["violations"] == 0


@pytest.mark.slow
def test_two_abbreviations_with_one_slug_are_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = "PMC10957088__pbio.3002543.g007"
    root = _edited_sidecar(tmp_path / "db")
    _edited_sidecar(root, ("journal_nlm_ta: PLoS Biol", "journal_nlm_ta: 'PLOS  BIOL.'"), new_figid=other)
    run = build(tmp_path, capsys, root)
    entities = [w for w in run.warnings if w.get("field") == "entity"]
    assert len(entities) == 1 and entities[0]["figid"] == other
    assert '"PLOS  BIOL."' in entities[0]["reason"] and '"PLoS Biol" is exported' in entities[0]["reason"]
    assert run.values(JOURNAL + "plos-biol", SCHEMA + "alternateName") == ["PLoS Biol"]


@pytest.mark.slow
def test_repeated_inline_entries_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An inline gene entry given three times: one annotation, pfocr:occurrences 3."""
    text = inline_text()
    start = text.index("genes:\n") + len("genes:\n")
    end = text.index("\n- ", start + 2) + 1  # the first entry's lines
    entry = text[start:end]
    write_record(tmp_path / "db", f"{I}.md", text[:start] + entry * 3 + text[start:])
    run = build(tmp_path, capsys, tmp_path / "db")
    assert run.code == 0 and run.quarantined == [] and run.warnings == []
    counts = [(t.subject.value, t.object.value) for t in run.triples if t.predicate.value == PFOCR + "occurrences"]
    assert len(counts) == 1 and counts[0][1] == "4"  # given three more times than the original one
    assert counts[0][0].startswith(FIGURE.format(I) + "#m-")


@pytest.mark.slow
def test_two_records_of_one_pmc_figure_share_its_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two figids with one figlink (PFOCR lists some PMC figures twice): one image node, described
    once (the build's triple count is the file's distinct lines); a second file name for it is
    warned as for any shared node, not written."""
    other = "PMC10957088__pbio.3002543.g007"
    root = _edited_sidecar(tmp_path / "db")
    _edited_sidecar(root, ("filename: pbio.3002543.g006.jpg", "filename: pbio.3002543.g007.jpg"), new_figid=other)
    run = build(tmp_path, capsys, root)  # build() checks report["triples"] == distinct == lines
    image = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10957088/figure/F6/"
    assert run.image(S) == run.image(other) == image
    assert len(run.build.nt.splitlines()) == len(set(run.build.nt.splitlines()))
    assert run.values(image, SCHEMA + "contentUrl") == [
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC10957088/bin/pbio.3002543.g006.jpg"]
    entities = [w for w in run.warnings if w.get("field") == "entity"]
    assert len(entities) == 1 and entities[0]["figid"] == other and f"<{image}>" in entities[0]["reason"]
    assert "pbio.3002543.g007.jpg" in entities[0]["reason"]
    # each record keeps its own annotations on the shared image
    for figid in (S, other):
        names = {t.subject.value for t in run.triples if t.predicate.value == "http://www.w3.org/ns/oa#hasTarget"
                 and t.subject.value.startswith(FIGURE.format(figid) + "#m-")}
        assert len(names) == 4
    assert run.report["validation"]["violations"] == 0
