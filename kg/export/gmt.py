"""GMT gene sets of a finished build, one file per organism and flavour, as PFOCR publishes them.

A set is a figure with ≥ 3 distinct Entrez genes of that organism: "all" counts every match,
"strict" only exact symbol matches. Set names follow WikiPathways' GMT convention
`<title>%PFOCR_<version>%<figid_alias>%<organism>`, the description column is the figure's page.
Never writes a file for an organism without sets; a tab, newline or `%` in a title never breaks
a row or a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.export.files import write
from kg.export.graph import GENE, TAXON, BuildGraph

MIN_GENES = 3
FLAVOURS = ("all", "strict")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class GeneSet:
    name: str
    description: str  # the figure's page
    genes: tuple[str, ...]  # Entrez ids, in numeric order


@dataclass(frozen=True, slots=True)
class GmtSummary:
    files: tuple[Path, ...]
    sets: dict[tuple[str, str], int]  # (organism, flavour) → sets written
    empty: tuple[str, ...]  # organisms whose genes make no set in any flavour


def clean(text: str) -> str:
    """One line, one field: whitespace runs (tabs, newlines) become one space; `%`, the name's
    field separator, becomes the full-width percent sign."""
    return _SPACE.sub(" ", text).strip().replace("%", "\uff05")


def file_name(organism: str, version: str, flavour: str) -> str:
    """`pfocr-<version>-gmt-<Genus_species>.gmt`, strict sets in `…-strict.gmt` (WikiPathways'
    file naming, `wikipathways-<date>-gmt-Homo_sapiens.gmt`)."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "_", organism).strip("_") or "unknown"
    version_slug = re.sub(r"[^A-Za-z0-9.-]+", "_", version).strip("_") or "unversioned"
    return f"pfocr-{version_slug}-gmt-{slug}" + ("-strict" if flavour == "strict" else "") + ".gmt"


def gene_sets(graph: BuildGraph, version: str) -> dict[str, dict[str, list[GeneSet]]]:
    """Organism name → flavour → sets (figid order), for every organism a gene belongs to."""
    taxa = {iri: e.name or e.identifier for iri, e in graph.entities.items() if e.kind == TAXON}
    out: dict[str, dict[str, list[GeneSet]]] = {}
    for entity in graph.entities.values():
        if entity.kind == GENE and entity.taxon is not None:
            out.setdefault(taxa.get(entity.taxon, entity.taxon.rsplit("_", 1)[-1]), {f: [] for f in FLAVOURS})
    for figure in graph.figures:
        by_organism: dict[str, dict[str, set[int]]] = {}
        for iri, exact in figure.mentions.items():
            gene = graph.entities[iri]
            if gene.kind != GENE or gene.taxon is None or not gene.identifier.isdigit():
                continue
            organism = taxa.get(gene.taxon, gene.taxon.rsplit("_", 1)[-1])
            flavours = by_organism.setdefault(organism, {f: set() for f in FLAVOURS})
            flavours["all"].add(int(gene.identifier))
            if exact:
                flavours["strict"].add(int(gene.identifier))
        for organism, flavours in by_organism.items():
            for flavour, genes in flavours.items():
                if len(genes) >= MIN_GENES:
                    name = f"{clean(figure.title)}%PFOCR_{clean(version)}%{clean(figure.alias)}%{clean(organism)}"
                    out[organism][flavour].append(GeneSet(name, figure.iri, tuple(map(str, sorted(genes)))))
    return dict(sorted(out.items()))


def gmt(sets: list[GeneSet]) -> bytes:
    return "".join("\t".join((s.name, s.description, *s.genes)) + "\n" for s in sets).encode("utf-8")


def export_gmt(graph: BuildGraph, target: Path) -> GmtSummary:
    """Write the GMT files into `target`; the version is the build's (`unversioned` without one)."""
    version = graph.version or "unversioned"
    files, counts, empty = [], {}, []
    for organism, flavours in gene_sets(graph, version).items():
        if not any(flavours.values()):
            empty.append(organism)
        for flavour, sets in flavours.items():
            counts[(organism, flavour)] = len(sets)
            if sets:
                path = target / file_name(organism, version, flavour)
                write(path, gmt(sets))
                files.append(path)
    for old in sorted(target.glob("pfocr-*-gmt-*.gmt")) if target.is_dir() else []:
        if old not in files:  # an earlier export's file for a set no longer there
            old.unlink()
    return GmtSummary(tuple(files), counts, tuple(empty))
