"""Run one SPARQL query and render its results: a table, CSV/TSV/SPARQL-JSON, true/false or Turtle.

Never changes the store: updates are refused before they run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Answer:
    text: str  # what to print
    boolean: bool | None = None  # ASK's answer
    rows: int | None = None  # SELECT's row count


def _short(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and re.fullmatch(r"[A-Za-z0-9_.\-]*", term.value[len(ns):]):
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
        result = store.query(query)
    except SyntaxError as exc:
        raise QueryError(f"query syntax {exc}") from exc
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
    head = " | ".join(f"?{n}".ljust(w) for n, w in zip(names, widths))
    rule = "-+-".join("-" * w for w in widths)
    body = [" | ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    return "\n".join([head, rule, *body, footer]) + "\n"
