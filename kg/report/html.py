"""OUTDIR/report.html: the build report for people, next to report.json.

Counts, the gate's summary, every quarantined record with its reason (linked to its source file
and, for shape failures, to quarantine/<figid>.ttl), warnings per shape message, field warnings,
and plots of the graph (figures per year, genes per figure, kinds of match, organisms, top genes by
exact symbol match and, apart, by family expansion)
as SVG inside the page (matplotlib, Agg-free SVG backend): one self-contained file, no network
needed to view it. Without matplotlib the same numbers are shown as tables only, with a note.

The plot numbers come from one streaming pass over the finished pfocr.nt (`graph_statistics`):
memory grows with the number of papers, genes and figures counted, never with the triples.
What each number counts (vocabulary v2) is said in kg.report.graph_facts: figures are records,
match sources are counted per annotation, organisms are those of the figures' genes.
Same input, same bytes (matplotlib's SVG ids are salted per plot, no dates are written).
"""

from __future__ import annotations

import heapq
import importlib.util
import io
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph

from kg.html import Markup, concat, el, escape, number, page
from kg.report.graph_facts import GraphStatistics, gene_reads
from kg.vocab import FIGURE_BASE, NCBIGENE_BASE, OA, PFOCR, PMC_BASE, RDF, RDFS, SCHEMA, WP
from kg.write.atomic import AtomicFile, write_bytes

MAX_ROWS = 2000  # rows of a listing (quarantined, field warnings) shown before "and N more"
TOP = 20

_TYPE = f"<{RDF}type>".encode()
_RECORD = f"<{SCHEMA}Dataset>".encode()
_FIGURE = f"<{FIGURE_BASE}".encode()
_PAPER = f"<{PMC_BASE}".encode()
_GENE = f"<{NCBIGENE_BASE}".encode()
# predicate → what graph_statistics does with its triples
_PREDICATES = {
    _TYPE: "type",
    f"<{SCHEMA}isPartOf>".encode(): "paper",
    f"<{SCHEMA}about>".encode(): "about",
    f"<{SCHEMA}datePublished>".encode(): "year",
    f"<{SCHEMA}mentions>".encode(): "mentions",
    f"<{SCHEMA}name>".encode(): "name",
    f"<{WP}organismName>".encode(): "organism",
    f"<{PFOCR}matchSource>".encode(): "source",
    f"<{OA}hasBody>".encode(): "body",
    f"<{PFOCR}matchKind>".encode(): "kind",
    f"<{RDFS}label>".encode(): "label",
}

# One bar plot: (name, title, labels, values, horizontal, colors, xlabel, ylabel).
PlotSpec = tuple[str, str, list[str], list[int], bool, "list[str] | None", str, str]

FLAGGED_KINDS = {"AliasMatch", "PreviousSymbolMatch", "SynonymMatch", "FamilyMatch", "UnknownMatch"}
GENE_BINS = ((0, 0), (1, 1), (2, 5), (6, 10), (11, 20), (21, 50), (51, 100), (101, None))


def _literal(obj: bytes) -> str:
    """The lexical form of an N-Triples literal token (escapes decoded by pyoxigraph)."""
    if obj.startswith(b'"') and b"\\" not in obj:  # no escapes: the text between the quotes
        return obj[1: obj.rindex(b'"')].decode("utf-8")
    for quad in pyoxigraph.parse(b"<x:s> <x:p> " + obj + b" .\n", pyoxigraph.RdfFormat.N_TRIPLES):
        return str(quad.object.value)
    return obj.decode("utf-8", "replace")  # pragma: no cover


def _iri(term: bytes) -> str:
    return term.decode("utf-8")


def graph_statistics(nt_path: Path) -> GraphStatistics:
    """One pass over `nt_path` (N-Triples as kg build writes them: one triple a line; ~1.5 s per
    million lines): lines are split as bytes, and only the literals counted are decoded."""
    stats = GraphStatistics()
    figures: set[bytes] = set()
    genes_in: Counter[bytes] = Counter()  # figure → genes it mentions
    figure_image: dict[bytes, bytes] = {}  # record → its image
    image_paper: dict[bytes, bytes] = {}  # image → its paper
    paper_year: dict[bytes, str] = {}
    gene_figures: Counter[bytes] = Counter()
    sources: Counter[bytes] = Counter()
    genes: set[bytes] = set()
    predicates = _PREDICATES
    # A figure's annotations (their gene bodies and sources), counted when the next figure's begin:
    # kg build writes each figure's own lines together.
    figure: bytes = b""
    bodies: dict[str, list[str]] = {}
    annotation_sources: dict[str, str] = {}

    def count_reads() -> None:
        stats.gene_reads.update(gene_reads(bodies, annotation_sources))
        bodies.clear()
        annotation_sources.clear()

    with nt_path.open("rb") as handle:
        for line in handle:
            parts = line.split(b" ", 2)
            if len(parts) < 3:
                continue
            s, p, rest = parts
            kind = predicates.get(p)
            if kind is None:
                continue
            o = rest[:-3] if rest.endswith(b" .\n") else rest.rstrip().removesuffix(b".").rstrip()
            if kind == "mentions":
                if o.startswith(_GENE) and s.startswith(_FIGURE):
                    genes_in[s] += 1
                    gene_figures[o] += 1
            elif kind == "source":
                sources[o] += 1
                if s.partition(b"#")[0] != figure:
                    count_reads()
                    figure = s.partition(b"#")[0]
                annotation_sources[_iri(s)] = _iri(o)
            elif kind == "body":
                stats.entity_links += 1
                if o.startswith(_GENE):
                    if s.partition(b"#")[0] != figure:
                        count_reads()
                        figure = s.partition(b"#")[0]
                    bodies.setdefault(_iri(s), []).append(_iri(o))
            elif kind == "type":
                if o == _RECORD and s.startswith(_FIGURE) and b"#" not in s:
                    figures.add(s)
            elif kind == "paper":
                if o.startswith(_PAPER):  # an image's paper; a paper's isPartOf is its journal
                    image_paper[s] = o
            elif kind == "about":
                if s.startswith(_FIGURE) and b"#" not in s:  # a record's image; a paper's about is a taxon
                    figure_image[s] = o
            elif kind == "year":
                paper_year[s] = _literal(o)
            elif kind == "organism":
                if s.startswith(_FIGURE):
                    stats.organisms[_literal(o)] += 1
            elif kind == "name":
                if s.startswith(_GENE):
                    stats.gene_symbols[_iri(s)] = _literal(o)
                    genes.add(s)
            elif kind == "label":
                stats.source_labels[_iri(s)] = _literal(o)
            elif kind == "kind":
                stats.source_kinds[_iri(s)] = _iri(o).strip("<>").rsplit("#", 1)[-1]
    count_reads()
    stats.figures = len(figures)
    papers = [image_paper.get(image) for image in figure_image.values()]
    stats.papers = len({paper for paper in papers if paper is not None})
    stats.genes = len(genes | set(gene_figures))
    stats.annotations = sum(sources.values())
    stats.match_sources = Counter({_iri(k): v for k, v in sources.items()})
    stats.gene_figures = Counter({_iri(k): v for k, v in gene_figures.items()})
    for figure in figures:
        stats.genes_per_figure[genes_in.get(figure, 0)] += 1
    for paper in papers:
        stats.figures_per_year[paper_year.get(paper, "unknown") if paper is not None else "unknown"] += 1
    return stats


# --------------------------------------------------------------------------------------------
# Plots


def _matplotlib() -> Any | None:
    try:
        import matplotlib
        from matplotlib.figure import Figure  # noqa: F401 - the OO API: no pyplot, no global state
    except ImportError:
        return None
    return matplotlib


def matplotlib_installed() -> bool:
    """Without importing it (~0.6 s)."""
    return importlib.util.find_spec("matplotlib") is not None


_TAG = re.compile(r"<[^>]+>")


def _scoped_ids(svg: str, prefix: str) -> str:
    """matplotlib names its groups figure_1, axes_1…: prefix every id and reference, so several
    SVGs in one HTML page keep their ids unique."""

    def fix(tag: re.Match[str]) -> str:
        text = tag.group()
        text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
        text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", text)
        return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', text)

    return _TAG.sub(fix, svg)


def _svg(fig: Any, name: str, title: str) -> Markup:
    """The figure as an inline <svg> (no XML declaration or DOCTYPE), ids scoped to `name`."""
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # Labels stay text in the SVG (svg.fonttype none) and the browser's fonts draw them: that
        # matplotlib's own font lacks a glyph (a control character or a rare script in a fuzzed
        # or odd name) changes nothing, and its UserWarning would only interrupt the build's output.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        fig.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.1,
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = _scoped_ids(text, f"plot-{name}")
    label = f' role="img" aria-label="{escape(title)}"'
    return Markup(text.replace("<svg ", f"<svg{label} ", 1).strip())


def _bar_plot(
    name: str, title: str, labels: list[str], values: list[int], *, horizontal: bool = False,
    colors: list[str] | None = None, xlabel: str = "", ylabel: str = "",
) -> PlotSpec | None:
    """What to draw (drawn by `plots`); None for no bars."""
    if not values:
        return None
    return (name, title, labels, values, horizontal, colors, xlabel, ylabel)


def draw_bar_plot(
    name: str, title: str, labels: list[str], values: list[int], horizontal: bool,
    colors: list[str] | None, xlabel: str, ylabel: str,
) -> Markup | None:
    mpl = _matplotlib()
    if mpl is None:
        return None
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    settings = {"svg.hashsalt": f"pfocr-kg-{name}", "svg.fonttype": "none", "text.parse_math": False,
                "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
    labels = [label if len(label) <= 48 else label[:47] + "…" for label in labels]  # the table has them whole
    with mpl.rc_context(settings):
        if horizontal:
            height = max(2.2, 0.28 * len(values) + 0.9)
            fig = Figure(figsize=(7.2, height))
            ax = fig.add_subplot()
            positions = list(range(len(values)))[::-1]
            ax.barh(positions, values, color=colors or "#1a5f8f")
            ax.set_yticks(positions, labels)
            ax.set_xlabel(xlabel)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlim(0, max(values) * 1.12 or 1)
            ax.set_ylim(-0.6, len(values) - 0.4)
            for pos, value in zip(positions, values):
                ax.annotate(f"{value:,}", (value, pos), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        else:
            fig = Figure(figsize=(7.2, 3.2))
            ax = fig.add_subplot()
            positions = list(range(len(values)))
            ax.bar(positions, values, color=colors or "#1a5f8f")
            rotate = len(labels) > 12
            ax.set_xticks(positions, labels, rotation=90 if rotate else 0, fontsize=7 if rotate else 9)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(ylabel)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, loc="left", fontsize=10)
        return _svg(fig, name, title)


def _data_table(headers: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> Markup:
    rows = list(rows)  # numbers align right: the columns after the first that hold only numbers
    numeric = [i for i in range(1, len(headers)) if all(isinstance(row[i], int) for row in rows)]
    return el(
        "table", None,
        el("thead", None, el("tr", None, *(el("th", {"scope": "col", "class": "num" if i in numeric else None}, h)
                                           for i, h in enumerate(headers)))),
        el("tbody", None, *(
            el("tr", None, *(el("td", {"class": "num" if i in numeric else None},
                                number(v) if isinstance(v, int) else v) for i, v in enumerate(row)))
            for row in rows
        )),
    )


def _plot_section(
    key: str, heading: str, spec: PlotSpec | None, table: Markup, note: str | None = None
) -> tuple[str, str, PlotSpec | None, Markup, str | None]:
    return (key, heading, spec, table, note)


def _render_section(key: str, heading: str, svg: Markup | None, table: Markup, note: str | None = None) -> Markup:
    return el(
        "section", {"class": "plot", "aria-labelledby": f"h-{key}"},
        el("h3", {"id": f"h-{key}"}, heading),
        el("p", {"class": "muted"}, note) if note else None,
        el("figure", None, svg) if svg is not None else None,
        el("details", None, el("summary", None, "The numbers"), el("div", {"class": "scroll"}, table)),
    )


@dataclass(frozen=True, slots=True)
class MatchKind:
    """One bar of the match plot: a kind of match and the sources that made its annotations."""

    kind: str  # the pfocr:MatchKind's local name
    label: str
    flagged: bool
    annotations: int
    sources: tuple[tuple[str, int], ...]  # (source label, annotations), most first


# The kinds of match (pfocr-vocab.ttl's pfocr:MatchKind labels), in the order shown on ties.
KIND_LABELS = {
    "ExactSymbolMatch": "exact symbol match", "AliasMatch": "alias symbol match",
    "PreviousSymbolMatch": "previous symbol match", "SynonymMatch": "synonym match",
    "FamilyMatch": "family expansion", "TermMatch": "vocabulary term match", "UnknownMatch": "unknown match source",
}


def match_kinds(stats: GraphStatistics) -> list[MatchKind]:
    """The annotations per kind of match, most first (ties in KIND_LABELS' order)."""
    by_kind: dict[str, list[tuple[str, int]]] = {}
    for source, n in stats.match_sources.items():
        kind = stats.source_kinds.get(source, "UnknownMatch")
        label = stats.source_labels.get(source, source.strip("<>").rsplit("#", 1)[-1])
        by_kind.setdefault(kind, []).append((label, n))
    order = {kind: i for i, kind in enumerate(KIND_LABELS)}
    kinds = [MatchKind(kind, KIND_LABELS.get(kind, kind), kind in FLAGGED_KINDS, sum(n for _, n in found),
                       tuple(sorted(found, key=lambda ln: (-ln[1], ln[0]))))
             for kind, found in by_kind.items()]
    return sorted(kinds, key=lambda k: (-k.annotations, order.get(k.kind, len(order)), k.kind))


@dataclass(slots=True)
class GeneReads:
    """In how many figures a gene is named by its exact symbol, only by family expansion, only by
    other (alias, previous symbol, synonym, unknown) matches."""

    exact: int = 0
    family: int = 0
    other: int = 0


def gene_read_counts(stats: GraphStatistics) -> dict[str, GeneReads]:
    counts: dict[str, GeneReads] = {}
    for (gene, sources), n in stats.gene_reads.items():
        kinds = {stats.source_kinds.get(s, "UnknownMatch") for s in sources.split()}
        reads = counts.setdefault(gene, GeneReads())
        if "ExactSymbolMatch" in kinds:
            reads.exact += n
        elif "FamilyMatch" in kinds:
            reads.family += n
        else:
            reads.other += n
    return counts


def _top(reads: dict[str, GeneReads], count: Callable[[GeneReads], int], symbols: Mapping[str, str]) -> list[tuple[str, GeneReads]]:
    """The TOP genes by `count` (above 0), ties by symbol then IRI: only genes reaching the TOP-th
    count can be among them, so only those are sorted (tens of thousands of genes otherwise)."""
    least = max(1, min(heapq.nlargest(TOP, (count(r) for r in reads.values())), default=1))
    return sorted(((gene, r) for gene, r in reads.items() if count(r) >= least),
                  key=lambda gr: (-count(gr[1]), symbols.get(gr[0], gr[0]), gr[0]))[:TOP]


def _bin_label(low: int, high: int | None) -> str:
    if high is None:
        return f"> {low - 1}"
    return str(low) if low == high else f"{low}–{high}"


def plots(stats: GraphStatistics) -> list[Markup]:
    return [_render_section(key, heading, draw_bar_plot(*spec) if spec is not None else None, table, note)
            for key, heading, spec, table, note in _sections(stats)]


def _sections(stats: GraphStatistics) -> list[tuple[str, str, PlotSpec | None, Markup, str | None]]:
    """Each plot section: key, heading, what to draw, its data table and a note."""
    sections = []
    known = sorted(int(y) for y in stats.figures_per_year if y.isdigit())
    years = [str(y) for y in range(known[0], known[-1] + 1)] if known and known[-1] - known[0] <= 300 else [str(y) for y in known]
    years += sorted(y for y in stats.figures_per_year if not y.isdigit())  # "unknown" last
    year_values = [stats.figures_per_year.get(y, 0) for y in years]
    sections.append(_plot_section(
        "years", "Figures per year", _bar_plot("years", "Figures per year of publication", years, year_values, ylabel="figures"),
        _data_table(("Year", "Figures"), zip(years, year_values))))

    bins = []
    for low, high in GENE_BINS:
        n = sum(v for k, v in stats.genes_per_figure.items() if k >= low and (high is None or k <= high))
        bins.append((_bin_label(low, high), n))
    sections.append(_plot_section(
        "genes-per-figure", "Genes per figure",
        _bar_plot("genes-per-figure", "Figures by number of genes mentioned", [b[0] for b in bins], [b[1] for b in bins],
                  xlabel="genes mentioned", ylabel="figures") if stats.figures else None,
        _data_table(("Genes mentioned", "Figures"), bins)))

    kinds = match_kinds(stats)
    colors = ["#d08c00" if k.flagged else "#2e7d32" for k in kinds]
    sections.append(_plot_section(
        "match-sources", "Match kinds",
        _bar_plot("match-sources", "Annotations by kind of match (amber: often wrong, check)", [k.label for k in kinds],
                  [k.annotations for k in kinds], horizontal=True, colors=colors, xlabel="annotations"),
        _data_table(("Kind of match", "Annotations", "Match sources"),
                    ((k.label + (" ⚠" if k.flagged else ""), k.annotations,
                      "; ".join(f"{label}: {n:,}" for label, n in k.sources)) for k in kinds)),
        "One bar per kind of match, whatever the source table that made it (two FamPlex tables make "
        "family expansions, for instance); the table names the sources. Counted per annotation: one OCR "
        "word of a figure matched one way, however many entities it names (a family word names every "
        "member). Alias, previous-symbol, synonym and family matches are often wrong; they are exported "
        "and marked."))

    organisms = sorted(stats.organisms.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = organisms[:TOP]
    sections.append(_plot_section(
        "organisms", "Organisms of the genes",
        _bar_plot("organisms", f"Figures per organism of their genes (top {len(shown)} of {len(organisms)})",
                  [o for o, _ in shown], [n for _, n in shown], horizontal=True, xlabel="figures"),
        _data_table(("Organism", "Figures"), organisms),
        "A figure counts once for each organism its genes belong to (wp:organismName), as PFOCR resolved "
        "them; the organisms of its paper and those recognised in the figure are not counted here."))

    reads = gene_read_counts(stats)

    def gene_label(iri: str) -> str:
        return f"{stats.gene_symbols.get(iri, '?')} ({iri.strip('<>').rsplit('/', 1)[-1]})"

    top = _top(reads, lambda r: r.exact, stats.gene_symbols)
    sections.append(_plot_section(
        "top-genes", f"Top {len(top)} genes, exact symbol matches",
        _bar_plot("top-genes", f"Genes named by their exact symbol in the most figures (top {len(top)})",
                  [gene_label(g) for g, _ in top], [r.exact for _, r in top], horizontal=True, xlabel="figures"),
        _data_table(("Gene (NCBI Gene id)", "Figures, exact symbol", "Figures, family expansion only",
                     "Figures, other matches only"),
                    ((gene_label(g), r.exact, r.family, r.other) for g, r in top)),
        "A figure counts for a gene when one of its words is the gene's approved or NCBI symbol. "
        "Figures that name the gene only through a family word expanded to its members, or only "
        "through an alias, previous symbol or synonym, are counted apart (the table; the next plot)."))
    family = _top(reads, lambda r: r.family, stats.gene_symbols)
    sections.append(_plot_section(
        "family-genes", f"Top {len(family)} genes by family expansion alone",
        _bar_plot("family-genes", f"Genes named only through a family word in the most figures (top {len(family)})",
                  [gene_label(g) for g, _ in family], [r.family for _, r in family], horizontal=True,
                  colors=["#d08c00"] * len(family), xlabel="figures"),
        _data_table(("Gene (NCBI Gene id)", "Figures, family expansion only", "Figures, exact symbol"),
                    ((gene_label(g), r.family, r.exact) for g, r in family)),
        "A family word (e.g. AKT, MAPK) is expanded by FamPlex to every member gene: these counts say "
        "how often a gene was named that way and not by its own symbol. Often not what the figure means."))
    return sections


# --------------------------------------------------------------------------------------------
# The page


def _file_link(file: str, outdir: Path | None) -> Markup:
    """The source file, linked relative to the report's folder."""
    if outdir is None:
        return el("code", None, file)
    try:
        relative = _relative_path(file, str(outdir))
    except ValueError:  # another drive (Windows)
        return el("code", None, file)
    href = quote(relative if os.sep == "/" else relative.replace(os.sep, "/"), safe="/")
    return el("a", {"href": href}, el("code", None, file))


def _relative_path(file: str, outdir: str) -> str:
    """os.path.relpath(Path(file).resolve(), Path(outdir).resolve()), with each folder resolved
    and made relative once: a report lists up to 2 × MAX_ROWS files, nearly all in one folder, and
    a resolve is a system call a path component (2,000 rows: 0.12 → 0.05 s)."""
    if os.path.islink(file):
        return os.path.relpath(str(Path(file).resolve()), _resolved_folder(outdir))
    folder, name = os.path.split(file)
    relative = _relative_folder(folder, outdir)
    return name if relative == os.curdir else os.path.join(relative, name)


@lru_cache(maxsize=64)
def _relative_folder(folder: str, outdir: str) -> str:
    return os.path.relpath(_resolved_folder(folder or os.curdir), _resolved_folder(outdir))


@lru_cache(maxsize=64)
def _resolved_folder(folder: str) -> str:
    return str(Path(folder).resolve())


def _counts(report: Mapping[str, Any], stats: GraphStatistics | None) -> Markup:
    validation = report.get("validation") or {}
    items = [
        ("records read", report.get("records_read", 0)),
        ("figures written", report.get("figures_written", 0)),
        ("quarantined", report.get("quarantined_count", len(report.get("quarantined", [])))),
        ("triples", report.get("triples", 0)),
        ("field warnings", report.get("warnings_count", len(report.get("warnings", [])))),
    ]
    if validation.get("enabled"):
        items += [("shape violations", validation.get("violations", 0)), ("shape warnings", validation.get("warnings", 0))]
    if stats is not None:
        items += [("papers", stats.papers), ("genes", stats.genes), ("annotations", stats.annotations),
                  ("entity links (annotation bodies)", stats.entity_links)]
    return el("ul", {"class": "counts"}, *(
        el("li", None, el("span", {"class": "n"}, number(int(v)) if isinstance(v, int) else v), label) for label, v in items
    ))


def _quarantined(problems: list[Mapping[str, Any]], outdir: Path | None) -> Markup:
    if not problems:
        return el("p", {"class": "ok"}, "No record was quarantined: every record read was exported.")
    rows = []
    for problem in problems[:MAX_ROWS]:
        figid = problem.get("figid")
        reason = str(problem.get("reason", ""))
        triples = None
        if figid and reason.startswith("fails the shapes"):
            triples = el("a", {"href": f"quarantine/{quote(str(figid), safe='')}.ttl"}, "triples")
        rows.append(el(
            "tr", None,
            el("td", None, _file_link(str(problem.get("file", "")), outdir)),
            el("td", None, el("code", None, figid) if figid else ""),
            el("td", None, problem.get("field") or ""),
            el("td", None, reason),
            el("td", None, triples or ""),
        ))
    more = len(problems) - MAX_ROWS
    return concat([
        el("div", {"class": "scroll"}, el(
            "table", {"class": "quarantined"},
            el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("File", "Figure id", "Field", "Reason", "")))),
            el("tbody", None, *rows))),
        el("p", None, f"… and {more:,} more: see report.json.") if more > 0 else None,
    ])


def _by_message(validation: Mapping[str, Any]) -> Markup:
    if not validation.get("enabled"):
        return el("p", {"class": "note"}, validation.get("note") or "The SHACL gate was skipped: nothing was checked.")
    rows = []
    for severity, messages in (validation.get("by_message") or {}).items():
        for message, count in messages.items():
            rows.append((severity, message, int(count)))
    rows.sort(key=lambda r: ({"Violation": 0, "Warning": 1}.get(r[0], 2), -r[2], r[1]))
    intro = el("p", None, "Checked with ", el("code", None, validation.get("engine", "?")), " against ",
               ", ".join(str(s) for s in validation.get("shapes", [])) or "no shapes", ".")
    if not rows:
        return concat([intro, el("p", {"class": "ok"}, "No shape reported anything.")])
    return concat([intro, el("div", {"class": "scroll"}, el(
        "table", {"class": "messages"},
        el("thead", None, el("tr", None, el("th", {"scope": "col"}, "Severity"), el("th", {"scope": "col"}, "Message"),
                             el("th", {"scope": "col", "class": "num"}, "Results"))),
        el("tbody", None, *(el("tr", {"class": "flagged" if sev == "Violation" else None},
                                el("td", None, sev), el("td", None, msg), el("td", {"class": "num"}, number(n)))
                             for sev, msg, n in rows))))])


def _field_warnings(warnings: list[Mapping[str, Any]], outdir: Path | None) -> Markup:
    if not warnings:
        return el("p", {"class": "ok"}, "No field-level warnings.")
    by_field = Counter(str(w.get("field") or "(record)") for w in warnings)
    counted: list[tuple[str, int]] = sorted(by_field.items(), key=lambda kv: (-kv[1], kv[0]))
    summary = _data_table(("Field", "Warnings"), counted)
    rows = [
        el("tr", None,
           el("td", None, _file_link(str(w.get("file", "")), outdir)),
           el("td", None, el("code", None, w.get("figid")) if w.get("figid") else ""),
           el("td", None, w.get("field") or ""),
           el("td", None, w.get("reason") or ""))
        for w in warnings[:MAX_ROWS]
    ]
    more = len(warnings) - MAX_ROWS
    return concat([
        summary,
        el("details", None, el("summary", None, f"Every warning ({len(warnings):,})"), el("div", {"class": "scroll"}, el(
            "table", None,
            el("thead", None, el("tr", None, *(el("th", {"scope": "col"}, h) for h in ("File", "Figure id", "Field", "Reason")))),
            el("tbody", None, *rows))),
            el("p", None, f"… and {more:,} more: see report.json.") if more > 0 else None),
    ])


def render_report(report: Mapping[str, Any], stats: GraphStatistics | None, outdir: Path | None = None) -> bytes:
    """report.html from report.json's dictionary and the graph's statistics (None: no plots)."""
    _resolved_folder.cache_clear()  # folders are resolved once a report, not once a process
    _relative_folder.cache_clear()
    sections = [
        el("h1", None, "Build report"),
        el("p", {"class": "subtitle"}, report.get("tool", "pfocr-kg"), " · the same numbers as ",
           el("a", {"href": "report.json"}, "report.json")),
        _counts(report, stats),
        el("h2", {"id": "quarantined"}, "Quarantined records"),
        _quarantined(list(report.get("quarantined", [])), outdir),
        el("h2", {"id": "shapes"}, "SHACL gate: results per shape message"),
        _by_message(report.get("validation") or {}),
        el("h2", {"id": "warnings"}, "Field warnings"),
        el("p", {"class": "muted"}, "Values that were skipped (never written as a broken IRI); the record was exported."),
        _field_warnings(list(report.get("warnings", [])), outdir),
        el("h2", {"id": "graph"}, "The graph"),
    ]
    if stats is None:
        sections.append(el("p", None, "No graph statistics (pfocr.nt was not available)."))
    else:
        if not matplotlib_installed():
            sections.append(el("p", {"class": "note"}, "Plots need matplotlib (pip install matplotlib); the numbers follow."))
        sections += plots(stats)
    body = concat([
        el("header", {"class": "site"}, el("span", {"class": "home"}, "pfocr-kg"), Markup(" "),
           el("span", {"class": "here"}, "build report")),
        el("main", None, *sections),
    ])
    return page("pfocr-kg build report", body, root="", head=[el("style", None, Markup(_inline_css()))],
                stylesheet=False)


def _inline_css() -> str:
    """The site stylesheet, inlined: report.html is one file that opens anywhere."""
    from importlib import resources

    # by the package kg, not kg.publish: a build never imports the publishing code
    return resources.files("kg").joinpath("publish", "static", "site.css").read_text(encoding="utf-8")


def write_report_html(
    path: Path,
    report: Mapping[str, Any],
    nt_path: Path | None,
    publish: bool = False,
    stats: GraphStatistics | None = None,
) -> AtomicFile:
    """Write report.html (under its temp name unless `publish`): the build stages it with the
    other outputs. The plots' numbers are `stats` when given (the build gathers them as it
    writes), else read from `nt_path`, the finished N-Triples."""
    if stats is None and nt_path is not None and nt_path.is_file():
        stats = graph_statistics(nt_path)
    return write_bytes(path, render_report(report, stats, path.parent), publish=publish)
