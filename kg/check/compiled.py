"""A SHACL Core checker generated from a shapes graph: Python source, one function a shape, run on
triples of N-Triples terms (what the mapper makes) with no RDF parsing or engine in between.

Why: the `shacl` engine spends most of a figure's millisecond parsing text it is handed; the
shapes use a small, decidable part of SHACL Core, each constraint a dict or string test
(docs/decisions/0021). The results are the engines' (focus node, path, component, severity,
source shape, value, message), equal to `shacl`'s (tests/unit/check/test_compiled_checker.py).
A shapes graph using anything outside the supported part raises Unsupported when compiled:
the caller hands it to an engine instead, never passes it silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pyoxigraph as ox

from kg.check import sparql_rules, terms
from kg.check.data_graph import DataGraph, walk
from kg.check.engine import SH, SH_VIOLATION, ShaclResult, _shacl_result

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_TYPE = f"<{RDF}type>"
_FIRST, _REST, _NIL = f"<{RDF}first>", f"<{RDF}rest>", f"<{RDF}nil>"
_TRUE = f'"true"^^<{terms.XSD}boolean>'


def sh(name: str) -> str:
    return f"<{SH}{name}>"


class Unsupported(Exception):
    """The shapes use a SHACL construct the checker does not implement (the message says which)."""


# Shape predicates that ask nothing of the data (documentation, UI), or that the constraint
# they belong to reads itself.
_INERT = {sh(n) for n in ("name", "description", "order", "group", "defaultValue", "message", "severity",
                          "deactivated", "path", "flags", "ignoredProperties", "qualifiedMinCount",
                          "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "targetClass",
                          "targetNode", "targetSubjectsOf", "targetObjectsOf")}
_CONSTRAINTS = {sh(n) for n in ("property", "node", "class", "datatype", "nodeKind", "minCount", "maxCount",
                                "minLength", "maxLength", "pattern", "in", "hasValue", "minInclusive",
                                "maxInclusive", "minExclusive", "maxExclusive", "or", "and", "not", "xone",
                                "qualifiedValueShape", "closed", "languageIn", "uniqueLang", "sparql")}
# What a SPARQL constraint may say besides its query (kg.check.sparql_rules knows the queries).
_SPARQL_CONSTRAINT = {_TYPE, sh("select"), sh("message"),
                      f"<{RDFS}comment>", f"<{RDFS}label>"}
_NODE_KINDS = {
    "IRI": "v[0] == '<'", "BlankNode": "v[0] == '_'", "Literal": "v[0] == '\"'",
    "BlankNodeOrIRI": "v[0] != '\"'", "BlankNodeOrLiteral": "v[0] != '<'", "IRIOrLiteral": "v[0] != '_'",
}
_RANGES = {"minInclusive": ">= 0", "maxInclusive": "<= 0", "minExclusive": "> 0", "maxExclusive": "< 0"}


class _Shapes:
    """The shapes graph as (subject, predicate) → objects, in the order the text gives them."""

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.objects: dict[tuple[str, str], list[str]] = {}
        self.triples = list(triples)
        for s, p, o in self.triples:
            values = self.objects.setdefault((s, p), [])
            if o not in values:
                values.append(o)

    def all(self, node: str, predicate: str) -> list[str]:
        return self.objects.get((node, predicate), [])

    def one(self, node: str, predicate: str) -> str | None:
        values = self.all(node, predicate)
        if len(values) > 1 and predicate != sh("message"):
            raise Unsupported(f"{node} has {len(values)} values of {predicate}")
        return values[0] if values else None

    def items(self, node: str) -> list[str]:
        """An RDF list's members."""
        out, seen = [], set()
        while node != _NIL:
            first = self.one(node, _FIRST)
            if first is None or node in seen:
                raise Unsupported(f"{node} is not a well-formed RDF list")
            seen.add(node)
            out.append(first)
            node = self.one(node, _REST) or _NIL
        return out


class _Generator:
    """Writes the checker's source: `v<n>(f, G, R)` adds shape n's results for focus node f to R;
    `c<n>(f, G)` says whether f conforms to it (for or, and, not, xone, node, qualified)."""

    def __init__(self, shapes: _Shapes) -> None:
        self.g = shapes
        self.numbers: dict[str, int] = {}
        self.constants: dict[str, Any] = {}
        self.functions: list[str] = []
        self.busy: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()  # (shape, component) of every test written
        self.pure_tests: dict[str, tuple[str, str]] = {}  # shape → (memo, function): _pure

    def const(self, value: Any) -> str:
        name = f"K{len(self.constants)}"
        self.constants[name] = value
        return name

    def shape(self, node: str) -> int:
        """The number of the shape's functions, generating them on first use."""
        number = self.numbers.get(node)
        if number is not None:
            return number
        if node in self.busy:
            raise Unsupported(f"recursive shape {node}")
        if node[0] == '"':
            raise Unsupported(f"a literal used as a shape: {node}")
        self.busy.add(node)
        body, conforms = self._body(node), self._body(node, conform=True)
        self.busy.discard(node)
        number = self.numbers[node] = len(self.numbers)
        self.functions.append("\n".join([f"def v{number}(f, G, R):  # {node}", *body, "    pass"]))
        self.functions.append("\n".join([f"def c{number}(f, G):  # {node}", *conforms, "    return True"]))
        return number

    def _body(self, node: str, conform: bool = False) -> list[str]:
        """Shape `node`'s checks of focus node `f`: results added to R, or (`conform`) return
        False at the first."""
        g = self.g
        for s, p, _o in g.triples:
            if s == node and p.startswith(f"<{SH}") and p not in _INERT and p not in _CONSTRAINTS:
                raise Unsupported(f"{node} uses {p}")
        if g.one(node, sh("deactivated")) == _TRUE:
            return []
        path = g.one(node, sh("path"))
        severity = g.one(node, sh("severity")) or SH_VIOLATION
        messages = g.all(node, sh("message"))
        message = terms.split_literal(messages[0])[0] if messages else None
        path_text = None if path is None else self.path_text(path)
        head = f"R.append((f, {self.const(path_text)}, {{c}}, {self.const(severity)}, {self.const(node)}, {{v}}, " \
               f"{self.const(message)}))"

        def report(component: str, value: str) -> str:
            if conform:
                return "return False"
            self.pairs.add((node, sh(component + "ConstraintComponent")))
            return head.format(c=self.const(sh(component + "ConstraintComponent")), v=value)

        lines: list[str] = []
        if path is None:
            lines.append("    vs = (f,)")
        elif path[0] == "<":
            lines.append(f"    vs = G.out.get(f, E).get({self.const(path)}, ())")
        else:
            lines.append(f"    vs = walk({self.const(self.path_plan(path))}, f, G)")
        tests: list[str] = []  # per value node, tests that read the graph
        pure: list[tuple[str, str]] = []  # per value node, tests of the value alone: (condition, component)

        def each(condition: str, component: str) -> None:
            if "G" in condition:
                tests.append(f"        if not ({condition}):\n            {report(component, 'v')}")
            else:
                report(component, "v")  # (the pair is counted)
                pure.append((condition, component))

        for kind, cond in (("minCount", "len(vs) >= {n}"), ("maxCount", "len(vs) <= {n}")):
            n = g.one(node, sh(kind))
            if n is not None:
                if path is None:
                    raise Unsupported(f"sh:{kind} on node shape {node}")
                lines.append(f"    if not ({cond.format(n=self.integer(n))}):\n        {report(kind[0].upper() + kind[1:], 'None')}")
        cls = g.all(node, sh("class"))
        for c in cls:
            each(f"{self.const(c)} in G.types.get(v, ())", "Class")
        for dt in g.all(node, sh("datatype")):
            if dt[1:-1] not in terms.KNOWN_DATATYPES:
                raise Unsupported(f"sh:datatype {dt}")
            if dt == f"<{terms.XSD}string>":
                each("v[0] == '\"' and v[-1] == '\"'", "Datatype")
            else:
                each(f"has_datatype(v, {self.const(dt[1:-1])})", "Datatype")
        for kind in g.all(node, sh("nodeKind")):
            name = kind.removeprefix(f"<{SH}").removesuffix(">")
            if name not in _NODE_KINDS:
                raise Unsupported(f"sh:nodeKind {kind}")
            each(_NODE_KINDS[name], "NodeKind")
        for kind, op in (("minLength", ">="), ("maxLength", "<=")):
            for n in g.all(node, sh(kind)):
                each(f"(t := text(v)) is not None and len(t) {op} {self.integer(n)}", kind[0].upper() + kind[1:])
        flags_term = g.one(node, sh("flags"))
        flags = terms.split_literal(flags_term)[0] if flags_term else ""
        for pattern in g.all(node, sh("pattern")):
            try:
                regex = terms.python_regex(terms.split_literal(pattern)[0], flags)
            except (ValueError, terms.re.error) as exc:
                raise Unsupported(f"sh:pattern {pattern}: {exc}") from exc
            each(f"(t := text(v)) is not None and {self.const(regex)}.search(t) is not None", "Pattern")
        for in_list in g.all(node, sh("in")):
            each(f"v in {self.const(frozenset(g.items(in_list)))}", "In")
        for kind, op in _RANGES.items():
            for bound in g.all(node, sh(kind)):
                number = terms.number(bound) if bound[0] == '"' else None
                if number is None:
                    raise Unsupported(f"sh:{kind} {bound} (only numeric bounds)")
                each(f"(n := compare(v, {self.const(number)})) is not None and n {op}", kind[0].upper() + kind[1:])
        for in_list in g.all(node, sh("languageIn")):
            ranges = tuple(terms.split_literal(t)[0].lower() for t in g.items(in_list))
            each(f"(t := language(v)) is not None and lang_matches(t, {self.const(ranges)})", "LanguageIn")
        for member in g.all(node, sh("node")):
            each(self.conforms(member), "Node")
        for or_list in g.all(node, sh("or")):
            each(" or ".join(f"({self.conforms(m)})" for m in g.items(or_list)) or "False", "Or")
        for and_list in g.all(node, sh("and")):
            each(" and ".join(f"({self.conforms(m)})" for m in g.items(and_list)) or "True", "And")
        for member in g.all(node, sh("not")):
            each(f"not ({self.conforms(member)})", "Not")
        for xone_list in g.all(node, sh("xone")):
            each(f"[{', '.join(self.conforms(m) for m in g.items(xone_list))}].count(True) == 1", "Xone")
        closed = g.one(node, sh("closed"))
        if closed == _TRUE:
            if path is not None:
                raise Unsupported(f"sh:closed on property shape {node}")
            allowed = {g.one(p, sh("path")) for p in g.all(node, sh("property"))}
            ignored = g.one(node, sh("ignoredProperties"))
            allowed.update(g.items(ignored) if ignored else ())
            closed_report = (f"R.append((f, p, {self.const(sh('ClosedConstraintComponent'))}, {self.const(severity)}, "
                             f"{self.const(node)}, o, {self.const(message)}))")
            if conform:
                closed_report = "return False"
            else:
                self.pairs.add((node, sh("ClosedConstraintComponent")))
            lines.append(f"    for p, os in G.out.get(f, E).items():\n"
                         f"        if p not in {self.const(frozenset(allowed))}:\n"
                         f"            for o in os:\n                {closed_report}")
        elif closed is not None and closed != f'"false"^^<{terms.XSD}boolean>':
            raise Unsupported(f"sh:closed {closed}")
        if pure:
            memo, test = self._pure(node, pure)
            found = "        if bad:\n            return False" if conform else (
                "        for c in bad:\n            " + head.format(c="c", v="v"))
            tests.insert(0, f"        bad = {memo}.get(v)\n        if bad is None:\n"
                            f"            bad = {memo}[v] = {test}(v)\n{found}")
        if tests:
            lines.append("    for v in vs:\n" + "\n".join(tests))
        for has in g.all(node, sh("hasValue")):
            lines.append(f"    if {self.const(has)} not in vs:\n        {report('HasValue', 'None')}")
        unique = g.one(node, sh("uniqueLang"))
        if unique == _TRUE:
            if path is None:
                raise Unsupported(f"sh:uniqueLang on node shape {node}")
            lines.append(f"    for t in unique_lang_clashes(vs):\n        {report('UniqueLang', 'None')}")
        qualified = g.one(node, sh("qualifiedValueShape"))
        if qualified is not None:
            if g.one(node, sh("qualifiedValueShapesDisjoint")) == _TRUE:
                raise Unsupported(f"sh:qualifiedValueShapesDisjoint on {node}")
            lines.append(f"    q = sum(1 for v in vs if {self.conforms(qualified)})")
            for kind, op in (("qualifiedMinCount", ">="), ("qualifiedMaxCount", "<=")):
                n = g.one(node, sh(kind))
                if n is not None:
                    component = "QualifiedM" + kind[len("qualifiedM"):]
                    lines.append(f"    if not (q {op} {self.integer(n)}):\n        {report(component, 'None')}")
        for constraint in g.all(node, sh("sparql")):
            rows = self._sparql(constraint, node, path_text, severity, message)
            lines.append(rows.split("\n")[0] + "\n        return False" if conform else rows)
        for member in g.all(node, sh("property")):
            if path is None:  # its checks written here, on the focus node's properties found once
                lines += self._inlined(member, conform)
            elif conform:
                lines.append(f"    for v in vs:\n        if not c{self.shape(member)}(v, G):\n            return False")
            else:
                lines.append(f"    for v in vs:\n        v{self.shape(member)}(v, G, R)")
        if path is None and any("O.get(" in line for line in lines):
            lines.insert(0, "    O = G.out.get(f, E)")
        return lines

    def _sparql(self, constraint: str, node: str, path_text: str | None, severity: str, message: str | None) -> str:
        """A SHACL-SPARQL constraint whose query kg.check.sparql_rules knows; $this is the focus node."""
        g = self.g
        for s, p, _o in g.triples:
            if s == constraint and p not in _SPARQL_CONSTRAINT:
                raise Unsupported(f"SPARQL constraint {constraint} uses {p}")
        query = g.one(constraint, sh("select"))
        rows = sparql_rules.rule(terms.split_literal(query)[0]) if query and query[0] == '"' else None
        if rows is None:
            raise Unsupported(f"the SPARQL query of {constraint} is not one kg.check.sparql_rules knows")
        messages = g.all(constraint, sh("message"))
        text = terms.split_literal(messages[0])[0] if messages else message
        component = sh("SPARQLConstraintComponent")
        self.pairs.add((node, component))
        return (f"    for p, v in {self.const(rows)}(f, G):\n"
                f"        R.append((f, {self.const(path_text)} if p is None else p, {self.const(component)}, "
                f"{self.const(severity)}, {self.const(node)}, v, {self.const(text)}))")

    def conforms(self, member: str) -> str:
        """An expression: does value node `v` conform to shape `member`? A shape that is one
        sh:class and nothing else is tested in place, any other by its c-function."""
        g = self.g
        said = {p for s, p, _o in g.triples if s == member and p != _TYPE}
        if said == {sh("class")} and len(g.all(member, sh("class"))) == 1:
            self.shape(member)  # (checked like any shape)
            return f"{self.const(g.all(member, sh('class'))[0])} in G.types.get(v, ())"
        return f"c{self.shape(member)}(v, G)"

    def _pure(self, node: str, tests: list[tuple[str, str]]) -> tuple[str, str]:
        """(memo, function) for the value-only tests of a shape: the function gives the
        components a value fails, the memo (value → them) asks it once a value."""
        found = self.pure_tests.get(node)
        if found is None:
            name = f"p{len(self.pure_tests)}"
            body = [f"def {name}(v):", "    bad = ()"]
            for condition, component in tests:
                body.append(f"    if not ({condition}):\n        bad += ({self.const(sh(component + 'ConstraintComponent'))},)")
            self.functions.append("\n".join([*body, "    return bad"]))
            found = self.pure_tests[node] = (self.const({}), name)
        return found

    def _inlined(self, member: str, conform: bool = False) -> list[str]:
        if member in self.busy:
            raise Unsupported(f"recursive shape {member}")
        self.busy.add(member)
        body = self._body(member, conform)
        self.busy.discard(member)
        return [line.replace("G.out.get(f, E).get(", "O.get(", 1) if n == 0 else line for n, line in enumerate(body)]

    def integer(self, term: str) -> int:
        lexical, _lang, dt = terms.split_literal(term) if term[0] == '"' else ("", None, None)
        if dt != f"{terms.XSD}integer" or not terms.well_formed(lexical, dt):
            raise Unsupported(f"expected an xsd:integer, found {term}")
        return int(lexical)

    def path_plan(self, node: str) -> tuple[Any, ...]:
        g = self.g
        if node[0] == "<":
            return ("p", node)
        if g.one(node, _FIRST) is not None:
            return ("seq", tuple(self.path_plan(m) for m in g.items(node)))
        for kind in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            inner = g.one(node, sh(kind))
            if inner is None:
                continue
            if kind == "alternativePath":
                return ("alt", tuple(self.path_plan(m) for m in g.items(inner)))
            if kind == "inversePath" and inner[0] != "<":
                raise Unsupported(f"inverse of a complex path at {node}")
            return (kind, self.path_plan(inner))
        raise Unsupported(f"path {node}")

    def path_text(self, node: str) -> str:
        return _path_text(self.path_plan(node))


def _path_text(plan: tuple[Any, ...]) -> str:
    kind = plan[0]
    if kind == "p":
        return str(plan[1])
    if kind == "seq":
        return "(" + "/".join(_path_text(p) for p in plan[1]) + ")"
    if kind == "alt":
        return "(" + "|".join(_path_text(p) for p in plan[1]) + ")"
    if kind == "inversePath":
        return "^" + _path_text(plan[1])
    return f"({_path_text(plan[1])}){ {'zeroOrMorePath': '*', 'oneOrMorePath': '+', 'zeroOrOnePath': '?'}[kind]}"


def unique_lang_clashes(values: Sequence[str]) -> list[str]:
    """The language tags (case-insensitive) more than one value has (sh:uniqueLang true)."""
    seen: dict[str, int] = {}
    for v in values:
        tag = terms.language(v)
        if tag:
            seen[tag.lower()] = seen.get(tag.lower(), 0) + 1
    return [tag for tag, n in seen.items() if n > 1]


def forget(memos: Sequence[dict[str, tuple[str, ...]]]) -> None:
    """Before each figure: a memo of value tests that has grown past MEMO_SIZE values is emptied
    (values recur across figures: entity IRIs, identifiers, match sources; most others do not)."""
    for memo in memos:
        if len(memo) > MEMO_SIZE:
            memo.clear()


MEMO_SIZE = 1 << 16

_RUNTIME = {"E": {}, "walk": walk, "forget": forget, "text": terms.text, "language": terms.language,
            "has_datatype": terms.has_datatype, "compare": terms.compare, "lang_matches": terms.lang_matches,
            "unique_lang_clashes": unique_lang_clashes}

Row = tuple[str, str | None, str, str, str, str | None, str | None]


class Checker:
    """The shapes graph compiled: `check(triples)` gives its results, sorted like an engine's."""

    def __init__(self, shapes_ntriples: str) -> None:
        triples = _stable_blank_labels([(str(t.subject), str(t.predicate), str(t.object))
                                        for t in ox.parse(shapes_ntriples, ox.RdfFormat.N_TRIPLES)])
        shapes = _Shapes(triples)
        for s, p, o in triples:
            if p == _TYPE and o == sh("ConstraintComponent") or p in (sh("target"), sh("rule"), sh("entailment")):
                raise Unsupported(f"{s} uses {o if p == _TYPE else p} (SHACL-SPARQL or SHACL-AF)")
        generator = _Generator(shapes)
        runs: dict[int, list[tuple[str, str]]] = {}
        for shape in _shapes_with_targets(shapes):
            number = generator.shape(shape)
            for kind, node in _targets(shapes, shape):
                runs.setdefault(number, []).append((kind, generator.const(node)))
        memos = [generator.constants[m] for m, _f in generator.pure_tests.values()]
        source = ["def check(G):", f"    forget({generator.const(memos)})", "    R = []"]
        for number, targets in runs.items():
            focus = [{"class": f"G.instances.get({node}, ())", "node": f"({node},)",
                      "subjects": f"[s for s, ps in G.out.items() if {node} in ps]",
                      "objects": f"[o for ps in G.out.values() for o in ps.get({node}, ())]"}[kind]
                     for kind, node in targets]
            nodes = focus[0] if len(focus) == 1 else f"dict.fromkeys([*{', *'.join(focus)}])"
            source.append(f"    for f in {nodes}:\n        v{number}(f, G, R)")
        source.append("    return R")
        self.source = "\n\n".join([*generator.functions, "\n".join(source)]) + "\n"
        namespace: dict[str, Any] = {**_RUNTIME, **generator.constants}
        exec(compile(self.source, "<kg.check.compiled>", "exec"), namespace)  # noqa: S102 - our own generated code
        self._check: Callable[[DataGraph], list[Row]] = namespace["check"]
        reported = set(runs_shapes := [s for s in _shapes_with_targets(shapes)])
        while runs_shapes:  # property shapes report their own results; or/not/node members do not
            members = [m for s in runs_shapes for m in shapes.all(s, sh("property")) if m not in reported]
            reported.update(members)
            runs_shapes = members
        self.pairs = frozenset(pair for pair in generator.pairs if pair[0] in reported)
        """(shape, component) of every result the checker can report."""

    def rows(self, triples: Iterable[tuple[str, str, str]]) -> list[Row]:
        """The results as plain tuples, unsorted (the fast path)."""
        return self._check(DataGraph(triples))

    def check(self, triples: Iterable[tuple[str, str, str]]) -> tuple[ShaclResult, ...]:
        results = [_shacl_result(*row) for row in self.rows(triples)]
        results.sort(key=ShaclResult.sort_key)
        return tuple(results)


def _stable_blank_labels(triples: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Blank nodes relabelled `_:s1`, `_:s2`, … in order of appearance: the text's labels are
    random (blank nodes renamed apart on parsing), a property shape's label is its source_shape."""
    labels: dict[str, str] = {}

    def label(term: str) -> str:
        return labels.setdefault(term, f"_:s{len(labels) + 1}") if term[0] == "_" else term

    return [(label(s), p, label(o)) for s, p, o in triples]


def _shapes_with_targets(shapes: _Shapes) -> list[str]:
    target_predicates = {sh("targetClass"), sh("targetNode"), sh("targetSubjectsOf"), sh("targetObjectsOf")}
    out: dict[str, None] = {}
    classes = {s for s, p, o in shapes.triples if p == _TYPE and o == f"<{RDFS}Class>"}
    for s, p, o in shapes.triples:
        if p in target_predicates or (
                p == _TYPE and o in (sh("NodeShape"), sh("PropertyShape")) and s in classes):
            out[s] = None
    return list(out)


def _targets(shapes: _Shapes, shape: str) -> list[tuple[str, str]]:
    out = [("class", c) for c in shapes.all(shape, sh("targetClass"))]
    types = shapes.all(shape, _TYPE)
    if f"<{RDFS}Class>" in types and (sh("NodeShape") in types or sh("PropertyShape") in types):
        out.append(("class", shape))
    out += [("node", n) for n in shapes.all(shape, sh("targetNode"))]
    out += [("subjects", p) for p in shapes.all(shape, sh("targetSubjectsOf"))]
    out += [("objects", p) for p in shapes.all(shape, sh("targetObjectsOf"))]
    return out
