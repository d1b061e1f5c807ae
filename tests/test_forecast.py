"""Rebuilds foresee report.html's numbers (kg.publish.forecast): the last build's GraphFacts,
the records that went withdrawn and those that came applied, give the numbers the rebuild then
really gathers; the plot helper is asked for the foreseen plots before the first record is
written, or not started at all when every one is memoised; and whatever the forecast, the outputs
are the bytes of a fresh full build.

One build of a copy of the sample is kept (module scope) and restored before each rebuild, so
each change is measured against the same previous build, in the same OUTDIR (the facts file is
named after OUTDIR's path)."""

from __future__ import annotations

import copy
import json
import pickle
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE

import kg.pipeline
import kg.publish.forecast as forecast_module
from kg.cache import CACHE_NAME, PLOTS_NAME, _framed, _write_framed, salt
from kg.check.gate import DEFAULT_ENGINE, Gate
from kg.check.shapes import shape_files
from kg.outcomes import Outcome, RunSettings, Worker
from kg.pipeline import BuildOptions, BuildReport, build
from kg.publish import report_html
from kg.publish.forecast import facts_file, forecast
from kg.publish.graph_facts import GraphFacts
from kg.publish.plot_helper import PlotHelper
from kg.publish.report_html import GraphStatistics, PlotMemo
from kg.read.layout import discover
from kg.read.textfile import DEFAULT_MAX_BYTES
from kg.write.ntriples import NTriplesWriter

OUTPUT_FILES = ("pfocr.nt", "pfocr.ttl", "validation.ttl", "report.json", "report.html")
INLINE = "PMC2776288__ajtr0001-0001-f3"  # genes inline in the front matter
SIDECAR = "PMC10017456__fpls-14-1084358-g002"  # genes (and chemicals) in _data/ TSVs
TWIN = "PMC10028837__nihpp-2023.03.03.530734v1-f0009"  # its paper has another figure (…-f0001)
COPY = "PMC10017456__fpls-14-1084358-g099"  # a new figure of SIDECAR's paper, with its genes
NEW_PAPER = "PMC9999999__new-f1"  # a new figure of a new paper, of a year no other figure has


def needs_matplotlib() -> None:
    if not report_html.matplotlib_installed():
        pytest.skip("matplotlib is not installed: nothing is foreseen without plots to draw")


# --------------------------------------------------------------------------------------------
# The changes


def _remove(db: Path, figid: str) -> None:
    (db / "_figures" / f"{figid}.md").unlink()
    for tsv in (db / "_data").glob(f"{figid}-*.tsv"):
        tsv.unlink()


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


def _add_copy(db: Path) -> None:
    """SIDECAR under a new figid (file name, figid and every other mention of it), TSVs too."""
    text = (db / "_figures" / f"{SIDECAR}.md").read_text("utf-8")
    assert f"figid: {SIDECAR}\n" in text
    (db / "_figures" / f"{COPY}.md").write_text(text.replace(SIDECAR, COPY), "utf-8")
    tsvs = list((db / "_data").glob(f"{SIDECAR}-*.tsv"))
    assert tsvs
    for tsv in tsvs:
        shutil.copy(tsv, tsv.with_name(tsv.name.replace(SIDECAR, COPY)))


def _add_new_paper(db: Path) -> None:
    text = (db / "_figures" / f"{INLINE}.md").read_text("utf-8")
    text = text.replace(INLINE, NEW_PAPER).replace("PMC2776288", "PMC9999999")
    text, n = re.subn(r"^year: '2009'$", "year: '1999'", text, flags=re.MULTILINE)
    assert n == 1
    (db / "_figures" / f"{NEW_PAPER}.md").write_text(text, "utf-8")


def _drop_a_sidecar_gene(db: Path) -> None:
    tsv = db / "_data" / f"{SIDECAR}-genes.tsv"
    lines = tsv.read_text("utf-8").splitlines(keepends=True)
    tsv.write_text("".join(lines[:-1]), "utf-8")  # one gene row fewer


def _swap_an_inline_gene(db: Path) -> None:
    """XIAP (331) becomes TP53 (7157), a gene no figure of the sample mentions."""
    _replace(db / "_figures" / f"{INLINE}.md", "  hgnc_symbol: XIAP\n  entrez: '331'",
             "  hgnc_symbol: TP53\n  entrez: '7157'")


def _edit_caption(db: Path) -> None:
    md = db / "_figures" / f"{INLINE}.md"
    _replace(md, "  description: Crosstalk", "  description: Changed. Crosstalk")


CHANGES: dict[str, Callable[[Path], None]] = {
    "remove-record": lambda db: _remove(db, INLINE),
    "remove-figure-of-a-shared-paper": lambda db: _remove(db, TWIN),
    "add-copy-with-sidecars": _add_copy,
    "add-record-of-a-new-paper": _add_new_paper,
    "edit-sidecar-genes": _drop_a_sidecar_gene,
    "edit-inline-gene": _swap_an_inline_gene,
    "edit-caption": _edit_caption,
}
NUMBER_CHANGES = [name for name in CHANGES if name != "edit-caption"]


# --------------------------------------------------------------------------------------------
# The workspace: one first build, restored before each rebuild


def _build(root: Path, outdir: Path, **options: Any) -> BuildReport:
    return build(BuildOptions([root], outdir, **options))


def _outputs(outdir: Path) -> dict[str, bytes]:
    files = {name: (outdir / name).read_bytes() for name in OUTPUT_FILES}
    files.update({f"quarantine/{p.name}": p.read_bytes() for p in sorted((outdir / "quarantine").iterdir())})
    return files


def _stats(stats: GraphStatistics) -> dict[str, object]:
    return {f.name: getattr(stats, f.name) for f in fields(stats)}


def _differences(ours: GraphStatistics, theirs: GraphStatistics) -> list[str]:
    return [name for name, value in _stats(ours).items() if value != getattr(theirs, name)]


def _specs(stats: GraphStatistics) -> list[str]:
    """The plots report.html draws for these numbers, as the helper's protocol writes them."""
    sections = report_html._sections(stats)
    return [json.dumps(list(spec)) for _key, _h, spec, _t, _n in sections if spec is not None]


class _NoHelper:
    """A plot helper that never answers: report.html's plots are drawn in the build process."""

    def ask(self, specs: Any) -> None:
        pass

    def draw(self, specs: Any) -> None:
        return None

    def close(self) -> None:
        pass


@dataclass
class Workspace:
    root: Path
    first: BuildReport
    fresh: dict[str, dict[str, bytes]] = field(default_factory=dict)  # change → a --no-cache build's

    @property
    def db(self) -> Path:
        return self.root / "db"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def facts(self) -> Path:
        return facts_file(self.out / CACHE_NAME, self.out)

    def restore(self) -> None:
        for name in ("db", "out", "full"):
            shutil.rmtree(self.root / name, ignore_errors=True)
        shutil.copytree(self.root / "backup" / "db", self.db)
        shutil.copytree(self.root / "backup" / "out", self.out)

    def fresh_outputs(self, change: str) -> dict[str, bytes]:
        """A full --no-cache build of the corpus as it is now (beside OUTDIR: same links), its
        plots drawn in this process: a reference that owes nothing to the helper process."""
        if change not in self.fresh:
            full = self.root / "full"
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(kg.pipeline, "PlotHelper", _NoHelper)
                report = _build(self.db, full, use_cache=False)
            assert report.reused == 0
            self.fresh[change] = _outputs(full)
        return self.fresh[change]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    needs_matplotlib()
    root = tmp_path_factory.mktemp("forecast")
    shutil.copytree(SAMPLE, root / "db")
    first = _build(root / "db", root / "out")
    assert first.graph is not None and first.figures_written == 35
    assert facts_file(root / "out" / CACHE_NAME, root / "out").is_file()
    (root / "backup").mkdir()
    shutil.copytree(root / "db", root / "backup" / "db")
    shutil.copytree(root / "out", root / "backup" / "out")
    return Workspace(root, first)


def _settings(out: Path) -> RunSettings:
    """What a default `kg build -o OUT` runs with (the gate on, the default shapes)."""
    shapes = shape_files(None)
    return RunSettings(DEFAULT_MAX_BYTES, shapes, DEFAULT_ENGINE, (out / CACHE_NAME).absolute(),
                       salt(shapes, DEFAULT_ENGINE, DEFAULT_MAX_BYTES))


def _foreseen(ws: Workspace) -> GraphFacts | None:
    """The forecast as the pipeline makes it before writing: the records' keys, the last
    build's facts file, each changed record's outcome from the cache or computed (here by a
    Worker of our own, without storing it: the rebuild computes it as it would anyway)."""
    settings = _settings(ws.out)
    cache = settings.cache()
    sources = discover([ws.db])
    keys = cache.keys(sources)
    by_key = dict(zip(keys, sources))
    worker = settings.worker()

    def outcome(key: str) -> Outcome | None:
        return cache.load(key) if cache.has(key) else worker(by_key[key])

    return forecast(ws.facts, keys, outcome)


@dataclass
class Rebuild:
    before: GraphStatistics  # the first build's numbers
    foreseen: GraphFacts | None  # computed here, before the rebuild
    piped: list[GraphStatistics | None]  # what the pipeline's own forecast gave, each call
    memoised: set[str]  # the plot memo before the rebuild
    events: list[tuple[str, Any]]  # helper (started), ask, draw, drawn, here (drawn in-process), write
    report: BuildReport
    outputs: dict[str, bytes]
    fresh: dict[str, bytes]


def _rebuild(ws: Workspace, change: str, damage: Callable[[Workspace], None] | None = None) -> Rebuild:
    ws.restore()
    CHANGES[change](ws.db)
    if damage is not None:
        damage(ws)
    memoised = {p.stem for p in (ws.out / CACHE_NAME / PLOTS_NAME).glob("*.svg")}
    foreseen = _foreseen(ws)
    piped: list[GraphStatistics | None] = []
    events: list[tuple[str, Any]] = []
    real_forecast = kg.pipeline.forecast_from
    real_init, real_ask, real_draw = PlotHelper.__init__, PlotHelper.ask, PlotHelper.draw
    real_write = NTriplesWriter.write_figure
    real_draw_here = report_html.draw_bar_plot

    def spy_forecast(*args: Any) -> GraphFacts | None:
        found = real_forecast(*args)
        piped.append(None if found is None else copy.deepcopy(found).statistics())
        return found

    def spy_init(self: PlotHelper) -> None:
        events.append(("helper", None))
        real_init(self)

    def spy_ask(self: PlotHelper, specs: Any) -> None:
        if specs:
            events.append(("ask", [json.dumps(list(spec)) for spec in specs]))
        real_ask(self, specs)

    def spy_draw(self: PlotHelper, specs: Any) -> Any:
        events.append(("draw", [json.dumps(list(spec)) for spec in specs]))
        answer = real_draw(self, specs)
        events.append(("drawn", answer is not None))
        return answer

    def spy_write(self: NTriplesWriter, *args: Any, **kwargs: Any) -> Any:
        events.append(("write", None))
        return real_write(self, *args, **kwargs)

    def spy_draw_here(*spec: Any) -> Any:
        events.append(("here", spec[0]))
        return real_draw_here(*spec)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_html, "draw_bar_plot", spy_draw_here)
        mp.setattr(kg.pipeline, "forecast_from", spy_forecast)
        mp.setattr(PlotHelper, "__init__", spy_init)
        mp.setattr(PlotHelper, "ask", spy_ask)
        mp.setattr(PlotHelper, "draw", spy_draw)
        mp.setattr(NTriplesWriter, "write_figure", spy_write)
        report = _build(ws.db, ws.out)
    assert report.graph is not None and not report.up_to_date
    outputs = _outputs(ws.out)
    assert ws.first.graph is not None
    return Rebuild(ws.first.graph.statistics(), foreseen, piped, memoised, events, report, outputs,
                   ws.fresh_outputs(change))


@pytest.fixture(scope="module")
def rebuilt(ws: Workspace) -> Callable[[str], Rebuild]:
    """Each change's rebuild, made once for the tests that look at it."""
    done: dict[str, Rebuild] = {}

    def get(change: str) -> Rebuild:
        if change not in done:
            done[change] = _rebuild(ws, change)
        return done[change]

    return get


# --------------------------------------------------------------------------------------------
# a) the forecast is what the rebuild gathers; the rebuild is a full build's bytes


@pytest.mark.parametrize("change", NUMBER_CHANGES)
def test_the_forecast_is_the_numbers_the_rebuild_gathers(
    rebuilt: Callable[[str], Rebuild], change: str
) -> None:
    r = rebuilt(change)
    assert r.report.graph is not None
    real = r.report.graph.statistics()
    assert _differences(real, r.before), "the change should move report.html's numbers"
    assert r.foreseen is not None
    ours = r.foreseen.statistics()
    assert _differences(ours, real) == []
    assert _stats(ours) == _stats(real)
    # the pipeline foresaw the same, once
    assert len(r.piped) == 1 and r.piped[0] is not None
    assert _stats(r.piped[0]) == _stats(real)


@pytest.mark.parametrize("change", NUMBER_CHANGES)
def test_a_foreseen_rebuild_writes_a_full_builds_bytes(
    rebuilt: Callable[[str], Rebuild], change: str
) -> None:
    r = rebuilt(change)
    assert r.outputs["report.html"] == r.fresh["report.html"]
    assert r.outputs == r.fresh


def test_the_changes_are_what_they_claim(rebuilt: Callable[[str], Rebuild], ws: Workspace) -> None:
    """Guard against a change silently not happening (a quarantined copy, say)."""
    n = ws.first.figures_written
    expected = {
        "remove-record": n - 1, "remove-figure-of-a-shared-paper": n - 1,
        "add-copy-with-sidecars": n + 1, "add-record-of-a-new-paper": n + 1,
        "edit-sidecar-genes": n, "edit-inline-gene": n,
    }
    for change, figures in expected.items():
        r = rebuilt(change)
        assert (r.report.figures_written, r.report.quarantined) == (figures, []), change
        real = r.report.graph.statistics()  # type: ignore[union-attr]
        if change == "add-copy-with-sidecars":
            assert (real.papers, real.annotations > r.before.annotations) == (r.before.papers, True)
            assert real.entity_links > r.before.entity_links
        if change == "add-record-of-a-new-paper":
            assert (real.papers, real.figures_per_year["1999"]) == (r.before.papers + 1, 1)
        if change == "remove-figure-of-a-shared-paper":
            assert real.papers == r.before.papers
        if change == "edit-inline-gene":
            assert real.gene_symbols.get("<https://identifiers.org/ncbigene/7157>") == "TP53"


# --------------------------------------------------------------------------------------------
# b) withdraw_packed undoes apply_packed, on real packed facts


@pytest.fixture(scope="module")
def sample_outcomes() -> dict[str, Outcome]:
    """Every sample record's outcome, computed by kg's worker as a build computes it."""
    worker = Worker(DEFAULT_MAX_BYTES, Gate(shape_files(None), DEFAULT_ENGINE))
    found = {source.md.stem: worker(source) for source in discover([SAMPLE])}
    assert all(o.problem is None and not o.failed and o.own_facts is not None for o in found.values())
    return found


def _written(outcomes: list[Outcome]) -> GraphFacts:
    """The facts a build gathers writing these outcomes in this order (each entity block once,
    with the first figure linking to it), as kg.pipeline._record applies them."""
    graph, written = GraphFacts(), set()
    for outcome in outcomes:
        graph.apply_packed(outcome.own_facts)
        for iri, block in outcome.entities.items():
            if iri not in written:
                written.add(iri)
                graph.apply_sealed(block[3])
    return graph


def _own(outcome: Outcome, kind: int) -> set[str]:
    assert outcome.own_facts is not None
    return set(outcome.own_facts[kind])


GENES, SOURCES, ABOUT = 2, 3, 4  # PackedFacts: gene_figures, sources, (record, image) pairs


@pytest.mark.parametrize(("a", "b", "shared"), [
    ("PMC10028837__nihpp-2023.03.03.530734v1-f0001", TWIN, "paper and genes"),
    ("PMC100008__mb2411709009", "PMC1440875__pgen.0020057.g005", "genes"),
    ("PMC1383482__ppat.0020004.g001", INLINE, "genes"),
    ("PMC100005__mb2410575011", "PMC10957088__pbio.3002543.g006", "nothing"),
])
def test_withdrawing_b_after_a_and_b_leaves_a(
    sample_outcomes: dict[str, Outcome], a: str, b: str, shared: str
) -> None:
    A, B = sample_outcomes[a], sample_outcomes[b]
    genes = _own(A, GENES) & _own(B, GENES)
    papers = {a.split("__")[0]} & {b.split("__")[0]}  # a figid starts with its paper's PMC id
    assert len(_own(A, ABOUT)) == len(_own(B, ABOUT)) == 1  # each record is about its one image
    assert bool(genes) == ("genes" in shared) and bool(papers) == ("paper" in shared)
    assert _own(B, GENES) - _own(A, GENES), "B mentions genes A does not: their names must go"
    alone = _written([A])
    both = _written([A, B])
    assert _differences(both.statistics(), alone.statistics())
    both.withdraw_packed(B.own_facts)
    ours, theirs = both.statistics(), alone.statistics()
    assert _differences(ours, theirs) in ([], ["source_labels", "source_kinds"])
    assert _specs(ours) == _specs(theirs)  # the plots are A's
    for name in ("figures", "genes_in", "figure_image", "image_records", "image_paper", "paper_images", "paper_year",
                 "gene_figures", "sources", "genes", "organisms", "gene_symbols", "entity_links"):
        assert getattr(both, name) == getattr(alone, name), name
    # By design a match source's label and kind stay when no mention counts it any more (unlike a
    # gene's name or a paper's year): only those of the sources B alone used linger, and no plot
    # or table shows a source without mentions.
    lingering = set(both.source_labels) - set(alone.source_labels)
    assert lingering == _own(B, SOURCES) - _own(A, SOURCES)
    assert set(both.source_kinds) - set(alone.source_kinds) == lingering
    for labels in ("source_labels", "source_kinds"):
        kept = {s: v for s, v in getattr(both, labels).items() if s not in lingering}
        assert kept == getattr(alone, labels), labels


def test_withdrawing_any_record_from_the_whole_sample_is_the_sample_without_it(
    sample_outcomes: dict[str, Outcome],
) -> None:
    """What a rebuild that removes one record foresees, for each record of the sample."""
    order = sorted(sample_outcomes)
    everything = _written([sample_outcomes[name] for name in order])
    wrong = {}
    for name in order:
        foreseen = copy.deepcopy(everything)
        foreseen.withdraw_packed(sample_outcomes[name].own_facts)
        without = _written([sample_outcomes[other] for other in order if other != name])
        if differences := _differences(foreseen.statistics(), without.statistics()):
            wrong[name] = differences
    assert wrong == {}


# --------------------------------------------------------------------------------------------
# c) no facts to go by: no forecast, and the same bytes


def _truncate(ws: Workspace) -> None:
    data = ws.facts.read_bytes()
    ws.facts.write_bytes(data[: len(data) // 2])


def _garble(ws: Workspace) -> None:
    data = ws.facts.read_bytes()
    ws.facts.write_bytes(data[:16] + bytes(len(data) - 16))


def _other_version(ws: Workspace) -> None:
    """A well-framed file whose GraphFacts has fields this version does not know."""
    payload = _framed(ws.facts.read_bytes(), forecast_module._MAGIC)
    assert payload is not None
    keys, state, salt = pickle.loads(payload)
    state["figures_v2"] = state.pop("figures")
    _write_framed(ws.facts, forecast_module._MAGIC, pickle.dumps((keys, state, salt)))


def _keys_as_list(ws: Workspace) -> None:
    payload = _framed(ws.facts.read_bytes(), forecast_module._MAGIC)
    assert payload is not None
    keys, state, salt = pickle.loads(payload)
    _write_framed(ws.facts, forecast_module._MAGIC, pickle.dumps((list(keys), state, salt)))


DAMAGES: dict[str, Callable[[Workspace], None]] = {
    "missing": lambda ws: ws.facts.unlink(),
    "empty": lambda ws: ws.facts.write_bytes(b""),
    "truncated": _truncate,
    "garbage": _garble,
    "other-version": _other_version,
    "keys-not-a-tuple": _keys_as_list,
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_facts_file_gives_no_forecast_and_the_same_bytes(ws: Workspace, damage: str) -> None:
    change = "add-copy-with-sidecars"
    r = _rebuild(ws, change, DAMAGES[damage])
    assert r.foreseen is None
    assert r.piped in ([], [None])  # a missing file is not even read
    kinds = [kind for kind, _ in r.events]
    assert "helper" in kinds  # no forecast: the helper warms up, as before,
    assert "ask" not in kinds[: kinds.index("write")]  # … is asked nothing before writing,
    assert ("drawn", True) in r.events  # … and draws the plots at the end
    assert r.outputs == r.fresh
    # the rebuild left facts that foresee the next build (nothing changed: its own numbers)
    assert r.report.graph is not None
    again = _foreseen(ws)
    assert again is not None and _stats(again.statistics()) == _stats(r.report.graph.statistics())


# --------------------------------------------------------------------------------------------
# d) too many changes: nothing foreseen


def test_more_changes_than_max_changes_gives_no_forecast(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    change = "edit-sidecar-genes"  # one key went, one came: two changes

    def at_most_two_but_not_one(ws: Workspace) -> None:
        monkeypatch.setattr(forecast_module, "MAX_CHANGES", 2)
        assert _foreseen(ws) is not None
        monkeypatch.setattr(forecast_module, "MAX_CHANGES", 1)
        assert _foreseen(ws) is None

    r = _rebuild(ws, change, at_most_two_but_not_one)
    assert r.piped == [None]
    assert r.outputs == r.fresh


def test_one_change_too_many_gives_no_forecast(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws.restore()
    _add_copy(ws.db)
    _add_new_paper(ws.db)
    monkeypatch.setattr(forecast_module, "MAX_CHANGES", 2)
    assert _foreseen(ws) is not None
    _remove(ws.db, INLINE)
    assert _foreseen(ws) is None


# --------------------------------------------------------------------------------------------
# e) the plot helper in a foreseen rebuild


@pytest.mark.parametrize("change", ["add-record-of-a-new-paper", "add-copy-with-sidecars", "remove-record"])
def test_a_rebuild_that_changes_the_numbers_asks_for_its_plots_before_writing(
    rebuilt: Callable[[str], Rebuild], change: str
) -> None:
    r = rebuilt(change)
    kinds = [kind for kind, _ in r.events]
    assert kinds.count("helper") == 1 and kinds.count("ask") == 1
    first_write = kinds.index("write")
    asked = r.events[kinds.index("ask")][1]
    assert kinds.index("helper") < kinds.index("ask") < first_write
    # what it asked for is what report.html then draws: the real numbers' plots the memo lacked
    assert r.report.graph is not None
    memo = PlotMemo(Path("unused"))
    wanted = [text for text in _specs(r.report.graph.statistics())
              if memo.key(*json.loads(text)) not in r.memoised]
    assert wanted and asked == wanted
    drawn = [e[1] for e in r.events if e[0] == "draw"]
    assert drawn == [asked]
    assert ("drawn", True) in r.events  # the helper answered…
    assert "here" not in kinds  # … so nothing was drawn in the build process
    assert r.outputs["report.html"] == r.fresh["report.html"]


def test_a_caption_edit_starts_no_plot_helper(rebuilt: Callable[[str], Rebuild]) -> None:
    r = rebuilt("edit-caption")
    assert r.report.computed == 1
    assert r.foreseen is not None and _stats(r.foreseen.statistics()) == _stats(r.before)
    assert r.piped and r.piped[0] is not None and _stats(r.piped[0]) == _stats(r.before)
    assert r.report.graph is not None and _stats(r.report.graph.statistics()) == _stats(r.before)
    assert [kind for kind, _ in r.events if kind != "write"] == []  # no helper, no plot asked or drawn
    assert r.outputs["report.html"] == r.fresh["report.html"]
    assert r.outputs == r.fresh


def test_a_wrong_forecast_is_only_a_head_start(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plots foreseen wrongly are drawn but not used: report.html has the real numbers' plots."""
    real_forecast = kg.pipeline.forecast_from

    def wrong(*args: Any) -> GraphFacts | None:
        found = real_forecast(*args)
        assert found is not None
        found.organisms["Imaginary organism"] += 3
        found.figures.add("<https://pfocr.wikipathways.org/figures/PMC1__none.html>")
        return found

    r = _rebuild(ws, "add-copy-with-sidecars", lambda ws: monkeypatch.setattr(kg.pipeline, "forecast_from", wrong))
    assert r.report.graph is not None
    real = _specs(r.report.graph.statistics())
    asked = [e[1] for e in r.events if e[0] == "ask"]
    assert len(asked) == 2  # the foreseen plots before writing, the real ones missing at the end
    assert any("Imaginary organism" in spec for spec in asked[0])
    assert not any("Imaginary organism" in spec for spec in real)
    assert not set(asked[0]) >= set(real)  # some foreseen plots were wrong
    assert set(asked[1]) == set(real) - set(asked[0])
    assert r.outputs == r.fresh
