"""One interface over two SHACL engines (pySHACL, the reference; `shacl`, in Rust) for gate and validate.

Never touches the network: shapes and data come from text or local files; owl:imports are not followed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self, runtime_checkable

import pyoxigraph as ox

SH = "http://www.w3.org/ns/shacl#"
SH_VIOLATION = f"<{SH}Violation>"
SH_WARNING = f"<{SH}Warning>"
SH_INFO = f"<{SH}Info>"

ENGINE_NAMES = ("pyshacl", "shacl")  # the general engines; kg.check.gate.ENGINE_CHOICES adds "compiled"
# The format names this module accepts, and what each engine calls them.
_FORMATS = {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples",
            "rdfxml": "rdfxml", "xml": "rdfxml"}
_EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".rdf": "rdfxml", ".owl": "rdfxml"}
_SHACL_FILE_EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".rdf": "rdfxml"}  # what shacl guesses
_RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML}
_REPORT_FORMATS = {"turtle": "turtle", "ttl": "turtle", "ntriples": "ntriples", "nt": "ntriples"}

# Guards rdflib's process-wide literal settings (NORMALIZE_LITERALS, the xsd:boolean mapping),
# which pySHACL flips on every call and this module flips while parsing.
_RDFLIB_GLOBALS = threading.RLock()


class EngineUnavailable(ImportError):
    """The Python package behind a SHACL engine is not installed."""


@dataclass(frozen=True)
class ShaclResult:
    """One sh:ValidationResult, the same strings whichever engine found it.

    Every term field (focus_node, value, source_shape, and component and severity too) is in
    N-Triples form as pyoxigraph prints it, i.e. RDF 1.1 canonical N-Triples: IRIs `<http://...>`;
    literals `"lex"`, `"lex"@lang` (tag in lower case) or `"lex"^^<datatype>` (never
    `^^xsd:string`), with the lexical form as written in the data ("01"^^xsd:integer stays "01").
    `path` is `<iri>` for a bare predicate, else SPARQL property-path text written the same way for
    both engines: sequence `(a/b)`, alternative `(a|b)`, inverse `^a`, `(a)*`, `(a)+`, `(a)?`.
    A blank node is `_:` plus the engine's own label: distinct blank nodes get distinct labels within
    one outcome, but labels are NOT comparable between engines, between runs, or with the labels of
    the input text (a property shape written as `sh:property [ ... ]` has a blank source_shape).

    `message` is human text and engine-specific (pySHACL writes one when the shape has no
    sh:message, shacl gives None; with several sh:message pySHACL's is the smallest, shacl's the
    first declared), so it takes no part in equality or hashing."""

    focus_node: str
    path: str | None
    component: str  # e.g. "<http://www.w3.org/ns/shacl#MinCountConstraintComponent>"
    severity: str  # SH_VIOLATION, SH_WARNING or SH_INFO
    source_shape: str | None
    value: str | None
    message: str | None = field(default=None, compare=False)

    @property
    def component_name(self) -> str:
        """Local name, e.g. "MinCountConstraintComponent"."""
        return _local_name(self.component)

    @property
    def severity_name(self) -> str:
        """Local name: "Violation", "Warning" or "Info"."""
        return _local_name(self.severity)

    def sort_key(self) -> tuple[str, ...]:
        return (self.focus_node, self.path or "", self.component, self.severity, self.value or "",
                self.source_shape or "", self.message or "")


@dataclass(frozen=True)
class ValidationOutcome:
    """What one validation run found. `results` are sorted by ShaclResult.sort_key."""

    engine: str
    conforms: bool
    results: tuple[ShaclResult, ...]
    _serialize: Callable[[str], str] = field(repr=False, compare=False)

    @property
    def violations(self) -> tuple[ShaclResult, ...]:
        """The results of severity sh:Violation (what a gate should refuse)."""
        return tuple(r for r in self.results if r.severity == SH_VIOLATION)

    def report(self, format: str = "turtle") -> str:
        """The W3C sh:ValidationReport graph as the engine wrote it: "turtle" or "ntriples"."""
        try:
            return self._serialize(_REPORT_FORMATS[format])
        except KeyError:
            raise ValueError(f"unsupported report format {format!r}; use turtle or ntriples") from None


@runtime_checkable
class Engine(Protocol):
    """A SHACL Core engine (no inference, no SHACL-AF) with its shapes graph compiled once.

    Made by `get_engine(name, shapes_paths)`, or by the classmethods `from_files(paths)` and
    `from_turtle(text, base=None)` of PyShaclEngine / RustShaclEngine."""

    name: str  # "pyshacl" or "shacl"

    def validate_ntriples(self, text: str) -> ValidationOutcome:
        """Validate a data graph given as N-Triples text."""
        ...

    def validate_graph_file(self, path: str | os.PathLike[str], format: str | None = None) -> ValidationOutcome:
        """Validate an RDF file ("turtle", "ntriples", "rdfxml"; default: from the extension).

        Relative IRIs resolve against the file's own file:// IRI."""
        ...


class _EngineBase:
    """Shared constructors: both engines get the same shapes, as one merged N-Triples document."""

    name: str

    def __init__(self, shapes_ntriples: str) -> None:
        raise NotImplementedError

    def validate_ntriples(self, text: str) -> ValidationOutcome:
        raise NotImplementedError

    def validate_graph_file(self, path: str | os.PathLike[str], format: str | None = None) -> ValidationOutcome:
        raise NotImplementedError

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike[str]]) -> Self:
        """Shapes from Turtle (or other RDF) files, merged; each file's base IRI is its file:// IRI."""
        return cls(shapes_ntriples_from_files(paths))

    @classmethod
    def from_turtle(cls, text: str, base: str | None = None) -> Self:
        """Shapes from Turtle text; `base` resolves relative IRIs (None: relative IRIs are an error)."""
        return cls(_to_ntriples(ox.parse(text, ox.RdfFormat.TURTLE, base_iri=base, rename_blank_nodes=True)))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class PyShaclEngine(_EngineBase):
    """pySHACL, the reference: rdflib graphs, inference 'none', shapes graph parsed once.

    The shapes are parsed the way pySHACL parses a shapes source itself (its rdflib_bool_patch:
    literals as written, only "true" is boolean true, so `sh:uniqueLang "1"^^xsd:boolean` is not
    `true`, as W3C property/uniqueLang-002 wants). The data is parsed with rdflib's literal
    normalisation off, so results carry values as written instead of rdflib's rewrite of them
    ("2011-01-01"^^xsd:dateTime is not turned into "2011-01-01T00:00:00"). pySHACL flips rdflib's
    process-wide literal settings on every call, so runs hold a lock: one validation at a time."""

    name = "pyshacl"

    def __init__(self, shapes_ntriples: str) -> None:
        try:
            import pyshacl
            import rdflib
            from pyshacl.monkey import rdflib_bool_patch, rdflib_bool_unpatch
        except ImportError as exc:
            raise _unavailable("pyshacl", exc) from exc
        self._rdflib = rdflib
        self._validate = pyshacl.validate
        with _RDFLIB_GLOBALS:
            saved = rdflib.NORMALIZE_LITERALS
            rdflib_bool_patch()
            try:
                self._shapes = rdflib.Graph().parse(data=shapes_ntriples, format="nt")
            finally:
                rdflib_bool_unpatch()
                rdflib.NORMALIZE_LITERALS = saved

    def validate_ntriples(self, text: str) -> ValidationOutcome:
        return self._run(lambda graph: graph.parse(data=text, format="nt"))

    def validate_graph_file(self, path: str | os.PathLike[str], format: str | None = None) -> ValidationOutcome:
        path, fmt = _file_and_format(path, format)
        return self._run(lambda graph: graph.parse(path, format=_RDFLIB_FORMATS[fmt], publicID=Path(path).as_uri()))

    def _run(self, load: Callable[[Any], Any]) -> ValidationOutcome:
        with _RDFLIB_GLOBALS:
            saved = self._rdflib.NORMALIZE_LITERALS
            self._rdflib.NORMALIZE_LITERALS = False
            try:
                graph = load(self._rdflib.Graph())
            finally:
                self._rdflib.NORMALIZE_LITERALS = saved
            conforms, report, _text = self._validate(
                graph, shacl_graph=self._shapes, inference="none", advanced=False, abort_on_first=False,
                allow_infos=False, allow_warnings=False, do_owl_imports=False, meta_shacl=False,
            )
            self._rdflib.NORMALIZE_LITERALS = saved  # pySHACL's unpatch forces True
        results = tuple(sorted(_rdflib_results(report), key=ShaclResult.sort_key))
        return ValidationOutcome(self.name, bool(conforms), results, lambda fmt: _rdflib_report_text(report, fmt))


class RustShaclEngine(_EngineBase):
    """The `shacl` package (Rust): shapes compiled once into an immutable object; threads may share it
    (validation releases the GIL)."""

    name = "shacl"

    def __init__(self, shapes_ntriples: str) -> None:
        try:
            import shacl
        except ImportError as exc:
            raise _unavailable("shacl", exc) from exc
        self._shapes = shacl.Shapes.from_text(shapes_ntriples, format="ntriples")

    def validate_ntriples(self, text: str) -> ValidationOutcome:
        return self._outcome(self._shapes.validate_text(text, format="ntriples", inference="none"))

    def validate_graph_file(self, path: str | os.PathLike[str], format: str | None = None) -> ValidationOutcome:
        path, fmt = _file_and_format(path, format)
        if _SHACL_FILE_EXTENSIONS.get(Path(path).suffix.lower()) == fmt:
            # The engine reads the file itself, with the file:// IRI as base.
            return self._outcome(self._shapes.validate_file(path, inference="none"))
        text = Path(path).read_text("utf-8")
        return self._outcome(
            self._shapes.validate_text(text, format=fmt, base=Path(path).as_uri(), inference="none"))

    def _outcome(self, report: Any) -> ValidationOutcome:
        results = [_shacl_result(
            r.focus_node, r.path, f"<{r.component_iri}>", f"<{r.severity_iri}>", r.source_shape, r.value, r.message,
        ) for r in report.results]
        results.sort(key=ShaclResult.sort_key)
        return ValidationOutcome(self.name, bool(report.conforms), tuple(results), report.serialize)


def _shacl_result(
    focus_node: str, path: str | None, component: str, severity: str, source_shape: str | None,
    value: str | None, message: str | None,
) -> ShaclResult:
    """ShaclResult(...) without the frozen dataclass's __init__, one object.__setattr__ a field
    (~half the cost of turning a figure's results into ShaclResults): the same attributes in the
    same order, so equal, hashed and pickled alike."""
    result = _new_object(ShaclResult)
    result.__dict__.update(focus_node=focus_node, path=path, component=component, severity=severity,
                           source_shape=source_shape, value=value, message=message)
    return result


_new_object = object.__new__


ENGINES: dict[str, type[_EngineBase]] = {
    PyShaclEngine.name: PyShaclEngine,
    RustShaclEngine.name: RustShaclEngine,
}


def get_engine(name: str, shapes_paths: Sequence[str | os.PathLike[str]]) -> Engine:
    """The general engine called `name` ("pyshacl" or "shacl") with the shapes in `shapes_paths`
    compiled (the compiled checker builds on this module: kg.check.gate makes it).

    Raises ValueError for an unknown name, EngineUnavailable if its package is not installed."""
    try:
        cls = ENGINES[name]
    except KeyError:
        raise ValueError(f"unknown SHACL engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}") from None
    if not shapes_paths:
        raise ValueError("no shapes files given")
    return cls.from_files(shapes_paths)


def shapes_ntriples_from_files(paths: Iterable[str | os.PathLike[str]]) -> str:
    """Merge RDF files into one N-Triples document (blank nodes renamed apart, bases = file IRIs)."""
    chunks = []
    for p in paths:
        path, fmt = _file_and_format(p, None)
        chunks.append(_to_ntriples(ox.parse(path=path, format=_OX_FORMATS[fmt], base_iri=Path(path).as_uri(),
                                            rename_blank_nodes=True)))
    return "".join(chunks)


# --- helpers -------------------------------------------------------------------------------------

def _unavailable(package: str, exc: ImportError) -> EngineUnavailable:
    return EngineUnavailable(
        f"SHACL engine {package!r} needs the Python package {package!r}, which is not importable "
        f"({exc}); install it, e.g. `pip install {package}`")


def _file_and_format(path: str | os.PathLike[str], format: str | None) -> tuple[str, str]:
    absolute = os.path.abspath(os.fspath(path))
    if format is None:
        fmt = _EXTENSIONS.get(Path(absolute).suffix.lower())
        if fmt is None:
            raise ValueError(f"{os.fspath(path)}: not RDF the shapes can be read from (its extension is none of "
                             f"{', '.join(_EXTENSIONS)})")
        return absolute, fmt
    try:
        return absolute, _FORMATS[format.lower()]
    except KeyError:
        raise ValueError(f"unsupported RDF format {format!r}; use turtle, ntriples or rdfxml") from None


def _to_ntriples(quads: Iterable[Any]) -> str:
    return _ox_text([q.triple if isinstance(q, ox.Quad) else q for q in quads], ox.RdfFormat.N_TRIPLES)


def _ox_text(triples: Iterable[Any], fmt: ox.RdfFormat, prefixes: dict[str, str] | None = None) -> str:
    data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    assert data is not None  # no output file given: pyoxigraph returns the bytes
    return data.decode("utf-8")


def _local_name(term: str) -> str:
    iri = term[1:-1] if term.startswith("<") else term
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def rdflib_term_nt(term: Any) -> str:
    """An rdflib term in this module's N-Triples form (as pyoxigraph prints it)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        try:
            if term.language:
                return str(ox.Literal(str(term), language=term.language))
            if term.datatype is not None:
                return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
            return str(ox.Literal(str(term)))
        except ValueError:  # a language tag or datatype IRI pyoxigraph refuses: print it as given
            return term.n3()
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_path_text(graph: Any, node: Any) -> str:
    """A SHACL path node in `graph` as SPARQL property-path text, the way shacl renders it."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import RDF

    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        if (node, RDF.first, None) in graph:
            return "(" + "/".join(rdflib_path_text(graph, n) for n in Collection(graph, node)) + ")"
        sh = _rdflib_sh()
        alternatives = graph.value(node, sh.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(rdflib_path_text(graph, n) for n in Collection(graph, alternatives)) + ")"
        inverse = graph.value(node, sh.inversePath)
        if inverse is not None:
            return "^" + rdflib_path_text(graph, inverse)
        for predicate, suffix in ((sh.zeroOrMorePath, "*"), (sh.oneOrMorePath, "+"), (sh.zeroOrOnePath, "?")):
            inner = graph.value(node, predicate)
            if inner is not None:
                return f"({rdflib_path_text(graph, inner)}){suffix}"
    return rdflib_term_nt(node)  # not a well-formed path


def _rdflib_sh() -> Any:
    from rdflib import Namespace

    return Namespace(SH)


def _rdflib_report_text(report: Any, fmt: str) -> str:
    """A pySHACL report graph as text. Turtle goes through N-Triples and pyoxigraph because rdflib's
    Turtle serialiser writes an ill-typed xsd:boolean value (e.g. "none") bare, which is not Turtle."""
    nt = report.serialize(format="nt")
    if fmt == "ntriples":
        return str(nt)
    triples = ox.parse(nt, ox.RdfFormat.N_TRIPLES)
    return _ox_text(triples, ox.RdfFormat.TURTLE, _REPORT_PREFIXES)


_REPORT_PREFIXES = {"sh": SH, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                    "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _rdflib_results(report: Any) -> Iterator[ShaclResult]:
    """The sh:result entries of a pySHACL report graph as ShaclResults."""
    from rdflib.namespace import RDF

    sh = _rdflib_sh()
    for node in report.subjects(RDF.type, sh.ValidationReport):
        for result in report.objects(node, sh.result):
            def one(predicate: Any, result: Any = result) -> str | None:
                value = report.value(result, predicate)
                return None if value is None else rdflib_term_nt(value)

            path = report.value(result, sh.resultPath)
            messages = sorted(str(m) for m in report.objects(result, sh.resultMessage))
            yield ShaclResult(
                focus_node=one(sh.focusNode) or "",
                path=None if path is None else rdflib_path_text(report, path),
                component=one(sh.sourceConstraintComponent) or "",
                severity=one(sh.resultSeverity) or "",
                source_shape=one(sh.sourceShape),
                value=one(sh.value),
                message=messages[0] if messages else None,
            )
