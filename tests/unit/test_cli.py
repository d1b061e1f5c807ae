"""The `kg` command's conventions (docs/cli.md): one option name per idea, the build named by
-o OUTDIR in every command, -q everywhere, and every error one or two lines naming the file and the
cause, with no traceback. Each case of issue 21's list has a test here, on a real build of seeds/.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
from helpers import QUERIES, REPO, SEEDS
from helpers.build import kg
from helpers.servers import free_port

from kg import __version__, cli
from kg.report.summary import BuildReport
from kg.write.lock import OutdirLock


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kg build` of seeds/ (5 records), as a new user's first build; copy it before writing into it."""
    out = tmp_path_factory.mktemp("seeds") / "out"
    assert cli.main(["build", str(SEEDS), "-o", str(out), "-q", "-j", "1", "--outputs", "nt,ttl,jsonld"]) == 0
    return out


@pytest.fixture
def out(seeds_out: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeds' build."""
    copy = tmp_path / "out"
    shutil.copytree(seeds_out, copy, ignore=shutil.ignore_patterns("store", ".kg-cache"))
    return copy


def one_error(err: str, command: str) -> str:
    """The error of a failed command: one or two lines, `kg COMMAND: error: …`, no traceback."""
    lines = err.strip().splitlines()
    assert 1 <= len(lines) <= 2, err
    assert lines[0].startswith(f"kg {command}: error: "), err
    assert "Traceback" not in err
    return " ".join(lines)


# --- one word for each idea -----------------------------------------------------------------------


def help_of(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_each_idea_has_its_own_option(capsys: pytest.CaptureFixture[str]) -> None:
    build, validate, query = (help_of(capsys, c) for c in ("build", "validate", "query"))
    assert "--outputs LIST" in build and "--syntax" in validate and "--results" in query
    for text in (build, validate, query):
        assert "--format" not in text  # the older spelling is accepted, not shown


def test_every_command_names_the_build_with_o_and_takes_q(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "merge", "clean", "validate", "query", "load", "publish"):
        text = help_of(capsys, command)
        assert "-o OUTDIR, --outdir OUTDIR" in text, command
        assert "-q, --quiet" in text, command


def test_older_spellings_still_work(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, answer, _ = kg(capsys, "query", "ASK { ?s ?p ?o }", "--nt", out / "pfocr.nt", "--format", "csv", "-q")
    assert (code, answer) == (0, "true\n")
    assert (out / "store").is_dir()  # --nt FILE: the store beside it, as -o OUTDIR puts it
    code, _, err = kg(capsys, "validate", out / "pfocr.ttl", "--format", "turtle", "-q")
    assert code == 0, err
    code, _, err = kg(capsys, "clean", out, "-q")
    assert code == 0 and err == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == f"pfocr-kg {__version__}\n"


# --- -o OUTDIR everywhere -------------------------------------------------------------------------


def test_query_validate_and_load_read_the_build_named_by_o(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, answer, _ = kg(capsys, "query", "-o", out, "ASK { ?s a schema:Gene }", "-q")
    assert (code, answer) == (0, "true\n")
    code, text, _ = kg(capsys, "validate", "-o", out)
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert code == 0 and text.startswith(f"{report['triples']} triples checked")
    code, _, err = kg(capsys, "load", "http://127.0.0.1:9/store", "-o", out / "missing", "--retries", "0")
    assert code == 2 and "missing/pfocr.nt" in one_error(err, "load")


@pytest.mark.parametrize("command", ["build", "merge", "clean", "query", "validate", "publish", "load"])
def test_o_naming_a_file_is_one_line(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "a-file"
    file.write_text("not a folder\n")
    args = {"build": [str(SEEDS)], "merge": [str(tmp_path)], "query": ["ASK {}"], "load": ["http://127.0.0.1:9/"]}
    code, _, err = kg(capsys, command, *args.get(command, []), "-o", file)
    assert code == 2
    message = one_error(err, command)
    assert f"{file}: is a file" in message and "unchanged" not in message
    assert file.read_text() == "not a folder\n"


# --- kg query -------------------------------------------------------------------------------------


def test_a_damaged_pfocr_nt_is_one_line_and_leaves_no_store(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nt = out / "pfocr.nt"
    lines = nt.read_bytes().splitlines(keepends=True)
    nt.write_bytes(b"".join(lines[:10]) + lines[10][:25] + b"\n" + b"".join(lines[11:]))
    code, answer, err = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }")
    assert code == 2 and answer == ""
    message = one_error(err, "query")
    assert f"{nt}: not N-Triples at line 11" in message and "kg build" in message
    assert not (out / "store").exists()  # no half-made store that later queries refuse
    nt.write_bytes(b"".join(lines))
    code, answer, _ = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")
    assert (code, answer) == (0, "true\n")


def test_a_turtle_pfocr_nt_is_one_line(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(out / "pfocr.ttl", out / "pfocr.nt")
    code, _, err = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }")
    assert code == 2 and f"{out / 'pfocr.nt'}: not N-Triples at line 1" in one_error(err, "query")
    assert not (out / "store").exists()


def test_a_store_left_half_made_is_made_again(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store whose load was killed carries the "loading" stamp: it is ours, and not fresh."""
    assert kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")[0] == 0
    stamp = out / "store" / "pfocr-kg-source.json"
    stamp.write_text(json.dumps({"loading": str(out / "pfocr.nt")}), encoding="utf-8")
    code, answer, err = kg(capsys, "query", "-o", out, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--results", "csv")
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert code == 0 and answer.split() == ["n", str(report["triples"])]
    assert err.startswith("kg query: loaded ")


def test_a_store_in_use_is_read_alongside_or_one_line(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Queries open a fresh store read-only, so a process holding it open does not stop them; a
    store that must be filled again while another process writes it is refused in one line."""
    assert kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")[0] == 0
    writer = pyoxigraph.Store(str(out / "store"))  # holds the store's lock, as a filling process does
    code, answer, _ = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")
    assert (code, answer) == (0, "true\n")
    (out / "store" / "pfocr-kg-source.json").write_text('{"loading": "elsewhere"}', encoding="utf-8")
    code, _, err = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")
    assert code == 2 and "being written by another process" in one_error(err, "query")
    assert (out / "store").is_dir()  # left to its writer
    del writer


def test_store_naming_a_file_is_one_line(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (out / "a-file").write_text("x\n")
    code, _, err = kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "--store", out / "a-file")
    assert code == 2 and f"{out / 'a-file'}: is a file, not a store folder" in one_error(err, "query")


def test_an_undeclared_prefix_is_named_in_one_line(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "query", "-o", out, "-q", "SELECT ?g WHERE { ?g a x:Gene }")
    assert code == 2 and "prefix 'x' is not declared" in one_error(err, "query")
    assert len(err.splitlines()) == 1 and "\\u{" not in err


def test_the_tables_names_can_be_typed_back(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No PREFIX lines: the build's prefixes are known, and the table prints names in them."""
    code, table, _ = kg(capsys, "query", "-o", out, "-q",
                        "SELECT ?gene ?type WHERE { ?gene a ?type ; schema:name 'TNF' } ORDER BY ?gene")
    assert code == 0
    row = table.splitlines()[2].split("|")
    gene, kind = (cell.strip() for cell in row)
    assert re.fullmatch(r"ncbigene:\d+", gene) and kind == "schema:Gene"
    code, answer, _ = kg(capsys, "query", "-o", out, "-q", f"ASK {{ {gene} a {kind} ; schema:name 'TNF' }}")
    assert (code, answer) == (0, "true\n")


def test_a_querys_own_prefix_wins(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, answer, _ = kg(capsys, "query", "-o", out, "-q",
                         "PREFIX schema: <http://example.org/> ASK { ?s a schema:Gene }")
    assert (code, answer) == (1, "false\n")


def test_a_file_name_without_at_gets_a_hint(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "query", "-o", out, "queries/figures-by-gene-symbol.rq")
    message = one_error(err, "query")
    assert code == 2 and "write @queries/figures-by-gene-symbol.rq" in message


def test_shipped_queries_run_by_name(out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # not the checkout: the name is found in the package
    code, table, _ = kg(capsys, "query", "-o", out, "-q", "@figures-by-gene-symbol")
    assert code == 0 and "PMC2776288__ajtr0001-0001-f3" in table
    code, _, err = kg(capsys, "query", "-o", out, "-q", "@no-such-query")
    message = one_error(err, "query")
    assert code == 2 and "no such file, nor a shipped query" in message and "figures-by-gene-symbol" in message


# --- kg clean -------------------------------------------------------------------------------------


def test_clean_all_removes_the_store(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kg(capsys, "query", "-o", out, "ASK { ?s ?p ?o }", "-q")[0] == 0
    assert (out / "store").is_dir()
    code, _, err = kg(capsys, "clean", "-o", out, "--all")
    assert code == 0 and f"removed {out / 'store'}" in err
    assert not (out / "store").exists() and not (out / "pfocr.nt").exists()


def test_clean_all_leaves_a_folder_kg_never_built_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in ("validation.ttl", "pfocr.nt", "report.json"):
        (folder / name).write_text("someone else's\n")
    code, _, err = kg(capsys, "clean", "-o", folder, "--all")
    assert code == 0 and "holds no kg build" in err
    assert sorted(p.name for p in folder.iterdir()) == ["pfocr.nt", "report.json", "validation.ttl"]


def test_clean_waits_as_its_lock_message_says(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = OutdirLock(out)
    lock.__enter__()
    try:
        code, _, err = kg(capsys, "clean", "-o", out)
        assert code == 2 and "pass --wait" in one_error(err, "clean")
    finally:
        release = threading.Timer(0.3, lock.__exit__, args=(None, None, None))
        release.start()
    started = time.monotonic()
    code, _, err = kg(capsys, "clean", "-o", out, "--wait", "-q")  # waits for the release
    release.join()
    assert code == 0 and err == "" and time.monotonic() - started >= 0.2


# --- kg build's messages --------------------------------------------------------------------------


def interrupt(options: object, progress: object, wait_for_lock: bool = False) -> BuildReport:
    raise KeyboardInterrupt


def test_a_first_build_interrupted_claims_no_previous_outputs(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "build", interrupt)
    code, _, err = kg(capsys, "build", str(SEEDS), "-o", tmp_path / "first")
    assert code == 130 and "unchanged" not in err and "holds no outputs" in err
    code, _, err = kg(capsys, "build", str(SEEDS), "-o", out)
    assert code == 130 and f"the previous outputs in {out}/ are unchanged" in err


def test_a_small_build_gives_no_rate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "build", str(SEEDS), "-o", tmp_path / "out", "-j", "1")
    assert code == 0 and "5 records read" in err and "figures/s" not in err


# --- kg validate, kg load -------------------------------------------------------------------------


def test_validate_counts_one_graph_once(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    triples = json.loads((out / "report.json").read_text("utf-8"))["triples"]
    for other in ("pfocr.ttl", "pfocr.jsonld"):  # the same graph in another syntax
        code, text, _ = kg(capsys, "validate", out / "pfocr.nt", out / other)
        assert code == 0 and text.startswith(f"{triples} triples checked"), other


def test_quiet_validate_and_query_print_only_the_answer(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kg(capsys, "validate", "-o", out, "-q") == (0, "", "")
    code, answer, err = kg(capsys, "query", "-o", out, "-q", "ASK { ?s ?p ?o }")
    assert (code, answer, err) == (0, "true\n", "")


def test_the_credential_refusal_does_not_echo_the_password(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "load", "http://dba:s3cret-pw@127.0.0.1:9/store", "-o", out)
    message = one_error(err, "load")
    assert code == 2 and "carries credentials" in message and "s3cret-pw" not in err


# --- a new user's first hour (review of issue 21) ----------------------------------------------------


@pytest.mark.parametrize("args", [
    ["build", "-j", "0"], ["build", "--outputs", "xml"], ["biuld"], ["query"],
    ["load", "http://127.0.0.1:9/store", "--timeout", "0"], ["load", "http://127.0.0.1:9/store", "--retries", "-1"],
])
def test_a_usage_error_is_two_lines(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Not argparse's whole usage block first: what is wrong, then where the options are."""
    with pytest.raises(SystemExit) as stop:
        cli.main(args)
    err = capsys.readouterr().err
    command = "kg" if args[0] == "biuld" else f"kg {args[0]}"
    assert stop.value.code == 2
    assert err.splitlines() == [err.splitlines()[0], f"(`{command} --help` lists the options)"], err
    assert err.startswith(f"{command}: error: ") and "usage:" not in err


def test_load_without_an_endpoint_asks_only_for_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["load"])
    first = capsys.readouterr().err.splitlines()[0]
    assert first.endswith("required: ENDPOINT")  # FILE is optional (default: OUTDIR/pfocr.nt)


def test_build_help_says_which_json_ld(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, "build")
    assert "JSON-LD 1.0 features only" in text and "JSON-LD 1.1 document" not in text


def test_build_outside_the_checkout_asks_for_a_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wheel's user runs `kg build` in a folder without seeds/: told what SOURCE is, not just "seeds: no such"."""
    monkeypatch.chdir(tmp_path)
    code, _, err = kg(capsys, "build")
    message = one_error(err, "build")
    assert code == 2 and "no SOURCE given and no seeds/ here" in message and "_figures/" in message
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("command", [("query", "ASK { ?s ?p ?o }"), ("publish",), ("validate",)])
def test_ctrl_c_outside_a_build_is_one_line(
    command: tuple[str, ...], out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while kg query fills its store, or kg publish or kg validate runs: exit 130, no traceback."""
    def stop(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "open_store", stop)
    monkeypatch.setattr(cli.validation, "run", stop)
    monkeypatch.setattr("kg.publish.site.publish", stop)
    code, _, err = kg(capsys, *command, "-o", out)
    assert code == 130 and err.strip() == f"kg {command[0]}: interrupted"


# --- a new user's walkthrough of main (issue 21, second round) -------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("@queries/figures-by-gene-id.rq", ("queries/figures-by-gene-id.rq: no such file; the shipped query of "
                                        "that name runs from any folder as @figures-by-gene-id")),
    ("@", "@ needs a file or a shipped query's name after it (shipped: chemicals-diseases-per-figure, "),
    ("", "the query is empty"),
    ("SELEC * WHERE { ?s ?p ?o }", "'SELEC' is not a query form; a query starts with SELECT, CONSTRUCT"),
])
def test_query_errors_outside_the_checkout_say_what_to_type(
    query: str, expected: str, out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # a wheel's user: no queries/ folder here
    code, _, err = kg(capsys, "query", "-o", out, "-q", query)
    assert code == 2 and expected in one_error(err, "query")


def test_query_after_data_files_is_hinted(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["query", "--data", str(out / "pfocr.nt"), "ASK { ?s ?p ?o }"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "kg query: error: the following arguments are required: QUERY",
        "(--data takes every argument after it: put QUERY before --data, or end its files with --)",
    ]
    code, answer, _ = kg(capsys, "query", "--data", out / "pfocr.nt", "--", "ASK { ?s ?p ?o }")
    assert (code, answer) == (0, "true\n")  # as the hint says


def test_load_to_a_port_nobody_listens_on_fails_at_once(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()
    started = time.monotonic()
    code, _, err = kg(capsys, "load", f"http://127.0.0.1:{port}/store", "-o", out)
    assert code == 1 and one_error(err, "load").endswith(f"is the server running at 127.0.0.1:{port}?")
    assert time.monotonic() - started < 5  # was 15.9 s of retries


def test_shapes_that_are_not_rdf_are_named(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kg(capsys, "validate", "-o", out, "--shapes", REPO / "README.md")
    message = one_error(err, "validate")
    assert code == 2 and f"{REPO / 'README.md'}: not RDF the shapes can be read from" in message
    assert "format=" not in message


def test_a_one_record_build_and_site_speak_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one"
    code, _, err = kg(capsys, "build", SEEDS / "_figures" / "PMC10031279__gr8.md", "-o", one, "-j", "1")
    assert code == 0 and "kg build: 1 record read, 1 figure written, 0 quarantined, 0 field warnings, " in err
    code, _, err = kg(capsys, "publish", "-o", one, "--no-dumps")
    assert code == 0 and "pages of 1 figure, " in err and ", 1 paper, 1 journal, 1 publisher;" in err


def test_query_while_a_first_build_writes_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = tmp_path / "first"
    first.mkdir()
    with OutdirLock(first):  # a first build, before its pfocr.nt is in place
        code, _, err = kg(capsys, "query", "-o", first, "ASK { ?s ?p ?o }")
        assert code == 2 and "a kg build is writing here and has not written pfocr.nt yet" in one_error(err, "query")
    code, _, err = kg(capsys, "query", "-o", first, "ASK { ?s ?p ?o }")  # it failed: no build, none running
    assert code == 2 and "no such file (run `kg build` first" in one_error(err, "query")


@pytest.mark.parametrize("args", [["--show", "figures-by-gene-id"], ["@figures-by-gene-id", "--show"]])
def test_show_prints_a_shipped_query_without_a_build(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no checkout, no output/
    code, text, err = kg(capsys, "query", *args)
    assert (code, text, err) == (0, (QUERIES / "figures-by-gene-id.rq").read_text("utf-8"), "")
    assert not (tmp_path / "output").exists()
    code, _, err = kg(capsys, "query", "--show", "no-such-query")
    assert code == 2 and "no such file, nor a shipped query" in one_error(err, "query")
