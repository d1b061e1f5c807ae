"""The plot helper's line protocol (kg.publish.plot_helper): `ask` sends a request line without
waiting, `draw` collects the answers of earlier asks and asks only for what is left, in the
order of its specs, with the bytes the build process would draw; a helper that dies after being
asked makes `draw` answer None, and the caller draws the plots itself."""

from __future__ import annotations

import json
import os
import signal
from typing import Any

import pytest

from kg.publish import report_html
from kg.publish.plot_helper import PlotHelper

ASKED_FIRST = [
    ("years", "Figures per year", ["2019", "2020", "unknown"], [3, 5, 1], False, None, "", "figures"),
    ("organisms", "Figures per organism <b>&", ["Homo sapiens", "Org </script>…"], [4, 1], True,
     ["#d08c00", "#2e7d32"], "figures", ""),
]
THE_REST = [
    ("genes-per-figure", "Figures by number of genes mentioned", ["0", "1", "2–5"], [1, 0, 7], False, None,
     "genes mentioned", "figures"),
    ("top-genes", "Genes mentioned in the most figures (top 2)", ["TP53 (7157)", "Ωmega (1)"], [9, 2], True,
     None, "figures", ""),
]


@pytest.fixture(scope="module", autouse=True)
def _needs_matplotlib() -> None:
    if not report_html.matplotlib_installed():
        pytest.skip("matplotlib is not installed: the helper draws nothing")


@pytest.fixture(scope="module")
def here() -> dict[str, str]:
    """Each spec's SVG as the build process draws it."""
    drawn = {}
    for spec in ASKED_FIRST + THE_REST:
        svg = report_html.draw_bar_plot(*spec)
        assert svg is not None and str(svg).startswith("<svg")
        drawn[spec[0]] = str(svg)
    assert len(set(drawn.values())) == len(drawn)
    return drawn


class _Recorder:
    """What the build process writes into the helper's stdin, request line by request line."""

    def __init__(self, helper: PlotHelper) -> None:
        self._write = helper._write
        self.sent = b""

    def __call__(self, fd: int, data: bytes) -> int:
        written = self._write(fd, data)
        self.sent += data[:written]
        return written

    def requests(self) -> list[list[str]]:
        """The name of each plot asked for, request by request."""
        return [[spec[0] for spec in json.loads(line)] for line in self.sent.splitlines()]


def _recorded(helper: PlotHelper) -> _Recorder:
    assert helper._process is not None
    recorder = _Recorder(helper)
    helper._write = recorder  # type: ignore[method-assign]
    return recorder


def test_ask_then_draw_gives_the_build_process_bytes_and_asks_nothing_more(here: dict[str, str]) -> None:
    helper = PlotHelper()
    sent = _recorded(helper)
    helper.ask(ASKED_FIRST)
    assert sent.requests() == [["years", "organisms"]]  # sent at once, without waiting for answers
    drawn = helper.draw(ASKED_FIRST)
    assert drawn == [here["years"], here["organisms"]]
    assert sent.requests() == [["years", "organisms"]]
    assert helper._process is None  # stopped once it has drawn


def test_draw_of_more_than_was_asked_asks_only_for_the_rest(here: dict[str, str]) -> None:
    helper = PlotHelper()
    sent = _recorded(helper)
    helper.ask(ASKED_FIRST)
    specs = [THE_REST[1], ASKED_FIRST[1], THE_REST[0], ASKED_FIRST[0]]  # any order, mixed
    drawn = helper.draw(specs)
    assert sent.requests() == [["years", "organisms"], ["top-genes", "genes-per-figure"]]
    assert drawn == [here[spec[0]] for spec in specs]


def test_draw_of_fewer_than_was_asked_waits_for_all_and_answers_those(here: dict[str, str]) -> None:
    """A forecast may ask for plots the real numbers do not need: their answers are read past."""
    helper = PlotHelper()
    sent = _recorded(helper)
    helper.ask(ASKED_FIRST)
    helper.ask(THE_REST)
    drawn = helper.draw([THE_REST[0], ASKED_FIRST[1]])
    assert sent.requests() == [["years", "organisms"], ["genes-per-figure", "top-genes"]]
    assert drawn == [here["genes-per-figure"], here["organisms"]]


def test_a_spec_asked_twice_is_drawn_once(here: dict[str, str]) -> None:
    helper = PlotHelper()
    sent = _recorded(helper)
    helper.ask(ASKED_FIRST)
    drawn = helper.draw(ASKED_FIRST + ASKED_FIRST[:1])
    assert sent.requests() == [["years", "organisms"]]
    assert drawn == [here["years"], here["organisms"], here["years"]]


def test_a_helper_killed_after_ask_makes_draw_answer_none_and_the_caller_draws(here: dict[str, str]) -> None:
    helper = PlotHelper()
    assert helper._process is not None
    os.kill(helper._process.pid, signal.SIGSTOP)  # it cannot answer before it is killed
    helper.ask(ASKED_FIRST)
    helper._process.kill()  # the OOM killer, say
    assert helper.draw(ASKED_FIRST + THE_REST) is None
    assert helper._process is None

    helper = PlotHelper()
    assert helper._process is not None
    os.kill(helper._process.pid, signal.SIGSTOP)
    helper.ask(ASKED_FIRST)
    helper._process.kill()
    specs = ASKED_FIRST + THE_REST
    assert [str(svg) for svg in report_html._draw_all(specs, None, helper)] == [here[s[0]] for s in specs]


def test_a_helper_killed_while_the_rest_is_asked_makes_draw_answer_none() -> None:
    """Dead before `draw` sends the rest: writing to it fails, and nothing is trusted."""
    helper = PlotHelper()
    assert helper._process is not None
    helper.ask(ASKED_FIRST)
    helper._process.kill()
    helper._process.wait()
    assert helper.draw(ASKED_FIRST + THE_REST) is None


def test_a_draw_after_the_helper_stopped_answers_none() -> None:
    helper = PlotHelper()
    assert helper.draw(ASKED_FIRST[:1]) is not None
    assert helper.draw(ASKED_FIRST[:1]) is None  # the helper is gone: the caller draws
    helper.ask(ASKED_FIRST)  # and asking a stopped helper is harmless


def _big(name: str, bars: int, label_chars: int) -> tuple[Any, ...]:
    labels = [f"{name}-{i}-" + "g" * label_chars for i in range(bars)]
    return (name, f"Big {name}", labels, list(range(1, bars + 1)), True, None, "figures", "")


def _returns_within(seconds: float, call: Any) -> list[Any]:
    import threading

    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the call waited for the helper"
    return result


@pytest.mark.parametrize("asked_first", [False, True], ids=["draw-sends-it", "ask-sends-it"])
def test_a_large_request_after_large_answers_does_not_deadlock(asked_first: bool) -> None:
    """The helper blocks writing answers bigger than a pipe holds until they are read. A request
    bigger than a pipe holds still goes through: `ask` returns at once with what the pipe cannot
    take unsent, `draw` reads the answers waiting while it sends the rest."""
    import select

    helper = PlotHelper()
    process = helper._process
    assert process is not None and process.stdout is not None
    asked = [_big(f"asked{k}", 20, 10) for k in range(6)]  # answers well over 64 KiB together
    helper.ask(asked)
    ready, _, _ = select.select([process.stdout.fileno()], [], [], 120)
    assert ready, "the helper never answered"
    more = [_big("more", 20, 8000)]  # ≈ 160 KB of labels
    try:
        if asked_first:
            _returns_within(10, lambda: helper.ask(more))
        drawn = _returns_within(120, lambda: helper.draw([*asked, *more]))[0]
    finally:
        helper.close()  # a hung call leaves it running otherwise
    assert drawn is not None and len(drawn) == 7
    assert all(svg is not None and svg.startswith("<svg") for svg in drawn)


def test_ask_never_waits_for_a_hung_helper_even_with_more_than_a_pipe_holds() -> None:
    """A request bigger than a pipe holds, to a helper that reads nothing: `ask` returns at
    once with the rest unsent, and `draw` gives up when the helper is gone."""
    helper = PlotHelper()
    process = helper._process
    assert process is not None
    os.kill(process.pid, signal.SIGSTOP)
    big = [_big("hung", 20, 8000)]  # ≈ 160 KB of labels
    try:
        _returns_within(10, lambda: helper.ask(big))
        assert helper._unsent, "the pipe took all of it: the request is too small to test this"
    finally:
        process.kill()  # stopped: only a kill ends it
    assert _returns_within(30, lambda: helper.draw(big)) == [None]


def test_the_helper_runs_below_the_build_s_priority() -> None:
    """Its plots are wanted only at the end: the build's own threads go first."""
    if not hasattr(os, "getpriority"):
        pytest.skip("no process priorities here")
    helper = PlotHelper()
    process = helper._process
    assert process is not None
    helper.ask(ASKED_FIRST[:1])
    assert helper._collect()  # it answered: it is serving, its priority set
    try:
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, process.pid) >= min(19, own + 10)  # 19: the lowest
    finally:
        helper.close()
