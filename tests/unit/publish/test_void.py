"""kg.publish.void: void.ttl and dataset.jsonld of the sample build, every count checked by SPARQL;
both describe the build's own dataset node (https://w3id.org/pfocr-kg/dataset) and agree with it."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from helpers.build import Build
from pyld import jsonld

import kg
import kg.publish.void as void_module
from kg.jsonld import offline_document_loader
from kg.publish import (
    DatasetStatistics,
    dataset_description,
    dataset_statistics,
    write_dataset_jsonld,
    write_void,
)

BASE = "https://example.org/pfocr-kg/"
DUMPS = ["pfocr.nt", "pfocr.ttl", "pfocr.jsonld"]
DATASET = "https://w3id.org/pfocr-kg/dataset"  # the node kg build writes at the end of pfocr.nt
SOFTWARE = "https://w3id.org/pfocr-kg/software"
VOID = "http://rdfs.org/ns/void#"
SCHEMA = "http://schema.org/"
FIGURES = "https://pfocr.wikipathways.org/figures/"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
PREFIXES = (
    f"PREFIX void: <{VOID}>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
    f"PREFIX prov: <http://www.w3.org/ns/prov#>\nPREFIX schema: <{SCHEMA}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


class Description:
    """A void.ttl, loaded into a store to be asked questions."""

    def __init__(self, path: Path) -> None:
        self.bytes = path.read_bytes()
        self.store = pyoxigraph.Store()
        self.store.load(self.bytes, pyoxigraph.RdfFormat.TURTLE)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.store.query(PREFIXES + query)]

    def ask(self, query: str) -> bool:
        return bool(self.store.query(PREFIXES + query))

    def values(self, subject: str, predicate: str) -> list[Any]:
        return [r[0] for r in self.rows(f"SELECT ?o WHERE {{ <{subject}> {predicate} ?o }}")]

    def one_int(self, subject: str, predicate: str) -> int:
        (value,) = self.values(subject, predicate)
        assert value.datatype.value.endswith("#integer")
        return int(value.value)


def count(build: Build, query: str) -> int:
    """One COUNT from the build's pfocr.nt, by pyoxigraph SPARQL."""
    ((value,),) = [tuple(row) for row in build.store.query(query)]
    return int(value.value)


def grouped(build: Build, query: str) -> dict[str, int]:
    return {row[0].value: int(row[1].value) for row in build.store.query(query)}


@pytest.fixture(scope="module")
def void_path(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("void") / "void.ttl"
    write_void(sample_build.outdir / "pfocr.nt", path, BASE, DUMPS)
    return path


@pytest.fixture(scope="module")
def void(void_path: Path) -> Description:
    return Description(void_path)


# --- counts ----------------------------------------------------------------------------------------


def test_dataset_counts_equal_sparql_counts(sample_build: Build, void: Description) -> None:
    expected = {
        "void:triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "void:distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
        "void:distinctObjects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
        "void:entities": (  # the records: IRIs in the uriSpace without a fragment
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o "
            f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{FIGURES}") && !CONTAINS(STR(?s), "#")) }}'
        ),
        "void:classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
        "void:properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    }
    for predicate, query in expected.items():
        assert void.one_int(DATASET, predicate) == count(sample_build, query), predicate
    assert void.one_int(DATASET, "void:triples") == sample_build.report["triples"]
    # the sample's 35 records (MANIFEST.tsv), each a schema:Dataset in the dataset
    records = count(sample_build, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?f a <{SCHEMA}Dataset> ; <{VOID}inDataset> <{DATASET}> }}")
    assert void.one_int(DATASET, "void:entities") == records == 35


def test_void_agrees_with_the_dataset_node(sample_build: Build, void: Description) -> None:
    """What pfocr.nt says of the dataset and the software, void.ttl says too (same IRIs, same
    values, the counts included), and it gives no second title, description or license."""
    node = {t for t in sample_build.triples() if t.subject.value in (DATASET, SOFTWARE)}
    assert len({t.subject for t in node}) == 2
    described = {q.triple for q in void.store}
    assert node <= described
    for predicate in ("dcterms:title", "dcterms:description", "dcterms:license", "dcterms:source",
                      "void:triples", "void:entities"):
        assert len(void.values(DATASET, predicate)) == 1, predicate
    assert [v.value for v in void.values(SOFTWARE, "schema:softwareVersion")] == [kg.__version__]
    assert not dataset_statistics(sample_build.outdir / "pfocr.nt").disagreements


def test_a_changed_file_is_counted_and_the_difference_reported(sample_build: Build, tmp_path: Path) -> None:
    """A file edited after kg build (two lines gone): void.ttl gives the file's counts and says
    where the dataset node disagrees."""
    lines = sample_build.nt.decode("utf-8").splitlines(keepends=True)
    changed = tmp_path / "changed.nt"
    changed.write_text("".join(lines[2:]), encoding="utf-8")
    stats = write_void(changed, tmp_path / "void.ttl", BASE, DUMPS)
    assert stats.triples == sample_build.report["triples"] - 2
    assert len(stats.disagreements) == 1 and "void:triples" in stats.disagreements[0]
    assert Description(tmp_path / "void.ttl").one_int(DATASET, "void:triples") == stats.triples


def test_a_file_without_a_dataset_node_gets_our_description(sample_build: Build, tmp_path: Path) -> None:
    lines = [line for line in sample_build.nt.decode("utf-8").splitlines(keepends=True)
             if not line.startswith((f"<{DATASET}>", f"<{SOFTWARE}>"))]
    plain = tmp_path / "plain.nt"
    plain.write_text("".join(lines), encoding="utf-8")
    write_void(plain, tmp_path / "void.ttl", BASE, DUMPS)
    described = Description(tmp_path / "void.ttl")
    assert [v.value for v in described.values(DATASET, "dcterms:title")] == ["PFOCR knowledge graph"]
    assert [v.value for v in described.values(DATASET, "dcterms:license")] == [CC0]
    assert described.ask(f"ASK {{ <{DATASET}> a void:Dataset }}")
    assert [v.value for v in described.values(SOFTWARE, "schema:softwareVersion")] == [kg.__version__]


def test_class_partitions_equal_sparql_counts(sample_build: Build, void: Description) -> None:
    partitions = {
        c.value: int(n.value)
        for c, n in void.rows(
            f"SELECT ?c ?n WHERE {{ <{DATASET}> void:classPartition ?part . ?part void:class ?c ; void:entities ?n }}"
        )
    }
    expected = grouped(sample_build, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    assert partitions == expected
    # by hand from the sample: 35 records and their images, 34 papers (two figures of PMC10028837),
    # 9 journals (NLM abbreviations), 7 publishers and WikiPathways, one dataset and its software
    assert {c.rsplit("/", 1)[-1]: k for c, k in partitions.items() if c.startswith(SCHEMA)} == {
        "Dataset": 35, "ImageObject": 35, "ScholarlyArticle": 34, "Periodical": 9, "Organization": 8,
        "SoftwareApplication": 1, "Gene": 731, "Taxon": partitions[f"{SCHEMA}Taxon"],
        "ChemicalSubstance": partitions[f"{SCHEMA}ChemicalSubstance"],
        "MedicalCondition": partitions[f"{SCHEMA}MedicalCondition"],
    }
    assert partitions[f"{VOID}Dataset"] == 1
    assert {c for c in partitions if not c.startswith(SCHEMA)} == {
        f"{VOID}Dataset", "http://www.w3.org/ns/oa#Annotation", "https://w3id.org/pfocr-kg/vocab#MatchSource",
        "https://w3id.org/pfocr-kg/vocab#OrganismMatchCounts"}


def test_property_partitions_equal_sparql_counts(sample_build: Build, void: Description) -> None:
    partitions = {
        p.value: int(n.value)
        for p, n in void.rows(
            f"SELECT ?p ?n WHERE {{ <{DATASET}> void:propertyPartition ?part . ?part void:property ?p ; void:triples ?n }}"
        )
    }
    assert partitions == grouped(sample_build, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    assert sum(partitions.values()) == sample_build.report["triples"]
    assert "http://www.w3.org/ns/oa#motivatedBy" not in partitions and "http://purl.org/dc/terms/relation" not in partitions


def test_partitions_are_numbered_iris_under_the_base(void: Description) -> None:
    classes = [r[0].value for r in void.rows(f"SELECT ?part WHERE {{ <{DATASET}> void:classPartition ?part }}")]
    assert sorted(classes) == sorted(f"{BASE}void.ttl#classPartition-{n}" for n in range(1, len(classes) + 1))
    props = [r[0].value for r in void.rows(f"SELECT ?part WHERE {{ <{DATASET}> void:propertyPartition ?part }}")]
    assert sorted(props) == sorted(f"{BASE}void.ttl#propertyPartition-{n}" for n in range(1, len(props) + 1))


def test_counts_hold_when_subjects_come_back_and_triples_repeat(
    sample_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file kg build would never write (lines shuffled, some repeated far apart): the same counts,
    from the store fallback; kg build's own file is counted in the one streaming pass."""
    fallbacks: list[Path] = []
    real = void_module._counts_from_store
    monkeypatch.setattr(void_module, "_counts_from_store", lambda path: fallbacks.append(path) or real(path))
    lines = sample_build.nt.decode("utf-8").splitlines(keepends=True)
    rng = random.Random(7)
    shuffled = lines + rng.sample(lines, 500)
    rng.shuffle(shuffled)
    messy = tmp_path / "messy.nt"
    messy.write_text("".join(shuffled), encoding="utf-8")
    original = _fields(dataset_statistics(sample_build.outdir / "pfocr.nt"))
    again = _fields(dataset_statistics(messy))
    assert len(again.pop("examples")) == len(original.pop("examples"))  # the first instances differ
    assert again == original
    assert fallbacks == [messy]


def _fields(stats: DatasetStatistics) -> dict[str, Any]:
    return {name: getattr(stats, name) for name in stats.__dataclass_fields__}


# --- what the description says -----------------------------------------------------------------------


def test_dumps_vocabularies_license_source(void: Description) -> None:
    assert sorted(v.value for v in void.values(DATASET, "void:dataDump")) == sorted(BASE + d for d in DUMPS)
    assert [v.value for v in void.values(DATASET, "void:uriSpace")] == [FIGURES]
    # every vocabulary of docs/vocabulary.md whose terms the data uses (rdf and xsd aside)
    assert {v.value for v in void.values(DATASET, "void:vocabulary")} == {
        SCHEMA, "http://vocabularies.wikipathways.org/wp#", "http://www.w3.org/ns/oa#", "http://purl.org/dc/terms/",
        "http://www.w3.org/ns/prov#", VOID, "http://purl.org/pav/", "http://www.w3.org/2004/02/skos/core#",
        "http://www.w3.org/2000/01/rdf-schema#", "https://w3id.org/pfocr-kg/vocab",
    }
    assert [v.value for v in void.values(DATASET, "dcterms:license")] == [CC0]
    assert [v.value for v in void.values(DATASET, "dcterms:source")] == ["https://pfocr.wikipathways.org/"]
    assert {v.value for v in void.values(DATASET, "void:feature")} == {
        f"http://www.w3.org/ns/formats/{f}" for f in ("N-Triples", "Turtle", "JSON-LD")
    }
    assert void.ask(f"ASK {{ <{DATASET}> a void:Dataset . <{BASE}void.ttl> a void:DatasetDescription ; "
                     f"<http://xmlns.com/foaf/0.1/primaryTopic> <{DATASET}> }}")


def test_example_resources_are_described_in_the_data(sample_build: Build, void: Description) -> None:
    examples = [v.value for v in void.values(DATASET, "void:exampleResource")]
    assert len(examples) >= 3
    assert any(e.startswith(FIGURES) and "#" not in e for e in examples)  # a record
    assert DATASET not in examples and SOFTWARE not in examples
    for example in examples:
        assert sample_build.store.query(f"ASK {{ <{example}> ?p ?o }}")


def test_generated_by_the_tool_and_its_version(void: Description) -> None:
    """The software is the data's (pav:createdWith), with the version that built the data."""
    rows = void.rows(
        f"SELECT ?tool ?label ?version WHERE {{ <{DATASET}> prov:wasGeneratedBy ?build ; "
        "<http://purl.org/pav/createdWith> ?tool . ?build a prov:Activity ; "
        "prov:wasAssociatedWith ?tool . ?tool a prov:SoftwareAgent , schema:SoftwareApplication ; rdfs:label ?label ; "
        "schema:softwareVersion ?version }"
    )
    assert [(tool.value, label.value, version.value) for tool, label, version in rows] == [
        (SOFTWARE, f"pfocr-kg {kg.__version__}", kg.__version__)
    ]


def test_no_blank_nodes_every_node_under_the_base(void: Description) -> None:
    quads = list(void.store)
    assert not [q for q in quads if isinstance(q.subject, pyoxigraph.BlankNode) or isinstance(q.object, pyoxigraph.BlankNode)]
    assert {q.subject.value.split("#")[0] for q in quads} == {f"{BASE}void.ttl", DATASET, SOFTWARE}


def test_same_input_same_bytes(sample_build: Build, void_path: Path, tmp_path: Path) -> None:
    again = tmp_path / "void.ttl"
    write_void(sample_build.outdir / "pfocr.nt", again, BASE.rstrip("/"), DUMPS)  # base without its slash
    assert again.read_bytes() == void_path.read_bytes()
    assert b"modified" not in again.read_bytes()  # no date unless SOURCE_DATE_EPOCH is set


def test_source_date_epoch_gives_the_modified_date(sample_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")  # 2025-11-25T00:00:00Z
    stats = write_void(sample_build.outdir / "pfocr.nt", tmp_path / "void.ttl", BASE, DUMPS)
    dated = Description(tmp_path / "void.ttl")
    assert [v.value for v in dated.values(DATASET, "dcterms:modified")] == ["2025-11-25"]
    assert dataset_description(BASE, DUMPS, stats)["dateModified"] == "2025-11-25"


def test_bad_base_url_is_refused(sample_build: Build, tmp_path: Path) -> None:
    for base in ("example.org/pfocr", "/srv/site/", "https://example.org/?q=1", "ftp://example.org/"):
        with pytest.raises(ValueError, match="base URL"):
            write_void(sample_build.outdir / "pfocr.nt", tmp_path / "void.ttl", base, DUMPS)
    assert not (tmp_path / "void.ttl").exists()


# --- dataset.jsonld ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dataset_jsonld(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dataset") / "dataset.jsonld"
    write_dataset_jsonld(path, BASE, DUMPS, nt_path=sample_build.outdir / "pfocr.nt")
    return path


def test_dataset_jsonld_for_search_engines(dataset_jsonld: Path, sample_build: Build) -> None:
    doc = json.loads(dataset_jsonld.read_text("utf-8"))
    assert doc["@context"] == "https://schema.org/" and doc["@type"] == "Dataset"
    assert 50 <= len(doc["description"]) <= 5000  # what Google Dataset Search asks for
    assert doc["isAccessibleForFree"] is True
    assert doc["license"] == CC0 and doc["url"] == BASE
    assert doc["creator"]["name"] == "WikiPathways"
    assert doc["includedInDataCatalog"]["@type"] == "DataCatalog"
    assert "PFOCR" in doc["keywords"]
    assert [(d["@type"], d["contentUrl"], d["encodingFormat"]) for d in doc["distribution"]] == [
        ("DataDownload", BASE + "pfocr.nt", "application/n-triples"),
        ("DataDownload", BASE + "pfocr.ttl", "text/turtle"),
        ("DataDownload", BASE + "pfocr.jsonld", "application/ld+json"),
    ]
    assert doc["@id"] == DATASET and doc["name"] == "PFOCR knowledge graph"
    assert "35 figures, 34 papers, 9 journals, 731 genes" in doc["description"]
    assert f"{sample_build.report['triples']:,} triples" in doc["description"]


def test_dataset_jsonld_is_the_same_dataset_as_void(dataset_jsonld: Path, void: Description) -> None:
    """Read with the (bundled) schema.org context, offline: the same node as void.ttl's dataset."""
    doc = json.loads(dataset_jsonld.read_text("utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": offline_document_loader})
    store = pyoxigraph.Store()
    store.load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    assert store.query(
        f"PREFIX schema: <{SCHEMA}> ASK {{ <{DATASET}> a schema:Dataset ; schema:license <{CC0}> ; "
        "schema:isAccessibleForFree true ; schema:distribution ?d . "
        f"?d a schema:DataDownload ; schema:contentUrl <{BASE}pfocr.nt> ; schema:encodingFormat \"application/n-triples\" }}"
    )
    assert void.values(DATASET, "void:triples")


def test_dataset_jsonld_same_bytes_and_optional_counts(dataset_jsonld: Path, sample_build: Build, tmp_path: Path) -> None:
    stats = dataset_statistics(sample_build.outdir / "pfocr.nt")
    again = tmp_path / "dataset.jsonld"
    assert write_dataset_jsonld(again, BASE, DUMPS, stats=stats) == json.loads(dataset_jsonld.read_text("utf-8"))
    assert again.read_bytes() == dataset_jsonld.read_bytes()
    plain = dataset_description(BASE, ["pfocr.nt.gz", "https://mirror.example.net/pfocr.ttl", "notes.txt"])
    assert "This release" not in plain["description"]
    assert [(d["contentUrl"], d.get("encodingFormat")) for d in plain["distribution"]] == [
        (BASE + "pfocr.nt.gz", "application/gzip"),
        ("https://mirror.example.net/pfocr.ttl", "text/turtle"),
        (BASE + "notes.txt", None),
    ]
