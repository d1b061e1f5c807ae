"""OUTDIR/report.html, written by `kg build` next to report.json: counts, quarantined records with
reasons and links, warnings per shape message, field warnings, and SVG plots of the graph; one
self-contained file (no network, no other file needed to view it), escaped, same bytes each build."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import FIXTURES, SAMPLE, SEED_FIGID
from helpers.build import Build, run_build
from helpers.hostile import HOSTILE, hostile_db
from helpers.needs import MATPLOTLIB_HINT, require_module
from helpers.pages import start_tags

from kg.report import html as report_html
from kg.report.html import graph_statistics, render_report

BAD_FIGID_FILE = "PMC1342634__pgen>0010080.g001.md"


def _mixed_db(root: Path) -> Path:
    """The seed (exported), and copies that are quarantined for each kind of reason: invalid YAML,
    a figid with `>` (in the file name too), a pathway score of 1.5 (fails the shapes); in a second
    root, a year that is not a year (a field warning)."""
    figures = root / "db" / "_figures"
    figures.mkdir(parents=True)
    seed = (SAMPLE / "_figures" / f"{SEED_FIGID}.md").read_text("utf-8")
    (figures / f"{SEED_FIGID}.md").write_text(seed, encoding="utf-8")
    shutil.copy(FIXTURES / "hostile" / "invalid-yaml" / "_figures" / "PMC1342634__pgen.0010080.g001.md", figures)
    shutil.copy(FIXTURES / "hostile" / "figid-gt" / "_figures" / "PMC1342634__pgen.0010080.g001.md", figures / BAD_FIGID_FILE)
    score = seed.replace("pathway_score: 0.924795", "pathway_score: 1.5").replace(SEED_FIGID, "PMC9000001__ajtr0001-0001-f3")
    (figures / "PMC9000001__ajtr0001-0001-f3.md").write_text(score, encoding="utf-8")
    shutil.copytree(FIXTURES / "hostile" / "year-not-a-year", root / "db2")
    return root


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = _mixed_db(tmp_path_factory.mktemp("report"))
    return run_build(root / "out", root / "db", root / "db2")


def test_report_html_is_written_next_to_report_json(sample_build: Build) -> None:
    page = (sample_build.outdir / "report.html").read_text("utf-8")
    report = sample_build.report
    for label, value in (("records read", report["records_read"]), ("figures written", report["figures_written"]),
                         ("triples", report["triples"])):
        assert f'<li><span class="n">{value:,}</span>{label}</li>' in page
    for severity, messages in report["validation"]["by_message"].items():
        for message, count in messages.items():
            assert f"<td>{severity}</td><td>{message}</td><td class=\"num\">{count:,}</td>" in page


def test_report_html_needs_nothing_else(sample_build: Build) -> None:
    """Plots are inline SVG, the stylesheet inline: no file or network fetch to view it."""
    require_module("matplotlib", hint=MATPLOTLIB_HINT)
    page = (sample_build.outdir / "report.html").read_text("utf-8")
    tags = start_tags(page)
    assert [t for t, a in tags if t in ("img", "script", "iframe", "object", "embed")] == []
    assert [a for t, a in tags if t == "link"] == []
    assert not re.search(r"""(src|srcset)=""", page) and "@import" not in page and "url(http" not in page
    svgs = [a for t, a in tags if t == "svg"]
    assert len(svgs) == 6 and all(a.get("role") == "img" and a.get("aria-label") for a in svgs)
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 100  # matplotlib's ids, scoped per plot
    for ref in re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", page):
        assert (ref[0] or ref[1]) in ids


def test_plot_numbers_are_the_graphs(sample_build: Build) -> None:
    """Each number as SPARQL gives it from the v2 graph: figures are records (schema:Dataset), a
    figure's year that of the paper its image is part of, organisms the record's gene organisms,
    match sources counted per annotation."""
    stats = graph_statistics(sample_build.outdir / "pfocr.nt")
    assert stats.figures == 35 and stats.papers == 34  # two figures of PMC10028837
    years = Counter({r["y"]: int(r["n"]) for r in sample_build.select(
        "SELECT ?y (COUNT(?f) AS ?n) WHERE { ?f a schema:Dataset ; schema:about/schema:isPartOf/schema:datePublished ?y } "
        "GROUP BY ?y")})
    assert {y: n for y, n in stats.figures_per_year.items() if y != "unknown"} == years
    assert sum(stats.figures_per_year.values()) == 35
    organisms = {r["o"]: int(r["n"]) for r in sample_build.select(
        "SELECT ?o (COUNT(?f) AS ?n) WHERE { ?f a schema:Dataset ; wp:organismName ?o } GROUP BY ?o")}
    assert dict(stats.organisms) == organisms
    genes = {f"<{r['g']}>": int(r["n"]) for r in sample_build.select(
        "SELECT ?g (COUNT(?f) AS ?n) WHERE { ?f a schema:Dataset ; schema:mentions ?g . ?g a schema:Gene } GROUP BY ?g")}
    assert dict(stats.gene_figures) == genes
    sources = {f"<{r['s']}>": int(r["n"]) for r in sample_build.select(
        "SELECT ?s (COUNT(?m) AS ?n) WHERE { ?m a oa:Annotation ; pfocr:matchSource ?s } GROUP BY ?s")}
    assert dict(stats.match_sources) == sources
    ((annotations, links),) = [(int(r["a"]), int(r["b"])) for r in sample_build.select(
        "SELECT (COUNT(DISTINCT ?m) AS ?a) (COUNT(?b) AS ?b) WHERE { ?m a oa:Annotation ; oa:hasBody ?b }")]
    assert (stats.annotations, stats.entity_links) == (annotations, links) and annotations < links
    per_figure = Counter(int(r["n"]) for r in sample_build.select(
        "SELECT ?f (COUNT(?g) AS ?n) WHERE { ?f a schema:Dataset OPTIONAL { ?f schema:mentions ?g . ?g a schema:Gene } } GROUP BY ?f"))
    assert stats.genes_per_figure == per_figure
    reads = Counter((f"<{r['g']}>", " ".join(sorted(f"<{s}>" for s in r["ss"].split()))) for r in sample_build.select(
        "SELECT ?f ?g (GROUP_CONCAT(DISTINCT STR(?s)) AS ?ss) WHERE { ?m a oa:Annotation ; oa:hasBody ?g ; pfocr:matchSource ?s . "
        "?g a schema:Gene . BIND(IRI(STRBEFORE(STR(?m), \"#\")) AS ?f) } GROUP BY ?f ?g"))
    assert stats.gene_reads == reads
    exact = Counter(f"<{r['g']}>" for r in sample_build.select(
        "SELECT DISTINCT ?f ?g WHERE { ?m oa:hasBody ?g ; pfocr:matchSource/pfocr:matchKind pfocr:ExactSymbolMatch . "
        "?g a schema:Gene . BIND(STRBEFORE(STR(?m), \"#\") AS ?f) }"))
    page = (sample_build.outdir / "report.html").read_text("utf-8")
    top = min(exact.items(), key=lambda kv: (-kv[1], stats.gene_symbols[kv[0]], kv[0]))
    top_genes = page.split('id="h-top-genes"', 1)[1]
    assert f"({top[0].strip('<>').rsplit('/', 1)[-1]})</td><td class=\"num\">{top[1]}</td>" in top_genes
    most = max(genes.values())  # a family expansion: not among the exact matches
    assert most > max(exact.values())
    for label, value in (("annotations", annotations), ("entity links (annotation bodies)", links)):
        assert f'<li><span class="n">{value:,}</span>{label}</li>' in page
    assert "Annotations by kind of match" in page and "Figures per organism of their genes" in page


def test_one_bar_per_kind_of_match(sample_build: Build) -> None:
    """The two FamPlex sources (bioentities_symbol, famplex_relations) make one concept, family
    expansion: one bar, the sources named in its table row."""
    stats = graph_statistics(sample_build.outdir / "pfocr.nt")
    kinds = report_html.match_kinds(stats)
    assert len({k.kind for k in kinds}) == len(kinds)
    family = next(k for k in kinds if k.kind == "FamilyMatch")
    assert [label for label, _ in family.sources] == ["Bioentities (FamPlex) family expanded to members",
                                                      "FamPlex family expanded to members"]
    assert family.annotations == sum(n for _, n in family.sources) == sum(
        n for s, n in stats.match_sources.items() if stats.source_kinds[s] == "FamilyMatch")
    assert sum(k.annotations for k in kinds) == stats.annotations
    page = (sample_build.outdir / "report.html").read_text("utf-8")
    plot = page.split('id="h-match-sources"', 1)[1].split("</svg>", 1)[0]
    assert plot.count(">family expansion ⚠<") + plot.count(">family expansion<") == 1
    assert "FamPlex family expanded" not in plot


def test_seed_report_by_hand(seed_build: Build) -> None:
    """The seed record's 24 gene rows (kg.report.graph_facts' test explains them): 11
    annotations naming 24 genes; 12 `Caspase` rows are one family annotation, so the family
    source counts 2 annotations (Caspase, TGFB), not 15 rows."""
    page = (seed_build.outdir / "report.html").read_text("utf-8")
    for label, value in (("papers", 1), ("genes", 24), ("annotations", 11), ("entity links (annotation bodies)", 24)):
        assert f'<li><span class="n">{value}</span>{label}</li>' in page, label
    family = "Bioentities (FamPlex) family expanded to members"
    assert f'<td>family expansion ⚠</td><td class="num">2</td><td>{family}: 2</td>' in page
    assert '<td>alias symbol match ⚠</td><td class="num">6</td><td>HGNC alias symbol: 6</td>' in page
    # the genes the words Caspase (12 caspases) and TGFB (TGFB1, 2, 3) name count apart from exact matches
    family_genes = page.split('id="h-family-genes"', 1)[1]
    assert family_genes.count('<td class="num">1</td><td class="num">0</td></tr>') == 12 + 3
    assert '<td>Homo sapiens</td><td class="num">1</td>' in page


@pytest.mark.slow
def test_quarantined_records_with_reasons_and_links(mixed: Build) -> None:
    report = mixed.report
    assert len(report["quarantined"]) == 3 and report["figures_written"] == 2
    page = (mixed.outdir / "report.html").read_text("utf-8")
    links = [a["href"] for t, a in start_tags(page) if t == "a" and a.get("href")]
    for problem in report["quarantined"]:
        escaped = problem["reason"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        escaped = escaped.replace('"', "&quot;").replace("'", "&#x27;")
        assert f"<td>{escaped}</td>" in page
        source = Path(problem["file"]).resolve()
        assert any((mixed.outdir / unquote(h)).resolve() == source for h in links), problem["file"]
    assert "quarantine/PMC9000001__ajtr0001-0001-f3.ttl" in links
    assert (mixed.outdir / "quarantine" / "PMC9000001__ajtr0001-0001-f3.ttl").is_file()
    assert BAD_FIGID_FILE not in page  # the `>` is escaped wherever the file name appears
    assert BAD_FIGID_FILE.replace(">", "&gt;") in page
    # warnings per shape message (the violation among them), and the field warnings
    for severity, messages in report["validation"]["by_message"].items():
        for message, count in messages.items():
            assert f"<td>{severity}</td><td>{message}</td><td class=\"num\">{count:,}</td>" in page
    assert "Violation" in report["validation"]["by_message"]
    for warning in report["warnings"]:
        assert f"<td>{warning['field']}</td><td>{warning['reason'].replace(chr(39), '&#x27;')}</td>" in page


@pytest.mark.slow
def test_same_input_same_bytes(mixed: Build, tmp_path: Path) -> None:
    root = mixed.outdir.parent
    again = run_build(root / "again", root / "db2", root / "db")  # other order, same files
    assert (again.outdir / "report.html").read_bytes() == (mixed.outdir / "report.html").read_bytes()


def test_without_matplotlib_the_numbers_stay(sample_build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_html, "_matplotlib", lambda: None)
    monkeypatch.setattr(report_html, "matplotlib_installed", lambda: False)
    page = render_report(sample_build.report, graph_statistics(sample_build.outdir / "pfocr.nt")).decode("utf-8")
    assert "<svg" not in page and "Plots need matplotlib" in page
    assert page.count("<summary>The numbers</summary>") == 6


@pytest.mark.slow
def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    build = run_build(tmp_path / "out", hostile_db(tmp_path / "db"))
    page = (build.outdir / "report.html").read_text("utf-8")
    # the hostile gene symbol (all its genes tie at one figure: it is among the top 20 by symbol),
    # in the top-genes table and the plot's SVG text; and in the field warning it caused
    hostile_symbol = "Gene &lt;/script&gt;&lt;script&gt;alert(1)"
    top_genes = page.split('id="h-top-genes"', 1)[1]
    svg = top_genes[top_genes.index("<svg"):top_genes.index("</svg>")]
    assert f"<td>{hostile_symbol}" in top_genes and f">{hostile_symbol}" in svg
    assert "symbol identifier &#x27;" + hostile_symbol in page
    assert HOSTILE not in page and "<script" not in page and "<b>" not in page and "<img" not in page
    assert [t for t, _ in start_tags(page) if t in ("script", "img", "b")] == []
    assert "\x00" not in page


@pytest.mark.slow
def test_report_json_unchanged_by_it(mixed: Build) -> None:
    """report.html is an extra: report.json keeps its keys and is still published last."""
    assert set(mixed.report) == {"tool", "records_read", "figures_written", "triples", "quarantined_count",
                                 "warnings_count", "validation", "quarantined", "warnings"}
    html_time = (mixed.outdir / "report.html").stat().st_mtime_ns
    assert html_time <= (mixed.outdir / "report.json").stat().st_mtime_ns
    assert json.loads((mixed.outdir / "report.json").read_text("utf-8")) == mixed.report


def test_file_links_are_relative_to_the_report_wherever_the_file_is(tmp_path, monkeypatch) -> None:
    """Each warning's link is the file's resolved path relative to OUTDIR's resolved path, as
    os.path.relpath gives it, though folders are resolved once a report: files beside the report,
    in a sibling folder, behind a symlinked file or folder, named relative to the working folder."""
    outdir, db, elsewhere = tmp_path / "out", tmp_path / "db" / "_figures", tmp_path / "else"
    for folder in (outdir, db, elsewhere):
        folder.mkdir(parents=True)
    (tmp_path / "linked").symlink_to(db)
    (db / "via.md").symlink_to(elsewhere / "target.md")
    monkeypatch.chdir(tmp_path)
    files = [str(outdir / "here.md"), str(db / "a b%.md"), str(tmp_path / "linked" / "b.md"), str(db / "via.md"),
             "db/_figures/c.md", "d.md", str(tmp_path / "db" / "." / "_figures" / ".." / "_figures" / "e.md")]
    report = {"warnings": [{"file": f, "reason": "r", "figid": None, "field": None} for f in files]}
    page = render_report(report, None, outdir).decode("utf-8")
    hrefs = [unquote(h) for h in re.findall(r'<a href="([^"#]+)"><code>', page)]
    expected = [os.path.relpath(Path(f).resolve(), outdir.resolve()) for f in files]
    assert hrefs == expected
    assert expected[0] == "here.md" and expected[3] == "../else/target.md" and expected[2] == "../db/_figures/b.md"


def test_a_label_the_plot_font_cannot_draw_warns_nothing() -> None:
    """A gene symbol with a control character or a rare script (the fuzz corpus has both) stays
    text in the SVG, drawn by the browser's fonts; matplotlib's missing-glyph UserWarning would
    only interrupt `kg build`'s output (it did, in tests/integration/test_fuzz.py)."""
    import warnings

    from kg.report.html import draw_bar_plot

    labels = ["A\x01B", "\U000b5b14x", "TP53"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = draw_bar_plot("genes", "Top genes", labels, [3, 2, 1], True, None, "figures", "")
    assert svg is not None and "TP53" in svg
    assert [str(w.message) for w in caught] == []
