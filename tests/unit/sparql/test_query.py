"""kg.sparql.query: the build's prefixes in every query, short names that read back, and one-line
syntax errors, on an in-memory store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from helpers import QUERIES

from kg.sparql import query as sparql

SCHEMA = "http://schema.org/"
NCBIGENE = "https://identifiers.org/ncbigene/"


@pytest.fixture
def store() -> pyoxigraph.Store:
    s = pyoxigraph.Store()
    for subject in (NCBIGENE + "7124", SCHEMA + "ends.", SCHEMA + "-starts", SCHEMA + "a.b-c_d"):
        s.add(pyoxigraph.Quad(pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(SCHEMA + "name"),
                              pyoxigraph.Literal("x")))
    return s


def test_every_name_the_table_prints_reads_back(store: pyoxigraph.Store) -> None:
    table = sparql.run(store, "SELECT ?s WHERE { ?s schema:name 'x' } ORDER BY ?s").text
    names = [line.strip() for line in table.splitlines()[2:-1]]
    assert sorted(names) == sorted(["ncbigene:7124", f"<{SCHEMA}ends.>", f"<{SCHEMA}-starts>", "schema:a.b-c_d"])
    for name in names:
        assert sparql.run(store, f"ASK {{ {name} schema:name 'x' }}").boolean is True, name


@pytest.mark.parametrize(("query", "missing"), [
    ("SELECT * WHERE { ?s a x:Gene }", ["x"]),
    ("SELECT * WHERE { ?s :p ?o }", [""]),
    ("PREFIX x: <http://x/>\nSELECT * WHERE { ?s x:p ?o ; y:q 'a:b' } # z:c", ["y"]),
    ("SELECT * WHERE { ?s <http://a/b:c> ?o ; schema:name \"\"\"w:v\"\"\" }", []),
])
def test_undeclared_prefixes(query: str, missing: list[str]) -> None:
    assert sparql.undeclared_prefixes(query) == missing


def test_an_undeclared_prefix_is_one_line(store: pyoxigraph.Store) -> None:
    with pytest.raises(sparql.QueryError) as error:
        sparql.run(store, "SELECT * WHERE { ?s a x:Gene }")
    assert str(error.value).startswith("prefix 'x' is not declared") and "\n" not in str(error.value)


def test_other_syntax_errors_are_one_line_with_the_position(store: pyoxigraph.Store) -> None:
    with pytest.raises(sparql.QueryError) as error:
        sparql.run(store, "SELECT ?s\nWHERE { ?s ?p }")
    message = str(error.value)
    assert message.startswith("query syntax error at line 2, column ") and "\n" not in message
    assert "\\u{" not in message and len(message) <= 170


def test_read_query(tmp_path: Path) -> None:
    assert sparql.read_query("ASK {}", QUERIES) == "ASK {}"
    assert sparql.read_query("@figures-by-gene-symbol", QUERIES) == (QUERIES / "figures-by-gene-symbol.rq").read_text()
    assert sparql.read_query("@figures-by-gene-symbol.rq", QUERIES).startswith("# Figures that mention")
    mine = tmp_path / "mine.rq"
    mine.write_text("ASK { ?s ?p ?o }")
    assert sparql.read_query(f"@{mine}", QUERIES) == "ASK { ?s ?p ?o }"
    with pytest.raises(sparql.QueryError, match="to run the file, write @"):
        sparql.read_query(str(mine), QUERIES)
    with pytest.raises(sparql.QueryError, match="nor a shipped query"):
        sparql.read_query("@nothing", QUERIES)
