"""Reading what a page or a JSON-LD document says: start tags, embedded JSON-LD, triples."""

from __future__ import annotations

import html.parser
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph
from pyld import jsonld as pyld

from helpers.build import parse_triples
from kg.jsonld import offline_document_loader

Loader = Callable[..., dict[str, Any]]


def ld_json_blocks(page: str) -> list[str]:
    """The text of each `<script type="application/ld+json">` block of a page."""
    return re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.DOTALL)


class _Tags(html.parser.HTMLParser):
    """Start tags of a page, with attributes (what a browser would make elements of)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def start_tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


def jsonld_triples(document: object, loader: Loader = offline_document_loader,
                   mode: str = "json-ld-1.1") -> set[pyoxigraph.Triple]:
    """The triples pyld reads from a JSON-LD document, remote contexts served by `loader` (by
    default the bundled schema.org context, offline), as pyoxigraph terms; `mode` is pyld's
    processingMode (json-ld-1.0: as a JSON-LD 1.0 processor, which refuses `@version: 1.1`)."""
    options = {"format": "application/n-quads", "documentLoader": loader, "processingMode": mode}
    return parse_triples(pyld.to_rdf(document, options), "nq")


def file_loader(url: str, path: Path) -> Loader:
    """A pyld document loader that serves the JSON file `path` at `url` and refuses any other URL."""

    def load(asked: str, options: object = None) -> dict[str, Any]:
        assert asked == url, asked
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": json.loads(path.read_bytes())}

    return load
