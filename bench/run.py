#!/usr/bin/env python3
"""Benchmark `kg build` on synthetic PFOCR corpora of several sizes.

    python bench/run.py [--sizes 1000,10000] [--workdir DIR] [--keep] [--markdown]
                        [--seed 42] [--sidecar-fraction 0.5] [--repeat N] [--kg-args "..."]

For each size: generate the corpus with bench/generate.py (cached in WORKDIR, keyed by size, seed,
sidecar fraction and generator version), run `kg build CORPUS -o OUT` as a subprocess, and
measure it:

  wall        time.perf_counter() around the subprocess, start to exit
  cpu         user+system CPU seconds of the whole process tree (rusage of the child from
              os.wait4: the child plus every descendant it waited for, e.g. pool workers)
  peak RSS    ru_maxrss from the same os.wait4 rusage: the high-water mark of the largest single
              process of the tree (kernel-tracked, exact; not a sum)
  tree MB     peak of the summed memory of all live processes of the tree, sampled every 50 ms
              from /proc (PSS from smaps_rollup when readable, so shared pages are counted once;
              else RSS); a sampled lower bound of the true peak, shown because `kg build -j N`
              runs N worker processes at once

and read OUT/report.json (records_read, figures_written, quarantined, triples) and the sizes of
OUT/pfocr.nt and OUT/pfocr.ttl. See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


# --------------------------------------------------------------------------------------------
# Machine
# --------------------------------------------------------------------------------------------
def machine() -> dict:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) // 1024
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        usable = os.cpu_count()
    try:
        kg_version = subprocess.run(kg_command() + ["--version"], capture_output=True, text=True,
                                    cwd=REPO, env=kg_env(), timeout=60, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        kg_version = "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_mb": mem,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": f"{platform.system()} {platform.release()}",
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "kg": kg_version,
    }


# --------------------------------------------------------------------------------------------
# The command under test
# --------------------------------------------------------------------------------------------
def kg_command() -> list[str]:
    """`python -m kg` from this checkout when kg/__main__.py exists, else the `kg` script."""
    if (REPO / "kg" / "__main__.py").exists():
        return [sys.executable, "-m", "kg"]
    exe = shutil.which("kg")
    if exe is None:
        raise SystemExit("run.py: neither kg/__main__.py nor a `kg` command was found")
    return [exe]


def kg_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


# --------------------------------------------------------------------------------------------
# Process-tree memory sampling (/proc; no psutil needed)
# --------------------------------------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may contain spaces or parentheses: split after the last ')'
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def _tree(root: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, ()))
    return out


def _mem(pid: int) -> tuple[int, int | None]:
    """(RSS bytes, PSS bytes or None) of one process; (0, 0) if it is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            rss = int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0, 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return rss, int(line.split()[1]) * 1024
    except PermissionError:
        return rss, None
    except OSError:  # exited between the two reads
        return 0, 0
    return rss, None


class TreeSampler(threading.Thread):
    """Peak summed RSS and PSS of a process and all its descendants, sampled every `interval` s."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.pss_ok = True
        self.peak_procs = 0
        self.samples = 0
        self._halt = threading.Event()

    def run(self) -> None:
        if not os.path.isdir("/proc"):
            return
        pids: list[int] = []
        while not self._halt.is_set():
            rss = pss = 0
            if self.samples % 5 == 0:  # rescanning /proc costs a few ms: every 5th sample
                pids = _tree(self.pid)
            for pid in pids:
                r, p = _mem(pid)
                rss += r
                if p is None:
                    self.pss_ok = False
                else:
                    pss += p
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --------------------------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------------------------
def generator_digest() -> str:
    """Short hash of bench/generate.py: a changed generator never reuses an old cached corpus."""
    return hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()[:10]


def corpus(workdir: Path, size: int, seed: int, fraction: float, jobs: int, fresh: bool) -> tuple[Path, float | None]:
    """The cached corpus for these parameters (generated on first use), and the generation time."""
    key = f"corpus-n{size}-s{seed}-f{fraction:g}-g{generator_digest()}"
    path = workdir / key
    meta = path / "GENERATED.json"
    if path.exists() and not fresh:
        try:
            info = json.loads(meta.read_text())
            if (info.get("records"), info.get("seed"), info.get("sidecar_fraction")) == (size, seed, fraction):
                return path, None
        except (OSError, ValueError):
            pass
    tmp = workdir / f".{key}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "generate.py"), str(tmp), "--records", str(size),
                    "--seed", str(seed), "--sidecar-fraction", str(fraction), "--jobs", str(jobs), "-q"],
                   check=True)
    took = time.perf_counter() - t0
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return path, took


# --------------------------------------------------------------------------------------------
# One measured run
# --------------------------------------------------------------------------------------------
@dataclass
class Run:
    size: int
    status: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    maxrss_mb: float = 0.0
    tree_mb: float = 0.0
    tree_kind: str = "PSS"
    tree_rss_mb: float = 0.0
    procs: int = 0
    records_read: int | None = None
    figures_written: int | None = None
    quarantined: int | None = None
    triples: int | None = None
    nt_mb: float | None = None
    ttl_mb: float | None = None
    gen_s: float | None = None
    corpus_mb: float | None = None
    stderr_tail: str = ""
    extra: dict = field(default_factory=dict)


def measure(cmd: list[str], outdir: Path, timeout: float | None) -> Run:
    run = Run(size=0)
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, env=kg_env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        deadline = None if timeout is None else t0 + timeout
        while True:
            # os.wait4: exit status and the rusage of this child and its waited-for descendants
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        run.wall = time.perf_counter() - t0
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        run.stderr_tail = err.read()[-2000:].decode("utf-8", "replace")
    run.status = proc.returncode
    # Linux reports ru_maxrss in KiB (macOS in bytes)
    run.maxrss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    run.cpu = usage.ru_utime + usage.ru_stime
    run.tree_mb = (sampler.peak_pss if sampler.pss_ok and sampler.peak_pss else sampler.peak_rss) / 2**20
    run.tree_kind = "PSS" if sampler.pss_ok and sampler.peak_pss else "RSS"
    run.tree_rss_mb = sampler.peak_rss / 2**20
    run.procs = sampler.peak_procs
    report = outdir / "report.json"
    if report.exists():
        try:
            rep = json.loads(report.read_text(encoding="utf-8"))
        except ValueError:
            rep = {}
        run.records_read = rep.get("records_read")
        run.figures_written = rep.get("figures_written")
        q = rep.get("quarantined", rep.get("quarantined_count"))
        run.quarantined = len(q) if isinstance(q, list) else q
        run.triples = rep.get("triples")
        run.extra = {k: rep[k] for k in ("warnings_count", "quarantined_count") if k in rep}
    for name, attr in (("pfocr.nt", "nt_mb"), ("pfocr.ttl", "ttl_mb")):
        p = outdir / name
        if p.exists():
            setattr(run, attr, p.stat().st_size / 1e6)
    return run


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------
COLUMNS = [
    ("size", "figures"), ("wall s", "wall"), ("fig/s", "rate"), ("cpu s", "cpu"), ("peak RSS MB", "maxrss"),
    ("tree MB", "tree"), ("read", "read"), ("exported", "written"), ("quarantined", "quar"),
    ("triples", "triples"), ("nt MB", "nt"), ("ttl MB", "ttl"),
]


def _fmt(v: object, nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def row(r: Run) -> list[str]:
    if r.status != 0:
        tail = f"FAILED (exit {r.status})"
    else:
        tail = None
    return [
        _fmt(r.size), _fmt(r.wall, 2), _fmt(r.size / r.wall if r.wall else None, 0) if not tail else tail,
        _fmt(r.cpu, 1), _fmt(r.maxrss_mb, 0), _fmt(r.tree_mb, 0), _fmt(r.records_read), _fmt(r.figures_written),
        _fmt(r.quarantined), _fmt(r.triples), _fmt(r.nt_mb, 1), _fmt(r.ttl_mb, 1),
    ]


def text_table(runs: list[Run]) -> str:
    head = [c for c, _ in COLUMNS]
    rows = [row(r) for r in runs]
    widths = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.rjust(w) for c, w in zip(x, widths)) for x in rows]
    return "\n".join(lines)


def markdown_table(runs: list[Run]) -> str:
    head = [c for c, _ in COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---:" for _ in head) + "|"]
    lines += ["| " + " | ".join(row(r)) + " |" for r in runs]
    return "\n".join(lines)


def machine_line(m: dict) -> str:
    load = ", ".join(f"{x:.2f}" for x in m["loadavg"]) if m.get("loadavg") else "?"
    return (f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
            f"{m['memory_mb']:,} MB RAM, {m['os']}; {m['implementation']} {m['python']}; "
            f"{m['kg']}; load average at start {load}")


# --------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pfocr-kg-bench",
                    help="corpora cache and outputs (default: $TMPDIR/pfocr-kg-bench)")
    ap.add_argument("--keep", action="store_true", help="keep the kg build outputs (default: delete each after reading it)")
    ap.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for the README)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--sidecar-fraction", type=float, default=0.5)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per size; the table shows the run with the median wall time")
    ap.add_argument("--kg-args", default="", help='extra arguments for kg build, e.g. "-j 1" or "--no-validate"')
    ap.add_argument("--gen-jobs", type=int, default=os.cpu_count() or 1, help="worker processes of the generator")
    ap.add_argument("--regenerate", action="store_true", help="ignore cached corpora")
    ap.add_argument("--timeout", type=float, help="kill a kg build running longer than this many seconds")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write machine + runs as JSON here")
    a = ap.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes must be comma-separated integers")
    a.workdir.mkdir(parents=True, exist_ok=True)
    m = machine()
    print(machine_line(m))
    base = kg_command() + ["build"]
    extra = shlex.split(a.kg_args)
    print(f"command: {' '.join(base)} CORPUS -o OUT {' '.join(extra)}".rstrip())
    runs: list[Run] = []
    for size in sizes:
        path, gen_s = corpus(a.workdir, size, a.seed, a.sidecar_fraction, a.gen_jobs, a.regenerate)
        cmb = dir_mb(path)
        note = f"generated in {gen_s:.1f} s" if gen_s is not None else "cached"
        print(f"corpus {size:,}: {path} ({cmb:,.1f} MB, {note})", flush=True)
        tries: list[Run] = []
        for i in range(max(1, a.repeat)):
            out = a.workdir / (f"out-n{size}" + ("" if a.repeat == 1 else f"-{i + 1}"))
            shutil.rmtree(out, ignore_errors=True)
            r = measure(base + [str(path), "-o", str(out), "-q"] + extra, out, a.timeout)
            r.size, r.gen_s, r.corpus_mb = size, gen_s, cmb
            tries.append(r)
            print(f"  run {i + 1}: {r.wall:.2f} s wall, {r.cpu:.1f} s cpu, peak RSS {r.maxrss_mb:.0f} MB, "
                  f"tree {r.tree_mb:.0f} MB {r.tree_kind} (summed RSS {r.tree_rss_mb:.0f} MB, {r.procs} processes), "
                  f"exit {r.status}", flush=True)
            if r.status != 0:
                print("  stderr (tail):\n" + "\n".join("    " + x for x in r.stderr_tail.splitlines()[-15:]))
            if not a.keep:
                shutil.rmtree(out, ignore_errors=True)
        tries.sort(key=lambda t: t.wall)
        runs.append(tries[(len(tries) - 1) // 2])
        if len(tries) > 1:
            print(f"  walls: {', '.join(f'{t.wall:.2f}' for t in tries)} s "
                  f"(median {statistics.median(t.wall for t in tries):.2f})")
    print()
    print(text_table(runs))
    if a.markdown:
        print()
        print(f"_{machine_line(m)}_")
        print()
        print(markdown_table(runs))
    if a.json:
        a.json.write_text(json.dumps({"machine": m, "command": base + extra,
                                      "runs": [r.__dict__ for r in runs]}, indent=2, default=str) + "\n")
    return 0 if all(r.status == 0 for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
