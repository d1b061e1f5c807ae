"""The example queries in queries/*.rq, run on a v2 build of the PFOCR sample (docs/vocabulary.md).

Every expected number below was counted by hand from tests/fixtures/pfocr-sample/ (grep and awk over
the figure files' `entrez:`/`source:`/`symbol:`/`organisms:` lines, MANIFEST.tsv and the sidecar TSV
columns), never taken from our own output; each test says how. The WikiPathways queries also load
tests/fixtures/wikipathways/ (its README lists the genes per pathway and the sample figures naming
them).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from helpers import FIXTURES, QUERIES
from helpers.build import Build, select
from helpers.expected import annotation_iri

WIKIPATHWAYS = FIXTURES / "wikipathways" / "wikipathways-sample.ttl"
FIG = "https://pfocr.wikipathways.org/figures/"
GENE = "https://identifiers.org/ncbigene/"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_"
WP_QUERIES = ("wikipathways-pathways-of-figures.rq", "wikipathways-pathways-sharing-genes-with-figure.rq")

# The three sample figures that mention human TNF (Entrez 7124): two inline records
# (`entrez: '7124'`) and one sidecar genes TSV row (`Dif/Dorsal … TNF 7124 ncbigene_synonym`).
TNF_FIGURES = [
    "PMC10919860__ppat.1012049.g001",
    "PMC1383482__ppat.0020004.g001",
    "PMC2776288__ajtr0001-0001-f3",
]



@pytest.fixture(scope="module")
def with_wikipathways(sample_build: Build) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(sample_build.nt, pyoxigraph.RdfFormat.N_TRIPLES)
    store.load(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def query_text(name: str, *replace: tuple[str, str]) -> str:
    text = (QUERIES / name).read_text(encoding="utf-8")
    for old, new in replace:
        assert old in text, f"{name}: placeholder {old!r} is gone; update the test"
        text = text.replace(old, new)
    return text


def run(build: Build, name: str, *replace: tuple[str, str]) -> list[dict[str, str | None]]:
    return select(build.store, query_text(name, *replace))


def figid(iri: str | None) -> str:
    assert iri is not None and iri.startswith(FIG) and iri.endswith(".html"), iri
    return iri.removeprefix(FIG).removesuffix(".html")


# --- every query --------------------------------------------------------------------------------


def test_every_query_says_what_it_answers_and_what_to_change() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            head.append(line)
        assert len(head) >= 2, f"{path.name} must start with a comment saying what it answers"
        assert re.search(r"\b(Change|Nothing to change)\b", "\n".join(head)), (
            f"{path.name}: say what to change"
        )


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_every_query_answers_on_the_sample_with_every_column(
    path: Path, with_wikipathways: pyoxigraph.Store
) -> None:
    """Each shipped query gives rows on the v2 sample build (plus the WikiPathways fixture), and every
    variable it selects is bound in some row: a v1 pattern (the record schema:isPartOf the paper, an
    annotation targeting the record, oa:motivatedBy, counts on an annotation) matches nothing on v2
    and would leave the query empty or a column blank."""
    rows = select(with_wikipathways, path.read_text(encoding="utf-8"))
    assert rows, f"{path.name} gives no rows"
    for name in rows[0]:
        assert any(row[name] is not None for row in rows), f"{path.name}: ?{name} is never bound"


def test_no_query_uses_v1_terms() -> None:
    v1 = (
        "motivatedBy",
        "oa:identifying",
        "#mention-",
        "pfocr:countDirect",
        "pfocr:countSynonym",
        "pfocr:countMatch",
    )
    for path in sorted(QUERIES.glob("*.rq")):
        body = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
        )
        assert not [term for term in v1 if term in body], path.name


# --- one query each ------------------------------------------------------------------------------


def test_figures_by_gene_id(sample_build: Build) -> None:
    rows = run(sample_build, "figures-by-gene-id.rq")
    assert [r["figid"] for r in rows] == TNF_FIGURES
    assert {r["gene"] for r in rows} == {GENE + "7124"}
    assert all(r["annotations"] == "1" for r in rows)  # one TNF entry / row in each record
    assert {r["paper"] for r in rows} == {
        "https://identifiers.org/pmc/" + f.split("__")[0] for f in TNF_FIGURES
    }
    assert [figid(r["figure"]) for r in rows] == TNF_FIGURES
    # CASP3 (836): the Caspase family word of two inline records and the SCA1,2,3 → CASP3 synonym row
    # of PMC5883377; IFNB1 (3456): PMC1323499 reads it twice, as `Interferon-` and as `IFN-B` (both
    # bioentities_symbol), two annotations of one figure.
    rows = run(
        sample_build,
        "figures-by-gene-id.rq",
        (
            "<https://identifiers.org/ncbigene/7124>",
            "<https://identifiers.org/ncbigene/836> <https://identifiers.org/ncbigene/3456>",
        ),
    )
    assert [(r["gene"], r["figid"], r["annotations"]) for r in rows] == [
        (GENE + "3456", "PMC1323499__pmed.0030057.g001", "2"),
        (GENE + "836", "PMC1383482__ppat.0020004.g001", "1"),
        (GENE + "836", "PMC2776288__ajtr0001-0001-f3", "1"),
        (GENE + "836", "PMC5883377__CN-16-151_F1B", "1"),
    ]


def test_figures_by_gene_symbol(sample_build: Build) -> None:
    rows = run(sample_build, "figures-by-gene-symbol.rq")
    assert [r["figid"] for r in rows] == TNF_FIGURES
    assert {(r["geneId"], r["symbol"], r["taxon"]) for r in rows} == {("7124", "TNF", TAXON + "9606")}
    # LOG2 names two Arabidopsis genes in one figure (genes TSV rows 818172 and 820135).
    log2 = run(sample_build, "figures-by-gene-symbol.rq", ('"TNF"', '"LOG2"'))
    assert [(r["figid"], r["geneId"], r["taxon"]) for r in log2] == [
        ("PMC10036783__fpls-14-1131708-g005", "818172", TAXON + "3702"),
        ("PMC10036783__fpls-14-1131708-g005", "820135", TAXON + "3702"),
    ]


def test_co_mentioned_genes(sample_build: Build) -> None:
    rows = run(sample_build, "co-mentioned-genes.rq")
    assert len(rows) == 20  # LIMIT 20
    top = [r for r in rows if r["figures"] == "2"]
    # Both inline TNF figures list CASP1-10 (834-843), CASP12 (100506742), CASP14 (23581) and TRAF2 (7186).
    assert {r["other"] for r in top} == {GENE + str(i) for i in (*range(834, 844), 100506742, 23581, 7186)}
    assert rows[:13] == top and all(r["figures"] == "1" for r in rows[13:])
    everything = run(sample_build, "co-mentioned-genes.rq", ("LIMIT 20", ""))
    assert len(everything) == 44  # 45 distinct gene ids over the three TNF figures, less TNF itself


def test_figures_per_organism(sample_build: Build) -> None:
    rows = run(sample_build, "figures-per-organism.rq")
    got = {(str(r["from"]), str(r["organismName"])): (int(r["figures"] or 0), r["taxon"]) for r in rows}
    assert len(got) == len(rows)
    by_from: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for (source, _), (count, _) in got.items():
        by_from[source] += count
        names[source] += 1
    # genes: the 17 inline records all have genes (human); the 14 genes TSVs give 31 (file,
    # organism_id) pairs (`cut -f1 | sort -u` per file): 9606 ×13, 7227 ×6, 7955 ×3, 1282 ×2,
    # 10090 ×2, and 8355, 6239, 511145, 3702, 10116 once.
    assert (names["genes"], by_from["genes"]) == (10, 17 + 31)
    # figure: the `;ner=` part of MANIFEST.tsv's organisms column, NA left out: 31 names over 10 organisms.
    assert (names["figure"], by_from["figure"]) == (10, 31)
    # paper: the part before `;ner=` (inline comma lists split), NA left out: 123 names, 78 distinct.
    assert (names["paper"], by_from["paper"]) == (78, 123)
    expected = {
        ("genes", "Homo sapiens"): (30, "9606"),
        ("genes", "Drosophila melanogaster"): (6, "7227"),
        ("genes", "Danio rerio"): (3, "7955"),
        ("genes", "Escherichia coli str. K-12 substr. MG1655"): (1, "511145"),
        ("figure", "Homo sapiens"): (13, "9606"),
        ("figure", "Drosophila melanogaster"): (6, "7227"),
        ("paper", "Homo sapiens"): (25, "9606"),
        ("paper", "Mus musculus"): (3, "10090"),
        ("paper", "Severe acute respiratory syndrome coronavirus 2"): (3, "2697049"),
        ("paper", "Eschscholzia californica"): (1, "3467"),  # _organisms/eschscholzia_californica.md
    }
    for key, (count, taxon) in expected.items():
        assert got[key] == (count, TAXON + taxon), key
    # names no table resolves: only in `organisms` lists (both PMC10028837 figures name Colocasia)
    assert got[("paper", "Colocasia esculenta")] == (2, None)
    assert all(taxon is not None for (source, _), (_, taxon) in got.items() if source != "paper")
    assert sum(1 for (source, _), (_, taxon) in got.items() if source == "paper" and taxon) == 15


def test_figures_of_paper(sample_build: Build) -> None:
    rows = run(sample_build, "figures-of-paper.rq")
    doi = "https://doi.org/10.1101/2023.03.03.530734"
    image = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10028837/figure/{}/".format  # figlink's last part
    assert [(r["figid"], r["image"], r["number"], r["year"], r["doi"], r["journal"]) for r in rows] == [
        ("PMC10028837__nihpp-2023.03.03.530734v1-f0001", image("F1"), "F1", "2023", doi, "bioRxiv"),
        ("PMC10028837__nihpp-2023.03.03.530734v1-f0009", image("F9"), "F9", "2023", doi, "bioRxiv"),
    ]
    assert {figid(r["figure"]) for r in rows} == {r["figid"] for r in rows}
    other = run(sample_build, "figures-of-paper.rq", ('"PMC10028837"', '"PMC1383482"'))
    assert [(r["figid"], r["image"], r["number"]) for r in other] == [
        (
            "PMC1383482__ppat.0020004.g001",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC1383482/figure/ppat-0020004-g001/",
            "F1",
        )
    ]


def test_figures_by_year(sample_build: Build) -> None:
    rows = run(sample_build, "figures-by-year.rq")
    assert Counter(r["year"] for r in rows) == {"2005": 5, "2006": 6}  # `year: '2005'` ×5, '2006' ×6
    assert [r["year"] for r in rows] == sorted(str(r["year"]) for r in rows)
    assert all(r["paper"] == "https://identifiers.org/pmc/" + (r["figid"] or "").split("__")[0] for r in rows)
    recent = run(
        sample_build,
        "figures-by-year.rq",
        ("?year >= 2005 && ?year <= 2006", "?year >= 2023 && ?year <= 2025"),
    )
    assert Counter(r["year"] for r in recent) == {"2023": 9, "2024": 4, "2025": 4}


def test_gene_mentions_not_exact(sample_build: Build) -> None:
    rows = run(sample_build, "gene-mentions-not-exact.rq")
    # Gene rows counted in the files by source: inline 219 bioentities_symbol, 47 hgnc_alias_symbol,
    # 7 hgnc_prev_symbol, 53 hgnc_symbol; TSVs 142 famplex_relations, 263 ncbigene_synonym,
    # 125 ncbigene_symbol. No two rows of a figure repeat (word, source, symbol/match, gene), so each
    # non-exact row is one (annotation, gene) row here. Two bioentities rows (`Smads` → SMAD2 4089,
    # SMAD3 4090 in PMC1240048) name genes the same figure also names exactly (`Smad2`, `Smad3`).
    assert len(rows) == 219 + 47 + 7 + 142 + 263 - 2 == 676
    kinds = Counter((r["kind"] or "").removeprefix(PFOCR) for r in rows)
    assert kinds == {
        "SynonymMatch": 263,
        "FamilyMatch": 219 + 142 - 2,
        "AliasMatch": 47,
        "PreviousSymbolMatch": 7,
    }
    assert len({(r["figure"], r["gene"]) for r in rows}) == 674
    # 210 distinct (figure, word, source, symbol/match) among those rows: one annotation each
    assert len({r["annotation"] for r in rows}) == 210
    assert all((r["annotation"] or "").startswith((r["figure"] or "") + "#m-") for r in rows)
    smads = {
        r["gene"]
        for r in rows
        if figid(r["figure"]) == "PMC1240048__pmed.0020264.g007" and r["word"] == "Smads"
    }
    assert GENE + "4089" not in smads and GENE + "4090" not in smads and smads
    # PMC2776288: `{word: RIP1, symbol: RIP-1, source: hgnc_alias_symbol, hgnc_symbol: KRR1, entrez: '11103'}`
    rip1 = [r for r in rows if r["word"] == "RIP1"]
    assert [(r["annotation"], r["matched"], r["gene"], r["symbol"], r["source"]) for r in rip1] == [
        (
            annotation_iri("PMC2776288__ajtr0001-0001-f3", "RIP1", "hgnc_alias_symbol", "RIP-1"),
            "RIP-1",
            GENE + "11103",
            "KRR1",
            PFOCR + "hgnc_alias_symbol",
        )
    ]
    # PMC5883377 genes TSV: `PMCA2 PMCA2 ATP2B2/Atp2b2/Atp2b2 491/11941/24215 ncbigene_synonym` — the
    # match equals the word, so no pfocr:matchedText is written and ?matched is the word.
    pmca2 = [r for r in rows if r["word"] == "PMCA2"]
    assert {r["gene"] for r in pmca2} == {GENE + "491", GENE + "11941", GENE + "24215"}
    assert {r["matched"] for r in pmca2} == {"PMCA2"}
    assert len({r["annotation"] for r in pmca2}) == 1
    text = query_text("gene-mentions-not-exact.rq")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert (
        "MINUS" in body and "NOT EXISTS" not in body
    )  # fast at scale (test_queries_stay_fast_on_many_records)
    every = re.sub(r"  MINUS \{.*?\n  \}\n", "", text, flags=re.DOTALL)
    assert every != text
    assert len(select(sample_build.store, every)) == 219 + 47 + 7 + 142 + 263


def test_chemicals_diseases_per_figure(sample_build: Build) -> None:
    rows = run(sample_build, "chemicals-diseases-per-figure.rq")
    per_figure = Counter((figid(r["figure"]), r["kind"]) for r in rows)
    # Distinct MeSH ids (else ChEBI ids) per figure: inline `identifier:` values that are not empty,
    # TSV rows with a mesh or chebi value; diseases likewise with mesh or doid.
    assert per_figure == {
        ("PMC100008__mb2411709009", "chemical"): 2,
        ("PMC10017456__fpls-14-1084358-g002", "chemical"): 17,
        ("PMC10031380__sc1", "chemical"): 2,
        ("PMC10033909__d3sc00173c-s1", "chemical"): 2,
        ("PMC1069646__pbio.0030121.g003", "chemical"): 25,
        ("PMC11482725__ppat.1012188.g007", "chemical"): 3,
        ("PMC11495567__pone.0312563.g001", "chemical"): 2,
        ("PMC12083809__pone.0322516.g001", "chemical"): 6,
        ("PMC12118852__ppat.1013200.g008", "chemical"): 2,
        ("PMC12121910__pgen.1011679.g004", "chemical"): 17,
        ("PMC1342634__pgen.0010080.g001", "chemical"): 8,
        ("PMC1391919__pgen.0020031.g001", "chemical"): 4,
        ("PMC1487177__pgen.0020099.g007", "chemical"): 1,
        ("PMC5883377__CN-16-151_F1B", "chemical"): 1,
        ("PMC5883377__CN-16-151_F1B", "disease"): 1,
        ("PMC6365454__fnins-13-00025-g0002", "chemical"): 9,
        ("PMC6365454__fnins-13-00025-g0002", "disease"): 1,
    }
    # ChEBI-only chemicals (mesh NA, chebi given; `awk -F'\t' '$2=="NA" && $5!="NA"'`, distinct per
    # file): 3 + 2 + 6 + 2 + 17 = 30, each named by an identifiers.org ChEBI IRI.
    chebi = [r for r in rows if (r["entity"] or "").startswith("https://identifiers.org/chebi/CHEBI:")]
    assert len(chebi) == 30 and all(r["kind"] == "chemical" and r["name"] for r in chebi)
    diseases = {(figid(r["figure"]), r["entity"]) for r in rows if r["kind"] == "disease"}
    assert diseases == {
        ("PMC5883377__CN-16-151_F1B", "http://id.nlm.nih.gov/mesh/D001259"),  # Ataxia, CARS Ataxia
        ("PMC6365454__fnins-13-00025-g0002", "http://id.nlm.nih.gov/mesh/D057049"),  # Microangiopathy
    }
    one = run(sample_build, "chemicals-diseases-per-figure.rq", ("  # VALUES ?figure", "  VALUES ?figure"))
    assert Counter(r["kind"] for r in one) == {"chemical": 9, "disease": 1}


# --- WikiPathways ---------------------------------------------------------------------------------


def test_the_wikipathways_fixture_has_every_shape_the_join_must_handle() -> None:
    """tests/fixtures/wikipathways/README.md: wp:Protein and wp:Rna nodes that are not wp:GeneProduct,
    an Ensembl node joined only by its mapping, and a whole pathway in the older http:// form."""
    store = pyoxigraph.Store()
    store.load(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = (
        "PREFIX wp: <http://vocabularies.wikipathways.org/wp#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    )
    for kind in ("Protein", "Rna"):
        assert store.query(
            prefixes + f"ASK {{ ?n a wp:{kind} ; wp:bdbEntrezGene ?g . "
            "FILTER NOT EXISTS { ?n a wp:GeneProduct } }"
        ), kind
    old = select(
        store,
        prefixes + "SELECT ?p ?e WHERE { ?n wp:bdbEntrezGene ?e ; dcterms:isPartOf ?p . "
        '?p a wp:Pathway . FILTER (STRSTARTS(STR(?e), "http://identifiers.org/")) }',
    )
    assert {r["p"] for r in old} == {"http://identifiers.org/wikipathways/WP4760_r110000"}
    assert store.query(prefixes + "ASK { <http://identifiers.org/ncbigene/5582> a wp:Protein }")


# tests/fixtures/wikipathways/README.md, "Genes per pathway": pathway, sample figure, shared symbols
WIKIPATHWAYS_JOIN = {
    ("WP254", "PMC1383482__ppat.0020004.g001", frozenset({"TNF", "CASP3", "CASP8", "TRAF2", "FADD"})),
    ("WP254", "PMC2776288__ajtr0001-0001-f3", frozenset({"TNF", "CASP3", "CASP8", "TRAF2"})),
    ("WP254", "PMC10919860__ppat.1012049.g001", frozenset({"TNF"})),
    ("WP254", "PMC5883377__CN-16-151_F1B", frozenset({"CASP3"})),
    # TNFRSF1A joins through the Ensembl data node's wp:bdbEntrezGene only; NFKB1 through a wp:Rna node
    ("WP231", "PMC1383482__ppat.0020004.g001", frozenset({"TNF", "TRADD", "TNFRSF1B", "TNFRSF1A"})),
    ("WP231", "PMC2776288__ajtr0001-0001-f3", frozenset({"TNF", "NFKB1"})),
    ("WP231", "PMC10919860__ppat.1012049.g001", frozenset({"TNF"})),
    ("WP231", "PMC1323499__pmed.0030057.g001", frozenset({"NFKB1"})),
    # the older http:// dump: PRKCG a wp:Protein, ATXN2 an Ensembl node, CASP3 an http node
    (
        "WP4760",
        "PMC5883377__CN-16-151_F1B",
        frozenset({"PRKCG", "ITPR1", "TRPC3", "CACNA1A", "CASP3", "ATXN2"}),
    ),
    ("WP4760", "PMC1383482__ppat.0020004.g001", frozenset({"CASP3"})),
    ("WP4760", "PMC2776288__ajtr0001-0001-f3", frozenset({"CASP3"})),
    ("WP4760", "PMC100008__mb2411709009", frozenset({"PRKCG"})),
    ("WP4760", "PMC1440875__pgen.0020057.g005", frozenset({"PRKCG"})),
    ("WP4760", "PMC6365454__fnins-13-00025-g0002", frozenset({"PRKCG"})),
}


def test_wikipathways_pathways_of_figures(with_wikipathways: pyoxigraph.Store) -> None:
    rows = select(with_wikipathways, query_text("wikipathways-pathways-of-figures.rq"))
    got = {(r["wpid"], figid(r["figure"]), frozenset((r["symbols"] or "").split())) for r in rows}
    assert got == WIKIPATHWAYS_JOIN and len(rows) == len(WIKIPATHWAYS_JOIN)
    assert all(int(r["sharedGenes"] or 0) == len((r["symbols"] or "").split()) for r in rows)
    shared = [int(r["sharedGenes"] or 0) for r in rows]
    assert shared == sorted(shared, reverse=True) and shared[0] == 6
    assert {(r["wpid"], r["pathwayTitle"]) for r in rows} == {
        ("WP254", "Apoptosis"),
        ("WP231", "TNF-alpha signaling pathway"),
        ("WP4760", "PKC-gamma calcium signaling pathway in ataxia"),
    }
    one = select(
        with_wikipathways,
        query_text("wikipathways-pathways-of-figures.rq", ("  # VALUES ?wpid", "  VALUES ?wpid")),
    )
    assert {figid(r["figure"]) for r in one} == {f for wp, f, _ in WIKIPATHWAYS_JOIN if wp == "WP254"}


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        # pathway, shared genes, genes of the pathway (README table), shared symbols
        (
            "PMC1383482__ppat.0020004.g001",
            [
                ("WP254", 5, 7, {"TNF", "CASP3", "CASP8", "TRAF2", "FADD"}),
                ("WP231", 4, 6, {"TNF", "TRADD", "TNFRSF1B", "TNFRSF1A"}),
                ("WP4760", 1, 7, {"CASP3"}),
            ],
        ),
        (
            "PMC5883377__CN-16-151_F1B",
            [
                ("WP4760", 6, 7, {"PRKCG", "ITPR1", "TRPC3", "CACNA1A", "CASP3", "ATXN2"}),
                ("WP254", 1, 7, {"CASP3"}),
            ],
        ),
        ("PMC10036783__fpls-14-1131708-g005", []),  # Arabidopsis genes only
    ],
)
def test_wikipathways_pathways_sharing_genes_with_figure(
    with_wikipathways: pyoxigraph.Store, figure: str, expected: list[tuple[str, int, int, set[str]]]
) -> None:
    text = query_text(
        "wikipathways-pathways-sharing-genes-with-figure.rq",
        ("PMC1383482__ppat.0020004.g001", figure),
    )
    rows = select(with_wikipathways, text)
    got = [
        (
            r["wpid"],
            int(r["sharedGenes"] or 0),
            int(r["pathwayGenes"] or 0),
            set((r["symbols"] or "").split()),
        )
        for r in rows
    ]
    assert got == expected
    assert all(r["organismName"] == "Homo sapiens" for r in rows)


@pytest.mark.parametrize("name", WP_QUERIES)
def test_wikipathways_queries_are_empty_without_wikipathways(sample_build: Build, name: str) -> None:
    assert run(sample_build, name) == []


# --- at scale ----------------------------------------------------------------------------------------

_TIMED = """
import json, sys, time
import pyoxigraph
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES)
store.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.TURTLE)
out = {}
for name, text in json.load(open(sys.argv[3], encoding="utf-8")).items():
    start = time.perf_counter()
    rows = sum(1 for _ in store.query(text))
    out[name] = [rows, time.perf_counter() - start]
print(json.dumps(out))
"""


@pytest.mark.slow
def test_queries_stay_fast_on_many_records(sample_build: Build, tmp_path: Path) -> None:
    """1,400 records (the sample 40 times over, records and images renamed, genes shared) and 1,000
    WikiPathways-shaped pathways of 30 genes, a third in the older http:// form. A join Oxigraph
    cannot key pairs every row with every row here and takes minutes (measured: the FILTER NOT EXISTS
    form of gene-mentions-not-exact.rq 990 s; the WikiPathways join on a bare IRI(REPLACE(…)) over a
    minute); the shipped forms take a second or less each."""
    copies = 40
    lines = sample_build.nt.decode("utf-8").splitlines()
    with (tmp_path / "many.nt").open("w", encoding="utf-8") as out:
        for k in range(copies):
            for line in lines:
                out.write(
                    line.replace(FIG, f"{FIG}c{k}-").replace(
                        "https://pmc.ncbi.nlm.nih.gov/articles/",
                        f"https://pmc.ncbi.nlm.nih.gov/articles/c{k}-",
                    )
                    + "\n"
                )
    genes = sorted({line.split(" ", 1)[0][1:-1] for line in lines if line.startswith(f"<{GENE}")})
    assert len(genes) > 700
    wp, dcterms = "http://vocabularies.wikipathways.org/wp#", "http://purl.org/dc/terms/"
    turtle = []
    for p in range(1000):
        base = "http://identifiers.org/" if p % 3 == 0 else "https://identifiers.org/"
        pathway = f"<{base}wikipathways/WP{90000 + p}_r1>"
        turtle.append(f'{pathway} a <{wp}Pathway> ; <{dcterms}identifier> "WP{90000 + p}" .')
        for i in range(30):
            # two members among the sample's genes, the others genes no figure names: few answers,
            # many rows to join
            entrez = (
                genes[(p * 37 + i * 11) % len(genes)].removeprefix(GENE)
                if i < 2
                else str(900000 + p * 30 + i)
            )
            kind = ("GeneProduct", "Protein", "Rna")[i % 3]
            turtle.append(
                f"<{base}ncbigene/{entrez}> a <{wp}DataNode> , <{wp}{kind}> ; "
                f"<{wp}bdbEntrezGene> <{base}ncbigene/{entrez}> ; <{dcterms}isPartOf> {pathway} ."
            )
    (tmp_path / "wp.ttl").write_text("\n".join(turtle), encoding="utf-8")
    # the placeholder figure of a one-figure query is the first copy's
    texts = {
        p.name: p.read_text(encoding="utf-8").replace(FIG, f"{FIG}c0-") for p in sorted(QUERIES.glob("*.rq"))
    }
    (tmp_path / "queries.json").write_text(json.dumps(texts), encoding="utf-8")
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                textwrap.dedent(_TIMED),
                *(str(tmp_path / f) for f in ("many.nt", "wp.ttl", "queries.json")),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the queries took more than 3 minutes on 1,400 records: a join lost its key")
    timings = json.loads(done.stdout)
    assert timings["gene-mentions-not-exact.rq"][0] == 676 * copies
    assert timings["figures-per-organism.rq"][0] == 98
    assert timings["wikipathways-pathways-sharing-genes-with-figure.rq"][0] > 0
    slow = {name: round(seconds, 1) for name, (_, seconds) in timings.items() if seconds > 20}
    assert not slow, f"too slow on {copies * 35} records: {slow}"
