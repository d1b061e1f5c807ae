"""Send a build's triples to a SPARQL server over the Graph Store HTTP Protocol: chunked, retried, counted.

Never takes credentials from the command line, and never sends a chunk it has not parsed first.
"""

from __future__ import annotations

import http.client
import json
import netrc
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import IO, cast

import pyoxigraph

from kg.vocab import XSD
from kg.write import nquads

DEFAULT_CHUNK = 50_000  # triples per request
DEFAULT_RETRIES = 5
DEFAULT_TIMEOUT = 300.0  # seconds per request
USER_VAR, PASSWORD_VAR = "KG_LOAD_USER", "KG_LOAD_PASSWORD"
NTRIPLES = "application/n-triples"
_EXCERPT = 300
_MAX_BACKOFF = 30.0
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class LoadError(Exception):
    """The store refused a request, or could not be reached after the retries."""


class InputError(LoadError):
    """A file, IRI, URL or credential setting that cannot be used; nothing about the store."""


# --- what to send -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    data: bytes  # N-Triples, UTF-8
    triples: int
    path: Path
    bytes_done: int  # of all input files, after this chunk (for progress)


def check_iri(value: str, what: str = "graph IRI") -> str:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:", value):
        raise InputError(f"{what} {value!r} is not an absolute IRI")
    try:
        pyoxigraph.NamedNode(value)
    except ValueError as exc:
        raise InputError(f"{what} {value!r} is not a valid IRI: {exc}") from exc
    return value


def check_url(url: str, what: str = "endpoint") -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{what} {url!r} is not an http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        shown = parts._replace(netloc=f"…@{parts.netloc.rsplit('@', 1)[-1]}").geturl()  # never the password
        raise InputError(
            f"{what} {shown!r} carries credentials; give them in {USER_VAR}/{PASSWORD_VAR} or ~/.netrc instead"
        )
    return url


def target_url(endpoint: str, graph: str | None) -> str:
    """The GSP URL of one graph: `?graph=<IRI>` (indirect identification), or `?default`."""
    check_url(endpoint)
    joiner = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    if graph is None:
        return f"{endpoint}{joiner}default"
    return f"{endpoint}{joiner}graph={urllib.parse.quote(check_iri(graph), safe='')}"


def _reason(exc: SyntaxError) -> str:
    text = str(exc.msg if exc.msg else exc)
    return text.split(": ", 1)[1] if ": " in text else text


def _check_triples(parsed: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], path: Path) -> int:
    count = 0
    for item in parsed:
        triple = item.triple if isinstance(item, pyoxigraph.Quad) else item
        for term in (triple.subject, triple.object):
            if isinstance(term, pyoxigraph.BlankNode):
                raise InputError(
                    f"{path}: blank node {term}: every request is its own blank-node scope, so kg load "
                    "sends only files without blank nodes (kg build writes none); use the store's own loader"
                )
        count += 1
    return count


def _ntriples_chunks(path: Path, size: int, done_before: int) -> Iterator[Chunk]:
    """Lines of an N-Triples file, `size` triple lines at a time, each chunk parsed before it is sent."""
    lines: list[bytes] = []
    pending = 0
    first_line = 1
    line_no = 0
    done = done_before

    def flush() -> Chunk:
        data = b"".join(lines)
        try:
            count = _check_triples(pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES), path)
        except SyntaxError as exc:
            line = first_line + (exc.lineno or 1) - 1
            raise InputError(f"{path}:{line}: not valid N-Triples: {_reason(exc)}") from exc
        return Chunk(data, count, path, done)

    with path.open("rb") as stream:
        for raw in stream:
            line_no += 1
            done += len(raw)
            line = raw if raw.endswith(b"\n") else raw + b"\n"
            stripped = line.strip()
            lines.append(line)
            if stripped and not stripped.startswith(b"#"):
                pending += 1
            if pending >= size:
                yield flush()
                lines, pending, first_line = [], 0, line_no + 1
    if pending:
        yield flush()


class _Counting:
    """A binary file that remembers how far it has been read (progress for parsed formats)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.position = 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n)
        self.position += len(data)
        return data


def _parsed_chunks(path: Path, fmt: pyoxigraph.RdfFormat, size: int, done_before: int) -> Iterator[Chunk]:
    """Another RDF syntax (Turtle, RDF/XML, JSON-LD), parsed and re-sent as N-Triples."""
    if fmt.supports_datasets:
        raise InputError(f"{path}: {fmt.name} holds named graphs; kg load sends triples into one graph")
    batch: list[pyoxigraph.Triple] = []
    with path.open("rb") as raw:
        stream = _Counting(raw)
        try:
            for quad in pyoxigraph.parse(cast(IO[bytes], stream), fmt, base_iri=path.resolve().as_uri()):
                batch.append(quad.triple)
                if len(batch) >= size:
                    _check_triples(batch, path)
                    yield Chunk(_serialize(batch), len(batch), path, done_before + stream.position)
                    batch = []
        except SyntaxError as exc:
            raise InputError(f"{path}:{exc.lineno or '?'}: not valid {fmt.name}: {_reason(exc)}") from exc
    if batch:
        _check_triples(batch, path)
        yield Chunk(_serialize(batch), len(batch), path, done_before + path.stat().st_size)


def _serialize(triples: list[pyoxigraph.Triple]) -> bytes:
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def chunks(paths: list[Path], size: int = DEFAULT_CHUNK) -> Iterator[Chunk]:
    """N-Triples chunks of at most `size` triples from every file in turn (format by extension)."""
    if size < 1:
        raise InputError(f"chunk size must be at least 1, not {size}")
    done = 0
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file (run `kg build` first)")
        fmt = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise InputError(f"{path}: unknown RDF format (use .nt, .ttl, .rdf, .jsonld)")
        if fmt == pyoxigraph.RdfFormat.N_TRIPLES:
            yield from _ntriples_chunks(path, size, done)
        else:
            yield from _parsed_chunks(path, fmt, size, done)
        done += path.stat().st_size


# --- who we are ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    origin: str  # where they came from, for messages (never the password itself)


def credentials_for(url: str, environ: dict[str, str] | os._Environ[str] | None = None) -> Credentials | None:
    """KG_LOAD_USER + KG_LOAD_PASSWORD when both are set, else the ~/.netrc entry for the URL's host."""
    env = os.environ if environ is None else environ
    user, password = env.get(USER_VAR), env.get(PASSWORD_VAR)
    if user is not None or password is not None:
        if not user or password is None:
            raise InputError(f"set both {USER_VAR} and {PASSWORD_VAR}, or neither")
        return Credentials(user, password, f"{USER_VAR}/{PASSWORD_VAR}")
    host = urllib.parse.urlsplit(url).hostname or ""
    home = env.get("HOME") or os.path.expanduser("~")
    if not Path(home, ".netrc").is_file():
        return None
    try:
        entry = netrc.netrc().authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise InputError(f"~/.netrc: {exc}") from exc
    if entry is None:
        return None
    login, _account, secret = entry
    return Credentials(login or "", secret or "", f"~/.netrc (machine {host})")


def credentials_by_origin(urls: Iterable[str]) -> dict[str, Credentials]:
    """The credentials to offer each URL's origin (scheme://host:port/), where there are any."""
    found: dict[str, Credentials] = {}
    for url in urls:
        cred = credentials_for(url)
        if cred is not None:
            found[_origin(url)] = cred
    return found


class _Passwords(urllib.request.HTTPPasswordMgrWithPriorAuth):
    """Remembers where Basic auth was accepted; the most specific URL path wins (the stdlib's
    first-match rule lets the endpoint's origin, registered with the password, shadow it)."""

    def is_authenticated(self, authuri: str) -> bool | None:
        known: dict[tuple[str, str], bool] = self.authenticated  # type: ignore[attr-defined]
        best: tuple[int, bool] | None = None
        for default_port in (True, False):
            reduced = self.reduce_uri(authuri, default_port)
            for uri, flag in known.items():
                inside = self.is_suburi(uri, reduced)  # type: ignore[arg-type]
                if inside and (best is None or len(uri[1]) > best[0]):
                    best = (len(uri[1]), flag)
        return None if best is None else best[1]


class _BasicAuth(urllib.request.HTTPBasicAuthHandler):
    """Basic auth, sent up front once the server has accepted it (so chunks are not sent twice)."""

    def http_response(self, req: urllib.request.Request, response):  # type: ignore[no-untyped-def]
        if (req.get_header("Authorization") or "").startswith("Basic "):
            return super().http_response(req, response)
        return response

    https_response = http_response


class _DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """Digest auth that answers the server's last challenge up front (so chunks are not sent twice)."""

    def __init__(self, passwd: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwd)
        self._challenges: dict[str, dict[str, str]] = {}

    def retry_http_digest_auth(self, req, auth):  # type: ignore[no-untyped-def]
        _scheme, challenge = auth.split(" ", 1)
        self._challenges[req.host] = urllib.request.parse_keqv_list(
            filter(None, urllib.request.parse_http_list(challenge))
        )
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        challenge = self._challenges.get(req.host)
        if challenge and not req.has_header("Authorization"):
            value = self.get_authorization(req, challenge)
            if value:
                req.add_unredirected_header("Authorization", f"Digest {value}")
        return req

    https_request = http_request


class _NoRedirectForWrites(urllib.request.HTTPRedirectHandler):
    """urllib turns a redirected POST into a GET without its body, which would look like success:
    a write that is redirected is reported instead, with the URL to use."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if req.get_method() not in ("GET", "HEAD"):
            raise urllib.error.HTTPError(
                req.full_url, code, f"{msg} (redirected to {newurl}: give that URL instead)", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# --- talking to the store -----------------------------------------------------------------------


def excerpt(body: bytes, limit: int = _EXCERPT) -> str:
    """The first words of an error body, markup removed (Virtuoso answers in HTML)."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_RETRYABLE = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, socket.timeout)


class Http:
    """urllib with credentials, timeouts and retries: exponential backoff on connection errors, 429 and 5xx.
    A refused connection (no server at that port) fails at once."""

    def __init__(
        self,
        credentials: dict[str, Credentials] | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.credentials = credentials or {}
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.sleep = sleep
        self.on_retry = on_retry
        passwords = _Passwords()
        for origin, cred in self.credentials.items():
            passwords.add_password(None, origin, cred.user, cred.password)
        handlers: list[urllib.request.BaseHandler] = [_NoRedirectForWrites()]
        if self.credentials:
            handlers += [_DigestAuth(passwords), _BasicAuth(passwords)]
        self._opener = urllib.request.build_opener(*handlers)

    def _auth_hint(self, url: str) -> str:
        cred = self.credentials.get(_origin(url))
        if cred is None:
            return f" (no credentials: set {USER_VAR} and {PASSWORD_VAR}, or add the host to ~/.netrc)"
        return f" (credentials from {cred.origin} were not accepted)"

    def send(
        self,
        method: str,
        url: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok_missing: bool = False,
        before_retry: Callable[[], None] | None = None,
    ) -> bytes | None:
        """The body of a 2xx answer (None for a 404 when `ok_missing`); raises LoadError otherwise.
        The body is read inside the retries, so a connection lost while reading is retried too;
        `before_retry` runs before each retry."""
        reply = self.fetch(method, url, data, headers, ok_missing, before_retry)
        return None if reply is None else reply[0]

    def fetch(
        self,
        method: str,
        url: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok_missing: bool = False,
        before_retry: Callable[[], None] | None = None,
    ) -> tuple[bytes, Message] | None:
        """`send`, with the answer's headers."""
        return self._attempts(  # type: ignore[return-value]
            method, url, data, headers, ok_missing, read=True, before_retry=before_retry
        )

    def stream(
        self, method: str, url: str, headers: dict[str, str] | None = None, ok_missing: bool = False
    ) -> http.client.HTTPResponse | None:
        """The open 2xx response, for the caller to read as a stream (None for a 404 when `ok_missing`)."""
        return self._attempts(method, url, None, headers, ok_missing, read=False)  # type: ignore[return-value]

    def _attempts(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str] | None,
        ok_missing: bool,
        read: bool,
        before_retry: Callable[[], None] | None = None,
    ) -> tuple[bytes, Message] | http.client.HTTPResponse | None:
        attempt = 0
        while True:
            if attempt and before_retry is not None:
                before_retry()
            request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
            try:
                response = self._opener.open(request, timeout=self.timeout)
                if not read:
                    return response
                with response:
                    return response.read(), response.headers
            except urllib.error.HTTPError as exc:
                body = _read_quietly(exc)
                if exc.code == 404 and ok_missing:
                    return None
                if exc.code == 429 or exc.code >= 500:
                    problem = f"HTTP {exc.code} {exc.reason}: {excerpt(body)}"
                    if attempt < self.retries:
                        attempt = self._wait(attempt, method, url, problem, exc.headers.get("Retry-After"))
                        continue
                    raise LoadError(f"{method} {url} failed after {attempt + 1} attempts: {problem}") from None
                hint = self._auth_hint(url) if exc.code in (401, 403) else ""
                raise LoadError(
                    f"{method} {url} refused: HTTP {exc.code} {exc.reason}{hint}: {excerpt(body) or '(empty body)'}"
                ) from None
            except ValueError as exc:  # urllib's auth handlers meet a scheme they cannot answer
                raise LoadError(f"{method} {url} refused: HTTP 401{self._auth_hint(url)}: {exc}") from None
            except _RETRYABLE as exc:
                reason = getattr(exc, "reason", None) or exc
                if isinstance(reason, ConnectionRefusedError):  # nothing listens there: retrying will not help
                    parts = urllib.parse.urlsplit(url)
                    port = parts.port or (443 if parts.scheme == "https" else 80)
                    raise LoadError(
                        f"{method} {url}: connection refused; is the server running at {parts.hostname}:{port}?"
                    ) from None
                if attempt < self.retries:
                    attempt = self._wait(attempt, method, url, f"{type(exc).__name__}: {reason}", None)
                    continue
                raise LoadError(f"{method} {url} failed after {attempt + 1} attempts: {reason}") from None

    def _wait(self, attempt: int, method: str, url: str, problem: str, retry_after: str | None) -> int:
        delay = min(_MAX_BACKOFF, self.backoff * (2**attempt))
        if retry_after and retry_after.strip().isdigit():
            delay = min(_MAX_BACKOFF, max(delay, float(retry_after.strip())))
        if self.on_retry is not None:
            self.on_retry(f"{method} {url}: {problem}; retry {attempt + 1}/{self.retries} in {delay:g} s")
        self.sleep(delay)
        return attempt + 1


def _read_quietly(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(64 * 1024) or b""
    except (OSError, AttributeError, http.client.HTTPException):
        return b""


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class GraphStoreClient:
    """One graph of a SPARQL 1.1 Graph Store HTTP Protocol endpoint: add to it, replace it, count it."""

    def __init__(self, endpoint: str, graph: str | None, http_client: Http) -> None:
        self.endpoint = endpoint
        self.graph = graph
        self.url = target_url(endpoint, graph)
        self.http = http_client

    def authenticate(self) -> None:
        """With credentials for the store, send an empty POST first (it adds nothing): the auth
        handlers meet the server's challenge with it, and every chunk then goes with an Authorization
        header (Digest: from the server's nonce, the nonce count increasing). A server refusing a write
        may hang up without reading its body: Virtuoso answers an unauthenticated PUT with 401 and
        closes, and the client, still sending, sees a connection reset instead of the challenge."""
        if self.http.credentials.get(_origin(self.url)) is not None:
            self.http.send("POST", self.url, b"", {"Content-Type": NTRIPLES})

    def post(self, data: bytes) -> None:
        """Add triples to the graph (GSP POST merges)."""
        self._send("POST", data)

    def put(self, data: bytes) -> None:
        """Replace the graph's content (GSP PUT)."""
        self._send("PUT", data)

    def _send(self, method: str, data: bytes) -> None:
        # after a lost connection, authenticate again first: the server may have forgotten the nonce
        self.http.send(method, self.url, data, {"Content-Type": NTRIPLES}, before_retry=self.authenticate)

    def delete(self) -> bool:
        """Drop the graph; False when there was none."""
        return self.http.send("DELETE", self.url, ok_missing=True) is not None

    def count(self) -> Count:
        """Triples in the graph, by a GSP GET parsed (streaming) with pyoxigraph; 0 when it does not exist."""
        response = self.http.stream("GET", self.url, headers={"Accept": _RDF_ACCEPT}, ok_missing=True)
        if response is None:
            return Count(0)
        with response:
            media = (response.headers.get("Content-Type") or NTRIPLES).split(";")[0].strip()
            fmt = pyoxigraph.RdfFormat.from_media_type(media)
            if fmt is None:
                raise LoadError(
                    f"GET {self.url}: the store answered {media!r}, not an RDF syntax pyoxigraph reads"
                )
            try:
                triples = sum(1 for _ in pyoxigraph.parse(response, fmt, base_iri=self.url))
                return Count(triples, truncation(response.headers, triples, f"GET {self.url}"))
            except SyntaxError as exc:
                raise LoadError(f"GET {self.url}: unreadable {fmt.name} from the store: {exc}") from exc
            except (OSError, http.client.HTTPException) as exc:
                raise LoadError(f"GET {self.url}: connection lost while reading the graph: {exc}") from exc


# --- what the store says it holds -----------------------------------------------------------------

MAX_ROWS = "X-SPARQL-MaxRows"


@dataclass(frozen=True)
class Count:
    triples: int
    warning: str | None = None  # why the number may be short of what the store holds


def truncation(headers: Message, rows: int, what: str) -> str | None:
    """A warning when the server says it cut its answer: Virtuoso sends X-SPARQL-MaxRows: N with a
    result it stopped at its ResultSetMaxRows (N rows; it sends it too when a result has exactly N)."""
    limit = headers.get(MAX_ROWS)
    if limit is None:
        return None
    if limit.strip().isdigit() and rows < int(limit):
        return None
    return (
        f"{what}: the store cut its answer at {limit} rows ({MAX_ROWS}); raise ResultSetMaxRows in "
        "virtuoso.ini's [SPARQL] section (docs/stores.md)"
    )


def count_query(graph: str | None) -> str:
    if graph is None:
        return "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{check_iri(graph)}> {{ ?s ?p ?o }} }}"


def sparql_count(http_client: Http, query_url: str, graph: str | None) -> Count:
    """COUNT(*) of the graph through a SPARQL 1.1 Protocol query endpoint (POST, SPARQL JSON results)."""
    check_url(query_url, "query endpoint")
    form = urllib.parse.urlencode({"query": count_query(graph)}).encode("ascii")
    body, headers = http_client.fetch(
        "POST",
        query_url,
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
    ) or (b"", Message())
    try:
        bindings = json.loads(body)["results"]["bindings"]
        triples = int(bindings[0]["n"]["value"]) if bindings else 0
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LoadError(f"POST {query_url}: not a SPARQL JSON count: {excerpt(body)}") from exc
    return Count(triples, truncation(headers, len(bindings), f"POST {query_url}"))


def count_loaded(client: GraphStoreClient, report: LoadReport, query_url: str | None = None) -> Count:
    """The graph's triples after a load: by a COUNT query at `query_url`, else by a GSP GET of the
    graph. A GET that brings back fewer triples than were sent is suspect: Virtuoso cuts a graph GET
    at its ResultSetMaxRows and says nothing, so that count is given with a warning."""
    if query_url is not None:
        return sparql_count(client.http, query_url, client.graph)
    counted = client.count()
    if counted.warning is None and counted.triples < report.triples:
        counted = Count(
            counted.triples,
            f"GET {client.url}: the store returned {counted.triples} triples, fewer than the "
            f"{report.triples} sent: the input repeats triples, or the store cut its answer (Virtuoso "
            "cuts a graph GET at ResultSetMaxRows without saying so); count with --sparql URL",
        )
    return counted


# --- the whole load -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadReport:
    triples: int  # sent
    requests: int
    files: tuple[Path, ...]


Progress = Callable[[int, int, int], None]  # (bytes read, bytes in all files, triples sent)


def load(
    client: GraphStoreClient,
    paths: list[Path],
    *,
    chunk_size: int = DEFAULT_CHUNK,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Send every file's triples; with `replace` the first request is a PUT, so the graph ends up
    holding exactly these files (an empty input empties the graph)."""
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file (run `kg build` first)")
    total = sum(p.stat().st_size for p in paths)
    sent = requests = 0
    for chunk in chunks(paths, chunk_size):
        if requests == 0:
            client.authenticate()  # once the first chunk is known to parse, before it is sent
        if replace and requests == 0:
            client.put(chunk.data)
        else:
            client.post(chunk.data)
        requests += 1
        sent += chunk.triples
        if progress is not None:
            progress(chunk.bytes_done, total, sent)
    if replace and requests == 0:
        client.put(b"")
        requests = 1
    if progress is not None:
        progress(total, total, sent)
    return LoadReport(sent, requests, tuple(paths))


def progress_bar(done: int, total: int, triples: int, width: int = 30) -> str:
    """`[#######-------]  45%  123,456 triples` for a terminal line."""
    share = 1.0 if total <= 0 else min(1.0, done / total)
    filled = round(share * width)
    return f"[{'#' * filled}{'-' * (width - filled)}] {share * 100:3.0f}%  {triples:,} triples"


# --- one graph per figure -------------------------------------------------------------------------


@dataclass(frozen=True)
class ByFigureReport:
    graphs: int  # in the file
    replaced: tuple[str, ...]  # graphs sent (new, or changed since the store's last load)
    deleted: tuple[str, ...]  # graphs the store had from its last load that the file no longer holds
    triples: int  # sent
    requests: int  # PUT, POST and DELETE of graphs, and the PUT of the record of digests


def loaded_digests(http_client: Http, endpoint: str) -> dict[str, str]:
    """What `load_by_figure` recorded in the store at its last load: graph → digest of its lines
    (nothing when the store has no such record)."""
    url = target_url(endpoint, nquads.LOADED_GRAPH)
    response = http_client.stream("GET", url, headers={"Accept": _RDF_ACCEPT}, ok_missing=True)
    if response is None:
        return {}
    with response:
        media = (response.headers.get("Content-Type") or NTRIPLES).split(";")[0].strip()
        fmt = pyoxigraph.RdfFormat.from_media_type(media)
        if fmt is None:
            raise LoadError(f"GET {url}: the store answered {media!r}, not an RDF syntax pyoxigraph reads")
        try:
            quads = list(pyoxigraph.parse(response, fmt, base_iri=url))
        except SyntaxError as exc:
            raise LoadError(f"GET {url}: unreadable {fmt.name} from the store: {exc}") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise LoadError(f"GET {url}: connection lost while reading the graph: {exc}") from exc
    digests = {q.subject.value: q.object.value for q in quads if q.predicate.value == nquads.DIGEST}
    counts = [q.object.value for q in quads if q.predicate.value == nquads.GRAPH_COUNT]
    if (digests or counts) and counts != [str(len(digests))]:
        # a store that cuts a graph GET at a result-size limit (Virtuoso's ResultSetMaxRows) without
        # saying so: taken as it is, unchanged figures would be sent again and gone ones kept
        expected = f"{counts[0]} were recorded" if len(counts) == 1 else "their count is missing"
        raise LoadError(
            f"GET {url}: the store returned {len(digests)} graph digests, but {expected}: it cut its answer; "
            "raise its result-size limit (Virtuoso: ResultSetMaxRows, docs/stores.md)"
        )
    return digests


def _digests_ntriples(runs: list[nquads.GraphRun]) -> bytes:
    digest = f"<{nquads.DIGEST}>"
    count = f'<{nquads.LOADED_GRAPH}> <{nquads.GRAPH_COUNT}> "{len(runs)}"^^<{XSD}integer> .\n'
    return ("".join(f'<{run.graph}> {digest} "{run.digest}" .\n' for run in runs) + count).encode("utf-8")


def load_by_figure(
    endpoint: str,
    path: Path,
    http_client: Http,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> ByFigureReport:
    """Bring the store's graphs to what the pfocr.nq at `path` holds, sending only the graphs whose
    lines changed since the store's last load by this function: each one replaced (a PUT, then
    POSTs of its further chunks), and the graphs of figures gone from the file deleted. Which
    changed is judged by the SHA-256 of each graph's lines, which the store keeps in the graph
    kg.write.nquads.LOADED_GRAPH (so it holds for whoever loads the store next); it is written
    last, so an interrupted load sends the same graphs again the next time."""
    check_url(endpoint)
    if chunk_size < 1:
        raise InputError(f"chunk size must be at least 1, not {chunk_size}")
    if not path.is_file():
        raise InputError(f"{path}: no such file (run `kg build --format nq` first)")
    try:
        runs = list(nquads.graph_runs(path))
    except nquads.LayoutError as exc:
        raise InputError(str(exc)) from exc
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from exc
    for run in runs:
        check_iri(run.graph, f"{path}:{run.first_line}: graph name")
        if run.graph == nquads.LOADED_GRAPH:
            raise InputError(f"{path}:{run.first_line}: graph <{run.graph}> is where kg load keeps its digests")
    before = loaded_digests(http_client, endpoint)
    changed = [run for run in runs if before.get(run.graph) != run.digest]
    gone = sorted(set(before) - {run.graph for run in runs})
    total = sum(run.end - run.start for run in changed)
    sent = requests = done = 0
    for run in changed:
        client = GraphStoreClient(endpoint, run.graph, http_client)
        for number, (data, first) in enumerate(nquads.ntriples_of(path, run, chunk_size)):
            try:
                count = _check_triples(pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES), path)
            except SyntaxError as exc:
                line = first + (exc.lineno or 1) - 1
                raise InputError(f"{path}:{line}: not valid N-Quads: {_reason(exc)}") from exc
            (client.put if number == 0 else client.post)(data)
            requests += 1
            sent += count
        done += run.end - run.start
        if progress is not None:
            progress(done, total, sent)
    for graph in gone:
        GraphStoreClient(endpoint, graph, http_client).delete()
        requests += 1
    if changed or gone:
        GraphStoreClient(endpoint, nquads.LOADED_GRAPH, http_client).put(_digests_ntriples(runs))
        requests += 1
    return ByFigureReport(len(runs), tuple(run.graph for run in changed), tuple(gone), sent, requests)
