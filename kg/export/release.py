"""A release folder of a finished build: compressed dumps, KGX, GMT, VoID, citation metadata, checksums.

Reads OUTDIR (never writes there), writes DIST; no timestamp enters any file (gzip mtime 0, sorted
listings, a date only from the build or --release-date), so the same build and options give the
same bytes. Never fetches.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from kg import __version__
from kg.export.files import gzip_file, write
from kg.export.gmt import GmtSummary, export_gmt
from kg.export.graph import BuildGraph, ExportError, finished_build, read_build
from kg.export.kgx import KgxSummary, export_kgx
from kg.publish.void import (
    DESCRIPTION,
    KEYWORDS,
    PFOCR_DATABASE,
    PFOCR_PAPER,
    TITLE,
    dataset_description,
    write_void,
)

DUMP_FORMATS = ("nt", "ttl", "nq", "jsonld")  # pfocr.<format> of the build, when it is there
DEFAULT_BASE_URL = "https://pfocr.wikipathways.org/"
CHECKSUMS = "SHA256SUMS"
SOURCE_LICENSE = "CC0-1.0"  # PFOCR's data (SPDX)
REPOSITORY = "https://github.com/wikipathways/pfocr-database"
# Hanspers K, Riutta A, Summer-Kutmon M, Pico AR (2020) Genome Biology 21:273
PAPER = {
    "type": "article",
    "title": "Pathway information extracted from 25 years of pathway figures",
    "authors": [{"family-names": "Hanspers", "given-names": "Kristina"},
                {"family-names": "Riutta", "given-names": "Anders"},
                {"family-names": "Summer-Kutmon", "given-names": "Martina"},
                {"family-names": "Pico", "given-names": "Alexander R."}],
    "journal": "Genome Biology",
    "volume": 21,
    "start": 273,
    "year": 2020,
    "doi": PFOCR_PAPER.removeprefix("https://doi.org/"),
}


@dataclass(frozen=True, slots=True)
class ReleaseSummary:
    dist: Path
    files: tuple[str, ...]  # relative to dist, sorted
    version: str | None
    date: str | None
    kgx: KgxSummary
    gmt: GmtSummary


def _check_target(dist: Path) -> None:
    """DIST is new, empty, or an earlier release (which is replaced); anything else is refused."""
    if dist.exists() and not dist.is_dir():
        raise ExportError(f"{dist} is a file, not a release folder")
    if dist.is_dir() and any(dist.iterdir()) and not (dist / CHECKSUMS).is_file():
        raise ExportError(f"{dist}/ holds files and no {CHECKSUMS}: not a release folder, left as it is")


def release(outdir: Path, dist: Path, version: str | None = None, date: str | None = None,
            base_url: str = DEFAULT_BASE_URL) -> ReleaseSummary:
    """Write the release of the build in `outdir` to `dist`. `version`/`date` default to the
    build's own (`kg build --release/--release-date`). The release is written beside DIST and
    swapped in whole: a failed or killed run leaves the earlier release as it was."""
    nt = finished_build(outdir)
    graph = read_build(outdir)
    for what, given, built in (("--release", version, graph.version), ("--release-date", date, graph.date)):
        if given and built and given != built:
            raise ExportError(f"{what} {given} differs from the build's {built} ({nt}): the dumps would say one "
                              f"and the release metadata another; rebuild with {what} {given}")
    _check_target(dist)
    work = dist.with_name(f".{dist.name}.tmp-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        summary = _write(outdir, nt, replace(graph, version=version or graph.version), date or graph.date, work,
                         base_url)
        old = dist.with_name(f".{dist.name}.old-{os.getpid()}")
        if dist.exists():
            os.replace(dist, old)
        os.replace(work, dist)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return replace(summary, dist=dist)


def _write(outdir: Path, nt: Path, graph: BuildGraph, date: str | None, dist: Path, base_url: str) -> ReleaseSummary:
    version = graph.version
    dumps = []
    for fmt in DUMP_FORMATS:
        source = outdir / f"pfocr.{fmt}"
        if source.is_file():
            gzip_file(source, dist / f"pfocr.{fmt}.gz")
            dumps.append(f"pfocr.{fmt}.gz")
    if (outdir / "pfocr-vocab.ttl").is_file():
        write(dist / "pfocr-vocab.ttl", (outdir / "pfocr-vocab.ttl").read_bytes())
    kgx = export_kgx(graph, dist / "kgx")
    gmt = export_gmt(graph, dist / "gmt")
    stats = write_void(nt, dist / "void.ttl", base_url, dumps)
    description = dataset_description(base_url, dumps, stats)
    if version:  # the release's, when the build gave none (the same when it did)
        description["version"] = version
    if date:
        description.pop("dateModified", None)
        description["datePublished"] = date
    write(dist / "dataset.jsonld", (json.dumps(description, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    write(dist / "CITATION.cff", citation(version, date))
    write(dist / ".zenodo.json", zenodo(version, date))
    write(dist / "README.md", readme(version, date, dumps, kgx, gmt))
    files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    write(dist / CHECKSUMS, "".join(f"{_sha256(dist / f)}  {f}\n" for f in files).encode("utf-8"))
    return ReleaseSummary(dist, (*files, CHECKSUMS), version, date, kgx, gmt)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while piece := f.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def citation(version: str | None, date: str | None) -> bytes:
    """CITATION.cff (Citation File Format 1.2.0): this release, preferring PFOCR's paper."""
    cff: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite the PFOCR paper (preferred-citation) and this release.",
        "type": "dataset",
        "title": TITLE,
        "abstract": DESCRIPTION,
        "authors": [{"name": "WikiPathways", "website": "https://www.wikipathways.org/"}],
        "license": SOURCE_LICENSE,
        "url": PFOCR_DATABASE,
        "repository": REPOSITORY,
        "keywords": list(KEYWORDS),
        "preferred-citation": PAPER,
    }
    if version:
        cff["version"] = version
    if date:
        cff["date-released"] = date
    return yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def zenodo(version: str | None, date: str | None) -> bytes:
    """.zenodo.json: Zenodo's deposit metadata, naming PFOCR as the source and its license (CC0)."""
    meta: dict[str, Any] = {
        "upload_type": "dataset",
        "title": TITLE + (f" {version}" if version else ""),
        "description": DESCRIPTION + " Source: Pathway Figure OCR (PFOCR), https://pfocr.wikipathways.org/, "
                                     "released under CC0 1.0.",
        "creators": [{"name": "WikiPathways"}],
        "license": "cc-zero",
        "access_right": "open",
        "keywords": list(KEYWORDS),
        "related_identifiers": [
            {"identifier": PFOCR_DATABASE, "relation": "isDerivedFrom", "resource_type": "dataset", "scheme": "url"},
            {"identifier": PAPER["doi"], "relation": "isDocumentedBy", "resource_type": "publication-article",
             "scheme": "doi"},
        ],
        "notes": f"Made with pfocr-kg {__version__} from PFOCR (CC0 1.0).",
    }
    if version:
        meta["version"] = version
    if date:
        meta["publication_date"] = date
    return (json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def readme(version: str | None, date: str | None, dumps: list[str], kgx: KgxSummary, gmt: GmtSummary) -> bytes:
    lines = [
        f"# {TITLE}" + (f" {version}" if version else ""),
        "",
        "Pathway figures from PubMed Central and the genes, chemicals and diseases recognised in them by",
        "Pathway Figure OCR (PFOCR, https://pfocr.wikipathways.org/, CC0 1.0), as a linked RDF graph and",
        "its views." + (f" Released {date}." if date else ""),
        "",
        "| file | what |",
        "| --- | --- |",
    ]
    described = {
        "pfocr.nt.gz": "the graph, N-Triples (gzip)",
        "pfocr.ttl.gz": "the graph, Turtle (gzip)",
        "pfocr.nq.gz": "the graph, N-Quads with one named graph per figure (gzip)",
        "pfocr.jsonld.gz": "the graph, JSON-LD 1.1 (gzip)",
    }
    lines += [f"| `{name}` | {described[name]} |" for name in dumps]
    lines += [
        "| `pfocr-vocab.ttl` | the `pfocr:` vocabulary |",
        "| `void.ttl`, `dataset.jsonld` | VoID and schema.org Dataset descriptions, with counts |",
        (f"| `kgx/` | KGX JSON Lines, Biolink Model 4 ({kgx.nodes} nodes, {kgx.edges} co-mention edges), "
         "named as ORION's PFOCR loader reads them |"),
        f"| `gmt/` | gene sets per organism, all and strict (exact symbol) matches ({len(gmt.files)} files) |",
        "| `CITATION.cff`, `.zenodo.json` | how to cite; deposit metadata |",
        f"| `{CHECKSUMS}` | SHA-256 of every other file (`sha256sum -c {CHECKSUMS}`) |",
        "",
    ]
    return "\n".join(lines).encode("utf-8")
