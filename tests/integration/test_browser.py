"""The pages in a real browser: Debian's Chromium, headless, driven over the Chrome DevTools
Protocol. A figure page, a gene page, the index (with its search) and the build report must
render without console errors, their JSON-LD must parse, and a screenshot of each is written
under the test's temporary folder. Four of them (a figure page with its image, a gene page, the
index with a search, report.html) are also written where a person can look at them: the folder
named by $KG_SCREENSHOTS, else build/screenshots/ of the checkout (docs/screenshots/ holds a
small copy). The machine running the tests may have no network: the figure image, loaded from
PubMed Central, then shows as its alt text; the tests check the <img> element and its attributes,
and only a failed load of a PubMed Central image is not counted as an error.

Chromium is driven through --remote-debugging-pipe (commands on its fd 3, answers on fd 4, one
JSON message per NUL): no port, no websocket, no driver binary, nothing beyond the standard
library, and the browser's own console and exception events (which a screenshot-only CLI run
cannot report reliably). Skipped with the reason when /usr/bin/chromium is absent; under CI a
missing browser fails (.ci/run installs it).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, SAMPLE, SEED_FIGID
from helpers.build import Build, run_build
from helpers.hostile import HOSTILE, HOSTILE_GENE, write_hostile_record
from helpers.needs import MATPLOTLIB_HINT, require_binary, require_module

from kg.publish.site import publish

pytestmark = pytest.mark.slow

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
)
TIMEOUT = 30.0
OTHER_FIGID = "PMC1069646__pbio.0030121.g003"  # genes and 25 chemicals
PMC_IMAGES = "https://www.ncbi.nlm.nih.gov/pmc/articles/"  # where figure images load from (no network here: they fail)


def screenshots() -> Path:
    """Where the screenshots people look at go: $KG_SCREENSHOTS, else build/screenshots/."""
    folder = Path(os.environ.get("KG_SCREENSHOTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Visit:
    url: str
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, failed loads
    dialogs: list[str] = field(default_factory=list)  # alert(), confirm(), prompt()
    json_ld: list[Any] = field(default_factory=list)
    screenshot: Path | None = None
    offline_images: list[str] = field(default_factory=list)  # PubMed Central images that could not load


class Chromium:
    """One headless Chromium, spoken to over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def plumbing() -> None:  # in the child: the pipes on fds 3 and 4, inheritable
            read_end, write_end = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.log = (profile.parent / "chromium.log").open("wb")
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            preexec_fn=plumbing, close_fds=False,  # noqa: PLW1509 - only dup2 before exec: fds 3, 4 are the pipe
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        self.call("Browser.getVersion")

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed the pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._event(answer)

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if event.get("method") == "Page.javascriptDialogOpening":  # never leave a page blocked
            message = {"id": 0, "method": "Page.handleJavaScriptDialog", "params": {"accept": False},
                       "sessionId": event.get("sessionId")}
            os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")

    def wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == method and e.get("sessionId") == session for e in self.events):
            event = self._read(deadline)
            if "method" in event:
                self._event(event)

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, shot: Path, width: int = 1200, height: int = 900) -> tuple[Visit, str]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
        self.call("Page.navigate", {"url": url}, session)
        self.wait_for("Page.loadEventFired", session)
        self.evaluate(session, "new Promise(done => setTimeout(done, 150))")  # let scripts settle
        visit = Visit(url)
        visit.json_ld = self.evaluate(session, """Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
            .map(s => JSON.parse(s.textContent))""")
        shot.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)["data"]))
        visit.screenshot = shot
        return visit, session

    def collect(self, visit: Visit, session: str) -> Visit:
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                visit.errors.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                url = params["entry"].get("url", "")
                if url.startswith(PMC_IMAGES) and params["entry"].get("source") == "network":
                    visit.offline_images.append(url)  # the figure image: no network on a test machine
                    continue
                visit.errors.append(f"log: {params['entry'].get('text')} {url}")
            elif method == "Page.javascriptDialogOpening":
                visit.dialogs.append(params.get("message", ""))
        return visit

    def close_page(self, session: str) -> None:
        target = self.call("Target.getTargetInfo", session=session)["targetInfo"]["targetId"]
        self.call("Target.closeTarget", {"targetId": target})

    def quit(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, TimeoutError, EOFError, RuntimeError):
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = require_binary("/usr/bin/chromium", "chromium", "chromium-browser", hint="apt-get install -y chromium")
    tmp = tmp_path_factory.mktemp("chromium")
    chromium = Chromium(binary, tmp / "profile")
    try:
        yield chromium
    finally:
        chromium.quit()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """A few sample records and the hostile copy of the seed (HOSTILE in its title, caption…)."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "db"
    (db / "_figures").mkdir(parents=True)
    for figid in (OTHER_FIGID, "PMC10028837__nihpp-2023.03.03.530734v1-f0001"):
        shutil.copy(SAMPLE / "_figures" / f"{figid}.md", db / "_figures")
    write_hostile_record(db)
    build = run_build(tmp / "out", db)
    publish(build.outdir / "pfocr.nt", tmp / "site", memory=True, dumps=False)
    return build, tmp / "site"


def _visit(browser: Chromium, path: Path, shot: Path) -> tuple[Visit, str]:
    visit, session = browser.open(path.resolve().as_uri(), shot)
    return visit, session


def _clean(browser: Chromium, visit: Visit, session: str) -> Visit:
    browser.collect(visit, session)
    browser.close_page(session)
    assert visit.errors == [], visit.errors
    assert visit.dialogs == [], visit.dialogs
    assert visit.screenshot is not None and visit.screenshot.stat().st_size > 5000
    assert visit.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return visit


def test_figure_page(browser: Chromium, built: tuple[Build, Path]) -> None:
    _, site = built
    visit, session = _visit(browser, site / "figures" / f"{OTHER_FIGID}.html", screenshots() / "figure.png")
    stylesheet = browser.evaluate(session, "getComputedStyle(document.querySelector('header.site')).display")
    flagged = browser.evaluate(session, "document.querySelectorAll('tr.flagged .badge.flag').length")
    image = browser.evaluate(session, """Array.from(document.images).map(i => ({
        src: i.getAttribute('src'), alt: i.alt, loading: i.loading, cls: i.className,
        shown: i.getBoundingClientRect().height > 0, linked: i.parentElement.getAttribute('href')}))""")
    title = browser.evaluate(session, "document.querySelector('h1').textContent")
    _clean(browser, visit, session)
    assert stylesheet == "flex"  # site.css was found and applied
    assert flagged > 0  # alias matches are visibly marked
    assert len(visit.json_ld) == 1 and visit.json_ld[0]["@type"] == "Dataset"
    assert visit.json_ld[0]["identifier"] == OTHER_FIGID
    assert visit.json_ld[0]["about"]["@type"] == "ImageObject"  # v2: the record is about its image
    src = visit.json_ld[0]["about"]["contentUrl"]
    assert src == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1069646/bin/pbio.0030121.g003.jpg"
    assert image == [{"src": src, "alt": f"Figure: {title}", "loading": "lazy", "cls": "figure", "shown": True, "linked": src}]
    assert visit.offline_images in ([], [src])  # no network here: the image fails to load, its alt text shows


def test_hostile_figure_page_runs_nothing(browser: Chromium, built: tuple[Build, Path], tmp_path: Path) -> None:
    _, site = built
    visit, session = _visit(browser, site / "figures" / f"{SEED_FIGID}.html", tmp_path / "hostile.png")
    counts = browser.evaluate(session, """({scripts: document.scripts.length,
        injected: document.querySelectorAll('b, img:not(.figure), body script').length,
        h1: document.querySelector('h1').textContent,
        caption: document.querySelector('section.caption p').textContent})""")
    _clean(browser, visit, session)
    assert counts == {"scripts": 1, "injected": 0, "h1": f"Title {HOSTILE}", "caption": f"Caption {HOSTILE}"}
    assert visit.json_ld[0]["name"] == f"Title {HOSTILE}"


def test_hostile_gene_page_runs_nothing(browser: Chromium, built: tuple[Build, Path], tmp_path: Path) -> None:
    """The gene whose HGNC symbol (its name) is HOSTILE: shown as text, the JSON-LD parses."""
    _, site = built
    visit, session = _visit(browser, site / "genes" / f"{HOSTILE_GENE}.html", tmp_path / "hostile-gene.png")
    counts = browser.evaluate(session, """({scripts: document.scripts.length,
        injected: document.querySelectorAll('b, img, body script').length,
        title: document.title, h1: document.querySelector('h1').firstChild.textContent})""")
    _clean(browser, visit, session)
    assert counts["scripts"] == 1 and counts["injected"] == 0
    assert counts["h1"] == f"Gene {HOSTILE} " and counts["title"].startswith(f"Gene {HOSTILE} (NCBI Gene")
    assert visit.json_ld[0]["name"] == f"Gene {HOSTILE}"


def test_gene_page(browser: Chromium, built: tuple[Build, Path]) -> None:
    _, site = built
    visit, session = _visit(browser, site / "genes" / "7124.html", screenshots() / "gene.png")
    rows = browser.evaluate(session, "document.querySelectorAll('table.figures tbody tr').length")
    _clean(browser, visit, session)
    assert rows == 1
    assert visit.json_ld[0]["@type"] == "Gene" and visit.json_ld[0]["name"] == "TNF"


@pytest.mark.parametrize(("path", "kind"), [
    ("papers/PMC10028837.html", "ScholarlyArticle"),
    ("journal/biorxiv.html", "Periodical"),
    ("publisher/cold-spring-harbor-laboratory.html", "Organization"),
    ("chemicals/D000447.html", "ChemicalSubstance"),
    ("vocab.html", None),
])
def test_other_pages(browser: Chromium, built: tuple[Build, Path], tmp_path: Path, path: str, kind: str | None) -> None:
    """The v2 pages: paper, journal, publisher, chemical (their JSON-LD parses, of the right type)
    and the vocabulary (no JSON-LD; a term's anchor is there)."""
    _, site = built
    visit, session = _visit(browser, site / path, tmp_path / "page.png")
    found = browser.evaluate(session, "({h1: document.querySelector('h1').textContent, "
                                      "term: !!document.getElementById('matchSource'), "
                                      "style: getComputedStyle(document.querySelector('header.site')).display})")
    _clean(browser, visit, session)
    assert found["h1"] and found["style"] == "flex"
    if kind is None:
        assert visit.json_ld == [] and found["term"]
    else:
        assert len(visit.json_ld) == 1 and visit.json_ld[0]["@type"] == kind


def test_index_search(browser: Chromium, built: tuple[Build, Path]) -> None:
    _, site = built
    visit, session = _visit(browser, site / "index.html", Path(str(site)) / "index-loaded.png")
    initial = browser.evaluate(session, """({figures: Array.from(document.querySelectorAll('#figure-results li > div > a'))
        .map(a => a.textContent), years: Array.from(document.querySelectorAll('#figure-results li')).map(li =>
        li.querySelector('.muted').textContent.trim().slice(0, 4)), captions: !!window.PFOCR_TEXT})""")
    by_title = browser.evaluate(session, """(() => {
        const s = document.getElementById('sort');
        s.value = 'title'; s.dispatchEvent(new Event('change'));
        const titles = Array.from(document.querySelectorAll('#figure-results li > div > a')).map(a => a.textContent);
        s.value = 'year'; s.dispatchEvent(new Event('change'));
        return titles;
    })()""")
    tnf = browser.evaluate(session, """(() => {
        const q = document.getElementById('q');
        q.value = 'tnf'; q.dispatchEvent(new Event('input'));
        const first = document.querySelector('#gene-results li a');
        return {href: first.getAttribute('href'), text: first.textContent,
                genes: document.querySelectorAll('#gene-results li').length};
    })()""")
    hostile = browser.evaluate(session, """(() => {
        const q = document.getElementById('q');
        q.value = 'alert(1)'; q.dispatchEvent(new Event('input'));
        const links = Array.from(document.querySelectorAll('#figure-results li a'));
        return {titles: links.map(a => a.textContent),
                injected: document.querySelectorAll('#results b, #results img:not(.thumb), #results script').length,
                thumbs: Array.from(document.querySelectorAll('#results img.thumb')).map(i => [i.alt, i.loading,
                        i.getAttribute('src').startsWith('https://www.ncbi.nlm.nih.gov/pmc/articles/')]),
                scripts: document.scripts.length};
    })()""")
    organism = browser.evaluate(session, """(() => {
        const q = document.getElementById('q'), o = document.getElementById('organism');
        q.value = ''; q.dispatchEvent(new Event('input'));
        const chosen = Array.from(o.options).find(x => x.textContent.startsWith('Homo sapiens'));
        o.value = chosen.value; o.dispatchEvent(new Event('change'));
        const n = document.querySelectorAll('#figure-results li').length;
        o.value = ''; o.dispatchEvent(new Event('change'));
        return n;
    })()""")
    chemical = browser.evaluate(session, """(() => {  // a chemical's name, in no title: found by the figure's names
        const q = document.getElementById('q');
        q.value = 'fructose'; q.dispatchEvent(new Event('input'));
        return {terms: Array.from(document.querySelectorAll('#term-results li a')).map(a => a.getAttribute('href')),
                figures: Array.from(document.querySelectorAll('#figure-results li > div > a')).map(a => a.getAttribute('href')),
                summary: document.getElementById('summary').textContent};
    })()""")
    caption = browser.evaluate(session, """(() => {  // words of a caption only
        const q = document.getElementById('q');
        q.value = 'rickettsia black arrows'; q.dispatchEvent(new Event('input'));
        return Array.from(document.querySelectorAll('#figure-results li > div > a')).map(a => a.getAttribute('href'));
    })()""")
    browser.evaluate(session, """(() => {  // the state of the screenshot: a search for a gene
        const q = document.getElementById('q');
        q.value = 'tnf'; q.dispatchEvent(new Event('input'));
    })()""")
    shot = screenshots() / "index-search.png"
    shot.write_bytes(base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session)["data"]))
    _clean(browser, visit, session)
    assert len(initial["figures"]) == 3 and initial["captions"]
    assert initial["years"] == sorted(initial["years"], reverse=True)  # newest first
    assert by_title == sorted(initial["figures"], key=str.casefold) and by_title != initial["figures"]
    assert tnf == {"href": "genes/7124.html", "text": "TNF", "genes": tnf["genes"]} and tnf["genes"] >= 1
    assert hostile["titles"] == [f"Title {HOSTILE}"] and hostile["injected"] == 0 and hostile["scripts"] == 3
    assert hostile["thumbs"] == [["", "lazy", True]]
    assert organism == 3
    assert chemical["terms"] and all(h.startswith("chemicals/") for h in chemical["terms"])
    assert chemical["figures"] and "names" in chemical["summary"]
    assert caption == [f"figures/{OTHER_FIGID}.html"]  # "rickettsia", "black", "arrows": in its caption, not its title
    assert shot.stat().st_size > 5000


def test_build_report(browser: Chromium, built: tuple[Build, Path], tmp_path: Path) -> None:
    require_module("matplotlib", hint=MATPLOTLIB_HINT)
    build, _ = built
    visit, session = _visit(browser, build.outdir / "report.html", screenshots() / "report.png")
    shown = browser.evaluate(session, """Array.from(document.querySelectorAll('svg'))
        .map(s => s.getBoundingClientRect()).filter(r => r.width > 100 && r.height > 50).length""")
    _clean(browser, visit, session)
    assert shown == 6  # years, genes per figure, kinds of match, organisms, top genes (exact), family expansions
    assert visit.json_ld == []


def test_the_checks_do_catch_errors(browser: Chromium, tmp_path: Path) -> None:
    """A page with a thrown error, console.error, a missing stylesheet, broken JSON-LD and an
    alert(): each is reported (so the checks above are not vacuous)."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>broken</title>'
        '<link rel="stylesheet" href="missing.css"></head><body><p>broken</p>'
        "<script>console.error('logged'); alert('hi'); setTimeout(() => { throw new Error('thrown'); });</script>"
        "</body></html>", encoding="utf-8")
    visit, session = browser.open(page.as_uri(), tmp_path / "broken.png")
    browser.collect(visit, session)
    browser.close_page(session)
    text = "\n".join(visit.errors)
    assert "thrown" in text and "logged" in text and "missing.css" in text, text
    assert visit.dialogs == ["hi"]
    bad = tmp_path / "bad-json.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x</title>'
                   '<script type="application/ld+json">{"a": </script></head><body></body></html>', encoding="utf-8")
    with pytest.raises(AssertionError, match="threw"):
        browser.open(bad.as_uri(), tmp_path / "bad.png")
