"""KGX JSON Lines (Biolink Model 4.x) of a finished build, shaped for ORION's PFOCR loader.

Writes pfocr_nodes.jsonl.gz, pfocr_edges.jsonl.gz and pfocr-kg.yaml (`build`: the version);
never needs kgx or bmt to run (they only check the files, in the tests), never fetches.

Nodes: genes, chemicals, diseases, taxa, papers and figures, each with a name (ORION's loader
pops `id`, `name` and `category` from every node). Edges: one
`biolink:occurs_together_in_literature_with` edge per gene–chemical, gene–disease and
chemical–disease pair that share a figure (docs/export.md says why not gene–gene).
Lines are ASCII JSON (`\\t`, `\\n` and non-ASCII escaped), so a name never breaks a row and the
loader's `gzip.open(path, 'rt')` reads them whatever the machine's locale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kg import vocab
from kg.export.files import gzip_writer, gzipped, write
from kg.export.graph import CHEMICAL, DISEASE, GENE, PAPER, TAXON, BuildGraph, Entity, Figure, gc_paused

NODES = "pfocr_nodes.jsonl.gz"
EDGES = "pfocr_edges.jsonl.gz"
METADATA = "pfocr-kg.yaml"

PREDICATE = "biolink:occurs_together_in_literature_with"
KNOWLEDGE_SOURCE = "infores:pfocr"
KNOWLEDGE_LEVEL = "text_co_occurrence"  # mentions of two concepts occurring together in a corpus
AGENT_TYPE = "image_processing_agent"  # OCR of the figure, then named-entity matching of its words
FIGURE_PREFIX = "PFOCR"  # figure CURIEs PFOCR:<figid>; no registered prefix names PFOCR figures
# Publication types (Biolink requires `publication_type` on publications): FaBiO's journal article,
# DCMI's still image for a figure.
ARTICLE_TYPE = "fabio:JournalArticle"
FIGURE_TYPE = "dctypes:StillImage"

CATEGORIES = {
    GENE: "biolink:Gene",
    CHEMICAL: "biolink:ChemicalEntity",
    DISEASE: "biolink:Disease",
    TAXON: "biolink:OrganismTaxon",
    PAPER: "biolink:Publication",
}
FIGURE_CATEGORY = "biolink:Publication"  # "…even a part of a publication if of significant knowledge scope"
# Pairs that get co-mention edges: (subject kind, object kind), subject first.
PAIRS = ((GENE, CHEMICAL), (GENE, DISEASE), (CHEMICAL, DISEASE))

_IRI_PREFIXES = (
    (vocab.NCBIGENE_BASE, "NCBIGene:"),
    (vocab.TAXON_BASE, "NCBITaxon:"),
    (vocab.MESH_BASE, "MESH:"),
    (vocab.CHEBI_BASE, "CHEBI:"),
    (vocab.CHEBI_OBO_BASE, "CHEBI:"),
    (vocab.DOID_BASE, "DOID:"),
    (vocab.PMC_BASE + "PMC", "PMC:"),  # Biolink's PMC: prefix expands to …/articles/PMC
)


@dataclass(frozen=True, slots=True)
class KgxSummary:
    nodes: int
    edges: int
    strict_edges: int
    build: str
    files: tuple[Path, ...]


def curie(iri: str) -> str | None:
    """The Biolink CURIE of one of our entity IRIs, or None for an IRI Biolink has no prefix for."""
    for base, prefix in _IRI_PREFIXES:
        if iri.startswith(base):
            return prefix + iri[len(base):]
    return None


def figure_curie(figure: Figure) -> str:
    return f"{FIGURE_PREFIX}:{figure.figid}"


def _node(entity: Entity) -> dict[str, Any] | None:
    node_id = curie(entity.iri)
    if node_id is None:
        return None
    node: dict[str, Any] = {"id": node_id, "name": entity.name or entity.identifier,
                            "category": [CATEGORIES[entity.kind]]}
    if entity.kind == GENE:
        node["symbol"] = entity.name or entity.identifier
        taxon = curie(entity.taxon) if entity.taxon else None
        if taxon is not None:
            node["in_taxon"] = [taxon]  # a list, as kgx reads it (docs/export.md: kgx's own in_taxon error)
    if entity.kind in (CHEMICAL, DISEASE):
        xrefs = sorted({c for c in map(curie, entity.matches) if c is not None and c != node_id})
        if xrefs:
            node["xref"] = xrefs
    if entity.kind == PAPER:
        node["publication_type"] = [ARTICLE_TYPE]
        dois = [f"doi:{m[len(vocab.DOI_BASE):]}" for m in entity.matches if m.startswith(vocab.DOI_BASE)]
        node["xref"] = [vocab.PMC_ARTICLE_BASE + entity.identifier + "/", *dois]
    return node


def nodes(graph: BuildGraph) -> list[dict[str, Any]]:
    """Every node, in id order."""
    found = [n for n in map(_node, graph.entities.values()) if n is not None]
    for figure in graph.figures:
        found.append({"id": figure_curie(figure), "name": figure.title, "category": [FIGURE_CATEGORY],
                      "publication_type": [FIGURE_TYPE], "xref": [figure.iri]})
    return sorted(found, key=lambda n: n["id"])


@dataclass
class _Pair:
    figures: list[int]  # indices into BuildGraph.figures, in figid order
    strict: int  # how many of them match both ends exactly


def co_mentions(graph: BuildGraph) -> dict[tuple[str, str], _Pair]:
    """(subject IRI, object IRI) → the figures that mention both (and how many do by exact
    matches of both), for the kinds in PAIRS."""
    pairs: dict[tuple[str, str], _Pair] = {}
    for index, figure in enumerate(graph.figures):
        by_kind: dict[str, list[tuple[str, bool]]] = {}
        for iri, exact in figure.mentions.items():
            by_kind.setdefault(graph.entities[iri].kind, []).append((iri, exact))
        for left, right in PAIRS:
            for a, a_exact in by_kind.get(left, []):
                for b, b_exact in by_kind.get(right, []):
                    pair = pairs.get((a, b))
                    if pair is None:
                        pair = pairs[(a, b)] = _Pair([], 0)
                    pair.figures.append(index)
                    if a_exact and b_exact:
                        pair.strict += 1
    return pairs


def edges(graph: BuildGraph) -> Iterator[dict[str, Any]]:
    """The co-mention edges, in (subject, object) order, made one at a time: at 10k records there
    are 552k of them, ≈ 0.9 KB each as dicts, and only the pairs' figure lists are kept."""
    ids = {iri: curie(iri) for iri in graph.entities}
    figures = [figure_curie(f) for f in graph.figures]
    papers = [ids.get(f.paper) if f.paper else None for f in graph.figures]
    pairs = co_mentions(graph)
    keys = sorted((subject, obj, a, b) for a, b in pairs
                  if (subject := ids[a]) is not None and (obj := ids[b]) is not None)
    for subject, obj, a, b in keys:
        pair = pairs.pop((a, b))
        count = len(pair.figures)
        yield {
            "subject": subject,
            "predicate": PREDICATE,
            "object": obj,
            "primary_knowledge_source": KNOWLEDGE_SOURCE,
            "knowledge_level": KNOWLEDGE_LEVEL,
            "agent_type": AGENT_TYPE,
            "publications": sorted({p for p in (papers[i] for i in pair.figures) if p is not None}),
            "has_evidence": [figures[i] for i in pair.figures],
            "has_count": count,
            "strict": pair.strict == count,
            "strict_figure_count": pair.strict,
        }


def json_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    """One compact ASCII JSON object a line: tabs, newlines and non-ASCII are escaped."""
    return b"".join(map(json_line, rows))


def json_line(row: dict[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"


def export_kgx(graph: BuildGraph, target: Path) -> KgxSummary:
    """Write the three files into `target` (created if need be); the edges are compressed as they
    are made. `build` in pfocr-kg.yaml: the release, else the source commit, else a digest of the
    two JSON Lines files' text (ORION compares it with the last build it loaded, so it must change
    when the data does)."""
    files = (target / NODES, target / EDGES, target / METADATA)
    digest = hashlib.sha256()
    edge_count = strict_edges = 0
    with gc_paused():
        node_rows = nodes(graph)
        node_lines = json_lines(node_rows)  # made before anything is written
        digest.update(node_lines)
        with gzip_writer(files[1]) as out:

            def put(lines: list[bytes]) -> None:
                chunk = b"".join(lines)
                digest.update(chunk)
                out.write(chunk)

            batch: list[bytes] = []
            for edge in edges(graph):
                batch.append(json_line(edge))
                edge_count += 1
                strict_edges += edge["strict_figure_count"] > 0
                if len(batch) == 4096:
                    put(batch)
                    batch = []
            put(batch)
    write(files[0], gzipped(node_lines))
    version = graph.version or (graph.commits[0] if graph.commits else "sha256-" + digest.hexdigest()[:16])
    write(files[2], yaml.safe_dump({"build": version}, sort_keys=True).encode("utf-8"))
    return KgxSummary(len(node_rows), edge_count, strict_edges, version, files)
