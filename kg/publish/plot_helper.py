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
import signal
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

# One bar plot: (name, title, labels, values, horizontal, colors, xlabel, ylabel).
PlotSpec = tuple[str, str, list[str], list[int], bool, "list[str] | None", str, str]


class PlotHelper:
    """A helper process (started at once) that draws plots on request, once."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kg.publish.plot_helper"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._process = None

    def draw(self, specs: Sequence[PlotSpec]) -> list[str | None] | None:
        """Each plot's SVG text (None where matplotlib drew nothing), or None when the helper
        could not answer: the caller draws them itself."""
        process, self._process = self._process, None
        if process is None:
            return None
        try:
            answer, _ = process.communicate(json.dumps([list(spec) for spec in specs]).encode("utf-8"), timeout=600)
            svgs = json.loads(answer) if process.returncode == 0 else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
            return None
        if not isinstance(svgs, list) or len(svgs) != len(specs):
            return None
        return [svg if isinstance(svg, str) else None for svg in svgs]

    def close(self) -> None:
        """Stop the helper if it was not asked for anything (every plot came from the memo)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


def _serve() -> int:
    """The helper: warm up, read the plot specs (JSON) from stdin, write their SVGs to stdout.
    Ctrl-C in a terminal reaches the whole process group: the helper leaves stopping to the build
    process, and ends by itself when the build process goes (its stdin closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from kg.publish.report_html import draw_bar_plot, warm_up

    warm_up()
    request: Any = json.loads(sys.stdin.buffer.read() or b"null")
    if not isinstance(request, list):
        return 1
    answer = [
        None if (svg := draw_bar_plot(*spec)) is None else str(svg) for spec in request
    ]
    sys.stdout.buffer.write(json.dumps(answer).encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
