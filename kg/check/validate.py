"""`kg validate`: any RDF files against our shapes (or any shapes), as a validation run.

Never fetches anything: files are parsed by pyoxigraph's strict parsers, offline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from kg.check.engine import Engine, ShaclResult, ValidationOutcome

FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
    "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
}
EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld",
              ".rdf": "rdfxml", ".xml": "rdfxml", ".owl": "rdfxml"}


class DataError(Exception):
    """A data file that cannot be used: missing, unknown format, or not parseable (with position)."""


def load_ntriples(paths: list[Path], fmt: str | None = None) -> tuple[str, int]:
    """All data files as one N-Triples text (one data graph) and its triple count."""
    chunks: list[bytes] = []
    seen: set[pyoxigraph.Triple] = set()
    for path in paths:
        name = fmt or EXTENSIONS.get(path.suffix.lower())
        if name is None:
            raise DataError(f"{path}: unknown RDF format (use --syntax {'|'.join(FORMATS)})")
        if not path.is_file():
            raise DataError(f"{path}: no such file")
        try:
            quads = list(pyoxigraph.parse(path=str(path), format=FORMATS[name], base_iri=path.resolve().as_uri()))
        except SyntaxError as exc:
            where = f" at line {exc.lineno}, column {exc.offset}" if exc.lineno is not None else ""
            raise DataError(f"{path}: syntax error{where}: {exc.msg}") from exc
        except (OSError, ValueError) as exc:
            raise DataError(f"{path}: {exc}") from exc
        new = [t for t in dict.fromkeys(q.triple for q in quads) if t not in seen]  # one graph: a triple once
        seen.update(new)
        chunks.append(pyoxigraph.serialize(new, format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")
    return b"".join(chunks).decode("utf-8"), len(seen)


@dataclass(frozen=True)
class Summary:
    by_severity: Counter[str]
    by_shape: dict[tuple[str, str, str], list[str]]  # (severity, shape, message) → focus nodes


def summarise(outcome: ValidationOutcome) -> Summary:
    by_severity: Counter[str] = Counter()
    by_shape: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for result in outcome.results:
        by_severity[result.severity_name] += 1
        key = (result.severity_name, result.source_shape or "", _message(result))
        by_shape[key].append(result.focus_node)
    return Summary(by_severity, dict(by_shape))


def _message(result: ShaclResult) -> str:
    return result.message or result.component_name


def run(engine: Engine, paths: list[Path], fmt: str | None = None) -> tuple[ValidationOutcome, int]:
    """DataError when the files hold no triple at all: nothing checked is not "0 violations"."""
    text, count = load_ntriples(paths, fmt)
    if count == 0:
        names = ", ".join(str(p) for p in paths)
        raise DataError(f"{names}: no triples to check (an empty file, or JSON that is not JSON-LD?)")
    return engine.validate_ntriples(text), count
