#!/usr/bin/env python3
"""Deterministic synthetic PFOCR database for benchmarking `kg build`.

    python bench/generate.py OUTDIR --records N [--seed 42] [--sidecar-fraction 0.5] [--jobs J] [--force]
    python bench/generate.py --measure tests/fixtures/pfocr-sample      # print the measured numbers (JSON)

Writes the real PFOCR layout (see tests/fixtures/pfocr-sample/README.md):

    OUTDIR/_figures/<figid>.md               YAML front matter only, both record formats
    OUTDIR/_data/<figid>-genes.tsv           sidecar tables (newer format only)
    OUTDIR/_data/<figid>-chemicals.tsv
    OUTDIR/_data/<figid>-diseases.tsv
    OUTDIR/_organisms/<latin_lower>.md       one page per organism referenced
    OUTDIR/GENERATED.json                    parameters and counts (not part of the real layout)

Every number that shapes the corpus comes from the real sample: `MEASURED` below is the output
of `measure()` (run `--measure SAMPLE_DIR` to reproduce it). Values are drawn from those
empirical lists with a ±25 % jitter, so the corpus keeps the sample's spread (1-gene figures next
to 87-row gene tables) without copying records. The few things the sample cannot tell (it was
hand-picked) are marked ASSUMPTION.

Determinism: one `random.Random` per paper, seeded from (seed, paper index); the plan of papers is
drawn first from its own generator. Output bytes therefore depend only on --records, --seed and
--sidecar-fraction, not on --jobs or on the Python hash seed (no set is ever iterated for output).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import shutil
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

try:  # libyaml emitter: faster; its output equals the pure-Python SafeDumper's on the real records
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# 2: PLOS journal titles and publisher as PMC writes them (graph v2 names journals and publishers);
#    a paper's Scheme and Supplemental figure no longer share a figlink (graph v2's image node);
#    synthetic gene ids unique across organisms, and distant organisms' direct matches never take
#    a pool's id (one id named two genes: one node, two descriptions); an inline paper's
#    `organisms` is drawn once for all its figures (graph v2: the paper node's schema:about)
GENERATOR_VERSION = 2

# --------------------------------------------------------------------------------------------
# Measured from the real sample.
#
# Produced by `python bench/generate.py --measure tests/fixtures/pfocr-sample` (function `measure`
# below: parses every _figures/*.md front matter with yaml.safe_load and every _data/*.tsv with
# csv, tab-separated, QUOTE_NONE) on the 35-record sample (17 inline, 18 sidecar), then pasted.
# Lists are per-figure (or per-word) observations, used as empirical distributions.
# --------------------------------------------------------------------------------------------
MEASURED: dict = {
    "figures": 35,
    "inline": 17,
    "sidecar": 18,
    # inline: entries in `genes:` per figure, distinct words per figure, and per distinct
    # (word, source) how many entries it expands to
    "inline_gene_entries": [1, 3, 3, 4, 4, 6, 12, 16, 18, 20, 24, 25, 27, 27, 41, 43, 52],
    "inline_gene_words": [1, 2, 3, 3, 4, 4, 5, 6, 6, 8, 8, 8, 10, 10, 13, 13, 20],
    "inline_word_sources": {"hgnc_symbol": 51, "hgnc_alias_symbol": 46, "bioentities_symbol": 25,
                            "hgnc_prev_symbol": 7},
    "inline_entries_per_word": {
        "bioentities_symbol": [1, 3, 3, 4, 4, 4, 5, 7, 7, 7, 8, 8, 8, 9, 10, 10, 10, 10, 11, 11,
                               12, 12, 16, 17, 22],
        "hgnc_symbol": [1] * 49 + [2] * 2,
        "hgnc_alias_symbol": [1] * 45 + [2],
        "hgnc_prev_symbol": [1] * 7,
    },
    "inline_chemicals": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 13, 26],
    "inline_chemical_empty_source": [1, 54],      # {source: '', identifier: ''} among entries
    "inline_diseases": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1],
    "inline_disease_empty_source": [3, 4],
    # organisms: plain string 13, comma-joined string 1, YAML list 3 (all list ones are 2017+)
    "inline_organisms": {"string": 13, "comma_string": 1, "list": 3},
    "inline_wpid": 3,
    "inline_ndex_uuid": 11,
    "inline_years": [2001, 2001, 2005, 2005, 2005, 2005, 2005, 2006, 2006, 2006, 2006, 2006, 2006,
                     2009, 2018, 2018, 2019],
    "pmc_ranked_result_index": [556, 8853, 13779, 17252, 26730, 30388, 31853, 40161, 43829, 48711,
                                90377, 103863, 151368, 159439, 159611, 178326, 200550],
    "pathway_score": [0.5043539, 0.6680517, 0.6898101, 0.7811955, 0.8159931, 0.8734195,
                      0.8999919, 0.9094963, 0.9104909, 0.9115869, 0.9117448, 0.9180599, 0.924795,
                      0.9337271, 0.9366822, 0.96405, 0.9695848],
    # both formats
    "caption_len": [6, 49, 103, 206, 271, 279, 282, 288, 319, 462, 523, 526, 555, 686, 706, 716,
                    724, 767, 820, 821, 899, 928, 990, 990, 994, 998, 1057, 1123, 1180, 1611, 1672,
                    1705, 1854, 2098, 2928],
    "figtitle_len": [14, 19, 21, 34, 36, 39, 40, 41, 42, 44, 45, 48, 52, 56, 60, 61, 62, 63, 64, 65,
                     75, 84, 86, 91, 92, 96, 100, 110, 121, 123, 127, 127, 132, 147, 158],
    "papertitle_len": [43, 57, 59, 62, 65, 67, 70, 75, 76, 78, 85, 87, 94, 96, 97, 103, 105, 109,
                       110, 111, 112, 114, 119, 122, 128, 128, 128, 128, 134, 142, 149, 149, 152,
                       168, 172],
    "caption_nonascii_figures": 20,
    "caption_nonascii_chars": {"κ": 19, "β": 17, "α": 11, "–": 7, "’": 7, "к": 4, "γ": 3, "“": 3,
                               "”": 3, "‘": 2, "ɑ": 2, "½": 1, "−": 1, "±": 1},
    "caption_colon_space": 7,
    "caption_empty_brackets": 7,
    "caption_url": 1,
    "caption_just_figure": 1,
    # OCR words (inline `genes[].word` + genes TSV `word`): distinct words, and how many are not
    # plain [A-Za-z0-9]+(-[A-Za-z0-9]+)* (slashes, trailing commas/parens, colons, pipes, ...)
    "gene_words_distinct": 279,
    "gene_words_nonplain": 47,
    "gene_words_nonascii": 1,
    # sidecar
    "sidecar_tsv_present": {"genes": 14, "chemicals": 9, "diseases": 2},
    "sidecar_no_genes_with_chemicals": 4,
    "sidecar_gene_rows": [4, 9, 14, 22, 22, 25, 31, 31, 46, 55, 58, 59, 67, 87],
    "sidecar_gene_words": [4, 5, 7, 7, 9, 9, 9, 12, 14, 14, 15, 15, 17, 32],
    "sidecar_gene_organisms": [1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 5],
    # files (of 14 genes TSVs) in which each organism has rows
    "sidecar_organism_files": {"Homo sapiens": 13, "Drosophila melanogaster": 6, "Danio rerio": 3,
                               "Staphylococcus epidermidis": 2, "Mus musculus": 2,
                               "Escherichia coli str. K-12 substr. MG1655": 1,
                               "Caenorhabditis elegans": 1, "Arabidopsis thaliana": 1,
                               "Xenopus laevis": 1, "Rattus norvegicus": 1},
    "sidecar_rows_by_organism": {"Homo sapiens": 333, "Drosophila melanogaster": 88,
                                 "Mus musculus": 25, "Danio rerio": 21,
                                 "Escherichia coli str. K-12 substr. MG1655": 19,
                                 "Staphylococcus epidermidis": 16, "Arabidopsis thaliana": 9,
                                 "Rattus norvegicus": 8, "Xenopus laevis": 7,
                                 "Caenorhabditis elegans": 4},
    "sidecar_row_sources": {"ncbigene_synonym": 263, "famplex_relations": 142,
                            "ncbigene_symbol": 125},
    # rows per (organism, word, source): human vs other organisms
    "sidecar_rows_per_word": {
        "human": {
            "ncbigene_symbol": [1] * 35,
            "ncbigene_synonym": [1] * 56 + [2] * 12 + [3] * 8 + [4] * 6 + [5] * 4 + [8],
            "famplex_relations": [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6, 10, 14, 19,
                                  50],
        },
        "other": {
            "ncbigene_symbol": [1] * 88 + [2],
            "ncbigene_synonym": [1] * 47 + [2] * 9 + [3] * 2 + [4] * 5 + [5] * 2 + [6],
        },
    },
    "sidecar_count_na": {"count_direct": 7, "count_synonym": 20, "rows": 530},
    "sidecar_chem_rows": [2, 2, 2, 3, 6, 7, 8, 23, 23],
    "sidecar_chem_dup_rows": 9,
    "sidecar_chem_na": {"mesh": 44, "match": 27, "name": 34, "chebi": 27, "rows": 76},
    "sidecar_disease_rows": [1, 2],
    "sidecar_disease_na": {"mesh": 1, "match": 3, "name": 3, "doid": 3, "rows": 3},
    # `organisms` (paper metadata): [NA] in 9 of 18; lengths of the others; lists ending in NA
    "sidecar_organisms_na": 9,
    "sidecar_organisms_len": [2, 2, 2, 4, 6, 11, 11, 24, 45],
    "sidecar_organisms_with_human": 8,
    "sidecar_organisms_mixed_na": 2,
    "sidecar_ner_na": 4,
    "sidecar_figtype": {"Figure": 15, "Scheme": 1, "Supplemental figure": 1,
                        "Graphical abstract": 1},
    "sidecar_number_with_letter": 1,
    "sidecar_author_keywords": {'list': 8, 'empty': 9, 'na_character': 1},
    "sidecar_author_keyword_count": [5, 5, 5, 5, 6, 7, 7, 8],
    "sidecar_na_character_metadata": 1,
    "sidecar_wpid": 1,
    "sidecar_ndex_uuid": 1,
    "sidecar_jsonld_keywords_follow_rule": 13,
    "sidecar_years": [2018, 2023, 2023, 2023, 2023, 2023, 2023, 2023, 2023, 2023, 2024, 2024, 2024,
                      2024, 2025, 2025, 2025, 2025],
    "automl_pathway": [0.5716095, 0.6735933, 0.6938638, 0.7518944, 0.8461491, 0.8890526, 0.8907154,
                       0.9107804, 0.9116021, 0.9144689, 0.9313483, 0.9329649, 0.9526799, 0.9538944,
                       0.9557766, 0.958832, 0.9619259, 0.9633939],
    # 35 figures from 34 papers: PMC10028837 has two
    "figures_per_pmcid": {"1": 33, "2": 1},
}

# ASSUMPTION: figures per paper. The sample (34 papers for 35 figures) was hand-picked one figure
# at a time, so it under-counts multi-figure papers; real pathway papers often contribute 2-4.
# Mean of this distribution: ~1.7 figures per PMC id.
FIGS_PER_PAPER = ((1, 58), (2, 20), (3, 10), (4, 6), (5, 3), (6, 2), (8, 1))

# ASSUMPTION (not in the sample, listed in its README as seen in the source): rare variants.
P_SIDECAR_NO_TSV = 0.01          # a sidecar record with no TSV of any kind
P_SIDECAR_NER_AFTER_FIGTYPE = 0.03   # organisms_ner after figtype (later stored version)
P_JSONLD_KEYWORDS_SCALAR = 0.002     # schema-jsonld.keywords as a scalar string
P_KEYWORD_TWICE = 0.01               # a keyword listed twice

# OCR junk per word occurrence. The sample's 47 of 279 *distinct* words (17 %) are not plain;
# plain words repeat across figures and junk variants rarely do, so the per-occurrence rate that
# reproduces 17 % distinct at 10k records is lower (calibrated: 8.5 % -> 16-17 %).
P_JUNK_WORD = 0.085

HUMAN_POOL_SIZE = 20_000
POOL_SEED = "pfocr-bench-pool-v1"    # the gene/chemical pools do not depend on --seed


# --------------------------------------------------------------------------------------------
# Measuring the sample
# --------------------------------------------------------------------------------------------
def measure(sample: Path) -> dict:
    """Distributions of the real sample, in the shape of MEASURED."""
    import collections
    import csv

    def front(path: Path) -> dict:
        return yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=_Loader)

    def table(path: Path) -> list[dict]:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))

    inline, side = [], []
    for path in sorted((sample / "_figures").glob("*.md")):
        d = front(path)
        (side if "organisms_ner" in d else inline).append(d)
    out: dict = {"figures": len(inline) + len(side), "inline": len(inline), "sidecar": len(side)}

    out["inline_gene_entries"] = sorted(len(d.get("genes") or []) for d in inline)
    out["inline_gene_words"] = sorted(len({g["word"] for g in d.get("genes") or []}) for d in inline)
    per_word: dict[str, list[int]] = collections.defaultdict(list)
    for d in inline:
        for (_, src), n in collections.Counter((g["word"], g["source"]) for g in d.get("genes") or []).items():
            per_word[src].append(n)
    out["inline_word_sources"] = {k: len(v) for k, v in sorted(per_word.items(), key=lambda kv: -len(kv[1]))}
    out["inline_entries_per_word"] = {k: sorted(v) for k, v in per_word.items()}
    out["inline_chemicals"] = sorted(len(d.get("chemicals") or []) for d in inline)
    chems = [c for d in inline for c in d.get("chemicals") or []]
    out["inline_chemical_empty_source"] = [sum(c["source"] == "" for c in chems), len(chems)]
    out["inline_diseases"] = sorted(len(d.get("diseases") or []) for d in inline)
    dis = [c for d in inline for c in d.get("diseases") or []]
    out["inline_disease_empty_source"] = [sum(c["source"] == "" for c in dis), len(dis)]
    orgs = collections.Counter(
        "list" if isinstance(d["organisms"], list) else ("comma_string" if "," in d["organisms"] else "string")
        for d in inline
    )
    out["inline_organisms"] = dict(orgs)
    out["inline_wpid"] = sum("wpid" in d for d in inline)
    out["inline_ndex_uuid"] = sum(bool(d.get("ndex")) for d in inline)
    out["inline_years"] = sorted(int(d["year"]) for d in inline)
    out["pmc_ranked_result_index"] = sorted(int(d["pmc_ranked_result_index"]) for d in inline)
    out["pathway_score"] = sorted(d["pathway_score"] for d in inline)

    both = inline + side
    out["caption_len"] = sorted(len(d["caption"]) for d in both)
    out["figtitle_len"] = sorted(len(d["figtitle"]) for d in both)
    out["papertitle_len"] = sorted(len(d["papertitle"]) for d in both)
    out["caption_nonascii_figures"] = sum(any(ord(c) > 127 for c in d["caption"]) for d in both)
    out["caption_nonascii_chars"] = dict(
        collections.Counter(c for d in both for c in d["caption"] if ord(c) > 127).most_common()
    )
    out["caption_colon_space"] = sum(": " in d["caption"] for d in both)
    out["caption_empty_brackets"] = sum(("()" in d["caption"] or "[]" in d["caption"]) for d in both)
    out["caption_url"] = sum("http" in d["caption"] for d in both)
    out["caption_just_figure"] = sum(d["caption"].strip() == "Figure" for d in both)

    words = {g["word"] for d in inline for g in d.get("genes") or []}
    gene_tables = {p: table(p) for p in sorted((sample / "_data").glob("*-genes.tsv"))}
    words |= {r["word"] for rows in gene_tables.values() for r in rows}
    plain = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
    out["gene_words_distinct"] = len(words)
    out["gene_words_nonplain"] = sum(not plain.match(w) for w in words)
    out["gene_words_nonascii"] = sum(any(ord(c) > 127 for c in w) for w in words)

    present = collections.Counter()
    no_genes_with_chem = 0
    chem_rows, chem_dups, chem_na = [], 0, collections.Counter()
    dis_rows, dis_na = [], collections.Counter()
    kw_rule = 0
    for d in side:
        fid = d["figid"]
        have = {k: (sample / "_data" / f"{fid}-{k}.tsv") for k in ("genes", "chemicals", "diseases")}
        have = {k: p for k, p in have.items() if p.exists()}
        present.update(have.keys())
        if "genes" not in have and "chemicals" in have:
            no_genes_with_chem += 1
        expect: list[str] = []
        for kind, col in (("genes", "ncbigene_symbol"), ("chemicals", "word"), ("diseases", "word")):
            if kind in have:
                rows = table(have[kind])
                expect += [r[col] for r in rows]
                if kind == "chemicals":
                    chem_rows.append(len(rows))
                    chem_dups += len(rows) - len({tuple(r.values()) for r in rows})
                    for r in rows:
                        chem_na.update(c for c in ("mesh", "match", "name", "chebi") if r[c] == "NA")
                    chem_na["rows"] += len(rows)
                if kind == "diseases":
                    dis_rows.append(len(rows))
                    for r in rows:
                        dis_na.update(c for c in ("mesh", "match", "name", "doid") if r[c] == "NA")
                    dis_na["rows"] += len(rows)
        expect = [".na.character" if x == "NA" else x for x in dict.fromkeys(expect)]
        kw_rule += d["schema-jsonld"].get("keywords") == expect
    out["sidecar_tsv_present"] = dict(present)
    out["sidecar_no_genes_with_chemicals"] = no_genes_with_chem
    out["sidecar_gene_rows"] = sorted(len(r) for r in gene_tables.values())
    out["sidecar_gene_words"] = sorted(len({x["word"] for x in r}) for r in gene_tables.values())
    out["sidecar_gene_organisms"] = sorted(len({x["organism_name"] for x in r}) for r in gene_tables.values())
    files = collections.Counter(o for r in gene_tables.values() for o in {x["organism_name"] for x in r})
    out["sidecar_organism_files"] = dict(files.most_common())
    all_rows = [x for r in gene_tables.values() for x in r]
    out["sidecar_rows_by_organism"] = dict(collections.Counter(x["organism_name"] for x in all_rows).most_common())
    out["sidecar_row_sources"] = dict(collections.Counter(x["source"] for x in all_rows).most_common())
    rpw: dict = {"human": collections.defaultdict(list), "other": collections.defaultdict(list)}
    for rows in gene_tables.values():
        for (org, _, src), n in collections.Counter(
            (x["organism_name"], x["word"], x["source"]) for x in rows
        ).items():
            rpw["human" if org == "Homo sapiens" else "other"][src].append(n)
    out["sidecar_rows_per_word"] = {k: {s: sorted(v) for s, v in d.items()} for k, d in rpw.items()}
    out["sidecar_count_na"] = {
        "count_direct": sum(x["count_direct"] == "NA" for x in all_rows),
        "count_synonym": sum(x["count_synonym"] == "NA" for x in all_rows),
        "rows": len(all_rows),
    }
    out["sidecar_chem_rows"] = sorted(chem_rows)
    out["sidecar_chem_dup_rows"] = chem_dups
    out["sidecar_chem_na"] = dict(chem_na)
    out["sidecar_disease_rows"] = sorted(dis_rows)
    out["sidecar_disease_na"] = dict(dis_na)
    na_lists = [d for d in side if d["organisms"] == ["NA"]]
    others = [d["organisms"] for d in side if d["organisms"] != ["NA"]]
    out["sidecar_organisms_na"] = len(na_lists)
    out["sidecar_organisms_len"] = sorted(len(o) for o in others)
    out["sidecar_organisms_with_human"] = sum("Homo sapiens" in o for o in others)
    out["sidecar_organisms_mixed_na"] = sum("NA" in o for o in others)
    out["sidecar_ner_na"] = sum(d["organisms_ner"] == ["NA"] for d in side)
    out["sidecar_figtype"] = dict(collections.Counter(d["figtype"] for d in side).most_common())
    out["sidecar_number_with_letter"] = sum(bool(re.match(r"^F\d+[A-Z]$", d["number"])) for d in side)
    kw = collections.Counter(
        "na_character" if d["keywords"] == ".na.character" else ("empty" if not d["keywords"] else "list")
        for d in side
    )
    out["sidecar_author_keywords"] = dict(kw)
    out["sidecar_author_keyword_count"] = sorted(
        len(d["keywords"].split(" | ")) for d in side if d["keywords"] and d["keywords"] != ".na.character"
    )
    out["sidecar_na_character_metadata"] = sum(d["doi"] == ".na.character" for d in side)
    out["sidecar_wpid"] = sum("wpid" in d for d in side)
    out["sidecar_ndex_uuid"] = sum(bool(d.get("ndex")) for d in side)
    out["sidecar_jsonld_keywords_follow_rule"] = kw_rule
    out["sidecar_years"] = sorted(int(d["year"]) for d in side)
    out["automl_pathway"] = sorted(d["automl_pathway"] for d in side)
    per_pmc = collections.Counter(d["pmcid"] for d in both)
    out["figures_per_pmcid"] = {str(k): v for k, v in sorted(collections.Counter(per_pmc.values()).items())}
    return out


# --------------------------------------------------------------------------------------------
# Static vocabularies
# --------------------------------------------------------------------------------------------
# Real human (HGNC symbol, Entrez id) pairs seen in the sample records (CC0): the head of the
# popularity ranking, so the most frequent genes of the corpus are real pathway genes.
REAL_HUMAN = """
PIK3CD:5293 PIK3CG:5294 SHC2:25759 SRC:6714 PIK3R3:8503 NTRK1:4914 FRS2:10818 SHC4:399694 PIK3R4:30849
TRAF6:7189 PIK3R5:23533 PIK3CA:5290 SHC1:6464 PIK3R6:146850 SHC3:53358 PIK3CB:5291 PLCB3:5331
PRKAR2A:5576 PLCE1:51196 PLCB1:23236 PRKACB:5567 PRKACA:5566 ADCY1:107 PLCD3:113026 PLCB2:5330
PRKACG:5568 ADCY7:113 PRKAR1B:5575 ADCY9:115 ADCY10:55811 PRKAR2B:5577 PRKCI:5584 BRAF:673 ADCY4:196883
FGFR3:2261 RAF1:5894 PRKCG:5582 PLCD4:84812 ARAF:369 PRKCH:5583 PRKCZ:5590 ADCY5:111 ADCY2:108
PRKCQ:5588 ADCY3:109 ADCY8:114 PLCZ1:89869 PRKAR1A:5573 PLCG2:5336 PRKD3:23683 MAPK13:5603 EGFR:1956
PRKCD:5580 PLCG1:5335 PRKCA:5578 MAPK12:6300 MAPK9:5601 ADCY6:112 MAPK8:5599 PRKCE:5581 PRKCB:5579
PLCD1:5333 MAPK3:5595 MAPK10:5602 MAPK11:5600 MAPK14:1432 PLCB4:5332 MAPK1:5594 POTED:317754 EMP2:2013
NT5C2:22978 SLC25A1:6576 MFAP1:4236 WDTC1:23038 SLC5A7:60482 ATF6:22926 ERN1:2081 XBP1:7494 SMAD2:4087
SMAD7:4092 GDF6:392255 SMAD9:4093 BMP8B:656 SMAD1:4086 GDF5:8200 BMP8A:353500 SMAD5:4090 SMAD6:4091
BMP10:27302 GDF2:2658 BMP6:654 SMAD4:4089 GDF1:2657 GDF7:151449 BMP7:655 BMP2:650 GDF3:9573 BMP5:653
SMAD3:4088 BMP1:649 BMP4:652 BMP15:9210 BMP3:651 PTPN5:84867 RELA:5970 IFNB1:3456 IFNA17:3451 TLR7:51284
SOCS1:8651 IFNA21:3452 TLR4:7099 IFNA7:3444 IFNA16:3449 IFNA8:3445 TLR3:7098 STAT2:6773 IFNA13:3447
IFNA14:3448 STAT1:6772 IRF6:3664 IFNA6:3443 IFNA10:3446 JAK2:3717 IFNA1:3439 IFNA4:3441 NFKB2:4791
REL:5966 TYK2:7297 IFNK:56832 IFNA5:3442 NFKB1:4790 RELB:5971 STAT4:6775 STAT5A:6776 IFNA2:3440
JAK3:3718 IRF3:3661 MYD88:4615 JAK1:3716 STAT3:6774 IFNW1:3467 STAT6:6778 STAT5B:6777 TYRP1:7306
TYR:7299 AKR1B10:57016 FRK:2444 KL:9365 GEM:2669 TRADD:8717 TRAF7:84231 CASP10:843 TNFRSF1B:7133
CASP3:836 TRAF3:7187 CASP12:100506742 TRAF2:7186 CASP7:840 CASP9:842 CASP4:837 TNFRSF1A:7132 TRAF5:7188
CASP2:835 CASP8:841 BAK1:578 TNF:7124 CASP6:839 CASP5:838 FADD:8772 CASP1:834 CASP14:23581 BID:637
BAX:581 TRAF1:7185 TRAF4:9618 UXS1:80146 OGFOD1:55239 RYR1:6261 GNAO1:2775 PITX2:5308 FOXO4:4303
RYBP:23429 FOXO6:100132074 PDK1:5163 AKT1:207 INSR:3643 AKT2:208 FOXO1:2308 FOXO3:2309 PTEN:5728
XIAP:331 TGFB1:7040 TGFB3:7043 BIRC3:330 KRR1:11103 NR2C2:7182 TAB1:10454 TGFB2:7042 BIRC2:329
STK38L:23012 NDRG1:10397 STK3:6788 SAV1:60485 LATS2:26524 TAZ:6901 MST1:4485 NF2:4771 LATS1:9113
YWHAQ:10971 CXCL10:3627 YY1AP1:55249 WDR19:57728 IFT122:55764 IFT140:9742 WDR35:57539 IFT22:64792
CLUAP1:23059 IFT172:26160 IFT20:90410 TRAF3IP1:26146 TTC26:79989 IFT43:112752 IFT52:51098 IFT88:8100
IFT74:80173 IFT57:55081 IFT80:57560 IFT46:56912 IFT27:11020 HSPB11:51668 IFT81:28981 MMP24:10893
MMP21:118856 MMP14:4323 MMP13:4322 AGER:177 MMP12:4321 NMUR1:10316 MMP1:4312 MMP2:4313 SNAP25:6616
TKTL1:8277 C3:718 SLC2A1:6513 SLC2A3:6515 MMP8:4317 MMP9:4318 MMP10:4319 MMP11:4320 SPNS1:83985
MMP15:4324 MMP16:4325 BDNF:627 MMP7:4316 MMP28:79148 MMP23B:8510 MMP20:9313 TBK1:29110 MMP3:4314
MMP25:64386 MMP19:4327 MMP27:64066 MMP17:4326 RHBDF2:79651 MAP3K7:6885 SYT1:6857 GORASP1:64689
WNK1:65125 UBE2N:7334 USP13:8975 CXCL11:6373 CXCL12:6387 CXCL13:10563 CXCL14:9547 CXCL9:4283 PF4:5196
CXCL1:2919 CXCL2:2920 CXCL3:2921 CXCL5:6374 CXCL6:6372 CXCL8:3576 PPBP:5473 ERBB2:2064 PIK3R1:5295
PIK3R2:5296 AKT3:10000 PAM:5066 LRIT1:26103 SHCBP1:79801 CAD:790 DFFB:1677 ACOD1:730249 CTH:1491
COMT:1312 BRD2:6046 CGA:1081 FSHB:2488 LCT:3938 MTG1:92170 IMPA1:3612 BRAP:8315 PURB:5814 PURA:5813
APRT:353 ATP8A2:51761 PRS:5640 SDHD:6392 DECR1:1666 BRCA2:675 FANCD2:2177 PSEN1:5663 HAL:3034
KRT31:3881 ARHGAP45:23526 TH:7054 CTNNBL1:56259 CAVIN4:347273 TRIM54:57159 LTA:4049 FOS:2353
FOSB:2354 FOSL1:8061 FOSL2:2355 GSK3A:2931 GSK3B:2932 AXIN1:8312 AXIN2:8313 APC:324 PROC:5624
CSNK1A1:1452 KRT1:3848 CSNK1A1L:122011 MAP3K14:9020 MAP4K4:9448 CHUK:1147 CUX1:1523 OAS3:4940
PMEL:6490 SART3:9733 TPX2:22974 SND1:27044 ASCC2:84164 EP300:2033 CREBBP:1387 EIF4E:1977 OPN1LW:5956
PAG1:55824 PCBP4:57060 GATA4:2626 FEZF2:55079 FKBP4:2288 GTF2H4:2968 PMPCB:9512 PSIP1:11168
H3P42:115482704 DOCK3:1795 PEBP1:5037 PKD1:5310 MED1:5469 TARS1:6897 TARP:445347 TRGC1:6966
TRIOBP:11078 RNMT:8731 STS:412 MSX2:4488 POMC:5443 PMCH:5367 LYST:1130 CSE1L:1434 CTNND1:1500
BCAR1:9564 TMX2-CTNND1:100528016 HP:3240 DEFA1:1667 CBX5:23468 DEFA1B:728358 PRX:57716 PRDX6:9588
ANGPT1:284 ANGPT2:285 ANGPT4:51378 AREG:374 CSF1:1435 EFNA1:1942 EFNA2:1943 EFNA3:1944 EFNA4:1945
EFNA5:1946 EGF:1950 EREG:2069 FGF1:2246 FGF10:2255 FGF16:8823 FGF17:8822 FGF18:8817 FGF19:9965
FGF2:2247 FGF20:26281 FGF21:26291 FGF22:27006 FGF23:8074 FGF3:2248 FGF4:2249 FGF5:2250 FGF6:2251
FGF7:2252 FGF8:2253 FGF9:2254 FLT3LG:2323 HGF:3082 IGF1:3479 IGF2:3481 INS:3630 KITLG:4254 NGF:4803
NTF3:4908 NTF4:4909 PDGFA:5154 PDGFB:5155 PDGFC:56034 PDGFD:80310 PGF:5228 TGFA:7039 VEGFA:7422
VEGFB:7423 VEGFC:7424 VEGFD:2277 GRB2:2885 XYLT2:64132 SOS1:6654 SOS2:6655 KRAS:3845 HRAS:3265
NRAS:4893 OPN1MW:2652 OPN1MW2:728458 OPN1MW3:101060233 RNASE3:6037 MAP2K7:5609 MAP2K1:5604
MAP2K2:5605 MAP2K3:5606 MAP2K4:6416 MAP2K5:5607 MAP2K6:5608 RPS6KA1:6195 RPS6KA2:6196 RPS6KA3:6197
RPS6KA4:8986 RPS6KA5:9252 RPS6KA6:27330 EPHB2:2048 ADSL:158 IRAK1:3654 MSMB:4477 PGLYRP1:8993
TUBE1:51175 UTP25:27042 MDH2:4191 SARDH:1757 SDHB:6390 SORD:6652 SDS:10993 CS:1431 BGN:633 GPI:2821
PGPEP1:54858 DLD:1738 FAM3A:60343 LDHD:197257 PFKL:5211 PFKM:5213 PFKP:5214 PAEP:5047 PREP:5550
PTPN22:26191 KLK15:55554 IDH1:3417 IDH2:3418 MACF1:23499 RPSA:3921 LRP1:4035 PTPRA:5786 MVP:9961
CTNNB1:1499 TCF4:6925 TCF7L2:6934 WNT1:7471 WNT2:7472 WNT2B:7482 WNT3:7473 WNT3A:89780 WNT4:54361
WNT6:7475 WNT7A:7476 WNT7B:7477 WNT8A:7478 WNT8B:7479 WNT9A:7483 WNT9B:7484 WNT10A:80326 WNT10B:7480
WNT11:7481 WNT16:51384 WNT5A:7474 WNT5B:81029 FZD1:8321 FZD10:11211 FZD2:2535 FZD3:7976 FZD4:8322
FZD5:7855 FZD6:8323 FZD7:8324 FZD8:8325 FZD9:8326 TRPC3:7222 GNAQ:2776 GNA11:2767 GNA14:9630
GNA15:2769 CACNA1A:773 HOMER1:9456 HOMER2:9455 HOMER3:9454 ATP2B2:491 PDPK1:5170 CARS1:833 ITPR1:3708
LY6E:4061 ATXN2:6311 ATXN3:4287 ATXN1:6310 TMEM37:140738
"""

# Family words (bioentities_symbol / famplex_relations) over the real symbols above.
REAL_FAMILIES = {
    "PI3K": "PIK3CA PIK3CB PIK3CD PIK3CG PIK3R1 PIK3R2 PIK3R3 PIK3R4 PIK3R5 PIK3R6",
    "PKC": "PRKCA PRKCB PRKCG PRKCD PRKCE PRKCH PRKCI PRKCQ PRKCZ PRKD3",
    "MMP": "MMP1 MMP2 MMP3 MMP7 MMP8 MMP9 MMP10 MMP11 MMP12 MMP13 MMP14 MMP15 MMP16 MMP17 MMP19 "
           "MMP20 MMP21 MMP23B MMP24 MMP25 MMP27 MMP28",
    "Caspase": "CASP1 CASP2 CASP3 CASP4 CASP5 CASP6 CASP7 CASP8 CASP9 CASP10 CASP12 CASP14",
    "TRAF": "TRAF1 TRAF2 TRAF3 TRAF4 TRAF5 TRAF6 TRAF7",
    "IFNA": "IFNA1 IFNA2 IFNA4 IFNA5 IFNA6 IFNA7 IFNA8 IFNA10 IFNA13 IFNA14 IFNA16 IFNA17 IFNA21",
    "SMAD": "SMAD1 SMAD2 SMAD3 SMAD4 SMAD5 SMAD6 SMAD7 SMAD9",
    "BMP": "BMP1 BMP2 BMP3 BMP4 BMP5 BMP6 BMP7 BMP8A BMP8B BMP10 BMP15 GDF2",
    "WNT": "WNT1 WNT2 WNT2B WNT3 WNT3A WNT4 WNT5A WNT5B WNT6 WNT7A WNT7B WNT8A WNT8B WNT9A WNT9B "
           "WNT10A WNT10B WNT11 WNT16",
    "Frizzled": "FZD1 FZD2 FZD3 FZD4 FZD5 FZD6 FZD7 FZD8 FZD9 FZD10",
    "FGF": "FGF1 FGF2 FGF3 FGF4 FGF5 FGF6 FGF7 FGF8 FGF9 FGF10 FGF16 FGF17 FGF18 FGF19 FGF20 FGF21 "
           "FGF22 FGF23",
    "ERK": "MAPK1 MAPK3",
    "JNK": "MAPK8 MAPK9 MAPK10",
    "p38": "MAPK11 MAPK12 MAPK13 MAPK14",
    "AC": "ADCY1 ADCY2 ADCY3 ADCY4 ADCY5 ADCY6 ADCY7 ADCY8 ADCY9 ADCY10",
    "PLC": "PLCB1 PLCB2 PLCB3 PLCB4 PLCD1 PLCD3 PLCD4 PLCE1 PLCG1 PLCG2 PLCZ1",
    "PKA": "PRKACA PRKACB PRKACG PRKAR1A PRKAR1B PRKAR2A PRKAR2B",
    "IFT": "IFT20 IFT22 IFT27 IFT43 IFT46 IFT52 IFT57 IFT74 IFT80 IFT81 IFT88 IFT122 IFT140 IFT172",
    "Chemokine": "CXCL1 CXCL2 CXCL3 CXCL5 CXCL6 CXCL8 CXCL9 CXCL10 CXCL11 CXCL12 CXCL13 CXCL14 PF4 PPBP",
    "STAT": "STAT1 STAT2 STAT3 STAT4 STAT5A STAT5B STAT6",
    "JAK": "JAK1 JAK2 JAK3 TYK2",
    "AKT": "AKT1 AKT2 AKT3",
    "RAS": "KRAS HRAS NRAS",
    "RAF": "ARAF BRAF RAF1",
    "MEK": "MAP2K1 MAP2K2 MAP2K3 MAP2K4 MAP2K5 MAP2K6 MAP2K7",
    "RSK": "RPS6KA1 RPS6KA2 RPS6KA3 RPS6KA4 RPS6KA5 RPS6KA6",
    "GSK3": "GSK3A GSK3B",
    "VEGF": "VEGFA VEGFB VEGFC VEGFD PGF",
    "PDGF": "PDGFA PDGFB PDGFC PDGFD",
    "NFkB": "NFKB1 NFKB2 RELA RELB REL",
    "FOXO": "FOXO1 FOXO3 FOXO4 FOXO6",
    "SHC": "SHC1 SHC2 SHC3 SHC4",
    "Ephrin": "EFNA1 EFNA2 EFNA3 EFNA4 EFNA5",
    "AP-1": "FOS FOSB FOSL1 FOSL2",
    "Homer": "HOMER1 HOMER2 HOMER3",
    "Gq": "GNAQ GNA11 GNA14 GNA15",
    "TGFB": "TGFB1 TGFB2 TGFB3",
    "PFK": "PFKL PFKM PFKP",
    "TLR": "TLR3 TLR4 TLR7",
    "ATXN": "ATXN1 ATXN2 ATXN3",
    "Growthfactor": "ANGPT1 ANGPT2 ANGPT4 AREG CSF1 EFNA1 EFNA2 EFNA3 EFNA4 EFNA5 EGF EREG FGF1 FGF10 "
                    "FGF16 FGF17 FGF18 FGF19 FGF2 FGF20 FGF21 FGF22 FGF23 FGF3 FGF4 FGF5 FGF6 FGF7 "
                    "FGF8 FGF9 FLT3LG HGF IGF1 IGF2 INS KITLG NGF NTF3 NTF4 PDGFA PDGFB PDGFC PDGFD "
                    "PGF TGFA VEGFA VEGFB VEGFC VEGFD BDNF",
}

# organism: (taxon id, group, style of its organism page, image id or None)
ORGANISMS = {
    "Homo sapiens": ("9606", "Primates", "plain", "422"),
    "Mus musculus": ("10090", "Rodents", "plain", "4485"),
    "Rattus norvegicus": ("10116", "Rodents", "plain", "4486"),
    "Danio rerio": ("7955", "Vertebrates", "quoted:Zebrafish", None),
    "Xenopus laevis": ("8355", "Vertebrates", "plain", "2812"),
    "Drosophila melanogaster": ("7227", "Invertebrates", "quoted:Fruitfly", None),
    "Caenorhabditis elegans": ("6239", "Invertebrates", "plain", None),
    "Arabidopsis thaliana": ("3702", "Plants and Fungi", "arabidopsis", None),
    "Escherichia coli str. K-12 substr. MG1655": ("511145", "Bacteria", "plain", None),
    "Staphylococcus epidermidis": ("1282", "Bacteria", "plain", None),
    "Saccharomyces cerevisiae": ("4932", "Plants and Fungi", "plain", None),
    "Oryza sativa": ("4530", "Plants and Fungi", "plain", "4277"),
    "Severe acute respiratory syndrome coronavirus 2": ("2697049", "Viruses", "plain", None),
    "Eschscholzia californica": ("3467", "Plants and Fungi", "plain", None),
    "Streptococcus pneumoniae": ("1313", "Bacteria", "plain", None),
    "Nicotiana tabacum": ("4097", "Plants and Fungi", "plain", None),
    "Zea mays": ("4577", "Plants and Fungi", "plain", None),
    "Solanum lycopersicum": ("4081", "Plants and Fungi", "plain", None),
    "Glycine max": ("3847", "Plants and Fungi", "plain", None),
    "Triticum aestivum": ("4565", "Plants and Fungi", "plain", None),
    "Hordeum vulgare": ("4513", "Plants and Fungi", "plain", None),
    "Malus domestica": ("3750", "Plants and Fungi", "plain", None),
    "Vitis vinifera": ("29760", "Plants and Fungi", "plain", None),
    "Brassica napus": ("3708", "Plants and Fungi", "plain", None),
    "Staphylococcus aureus": ("1280", "Bacteria", "plain", None),
    "Bacillus subtilis": ("1423", "Bacteria", "plain", None),
    "Listeria monocytogenes": ("1639", "Bacteria", "plain", None),
    "Escherichia coli": ("562", "Bacteria", "plain", None),
    "Pseudomonas aeruginosa": ("287", "Bacteria", "plain", None),
    "Mycobacterium tuberculosis": ("1773", "Bacteria", "plain", None),
    "Sus scrofa": ("9823", "Vertebrates", "plain", None),
    "Bos taurus": ("9913", "Vertebrates", "plain", None),
    "Gallus gallus": ("9031", "Vertebrates", "plain", None),
    "Macaca mulatta": ("9544", "Primates", "plain", None),
    "Cyprinus carpio": ("7962", "Vertebrates", "plain", None),
    "Meleagris gallopavo": ("9103", "Vertebrates", "plain", None),
    "Plasmodium falciparum": ("5833", "Protists", "plain", None),
    "Candida albicans": ("5476", "Plants and Fungi", "plain", None),
    "Dysidea avara": ("111878", "Invertebrates", "plain", None),
    "Venustaconcha ellipsiformis": ("1077945", "Invertebrates", "plain", None),
}
# names seen in `organisms` lists that have no organism page
UNPAGED_ORGANISMS = ["Embryophyta", "Tracheophyta", "PX clade", "Populus sp."]

# Organisms of genes TSVs and how a word is matched there.
TSV_ORGANISMS = [
    "Homo sapiens", "Drosophila melanogaster", "Danio rerio", "Staphylococcus epidermidis",
    "Mus musculus", "Escherichia coli str. K-12 substr. MG1655", "Caenorhabditis elegans",
    "Arabidopsis thaliana", "Xenopus laevis", "Rattus norvegicus",
]
ORTHOLOG_ORGANISMS = {"Mus musculus", "Rattus norvegicus", "Danio rerio", "Xenopus laevis"}

# Real non-human (symbol, id) pairs from the sample's genes TSVs
REAL_OTHER = {
    "Drosophila melanogaster": "Pten:43991 Pi3K21B:33203 Pi3K59F:37733 Pi3K68D:39329 Pi3K92E:42446 "
        "Akt:41957 bond:42657 pal:45912 Pal2:37746 Cpr:33883 cad:35341 NA:32640 Drep4:34734 "
        "Ca-alpha1D:34950 shg:37386 Coa:248135 Nfs1:34613 Cse1:35016 Cth:37143 comt:47091 fs(1)h:31722 "
        "Lgr1:42133 pod:252447 Lac:36363 lacquered:44521 ox:45401 Lcp65Aa:38709 ThrRS:45784 tara:53562 "
        "oo:250615 Rab1:42524 Tdc1:35573 Tdc2:246620 Rnmt:34877 sts:252737 Dr:45285 mch:249741 "
        "cos:35653 Pka-C1:34284 Pka-R2:36041 sr:42162 CkIIbeta:32132 Andorra:32798 Anp:43595 "
        "Acam:44913 Root:42860 cas:44018 caz:32587 cass:35053 cash:47266 Mdh1:34414 Mdh2:42185 "
        "Men-b:43936 Men:47173 LKRSDH:34064 SdhB:35590 SdhA:37228 Sodh-2:41313 SdhC:41340 Fum1:31605 "
        "Acn:35173 Lkr:38622 cs:248200 CycE:34924 cyc:40162 Pgi:35886 ad:247742 Pfk:36060 "
        "CG15812:38379 Pep:45961 bgcn:47873 Aco:5657836 Idh:44291 Idh3b:42586 norpA:31376 "
        "homer:33944 ca:43518 Pdk1:38017 CysRS:36784 Pri:47191 Arr2:38993 tal-2A:7354376 "
        "tal-AA:7354377 tal-3A:7354378 tal-1A:7354381 Atx2:41883",
    "Staphylococcus epidermidis": "guaB:50019659 guaA:50019658 purB:50018307 gntK:50017867 "
        "zwf:50018693 murA:50018202 murB:50019332 murC:50018476 murD:50019003 murF:50018219 "
        "vraG:50019414 graS:50019416 vraF:50019415 graR:50019417 mprF:50018832 ltaS:50019355",
    "Escherichia coli str. K-12 substr. MG1655": "guaB:946985 guaA:947334 lptD:945011 purB:945695 "
        "purA:948695 prs:945772 pgl:946398 gntP:948848 gntK:947937 gnd:946554 nadR:948911 "
        "zwf:946370 fumA:946826 murA:947703 murB:948470 murC:946153 murD:944818 udp:948987 "
        "murF:944813",
    "Caenorhabditis elegans": "B0507.8:179252 pals-5:182748 skr-3:180081 cul-6:178214",
    "Arabidopsis thaliana": "MDH:823906 AT4G33150:829452 LOG2:818172 PGI1:828564 FBP:840953 "
        "PEP:828706 PAS2:830912 PPDK:827226",
}
# id ranges (inclusive lo, exclusive hi) for synthetic genes, shaped like real NCBI Gene ids
ID_RANGES = {
    "Homo sapiens": ((1, 30_000, 55), (50_000, 400_000, 30), (100_100_000, 130_000_000, 15)),
    "Mus musculus": ((11_000, 250_000, 80), (100_000_000, 100_990_000, 20)),
    "Rattus norvegicus": ((24_000, 500_000, 85), (100_360_000, 120_100_000, 15)),
    "Danio rerio": ((30_000, 800_000, 80), (100_000_000, 110_440_000, 20)),
    "Xenopus laevis": ((370_000, 500_000, 60), (108_690_000, 108_720_000, 40)),
    "Drosophila melanogaster": ((30_000, 50_000, 70), (246_000, 3_772_000, 20), (5_740_000, 7_354_999, 10)),
    "Caenorhabditis elegans": ((171_000, 192_000, 100),),
    "Arabidopsis thaliana": ((814_000, 845_000, 100),),
    "Escherichia coli str. K-12 substr. MG1655": ((944_700, 949_500, 100),),
    "Staphylococcus epidermidis": ((50_017_000, 50_020_000, 100),),
}

CHEMICALS_REAL = [
    # (word, mesh, match, name, chebi) as in the sample's chemicals TSVs / inline MeSH ids
    ("ATP", "mesh:D000255", "ATP", "ATP", "chebi:30616"),
    ("ADP", "mesh:D000244", "ADP", "ADP", "chebi:456216"),
    ("Ca", "mesh:D002118", "Calcium", "calcium atom", "chebi:22984"),
    ("Ca2", "mesh:D002118", "Calcium", "calcium atom", "chebi:22984"),
    ("GTP", "NA", "GTP", "GTP", "chebi:37565"),
    ("glucose", "mesh:D005947", "glucose", "D-glucose", "chebi:4167"),
    ("Fructose", "mesh:D005632", "fructose", "D-fructose", "chebi:28757"),
    ("Sorbitol", "mesh:D013012", "NA", "NA", "NA"),
    ("NADH", "mesh:D009243", "NADH", "NADH", "chebi:16908"),
    ("NAD", "mesh:D009243", "NAD", "NAD", "chebi:15846"),
    ("NADPH", "mesh:D009249", "NADPH", "NADPH", "chebi:16474"),
    ("PGE2", "mesh:D015232", "prostaglandin E2", "prostaglandin E2", "chebi:15551"),
    ("Bradykinin", "mesh:D001920", "NA", "NA", "NA"),
    ("Isoproterenol", "mesh:D007545", "isoproterenol", "isoprenaline", "chebi:64317"),
    ("Succinate", "mesh:D013386", "succinate", "succinate(2-)", "chebi:30031"),
    ("Pyruvate", "mesh:D011773", "pyruvate", "pyruvate", "chebi:15361"),
    ("Oxaloacetate", "mesh:D010071", "NA", "NA", "NA"),
    ("Isocitrate", "mesh:D007523", "NA", "NA", "NA"),
    ("Phosphate", "mesh:D010710", "phosphate", "phosphate", "chebi:18367"),
    ("Riboflavin", "mesh:D012256", "riboflavin", "riboflavin", "chebi:17015"),
    ("UTP", "mesh:D014544", "UTP", "UTP", "chebi:15713"),
    ("UDP", "mesh:D014530", "UDP", "UDP", "chebi:17659"),
    ("L-glutamine", "mesh:D005973", "L-glutamine", "L-glutamine", "chebi:18050"),
    ("galactose", "mesh:D005690", "galactose", "galactose", "chebi:28260"),
    ("Glycine", "NA", "glycine", "2-azaniumylacetate", "chebi:57305"),
    ("Serine", "NA", "Serine", "L-serine", "chebi:17115"),
    ("Cinnamate", "NA", "cinnamate", "cinnamate", "chebi:23248"),
    ("p-coumarate", "NA", "p-coumarate", "3-(4-hydroxyphenyl)prop-2-enoate", "chebi:32373"),
    ("Caffeate", "NA", "Caffeate", "(2Z)-3-(3,4-dihydroxyphenyl)prop-2-enoic acid", "chebi:17395"),
    ("L-Phenylalanine", "NA", "L-phenylalanine", "(2S)-2-azaniumyl-3-phenylpropanoate", "chebi:58095"),
    ("Glycolic acid", "NA", "GLYCOLIC ACID", "hydroxyacetic acid", "chebi:17497"),
    ("Ethylene", "NA", "ethylene", "ethane-1,2-diyl", "chebi:29362"),
    ("Fatty Acids", "NA", "fatty acids", "fatty acids", "chebi:35366"),
    ("Fatty Acyl CoA", "NA", "Fatty acyl CoA", "NA", "chebi:37554"),
    ("Nucleus", "NA", "nucleus", "nucleus", "chebi:33252"),
    ("[O]", "mesh:D013481", "Superoxides", "superoxide", "chebi:18421"),
    ("RAS", "NA", "RAS", "(1R)-N-(prop-2-yn-1-yl)indan-1-amine", "chebi:63620"),
    ("magnoflorine", "mesh:C001670", "(S)-magnoflorine", "magnoflorine", "chebi:6641"),
    ("norcoclaurine", "mesh:C012348", "(RS)-norcoclaurine", "higenamine", "chebi:18418"),
    ("sanguinarine", "mesh:C005705", "NA", "NA", "NA"),
    ("Meo-PEG-Dlinkm-PLGA", "mesh:C000589473", "NA", "NA", "NA"),
    ("caffeoyl-CoA", "NA", "Caffeoyl-CoA", ("3'-phosphoadenosine 5'-{3-[(3R)-4-{[3-({2-[(3,4-dihydroxy"
     "phenylprop-2-enoyl)sulfanyl]ethyl}amino)-3-oxopropyl]amino}-3-hydroxy-2,2-dimethyl-4-oxobutyl]"
     " dihydrogen diphosphate}"), "chebi:15518"),
    ("L-tyrosine", "NA", "NA", "NA", "NA"),
]
CHEM_PREFIX = ["methyl", "ethyl", "hydroxy", "amino", "dihydro", "acetyl", "phospho", "nitro", "chloro",
               "oxo", "carboxy", "deoxy", "dimethyl", "trihydroxy", "N-acetyl", "S-adenosyl", "",
               "", "", ""]
CHEM_CORE = ["butan", "propan", "benz", "pyrid", "indol", "glucos", "fructos", "ribos", "purin",
             "quinol", "phenyl", "cinnam", "coumar", "sinap", "ferul", "glutam", "aspart", "succin",
             "fumar", "malon", "citr", "lact", "pyruv", "acet", "sphingos", "cholest", "retino",
             "estr", "androst", "tryptam", "serot", "dopam", "histam", "spermid", "glycer", "inosit",
             "xanth", "flav", "catech", "querc", "kaempfer", "naringen", "resveratr", "curcum"]
CHEM_SUFFIX = ["oate", "ic acid", "ol", "one", "ine", "amide", "al", "oyl-CoA", "ide", "ate", "in",
               "ene", "yl phosphate", "-6-phosphate", "-1,6-bisphosphate"]

DISEASES = [
    # (word, mesh, name, doid)
    ("Cancer", "mesh:D009369", "cancer", "doid:162"),
    ("Tumor", "mesh:D009369", "cancer", "doid:162"),
    ("Breast cancer", "mesh:D001943", "breast cancer", "doid:1612"),
    ("Diabetes", "mesh:D003920", "diabetes mellitus", "doid:9351"),
    ("Alzheimer's disease", "mesh:D000544", "Alzheimer's disease", "doid:10652"),
    ("Parkinson's disease", "mesh:D010300", "Parkinson's disease", "doid:14330"),
    ("Inflammation", "mesh:D007249", "NA", "NA"),
    ("Obesity", "mesh:D009765", "obesity", "doid:9970"),
    ("Hypertension", "mesh:D006973", "hypertension", "doid:10763"),
    ("Asthma", "mesh:D001249", "asthma", "doid:2841"),
    ("Atherosclerosis", "mesh:D050197", "atherosclerosis", "doid:1936"),
    ("Fibrosis", "mesh:D005355", "NA", "NA"),
    ("Ataxia", "mesh:D001259", "NA", "NA"),
    ("Microangiopathy", "mesh:D057049", "NA", "NA"),
    ("Leukemia", "mesh:D007938", "leukemia", "doid:1240"),
    ("Melanoma", "mesh:D008545", "melanoma", "doid:1909"),
    ("Glioma", "mesh:D005910", "glioma", "doid:3070"),
    ("HCC", "mesh:D006528", "hepatocellular carcinoma", "doid:684"),
    ("Tuberculosis", "mesh:D014376", "tuberculosis", "doid:399"),
    ("Malaria", "mesh:D008288", "malaria", "doid:12365"),
    ("Influenza", "mesh:D007251", "influenza", "doid:8469"),
    ("COVID-19", "mesh:D000086382", "COVID-19", "doid:0080600"),
    ("Sepsis", "mesh:D018805", "sepsis", "doid:0040085"),
    ("Psoriasis", "mesh:D011565", "psoriasis", "doid:8893"),
    ("Rheumatoid arthritis", "mesh:D001172", "rheumatoid arthritis", "doid:7148"),
    ("Multiple sclerosis", "mesh:D009103", "multiple sclerosis", "doid:2377"),
    ("Epilepsy", "mesh:D004827", "epilepsy", "doid:1826"),
    ("Osteoporosis", "mesh:D010024", "osteoporosis", "doid:11476"),
    ("Heart failure", "mesh:D006333", "heart failure", "doid:6000"),
    ("Stroke", "mesh:D020521", "stroke", "doid:6713"),
    ("Cystic fibrosis", "mesh:D003550", "cystic fibrosis", "doid:1485"),
    ("Lipotoxicity", "NA", "NA", "NA"),
    ("LPS", "mesh:C000656484", "Van der Woude syndrome", "doid:0060239"),
]

CAPTION_WORDS = ["signaling", "pathway", "cells", "activation", "receptor", "kinase", "phosphorylation",
                 "expression", "protein", "complex", "binding", "membrane", "nucleus", "cytoplasm",
                 "transcription", "factor", "induces", "inhibits", "promotes", "regulates", "mediated",
                 "downstream", "upstream", "cascade", "ligand", "response", "stress", "apoptosis",
                 "proliferation", "differentiation", "inflammation", "metabolism", "synthesis",
                 "degradation", "ubiquitination", "autophagy", "mitochondria", "oxidative", "secretion",
                 "uptake", "transport", "channel", "calcium", "influx", "release", "model", "schematic",
                 "representation", "proposed", "mechanism", "interaction", "feedback", "loop", "regulation",
                 "target", "inhibitor", "agonist", "antagonist", "treatment", "mice", "tissue", "tumor",
                 "growth", "survival", "migration", "invasion", "signal", "transduction", "pathways",
                 "genes", "enzymes", "substrates", "products", "intermediates", "biosynthesis",
                 "catabolism", "flux", "neurons", "hepatocytes", "macrophages", "T-cell", "B-cell",
                 "epithelial", "endothelial", "fibroblasts", "infection", "virus", "bacterial", "host",
                 "immune", "innate", "adaptive", "cytokine", "production", "secretion", "leading",
                 "resulting", "increased", "decreased", "elevated", "reduced", "loss", "gain", "function",
                 "mutant", "wild-type", "knockout", "overexpression", "silencing", "arrows", "indicate",
                 "solid", "dashed", "lines", "direct", "indirect", "effects", "shown", "red", "blue",
                 "green", "boxes", "nuclear", "translocation", "dimerization", "recruitment", "assembly",
                 "scaffold", "adaptor", "domain", "residues", "tyrosine", "serine", "threonine", "lipid",
                 "glucose", "insulin", "resistance", "sensitivity", "homeostasis", "circadian", "rhythm",
                 "development", "embryonic", "stem", "progenitor", "niche", "plant", "root", "leaf",
                 "flowering", "hormone", "auxin", "ethylene", "jasmonate", "salicylic", "drought",
                 "salinity", "cold", "heat", "tolerance", "yield"]
CONNECTORS = ["and", "of", "the", "in", "to", "by", "via", "with", "which", "that", "is", "are", "through",
              "upon", "after", "from", "a", "for", "as", "its", "their", "this", "these", "both"]
TITLE_WORDS = CAPTION_WORDS
FIRST_NAMES = ["Marie", "Sabine", "Jeremy", "Xiaohua", "Caroline", "Jacob", "Barney", "Oliver", "Jose",
               "Masmudur", "Stephen", "Kevin", "Patrick", "Yao", "Wenyi", "Anthony", "Trevor", "Annette",
               "Merve", "Minxuan", "Zhihui", "Chuanke", "Siarhei", "Kewen", "Tingting", "Justin", "Manish",
               "Poornima", "Matthew", "Srijata", "Gideon", "Peng", "Ce", "Etsuko", "Li-Fen", "Ana",
               "Hiroshi", "Priya", "Lukas", "Fatima", "Mehmet", "Sofia", "Olumide", "Jia", "Rafael",
               "Ingrid", "Dmitri", "Aisha"]
MIDDLE = ["", "", "", "W. ", "S. ", "M ", "R. ", "T. ", "J ", "A. ", "D. ", "L "]
LAST_NAMES = ["Wooten", "Hanke", "Foster", "Shen", "Smith", "Graham", "Homann", "Vilar", "Rahman",
              "Bentley", "Fitzgerald", "Hu", "Dai", "Zhou", "Roberts", "Rajchgot", "Becker", "Zeden", "Xu",
              "Dong", "Chong", "Dabravolski", "Zhang", "Sun", "Critchlow", "Grover", "Sankar", "Gregory",
              "Sarkar", "Hospers", "Lee", "Shimobayashi", "Garcia", "Tanaka", "Kumar", "Müller", "Okafor",
              "Wang", "Li", "Chen", "Liu", "Yang", "Huang", "Zhao", "Wu", "Kim", "Park", "Nguyen", "Rossi",
              "Silva", "Novak", "van Laar"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Unicode tokens for captions/titles, weighted to reproduce the measured character counts.
UNICODE_TOKENS = {
    "κ": ["NF-κB", "IκB", "κB", "IKK-κ"],
    "β": ["TGF-β", "β-catenin", "IL-1β", "Aβ", "GSK-3β", "ERβ"],
    "α": ["TNF-α", "HIF-1α", "PKCα", "ERα", "IFN-α", "PGC-1α"],
    "–": ["{a}–{b}", "A–C", "TrkA–src", "D–F"],
    "’": ["cell’s", "Student’s", "Crohn’s", "Alzheimer’s", "3’"],
    "к": ["NF-кB"],
    "γ": ["IFN-γ", "PKCγ", "PPARγ"],
    "“": ["“inflammasome”", "“switch”", "“?”"],
    "‘": ["‘ON’", "‘OFF’"],
    "ɑ": ["TNF-ɑ", "HIF-1ɑ"],
    "½": ["t½"],
    "−": ["−10", "−/−"],
    "±": ["mean ± SD"],
}

JUNK_SUFFIX = [",", ")", "/", "-", "*", "...", "()", ":", "'"]
JUNK_PREFIX = ["-", "(", "*", "|", "I", ".", "p"]

# Journal families: how their figure files are named (real patterns, see the sample's figids).
# kind, weight inline, weight sidecar, first year
JOURNALS = [
    ("plos", 5, 8, 2003), ("frontiers", 0, 5, 2010), ("elsevier", 2, 5, 2000), ("springer", 2, 4, 2003),
    ("mdpi", 0, 4, 2010), ("oncotarget", 1, 1, 2010), ("mcb", 2, 0, 1995), ("biorxiv", 0, 2, 2019),
    ("hindawi", 1, 1, 2008), ("ajtr", 1, 0, 2009), ("bentham", 1, 1, 2005), ("portland", 1, 1, 2005),
    ("rsc", 0, 1, 2010), ("wiley", 2, 2, 2000),
]
PLOS = {"pone": ("PLoS One", "PLOS ONE"), "pbio": ("PLoS Biol", "PLOS Biology"),
        "pgen": ("PLoS Genet", "PLOS Genetics"), "ppat": ("PLoS Pathog", "PLOS Pathogens"),
        "pcbi": ("PLoS Comput Biol", "PLOS Computational Biology"), "pmed": ("PLoS Med", "PLOS Medicine"),
        "pntd": ("PLoS Negl Trop Dis", "PLOS Neglected Tropical Diseases")}
# The sample's PLOS records name one journal (NLM abbreviation) two ways, which graph v2 warns:
# publisher `Public Library of Science` up to PMC10957088, `PLOS` from PMC11482725 on; PLoS One
# is `PLOS ONE` in PMC11495567 and `PLOS One` in PMC12083809. ASSUMPTION: the switches at
# PMC11,000,000 and PMC12,000,000 (between those ids).
PLOS_PUBLISHER_FROM_PMC = 11_000_000
PLOS_ONE_TITLE_FROM_PMC = 12_000_000
FRONTIERS = {"fpls": ("Front Plant Sci", "Frontiers in Plant Science"),
             "fimmu": ("Front Immunol", "Frontiers in Immunology"),
             "fonc": ("Front Oncol", "Frontiers in Oncology"),
             "fcell": ("Front Cell Dev Biol", "Frontiers in Cell and Developmental Biology"),
             "fphar": ("Front Pharmacol", "Frontiers in Pharmacology"),
             "fnins": ("Front Neurosci", "Frontiers in Neuroscience"),
             "fmicb": ("Front Microbiol", "Frontiers in Microbiology")}
ELSEVIER = [("Acta Pharm Sin B", "Acta Pharmaceutica Sinica. B", "j.apsb"),
            ("J Orthop Translat", "Journal of Orthopaedic Translation", "j.jot"),
            ("Cell Rep", "Cell Reports", "j.celrep"), ("iScience", "iScience", "j.isci"),
            ("EBioMedicine", "EBioMedicine", "j.ebiom"), ("Redox Biol", "Redox Biology", "j.redox"),
            ("Mol Metab", "Molecular Metabolism", "j.molmet")]
SPRINGER = [("12885", "BMC Cancer", "BMC Cancer", "BioMed Central", "10.1186/s12885"),
            ("41598", "Sci Rep", "Scientific Reports", "Nature Publishing Group", "10.1038/s41598"),
            ("41419", "Cell Death Dis", "Cell Death & Disease", "Nature Publishing Group", "10.1038/s41419"),
            ("13046", "J Exp Clin Cancer Res", "Journal of Experimental & Clinical Cancer Research",
             "BioMed Central", "10.1186/s13046")]
MDPI = {"ijms": ("Int J Mol Sci", "International Journal of Molecular Sciences"),
        "cancers": ("Cancers (Basel)", "Cancers"), "cells": ("Cells", "Cells"),
        "nutrients": ("Nutrients", "Nutrients"), "plants": ("Plants (Basel)", "Plants")}
WILEY = [("JCMM", "J Cell Mol Med", "Journal of Cellular and Molecular Medicine", "jcmm"),
         ("CAS", "Cancer Sci", "Cancer Science", "cas"), ("FSB2", "FASEB J", "The FASEB Journal", "fsb2")]

# ASSUMPTION: PMC id ranges per publication year (roughly PMC's id growth; the sample's 35 ids
# agree with these ranges).
PMC_BY_YEAR = {
    1995: (50_000, 100_000), 1996: (60_000, 100_000), 1997: (70_000, 100_000), 1998: (80_000, 100_000),
    1999: (90_000, 100_000), 2000: (100_000, 110_000), 2001: (100_000, 130_000), 2002: (130_000, 170_000),
    2003: (170_000, 300_000), 2004: (300_000, 550_000), 2005: (550_000, 1_350_000),
    2006: (1_350_000, 1_800_000), 2007: (1_800_000, 2_300_000), 2008: (2_300_000, 2_600_000),
    2009: (2_600_000, 2_900_000), 2010: (2_900_000, 3_200_000), 2011: (3_200_000, 3_500_000),
    2012: (3_500_000, 3_900_000), 2013: (3_900_000, 4_300_000), 2014: (4_300_000, 4_700_000),
    2015: (4_700_000, 5_100_000), 2016: (5_100_000, 5_400_000), 2017: (5_400_000, 5_800_000),
    2018: (5_800_000, 6_350_000), 2019: (6_350_000, 6_950_000), 2020: (6_950_000, 7_800_000),
    2021: (7_800_000, 8_700_000), 2022: (8_700_000, 9_800_000), 2023: (9_800_000, 10_750_000),
    2024: (10_750_000, 11_700_000), 2025: (11_700_000, 12_300_000),
}


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------
def emp(rng: random.Random, values: list, jitter: float = 0.25, lo: int = 0) -> int:
    """An integer drawn from an empirical list with a ±jitter multiplicative wobble."""
    v = rng.choice(values)
    if jitter:
        v = v * rng.uniform(1 - jitter, 1 + jitter)
    return max(lo, round(v))


def chance(rng: random.Random, num: float, den: float) -> bool:
    return rng.random() * den < num


def crc(*parts: object) -> int:
    return zlib.crc32(":".join(map(str, parts)).encode())


def pick_range(rng: random.Random, ranges) -> int:
    total = sum(r[2] for r in ranges)
    x = rng.random() * total
    for lo, hi, w in ranges:
        if x < w:
            return rng.randrange(lo, hi)
        x -= w
    lo, hi, _ = ranges[-1]
    return rng.randrange(lo, hi)


class Zipf:
    """Draw indices 0..n-1 with weight 1/(i+offset)^s (cumulative weights + bisect)."""

    def __init__(self, n: int, s: float = 1.0, offset: float = 10.0) -> None:
        acc, cum = 0.0, []
        for i in range(n):
            acc += 1.0 / (i + offset) ** s
            cum.append(acc)
        self.cum, self.total, self.n = cum, acc, n

    def __call__(self, rng: random.Random) -> int:
        return min(bisect.bisect_left(self.cum, rng.random() * self.total), self.n - 1)


# --------------------------------------------------------------------------------------------
# Pools (genes, families, orthologs, chemicals): built once, independent of --seed
# --------------------------------------------------------------------------------------------
@dataclass
class Gene:
    symbol: str
    id: str
    alias: str
    prev: str
    family: int  # index into Pools.families, -1 if none


class Pools:
    def __init__(self) -> None:
        rng = random.Random(POOL_SEED)
        self.human: list[Gene] = []
        used_sym: set[str] = set()
        used_id: set[int] = set()
        real = [tuple(p.split(":")) for p in REAL_HUMAN.split()]
        # NCBI Gene ids are unique across organisms: no synthetic id may take a real one of any
        # organism, nor another organism's (one id, two genes: two descriptions of one node)
        used_id.update(int(p.rsplit(":", 1)[1]) for spec in REAL_OTHER.values() for p in spec.split())
        for sym, gid in real:
            self.human.append(Gene(sym, gid, "", "", -1))
            used_sym.add(sym)
            used_id.add(int(gid))
        by_sym = {g.symbol: i for i, g in enumerate(self.human)}
        self.families: list[tuple[str, list[int]]] = []
        for word, members in REAL_FAMILIES.items():
            idx = [by_sym[m] for m in members.split()]
            fam = len(self.families)
            self.families.append((word, idx))
            for i in idx:
                if self.human[i].family < 0:
                    self.human[i].family = fam
        # synthetic families up to HUMAN_POOL_SIZE genes
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        weighted = "BCDFGHKLMNPRSTVZAEIOU" * 2 + letters
        stems_used = {w.upper() for w in REAL_FAMILIES} | used_sym
        while len(self.human) < HUMAN_POOL_SIZE:
            r = rng.random()
            if r < 0.04:  # open reading frames, singletons
                sym = f"C{rng.randint(1, 22)}orf{rng.randint(1, 250)}"
                members = [sym]
                word = None
            elif r < 0.07:
                sym = f"LINC{rng.randint(0, 2800):05d}"
                members = [sym]
                word = None
            else:
                stem = "".join(rng.choice(weighted) for _ in range(rng.choice((3, 3, 4, 4, 4, 5))))
                if stem in stems_used:
                    continue
                stems_used.add(stem)
                size = 1 if rng.random() < 0.45 else min(40, int(rng.expovariate(1 / 5)) + 2)
                if size == 1:
                    members = [stem + (str(rng.randint(1, 9)) if rng.random() < 0.6 else "")]
                else:
                    sub = rng.random() < 0.2
                    members = [f"{stem}{k // 4 + 1}{'ABCD'[k % 4]}" if sub else f"{stem}{k + 1}"
                               for k in range(size)]
                word = stem if size > 1 else None
            idx = []
            for sym in members:
                if sym in used_sym or len(self.human) >= HUMAN_POOL_SIZE:
                    continue
                gid = pick_range(rng, ID_RANGES["Homo sapiens"])
                while gid in used_id:
                    gid = pick_range(rng, ID_RANGES["Homo sapiens"])
                used_sym.add(sym)
                used_id.add(gid)
                idx.append(len(self.human))
                self.human.append(Gene(sym, str(gid), "", "", -1))
            if word and len(idx) > 1:
                fam = len(self.families)
                self.families.append((word, idx))
                for i in idx:
                    self.human[i].family = fam
        # aliases and previous symbols (deterministic per gene)
        for g in self.human:
            h = crc("alias", g.symbol)
            kind = h % 5
            base = re.sub(r"[^A-Z]", "", g.symbol.upper())[:4] or "X"
            if kind == 0:
                g.alias = f"p{40 + h % 160}"
            elif kind == 1:
                g.alias = f"{base}{1 + (h >> 3) % 12}"
            elif kind == 2:
                g.alias = f"{letters[h % 26]}{letters[(h >> 5) % 26]}{letters[(h >> 10) % 26]}"
            elif kind == 3:
                g.alias = f"{base[:3]}-{letters[(h >> 7) % 26]}{(h >> 12) % 9 + 1}"
            else:
                g.alias = f"{letters[h % 26]}{letters[(h >> 4) % 26]}{base[:2]}{(h >> 9) % 20}"
            g.prev = f"{base[:3]}{letters[(h >> 14) % 26]}{(h >> 19) % 15 + 1}"
            if g.alias.upper() == g.symbol.upper():
                g.alias += "L"
            if g.prev.upper() == g.symbol.upper():
                g.prev += "P"
        self.zipf_human = Zipf(len(self.human), s=0.9, offset=20)
        self.multi_families = [i for i, (_, m) in enumerate(self.families) if len(m) >= 2]
        self.zipf_family = Zipf(len(self.multi_families), s=0.8, offset=5)
        # orthologs of the first 5000 human genes in vertebrates
        self.ortho: dict[str, dict[int, list[tuple[str, str]]]] = {}
        for org in sorted(ORTHOLOG_ORGANISMS):
            orng = random.Random(f"{POOL_SEED}:{org}")
            ids = used_id
            table: dict[int, list[tuple[str, str]]] = {}
            for i, g in enumerate(self.human[:5000]):
                if orng.random() < 0.15:
                    continue  # no ortholog
                s = g.symbol
                if org in ("Mus musculus", "Rattus norvegicus"):
                    syms = [s[0] + s[1:].lower()]
                elif org == "Danio rerio":
                    syms = [s.lower()] if orng.random() < 0.7 else [s.lower() + "a", s.lower() + "b"]
                else:
                    syms = [s.lower() + ".L", s.lower() + ".S"] if orng.random() < 0.6 else [s.lower() + ".L"]
                out = []
                for sym in syms:
                    gid = pick_range(orng, ID_RANGES[org])
                    while gid in ids:
                        gid = pick_range(orng, ID_RANGES[org])
                    ids.add(gid)
                    out.append((sym, str(gid)))
                table[i] = out
            self.ortho[org] = table
        # distant organisms: real pairs + synthetic genes in the organism's naming style
        self.other: dict[str, list[tuple[str, str]]] = {}
        for org, spec in REAL_OTHER.items():
            orng = random.Random(f"{POOL_SEED}:{org}")
            genes = [tuple(p.rsplit(":", 1)) for p in spec.split()]
            syms = {s for s, _ in genes}
            ids = used_id  # the real ids are in it already
            target = {"Drosophila melanogaster": 3000, "Caenorhabditis elegans": 1500,
                      "Arabidopsis thaliana": 1500}.get(org, 800)
            while len(genes) < target:
                sym = self._other_symbol(orng, org)
                if sym in syms:
                    continue
                gid = pick_range(orng, ID_RANGES[org])
                while gid in ids:
                    gid = pick_range(orng, ID_RANGES[org])
                syms.add(sym)
                ids.add(gid)
                genes.append((sym, str(gid)))
            self.other[org] = genes
        self.zipf_other = {org: Zipf(len(g), s=0.9, offset=5) for org, g in self.other.items()}
        self.used_ids = frozenset(used_id)  # every pool's ids (real and synthetic), for direct_id
        # chemicals: real rows first, then synthetic ones with the measured NA pattern
        crng = random.Random(f"{POOL_SEED}:chemicals")
        self.chemicals: list[tuple[str, str, str, str, str]] = list(CHEMICALS_REAL)
        seen = {c[0] for c in self.chemicals}
        while len(self.chemicals) < 3000:
            word = crng.choice(CHEM_PREFIX) + crng.choice(CHEM_CORE) + crng.choice(CHEM_SUFFIX)
            word = word.lstrip("-")
            if crng.random() < 0.3:
                word = word[0].upper() + word[1:]
            if word in seen:
                continue
            seen.add(word)
            mesh = f"mesh:{crng.choice('CCD')}{crng.randint(0, 99999 if crng.random() < 0.8 else 999999):06d}"
            chebi = f"chebi:{crng.randint(1000, 200000)}"
            name = word.lower() if crng.random() < 0.5 else \
                f"({crng.choice('2345')}{crng.choice('ESRZ')})-{crng.randint(2, 6)},{crng.randint(3, 8)}-" \
                f"di{crng.choice(CHEM_PREFIX[:8])}{word.lower()}"
            r = crng.random()
            # measured: mesh NA 58 %, match NA 36 %, name NA 45 %, chebi NA 36 %
            if r < 0.30:
                row = (word, mesh, "NA", "NA", "NA")
            elif r < 0.80:
                row = (word, "NA", word.lower(), name if crng.random() < 0.82 else "NA", chebi)
            elif r < 0.94:
                row = (word, mesh, word, name, chebi)
            else:
                row = (word, "NA", "NA", "NA", "NA")
            self.chemicals.append(row)
        self.zipf_chem = Zipf(len(self.chemicals), s=0.9, offset=40)
        self.mesh_chemicals = [i for i, c in enumerate(self.chemicals) if c[1] != "NA"]
        self.zipf_mesh_chem = Zipf(len(self.mesh_chemicals), s=0.9, offset=10)

    def direct_id(self, org: str, sym: str) -> str:
        """The id of a distant organism's gene named like the human match (not in its pool): from
        the symbol alone (any --jobs, any order), past every id the pools hold. Two such symbols
        can still share one in a small id range (E. coli's 4,800): rare, warned by kg build."""
        lo, hi, _ = ID_RANGES[org][0]
        gid = lo + crc(org, sym) % (hi - lo)
        while gid in self.used_ids:
            gid = lo + (gid - lo + 7919) % (hi - lo)
        return str(gid)

    @staticmethod
    def _other_symbol(rng: random.Random, org: str) -> str:
        low = "abcdefghijklmnopqrstuvwxyz"
        if org == "Drosophila melanogaster":
            r = rng.random()
            if r < 0.45:
                return f"CG{rng.randint(1000, 34999)}"
            if r < 0.75:
                w = "".join(rng.choice(low) for _ in range(rng.randint(2, 5)))
                return w[0].upper() + w[1:] if rng.random() < 0.5 else w
            return "".join(rng.choice(low) for _ in range(3)).capitalize() + str(rng.randint(1, 99))
        if org == "Caenorhabditis elegans":
            if rng.random() < 0.7:
                return "".join(rng.choice(low) for _ in range(3)) + f"-{rng.randint(1, 60)}"
            return f"{rng.choice('BCFKTWYZ')}{rng.randint(1, 99):04d}.{rng.randint(1, 12)}"
        if org == "Arabidopsis thaliana":
            if rng.random() < 0.6:
                return f"AT{rng.randint(1, 5)}G{rng.randint(1, 80000):05d}"
            return "".join(rng.choice(low.upper()) for _ in range(rng.randint(3, 4))) + str(rng.randint(1, 12))
        # bacteria
        return "".join(rng.choice(low) for _ in range(3)) + rng.choice(low.upper())


_POOLS: Pools | None = None


def pools() -> Pools:
    global _POOLS
    if _POOLS is None:
        _POOLS = Pools()
    return _POOLS


# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------
_UNI_CHARS = list(MEASURED["caption_nonascii_chars"])
_UNI_WEIGHTS = [MEASURED["caption_nonascii_chars"][c] for c in _UNI_CHARS]
_UNI_CHARS_X = [c for c in _UNI_CHARS if c != "”"]  # closing quotes come with the opening ones
_UNI_WEIGHTS_X = [MEASURED["caption_nonascii_chars"][c] for c in _UNI_CHARS_X]


def unicode_token(rng: random.Random) -> str:
    ch = rng.choices(_UNI_CHARS_X, _UNI_WEIGHTS_X)[0]
    tok = rng.choice(UNICODE_TOKENS[ch])
    if "{a}" in tok:
        a = rng.randint(1, 20)
        tok = tok.format(a=a, b=a + rng.randint(1, 30))
    return tok


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    out = rng.choices(CAPTION_WORDS, k=n)
    rnd = rng.random
    for i in range(n):
        r = rnd()
        if r < 0.24:
            out[i] = CONNECTORS[int(r * 100) % len(CONNECTORS)]
        elif r < 0.34 and words:
            out[i] = words[int(r * 1000) % len(words)]
        elif r < 0.36:
            out[i] = str(int(r * 100000) % 500 + 1)
    for _ in range(int(n * 0.06 + rnd())):  # a comma now and then
        i = rng.randrange(n)
        out[i] += ","
    if rnd() < 0.15:
        out.insert(0, f"({rng.choice('ABCDEFGH')})")
    text = " ".join(out).rstrip(",")
    return text[0].upper() + text[1:] + "."


def caption_text(rng: random.Random, words: list[str], figtitle: str) -> str:
    m = MEASURED
    if chance(rng, m["caption_just_figure"], m["figures"]):
        return "Figure"
    target = emp(rng, m["caption_len"], lo=20)
    parts = [figtitle + "."] if rng.random() < 0.5 else []
    length = sum(len(p) + 1 for p in parts)
    while length < target:
        s = sentence(rng, words, rng.randint(6, 26))
        parts.append(s)
        length += len(s) + 1
    if chance(rng, m["caption_nonascii_figures"], m["figures"]):
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4, 6))):
            i = rng.randrange(len(parts))
            toks = parts[i].split(" ")
            toks.insert(rng.randint(1, len(toks)), unicode_token(rng))
            parts[i] = " ".join(toks)
    if chance(rng, m["caption_colon_space"], m["figures"]):
        if rng.random() < 0.5:
            parts.append("Abbreviations: " + ", ".join(rng.sample(words or CAPTION_WORDS, min(3, len(words or CAPTION_WORDS)))) + ".")
        else:
            parts.insert(0, rng.choice(("Model:", "Note:", "Overview:")))
    if chance(rng, m["caption_empty_brackets"], m["figures"]):
        i = rng.randrange(len(parts))
        parts[i] = parts[i][:-1] + rng.choice((" ().", " [].", " [–].", " [,]."))
    if chance(rng, m["caption_url"], m["figures"]):
        parts.append(rng.choice(("Adapted from https://www.genome.jp/kegg/pathway.html.",
                                 "See http://www.wikipathways.org for details.")))
    if rng.random() < 0.03:
        parts.append("*P < 0.05, **P < 0.01.")
    return " ".join(parts)


def title_text(rng: random.Random, length: int, words: list[str]) -> str:
    toks: list[str] = []
    n = 0
    while n < length:
        r = rng.random()
        t = rng.choice(CONNECTORS) if r < 0.25 else (rng.choice(words) if r < 0.35 and words else rng.choice(TITLE_WORDS))
        toks.append(t)
        n += len(t) + 1
    if rng.random() < 0.05:
        toks.insert(rng.randrange(len(toks)), unicode_token(rng))
    text = " ".join(toks)
    return text[0].upper() + text[1:]


def author(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(MIDDLE)}{rng.choice(LAST_NAMES)}"


def uuid_like(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-de{rng.getrandbits(8):02x}-11ea-99da-0ac135e8bacf"


def ocr_word(rng: random.Random, base: str) -> str:
    """The word as OCR found it: mostly the token itself, sometimes cased or decorated."""
    m = MEASURED
    r = rng.random()
    w = base
    if r < 0.12:
        w = base.lower()
    elif r < 0.18:
        w = base[0] + base[1:].lower()
    if rng.random() < P_JUNK_WORD:
        k = rng.random()
        if k < 0.45:
            w = w + rng.choice(JUNK_SUFFIX)
        elif k < 0.7:
            w = f"{w}/{rng.choice(CAPTION_WORDS)[:rng.randint(2, 5)].upper()}" if rng.random() < 0.6 \
                else f"{rng.choice(CAPTION_WORDS)[:3].upper()}/{w}"
        elif k < 0.85:
            w = rng.choice(JUNK_PREFIX) + w
        elif k < 0.93:
            w = f"{w},{rng.randint(2, 4)}" if rng.random() < 0.5 else f"{w}&{rng.choice(CAPTION_WORDS)}"
        else:
            w = f"{w[:1]}:{w[1:]}" if len(w) > 1 else w + ":"
    if chance(rng, m["gene_words_nonascii"], m["gene_words_distinct"]):
        w = w + rng.choice(("α", "β", "γ", "„"))
    return w


# --------------------------------------------------------------------------------------------
# Papers and figures
# --------------------------------------------------------------------------------------------
@dataclass
class Paper:
    index: int
    pmc: int
    year: int
    fmt: str  # inline | sidecar
    nfigs: int


def plan(records: int, seed: int, sidecar_fraction: float) -> list[Paper]:
    rng = random.Random(f"pfocr-bench:{seed}:plan")
    values = [v for v, _ in FIGS_PER_PAPER]
    weights = [w for _, w in FIGS_PER_PAPER]
    papers: list[Paper] = []
    used: set[int] = set()
    total = 0
    while total < records:
        n = min(rng.choices(values, weights)[0], records - total)
        fmt = "sidecar" if rng.random() < sidecar_fraction else "inline"
        year = rng.choice(MEASURED[f"{fmt}_years"]) + rng.choice((-1, 0, 0, 0, 1))
        year = min(max(year, 1995 if fmt == "inline" else 2017), 2019 if fmt == "inline" else 2025)
        lo, hi = PMC_BY_YEAR[year]
        pmc = rng.randrange(lo, hi)
        while pmc in used:
            pmc = rng.randrange(lo, hi)
        used.add(pmc)
        papers.append(Paper(len(papers), pmc, year, fmt, n))
        total += n
    return papers


class PaperGen:
    """Paper-level metadata and the naming scheme of its figures."""

    def __init__(self, paper: Paper, rng: random.Random) -> None:
        self.p = paper
        self.rng = rng
        y = paper.year
        col = 1 if paper.fmt == "inline" else 2
        kinds = [(j[0], j[col]) for j in JOURNALS if j[col] and j[3] <= y and not (j[0] == "biorxiv" and y < 2019)]
        self.kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        self.month = rng.randint(1, 12)
        self.vol = max(1, y - rng.choice((1980, 1990, 2000, 2005, 2009)))
        self.issue = rng.randint(1, 12)
        self.art = rng.randint(1000, 1_300_000)
        self.page = rng.randint(1, 3000)
        self._setup()

    def _setup(self) -> None:
        rng, y, k = self.rng, self.p.year, self.kind
        art = self.art
        self.doi_ok = True
        if k == "plos":
            code = rng.choice(list(PLOS))
            self.code = code
            self.nlm, self.title = PLOS[code]
            self.publisher = "PLOS" if self.p.pmc >= PLOS_PUBLISHER_FROM_PMC else "Public Library of Science"
            if code == "pone" and self.p.pmc >= PLOS_ONE_TITLE_FROM_PMC:
                self.title = "PLOS One"
            if y < 2012:  # pbio.0030121 = volume 3, e121
                vol = max(1, y - 2002 if code == "pbio" else y - 2004)
                e = rng.randint(1, 450)
                self.artno = f"{vol:03d}{e:04d}"
                self.cite = f"{y} {MONTHS[self.month - 1]};{vol}({self.month}):e{e}."
            else:  # pone.0312563, pbio.3002543, pgen.1011679, pntd.0012345
                lead = {"pone": "0", "pntd": "0", "pbio": "3"}.get(code, "1")
                num = (y - 2012) * 25_000 + rng.randint(0, 24_999) if code == "pone" else rng.randint(1, 12_000)
                self.artno = f"{lead}{num:06d}"
                vol = y - (2005 if code == "pone" else 2003)
                self.cite = f"{y} {MONTHS[self.month - 1]};{vol}({self.month})." if y >= 2024 \
                    else f"{y};{vol}({self.month}):e{self.artno}."
            self.doi = f"10.1371/journal.{code}.{self.artno}"
        elif k == "frontiers":
            code = rng.choice(list(FRONTIERS))
            self.code = code
            self.vol = y - 2009
            self.nlm, self.title = FRONTIERS[code]
            self.publisher = "Frontiers Media S.A."
            self.artno = f"{rng.randint(1, 1_300_000):07d}" if y >= 2021 else f"{rng.randint(1, 1500):05d}"
            self.doi = f"10.3389/{code}.{y}.{self.artno}"
            self.cite = f"{y};{self.vol}:{int(self.artno)}."
        elif k == "elsevier":
            self.nlm, self.title, slug = rng.choice(ELSEVIER)
            self.publisher = "Elsevier"
            self.doi = f"10.1016/{slug}.{y}.{self.month:02d}.{rng.randint(1, 40):03d}"
            p1 = rng.randint(1, 3000)
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{p1}-{p1 + rng.randint(5, 25)}."
        elif k == "springer":
            jid, self.nlm, self.title, self.publisher, prefix = rng.choice(SPRINGER)
            self.jid = jid
            self.doi = f"{prefix}-0{y % 100:02d}-{art:05d}-{rng.randint(0, 9)}"
            self.cite = f"{y};{self.vol}:{rng.randint(1, 900)}."
        elif k == "mdpi":
            code = rng.choice(list(MDPI))
            self.code = code
            self.vol = y - (1999 if code == "ijms" else 2008)
            self.nlm, self.title = MDPI[code]
            self.publisher = "MDPI"
            self.artno = f"{rng.randint(1, 19999):05d}"
            self.doi = f"10.3390/{code}{self.vol}{self.artno}"
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{int(self.artno)}."
        elif k == "oncotarget":
            self.nlm = self.title = "Oncotarget"
            self.publisher = "Impact Journals LLC"
            self.vol = y - 2009
            self.artno = f"{rng.randint(1, 29999):05d}"
            self.doi = f"10.18632/oncotarget.{int(self.artno)}"
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{rng.randint(100, 99999)}."
        elif k == "mcb":
            self.nlm, self.title, self.publisher = "Mol Cell Biol", "Molecular and Cellular Biology", \
                "American Society for Microbiology"
            self.artno = f"{240 + (y - 2001) * 4 + rng.randint(0, 3)}{rng.randint(10000, 99999)}"
            self.doi = f"10.1128/MCB.{self.vol}.{self.issue}.{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}.{y}"
            p1 = rng.randint(1000, 9000)
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{p1}-{p1 + rng.randint(8, 15)}."
        elif k == "biorxiv":
            self.nlm = self.title = "bioRxiv"
            self.publisher = "Cold Spring Harbor Laboratory"
            d = rng.randint(1, 28)
            self.artno = f"{y}.{self.month:02d}.{d:02d}.{rng.randint(100000, 599999)}"
            self.doi = f"10.1101/{self.artno}"
            self.cite = f"{y} {MONTHS[self.month - 1]} {d}:{self.artno}."
        elif k == "hindawi":
            code, self.nlm, self.title = rng.choice((("JIR", "J Immunol Res", "Journal of Immunology Research"),
                                                     ("OMCL", "Oxid Med Cell Longev",
                                                      "Oxidative Medicine and Cellular Longevity"),
                                                     ("BMRI", "Biomed Res Int", "BioMed Research International")))
            self.code = code
            self.publisher = "Hindawi"
            self.artno = f"{rng.randint(1000000, 9999999)}"
            self.doi = f"10.1155/{y}/{self.artno}"
            self.cite = f"{y};{y}:{self.artno}."
        elif k == "ajtr":
            self.nlm, self.title, self.publisher = "Am J Transl Res", "American Journal of Translational Research", \
                "e-Century Publishing Corporation"
            self.vol = y - 2008
            self.artno = f"{rng.randint(1, 80):04d}"
            self.doi_ok = False
            self.cite = f"{y};{self.vol}({self.issue}):{self.page}-{self.page + 14}."
        elif k == "bentham":
            self.nlm, self.title, self.publisher = "Curr Neuropharmacol", "Current Neuropharmacology", \
                "Bentham Science Publishers"
            self.vol = y - 2002
            self.doi = f"10.2174/1570159X{rng.randint(10000000, 99999999)}"
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{self.page}-{self.page + 8}."
        elif k == "portland":
            self.nlm, self.title, self.publisher = "Biochem Soc Trans", "Biochemical Society Transactions", \
                "Portland Press Ltd."
            self.vol = y - 1972
            self.doi = f"10.1042/BST{y}{self.page:04d}"
            self.cite = f"{y} {MONTHS[self.month - 1]} {rng.randint(1, 28)};{self.vol}({self.issue}):" \
                        f"{self.page}-{self.page + 15}."
        elif k == "rsc":
            self.nlm, self.title, self.publisher = "Chem Sci", "Chemical Science", "Royal Society of Chemistry"
            self.artno = f"d{y % 10}sc{rng.randint(0, 9999):05d}{rng.choice('abcdefghjk')}"
            self.doi = f"10.1039/{self.artno}"
            self.cite = f"{y} {MONTHS[self.month - 1]} {rng.randint(1, 28)};{self.vol}({self.issue}):" \
                        f"{self.page}-{self.page + 8}."
        else:  # wiley
            code, self.nlm, self.title, slug = rng.choice(WILEY)
            self.code = code
            self.publisher = "John Wiley and Sons Inc."
            self.doi = f"10.1111/{slug}.{rng.randint(10000, 18999)}"
            self.cite = f"{y} {MONTHS[self.month - 1]};{self.vol}({self.issue}):{self.page}-{self.page + 12}."

    def figure_name(self, figtype: str, n: int, letter: str, schemes: int = 0) -> tuple[str, str, str]:
        """(file stem, figlink id, number) for the n-th figure of this type; a Supplemental figure's
        link counts on after the paper's `schemes` Schemes (PMC names both `sch<n>`)."""
        k = self.kind
        if figtype == "Graphical abstract":
            return ("ga1" if k == "elsevier" else f"{self._base()}-ga{n}"), "undfig1", f"GA{n}"
        if figtype == "Scheme":
            return ("sc" + str(n) if k == "elsevier" else f"{self._base()}-sch{n}"), f"sch{n}", f"S{n}"
        if figtype == "Supplemental figure":
            return ("fx" + str(n) if k == "elsevier" else f"{self._base()}-s{n}"), f"sch{schemes + n}", f"SF{n}"
        return self._stem("F", n, letter), self._link(n, letter), f"F{n}{letter}"

    def _base(self) -> str:
        """The article part of figure file names (for the rarer figure types)."""
        k, y = self.kind, self.p.year
        return {
            "plos": lambda: f"{self.code}.{self.artno}",
            "frontiers": lambda: f"{self.code}-{self.vol:02d}-{self.artno}",
            "springer": lambda: f"{self.jid}_{y}_{self.art:04d}",
            "mdpi": lambda: f"{self.code}-{self.vol:02d}-{self.artno}",
            "oncotarget": lambda: f"oncotarget-{self.vol:02d}-{self.artno}",
            "mcb": lambda: f"mb{self.artno}",
            "biorxiv": lambda: f"nihpp-{self.artno}v{1 + self.art % 3}",
            "hindawi": lambda: f"{self.code}{y}-{self.artno}",
            "ajtr": lambda: f"ajtr{self.vol:04d}{self.artno}",
            "bentham": lambda: f"CN-{self.vol}-{self.page}",
            "portland": lambda: f"BST-{self.vol}-{self.page}",
            "rsc": lambda: self.artno,
        }.get(k, lambda: f"{self.code}-{self.vol}-{self.page}")()

    def _stem(self, _t: str, n: int, letter: str) -> str:
        k, y = self.kind, self.p.year
        if k == "plos":
            return f"{self.code}.{self.artno}.g{n:03d}"
        if k == "frontiers":
            return f"{self.code}-{self.vol:02d}-{self.artno}-g{n:03d}" if len(self.artno) == 7 \
                else f"{self.code}-{self.vol:02d}-{self.artno}-g{n:04d}"
        if k == "elsevier":
            return f"gr{n}"
        if k == "springer":
            return f"{self.jid}_{y}_{self.art:04d}_Fig{n}_HTML"
        if k == "mdpi":
            return f"{self.code}-{self.vol:02d}-{self.artno}-g{n:03d}"
        if k == "oncotarget":
            return f"oncotarget-{self.vol:02d}-{self.artno}-g{n:03d}"
        if k == "mcb":
            return f"mb{self.artno}{n:03d}"
        if k == "biorxiv":
            return f"nihpp-{self.artno}v{1 + self.art % 3}-f{n:04d}"
        if k == "hindawi":
            return f"{self.code}{y}-{self.artno}.{n:03d}"
        if k == "ajtr":
            return f"ajtr{self.vol:04d}{self.artno}-f{n}"
        if k == "bentham":
            return f"CN-{self.vol}-{self.page}_F{n}{letter}"
        if k == "portland":
            return f"BST-{self.vol}-{self.page}-g{n:04d}"
        if k == "rsc":
            return f"{self.artno}-f{n}"
        return f"{self.code}-{self.vol}-{self.page}-g{n:03d}"

    def _link(self, n: int, letter: str) -> str:
        k = self.kind
        if k == "plos" and self.p.year < 2010:
            return f"{self.code}-{self.artno}-g{n:03d}"
        if k == "elsevier":
            return f"fig{n}"
        if k == "springer":
            return f"Fig{n}"
        if k == "mdpi":
            return f"{self.code}-{self.vol:02d}-{self.artno}-f{n}"
        if k in ("hindawi", "ajtr"):
            return f"fig{n}" if k == "hindawi" else f"fig{n:02d}"
        if k == "frontiers":
            return f"F{n}" if self.rng.random() < 0.5 else f"f{n}"
        return f"F{n}{letter}"

    def reftext(self) -> str:
        who = author(self.rng)
        if self.rng.random() > 1 / 35:  # one single-author reftext in the sample
            who += ", et al."
        else:
            who += "."
        return f"{who} {self.nlm}. {self.cite}"


# --------------------------------------------------------------------------------------------
# Genes
# --------------------------------------------------------------------------------------------
def pick_family(rng: random.Random, P: Pools, n: int) -> tuple[str, list[int]]:
    """A family with at least n members (falls back to the largest drawn), truncated to n."""
    best = None
    for _ in range(6):
        word, members = P.families[P.multi_families[P.zipf_family(rng)]]
        if len(members) >= n:
            return word, members[:n]
        if best is None or len(members) > len(best[1]):
            best = (word, members)
    assert best is not None
    return best[0], best[1][:n]


def inline_genes(rng: random.Random, P: Pools) -> tuple[list[dict], list[str]]:
    """`genes:` entries of an inline record and the figure's gene tokens (for the caption)."""
    m = MEASURED
    nwords = emp(rng, m["inline_gene_words"], lo=1)
    srcs = list(m["inline_word_sources"])
    sw = [m["inline_word_sources"][s] for s in srcs]
    entries: list[dict] = []
    words: list[str] = []
    for _ in range(nwords):
        src = rng.choices(srcs, sw)[0]
        n = emp(rng, m["inline_entries_per_word"][src], jitter=0.25 if src == "bioentities_symbol" else 0, lo=1)
        if src == "bioentities_symbol":
            fam, members = pick_family(rng, P, n)
            word = ocr_word(rng, fam)
            symbol = fam.upper() if rng.random() < 0.5 else fam
            for i in members:
                g = P.human[i]
                entries.append({"word": word, "symbol": symbol, "source": src,
                                "hgnc_symbol": g.symbol, "entrez": g.id})
        else:
            g = P.human[P.zipf_human(rng)]
            token = g.symbol if src == "hgnc_symbol" else (g.alias if src == "hgnc_alias_symbol" else g.prev)
            word = ocr_word(rng, token)
            entries.append({"word": word, "symbol": token, "source": src, "hgnc_symbol": g.symbol, "entrez": g.id})
            for _ in range(n - 1):  # an ambiguous word mapped to another gene too
                g2 = P.human[P.zipf_human(rng)]
                entries.append({"word": word, "symbol": token, "source": src,
                                "hgnc_symbol": g2.symbol, "entrez": g2.id})
        words.append(fam if src == "bioentities_symbol" else token)  # captions name the clean token
    rng.shuffle(entries)
    return entries, words


def _org_symbol_from_match(org: str, match: str) -> str:
    if org == "Drosophila melanogaster":
        return match.lower() if len(match) <= 4 else match[0] + match[1:].lower()
    if org == "Caenorhabditis elegans":
        return match.lower()
    if org == "Arabidopsis thaliana":
        return match
    return match[:3].lower() + match[3:]  # bacteria: murA


def sidecar_genes(rng: random.Random, P: Pools, organisms: list[str]) -> tuple[list[list[str]], list[str]]:
    """Rows of a genes TSV (without header) for the given organisms, and the figure's words."""
    m = MEASURED
    nwords = emp(rng, m["sidecar_gene_words"], lo=1)
    hs = m["sidecar_rows_per_word"]["human"]
    hsrc = list(hs)
    hw = [len(hs[s]) for s in hsrc]
    os_ = m["sidecar_rows_per_word"]["other"]
    # figure words: (word, match, human source, human genes)
    fw: list[tuple[str, str, str, list[int]]] = []
    tokens: list[tuple[str, str]] = []
    for i in range(nwords):
        src = rng.choices(hsrc, hw)[0]
        if i == nwords - 1 and not any(t[1] == "ncbigene_symbol" for t in tokens):
            src = "ncbigene_symbol"  # sample: every human block has direct matches (count_direct > 0)
        n = emp(rng, hs[src], jitter=0.25 if src == "famplex_relations" else 0, lo=1)
        if src == "famplex_relations":
            fam, members = pick_family(rng, P, n)
            token, genes = fam, members
        else:
            gi = P.zipf_human(rng)
            g = P.human[gi]
            token = g.symbol if src == "ncbigene_symbol" else g.alias
            genes = [gi] + [P.zipf_human(rng) for _ in range(n - 1)]
        word = ocr_word(rng, token)
        tokens.append((token, src))
        match = re.sub(r"[^A-Z0-9.\-]", "", token.upper()) or token.upper()
        fw.append((word, match, src, genes))
    rows: list[list[str]] = []
    for org in organisms:
        taxon, group = ORGANISMS[org][0], ORGANISMS[org][1]
        block: list[tuple[str, str, str, str, str]] = []  # word, match, symbol, id, source
        for word, match, src, genes in fw:
            if org == "Homo sapiens":
                for gi in dict.fromkeys(genes):
                    g = P.human[gi]
                    block.append((word, match, g.symbol, g.id, src))
            elif org in ORTHOLOG_ORGANISMS:
                if rng.random() < 0.45:
                    continue
                table = P.ortho[org]
                hit = [o for gi in genes[:6] for o in table.get(gi, ())]
                for sym, gid in dict.fromkeys(hit):
                    block.append((word, match, sym, gid, "ncbigene_symbol" if sym.upper() == match else "ncbigene_synonym"))
            else:
                if rng.random() < 0.5:
                    continue
                src_o = rng.choices(list(os_), [len(v) for v in os_.values()])[0]
                n = emp(rng, os_[src_o], jitter=0, lo=1)
                if src_o == "ncbigene_symbol":
                    sym = _org_symbol_from_match(org, match)
                    block.append((word, match, sym, P.direct_id(org, sym), src_o))
                else:
                    pool = P.other[org]
                    for k in dict.fromkeys(P.zipf_other[org](rng) for _ in range(n)):
                        block.append((word, match, pool[k][0], pool[k][1], src_o))
        if not block:
            continue
        direct = len({b[1] for b in block if b[4] == "ncbigene_symbol"})
        syn = len({b[1] for b in block if b[4] != "ncbigene_symbol"})
        if org == "Homo sapiens" and syn:
            syn += rng.randint(0, 3)
        total = len({b[1] for b in block})
        cd, cs, cm = str(direct) if direct else "NA", str(syn) if syn else "NA", str(total)
        for word, match, sym, gid, src in block:
            rows.append([taxon, org, group, word, match, sym, gid, src, cd, cs, cm])
    return rows, list(dict.fromkeys(tok for tok, _ in tokens))


# --------------------------------------------------------------------------------------------
# Chemicals and diseases
# --------------------------------------------------------------------------------------------
def chem_rows(rng: random.Random, P: Pools) -> list[list[str]]:
    m = MEASURED
    n = emp(rng, m["sidecar_chem_rows"], lo=1)
    rows: list[list[str]] = []
    for _ in range(n):
        if rows and chance(rng, m["sidecar_chem_dup_rows"], m["sidecar_chem_na"]["rows"]):
            prev = list(rng.choice(rows))
            if rng.random() < 0.3:  # a case variant instead of an exact duplicate
                prev[0] = prev[0].lower() if prev[0][:1].isupper() else prev[0][:1].upper() + prev[0][1:]
            rows.append(prev)
            continue
        rows.append(list(P.chemicals[P.zipf_chem(rng)]))
    if rng.random() < 0.02:  # OCR junk chemical with trailing spaces (sample: 'Me  Me  Me ')
        rows.append(["Me  Me  Me ", "mesh:C526611", "NA", "NA", "NA"])
    return rows


def disease_rows(rng: random.Random) -> list[list[str]]:
    n = emp(rng, MEASURED["sidecar_disease_rows"], jitter=0, lo=1)
    rows = []
    for _ in range(n):
        word, mesh, name, doid = rng.choice(DISEASES)
        if rng.random() < 0.8:  # measured: match/name/doid NA in all 3 rows
            rows.append([word, mesh, "NA", "NA", "NA"])
        else:
            rows.append([word, mesh, name, name, doid])
    return rows


def tsv(header: tuple[str, ...], rows: list[list[str]]) -> str:
    return "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


GENES_HEADER = ("organism_id", "organism_name", "organism_group", "word", "match", "ncbigene_symbol",
                "ncbigene_id", "source", "count_direct", "count_synonym", "count_match")
CHEM_HEADER = ("word", "mesh", "match", "name", "chebi")
DIS_HEADER = ("word", "mesh", "match", "name", "doid")


def _ydump(d: object) -> str:
    return yaml.dump(d, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=80)


def dump(d: dict) -> str:
    """The front matter exactly as `yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=80)`."""
    return "---\n" + _ydump(d) + "---\n"


_ITEM_CACHE: dict[tuple, str] = {}
# A string PyYAML writes as a bare plain scalar: starts with a letter, no spaces or indicators,
# and does not resolve to a bool/null (YAML 1.1 words). Anything else goes through PyYAML.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,60}")
_NOT_PLAIN = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}


def _plain(s: object) -> bool:
    return type(s) is str and _PLAIN.fullmatch(s) is not None and s.lower() not in _NOT_PLAIN


_PLAIN_LINE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*(?: [A-Za-z0-9_.\-]+)*")


def _scalar_line(k: str, v: object) -> str | None:
    """`k: v` for the simple cases whose PyYAML output is certain, else None."""
    t = type(v)
    if t is str:
        if v == "":
            return f"{k}: ''\n"
        if v.isdigit() and v.isascii():  # type: ignore[union-attr]
            return f"{k}: '{v}'\n"
        if (len(k) + len(v) < 76 and _PLAIN_LINE.fullmatch(v)  # type: ignore[arg-type]
                and v.lower() not in _NOT_PLAIN) or v == ".na.character":  # type: ignore[union-attr]
            return f"{k}: {v}\n"
    elif t is float:
        r = repr(v)
        if "." in r and "e" not in r and "n" not in r:
            return f"{k}: {r}\n"
    elif t is list:
        if not v:
            return f"{k}: []\n"
        if all(type(x) is str and len(x) < 70 and _PLAIN_LINE.fullmatch(x) and x.lower() not in _NOT_PLAIN
               for x in v):  # type: ignore[union-attr]
            return f"{k}:\n" + "".join(f"- {x}\n" for x in v)  # type: ignore[union-attr]
    return None


def _gene_fast(e: dict) -> str | None:
    w, sy, h, ez = e["word"], e["symbol"], e["hgnc_symbol"], e["entrez"]
    if _plain(w) and _plain(sy) and _plain(h) and ez.isdigit() and ez.isascii():
        return f"- word: {w}\n  symbol: {sy}\n  source: {e['source']}\n  hgnc_symbol: {h}\n  entrez: '{ez}'\n"
    return _ITEM_CACHE.get(("g", w, sy, e["source"], h, ez))


def _keyword_fast(w: object) -> str | None:
    if _plain(w):
        return f"  - {w}\n"
    return _ITEM_CACHE.get(("k", w))


def _split_items(text: str, prefix: str) -> list[str]:
    """Block sequence text → one string per item (items start with `prefix` at their indent)."""
    items: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith(prefix):
            items.append(line)
        else:
            items[-1] += line
    return items


def dump_fast(d: dict) -> str:
    """Same bytes as `dump(d)`, several times faster.

    Block-style YAML is compositional: top-level keys can be dumped separately and concatenated,
    and so can the items of a block sequence (PyYAML writes sequences inside a mapping without
    extra indentation). Keys whose value is a bare word, a digit string, a plain float or a list
    of bare words are written directly, and so are the items of the long lists (genes, keywords)
    made of bare words; everything else (captions, titles with punctuation, odd OCR words) goes
    through one PyYAML call per record and is cut back into pieces (odd list items are memoised).
    `python bench/generate.py --selfcheck N` checks the result against `dump` on N records.
    """
    pieces: list[object] = []        # str, or a key whose text comes from the PyYAML call
    slow: dict = {}
    gene_miss: list[dict] = []
    kw_miss: list[object] = []
    for k, v in d.items():
        if k == "genes" and isinstance(v, list) and v:
            pieces.append("genes:\n")
            for e in v:
                t = _gene_fast(e)
                if t is None:
                    gene_miss.append(e)
                    pieces.append(("g", e["word"], e["symbol"], e["source"], e["hgnc_symbol"], e["entrez"]))
                else:
                    pieces.append(t)
            continue
        if k == "schema-jsonld" and isinstance(v.get("keywords"), list) and v["keywords"] \
                and list(v)[-1] == "keywords":
            slow[k] = {kk: vv for kk, vv in v.items() if kk != "keywords"}
            pieces.append(("key", k))
            pieces.append("  keywords:\n")
            for w in v["keywords"]:
                t = _keyword_fast(w)
                if t is None:
                    kw_miss.append(w)
                    pieces.append(("k", w))
                else:
                    pieces.append(t)
            continue
        line = _scalar_line(k, v)
        if line is None:
            slow[k] = v
            pieces.append(("key", k))
        else:
            pieces.append(line)
    texts: dict[object, str] = {}
    if slow:
        keys = list(slow)
        cur = None
        for line in _ydump(slow).splitlines(keepends=True):
            if keys and line.startswith(keys[0] + ":"):
                cur = ("key", keys.pop(0))
                texts[cur] = line
            else:
                texts[cur] += line
    if gene_miss or kw_miss:
        if len(_ITEM_CACHE) > 200_000:
            _ITEM_CACHE.clear()
        if gene_miss:
            items = _split_items(_ydump({"genes": gene_miss}).split("\n", 1)[1], "- ")
            for e, t in zip(gene_miss, items):
                _ITEM_CACHE[("g", e["word"], e["symbol"], e["source"], e["hgnc_symbol"], e["entrez"])] = t
        if kw_miss:
            items = _split_items(_ydump({"schema-jsonld": {"keywords": kw_miss}}).split("\n", 2)[2], "  - ")
            for w, t in zip(kw_miss, items):
                _ITEM_CACHE[("k", w)] = t
    out = ["---\n"]
    for p in pieces:
        if type(p) is str:
            out.append(p)
        elif p[0] == "key":  # type: ignore[index]
            out.append(texts[p])
        else:
            out.append(_ITEM_CACHE[p])  # type: ignore[index]
    out.append("---\n")
    return "".join(out)


def selfcheck(records: int, seed: int = 42) -> int:
    """Generate `records` records in memory; every front matter must equal PyYAML's own dump
    and parse back with yaml.safe_load. Returns the number of mismatches."""
    bad = 0
    for paper in plan(records, seed, 0.5):
        for rel, text in paper_files(paper, seed)[0]:
            if rel.endswith(".md"):
                d = yaml.load(text.split("---\n", 2)[1], Loader=_Loader)
                if dump(d) != text:
                    bad += 1
                    if bad <= 3:
                        import difflib
                        print(f"mismatch {rel}:", *difflib.unified_diff(dump(d).splitlines(), text.splitlines(),
                                                                      "pyyaml", "fast", lineterm="", n=0),
                              sep="\n  ", file=sys.stderr)
    return bad


def jsonld(figid: str, caption: str, keywords) -> dict:
    return {
        "@context": "https://schema.org/",
        "@id": f"https://pfocr.wikipathways.org/figures/{figid}.html",
        "@type": "Dataset",
        "description": caption,
        "license": "CC0",
        "name": "CreativeWork",
        "creator": {"@type": "Organization", "name": WIKIPATHWAYS},
        "keywords": keywords,
    }


WIKIPATHWAYS = "WikiPathways"


# --------------------------------------------------------------------------------------------
# One paper → files
# --------------------------------------------------------------------------------------------
@dataclass
class Stats:
    inline: int = 0
    sidecar: int = 0
    gene_mentions: int = 0
    chemical_mentions: int = 0
    disease_mentions: int = 0
    tsv_genes: int = 0
    tsv_chemicals: int = 0
    tsv_diseases: int = 0
    bytes: int = 0

    def add(self, o: Stats) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(o, k))


def paper_files(paper: Paper, seed: int) -> tuple[list[tuple[str, str]], Stats, set[str]]:
    P = pools()
    m = MEASURED
    rng = random.Random(f"pfocr-bench:{seed}:paper:{paper.index}")
    pg = PaperGen(paper, rng)
    y = paper.year
    inline = paper.fmt == "inline"
    files: list[tuple[str, str]] = []
    st = Stats()
    orgs_used: set[str] = set()
    ptitle = title_text(rng, emp(rng, m["papertitle_len"], lo=20), [])
    if rng.random() < 0.04:
        ptitle = ptitle.replace(" ", ": ", 1)
    if not (paper.fmt == "sidecar" and y >= 2024):
        ptitle += "."
    reftext = pg.reftext()
    # paper-level sidecar metadata
    na_meta = chance(rng, m["sidecar_na_character_metadata"], m["sidecar"])
    # author keywords: a list or ''; the sample's one `.na.character` comes with the .na.character
    # metadata (na_meta) below
    akw = m["sidecar_author_keywords"]
    if chance(rng, akw["list"], akw["list"] + akw["empty"]):
        author_kw = " | ".join(rng.sample(CAPTION_WORDS, emp(rng, m["sidecar_author_keyword_count"], lo=1)))
    else:
        author_kw = ""
    if chance(rng, m["sidecar_organisms_na"], m["sidecar"]):
        meta_orgs = ["NA"]
    else:
        k = emp(rng, m["sidecar_organisms_len"], lo=1)
        names = list(ORGANISMS) + UNPAGED_ORGANISMS
        meta_orgs = []
        if chance(rng, m["sidecar_organisms_with_human"], len(m["sidecar_organisms_len"])):
            meta_orgs.append("Homo sapiens")
        # model organisms first in the weights
        weights = [8 if n in TSV_ORGANISMS else 2 for n in names]
        for _ in range(k * 3):
            if len(meta_orgs) >= k:
                break
            n = rng.choices(names, weights)[0]
            if n not in meta_orgs:
                meta_orgs.append(n)
        if chance(rng, m["sidecar_organisms_mixed_na"], len(m["sidecar_organisms_len"])):
            meta_orgs.append("NA")
    # inline `organisms`: the paper's (graph v2 puts them on the paper node), one value for its figures
    inline_organisms: object = "Homo sapiens"
    if inline and y >= 2017:
        inline_organisms = ["Homo sapiens"]
    elif inline and chance(rng, m["inline_organisms"]["comma_string"],
                           m["inline_organisms"]["string"] + m["inline_organisms"]["comma_string"]):
        inline_organisms = "Homo sapiens, " + rng.choice(("Caenorhabditis elegans", "Mus musculus",
                                                          "Saccharomyces cerevisiae"))
    # figure types for this paper (sidecar only: inline ones are all `Figure`)
    counters: dict[str, int] = {}
    types = list(m["sidecar_figtype"])
    tw = list(m["sidecar_figtype"].values())
    figtypes: list[str] = []
    for _ in range(paper.nfigs):
        figtype = "Figure" if inline else rng.choices(types, tw)[0]
        if figtype == "Graphical abstract" and "Graphical abstract" in figtypes:
            figtype = "Figure"
        figtypes.append(figtype)
    for figtype in figtypes:
        counters[figtype] = counters.get(figtype, 0) + 1
        n = counters[figtype]
        letter = ""
        if figtype == "Figure" and not inline and chance(rng, m["sidecar_number_with_letter"], m["sidecar"]):
            letter = rng.choice("ABC")
        stem, link, number = pg.figure_name(figtype, n, letter, figtypes.count("Scheme"))
        figid = f"PMC{paper.pmc}__{stem}"
        figlink = f"/pmc/articles/PMC{paper.pmc}/figure/{link}/"
        if not inline and y >= 2024 and rng.random() < 0.3:
            figlink = figlink[:-1]
        if inline:
            genes, words = inline_genes(rng, P)
        else:
            genes, words = [], []
        figtitle = title_text(rng, emp(rng, m["figtitle_len"], lo=8), words)
        if rng.random() < 0.02:
            figtitle += " "
        # --- sidecar tables (decided before the caption: the caption mentions the words)
        gene_rows: list[list[str]] = []
        chem: list[list[str]] = []
        dis: list[list[str]] = []
        tsv_orgs: list[str] = []
        if not inline:
            has_genes = chance(rng, m["sidecar_tsv_present"]["genes"], m["sidecar"])
            if chance(rng, P_SIDECAR_NO_TSV, 1):
                has_genes, has_chem, has_dis = False, False, False
            else:
                has_chem = (not has_genes) or chance(
                    rng, m["sidecar_tsv_present"]["chemicals"] - m["sidecar_no_genes_with_chemicals"],
                    m["sidecar_tsv_present"]["genes"])
                has_dis = chance(rng, m["sidecar_tsv_present"]["diseases"], m["sidecar"])
            if has_genes:
                k = emp(rng, m["sidecar_gene_organisms"], jitter=0, lo=1)
                inc = m["sidecar_organism_files"]
                others = [o for o in TSV_ORGANISMS if o != "Homo sapiens"]
                if chance(rng, inc["Homo sapiens"], m["sidecar_tsv_present"]["genes"]):
                    tsv_orgs.append("Homo sapiens")
                while len(tsv_orgs) < k:
                    o = rng.choices(others, [inc[x] for x in others])[0]
                    if o not in tsv_orgs:
                        tsv_orgs.append(o)
                if len(tsv_orgs) > 1 and rng.random() < 0.3:
                    rng.shuffle(tsv_orgs)
                gene_rows, words = sidecar_genes(rng, P, tsv_orgs)
                if "Drosophila melanogaster" in tsv_orgs and rng.random() < 0.1:
                    # the fly gene literally named NA (sample: PMC10036381)
                    i = next((j for j, r in enumerate(gene_rows) if r[1] == "Drosophila melanogaster"), None)
                    if i is not None:
                        r = gene_rows[i]
                        gene_rows.insert(i, r[:5] + ["NA", "32640", "ncbigene_symbol"] + r[8:])
                tsv_orgs = list(dict.fromkeys(r[1] for r in gene_rows))
            if has_chem:
                chem = chem_rows(rng, P)
            if has_dis:
                dis = disease_rows(rng)
        if not inline:
            words = words + [c[0] for c in chem[:3]]
        caption = caption_text(rng, words, figtitle)
        score = round(min(0.9999999, emp_float(rng, m["pathway_score" if inline else "automl_pathway"])), 7)
        ndex = uuid_like(rng) if chance(rng, m[f"{paper.fmt}_ndex_uuid"], m[paper.fmt]) else ""
        # inline: every list-variant (2017+) record of the sample has a wpid (3 of 3); sidecar 1 of 18
        wpid_odds = (m["inline_wpid"], m["inline_organisms"]["list"]) if inline else (m["sidecar_wpid"], m["sidecar"])
        wpid = f"WP{rng.randint(3900, 5500)}" if chance(rng, *wpid_odds) else None
        alias = f"PMC{paper.pmc}__{number}"
        if inline:
            st.inline += 1
            nchem = emp(rng, m["inline_chemicals"], lo=0)
            chemicals = []
            for _ in range(nchem):
                c = P.chemicals[P.mesh_chemicals[P.zipf_mesh_chem(rng)]]
                if chance(rng, *m["inline_chemical_empty_source"]):
                    chemicals.append({"word": c[0], "source": "", "identifier": ""})
                else:
                    chemicals.append({"word": c[0], "source": "MESH", "identifier": c[1][5:]})
            diseases = []
            for _ in range(emp(rng, m["inline_diseases"], jitter=0, lo=0)):
                word, mesh, _, _ = rng.choice(DISEASES)
                if chance(rng, *m["inline_disease_empty_source"]) or mesh == "NA":
                    diseases.append({"word": word, "source": "", "identifier": ""})
                else:
                    diseases.append({"word": word, "source": "MESH", "identifier": mesh[5:]})
            keywords = list(dict.fromkeys(g["hgnc_symbol"] for g in genes)) + \
                [c["word"] for c in chemicals] + [d["word"] for d in diseases]
            organisms: object = inline_organisms
            for o in ([organisms] if isinstance(organisms, str) else organisms):
                orgs_used.update(x.strip() for x in o.split(","))
            d: dict = {
                "figid": figid, "figlink": figlink, "number": number, "caption": caption,
                "pmcid": f"PMC{paper.pmc}", "papertitle": ptitle, "reftext": reftext,
                "pmc_ranked_result_index": str(emp(rng, m["pmc_ranked_result_index"], lo=1)),
                "pathway_score": score, "filename": f"{stem}.jpg", "figtitle": figtitle,
                "year": str(y), "organisms": organisms, "ndex": ndex,
            }
            wpid_after_ndex = wpid is not None and isinstance(organisms, list) and rng.random() < 1 / 3
            if wpid_after_ndex:
                d["wpid"] = wpid
            d["annotations"] = []
            d["seo"] = "CreativeWork"
            d["schema-jsonld"] = jsonld(figid, caption, keywords)
            d["genes"] = genes
            d["chemicals"] = chemicals
            d["diseases"] = diseases
            if wpid is not None and not wpid_after_ndex and isinstance(organisms, list):
                d["wpid"] = wpid
            d["figid_alias"] = alias
            d["redirect_from"] = f"/figures/{alias}"
            d["figtype"] = "Figure"
            st.gene_mentions += len(genes)
            st.chemical_mentions += len(chemicals)
            st.disease_mentions += len(diseases)
        else:
            st.sidecar += 1
            kw: list[str] = [".na.character" if r[5] == "NA" else r[5] for r in gene_rows]
            if not (gene_rows or chem or dis):
                # source README: a record whose keywords list genes although no TSV is stored
                kw = [P.human[P.zipf_human(rng)].symbol for _ in range(rng.randint(2, 12))]
            chem_words = [c[0] for c in chem]
            if chem and gene_rows and rng.random() < 2 / 5:
                chem_words = []  # sample: 2 of the 5 records with genes and chemicals omit the chemicals
            if not chem and rng.random() < 2 / 9:
                chem_words.append("Nucleus")  # sample: 2 of 9 records without chemicals TSV list it
            dis_words = [x[0] for x in dis] if rng.random() < 0.5 else []
            keywords_l = list(dict.fromkeys(kw + chem_words + dis_words))
            if keywords_l and rng.random() < P_KEYWORD_TWICE:
                keywords_l.append(keywords_l[0])
            keywords: object = keywords_l
            if rng.random() < P_JSONLD_KEYWORDS_SCALAR:
                keywords = "Protein"
            ner = tsv_orgs[:] if tsv_orgs else ["NA"]
            orgs_used.update(o for o in meta_orgs + ner if o != "NA")
            d = {"figid": figid, "figtitle": figtitle, "organisms": meta_orgs}
            ner_late = rng.random() < P_SIDECAR_NER_AFTER_FIGTYPE
            if not ner_late:
                d["organisms_ner"] = ner
            d.update({
                "pmcid": f"PMC{paper.pmc}", "filename": f"{stem}.jpg", "figlink": figlink,
                "number": number, "caption": caption, "papertitle": ptitle, "reftext": reftext,
                "year": str(y),
                "doi": pg.doi if pg.doi_ok and not na_meta else ".na.character",
                "journal_title": ".na.character" if na_meta else pg.title,
                "journal_nlm_ta": ".na.character" if na_meta else pg.nlm,
                "publisher_name": ".na.character" if na_meta else pg.publisher,
                "keywords": ".na.character" if na_meta else author_kw,
                "automl_pathway": score, "figid_alias": alias, "figtype": figtype,
            })
            if ner_late:
                d["organisms_ner"] = ner
            d["redirect_from"] = f"/figures/{alias}"
            d["ndex"] = ndex
            d["seo"] = "CreativeWork"
            d["schema-jsonld"] = jsonld(figid, caption, keywords)
            if wpid is not None:
                d["wpid"] = wpid
            if gene_rows:
                files.append((f"_data/{figid}-genes.tsv", tsv(GENES_HEADER, gene_rows)))
                st.tsv_genes += 1
                st.gene_mentions += len(gene_rows)
            if chem:
                files.append((f"_data/{figid}-chemicals.tsv", tsv(CHEM_HEADER, chem)))
                st.tsv_chemicals += 1
                st.chemical_mentions += len(chem)
            if dis:
                files.append((f"_data/{figid}-diseases.tsv", tsv(DIS_HEADER, dis)))
                st.tsv_diseases += 1
                st.disease_mentions += len(dis)
        files.append((f"_figures/{figid}.md", dump_fast(d)))
    return files, st, orgs_used


def emp_float(rng: random.Random, values: list[float]) -> float:
    """A float between two neighbouring observations (smoothed empirical distribution)."""
    vs = sorted(values)
    i = rng.randrange(len(vs) - 1)
    return vs[i] + (vs[i + 1] - vs[i]) * rng.random()


def organism_page(name: str) -> tuple[str, str]:
    taxon, group, style, image = ORGANISMS[name]
    fname = re.sub(r"[^a-z0-9_\-]", "", name.lower().replace(" ", "_")) + ".md"
    if style.startswith("quoted:"):
        common = style.split(":", 1)[1]
        text = (f'---\ncommon: "{common}"\nlatin: "{name}"\nncbi: "{taxon}"\n'
                f'title: "{common} pathways"\ngroup: "{group}"\n---\n')
    elif style == "arabidopsis":  # the real page: mixed quoting, group "Plants"
        text = (f'---\ncommon: {name}\nlatin: {name}\nncbi: "{taxon}"\ntitle: {name} pathways\n'
                f'group: "Plants"\n---\n')
    else:
        d = {"common": name, "latin": name, "ncbi": taxon, "title": name, "group": group,
             "image": f"http://www.ncbi.nlm.nih.gov/Taxonomy/taxi/images/{image}" if image else ".na.character"}
        text = "---\n" + yaml.dump(d, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=80) + "\n---\n"
    return f"_organisms/{fname}", text


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------
def _work(args: tuple[list[Paper], int, str]) -> tuple[Stats, list[str]]:
    papers, seed, outdir = args
    st = Stats()
    used: set[str] = set()
    root = Path(outdir)
    for paper in papers:
        files, s, orgs = paper_files(paper, seed)
        st.add(s)
        used |= orgs
        for rel, text in files:
            data = text.encode("utf-8")
            st.bytes += len(data)
            with open(root / rel, "wb") as fh:
                fh.write(data)
    return st, sorted(used)


def generate(outdir: Path, records: int, seed: int = 42, sidecar_fraction: float = 0.5,
             jobs: int = 1, force: bool = False) -> dict:
    if records < 1:
        raise ValueError("--records must be at least 1")
    if not 0.0 <= sidecar_fraction <= 1.0:
        raise ValueError("--sidecar-fraction must be within 0..1")
    for sub in ("_figures", "_data", "_organisms"):
        p = outdir / sub
        if p.exists():
            if not force:
                raise FileExistsError(f"{p} exists (use --force to replace it)")
            shutil.rmtree(p)
        p.mkdir(parents=True)
    pools()  # build before forking so workers inherit it
    papers = plan(records, seed, sidecar_fraction)
    chunks: list[list[Paper]] = []
    size = max(1, min(500, len(papers) // (jobs * 8) or 1))
    for i in range(0, len(papers), size):
        chunks.append(papers[i:i + size])
    total = Stats()
    used: set[str] = set()
    work = [(c, seed, str(outdir)) for c in chunks]
    if jobs > 1 and len(chunks) > 1:
        import multiprocessing as mp
        ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
        with ctx.Pool(jobs) as pool_:
            results = pool_.map(_work, work, chunksize=1)
    else:
        results = [_work(w) for w in work]
    for st, orgs in results:
        total.add(st)
        used.update(orgs)
    for name in sorted(used):
        if name in ORGANISMS:
            rel, text = organism_page(name)
            data = text.encode("utf-8")
            total.bytes += len(data)
            (outdir / rel).write_bytes(data)
    info = {
        "generator": "bench/generate.py",
        "generator_version": GENERATOR_VERSION,
        "records": records,
        "seed": seed,
        "sidecar_fraction": sidecar_fraction,
        "papers": len(papers),
        "inline_records": total.inline,
        "sidecar_records": total.sidecar,
        "gene_mentions": total.gene_mentions,
        "chemical_mentions": total.chemical_mentions,
        "disease_mentions": total.disease_mentions,
        "tsv_files": {"genes": total.tsv_genes, "chemicals": total.tsv_chemicals, "diseases": total.tsv_diseases},
        "organism_pages": sum(1 for n in used if n in ORGANISMS),
        "bytes": total.bytes,
    }
    (outdir / "GENERATED.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", type=Path, help="output folder (database root)")
    ap.add_argument("--records", type=int, help="number of figure records")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--sidecar-fraction", type=float, default=0.5,
                    help="share of papers (hence ~records) in the newer sidecar format (default 0.5)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="worker processes (default: the CPU count; output does not depend on it)")
    ap.add_argument("--force", action="store_true", help="replace _figures/_data/_organisms in OUTDIR")
    ap.add_argument("--measure", type=Path, metavar="SAMPLE",
                    help="print the distributions measured on a real sample folder (JSON) and exit")
    ap.add_argument("--selfcheck", type=int, metavar="N",
                    help="check on N in-memory records that the fast YAML writer equals PyYAML's, and exit")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.selfcheck:
        bad = selfcheck(a.selfcheck, a.seed)
        print(f"selfcheck: {bad} of the front matters differ from yaml.safe_dump's", file=sys.stderr)
        return 1 if bad else 0
    if a.measure:
        print(json.dumps(measure(a.measure), ensure_ascii=False, indent=1))
        return 0
    if a.outdir is None or a.records is None:
        ap.error("OUTDIR and --records are required (or use --measure SAMPLE)")
    t0 = time.perf_counter()
    try:
        info = generate(a.outdir, a.records, a.seed, a.sidecar_fraction, max(1, a.jobs), a.force)
    except (ValueError, FileExistsError) as exc:
        print(f"generate.py: error: {exc}", file=sys.stderr)
        return 2
    dt = time.perf_counter() - t0
    if not a.quiet:
        print(f"{info['records']} records ({info['inline_records']} inline, {info['sidecar_records']} sidecar) "
              f"from {info['papers']} papers, {info['gene_mentions']} gene mentions, "
              f"{sum(info['tsv_files'].values())} TSVs, {info['organism_pages']} organism pages, "
              f"{info['bytes'] / 1e6:.1f} MB in {dt:.2f} s ({info['records'] / dt:,.0f} records/s) → {a.outdir}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
