"""report.html's plots drawn in a helper process that imports and warms up matplotlib while the
build is still writing.

Why: importing matplotlib and loading its fonts costs ≈0.7 s, and a rebuild that adds or removes
one record must redraw the plots whose numbers changed; in the build process that time adds to
the rebuild's, in a helper started when writing begins it runs on another core meanwhile
(docs/decisions/0015). The helper draws with the very function the build process would use
(`report_html.draw_bar_plot`), so the SVG is the same bytes; whenever it cannot answer (no
matplotlib, it died), the build process draws the plots itself.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import Any

# One bar plot: (name, title, labels, values, horizontal, colors, xlabel, ylabel).
PlotSpec = tuple[str, str, list[str], list[int], bool, "list[str] | None", str, str]


class PlotHelper:
    """A helper process (started at once) that draws plots on request.

    `ask` sends plots to draw without waiting (a rebuild asks for the plots it foresees before
    writing, so they are drawn meanwhile); `draw` returns the SVGs of the plots it is given,
    taking those asked for earlier from the helper's answers and asking for the rest."""

    TIMEOUT = 600.0  # seconds for all answers: a helper that hangs is given up, the build draws

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._asked: list[list[str]] = []  # requests not yet answered, each as its specs' JSON
        self._drawn: dict[str, str | None] = {}
        self._unread = b""  # answer bytes read, not yet taken as lines
        self._unsent = b""  # request bytes the pipe has not taken yet
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kg.publish.plot_helper"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._process = None

    def ask(self, specs: Sequence[PlotSpec]) -> None:
        """Have these plots drawn; `draw` collects them. Never waits for the helper: what the
        pipe cannot take at once is sent by `draw` (a request bigger than a pipe holds, or one
        sent while the helper is busy or hung, would otherwise block the build)."""
        process = self._process
        if process is None or process.stdin is None or not specs:
            return
        texts = [json.dumps(list(spec)) for spec in specs]
        self._unsent += ("[" + ",".join(texts) + "]\n").encode("utf-8")
        self._asked.append(texts)
        if not self._send(None):
            self.close()

    def _send(self, deadline: float | None) -> bool:
        """Write the unsent requests, reading answers meanwhile, so that neither process waits for
        the other to read (each blocks writing into a full pipe). Without a deadline only what can
        be done at once; False when the helper is gone or did not read by the deadline."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        to_helper, from_helper = process.stdin.fileno(), process.stdout.fileno()
        while self._unsent:
            wait = 0.0 if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                readable, writable, _ = select.select([from_helper], [to_helper], [], wait)
                if not readable and not writable:
                    return deadline is None  # nothing more for now / the helper hangs
                if readable and not self._read_some(from_helper):
                    return False
                if writable:  # a pipe select calls writable takes PIPE_BUF bytes without blocking
                    sent = self._write(to_helper, self._unsent[: select.PIPE_BUF])
                    self._unsent = self._unsent[sent:]
            except (OSError, ValueError):
                return False
        return True

    @staticmethod
    def _write(fd: int, data: bytes) -> int:
        """os.write, a method so that tests can record what reaches the pipe."""
        return os.write(fd, data)

    def _read_some(self, fd: int) -> bool:
        """Answer bytes the helper has written, kept until taken as lines; False at its end."""
        chunk = os.read(fd, 1 << 16)
        self._unread += chunk
        return bool(chunk)

    def _collect(self) -> bool:
        """Read the answers to every request sent; False when the helper could not answer."""
        process = self._process
        assert process is not None and process.stdout is not None
        deadline = time.monotonic() + self.TIMEOUT
        if not self._send(deadline):
            return False
        while self._asked:
            texts = self._asked.pop(0)
            try:
                svgs = json.loads(self._read_line(process.stdout.fileno(), deadline))
            except (OSError, ValueError):
                svgs = None
            if not isinstance(svgs, list) or len(svgs) != len(texts):
                return False
            self._drawn.update((text, svg if isinstance(svg, str) else None) for text, svg in zip(texts, svgs))
        return True

    def _read_line(self, fd: int, deadline: float) -> bytes:
        """One answer line; b"null" when the helper ended or took longer than TIMEOUT."""
        while b"\n" not in self._unread:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready or not self._read_some(fd):
                return b"null"
        line, _, self._unread = self._unread.partition(b"\n")
        return line

    def draw(self, specs: Sequence[PlotSpec]) -> list[str | None] | None:
        """Each plot's SVG text (None where matplotlib drew nothing), or None when the helper
        could not answer: the caller draws them itself. The helper is stopped afterwards."""
        if self._process is None:
            return None
        texts = [json.dumps(list(spec)) for spec in specs]
        # the answers asked for earlier first: a helper blocked writing them would never read more
        answered = self._collect()
        if answered:
            self.ask([spec for spec, text in zip(specs, texts) if text not in self._drawn])
            answered = self._process is not None and self._collect()
        self.close()
        if not answered:
            return None
        return [self._drawn[text] for text in texts]

    def close(self) -> None:
        """Stop the helper (whatever it was still drawing is not needed)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass


def _serve() -> int:
    """The helper: warm up, then answer each request (one JSON line: a list of plot specs) with
    one JSON line: their SVGs, at a lower priority than the build. Ctrl-C in a terminal reaches
    the whole process group: the helper leaves stopping to the build process, and ends by itself
    when the build process goes (its stdin closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # below the build's priority: on two cores it shares one with the build's writer thread, and
    # its plots are wanted only at the end (a 10k rebuild that redraws: ≈ 0.1 s faster, 12 of
    # 16 paired runs)
    try:
        os.nice(10)
    except (AttributeError, OSError):  # no priorities here (Windows, a strict sandbox): as it is
        pass
    from kg.publish.report_html import _matplotlib, draw_bar_plot, warm_up

    _matplotlib()
    try:
        asked = bool(select.select([sys.stdin.fileno()], [], [], 0)[0])
    except (OSError, ValueError):
        asked = False
    if not asked:  # idle: load the fonts now; a plot already asked for loads them itself
        warm_up()
    for line in sys.stdin.buffer:
        request: Any = json.loads(line)
        if not isinstance(request, list):
            return 1
        answer = [None if (svg := draw_bar_plot(*spec)) is None else str(svg) for spec in request]
        sys.stdout.buffer.write(json.dumps(answer).encode("utf-8") + b"\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
