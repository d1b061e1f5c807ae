"""kg.jsonld: the record's schema-jsonld block through pyld with the bundled schema.org context, offline."""

from __future__ import annotations

import copy
import json
import socket
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, SEED_FIGID
from pyld import jsonld
from pyld.jsonld import JsonLdError

from kg.jsonld import SCHEMA_ORG_CONTEXT_URLS, block_ntriples, offline_document_loader, schema_org_context

SEED = FIXTURES / "seed" / "_figures" / f"{SEED_FIGID}.md"
FIG = "<https://pfocr.wikipathways.org/figures/PMC2776288__ajtr0001-0001-f3.html>"
WP = "<https://www.wikipathways.org/>"
S = "http://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
TITLE = "Crosstalk between apoptosis and NFKB signaling by IAP-antagonist"
KEYWORDS = [
    "XIAP", "CASP14", "CASP3", "TRAF2", "CASP9", "CASP12", "TGFB1", "TNF", "CASP8", "CASP5", "CASP6",
    "CASP1", "CASP4", "TGFB3", "CASP2", "BIRC3", "CASP7", "CASP10", "KRR1", "NR2C2", "NFKB1", "TAB1",
    "TGFB2", "BIRC2",
]  # fmt: skip


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML between the file's first two `---` lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fences = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == "---"]
    return yaml.safe_load("".join(lines[fences[0] + 1 : fences[1]]))


@pytest.fixture
def record() -> dict[str, Any]:
    return front_matter(SEED)


def expected_seed_triples(description: str) -> set[str]:
    return {
        f"{FIG} {RDF_TYPE} <{S}Dataset> .",
        f'{FIG} <{S}name> "{TITLE}" .',
        f"{FIG} <{S}license> <http://creativecommons.org/publicdomain/zero/1.0/> .",
        f'{FIG} <{S}description> "{description}" .',
        f"{FIG} <{S}creator> {WP} .",
        f"{WP} {RDF_TYPE} <{S}Organization> .",
        f'{WP} <{S}name> "WikiPathways" .',
        *(f'{FIG} <{S}keywords> "{k}" .' for k in KEYWORDS),
    }


def test_seed_block_gives_the_expected_triples(record: dict[str, Any]) -> None:
    description = record["schema-jsonld"]["description"]
    assert description.startswith("Crosstalk between apoptosis and NF-κB signaling by IAP-antagonist. TNFα")
    assert description.endswith("IKK, IκBα kinase.")
    assert '"' not in description and "\\" not in description  # so the literal needs no escapes

    triples = block_ntriples(record["schema-jsonld"], record["figtitle"])

    assert record["figtitle"] == TITLE
    assert triples == expected_seed_triples(description)
    assert len(triples) == 7 + 24
    assert sum(f"<{S}keywords>" in t for t in triples) == 24


def test_no_blank_node_remains(record: dict[str, Any]) -> None:
    for line in block_ntriples(record["schema-jsonld"], record["figtitle"]):
        subject, _predicate, rest = line.split(" ", 2)
        assert not subject.startswith("_:"), line
        assert not rest.startswith("_:"), line
        assert line.endswith(" .") and not line.endswith("\n")


def test_input_block_is_not_mutated(record: dict[str, Any]) -> None:
    block = record["schema-jsonld"]
    before = copy.deepcopy(block)
    block_ntriples(block, record["figtitle"])
    assert block == before
    assert block["name"] == "CreativeWork" and block["license"] == "CC0"
    assert block["creator"] == {"@type": "Organization", "name": "WikiPathways"}


def test_creator_iri_and_missing_figtitle(record: dict[str, Any]) -> None:
    triples = block_ntriples(record["schema-jsonld"], None, creator_iri="https://example.org/org")
    assert f"{FIG} <{S}creator> <https://example.org/org> ." in triples
    assert '<https://example.org/org> <http://schema.org/name> "WikiPathways" .' in triples
    # No figtitle: the block's own (buggy) name is kept.
    assert f'{FIG} <{S}name> "CreativeWork" .' in triples


def test_scalar_keywords_give_one_literal(record: dict[str, Any]) -> None:
    block = copy.deepcopy(record["schema-jsonld"])
    block["keywords"] = "XIAP"
    keywords = {t for t in block_ntriples(block, TITLE) if f"<{S}keywords>" in t}
    assert keywords == {f'{FIG} <{S}keywords> "XIAP" .'}


def test_loader_refuses_any_other_url() -> None:
    for url in ("https://example.org/context.jsonld", "https://schema.org/Dataset", "file:///etc/passwd"):
        with pytest.raises(JsonLdError) as info:
            offline_document_loader(url, {})
        assert info.value.code == "loading document failed"
        assert url in str(info.value)


def test_loader_serves_the_bundled_context_for_schema_org_urls() -> None:
    for url in (
        "https://schema.org/",
        "https://schema.org",
        "http://schema.org/",
        "http://schema.org",
        "https://schema.org/docs/jsonldcontext.json",
        "https://schema.org/docs/jsonldcontext.jsonld",
    ):
        assert url in SCHEMA_ORG_CONTEXT_URLS
        remote = offline_document_loader(url, {})
        assert remote["documentUrl"] == url
        assert remote["document"] is schema_org_context()  # loaded once


def test_bundled_context_is_the_real_one() -> None:
    ctx = schema_org_context()["@context"]
    assert ctx["@vocab"] == S and ctx["schema"] == S
    assert len(ctx) > 3000
    assert ctx["license"] == {"@id": "schema:license", "@type": "@id"}
    for term in ("keywords", "description", "creator", "name", "Dataset", "Organization"):
        assert ctx[term] == {"@id": f"schema:{term}"}


def test_processing_leaves_the_cached_context_intact(record: dict[str, Any]) -> None:
    block_ntriples(record["schema-jsonld"], record["figtitle"])
    text = resources.files("kg").joinpath("context/schemaorg.jsonld").read_text(encoding="utf-8")
    assert schema_org_context() == json.loads(text)


def test_no_network_is_touched(record: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_socket(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    schema_org_context.cache_clear()  # the context file is read under the patch too
    monkeypatch.setattr(socket, "socket", no_socket)
    with pytest.raises(AssertionError):
        socket.create_connection(("127.0.0.1", 9))  # the patch is in force

    description = record["schema-jsonld"]["description"]
    assert block_ntriples(record["schema-jsonld"], record["figtitle"]) == expected_seed_triples(description)

    # A block naming another context is refused by the loader, not fetched.
    block = dict(record["schema-jsonld"], **{"@context": "https://example.org/other-context.jsonld"})
    with pytest.raises(JsonLdError):
        block_ntriples(block, TITLE)
    with pytest.raises(JsonLdError):
        jsonld.expand(block, {"documentLoader": offline_document_loader})
