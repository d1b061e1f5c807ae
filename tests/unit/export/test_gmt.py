"""kg.export.gmt: gene sets of the sample build, read back as plain GMT (gseapy's reading is in
tests/integration/test_export_gmt.py); names, the ≥ 3 gene rule, strict sets and hostile titles."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLE
from helpers.build import Build

from kg.export.gmt import MIN_GENES, clean, export_gmt, file_name
from kg.export.graph import GENE, TAXON, BuildGraph, Entity, Figure, read_build

HUMAN = "Homo sapiens"


def read_gmt(path: Path) -> list[list[str]]:
    """A GMT file as its users split it: lines, then tabs (name, description, genes…)."""
    return [line.split("\t") for line in path.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def gmt_files(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("gmt")
    export_gmt(read_build(sample_build.outdir), target)
    return target


def test_one_file_per_organism_and_flavour_named_as_wikipathways_does(gmt_files: Path) -> None:
    names = sorted(p.name for p in gmt_files.iterdir())
    assert "pfocr-unversioned-gmt-Homo_sapiens.gmt" in names
    assert "pfocr-unversioned-gmt-Homo_sapiens-strict.gmt" in names
    # Rattus norvegicus and Xenopus laevis have an "all" set but no strict one: no strict file
    assert "pfocr-unversioned-gmt-Rattus_norvegicus.gmt" in names
    assert "pfocr-unversioned-gmt-Rattus_norvegicus-strict.gmt" not in names
    for path in gmt_files.iterdir():
        for row in read_gmt(path):
            title, release, alias, organism = row[0].split("%")
            assert release == "PFOCR_unversioned" and title and alias
            assert path.name.endswith(organism.replace(" ", "_").replace("/", "_") + ("-strict.gmt" if "strict" in path.name else ".gmt"))
            assert row[1].startswith("https://pfocr.wikipathways.org/figures/")
            genes = row[2:]
            assert len(set(genes)) == len(genes) >= MIN_GENES and all(g.isdigit() for g in genes)


def _expected_from_tsv() -> dict[tuple[str, str, str], list[str]]:
    """(organism, flavour, figid_alias) → Entrez ids, from every sidecar genes TSV of the sample
    read directly: columns organism_name, ncbigene_id and source (`ncbigene_symbol`/`hgnc_symbol`
    are the exact matches); the alias from the record's `figid_alias:` line."""
    expected = {}
    for tsv in sorted((SAMPLE / "_data").glob("*-genes.tsv")):
        figid = tsv.name.removesuffix("-genes.tsv")
        md = (SAMPLE / "_figures" / f"{figid}.md").read_text("utf-8")
        alias = next(line.split(":", 1)[1].strip() for line in md.splitlines() if line.startswith("figid_alias:"))
        rows = [line.split("\t") for line in tsv.read_text("utf-8").splitlines()[1:]]
        for organism in {r[1] for r in rows}:
            every = {r[6] for r in rows if r[1] == organism}
            exact = {r[6] for r in rows if r[1] == organism and r[7] in ("ncbigene_symbol", "hgnc_symbol")}
            for flavour, genes in (("all", every), ("strict", exact)):
                if len(genes) >= MIN_GENES:
                    expected[(organism, flavour, alias)] = sorted(genes, key=int)
    return expected


def test_the_sets_are_the_figures_genes_as_the_source_tsvs_list_them(gmt_files: Path) -> None:
    written = {}
    for path in gmt_files.iterdir():
        flavour = "strict" if path.name.endswith("-strict.gmt") else "all"
        for row in read_gmt(path):
            _, _, alias, organism = row[0].split("%")
            written[(organism, flavour, alias)] = row[2:]
    expected = _expected_from_tsv()
    assert {k: v for k, v in written.items() if k in expected} == expected
    # e.g. PMC10031279__gr8: 25 human genes, only 2 exact symbols: an "all" set and no strict one
    assert len(written[(HUMAN, "all", "PMC10031279__F8")]) == 25
    assert (HUMAN, "strict", "PMC10031279__F8") not in written
    assert len([k for k in expected if k[1] == "strict"]) >= 5


def test_same_build_same_bytes(sample_build: Build, gmt_files: Path, tmp_path: Path) -> None:
    export_gmt(read_build(sample_build.outdir), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {p.name: p.read_bytes() for p in gmt_files.iterdir()}


def _graph(title: str, gene_count: int, organism: str = HUMAN) -> BuildGraph:
    taxon = Entity("http://purl.obolibrary.org/obo/NCBITaxon_1", TAXON, "1", organism)
    genes = [Entity(f"https://identifiers.org/ncbigene/{n}", GENE, str(n), f"G{n}", taxon=taxon.iri)
             for n in range(1, gene_count + 1)]
    figure = Figure("https://pfocr.wikipathways.org/figures/PMC1__f1.html", "PMC1__f1", title, "PMC1__F1", None,
                    (taxon.iri,), {g.iri: False for g in genes})
    return BuildGraph([figure], {e.iri: e for e in (taxon, *genes)}, "2024\t05", None, ())


def test_tabs_newlines_and_percent_never_break_a_row_or_a_name(tmp_path: Path) -> None:
    summary = export_gmt(_graph("A\ttitle\nover 100% of\r\nlines", 3, "Odd\torganism"), tmp_path)
    [path] = summary.files
    [row] = read_gmt(path)
    assert row[0] == "A title over 100\uff05 of lines%PFOCR_2024 05%PMC1__F1%Odd organism"
    assert row[2:] == ["1", "2", "3"]
    assert path.name == "pfocr-2024_05-gmt-Odd_organism.gmt"
    assert clean(" a\u2028b ") == "a b"


def test_an_organism_without_sets_gets_no_file_and_is_named(tmp_path: Path) -> None:
    summary = export_gmt(_graph("Two genes only", MIN_GENES - 1), tmp_path)
    assert summary.files == () and list(tmp_path.iterdir()) == []
    assert summary.empty == (HUMAN,) and summary.sets == {(HUMAN, "all"): 0, (HUMAN, "strict"): 0}
    assert file_name(HUMAN, "", "strict") == "pfocr-unversioned-gmt-Homo_sapiens-strict.gmt"
