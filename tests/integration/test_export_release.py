"""`kg release` of the sample build, every file read by the tool its users read it with: the dumps
with pyoxigraph, the KGX files with the real kgx validator (offline, against what the
biolink-model package ships), the GMT files with gseapy (and an over-representation analysis that
finds its own figure first), CITATION.cff against the Citation File Format's JSON Schema."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pyoxigraph
import pytest
import yaml
from helpers import FIXTURES, SAMPLE, TESTS
from helpers.build import Build
from helpers.needs import require_module
from pyld import jsonld

from kg.cli import main
from kg.jsonld import offline_document_loader

VERSION = "2024-05"
FIGURE_PREFIX = "PFOCR=https://pfocr.wikipathways.org/figures/"
# kgx 2.7 reads `in_taxon` into a list (bmt lists it among the multivalued slots) and then reports
# the list as a single-valued slot's wrong type: one message, whatever the file says (docs/export.md).
KGX_IN_TAXON = "Single-valued node property 'in_taxon' is expected to be of type '<class 'str'>'"


@pytest.fixture(scope="module")
def dist(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release") / "dist"
    assert main(["release", str(folder), "-o", str(sample_build.outdir), "--release", VERSION,
                 "--release-date", "2024-05-01", "-q"]) == 0
    return folder


@pytest.mark.slow
def test_checksums_and_dumps(sample_build: Build, dist: Path) -> None:
    lines = (dist / "SHA256SUMS").read_text().splitlines()
    assert len(lines) == sum(1 for p in dist.rglob("*") if p.is_file()) - 1
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest
    nt = set(pyoxigraph.parse(gzip.decompress((dist / "pfocr.nt.gz").read_bytes()), format=pyoxigraph.RdfFormat.N_TRIPLES))
    ttl = set(pyoxigraph.parse(gzip.decompress((dist / "pfocr.ttl.gz").read_bytes()), format=pyoxigraph.RdfFormat.TURTLE))
    assert nt == ttl and len(nt) == sample_build.report["triples"]
    void = set(pyoxigraph.parse((dist / "void.ttl").read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert any(t.predicate.value.endswith("#dataDump") and t.object.value.endswith("/pfocr.nt.gz") for t in void)
    expanded = jsonld.expand(json.loads((dist / "dataset.jsonld").read_text()), {"documentLoader": offline_document_loader})
    assert expanded[0]["http://schema.org/version"][0]["@value"] == VERSION


def kgx_errors(folder: Path, *declare: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(TESTS / "helpers" / "kgx_offline.py"), str(folder), *declare],
                            capture_output=True, text=True, timeout=600, check=True)
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    assert report["biolink_model"].startswith("4.")
    return report["errors"]


@pytest.mark.slow
def test_kgx_validates_offline(dist: Path) -> None:
    require_module("kgx", "pip install -e '.[test]'")
    # the figure nodes' PFOCR: prefix declared, as a graph declares its own prefixes: kgx's one
    # known in_taxon message is all that is left
    assert kgx_errors(dist / "kgx", "--declare", FIGURE_PREFIX) == {"ERROR": {"INVALID_NODE_PROPERTY_VALUE_TYPE": {
        KGX_IN_TAXON: ["NCBIGene:9965"]}}}
    # against the bare Biolink context: also the 35 figure ids, whose prefix Biolink does not know
    errors = kgx_errors(dist / "kgx")["ERROR"]
    unknown = errors.pop("INVALID_NODE_PROPERTY_VALUE")
    assert errors == {"INVALID_NODE_PROPERTY_VALUE_TYPE": {KGX_IN_TAXON: ["NCBIGene:9965"]}}
    ids = sorted(i for message, found in unknown.items() for i in found
                 if "CURIE prefix 'PFOCR' is not represented" in message)
    assert len(ids) == len(unknown) == 35 and all(i.startswith("PFOCR:PMC") for i in ids)


@pytest.mark.slow
def test_gseapy_reads_every_gmt_and_finds_the_figure_first(dist: Path) -> None:
    require_module("gseapy", "pip install -e '.[test]'")
    import gseapy
    from gseapy.parser import read_gmt

    files = sorted((dist / "gmt").glob("*.gmt"))
    assert len(files) == 18
    for path in files:
        sets = read_gmt(str(path))
        assert sets and all(len(genes) >= 3 for genes in sets.values())
    # a gene list from one sample figure, read from its source TSV (column ncbigene_id)
    rows = (SAMPLE / "_data" / "PMC10028837__nihpp-2023.03.03.530734v1-f0001-genes.tsv").read_text().splitlines()[1:]
    genes = sorted({r.split("\t")[6] for r in rows if r.split("\t")[1] == "Homo sapiens"})
    human = dist / "gmt" / f"pfocr-{VERSION}-gmt-Homo_sapiens.gmt"
    result = gseapy.enrich(gene_list=genes, gene_sets=str(human), outdir=None, no_plot=True, cutoff=1.0)
    ranked = result.results.sort_values(["Adjusted P-value", "P-value"])
    assert ranked.iloc[0]["Term"].split("%")[2] == "PMC10028837__F1"
    assert ranked.iloc[0]["P-value"] < ranked.iloc[1]["P-value"]


@pytest.mark.slow
def test_citation_cff_against_its_schema_and_zenodo_metadata(dist: Path) -> None:
    schema = json.loads((FIXTURES / "citation-file-format" / "schema-1.2.0.json").read_text())
    cff = yaml.safe_load((dist / "CITATION.cff").read_text("utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    # .zenodo.json: no JSON Schema of Zenodo's deposit metadata ships in a PyPI package (docs/export.md);
    # checked against the fields and vocabularies Zenodo's deposit API documents
    zenodo = json.loads((dist / ".zenodo.json").read_text())
    assert zenodo["upload_type"] == "dataset" and zenodo["access_right"] == "open" and zenodo["license"] == "cc-zero"
    assert {r["relation"] for r in zenodo["related_identifiers"]} <= {"isDerivedFrom", "isDocumentedBy"}
    assert all(c["name"] for c in zenodo["creators"])
