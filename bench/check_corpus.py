#!/usr/bin/env python3
"""Structural check of a PFOCR database folder (synthetic or real).

    python bench/check_corpus.py DIR [DIR2]

DIR: every `_figures/*.md` must be `---` YAML `---` that `yaml.safe_load` parses into a mapping
with the keys of its format (inline or sidecar, README of the sample), a figid that looks real
(`PMC<digits>__<stem>`, equal to the file stem, unique), `year`/`entrez`/`ncbi` as strings;
every `_data/*.tsv` must parse with csv (tab, no quoting) with exactly the real columns, the
same number of fields on every row, and belong to a sidecar figure; every `_organisms/*.md`
must parse. Graph v2 reads more of a record, so these are checked too: `figlink` is PMC's figure
page path of the record's own paper (`/pmc/articles/<pmcid>/figure/<part>[/]`: kg names the image
after it), `figtype` one of PMC's four, `figid_alias` `<pmcid>__<number>`; the summary counts the
journals (one node per NLM abbreviation), the abbreviations given several titles or publishers
(kg warns each further one, as the real sample's PLOS records make it), and the figlinks several
figids share (one image node). Prints a summary; exit status 1 on any problem.

With DIR2: also compare the two trees byte for byte (determinism check).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

INLINE_KEYS = {"figid", "figlink", "number", "caption", "pmcid", "papertitle", "reftext",
               "pmc_ranked_result_index", "pathway_score", "filename", "figtitle", "year", "organisms",
               "ndex", "annotations", "seo", "schema-jsonld", "genes", "chemicals", "diseases",
               "figid_alias", "redirect_from", "figtype"}
INLINE_OPTIONAL = {"wpid"}
SIDECAR_KEYS = {"figid", "figtitle", "organisms", "organisms_ner", "pmcid", "filename", "figlink", "number",
                "caption", "papertitle", "reftext", "year", "doi", "journal_title", "journal_nlm_ta",
                "publisher_name", "keywords", "automl_pathway", "figid_alias", "figtype", "redirect_from",
                "ndex", "seo", "schema-jsonld"}
SIDECAR_OPTIONAL = {"wpid"}
JSONLD_KEYS = ["@context", "@id", "@type", "description", "license", "name", "creator", "keywords"]
COLUMNS = {
    "genes": ["organism_id", "organism_name", "organism_group", "word", "match", "ncbigene_symbol",
              "ncbigene_id", "source", "count_direct", "count_synonym", "count_match"],
    "chemicals": ["word", "mesh", "match", "name", "chebi"],
    "diseases": ["word", "mesh", "match", "name", "doid"],
}
GENE_SOURCES_INLINE = {"hgnc_symbol", "hgnc_alias_symbol", "hgnc_prev_symbol", "bioentities_symbol"}
GENE_SOURCES_TSV = {"ncbigene_symbol", "ncbigene_synonym", "famplex_relations"}
FIGID = re.compile(r"^PMC[0-9]+__\S+$")
FIGLINK = re.compile(r"/pmc/articles/(PMC[1-9][0-9]*)/figure/([A-Za-z0-9][A-Za-z0-9._-]*)/?")
FIGTYPES = {"Figure", "Scheme", "Supplemental figure", "Graphical abstract"}
MISSING = {"", "NA", ".na.character"}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or not text.endswith("---\n"):
        raise ValueError("not framed by --- lines")
    body = text[4:]
    end = body.rindex("---\n")
    d = yaml.load(body[:end], Loader=Loader)
    if not isinstance(d, dict):
        raise TypeError("front matter is not a mapping")
    return d


def check_figure(d: dict, stem: str) -> tuple[str, list[str]]:
    problems: list[str] = []
    fmt = "sidecar" if "organisms_ner" in d else "inline"
    need, optional = (SIDECAR_KEYS, SIDECAR_OPTIONAL) if fmt == "sidecar" else (INLINE_KEYS, INLINE_OPTIONAL)
    missing = need - d.keys()
    extra = d.keys() - need - optional
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    if extra:
        problems.append(f"unexpected keys {sorted(extra)}")
    figid = d.get("figid")
    if figid != stem:
        problems.append(f"figid {figid!r} != file stem {stem!r}")
    if not isinstance(figid, str) or not FIGID.match(figid):
        problems.append(f"figid {figid!r} does not look like PMC<digits>__<stem>")
    elif d.get("pmcid") != figid.split("__")[0]:
        problems.append("pmcid is not the figid prefix")
    if not (isinstance(d.get("year"), str) and re.fullmatch(r"[0-9]{4}", d["year"])):
        problems.append(f"year {d.get('year')!r} is not a quoted 4-digit string")
    if d.get("filename") != f"{figid.split('__', 1)[1] if isinstance(figid, str) and '__' in figid else ''}.jpg":
        problems.append("filename is not <stem>.jpg")
    if d.get("redirect_from") != f"/figures/{d.get('figid_alias')}":
        problems.append("redirect_from does not match figid_alias")
    if d.get("figid_alias") != f"{d.get('pmcid')}__{d.get('number')}":
        problems.append(f"figid_alias {d.get('figid_alias')!r} is not <pmcid>__<number>")
    link = FIGLINK.fullmatch(d["figlink"]) if isinstance(d.get("figlink"), str) else None
    if link is None or link.group(1) != d.get("pmcid"):
        problems.append(f"figlink {d.get('figlink')!r} is not /pmc/articles/<pmcid>/figure/<part>/")
    if d.get("figtype") not in FIGTYPES:
        problems.append(f"figtype {d.get('figtype')!r}")
    j = d.get("schema-jsonld")
    if not isinstance(j, dict) or list(j) != JSONLD_KEYS:
        problems.append("schema-jsonld keys differ")
    else:
        if j["description"] != d.get("caption"):
            problems.append("schema-jsonld.description != caption")
        if j["@id"] != f"https://pfocr.wikipathways.org/figures/{figid}.html":
            problems.append("schema-jsonld.@id")
        if not isinstance(j["keywords"], (list, str)):
            problems.append("schema-jsonld.keywords is neither list nor string")
    if fmt == "inline":
        if not isinstance(d.get("pathway_score"), float):
            problems.append("pathway_score is not a float")
        if not isinstance(d.get("pmc_ranked_result_index"), str):
            problems.append("pmc_ranked_result_index is not a string")
        if not isinstance(d.get("organisms"), (str, list)):
            problems.append("organisms is neither string nor list")
        for g in d.get("genes") or []:
            if list(g) != ["word", "symbol", "source", "hgnc_symbol", "entrez"]:
                problems.append(f"gene entry keys {list(g)}")
                break
            if not (isinstance(g["entrez"], str) and g["entrez"].isdigit()):
                problems.append(f"entrez {g['entrez']!r} is not a quoted number")
                break
            if g["source"] not in GENE_SOURCES_INLINE:
                problems.append(f"gene source {g['source']!r}")
                break
            if not all(isinstance(g[k], str) for k in ("word", "symbol", "hgnc_symbol")):
                problems.append("gene entry value is not a string")
                break
        for kind in ("chemicals", "diseases"):
            for c in d.get(kind) or []:
                if list(c) != ["word", "source", "identifier"]:
                    problems.append(f"{kind} entry keys {list(c)}")
                    break
    else:
        if not isinstance(d.get("automl_pathway"), float):
            problems.append("automl_pathway is not a float")
        for k in ("organisms", "organisms_ner"):
            if not (isinstance(d.get(k), list) and all(isinstance(x, str) for x in d[k])):
                problems.append(f"{k} is not a list of strings")
        for k in ("doi", "journal_title", "journal_nlm_ta", "publisher_name", "keywords", "ndex"):
            if not isinstance(d.get(k), str):
                problems.append(f"{k} is not a string")
    return fmt, problems


def check_table(path: Path, kind: str) -> tuple[int, list[str]]:
    problems: list[str] = []
    raw = path.read_bytes()
    if b"\r" in raw:
        problems.append("CR line ends")
    if not raw.endswith(b"\n"):
        problems.append("no final newline")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0] != COLUMNS[kind]:
        problems.append(f"header {rows[0] if rows else None} != {COLUMNS[kind]}")
        return 0, problems
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(COLUMNS[kind]):
            problems.append(f"line {i}: {len(r)} fields")
            break
        if kind == "genes":
            rec = dict(zip(COLUMNS[kind], r))
            if not rec["ncbigene_id"].isdigit() or not rec["organism_id"].isdigit():
                problems.append(f"line {i}: non-numeric id")
                break
            if rec["source"] not in GENE_SOURCES_TSV:
                problems.append(f"line {i}: source {rec['source']!r}")
                break
            for c in ("count_direct", "count_synonym", "count_match"):
                if not (rec[c] == "NA" or rec[c].isdigit()):
                    problems.append(f"line {i}: {c} {rec[c]!r}")
                    break
    return len(rows) - 1, problems


def check(root: Path, quiet: bool = False) -> dict:
    problems: list[str] = []
    stats: Counter = Counter()
    figs: dict[str, str] = {}
    images: Counter[tuple[str, str]] = Counter()
    journals: dict[str, tuple[set[str | None], set[str | None]]] = {}  # abbreviation → titles, publishers
    for path in sorted((root / "_figures").glob("*.md")):
        try:
            d = front_matter(path)
        except Exception as exc:  # noqa: BLE001 - every bad file is listed, the survey goes on
            problems.append(f"{path.name}: {exc}")
            continue
        fmt, probs = check_figure(d, path.stem)
        problems += [f"{path.name}: {p}" for p in probs]
        if d.get("figid") in figs:
            problems.append(f"{path.name}: duplicate figid")
        figs[str(d.get("figid"))] = fmt
        stats[fmt] += 1
        stats[f"figtype:{d.get('figtype')}"] += 1
        link = FIGLINK.fullmatch(d["figlink"]) if isinstance(d.get("figlink"), str) else None
        if link is not None:
            images[link.groups()] += 1
        if fmt == "sidecar":
            abbreviation, title, publisher = (_value(d, k) for k in ("journal_nlm_ta", "journal_title", "publisher_name"))
            if abbreviation or title:
                named = journals.setdefault(abbreviation or title, (set(), set()))
                named[0].add(title)
                named[1].add(publisher)
        stats["pmcids"] += 0
        stats[f"pmc:{d.get('pmcid')}"] += 1
    for path in sorted((root / "_data").glob("*.tsv")) if (root / "_data").is_dir() else []:
        m = re.match(r"^(.*)-(genes|chemicals|diseases)\.tsv$", path.name)
        if not m:
            problems.append(f"{path.name}: unexpected file name")
            continue
        figid, kind = m.groups()
        if figs.get(figid) != "sidecar":
            problems.append(f"{path.name}: no sidecar figure {figid}")
        n, probs = check_table(path, kind)
        problems += [f"{path.name}: {p}" for p in probs]
        stats[f"tsv_{kind}"] += 1
        stats[f"rows_{kind}"] += n
    for path in sorted((root / "_organisms").glob("*.md")) if (root / "_organisms").is_dir() else []:
        try:
            o = front_matter(path)
            if not {"common", "latin", "ncbi", "title", "group"} <= o.keys() or not isinstance(o["ncbi"], str):
                problems.append(f"{path.name}: organism page keys/ncbi")
        except Exception as exc:  # noqa: BLE001 - every bad file is listed, the survey goes on
            problems.append(f"{path.name}: {exc}")
        stats["organism_pages"] += 1
    per_pmc = Counter(v for k, v in stats.items() if k.startswith("pmc:"))
    out = {
        "figures": stats["inline"] + stats["sidecar"],
        "inline": stats["inline"],
        "sidecar": stats["sidecar"],
        "papers": sum(per_pmc.values()),
        "papers_with_several_figures": sum(v for k, v in per_pmc.items() if k > 1),
        "tsv": {k: stats[f"tsv_{k}"] for k in COLUMNS},
        "rows": {k: stats[f"rows_{k}"] for k in COLUMNS},
        "organism_pages": stats["organism_pages"],
        "figtypes": {k[8:]: v for k, v in sorted(stats.items()) if k.startswith("figtype:")},
        "journals": len(journals),
        "journal_variants": sorted(k for k, (titles, publishers) in journals.items()
                                   if len(titles) > 1 or len(publishers) > 1),
        "shared_images": sum(1 for n in images.values() if n > 1),
        "problems": problems,
    }
    if not quiet:
        print(f"{root}: {out['figures']} figures ({out['inline']} inline, {out['sidecar']} sidecar) from "
              f"{out['papers']} PMC ids ({out['papers_with_several_figures']} with several figures); "
              f"TSVs {out['tsv']} rows {out['rows']}; {out['organism_pages']} organism pages; "
              f"figure types {out['figtypes']}; {out['journals']} journals "
              f"({len(out['journal_variants'])} given several titles or publishers); "
              f"{out['shared_images']} figlinks of several figids; {len(problems)} problems")
        for p in problems[:20]:
            print("  " + p)
    return out


def _value(d: dict, key: str) -> str | None:
    value = d.get(key)
    return value.strip() if isinstance(value, str) and value.strip() not in MISSING else None


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    result = check(Path(argv[0]))
    status = 1 if result["problems"] else 0
    if len(argv) == 2:
        a, b = tree_digest(Path(argv[0])), tree_digest(Path(argv[1]))
        diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(f"byte comparison: {len(a)} vs {len(b)} files, {len(diff)} differ" + (f" (e.g. {diff[:3]})" if diff else ""))
        status = status or (1 if diff else 0)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
