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


def test_a_missing_query_file_named_like_a_shipped_query_hints_its_name(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # outside the checkout: no queries/ folder here
    with pytest.raises(sparql.QueryError) as error:
        sparql.read_query("@queries/figures-by-gene-id.rq", QUERIES)
    assert str(error.value) == ("queries/figures-by-gene-id.rq: no such file; the shipped query of that name "
                                "runs from any folder as @figures-by-gene-id")
    with pytest.raises(sparql.QueryError, match="cannot read queries/mine.rq: No such file"):
        sparql.read_query("@queries/mine.rq", QUERIES)


def test_an_at_sign_without_a_name_lists_the_shipped_names() -> None:
    with pytest.raises(sparql.QueryError) as error:
        sparql.read_query("@", QUERIES)
    assert str(error.value).startswith("@ needs a file or a shipped query's name after it (shipped: ")
    assert "figures-by-gene-id, figures-by-gene-symbol" in str(error.value)


@pytest.mark.parametrize("text", ["", "  \n", "@{empty}", "@{comments}"])
def test_an_empty_query_is_said_to_be_empty(text: str, tmp_path: Path) -> None:
    (tmp_path / "empty.rq").write_text("")
    (tmp_path / "comments.rq").write_text("# only a comment\n\n")
    argument = text.format(empty=tmp_path / "empty.rq", comments=tmp_path / "comments.rq")
    with pytest.raises(sparql.QueryError, match="the query is empty"):
        sparql.read_query(argument, QUERIES)


@pytest.mark.parametrize("query", ["SELEC * WHERE { ?s ?p ?o }",
                                   "PREFIX x: <http://x/>\n# a comment\nselec * { ?s x:p ?o }"])
def test_a_misspelt_query_form_is_named(store: pyoxigraph.Store, query: str) -> None:
    with pytest.raises(sparql.QueryError) as error:
        sparql.run(store, query)
    word = query.split("\n")[-1].split()[0]
    assert str(error.value) == (f"query syntax error: {word!r} is not a query form; a query starts with "
                                "SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX lines)")


def test_the_table_has_no_trailing_spaces(store: pyoxigraph.Store) -> None:
    table = sparql.run(store, "SELECT ?s ?name WHERE { ?s schema:name ?name } ORDER BY ?s").text
    lines = table.splitlines()
    assert lines[0].endswith("| ?name") and lines[2].endswith("| x") and len(lines) == 7
    assert all(line == line.rstrip() for line in lines)
