"""Run one SPARQL query and render its results: a table, CSV/TSV/SPARQL-JSON, true/false or Turtle.

Never changes the store: updates are refused before they run. The build's prefixes (kg.vocab.PREFIXES)
are declared for every query, so the names the table prints can be typed back into a query; a
query's own PREFIX lines take precedence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from kg.vocab import PREFIXES

_UPDATE = re.compile(r"^\s*(?:(?:PREFIX|BASE)[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
RESULT_FORMATS = {
    "csv": pyoxigraph.QueryResultsFormat.CSV,
    "tsv": pyoxigraph.QueryResultsFormat.TSV,
    "json": pyoxigraph.QueryResultsFormat.JSON,
}


class QueryError(Exception):
    """A query that is not valid SPARQL (with its position) or that would change the store."""


# What a syntax error's position is reported as by pyoxigraph: "error at LINE:COLUMN: ...".
_POSITION = re.compile(r"^error at (\d+):(\d+): ")
# Parts of a query in which a colon is not a prefixed name's: IRIs, strings, comments.
_NOT_NAMES = re.compile(
    r"<[^<>\s]*>"  # IRIs
    r"|\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"  # long strings
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"  # strings
    r"|#[^\n]*"  # comments
)
_COMMENT = re.compile(r"#[^\n]*")
# What may come before a query's form (SELECT, ...): comments, PREFIX, BASE and VERSION lines.
_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*|PREFIX\s+[\w.-]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>|VERSION\s*(?:\"[^\"]*\"|'[^']*'))*",
    re.IGNORECASE,
)
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\:]|[\s;,.)\]}]|$)")
# A local name that SPARQL reads back as written (PN_LOCAL without escapes): not starting with '-'
# or '.', not ending with '.'.
_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")


def shipped_names(shipped: Path) -> list[str]:
    """The names of the shipped queries (queries/NAME.rq), for `kg query @NAME`."""
    return sorted(p.stem for p in shipped.glob("*.rq"))


def read_query(argument: str, shipped: Path) -> str:
    """The SPARQL text a QUERY argument stands for: the text itself, @FILE, or @NAME, a shipped query
    (`shipped`/NAME.rq, so `kg query @figures-by-gene-symbol` works from any folder and from a wheel).
    A bare argument that looks like a file name is refused with a hint rather than parsed as SPARQL."""
    if not argument.startswith("@"):
        word = argument.strip()
        if not word:
            raise QueryError("the query is empty (give SPARQL text, @FILE or @NAME)")
        if not any(c.isspace() for c in word) and (word.endswith((".rq", ".sparql")) or Path(word).is_file()):
            raise QueryError(f"{word!r} is read as SPARQL text; to run the file, write @{word}")
        return argument
    name = argument[1:]
    if not name.strip():
        raise QueryError(f"@ needs a file or a shipped query's name after it (shipped: {', '.join(shipped_names(shipped))})")
    path = Path(name)
    if not path.exists() and "/" not in name:
        path = shipped / (name if name.endswith(".rq") else f"{name}.rq")
        if not path.is_file():
            raise QueryError(f"{name}: no such file, nor a shipped query (shipped: {', '.join(shipped_names(shipped))})")
    elif not path.exists() and (shipped / f"{path.stem}.rq").is_file():  # queries/x.rq outside the checkout
        raise QueryError(f"{name}: no such file; the shipped query of that name runs from any folder as @{path.stem}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        cause = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise QueryError(f"cannot read {name}: {cause}") from exc
    if not _COMMENT.sub("", text).strip():
        raise QueryError(f"{name}: the query is empty")
    return text


def undeclared_prefixes(query: str) -> list[str]:
    """The prefixes the query uses that neither it nor the build declares, in order of first use."""
    text = _NOT_NAMES.sub(lambda m: " " * len(m.group()), query)
    declared = set(PREFIXES) | {m.group(1) or "" for m in _DECLARED.finditer(text)}
    text = _DECLARED.sub(" ", text)
    found: list[str] = []
    for match in _PREFIXED.finditer(text):
        name = match.group(1) or ""
        if name not in declared and name not in found:
            found.append(name)
    return found


def _syntax_message(query: str, exc: SyntaxError) -> str:
    """One line: an undeclared prefix by name, else the parser's position and its first expectation
    (pyoxigraph lists every character range a name may continue with, over several lines)."""
    missing = undeclared_prefixes(query)
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        return (f"prefix {names} {'is' if len(missing) == 1 else 'are'} not declared (add a PREFIX line; "
                f"the build's own are known: {', '.join(PREFIXES)})")
    prologue = _PROLOGUE.match(query)
    form = re.match(r"[A-Za-z]\w*", query[prologue.end() if prologue else 0:])
    if form and form.group().upper() not in _FORMS:  # the parser's position is past the word it stopped at
        return (f"query syntax error: {form.group()!r} is not a query form; a query starts with "
                f"{', '.join(_FORMS[:-1])} or {_FORMS[-1]} (after its PREFIX lines)")
    text = " ".join(str(exc.msg or exc).split())
    position = _POSITION.match(text)
    if position:
        text = f"at line {position.group(1)}, column {position.group(2)}: {text[position.end():]}"
    if len(text) > 160:
        text = text[:text.find(", ", 60) if text.find(", ", 60) > 0 else 157] + " …"
    return f"query syntax error {text}"


@dataclass(frozen=True)
class Answer:
    text: str  # what to print
    boolean: bool | None = None  # ASK's answer
    rows: int | None = None  # SELECT's row count


def _short(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and _LOCAL.fullmatch(term.value[len(ns):]):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    if term is None:
        return ""
    return str(term)


def run(store: pyoxigraph.Store, query: str, fmt: str = "table") -> Answer:
    if _UPDATE.match(query):
        raise QueryError("updates are not run by `kg query`; it only reads")
    try:
        result = store.query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(_syntax_message(query, exc)) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(str(exc)) from exc
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer("true" if bool(result) else "false", boolean=bool(result))
    if isinstance(result, pyoxigraph.QueryTriples):
        data = pyoxigraph.serialize(result, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
        return Answer((data or b"").decode("utf-8"))
    if fmt in RESULT_FORMATS:
        data = result.serialize(format=RESULT_FORMATS[fmt])
        text = (data or b"").decode("utf-8")
        return Answer(text, rows=None)
    names = [v.value for v in result.variables]
    rows = [[_short(solution[name]) for name in names] for solution in result]
    return Answer(_table(names, rows), rows=len(rows))


def _table(names: list[str], rows: list[list[str]]) -> str:
    cells = [[c.replace("\n", "\\n").replace("\t", " ") for c in row] for row in rows]
    widths = [max([len(n) + 1] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    head = " | ".join(f"?{n}".ljust(w) for n, w in zip(names, widths)).rstrip()
    rule = "-+-".join("-" * w for w in widths)
    body = [" | ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([head, rule, *body, footer]) + "\n"
