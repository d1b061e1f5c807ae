"""JSON-LD from the finished N-Triples file: one document compacted with our own context, streamed.

Never holds the graph in memory: the N-Triples are read with pyoxigraph's streaming parser and each
run of consecutive lines with the same subject becomes one node object of `@graph`, written at once
(`kg build` writes every subject's triples as one block: a record, its image, its annotations, each
entity once, the dataset node last);
besides that subject's triples only a bounded cache of compacted IRIs is kept.
A subject that comes back later in a file simply gets a second node object with the same `@id`,
which JSON-LD merges: the document always holds exactly the triples of the file.

The context is `kg/context/pfocr.jsonld` (no `@vocab`: one explicit term per property we write,
`"@type": "@id"` on IRI-valued ones, `"@type": "xsd:…"` on typed literals): JSON-LD 1.0 features
only, so it declares no `@version` and 1.0 processors read it as 1.1 ones do (a `"@version": 1.1`
makes a 1.0 processor refuse the document; tested with pyld in json-ld-1.0 mode). Two vocabularies
sharing a local name get two terms: `organismName` is wp:organismName and `unresolvedOrganismName`
pfocr:organismName; `license`, `description` are schema.org's and `dctermsLicense`,
`dctermsDescription` the dataset node's dcterms: ones; `VoidDataset` is void:Dataset. Compaction is done
here, directly from that context, following the JSON-LD 1.1 compaction rules for the cases N-Triples
can hold (the tests compare every node object with pyld's own compaction): `@type` for rdf:type,
a property's term when the value fits the term's type, a value object under the term when the
term has no type, else the compact IRI (`pfocr:countDirect`) with an explicit value object. Literal
values are always strings (never JSON numbers), so every lexical form survives unchanged.
Same input, same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph

from kg.vocab import RDF, XSD
from kg.write.atomic import AtomicFile, OutputError

CONTEXT_RESOURCE = "context/pfocr.jsonld"
# Where the context is to be published; documents written with `context_url=CONTEXT_URL` name it
# instead of carrying it inline (then only `document_loader` below, or the published file, resolves it).
CONTEXT_URL = "https://w3id.org/pfocr-kg/context.jsonld"

_RDF_TYPE = RDF + "type"
_XSD_STRING = XSD + "string"
_GEN_DELIMS = tuple(":/?#[]@")
_FLUSH_BYTES = 1 << 20

Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple


@lru_cache(maxsize=1)
def context_document() -> dict[str, Any]:
    """Our context document, `{"@context": {...}}`, as shipped in the package."""
    text = resources.files("kg").joinpath(CONTEXT_RESOURCE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld `documentLoader` that never touches the network: our context at CONTEXT_URL, the
    bundled schema.org context at schema.org's URLs (kg.jsonld), an error for anything else."""
    # pyld (with requests) is imported only when JSON-LD is written: ~70 ms of every start-up.
    from pyld.jsonld import JsonLdError

    from kg.jsonld import offline_document_loader

    if url == CONTEXT_URL:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads(json.dumps(context_document())),  # pyld may not get our copy
        }
    try:
        return offline_document_loader(url, options)
    except JsonLdError:
        raise JsonLdError(
            f"Refusing to load {url!r}: only the pfocr-kg context ({CONTEXT_URL}) and the bundled "
            "schema.org context are available (kg never fetches from the network).",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        ) from None


class Compactor:
    """Node objects compacted with one JSON-LD context of prefixes and simple or typed terms."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes: list[tuple[str, str]] = []  # (prefix, IRI) usable to build compact IRIs
        self._vocab_terms: dict[str, str] = {}  # IRI → term without type (rdf:type values)
        # property IRI → {None (untyped) | "@id" | datatype IRI: term}
        self._property_terms: dict[str, dict[str | None, str]] = {}
        simple = {k: v for k, v in context.items() if not k.startswith("@") and isinstance(v, str)}
        for term, value in sorted(simple.items(), key=lambda kv: (len(kv[0]), kv[0])):
            if value.endswith(_GEN_DELIMS) and "://" in value:
                self.prefixes.append((term, value))
        for term, value in sorted(context.items(), key=lambda kv: (len(kv[0]), kv[0])):
            if term.startswith("@"):
                continue
            if isinstance(value, str):
                iri, coercion = self._expand(value), None
            elif isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
                iri = self._expand(value["@id"])
                kind = value.get("@type")
                coercion = None if kind is None else "@id" if kind == "@id" else self._expand(kind)
            else:
                raise ValueError(f"context term {term!r}: only simple terms with @id and @type are supported")
            if coercion is None:
                self._vocab_terms.setdefault(iri, term)
            self._property_terms.setdefault(iri, {}).setdefault(coercion, term)
        self._schemes = {t for t in context if not t.startswith("@")}
        # Fast path: when no prefix IRI starts another, at most one prefix fits an IRI, found by one
        # regex match; otherwise every prefix is tried (the general rule: shortest, then least).
        bases = [base for _, base in self.prefixes]
        self._base_term: dict[str, str] = {}
        for prefix, base in self.prefixes:  # sorted: the shortest (then least) term wins a shared IRI
            self._base_term.setdefault(base, prefix)
        self._nested = any(a != b and b.startswith(a) for a in bases for b in bases)
        self._prefix_re = re.compile("|".join(map(re.escape, sorted(set(bases))))) if bases else None
        # The same IRIs come back all the time (an image in each of its annotations, genes, match
        # sources): remember the latest ones. Bounded, so memory stays flat.
        self.compact_iri = lru_cache(maxsize=1 << 16)(self._compact_iri)

    def _expand(self, value: str) -> str:
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//"):
            for name, iri in self.prefixes:
                if name == prefix:
                    return iri + suffix
        if "://" in value:
            return value
        raise ValueError(f"context value {value!r} is neither an absolute IRI nor a compact IRI")

    def _compact_iri(self, iri: str) -> str:
        """An IRI in a value position (`@id`, `"@type": "@id"`): the shortest compact IRI, else the IRI."""
        best: str | None = None
        if not self._nested:
            match = self._prefix_re.match(iri) if self._prefix_re is not None else None
            if match is not None and len(iri) > match.end() and not iri.startswith("//", match.end()):
                best = f"{self._base_term[match.group()]}:{iri[match.end():]}"
        else:
            best = self._best_compact_iri(iri)
        if best is not None:
            return best
        scheme = iri.partition(":")[0]
        if scheme in self._schemes:  # would be read back as a compact IRI
            raise ValueError(f"IRI {iri!r} cannot be written: its scheme is a term of the context")
        return iri

    def _best_compact_iri(self, iri: str) -> str | None:
        best: str | None = None
        for prefix, base in self.prefixes:
            if iri.startswith(base) and len(iri) > len(base):
                suffix = iri[len(base):]
                if suffix.startswith("//"):
                    continue
                candidate = f"{prefix}:{suffix}"
                if best is None or (len(candidate), candidate) < (len(best), best):
                    best = candidate
        return best

    def compact_vocab(self, iri: str) -> str:
        """An IRI in a vocabulary position (`@type` values, keys): an untyped term, else compact."""
        return self._vocab_terms.get(iri) or self.compact_iri(iri)

    def _value(self, obj: Term) -> tuple[str | None, Any]:
        """(the term type that takes `obj` as a bare string, the value object otherwise)."""
        if isinstance(obj, pyoxigraph.NamedNode):
            return "@id", {"@id": self.compact_iri(obj.value)}
        if isinstance(obj, pyoxigraph.BlankNode):
            return "@id", {"@id": f"_:{obj.value}"}
        if isinstance(obj, pyoxigraph.Triple):
            raise TypeError(f"a triple term (RDF 1.2) has no JSON-LD 1.1 form: {obj}")
        if obj.language:
            return "", {"@value": obj.value, "@language": obj.language}
        datatype = obj.datatype.value
        if datatype == _XSD_STRING:
            return None, obj.value
        return datatype, {"@value": obj.value, "@type": self.compact_vocab(datatype)}

    def key_and_value(self, predicate: str, obj: Term) -> tuple[str, Any]:
        terms = self._property_terms.get(predicate, {})
        kind, value = self._value(obj)
        if kind is not None and kind in terms:  # the term's type turns a bare string into `obj`
            bare = value["@id"] if kind == "@id" else value["@value"]
            return terms[kind], bare
        if None in terms:  # an untyped term takes strings and value objects
            return terms[None], value
        return self.compact_iri(predicate), value

    def node(self, subject: Subject, pairs: Iterable[tuple[str, Term]]) -> dict[str, Any]:
        """One node object from the subject's (predicate IRI, object) pairs, in their order."""
        if isinstance(subject, pyoxigraph.Triple):
            raise TypeError(f"a triple term (RDF 1.2) has no JSON-LD 1.1 form: {subject}")
        node: dict[str, Any] = {
            "@id": self.compact_iri(subject.value) if isinstance(subject, pyoxigraph.NamedNode) else f"_:{subject.value}"
        }
        types: list[str] = []
        properties: dict[str, list[Any]] = {}
        for predicate, obj in pairs:
            if predicate == _RDF_TYPE and isinstance(obj, pyoxigraph.NamedNode):
                types.append(self.compact_vocab(obj.value))
                continue
            key, value = self.key_and_value(predicate, obj)
            properties.setdefault(key, []).append(value)
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        for key, values in properties.items():
            node[key] = values[0] if len(values) == 1 else values
        return node


@lru_cache(maxsize=1)
def _default_compactor() -> Compactor:
    return Compactor(context_document()["@context"])


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def jsonld_chunks(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad], context_url: str | None = None) -> Iterator[str]:
    """The document's text, piece by piece: header, one line per node object, footer.

    `triples` are consumed lazily; only the current subject's triples are held. The context is
    written inline unless `context_url` is given."""
    compactor = _default_compactor()
    if context_url is None:  # one entry a line, as in kg/context/pfocr.jsonld
        entries = context_document()["@context"].items()
        context = "{\n" + ",\n".join(f"    {_dump(k)}: {_dump(v)}" for k, v in entries) + "\n  }"
    else:
        context = _dump(context_url)
    yield '{\n  "@context": ' + context + ',\n  "@graph": ['
    first = True
    subject: Subject | None = None
    pairs: dict[tuple[str, Term], None] = {}  # ordered, without repeats

    def flush() -> str:
        assert subject is not None
        return ("\n    " if first else ",\n    ") + _dump(compactor.node(subject, pairs))

    for triple in triples:
        if triple.subject != subject:
            if subject is not None:
                yield flush()
                first = False
            subject = triple.subject
            pairs = {}
        pairs[(triple.predicate.value, triple.object)] = None
    if subject is not None:
        yield flush()
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def ntriples_to_jsonld(nt_path: Path, jsonld_path: Path, context_url: str | None = None) -> AtomicFile:
    """Write `jsonld_path` under its temp name, finished; the caller publishes it (like Turtle)."""
    out = AtomicFile(jsonld_path)
    try:
        triples = pyoxigraph.parse(path=str(nt_path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        buffer: list[bytes] = []
        size = 0
        for chunk in jsonld_chunks(triples, context_url):
            data = chunk.encode("utf-8")
            buffer.append(data)
            size += len(data)
            if size >= _FLUSH_BYTES:
                out.write(b"".join(buffer))
                buffer.clear()
                size = 0
        out.write(b"".join(buffer))
        out.finish()
    except OSError as exc:
        out.abort()
        raise OutputError(jsonld_path, exc) from exc
    except BaseException:
        out.abort()
        raise
    return out
