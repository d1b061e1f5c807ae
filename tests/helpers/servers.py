"""Real servers for the tests (Oxigraph, Virtuoso, and any server a test starts with `serving`):
started on 127.0.0.1 with free ports, data in tmp.

Never leaves a server behind: each is stopped, by the process id it was started with, when its block ends.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph

from helpers.needs import require_binary

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 45.0


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it; the tiny race is acceptable in tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_until(ready: Callable[[], bool], proc: subprocess.Popen[Any], what: str,
               logs: Sequence[Path] = (), timeout: float = START_TIMEOUT, pause: float = 0.2) -> None:
    """Poll `ready()` until it holds; fail with the end of `logs` if `proc` exits first or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{_tails(logs)}")
        if ready():
            return
        time.sleep(pause)
    raise RuntimeError(f"{what} did not come up within {timeout:g} s:\n{_tails(logs)}")


def _tails(logs: Sequence[Path]) -> str:
    return "\n".join(_tail(log) for log in logs)


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(proc: subprocess.Popen[Any], grace: float = 15.0) -> None:
    """Terminate `proc` (by the process id it was started with), killing it after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def http_ok(url: str) -> bool:
    """Whether GET `url` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # refused, reset, or an HTTPError while the server is still starting
        return False


@contextmanager
def serving(command: list[str], log: Path, ready: Callable[[], bool], what: str, *,
            logs: Sequence[Path] = (), cwd: Path | None = None, timeout: float = START_TIMEOUT) -> Iterator[None]:
    """`command` running (output to `log`) from when `ready()` holds until the block ends; its
    failure to come up shows the end of `log` and of `logs`."""
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until(ready, proc, what, [log, *logs], timeout=timeout, pause=0.1)
        yield
    finally:
        stop(proc)


def _sparql_post(query_url: str, query: str, default_graph: str | None, accept: str) -> urllib.request.Request:
    form = {"query": query}
    if default_graph:
        form["default-graph-uri"] = default_graph
    return urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )


def check_not_cut(response: http.client.HTTPResponse, rows: int) -> None:
    """Fail when the server says it cut the result at its row limit (Virtuoso's ResultSetMaxRows)."""
    limit = response.headers.get("X-SPARQL-MaxRows")
    assert limit is None or rows < int(limit), f"the server cut the result at {limit} rows (X-SPARQL-MaxRows)"


def sparql_select(query_url: str, query: str, default_graph: str | None = None) -> list[dict[str, str]]:
    """SELECT over the SPARQL protocol (POST form); each row maps variable → lexical value."""
    request = _sparql_post(query_url, query, default_graph, "application/sparql-results+json")
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
        check_not_cut(response, len(answer["results"]["bindings"]))
    names = answer["head"]["vars"]
    return [{n: row[n]["value"] for n in names if n in row} for row in answer["results"]["bindings"]]


def sparql_solutions(
    query_url: str, query: str, default_graph: str | None = None, timeout: float = 60
) -> list[dict[str, str | None]]:
    """SELECT over the SPARQL protocol, results as SPARQL XML read by pyoxigraph (Virtuoso writes
    173k rows of XML in a third of the time it takes for JSON); variable → lexical value or None."""
    request = _sparql_post(query_url, query, default_graph, "application/sparql-results+xml")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        result = pyoxigraph.parse_query_results(response.read(), pyoxigraph.QueryResultsFormat.XML)
        assert isinstance(result, pyoxigraph.QuerySolutions)
        names = [v.value for v in result.variables]
        rows = [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]
        check_not_cut(response, len(rows))
    return rows


@dataclass
class Oxigraph:
    base: str  # http://127.0.0.1:PORT

    @property
    def store_url(self) -> str:  # Graph Store Protocol endpoint
        return f"{self.base}/store"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"


@contextmanager
def oxigraph_server(workdir: Path) -> Iterator[Oxigraph]:
    """`oxigraph serve --location DIR --bind 127.0.0.1:PORT`, stopped on exit."""
    binary = require_binary("oxigraph", hint="pip install oxigraph")
    port = free_port()
    server = Oxigraph(f"http://{LOOPBACK}:{port}")
    with serving([binary, "serve", "--location", str(workdir / "oxigraph-data"), "--bind", f"{LOOPBACK}:{port}"],
                 workdir / "oxigraph.log", lambda: http_ok(f"{server.query_url}?query=ASK%7B%7D"), "oxigraph serve"):
        yield server


VIRTUOSO_INI = """\
; written by tests/helpers/servers.py: loopback only, every file under {root}
[Database]
DatabaseFile = {root}/virtuoso.db
ErrorLogFile = {root}/virtuoso.log
LockFile = {root}/virtuoso.lck
TransactionFile = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dirs}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {root}/vsp
ServerThreads = 4
MaxClientConnections = 4
MaxKeepAlives = 4
KeepAliveTimeout = 10
EnabledGzipContent = 0

[SPARQL]
; Virtuoso's own default is 10000: results longer than that are cut, with only an X-SPARQL-MaxRows header
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


@dataclass
class Virtuoso:
    base: str
    isql_binary: str
    sql_address: str  # host:port of the SQL (isql) listener
    user: str = "dba"
    password: str = "dba"  # a fresh database's default; the server listens on loopback only

    @property
    def sparql_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def gsp_auth_url(self) -> str:  # Graph Store Protocol, HTTP digest authentication
        return f"{self.base}/sparql-graph-crud-auth"

    def isql(self, sql: str, timeout: float = 60) -> str:
        """Run SQL statements through isql; raises with isql's output when a statement fails."""
        result = subprocess.run(
            [self.isql_binary, self.sql_address, self.user, self.password, f"EXEC={sql}"],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed ({result.returncode}) on {sql!r}:\n{output}")
        return output


def _virtuoso_isql() -> str:
    """isql-vt (Debian's name), else an `isql` that is Virtuoso's, not unixODBC's."""
    for name in ("isql-vt", "isql-v"):
        found = shutil.which(name)
        if found:
            return found
    plain = shutil.which("isql")
    if plain:
        probe = subprocess.run(
            [plain, "-?"], check=False, capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
        )
        if (
            "virtuoso" in (probe.stdout + probe.stderr).lower()
            or "openlink" in (probe.stdout + probe.stderr).lower()
        ):
            return plain
    return require_binary("isql-vt", "isql", hint="apt-get install virtuoso-opensource")


@contextmanager
def virtuoso_server(workdir: Path, allowed: list[Path], max_rows: int = 100_000) -> Iterator[Virtuoso]:
    """`virtuoso-t +foreground +configfile <ours>` with a fresh database in `workdir`, stopped on exit;
    `max_rows` is its ResultSetMaxRows (it cuts longer results, and a graph GET, there)."""
    binary = require_binary("virtuoso-t", hint="apt-get install virtuoso-opensource")
    isql = _virtuoso_isql()
    root = workdir / "virtuoso"
    (root / "vsp").mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            root=root,
            host=LOOPBACK,
            sql_port=sql_port,
            http_port=http_port,
            dirs=", ".join(str(p.resolve()) for p in allowed),
            max_rows=max_rows,
        ),
        encoding="utf-8",
    )
    server = Virtuoso(f"http://{LOOPBACK}:{http_port}", isql, f"{LOOPBACK}:{sql_port}")

    def ready() -> bool:
        if not http_ok(f"{server.sparql_url}?query=ASK%7B%7D"):
            return False
        try:
            server.isql("select 1;", timeout=10)
        except (RuntimeError, subprocess.TimeoutExpired):
            return False
        return True

    with serving([binary, "+foreground", "+configfile", str(ini)], root / "stdout.log", ready, "virtuoso-t", cwd=root):
        yield server
