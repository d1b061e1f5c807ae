"""Real SPARQL servers for the tests (Oxigraph, Virtuoso): started on 127.0.0.1 with free ports, data in tmp.

Never leaves a server behind: each is stopped, by the process id it was started with, when its block ends.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

LOOPBACK = "127.0.0.1"
START_TIMEOUT = 45.0


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it; the tiny race is acceptable in tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def require_binary(*names: str, hint: str) -> str:
    """The first of `names` on PATH; skip the test (visibly) when none is installed.

    Under CI (`CI` set), a missing binary fails instead: .ci/run installs every server, so a skip
    there would hide a broken install step."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"{' / '.join(names)} not found on PATH ({hint})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


def _wait(ready: Callable[[], bool], proc: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {START_TIMEOUT:g} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # refused, reset, or an HTTPError while the server is still starting
        return False


def sparql_select(query_url: str, query: str, default_graph: str | None = None) -> list[dict[str, str]]:
    """SELECT over the SPARQL protocol (POST form); each row maps variable → lexical value."""
    form = {"query": query}
    if default_graph:
        form["default-graph-uri"] = default_graph
    request = urllib.request.Request(
        query_url,
        data=urllib.parse.urlencode(form).encode(),
        method="POST",
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.load(response)
    names = answer["head"]["vars"]
    return [{n: row[n]["value"] for n in names if n in row} for row in answer["results"]["bindings"]]


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
    log = workdir / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(workdir / "oxigraph-data"), "--bind", f"{LOOPBACK}:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        server = Oxigraph(f"http://{LOOPBACK}:{port}")
        _wait(lambda: _http_ok(f"{server.query_url}?query=ASK%7B%7D"), proc, "oxigraph serve", log)
        yield server
    finally:
        _stop(proc)


VIRTUOSO_INI = """\
; written by tests/servers.py: loopback only, every file under {root}
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
ResultSetMaxRows = 100000
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
def virtuoso_server(workdir: Path, allowed: list[Path]) -> Iterator[Virtuoso]:
    """`virtuoso-t +foreground +configfile <ours>` with a fresh database in `workdir`, stopped on exit."""
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
        ),
        encoding="utf-8",
    )
    log = root / "stdout.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Virtuoso(f"http://{LOOPBACK}:{http_port}", isql, f"{LOOPBACK}:{sql_port}")
    try:

        def ready() -> bool:
            if not _http_ok(f"{server.sparql_url}?query=ASK%7B%7D"):
                return False
            try:
                server.isql("select 1;", timeout=10)
            except (RuntimeError, subprocess.TimeoutExpired):
                return False
            return True

        _wait(ready, proc, "virtuoso-t", log)
        yield server
    finally:
        _stop(proc)
