"""`kg build --format nt,ttl,jsonld`: pfocr.jsonld, one JSON-LD document compacted with our context.

What is checked: pyld (as a JSON-LD 1.1 and as a 1.0 processor) and rdflib both read exactly the
triples of pfocr.nt back from it; every node
object is what pyld's own compaction with our context gives; the bytes are the same for the same
input; the writer streams; the file is staged and published with the other outputs.

Literal comparison: everything ends as pyoxigraph terms. pyld writes plain strings without
^^xsd:string and rdflib gives them no datatype; pyoxigraph reads both as xsd:string, as it reads
pfocr.nt. rdflib's literal normalisation (e.g. "0.90"^^xsd:decimal → "0.9") is switched off, so
lexical forms are compared as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
from helpers import SAMPLE
from helpers.build import Build, run_build
from helpers.pages import jsonld_triples
from pyld import jsonld
from pyld.jsonld import JsonLdError

import kg.pipeline
from kg.cli import main
from kg.write.atomic import TMP_MARK, OutputError
from kg.write.jsonld import (
    CONTEXT_URL,
    Compactor,
    context_document,
    document_loader,
    jsonld_chunks,
    ntriples_to_jsonld,
)

# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

FORMATS = ("--format", "nt,ttl,jsonld")
N_TRIPLES = pyoxigraph.RdfFormat.N_TRIPLES

# Every corner the compaction has: terms whose type does not fit the value (literal under an
# @id term, IRI under a plain term, other datatypes, language tags), properties and classes the
# context does not know, rdf:type with a literal, escapes and non-ASCII, an IRI equal to a
# prefix, a suffix starting with "/", a subject that comes back later, a repeated triple.
# (No xsd:double: pyld rewrites its lexical form, "1e3" → "1.0E3", on the way to RDF.)
TRICKY_NT = r"""<https://pfocr.wikipathways.org/figures/A.html> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Dataset> .
<https://pfocr.wikipathways.org/figures/A.html> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/OtherClass> .
<https://pfocr.wikipathways.org/figures/A.html> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "not a class" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> "tab\there \"quoted\" back\\slash\nnewline \u00E9 \U0001F600 \u0001" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> "Bonjour"@fr .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> <http://example.org/iri-as-name> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> "" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> "@id" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/name> "42"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/url> "a literal url" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/url> "http://x.org/"^^<http://www.w3.org/2001/XMLSchema#anyURI> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/url> <http://schema.org/> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/url> <http://schema.org//double> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/datePublished> "2003" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/datePublished> "2003-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/datePublished> "0999"^^<http://www.w3.org/2001/XMLSchema#gYear> .
<https://pfocr.wikipathways.org/figures/A.html> <https://w3id.org/pfocr-kg/vocab#pathwayScore> "0.90"^^<http://www.w3.org/2001/XMLSchema#decimal> .
<https://pfocr.wikipathways.org/figures/A.html> <https://w3id.org/pfocr-kg/vocab#countDirect> "007"^^<http://www.w3.org/2001/XMLSchema#integer> .
<https://pfocr.wikipathways.org/figures/A.html> <http://example.org/unknown> "plain" .
<https://pfocr.wikipathways.org/figures/A.html> <http://example.org/unknown> <urn:x:y> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/unknownSchemaProp> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/mentions> <https://identifiers.org/ncbigene/1> .
<https://identifiers.org/ncbigene/1> <http://schema.org/name> "X" .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/mentions> <https://identifiers.org/ncbigene/2> .
<https://pfocr.wikipathways.org/figures/A.html> <http://schema.org/mentions> <https://identifiers.org/ncbigene/2> .
<http://example.org/s> <http://schema.org/keywords> "k"@en-GB .
"""


@pytest.fixture(scope="module")
def jsonld_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return run_build(tmp_path_factory.mktemp("jsonld") / "out", SAMPLE, extra=FORMATS)


@pytest.fixture(scope="module")
def document(jsonld_build: Build) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads((jsonld_build.outdir / "pfocr.jsonld").read_text("utf-8"))
    return parsed


def pyld_triples(doc: dict[str, Any], mode: str = "json-ld-1.1") -> set[pyoxigraph.Triple]:
    return jsonld_triples(doc, document_loader, mode)


def _oxigraph_term(term: Any) -> Any:
    if isinstance(term, rdflib.URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return pyoxigraph.BlankNode(str(term))
    assert isinstance(term, rdflib.Literal)
    datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype is not None else None
    return pyoxigraph.Literal(str(term), datatype=datatype, language=term.language)


def rdflib_triples(path: Path, monkeypatch: pytest.MonkeyPatch) -> set[pyoxigraph.Triple]:
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)  # keep "0.90"^^xsd:decimal as written
    graph = rdflib.Graph().parse(path, format="json-ld")
    return {pyoxigraph.Triple(*map(_oxigraph_term, t)) for t in graph}


def file_triples(path: Path) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse(path=str(path), format=N_TRIPLES)}


def _canonical(value: Any) -> Any:
    """Order-free form of a node object: JSON-LD arrays of property values are unordered sets."""
    if isinstance(value, list):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    return value


def assert_pyld_compaction(doc: dict[str, Any]) -> int:
    """Each node object equals pyld's compaction of its expansion with the document's context."""
    context = doc["@context"]
    options = {"documentLoader": document_loader}
    for node in doc["@graph"]:
        expanded = jsonld.expand({"@context": context, **node}, options)
        compacted = jsonld.compact(expanded, {"@context": context}, {**options, "base": None})
        compacted.pop("@context")
        assert _canonical(compacted) == _canonical(node)
    return len(doc["@graph"])


# --- the sample build -------------------------------------------------------------------------


@pytest.mark.slow
def test_build_writes_jsonld_beside_nt_and_ttl(jsonld_build: Build, sample_build: Build) -> None:
    assert jsonld_build.exit_code == 0
    names = {p.name for p in jsonld_build.outdir.iterdir()}
    assert {"pfocr.nt", "pfocr.ttl", "pfocr.jsonld", "report.json"} <= names
    assert not [n for n in names if TMP_MARK in n]
    assert not (sample_build.outdir / "pfocr.jsonld").exists()  # not by default
    assert jsonld_build.nt == sample_build.nt  # the option changes nothing else


@pytest.mark.slow
def test_pyld_reads_back_exactly_the_nt_triples(jsonld_build: Build, document: dict[str, Any]) -> None:
    expected = jsonld_build.triples("nt")
    assert len(expected) == jsonld_build.report["triples"] > 10_000
    assert pyld_triples(document) == expected
    assert pyld_triples(document, "json-ld-1.0") == expected  # no 1.1 feature is used, none declared


@pytest.mark.slow
def test_rdflib_reads_back_exactly_the_nt_triples(jsonld_build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    assert rdflib_triples(jsonld_build.outdir / "pfocr.jsonld", monkeypatch) == jsonld_build.triples("nt")


@pytest.mark.slow
def test_typed_literals_keep_their_lexical_forms(document: dict[str, Any]) -> None:
    figures = [n for n in document["@graph"] if n.get("@type") == "Dataset"]
    papers = [n for n in document["@graph"] if n.get("@type") == "ScholarlyArticle"]
    assert figures and papers
    assert all(isinstance(n["pathwayScore"], str) for n in figures)  # never a JSON number
    assert all(isinstance(n["datePublished"], str) for n in papers if "datePublished" in n)
    counts = [n["countDirect"] for n in document["@graph"] if "countDirect" in n]
    assert counts and all(isinstance(c, str) and c.isdigit() for c in counts)


@pytest.mark.slow
def test_one_node_object_per_subject_in_nt_order(jsonld_build: Build, document: dict[str, Any]) -> None:
    subjects = list(dict.fromkeys(t.subject for t in pyoxigraph.parse(jsonld_build.nt, N_TRIPLES)))
    context = document["@context"]
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}

    def expand(compact: str) -> str:
        prefix, _, suffix = compact.partition(":")
        return prefixes[prefix] + suffix if prefix in prefixes else compact

    assert [expand(n["@id"]) for n in document["@graph"]] == [s.value for s in subjects]


@pytest.mark.slow
def test_every_property_and_class_of_the_sample_has_a_term(document: dict[str, Any]) -> None:
    """No fallback to compact IRIs as keys, no compact IRIs as types: the context is complete."""
    keys = {k for node in document["@graph"] for k in node}
    assert not [k for k in keys if ":" in k]
    types = {t for node in document["@graph"] for t in node.get("@type", [])} | {
        node["@type"] for node in document["@graph"] if isinstance(node.get("@type"), str)
    }
    assert types and not [t for t in types if ":" in t]


@pytest.mark.slow
def test_v2_nodes_read_naturally(document: dict[str, Any]) -> None:
    """The v2 nodes with the context's terms, values checked against the seed record (PMC2776288,
    f3: figlink /pmc/articles/PMC2776288/figure/fig03/, figid_alias PMC2776288__F3, an NDEx uuid,
    12 `Caspase` rows read as one family annotation) and another record's wpid (WP5283)."""
    nodes: dict[str, dict[str, Any]] = {}
    for node in document["@graph"]:  # a subject written twice is one node (test above: it should not be)
        nodes.setdefault(node["@id"], {}).update(node)
    record = nodes["figure:PMC2776288__ajtr0001-0001-f3.html"]
    assert record["@type"] == "Dataset"
    assert record["about"] == "https://pmc.ncbi.nlm.nih.gov/articles/PMC2776288/figure/fig03/"
    assert (record["alternateName"], record["figureType"]) == ("PMC2776288__F3", "Figure")
    assert record["seeAlso"] == "https://www.ndexbio.org/viewer/networks/e0501886-deaf-11ea-99da-0ac135e8bacf"
    assert record["inDataset"] == "https://w3id.org/pfocr-kg/dataset"
    assert record["organism"] == "obo:NCBITaxon_9606" and record["organismName"] == "Homo sapiens"
    image = nodes[record["about"]]
    assert image["@type"] == "ImageObject" and image["isPartOf"] == "pmc:PMC2776288" and image["position"] == "F3"
    caspase = [n for i, n in nodes.items() if i.startswith("figure:PMC2776288__ajtr0001-0001-f3.html#m-")
               and n.get("ocrText") == "Caspase"]
    assert len(caspase) == 1 and len(caspase[0]["hasBody"]) == 12 and "ncbigene:841" in caspase[0]["hasBody"]
    assert caspase[0]["matchSource"] == "pfocr:bioentities_symbol" and "matchedText" not in caspase[0]
    assert caspase[0]["hasTarget"] == record["about"] and "motivatedBy" not in caspase[0]
    assert nodes["https://identifiers.org/wikipathways/WP5283"] == {
        "@id": "https://identifiers.org/wikipathways/WP5283",
        "wasDerivedFrom": "figure:PMC6365454__fnins-13-00025-g0002.html",
    }
    dataset = nodes["https://w3id.org/pfocr-kg/dataset"]
    assert dataset["@type"] == "VoidDataset" and dataset["entities"] == "35"
    assert dataset["createdWith"] == "https://w3id.org/pfocr-kg/software"
    chemicals = [n for n in document["@graph"] if "exactMatch" in n]
    assert chemicals and all(n["@type"] == "ChemicalSubstance" for n in chemicals)


@pytest.mark.slow
def test_document_layout(jsonld_build: Build, document: dict[str, Any]) -> None:
    assert list(document) == ["@context", "@graph"]
    assert document["@context"] == context_document()["@context"]  # inline, as shipped
    assert "@version" not in document["@context"]  # JSON-LD 1.0 processors refuse a 1.1 context
    assert "@vocab" not in document["@context"]
    text = (jsonld_build.outdir / "pfocr.jsonld").read_text("utf-8")
    lines = text.splitlines()
    node_lines = [line for line in lines if line.startswith("    {")]
    assert len(node_lines) == len(document["@graph"])  # one node object a line
    assert text.endswith("\n  ]\n}\n")


@pytest.mark.slow
def test_node_objects_are_what_pyld_compaction_gives(document: dict[str, Any]) -> None:
    assert assert_pyld_compaction(document) == len(document["@graph"])


@pytest.mark.slow
def test_same_input_same_bytes(jsonld_build: Build, tmp_path: Path) -> None:
    again = run_build(tmp_path / "again", SAMPLE, extra=("--format", "jsonld,ttl"))
    assert (again.outdir / "pfocr.jsonld").read_bytes() == (jsonld_build.outdir / "pfocr.jsonld").read_bytes()
    direct = ntriples_to_jsonld(jsonld_build.outdir / "pfocr.nt", tmp_path / "direct.jsonld")
    direct.publish()
    assert (tmp_path / "direct.jsonld").read_bytes() == (jsonld_build.outdir / "pfocr.jsonld").read_bytes()


# --- the writer on its own ---------------------------------------------------------------------


@pytest.mark.slow
def test_context_by_url_resolves_offline(jsonld_build: Build) -> None:
    triples = pyoxigraph.parse(jsonld_build.nt, N_TRIPLES)
    doc = json.loads("".join(jsonld_chunks(triples, context_url=CONTEXT_URL)))
    assert doc["@context"] == CONTEXT_URL
    assert pyld_triples(doc) == jsonld_build.triples("nt")
    with pytest.raises(JsonLdError):
        document_loader("https://example.org/other-context.jsonld")
    assert document_loader("https://schema.org/")["document"]["@context"]["schema"] == "http://schema.org/"


def test_packaged_context_is_a_valid_context() -> None:
    doc = context_document()
    assert list(doc) == ["@context"]
    expanded = jsonld.expand({"@context": doc["@context"], "@id": "figure:x.html", "pathwayScore": "0.5"},
                             {"documentLoader": document_loader})
    assert expanded == [{
        "@id": "https://pfocr.wikipathways.org/figures/x.html",
        "https://w3id.org/pfocr-kg/vocab#pathwayScore": [
            {"@type": "http://www.w3.org/2001/XMLSchema#decimal", "@value": "0.5"}
        ],
    }]


def test_tricky_values_survive_both_processors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nt = tmp_path / "tricky.nt"
    nt.write_text(TRICKY_NT, encoding="utf-8")
    ntriples_to_jsonld(nt, tmp_path / "tricky.jsonld").publish()
    doc = json.loads((tmp_path / "tricky.jsonld").read_text("utf-8"))
    expected = file_triples(nt)
    assert len(expected) == 25  # the repeated triple once
    assert pyld_triples(doc) == expected
    assert pyld_triples(doc, "json-ld-1.0") == expected
    assert rdflib_triples(tmp_path / "tricky.jsonld", monkeypatch) == expected
    assert assert_pyld_compaction(doc) == 4  # the subject that comes back gets a second node object
    first = doc["@graph"][0]
    assert first["@type"] == ["Dataset", "http://example.org/OtherClass"]
    assert first["rdf:type"] == "not a class"
    assert first["schema:url"] == ["a literal url", {"@value": "http://x.org/", "@type": "xsd:anyURI"}]
    assert first["url"] == ["http://schema.org/", "schema:/double"]


def test_nested_prefixes_give_the_shortest_compact_iri_as_pyld_does() -> None:
    context = {"ex": "http://ex.org/", "exa": "http://ex.org/aaa/", "e": "http://ex.org/", "p": {"@id": "ex:p", "@type": "@id"}}
    compactor = Compactor(context)
    iris = ["http://ex.org/a/b", "http://ex.org/aaa/b", "http://ex.org/ab", "http://ex.org/a/", "http://ex.org/", "http://other.org/x"]
    node = compactor.node(pyoxigraph.NamedNode("http://ex.org/s"), [("http://ex.org/p", pyoxigraph.NamedNode(i)) for i in iris])
    assert node == {"@id": "e:s", "p": ["e:a/b", "exa:b", "e:ab", "e:a/", "http://ex.org/", "http://other.org/x"]}
    assert assert_pyld_compaction({"@context": context, "@graph": [node]}) == 1
    del context["exa"]  # no prefix inside another: the one-regex path, same answers
    node = Compactor(context).node(pyoxigraph.NamedNode("http://ex.org/s"), [("http://ex.org/p", pyoxigraph.NamedNode(i)) for i in iris])
    assert node == {"@id": "e:s", "p": ["e:a/b", "e:aaa/b", "e:ab", "e:a/", "http://ex.org/", "http://other.org/x"]}
    assert assert_pyld_compaction({"@context": context, "@graph": [node]}) == 1


def test_empty_graph(tmp_path: Path) -> None:
    nt = tmp_path / "empty.nt"
    nt.write_bytes(b"")
    ntriples_to_jsonld(nt, tmp_path / "empty.jsonld").publish()
    doc = json.loads((tmp_path / "empty.jsonld").read_text("utf-8"))
    assert doc["@graph"] == [] and pyld_triples(doc) == set()


def test_writer_streams_subject_by_subject() -> None:
    """The first node object comes out after its subject's triples and one more, not at the end."""
    pulled = 0
    subject = pyoxigraph.NamedNode("https://pfocr.wikipathways.org/figures/X.html")
    name = pyoxigraph.NamedNode("http://schema.org/name")

    def triples() -> Iterator[pyoxigraph.Triple]:
        nonlocal pulled
        for i in range(1_000_000):
            pulled += 1
            s = subject if i < 3 else pyoxigraph.NamedNode(f"https://identifiers.org/ncbigene/{i}")
            yield pyoxigraph.Triple(s, name, pyoxigraph.Literal(str(i)))

    chunks = jsonld_chunks(triples())
    assert '"@graph": [' in next(chunks)
    node = json.loads(next(chunks).lstrip(",\n "))
    assert node == {"@id": "figure:X.html", "name": ["0", "1", "2"]}
    assert pulled == 4
    chunks.close()


# --- staging and the --format option ---------------------------------------------------------------


@pytest.mark.slow
def test_jsonld_is_staged_and_published_with_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "-q", *FORMATS]) == 0
    before = {name: (out / name).read_bytes() for name in ("pfocr.nt", "pfocr.jsonld", "report.json")}
    seen: list[Path] = []
    real = kg.pipeline.DERIVED_FORMATS["jsonld"]

    def spy(nt_path: Path, path: Path, **options: Any) -> Any:
        staged = real(nt_path, path, **options)
        assert TMP_MARK in staged.tmp.name and staged.tmp.exists()  # written under a temp name
        assert path.read_bytes() == before["pfocr.jsonld"]  # the published file is still the old one
        seen.append(staged.tmp)
        return staged

    def fail(path: Path, data: bytes, publish: bool = True) -> Any:
        raise OutputError(path, OSError(28, "No space left on device"))

    monkeypatch.setitem(kg.pipeline.DERIVED_FORMATS, "jsonld", spy)
    monkeypatch.setattr(kg.pipeline, "write_bytes", fail)  # report.json, written after pfocr.jsonld
    source = tmp_path / "one"
    (source / "_figures").mkdir(parents=True)
    first = min((SAMPLE / "_figures").glob("*.md"))
    (source / "_figures" / first.name).write_bytes(first.read_bytes())
    assert main(["build", str(source), "-o", str(out), "-q", *FORMATS]) == 1
    assert seen and not seen[0].exists()  # the staged file was removed
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not [p.name for p in out.iterdir() if TMP_MARK in p.name]


@pytest.mark.slow
def test_nt_is_always_written_and_unrequested_formats_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "-q", *FORMATS]) == 0
    assert main(["build", str(SAMPLE), "-o", str(out), "-q", "--format", "jsonld"]) == 0
    assert {"pfocr.nt", "pfocr.jsonld"} <= {p.name for p in out.iterdir()}
    assert not (out / "pfocr.ttl").exists()  # it would describe the previous build
    assert main(["build", str(SAMPLE), "-o", str(out), "-q", "--format", " TTL , nt "]) == 0
    assert (out / "pfocr.ttl").exists() and not (out / "pfocr.jsonld").exists()


@pytest.mark.parametrize("value", ["xml", "nt,rdfxml", ",", ""])
def test_unknown_format_is_a_usage_error(value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--format", value])
    assert stop.value.code == 2
    assert "nt, ttl, jsonld" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_says_nt_is_always_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--outputs" in text and "pfocr.nt is always written" in text
