"""The numbers behind report.html's plots, gathered while the build runs instead of by a second
pass over pfocr.nt (which cost ~1.5 s per million lines in the build process, and was redone in
full by every rebuild).

Workers turn each figure's lines and each entity block into a few facts (`facts`); the build
applies the facts of what it writes (`GraphFacts.apply`), so the counts are those of pfocr.nt:
entity blocks count once, quarantined figures not at all. `GraphFacts.statistics()` gives the same
GraphStatistics that `report_html.graph_statistics` reads from a finished file (tested).

What is counted (vocabulary v2, docs/vocabulary.md): a figure is a record (`schema:Dataset` under
`https://pfocr.wikipathways.org/figures/`, no fragment); its paper is what its image (the record's
`schema:about`, a line of the record) is `schema:isPartOf` (a line of the image's entity block,
written once however many records show that image; a PMC IRI: a paper's own `schema:isPartOf`
names its journal), joined when the numbers are read (`statistics`); match sources
are counted per annotation (one `pfocr:matchSource` each: one OCR word read one way), whatever
the number of entities it names; the entities named are counted apart, as `oa:hasBody` triples
("entity links"); organisms are the record's `wp:organismName`, the organisms of its genes
(not the paper's, not those recognised in the figure); a gene's reads are, per figure, the match
sources of the figure's annotations that name it (so the top genes count exact symbol matches
apart from family expansions).
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph

from kg.vocab import FIGURE_BASE, NCBIGENE_BASE, OA, PFOCR, PMC_BASE, RDF, RDFS, SCHEMA, WP

Fact = tuple[str, ...]

_TYPE = f"<{RDF}type>"
_RECORD = f"<{SCHEMA}Dataset>"
_FIGURE = f"<{FIGURE_BASE}"
_PAPER = f"<{PMC_BASE}"
_GENE = f"<{NCBIGENE_BASE}"
_PREDICATES = {
    _TYPE: "type",
    f"<{SCHEMA}isPartOf>": "paper",
    f"<{SCHEMA}about>": "about",
    f"<{SCHEMA}datePublished>": "year",
    f"<{SCHEMA}mentions>": "mentions",
    f"<{SCHEMA}name>": "name",
    f"<{WP}organismName>": "organism",
    f"<{PFOCR}matchSource>": "source",
    f"<{OA}hasBody>": "body",
    f"<{PFOCR}matchKind>": "kind",
    f"<{RDFS}label>": "label",
}


def _literal(obj: str) -> str:
    """The lexical form of an N-Triples literal term."""
    if obj.startswith('"') and "\\" not in obj:
        return obj[1 : obj.rindex('"')]
    for quad in pyoxigraph.parse(f"<x:s> <x:p> {obj} .\n", pyoxigraph.RdfFormat.N_TRIPLES):
        return str(quad.object.value)
    return obj  # pragma: no cover


def facts(lines: Iterable[str]) -> list[Fact]:
    """What the plots need from these N-Triples lines (`S P O .\\n`), in line order."""
    return triple_facts(tuple(line[:-3].split(" ", 2)) for line in lines)  # type: ignore[misc]


def triple_facts(triples: Iterable[tuple[str, str, str]]) -> list[Fact]:
    """What the plots need from these triples of N-Triples terms, in order; then one ("read",
    gene, sources) per gene and figure whose annotations are among them: the match sources (IRIs,
    sorted, space-separated) by which the figure's words name the gene."""
    out: list[Fact] = []
    predicates = _PREDICATES
    bodies: dict[str, list[str]] = {}  # annotation → its gene bodies
    sources: dict[str, str] = {}  # annotation → its match source
    for s, p, o in triples:
        kind = predicates.get(p)
        if kind is None:
            continue
        if kind == "mentions":
            if o.startswith(_GENE) and s.startswith(_FIGURE):
                out.append(("mention", s, o))
        elif kind == "source":
            out.append(("source", o))
            sources[s] = o
        elif kind == "body":
            out.append(("body",))
            if o.startswith(_GENE):
                bodies.setdefault(s, []).append(o)
        elif kind == "type":
            if o == _RECORD and s.startswith(_FIGURE) and "#" not in s:
                out.append(("figure", s))
        elif kind == "paper":
            if o.startswith(_PAPER):  # an image's paper; a paper's isPartOf is its journal
                out.append(("paper", s, o))
        elif kind == "about":
            if s.startswith(_FIGURE) and "#" not in s:  # a record's image; a paper's about is a taxon
                out.append(("about", s, o))
        elif kind == "year":
            out.append(("year", s, _literal(o)))
        elif kind == "organism":
            if s.startswith(_FIGURE):
                out.append(("organism", _literal(o)))
        elif kind == "name":
            if s.startswith(_GENE):
                out.append(("symbol", s, _literal(o)))
        elif kind == "label":
            out.append(("label", s, _literal(o)))
        elif kind == "kind":
            out.append(("kind", s, o.strip("<>").rsplit("#", 1)[-1]))
    out.extend(("read", gene, read) for gene, read in gene_reads(bodies, sources))
    return out


def gene_reads(bodies: dict[str, list[str]], sources: dict[str, str]) -> list[tuple[str, str]]:
    """(gene, its figure's match sources for it, sorted and space-separated), once per figure and
    gene, from annotations' gene bodies and sources (annotation IRIs are `<record>#m-…`)."""
    by_pair: dict[tuple[str, str], set[str]] = {}
    for annotation, genes in bodies.items():
        source = sources.get(annotation)
        if source is None:
            continue
        figure = annotation.partition("#")[0]
        for gene in genes:
            by_pair.setdefault((figure, gene), set()).add(source)
    return [(gene, " ".join(sorted(found))) for (_figure, gene), found in by_pair.items()]


# One block's facts grouped by what they update, so the build process applies them with a few
# bulk updates instead of a Python loop per fact (workers pack, the build applies). A plain tuple,
# not a NamedTuple: the build unpickles one per entity block, and plain tuples load ~3x faster.
# (figures, genes_in (figure, n) pairs, gene_figures, sources, figure_image pairs, image_paper
#  pairs, paper_year pairs, organisms, gene_symbols pairs, source_labels pairs, source_kinds pairs,
#  entity links, gene reads (gene, sources) pairs)
Pairs = tuple[tuple[str, str], ...]
PackedFacts = tuple[
    tuple[str, ...], tuple[tuple[str, int], ...], tuple[str, ...], tuple[str, ...], Pairs, Pairs,
    Pairs, tuple[str, ...], Pairs, Pairs, Pairs, int, Pairs,
]


# An entity block's packed facts, pickled in the worker that made them. Why: the build applies the
# facts of a block only where the block is first written (≈ 4 of a figure's ≈ 33), and unpickling
# the other ~29 blocks' tuples of strings with each cached outcome was most of a rebuild's
# unpickling; a bytes object loads as one copy.
SealedFacts = bytes


def seal(packed: PackedFacts | None) -> SealedFacts | None:
    return None if packed is None else pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)


def pack(items: Iterable[Fact]) -> PackedFacts | None:
    """The facts grouped for `GraphFacts.apply_packed`; None when there are none. (Runs for every
    entity block of every figure: plain lists and dicts, no GraphFacts.)"""
    figures: dict[str, None] = {}
    genes_in: dict[str, int] = {}
    lists: dict[str, list[str]] = {"mention": [], "source": [], "organism": []}
    reads: list[tuple[str, str]] = []
    pairs: dict[str, dict[str, str]] = {"about": {}, "paper": {}, "year": {}, "symbol": {}, "label": {}, "kind": {}}
    found = False
    links = 0
    for fact in items:
        found = True
        what = fact[0]
        if what == "body":
            links += 1
        elif what == "mention":
            genes_in[fact[1]] = genes_in.get(fact[1], 0) + 1
            lists["mention"].append(fact[2])
        elif what == "figure":
            figures[fact[1]] = None
        elif what == "read":
            reads.append((fact[1], fact[2]))
        elif what in pairs:
            pairs[what][fact[1]] = fact[2]
        else:
            lists[what].append(fact[1])
    if not found:
        return None
    return (
        tuple(figures), tuple(genes_in.items()), tuple(lists["mention"]), tuple(lists["source"]),
        tuple(pairs["about"].items()), tuple(pairs["paper"].items()), tuple(pairs["year"].items()),
        tuple(lists["organism"]), tuple(pairs["symbol"].items()), tuple(pairs["label"].items()),
        tuple(pairs["kind"].items()), links, tuple(reads),
    )


@dataclass(slots=True)
class GraphFacts:
    figures: set[str] = field(default_factory=set)
    genes_in: Counter[str] = field(default_factory=Counter)
    figure_image: dict[str, str] = field(default_factory=dict)  # record → its image
    image_paper: dict[str, str] = field(default_factory=dict)  # image → its paper
    paper_year: dict[str, str] = field(default_factory=dict)
    gene_figures: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    genes: set[str] = field(default_factory=set)
    organisms: Counter[str] = field(default_factory=Counter)
    gene_symbols: dict[str, str] = field(default_factory=dict)
    source_labels: dict[str, str] = field(default_factory=dict)
    source_kinds: dict[str, str] = field(default_factory=dict)
    entity_links: int = 0  # oa:hasBody triples
    gene_reads: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gene, sources) → figures

    def apply(self, items: Iterable[Fact]) -> None:
        for fact in items:
            what = fact[0]
            if what == "body":
                self.entity_links += 1
            elif what == "mention":
                self.genes_in[fact[1]] += 1
                self.gene_figures[fact[2]] += 1
            elif what == "source":
                self.sources[fact[1]] += 1
            elif what == "figure":
                self.figures.add(fact[1])
            elif what == "about":
                self.figure_image[fact[1]] = fact[2]
            elif what == "paper":
                self.image_paper[fact[1]] = fact[2]
            elif what == "year":
                self.paper_year[fact[1]] = fact[2]
            elif what == "organism":
                self.organisms[fact[1]] += 1
            elif what == "symbol":
                self.gene_symbols[fact[1]] = fact[2]
                self.genes.add(fact[1])
            elif what == "label":
                self.source_labels[fact[1]] = fact[2]
            elif what == "kind":
                self.source_kinds[fact[1]] = fact[2]
            elif what == "read":
                self.gene_reads[(fact[1], fact[2])] += 1

    def apply_packed(self, packed: PackedFacts | None) -> None:
        """The same as `apply` on the facts `pack` grouped (later values win, as there)."""
        if packed is None:
            return
        (figures, genes_in, gene_figures, sources, about, papers, paper_year, organisms, symbols, labels, kinds,
         links, reads) = packed
        self.entity_links += links
        # Most blocks carry one or two kinds of fact: skip the empty ones (this runs ~5 times a
        # figure in the build process).
        if figures:
            self.figures.update(figures)
        for figure, n in genes_in:
            self.genes_in[figure] += n
        if gene_figures:
            self.gene_figures.update(gene_figures)
        if sources:
            self.sources.update(sources)
        if about:
            self.figure_image.update(about)
        if papers:
            self.image_paper.update(papers)
        if paper_year:
            self.paper_year.update(paper_year)
        if organisms:
            self.organisms.update(organisms)
        if symbols:
            self.gene_symbols.update(symbols)
            self.genes.update(gene for gene, _symbol in symbols)
        if labels:
            self.source_labels.update(labels)
        if kinds:
            self.source_kinds.update(kinds)
        if reads:
            self.gene_reads.update(reads)

    def apply_sealed(self, sealed: SealedFacts | None) -> None:
        """`apply_packed` of facts `seal` pickled."""
        if sealed is not None:
            self.apply_packed(pickle.loads(sealed))

    def statistics(self):  # type: ignore[no-untyped-def]  # -> report_html.GraphStatistics
        from kg.publish.report_html import GraphStatistics

        stats = GraphStatistics()
        stats.figures = len(self.figures)
        papers = [self.image_paper.get(image) for image in self.figure_image.values()]
        stats.papers = len({paper for paper in papers if paper is not None})
        stats.genes = len(self.genes | set(self.gene_figures))
        stats.annotations = sum(self.sources.values())
        stats.entity_links = self.entity_links
        stats.match_sources = Counter(self.sources)
        stats.source_labels = dict(self.source_labels)
        stats.source_kinds = dict(self.source_kinds)
        stats.organisms = Counter(self.organisms)
        stats.gene_figures = Counter(self.gene_figures)
        stats.gene_symbols = dict(self.gene_symbols)
        stats.gene_reads = Counter(self.gene_reads)
        for figure in self.figures:
            stats.genes_per_figure[self.genes_in.get(figure, 0)] += 1
        for paper in papers:
            stats.figures_per_year[self.paper_year.get(paper, "unknown") if paper is not None else "unknown"] += 1
        return stats

