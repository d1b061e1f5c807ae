"""`kg load` and kg.sparql.load: chunking, retries, refusals, credentials, progress.

Against a small Graph Store Protocol server written here (stdlib http.server over a pyoxigraph
store): needs nothing installed. Real servers: tests/integration/test_load_servers.py.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pyoxigraph
import pytest
from helpers import FIXTURES
from helpers.build import Build, kg
from helpers.servers import free_port

from kg.sparql import load as L

WIKIPATHWAYS = FIXTURES / "wikipathways" / "wikipathways-sample.ttl"
GRAPH = "https://w3id.org/pfocr-kg/graph"
NT = pyoxigraph.RdfFormat.N_TRIPLES


pytestmark = pytest.mark.usefixtures("no_proxy_no_credentials")


def ntriples(n: int, start: int = 0) -> bytes:
    return b"".join(f'<urn:s:{i}> <urn:p:v> "value {i}" .\n'.encode() for i in range(start, start + n))


# --- what is sent -------------------------------------------------------------------------------


def test_chunks_split_on_triple_lines(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(b"# a comment\n\n" + ntriples(10) + b"\n# trailing comment\n")
    chunks = list(L.chunks([path], 3))
    assert [c.triples for c in chunks] == [3, 3, 3, 1]
    sent = b"".join(c.data for c in chunks)
    assert {q.triple for q in pyoxigraph.parse(sent, NT)} == {
        q.triple for q in pyoxigraph.parse(ntriples(10), NT)
    }
    assert chunks[-1].bytes_done == path.stat().st_size
    assert [c.bytes_done for c in chunks] == sorted(c.bytes_done for c in chunks)


def test_chunks_without_final_newline_and_several_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_bytes(ntriples(2).rstrip(b"\n"))
    b.write_bytes(ntriples(3, start=2))
    chunks = list(L.chunks([a, b], 50_000))
    assert [(c.path.name, c.triples) for c in chunks] == [("a.nt", 2), ("b.nt", 3)]
    assert chunks[-1].bytes_done == a.stat().st_size + b.stat().st_size


def test_syntax_error_names_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_bytes(ntriples(7) + b'<urn:s:x> <urn:p:v> "unterminated .\n' + ntriples(2))
    with pytest.raises(L.InputError, match=r"bad\.nt:8: not valid N-Triples"):
        list(L.chunks([path], 3))


def test_blank_nodes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "blank.nt"
    path.write_bytes(ntriples(2) + b"_:b1 <urn:p:v> <urn:o> .\n")
    with pytest.raises(L.InputError, match="blank node"):
        list(L.chunks([path], 10))


def test_turtle_is_sent_as_ntriples_in_chunks() -> None:
    chunks = list(L.chunks([WIKIPATHWAYS], 40))
    expected = {
        q.triple for q in pyoxigraph.parse(path=str(WIKIPATHWAYS), format=pyoxigraph.RdfFormat.TURTLE)
    }
    assert sum(c.triples for c in chunks) == len(expected) and max(c.triples for c in chunks) == 40
    assert {q.triple for c in chunks for q in pyoxigraph.parse(c.data, NT)} == expected
    assert chunks[-1].bytes_done == WIKIPATHWAYS.stat().st_size


def test_unusable_inputs(tmp_path: Path) -> None:
    with pytest.raises(L.InputError, match="no such file"):
        list(L.chunks([tmp_path / "absent.nt"]))
    odd = tmp_path / "x.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(L.InputError, match="unknown RDF format"):
        list(L.chunks([odd]))
    quads = tmp_path / "x.nq"
    quads.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    with pytest.raises(L.InputError, match="named graphs"):
        list(L.chunks([quads]))
    with pytest.raises(L.InputError, match="at least 1"):
        list(L.chunks([odd], 0))


def test_target_url() -> None:
    assert L.target_url("http://h:7878/store", None) == "http://h:7878/store?default"
    assert L.target_url("http://h/store", "https://w3id.org/pfocr-kg/graph#1") == (
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fpfocr-kg%2Fgraph%231"
    )
    assert L.target_url("http://h/ds/data?x=1", "urn:g").startswith("http://h/ds/data?x=1&graph=")
    with pytest.raises(L.InputError, match="carries credentials"):
        L.target_url("http://dba:secret@h/store", None)
    with pytest.raises(L.InputError, match="http"):
        L.target_url("ftp://h/store", None)
    with pytest.raises(L.InputError, match="absolute IRI"):
        L.target_url("http://h/store", "relative/graph")


def test_progress_bar() -> None:
    assert L.progress_bar(0, 100, 0, width=10) == "[----------]   0%  0 triples"
    assert L.progress_bar(50, 100, 1234, width=10) == "[#####-----]  50%  1,234 triples"
    assert L.progress_bar(100, 100, 15661, width=10).startswith("[##########] 100%")


def test_error_body_excerpt_drops_markup() -> None:
    html = (
        b"<html><head><title>SPARQL request failed</title></head><body><h1>HTTP/1.1 403</h1>"
        b"<xmp>SR575: No permission</xmp></body></html>"
    )
    assert L.excerpt(html) == "HTTP/1.1 403 SR575: No permission"
    assert len(L.excerpt(b"x" * 1000)) == 300


# --- credentials --------------------------------------------------------------------------------


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(L.USER_VAR, "loader")
    monkeypatch.setenv(L.PASSWORD_VAR, "s3cret")
    cred = L.credentials_for("http://127.0.0.1:7878/store")
    assert cred == L.Credentials("loader", "s3cret", f"{L.USER_VAR}/{L.PASSWORD_VAR}")
    monkeypatch.delenv(L.PASSWORD_VAR)
    with pytest.raises(L.InputError, match="both"):
        L.credentials_for("http://127.0.0.1:7878/store")


def test_credentials_from_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "home" / ".netrc"
    netrc.write_text("machine store.example.org login netrc-user password netrc-pass\n", encoding="utf-8")
    netrc.chmod(0o600)
    cred = L.credentials_for("https://store.example.org:8443/ds/data")
    assert cred is not None and (cred.user, cred.password) == ("netrc-user", "netrc-pass")
    assert "netrc" in cred.origin and "netrc-pass" not in cred.origin
    assert L.credentials_for("http://127.0.0.1:7878/store") is None


def test_no_credentials_anywhere() -> None:
    assert L.credentials_for("http://127.0.0.1:7878/store") is None


# --- a Graph Store Protocol server in this process ----------------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


CUT = -1  # a scripted "status" that makes the fake server hang up in the middle of its answer


@dataclass
class FakeStore:
    """GSP over a pyoxigraph store (POST adds, PUT replaces, DELETE drops, GET returns N-Triples),
    with optional scripted failures and Basic auth; every request is recorded."""

    base: str = ""
    requests: list[Seen] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    basic: tuple[str, str] | None = None
    digest: tuple[str, str] | None = None  # as Virtuoso: see digest_refusal
    nonce_counts: list[tuple[str, int]] = field(default_factory=list)  # accepted Digest (nonce, nc)
    nonces: set[str] = field(default_factory=set)  # issued and still valid (a CUT forgets them: a restart)
    store: pyoxigraph.Store = field(default_factory=pyoxigraph.Store)

    def digest_refusal(self, method: str, path: str, authorization: str | None) -> dict[str, str] | None:
        """The 401 headers for a request without valid Digest credentials (MD5, qop=auth, a nonce
        count above the last one seen with that nonce), None when they are valid."""
        assert self.digest is not None
        user, password = self.digest
        if authorization and authorization.startswith("Digest "):
            got = urllib.request.parse_keqv_list(urllib.request.parse_http_list(authorization[7:]))
            ha1 = _md5(f"{user}:kg-test:{password}")
            ha2 = _md5(f"{method}:{got.get('uri')}")
            expected = _md5(f"{ha1}:{got.get('nonce')}:{got.get('nc')}:{got.get('cnonce')}:auth:{ha2}")
            nc = int(got.get("nc", "0"), 16)
            last = max((n for nonce, n in self.nonce_counts if nonce == got.get("nonce")), default=0)
            fresh = got.get("nonce") in self.nonces and nc > last
            if got.get("username") == user and got.get("uri") == path and got.get("response") == expected and fresh:
                self.nonce_counts.append((got["nonce"], nc))
                return None
        nonce = f"n{len(self.requests)}"
        self.nonces.add(nonce)
        return {"WWW-Authenticate": f'Digest realm="kg-test", nonce="{nonce}", qop="auth", algorithm="MD5"'}

    def graph_of(self, path: str) -> pyoxigraph.NamedNode | pyoxigraph.DefaultGraph:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query, keep_blank_values=True)
        return pyoxigraph.NamedNode(query["graph"][0]) if "graph" in query else pyoxigraph.DefaultGraph()

    def triples(self, graph: str | None = GRAPH) -> set[pyoxigraph.Triple]:
        name = pyoxigraph.NamedNode(graph) if graph else pyoxigraph.DefaultGraph()
        return {q.triple for q in self.store.quads_for_pattern(None, None, None, name)}

    def answer(self, seen: Seen) -> tuple[int, dict[str, str], bytes]:
        self.requests.append(seen)
        if self.basic is not None:
            expected = "Basic " + base64.b64encode(":".join(self.basic).encode()).decode()
            if seen.headers.get("Authorization") != expected:
                return 401, {"WWW-Authenticate": 'Basic realm="kg-test"'}, b"who are you?"
        if self.failures:
            return self.failures.pop(0)
        graph = self.graph_of(seen.path)
        if seen.method in ("PUT", "DELETE"):
            existed = any(True for _ in self.store.quads_for_pattern(None, None, None, graph))
            if seen.method == "DELETE" and not existed:
                return 404, {}, b"no such graph"
            self.store.remove_graph(graph) if isinstance(
                graph, pyoxigraph.NamedNode
            ) else self.store.clear_graph(graph)
            if seen.method == "DELETE":
                return 204, {}, b""
        if seen.method in ("PUT", "POST"):
            if seen.headers.get("Content-Type") != "application/n-triples":
                return 415, {}, b"send N-Triples"
            try:
                quads = [
                    pyoxigraph.Quad(q.subject, q.predicate, q.object, graph)
                    for q in pyoxigraph.parse(seen.body, NT)
                ]
            except SyntaxError as exc:
                return 400, {}, f"bad N-Triples: {exc}".encode()
            self.store.extend(quads)
            return 201, {}, b""
        if seen.method == "GET":
            triples = [q.triple for q in self.store.quads_for_pattern(None, None, None, graph)]
            if not triples:
                return 404, {}, b"no such graph"
            return (
                200,
                {"Content-Type": "application/n-triples"},
                pyoxigraph.serialize(triples, format=NT) or b"",
            )
        return 405, {}, b""


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@contextmanager
def fake_store(**options: object) -> Iterator[FakeStore]:
    state = FakeStore(**options)  # type: ignore[arg-type]

    class Handler(http.server.BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if state.digest is not None:
                refusal = state.digest_refusal(self.command, self.path, self.headers.get("Authorization"))
                if refusal is not None:  # Virtuoso: 401, and a PUT's body left unread as the connection closes
                    body = b"" if self.command == "PUT" else self.rfile.read(length)
                    state.requests.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                    self.send_response(401)
                    for key, value in {**refusal, "Connection": "close", "Content-Length": "0"}.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.close_connection = True
                    return
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, {k: v for k, v in self.headers.items()}, body)
            status, headers, payload = state.answer(seen)
            cut = status == CUT
            self.send_response(200 if cut else status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload) + (1000 if cut else 0)))
            self.end_headers()
            self.wfile.write(payload)
            if cut:  # promise more than is sent, then hang up: the client loses the connection mid-answer
                self.close_connection = True
                state.nonces.clear()

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def quiet_http(**options: object) -> tuple[L.Http, list[float]]:
    slept: list[float] = []
    return L.Http(sleep=slept.append, **options), slept  # type: ignore[arg-type]


def test_load_in_chunks_then_count(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(25))
    with fake_store() as fake:
        http, _ = quiet_http()
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, http)
        seen: list[tuple[int, int, int]] = []
        report = L.load(client, [path], chunk_size=10, progress=lambda *a: seen.append(a))
        assert (report.triples, report.requests) == (25, 3)
        assert [r.method for r in fake.requests] == ["POST"] * 3
        assert all(r.headers["Content-Type"] == "application/n-triples" for r in fake.requests)
        assert fake.triples() == {q.triple for q in pyoxigraph.parse(ntriples(25), NT)}
        assert client.count() == L.Count(25)
        assert seen[-1] == (path.stat().st_size, path.stat().st_size, 25)
        assert [s[2] for s in seen] == [10, 20, 25, 25]


def test_replace_puts_first_then_posts(tmp_path: Path) -> None:
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_bytes(ntriples(30, start=100))
    new.write_bytes(ntriples(12))
    with fake_store() as fake:
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, quiet_http()[0])
        L.load(client, [old])
        fake.requests.clear()
        L.load(client, [new], chunk_size=5, replace=True)
        assert [r.method for r in fake.requests] == ["PUT", "POST", "POST"]
        assert client.count().triples == 12  # the 30 older triples are gone
        empty = tmp_path / "empty.nt"
        empty.write_bytes(b"# nothing\n")
        report = L.load(client, [empty], replace=True)
        assert (report.triples, report.requests, client.count().triples) == (0, 1, 0)
        L.load(client, [new])
        assert (client.delete(), client.delete(), client.count().triples) == (True, False, 0)


def test_a_redirected_write_is_reported_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(2))
    with fake_store() as fake:
        fake.failures.append((301, {"Location": f"{fake.base}/elsewhere"}, b"moved"))
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, quiet_http()[0])
        with pytest.raises(
            L.LoadError, match=r"refused: HTTP 301 .*redirected to http://127\.0\.0\.1:\d+/elsewhere"
        ):
            L.load(client, [path])
        assert [r.method for r in fake.requests] == ["POST"]  # urllib would have re-sent it as a GET


def test_connection_lost_while_reading_the_answer_is_retried(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(2))
    with fake_store(failures=[(CUT, {}, b"partial")]) as fake:
        http, slept = quiet_http()
        L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path])
        assert slept == [0.5] and [r.method for r in fake.requests] == ["POST", "POST"]
        assert len(fake.triples()) == 2


def test_retries_5xx_with_exponential_backoff(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(4))
    notes: list[str] = []
    failures = [(503, {}, b"busy"), (502, {}, b"gateway"), (500, {}, b"oops")]
    with fake_store(failures=failures) as fake:
        http, slept = quiet_http(on_retry=notes.append, backoff=0.5)
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, http)
        assert L.load(client, [path]).triples == 4
        assert slept == [0.5, 1.0, 2.0]
        assert len(fake.requests) == 4 and len(fake.triples()) == 4
        assert "HTTP 503" in notes[0] and "retry 1/5" in notes[0]


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(1))
    with fake_store(failures=[(429, {"Retry-After": "3"}, b"slow down")]) as fake:
        http, slept = quiet_http()
        L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path])
        assert slept == [3.0]


def test_gives_up_after_the_retries(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(1))
    with fake_store(failures=[(503, {}, b"<h1>down for maintenance</h1>")] * 10) as fake:
        http, slept = quiet_http(retries=2)
        with pytest.raises(L.LoadError, match=r"failed after 3 attempts: HTTP 503 .*down for maintenance"):
            L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path])
        assert slept == [0.5, 1.0] and len(fake.requests) == 3


def test_refusal_is_not_retried_and_shows_status_and_body(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(3))
    body = b"<html><body><h1>Bad Request</h1><p>graph is read-only</p></body></html>"
    with fake_store(failures=[(400, {}, body)]) as fake:
        http, slept = quiet_http()
        with pytest.raises(L.LoadError) as caught:
            L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path])
        assert "refused: HTTP 400" in str(caught.value) and "graph is read-only" in str(caught.value)
        assert "<p>" not in str(caught.value)
        assert slept == [] and len(fake.requests) == 1


def test_connection_refused_fails_at_once_asking_whether_the_server_runs(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(1))
    http, slept = quiet_http(retries=3, timeout=5)
    port = free_port()
    client = L.GraphStoreClient(f"http://127.0.0.1:{port}/store", GRAPH, http)
    with pytest.raises(L.LoadError) as caught:
        L.load(client, [path])
    assert str(caught.value).endswith(f"connection refused; is the server running at 127.0.0.1:{port}?")
    assert slept == []


def test_bad_chunk_is_never_sent(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(5) + b"<urn:s> <urn:p> oops .\n")
    with fake_store() as fake:
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, quiet_http()[0])
        with pytest.raises(L.InputError, match=r"data\.nt:6"):
            L.load(client, [path], chunk_size=5)
        assert len(fake.requests) == 1  # the first, valid chunk; the broken one stayed here


def big_ntriples(n: int) -> bytes:
    return b"".join(f'<urn:s:{i}> <urn:p:v> "{"x" * 80} {i}" .\n'.encode() for i in range(n))


def digest_http(fake: FakeStore, **options: object) -> tuple[L.Http, list[float]]:
    user, password = fake.digest or ("", "")
    return quiet_http(credentials={f"{fake.base}/": L.Credentials(user, password, "test")}, **options)


def test_digest_challenge_is_met_before_any_chunk_goes(tmp_path: Path) -> None:
    """Like Virtuoso, the store answers an unauthenticated PUT with 401 and hangs up without reading
    its body: a client still sending megabytes sees a connection reset, never the challenge. An empty
    POST meets the challenge first; every chunk then goes with Digest credentials, the nonce count rising."""
    path = tmp_path / "data.nt"
    path.write_bytes(big_ntriples(60_000))  # chunks of 2.2 MB, far more than the socket buffers hold
    with fake_store(digest=("dba", "s3cret")) as fake:
        http, slept = digest_http(fake, retries=0)
        report = L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path], chunk_size=20_000, replace=True)
        assert (report.triples, report.requests, slept) == (60_000, 3, [])
        seen = [(r.method, len(r.body) > 0, "Authorization" in r.headers) for r in fake.requests]
        assert seen == [
            ("POST", False, False),  # challenged
            ("POST", False, True),
            ("PUT", True, True),
            ("POST", True, True),
            ("POST", True, True),
        ]
        assert [nc for _, nc in fake.nonce_counts] == [1, 2, 3, 4]
        assert len({nonce for nonce, _ in fake.nonce_counts}) == 1
        assert len(fake.triples()) == 60_000


def test_digest_is_met_again_after_a_lost_connection(tmp_path: Path) -> None:
    """The answer to the PUT is cut and the store forgets its nonces (a restart): before the PUT is
    sent again, an empty POST meets the new challenge, so the PUT never goes with a stale nonce."""
    path = tmp_path / "data.nt"
    path.write_bytes(big_ntriples(20_000))
    with fake_store(digest=("dba", "s3cret"), failures=[(201, {}, b"")] + [(CUT, {}, b"partial")]) as fake:
        http, slept = digest_http(fake)
        L.load(L.GraphStoreClient(f"{fake.base}/store", GRAPH, http), [path], replace=True)
        seen = [(r.method, len(r.body) > 0, "Authorization" in r.headers) for r in fake.requests]
        assert seen == [
            ("POST", False, False),
            ("POST", False, True),
            ("PUT", True, True),  # cut
            ("POST", False, True),  # stale nonce: challenged again
            ("POST", False, True),
            ("PUT", True, True),
        ]
        assert slept == [0.5] and len(fake.triples()) == 20_000


def test_a_count_the_store_cut_short_comes_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(5))
    cut = {"Content-Type": "application/n-triples", "X-SPARQL-MaxRows": "3"}
    with fake_store() as fake:
        client = L.GraphStoreClient(f"{fake.base}/store", GRAPH, quiet_http()[0])
        report = L.load(client, [path])
        assert L.count_loaded(client, report) == L.Count(5)
        # the store says it stopped at its row limit (Virtuoso: X-SPARQL-MaxRows)
        fake.failures.append((200, cut, ntriples(3)))
        counted = L.count_loaded(client, report)
        assert counted.triples == 3 and "cut its answer at 3 rows" in (counted.warning or "")
        assert "ResultSetMaxRows" in (counted.warning or "")
        # ... or says nothing, and fewer triples come back than were sent (Virtuoso's graph GET)
        fake.failures.append((200, {"Content-Type": "application/n-triples"}, ntriples(4)))
        counted = L.count_loaded(client, report)
        assert counted.triples == 4 and "fewer than the 5 sent" in (counted.warning or "")
        assert "--sparql" in (counted.warning or "")


def test_truncation_is_read_from_the_row_limit_header() -> None:
    def headers(**values: str) -> Message:
        message = Message()
        for key, value in values.items():
            message[key.replace("_", "-")] = value
        return message

    assert L.truncation(headers(), 10_000, "q") is None
    assert L.truncation(headers(X_SPARQL_MaxRows="10000"), 9_999, "q") is None
    warning = L.truncation(headers(X_SPARQL_MaxRows="10000"), 10_000, "POST http://h/sparql")
    assert warning is not None and warning.startswith("POST http://h/sparql: the store cut its answer at 10000 rows")


def test_sparql_count_reads_json(tmp_path: Path) -> None:
    payload = b'{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal","value":"42"}}]}}'
    with fake_store(failures=[(200, {"Content-Type": "application/sparql-results+json"}, payload)]) as fake:
        assert L.sparql_count(quiet_http()[0], f"{fake.base}/query", GRAPH) == L.Count(42)
        seen = fake.requests[0]
        form = urllib.parse.parse_qs(seen.body.decode())
        assert form["query"] == [f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"]
        assert seen.headers["Accept"] == "application/sparql-results+json"


# --- the command --------------------------------------------------------------------------------


def kg_load(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    return kg(capsys, "load", *args)


def test_cli_default_file_and_one_summary_line(
    capsys: pytest.CaptureFixture[str], sample_build: Build, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "pfocr.nt").write_bytes(sample_build.nt)
    expected = len(sample_build.triples())
    with fake_store() as fake:
        code, out, err = kg_load(capsys, f"{fake.base}/store", "--graph", GRAPH, "--chunk", "4000")
        assert code == 0 and out == ""
        lines = err.splitlines()
        assert len(lines) == 1, err  # not a terminal: no progress bar, one summary line
        assert re.fullmatch(
            rf"kg load: {expected} triples from output/pfocr\.nt sent in {-(-expected // 4000)} requests to "
            rf"{re.escape(fake.base)}/store "
            rf"\(graph <{re.escape(GRAPH)}>\); the store now holds {expected} triples there",
            lines[0],
        ), lines[0]
        assert fake.triples() == sample_build.triples()


def test_cli_progress_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(30))
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    with fake_store() as fake:
        code, _, err = kg_load(capsys, f"{fake.base}/store", str(path), "--chunk", "10", "--no-count")
    assert code == 0
    assert "\r  [" in err and "100%  30 triples" in err
    assert err.rstrip("\n").splitlines()[-1].startswith("kg load: 30 triples")
    code, _, err = kg_load(capsys, "http://127.0.0.1:9/store", str(path), "-q", "--retries", "0")
    assert code == 1 and "\r" not in err  # --quiet: no bar


def test_cli_credentials_from_environment_never_the_url(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(9))
    with fake_store(basic=("loader", "s3cret")) as fake:
        code, _, err = kg_load(capsys, f"{fake.base}/store", str(path), "--graph", GRAPH)
        assert code == 1
        assert "HTTP 401" in err and L.USER_VAR in err and "~/.netrc" in err

        host = fake.base.split("//")[1]
        code, _, err = kg_load(capsys, f"http://loader:s3cret@{host}/store", str(path))
        assert code == 2 and "carries credentials" in err

        monkeypatch.setenv(L.USER_VAR, "loader")
        monkeypatch.setenv(L.PASSWORD_VAR, "wrong")
        code, _, err = kg_load(capsys, f"{fake.base}/store", str(path), "--graph", GRAPH)
        assert code == 1 and "were not accepted" in err and "wrong" not in err

        monkeypatch.setenv(L.PASSWORD_VAR, "s3cret")
        fake.requests.clear()
        code, _, err = kg_load(capsys, f"{fake.base}/store", str(path), "--graph", GRAPH, "--chunk", "3")
        assert code == 0 and "holds 9 triples" in err
        # challenged once by an empty POST, then Basic is sent up front: no chunk is uploaded twice
        seen = [(r.method, len(r.body), r.headers.get("Authorization") is not None) for r in fake.requests]
        assert seen[:2] == [("POST", 0, False), ("POST", 0, True)]
        assert [(m, auth) for m, size, auth in seen[2:]] == [("POST", True)] * 3 + [("GET", True)]
        assert all(size > 0 for _, size, _ in seen[2:5])


def test_cli_credentials_from_netrc(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(2))
    netrc = tmp_path / "home" / ".netrc"
    netrc.write_text("machine 127.0.0.1 login loader password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    with fake_store(basic=("loader", "from-netrc")) as fake:
        code, _, err = kg_load(capsys, f"{fake.base}/store", str(path))
    assert code == 0 and "holds 2 triples" in err and "(the default graph)" in err


def test_cli_input_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = kg_load(capsys, "http://127.0.0.1:9/store", str(tmp_path / "absent.nt"))
    assert code == 2 and "no such file" in err
    code, _, err = kg_load(capsys, "not a url", str(tmp_path / "absent.nt"))
    assert code == 2 and "not an http" in err
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(1))
    code, _, err = kg_load(capsys, "http://127.0.0.1:9/store", str(path), "--graph", "no-scheme")
    assert code == 2 and "absolute IRI" in err


def test_cli_count_failure_is_reported_but_the_load_stands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(2))
    with fake_store() as fake:
        code, _, err = kg_load(
            capsys, f"{fake.base}/store", str(path), "--sparql", f"{fake.base}/nowhere", "--graph", GRAPH
        )
    assert code == 0
    assert "kg load: 2 triples" in err and "could not count the graph afterwards" in err


def test_cli_warns_when_the_count_was_cut(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "data.nt"
    path.write_bytes(ntriples(5))
    with fake_store() as fake:
        fake.failures += [(201, {}, b""), (200, {"Content-Type": "application/n-triples"}, ntriples(2))]
        code, out, err = kg_load(capsys, f"{fake.base}/store", str(path), "--graph", GRAPH)
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert lines[0].endswith("the store now holds 2 triples there")
    assert lines[1].startswith("kg load: warning: GET ") and "fewer than the 5 sent" in lines[1]


def test_by_figure_refuses_digests_the_store_cut_short(tmp_path: Path) -> None:
    """Virtuoso cuts a graph GET at ResultSetMaxRows without saying so: the digests kg load kept
    come back with their count, and fewer than that is an error, never a partial picture (which
    would resend unchanged figures and keep gone ones)."""
    from helpers import SEEDS
    from helpers.build import run_build

    from kg.write import nquads

    build = run_build(tmp_path / "out", SEEDS, extra=("--outputs", "nt,ttl,nq"))
    nq = build.outdir / "pfocr.nq"
    with fake_store() as fake:
        http, _ = quiet_http()
        first = L.load_by_figure(fake.base + "/store", nq, http)
        loaded = pyoxigraph.NamedNode(nquads.LOADED_GRAPH)
        digests = list(fake.store.quads_for_pattern(None, pyoxigraph.NamedNode(nquads.DIGEST), None, loaded))
        assert len(digests) == first.graphs == 6  # the five seed figures and the shared graph
        assert L.loaded_digests(http, fake.base + "/store") == {q.subject.value: q.object.value for q in digests}
        fake.store.remove(digests[0])  # the store's answer, cut short
        with pytest.raises(L.LoadError, match="returned 5 graph digests, but 6 were recorded: it cut its answer"):
            L.load_by_figure(fake.base + "/store", nq, http)
