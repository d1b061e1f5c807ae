"""The example queries in queries/*.rq, run on the PFOCR sample build.

Every expected number below was counted by hand from tests/fixtures/pfocr-sample/ (grep and awk over
the figure files' `entrez:`/`source:`/`organisms:` lines and the sidecar TSV columns), never taken
from our own output. The WikiPathways join uses tests/fixtures/wikipathways/ (see its README).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from conftest import FIXTURES, Build

QUERIES = Path(__file__).parent.parent / "queries"
WIKIPATHWAYS = FIXTURES / "wikipathways" / "wikipathways-sample.ttl"
FIG = "https://pfocr.wikipathways.org/figures/"
GENE = "https://identifiers.org/ncbigene/"
PFOCR = "https://w3id.org/pfocr-kg/vocab#"
TAXON = "http://purl.obolibrary.org/obo/NCBITaxon_"

# The three sample figures that mention human TNF (Entrez 7124): two inline records
# (`entrez: '7124'`) and one sidecar genes TSV row (`Dif/Dorsal … TNF 7124 ncbigene_synonym`).
TNF_FIGURES = [
    "PMC10919860__ppat.1012049.g001",
    "PMC1383482__ppat.0020004.g001",
    "PMC2776288__ajtr0001-0001-f3",
]


def query_text(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def select(store: pyoxigraph.Store, text: str) -> list[dict[str, str | None]]:
    result = store.query(text)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def run(build: Build, name: str, *replace: tuple[str, str]) -> list[dict[str, str | None]]:
    text = query_text(name)
    for old, new in replace:
        assert old in text, f"{name}: placeholder {old!r} is gone; update the test"
        text = text.replace(old, new)
    return select(build.store, text)


def test_every_query_says_what_it_answers_and_what_to_change() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 9
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
def test_every_query_parses_and_runs(path: Path, sample_build: Build) -> None:
    result = sample_build.store.query(path.read_text(encoding="utf-8"))
    assert list(result) is not None


def test_figures_by_gene_id(sample_build: Build) -> None:
    rows = run(sample_build, "figures-by-gene-id.rq")
    assert [r["figid"] for r in rows] == TNF_FIGURES
    assert all(r["mentions"] == "1" for r in rows)  # one TNF entry / row in each record
    assert {r["paper"] for r in rows} == {
        "https://identifiers.org/pmc/" + f.split("__")[0] for f in TNF_FIGURES
    }
    # CASP3 (836): two inline records and the SCA1,2,3 → CASP3 synonym row of PMC5883377.
    casp3 = run(sample_build, "figures-by-gene-id.rq", ("ncbigene/7124>", "ncbigene/836>"))
    assert [r["figid"] for r in casp3] == [
        "PMC1383482__ppat.0020004.g001",
        "PMC2776288__ajtr0001-0001-f3",
        "PMC5883377__CN-16-151_F1B",
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
    by_name = {r["organismName"]: r for r in rows}
    assert len(rows) == len(by_name) == 80  # distinct organism names over organisms, organisms_ner, TSVs
    assert sum(int(r["figures"]) for r in rows) == 140  # (figure, organism name) pairs
    expected = {
        "Homo sapiens": ("31", "9606"),
        "Drosophila melanogaster": ("6", "7227"),
        "Danio rerio": ("4", "7955"),
        "Mus musculus": ("3", "10090"),
        "Severe acute respiratory syndrome coronavirus 2": ("3", "2697049"),
        "Caenorhabditis elegans": ("2", "6239"),
    }
    for name, (count, taxon) in expected.items():
        assert (by_name[name]["figures"], by_name[name]["taxon"]) == (count, TAXON + taxon), name
    assert by_name["Colocasia esculenta"]["taxon"] is None  # a name without a known taxon id


def test_figures_of_paper(sample_build: Build) -> None:
    rows = run(sample_build, "figures-of-paper.rq")
    assert [(r["figid"], r["number"], r["year"], r["doi"]) for r in rows] == [
        (
            "PMC10028837__nihpp-2023.03.03.530734v1-f0001",
            "F1",
            "2023",
            "https://doi.org/10.1101/2023.03.03.530734",
        ),
        (
            "PMC10028837__nihpp-2023.03.03.530734v1-f0009",
            "F9",
            "2023",
            "https://doi.org/10.1101/2023.03.03.530734",
        ),
    ]
    other = run(sample_build, "figures-of-paper.rq", ('"PMC10028837"', '"PMC1383482"'))
    assert [r["figid"] for r in other] == ["PMC1383482__ppat.0020004.g001"]


def test_figures_by_year(sample_build: Build) -> None:
    rows = run(sample_build, "figures-by-year.rq")
    assert Counter(r["year"] for r in rows) == {"2005": 5, "2006": 6}  # `year: '2005'` ×5, '2006' ×6
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    recent = run(
        sample_build,
        "figures-by-year.rq",
        ("?year >= 2005 && ?year <= 2006", "?year >= 2023 && ?year <= 2025"),
    )
    assert Counter(r["year"] for r in recent) == {"2023": 9, "2024": 4, "2025": 4}


def test_gene_mentions_not_exact(sample_build: Build) -> None:
    rows = run(sample_build, "gene-mentions-not-exact.rq")
    # Sources counted in the files: inline 219 bioentities_symbol, 47 hgnc_alias_symbol,
    # 7 hgnc_prev_symbol, 53 hgnc_symbol; TSVs 142 famplex_relations, 263 ncbigene_synonym,
    # 125 ncbigene_symbol. Two bioentities mentions name a gene the same figure also names exactly.
    assert len(rows) == 676
    kinds = Counter(r["kind"].removeprefix(PFOCR) for r in rows)
    assert kinds == {"SynonymMatch": 263, "FamilyMatch": 359, "AliasMatch": 47, "PreviousSymbolMatch": 7}
    assert len({(r["figure"], r["gene"]) for r in rows}) == 674
    text = query_text("gene-mentions-not-exact.rq")
    every = re.sub(r"  FILTER NOT EXISTS \{.*?\n  \}\n", "", text, flags=re.DOTALL)
    assert every != text
    assert len(select(sample_build.store, every)) == 219 + 47 + 7 + 142 + 263


def test_chemicals_diseases_per_figure(sample_build: Build) -> None:
    rows = run(sample_build, "chemicals-diseases-per-figure.rq")
    per_figure = Counter((r["figure"].removeprefix(FIG).removesuffix(".html"), r["kind"]) for r in rows)
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
    diseases = {(r["figure"].removeprefix(FIG), r["entity"]) for r in rows if r["kind"] == "disease"}
    assert diseases == {
        ("PMC5883377__CN-16-151_F1B.html", "http://id.nlm.nih.gov/mesh/D001259"),  # Ataxia, CARS Ataxia
        ("PMC6365454__fnins-13-00025-g0002.html", "http://id.nlm.nih.gov/mesh/D057049"),  # Microangiopathy
    }
    one = run(
        sample_build,
        "chemicals-diseases-per-figure.rq",
        ("  # VALUES ?figure", "  VALUES ?figure"),
    )
    assert Counter(r["kind"] for r in one) == {"chemical": 9, "disease": 1}


def _with_wikipathways(build: Build) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(build.nt, pyoxigraph.RdfFormat.N_TRIPLES)
    store.load(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_wikipathways_join(sample_build: Build) -> None:
    rows = select(_with_wikipathways(sample_build), query_text("wikipathways-pathways-of-figures.rq"))
    got = {
        (
            r["wpid"],
            r["figure"].removeprefix(FIG).removesuffix(".html"),
            int(r["sharedGenes"]),
            frozenset(r["symbols"].split()),
        )
        for r in rows
    }
    # tests/fixtures/wikipathways/README.md: genes per pathway and the sample figures naming them.
    assert got == {
        ("WP254", "PMC1383482__ppat.0020004.g001", 4, frozenset({"TNF", "CASP3", "CASP8", "TRAF2"})),
        ("WP254", "PMC2776288__ajtr0001-0001-f3", 4, frozenset({"TNF", "CASP3", "CASP8", "TRAF2"})),
        ("WP254", "PMC10919860__ppat.1012049.g001", 1, frozenset({"TNF"})),
        ("WP254", "PMC5883377__CN-16-151_F1B", 1, frozenset({"CASP3"})),
        # TNFRSF1A joins through the Ensembl data node's wp:bdbEntrezGene only
        ("WP231", "PMC1383482__ppat.0020004.g001", 4, frozenset({"TNF", "TRADD", "TNFRSF1B", "TNFRSF1A"})),
        ("WP231", "PMC2776288__ajtr0001-0001-f3", 1, frozenset({"TNF"})),
        ("WP231", "PMC10919860__ppat.1012049.g001", 1, frozenset({"TNF"})),
    }
    assert [int(r["sharedGenes"]) for r in rows] == sorted(
        (int(r["sharedGenes"]) for r in rows), reverse=True
    )
    assert {r["pathwayTitle"] for r in rows} == {"Apoptosis", "TNF-alpha signaling pathway"}


def test_wikipathways_join_is_empty_without_wikipathways(sample_build: Build) -> None:
    assert select(sample_build.store, query_text("wikipathways-pathways-of-figures.rq")) == []
