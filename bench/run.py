#!/usr/bin/env python3
"""Benchmark `kg build` on synthetic PFOCR corpora of several sizes, against a naive baseline.

    python bench/run.py [--sizes 1000,10000[,100000]] [--naive-sizes ...] [--incremental-sizes ...]
                        [--no-profile]
                        [--workdir DIR] [--keep] [--markdown] [--seed 42] [--sidecar-fraction 0.5]
                        [--repeat N] [--kg-args "..."] [--timeout S] [--json FILE]

For each size: generate the corpus with bench/generate.py (cached in WORKDIR, keyed by size, seed,
sidecar fraction and generator version), then run, one after the other, each as a subprocess:

  kg build                    `kg build CORPUS -o OUT -q [--kg-args]`: the product, as users run it
  kg stages (1-proc profile)  bench/stages.py: kg's read / map / check / write nt / write ttl / facts
                              building blocks in a loop in ONE process, timed per stage (kg build
                              itself is not instrumented)
  naive (rdflib+pySHACL)      bench/naive.py, for sizes <= 10,000 by default (--naive-sizes): one
                              rdflib Graph for the corpus, pySHACL on it, rdflib serialisers

and, right after `kg build` and in its OUTDIR (so with its cache), for sizes <= 10,000 by default
(--incremental-sizes), the incremental rebuilds of issue 6, each `kg build` again with one change
to the corpus since the previous build (the corpus is restored byte for byte afterwards):

  kg rebuild (unchanged)      nothing changed
  kg rebuild (1 edited)       " (edited)" appended to one record's caption
  kg rebuild (1 added)        a copy of one record (and its sidecar TSVs) under a new figid
  kg rebuild (1 removed)      that copy removed again

with their wall time as a % of the full build's, the cache entries each wrote and pruned (`kg build
-q` prints no reused/computed counts and report.json must not hold them), and whether the outputs
equal the full build's (unchanged) and the 1-edited build's (after add + remove).

and measure each run the same way:

  wall        time.perf_counter() around the subprocess, start to exit; each run starts after
              os.sync(), so none pays for the writeback of what the run before it wrote
  cpu         user+system CPU seconds of the whole process tree: rusage from os.wait4 of the child
              (with every descendant it waited for) plus of the descendants that outlived it —
              run.py is a child subreaper (prctl), so e.g. the multiprocessing forkserver, which
              reaps kg's pool workers, is re-parented to it and waited for too
  peak RSS    the largest ru_maxrss of those rusages: the high-water mark of the LARGEST SINGLE
              process of the tree (kernel-tracked, exact; not a sum)
  tree MB     peak of the SUMMED memory of all live processes of the tree, sampled every 50 ms
              from /proc (PSS from smaps_rollup when readable, so shared pages are counted once;
              else RSS); a sampled lower bound of the true peak, shown because `kg build -j N`
              runs N worker processes at once
  stages      seconds per stage, from the profile's and the naive run's OUT/report.json
  x naive     fig/s of the row / fig/s of the naive run at the same size

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import yaml

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


def compile_bytecode() -> str:
    """Compile kg's modules to bytecode before timing, as an installed package has them: where
    PYTHONDONTWRITEBYTECODE is set (as on some CI and sandbox machines), every kg process would
    otherwise compile its ~60 modules from source (≈ 70 ms a process, a tenth of a rebuild)."""
    import compileall

    ok = compileall.compile_dir(str(REPO / "kg"), quiet=1)
    flag = " (PYTHONDONTWRITEBYTECODE is set here)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    return f"bytecode: kg's modules compiled before the runs{flag}" + ("" if ok else " — some FAILED to compile")


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


def editing_marker(path: Path) -> Path:
    """Beside a corpus while the incremental runs change it: a run killed before restoring it
    leaves the marker, and the next run regenerates the corpus instead of trusting it."""
    return path.with_name(path.name + ".editing")


def corpus(workdir: Path, size: int, seed: int, fraction: float, jobs: int, fresh: bool) -> tuple[Path, float | None]:
    """The cached corpus for these parameters (generated on first use), and the generation time."""
    key = f"corpus-n{size}-s{seed}-f{fraction:g}-g{generator_digest()}"
    path = workdir / key
    meta = path / "GENERATED.json"
    if editing_marker(path).exists():
        print(f"corpus {size:,}: an earlier run was stopped while changing it; generating it again", flush=True)
        fresh = True
    if path.exists() and not fresh:
        try:
            info = json.loads(meta.read_text())
            if (info.get("records"), info.get("seed"), info.get("sidecar_fraction")) == (size, seed, fraction):
                return path, None
        except (OSError, ValueError):
            pass
    staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=workdir))  # generated beside, then moved in
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(BENCH / "generate.py"), str(staging / key), "--records", str(size),
                    "--seed", str(seed), "--sidecar-fraction", str(fraction), "--jobs", str(jobs), "-q"],
                   check=True)
    took = time.perf_counter() - t0
    shutil.rmtree(path, ignore_errors=True)
    (staging / key).rename(path)
    staging.rmdir()
    editing_marker(path).unlink(missing_ok=True)
    return path, took


# --------------------------------------------------------------------------------------------
# Incremental rebuilds: one reversible change to the shared corpus at a time
# --------------------------------------------------------------------------------------------
YAML_STYLE = {"sort_keys": False, "allow_unicode": True, "width": 80}  # what generate.py writes
SIDECARS = ("genes", "chemicals", "diseases")
ADDED_SUFFIX = "-bench-added"  # figid of the added copy: <figid>-bench-added (still a valid figid)


class CorpusChanges:
    """Edit, add and remove one record of a corpus, and put every touched file back afterwards.

    The corpus is cached in WORKDIR and shared by later runs, so on leaving the `with` block every
    file is restored to its original bytes and times (created files are removed), whatever
    happened; `marker` (see editing_marker) exists only while the corpus is changed."""

    def __init__(self, root: Path, marker: Path | None = None) -> None:
        self.root = root
        self.marker = marker
        self._saved: dict[Path, tuple[bytes, int, int] | None] = {}
        names = sorted(p.name for p in (root / "_figures").iterdir() if p.name.endswith(".md"))
        if len(names) < 2:
            raise ValueError(f"{root}: the incremental runs need at least 2 records")
        # Deterministic choices: the copy is a sidecar record when there is one, so its TSVs are
        # copied too; the edited record is another one.
        with_tsv = [n for n in names if (root / "_data" / f"{n[:-3]}-genes.tsv").exists()]
        self.copied = (with_tsv or names)[0][:-3]
        self.edited = next(n for n in names if n[:-3] != self.copied)[:-3]
        self.added = self.copied + ADDED_SUFFIX

    def __enter__(self) -> Self:
        if self.marker is not None:
            self.marker.touch()
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def _files(self, figid: str) -> list[Path]:
        return [self.root / "_figures" / f"{figid}.md",
                *(self.root / "_data" / f"{figid}-{kind}.tsv" for kind in SIDECARS)]

    def _save(self, path: Path) -> None:
        """Remember a file's bytes and times (or that it did not exist) before its first change."""
        if path not in self._saved:
            try:
                st = path.stat()
                self._saved[path] = (path.read_bytes(), st.st_atime_ns, st.st_mtime_ns)
            except FileNotFoundError:
                self._saved[path] = None

    def edit(self) -> str:
        """Append " (edited)" to the caption (else the figtitle) of one record; returns its figid.
        Through PyYAML with generate.py's settings, so the result is valid YAML whatever the
        quoting or folding, and only that value's lines change."""
        md = self.root / "_figures" / f"{self.edited}.md"
        self._save(md)
        text = md.read_text("utf-8")
        end = text.index("\n---\n", 3)
        data = yaml.safe_load(text[4:end + 1])
        key = "caption" if isinstance(data.get("caption"), str) else "figtitle"
        data[key] = f"{data.get(key) or ''} (edited)"
        front = yaml.safe_dump(data, **YAML_STYLE)
        if yaml.safe_load(front) != data:  # pragma: no cover - PyYAML round trip
            raise ValueError(f"{md}: the edited front matter does not read back")
        md.write_text("---\n" + front + text[end + 1:], "utf-8")
        return self.edited

    def add(self) -> str:
        """Copy one record, its figid replaced, and its sidecar TSVs under a new figid; returns it."""
        for src, dst in zip(self._files(self.copied), self._files(self.added)):
            self._save(dst)
            if src.exists():
                data = src.read_bytes()
                if src.suffix == ".md":
                    data = data.replace(self.copied.encode(), self.added.encode())
                dst.write_bytes(data)
        return self.added

    def remove_added(self) -> str:
        """Delete the record `add` created; returns its figid."""
        for path in self._files(self.added):
            self._save(path)
            path.unlink(missing_ok=True)
        return self.added

    def restore(self) -> None:
        """Every touched file back to its original bytes and times; created files removed."""
        for path, saved in reversed(list(self._saved.items())):
            if saved is None:
                path.unlink(missing_ok=True)
            else:
                data, atime, mtime = saved
                path.write_bytes(data)
                os.utime(path, ns=(atime, mtime))
        self._saved.clear()
        if self.marker is not None:
            self.marker.unlink(missing_ok=True)


CACHE_DIR = ".kg-cache"  # kg.build.cache.CACHE_NAME (kg is not imported)


def cache_entries(outdir: Path) -> set[str] | None:
    """The outcome entries (keys) in OUTDIR's build cache, None without one. kg build -q prints no
    reused/computed counts (and report.json must not hold them, to stay byte-identical), so the
    entries a rebuild wrote and pruned are the evidence of what it recomputed."""
    folder = outdir / CACHE_DIR
    if not folder.is_dir():
        return None
    keys = set()
    for sub in os.scandir(folder):
        if sub.is_dir():
            keys.update(sub.name + e.name for e in os.scandir(sub.path) if not e.name.startswith("."))
    return keys


def output_digests(outdir: Path) -> dict[str, str]:
    """sha256 of every output file of OUTDIR (not the cache, lock or temporary files)."""
    out = {}
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            with path.open("rb") as fh:
                out[str(rel)] = hashlib.file_digest(fh, "sha256").hexdigest()
    return out


# --------------------------------------------------------------------------------------------
# One measured run
# --------------------------------------------------------------------------------------------
STAGES = ("read", "map", "check", "write_nt", "write_ttl", "facts")
KG, PROFILE, NAIVE = "kg build", "kg stages (1-proc profile)", "naive (rdflib+pySHACL)"
UNCHANGED, EDITED, ADDED, REMOVED = ("kg rebuild (unchanged)", "kg rebuild (1 edited)", "kg rebuild (1 added)",
                                     "kg rebuild (1 removed)")
# cache entries (written, pruned) each rebuild must show: only the changed record is recomputed
EXPECTED_ENTRIES = {UNCHANGED: (0, 0), EDITED: (1, 1), ADDED: (1, 0), REMOVED: (0, 1)}


@dataclass
class Run:
    size: int
    kind: str = KG
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
    stages: dict | None = None  # seconds per stage (profile and naive runs report them)
    vs_naive: float | None = None  # this run's fig/s ÷ the naive run's fig/s, same size
    of_full: float | None = None  # rebuilds: wall ÷ the wall of the full kg build of the same size
    change: str | None = None  # rebuilds: UNCHANGED, EDITED, ADDED or REMOVED
    record: str | None = None  # rebuilds: the figid edited, added or removed
    cache_written: int | None = None  # cache entries this build added (full build: all of them)
    cache_pruned: int | None = None  # cache entries this build removed
    cache_expected: bool | None = None  # rebuilds: (written, pruned) == EXPECTED_ENTRIES[change]
    outputs_check: str | None = None  # rebuilds: "= full build" / "= 1 edited" / "DIFFER from …"
    stderr_tail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return self.size / self.wall if self.wall and self.status == 0 else None


def measure(cmd: list[str], outdir: Path, timeout: float | None) -> Run:
    run = Run(size=0)
    os.sync()  # what earlier runs (or the generator) left dirty is written back first, not during this one
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
                _kill_tree(proc.pid)
                deadline = None
            time.sleep(0.005)
        run.wall = time.perf_counter() - t0
        sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        # Descendants that outlived the child (e.g. the multiprocessing forkserver, which reaps the
        # pool workers) were re-parented to this process (a child subreaper): wait for them too,
        # so their CPU time and peak RSS are counted; os.wait4 on the child alone misses them.
        orphans = _reap_orphans(grace=30.0)
        err.seek(0)
        run.stderr_tail = err.read()[-2000:].decode("utf-8", "replace")
    run.status = proc.returncode
    # Linux reports ru_maxrss in KiB (macOS in bytes)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    run.maxrss_mb = max([usage.ru_maxrss, *(u.ru_maxrss for u in orphans)]) / scale
    run.cpu = sum(u.ru_utime + u.ru_stime for u in [usage, *orphans])
    run.extra["orphans_reaped"] = len(orphans)
    run.tree_mb = (sampler.peak_pss if sampler.pss_ok and sampler.peak_pss else sampler.peak_rss) / 2**20
    run.tree_kind = "PSS" if sampler.pss_ok and sampler.peak_pss else "RSS"
    run.tree_rss_mb = sampler.peak_rss / 2**20
    run.procs = sampler.peak_procs
    report = outdir / "report.json"
    if report.exists() and run.status == 0:
        try:
            rep = json.loads(report.read_text(encoding="utf-8"))
        except ValueError:
            rep = {}
        run.records_read = rep.get("records_read")
        run.figures_written = rep.get("figures_written")
        q = rep.get("quarantined", rep.get("quarantined_count"))
        run.quarantined = len(q) if isinstance(q, list) else q
        run.triples = rep.get("triples")
        if isinstance(rep.get("stages"), dict):
            run.stages = {k: float(rep["stages"].get(k, 0.0)) for k in STAGES}
        run.extra |= {k: rep[k] for k in ("warnings_count", "quarantined_count", "setup", "wall_in_process",
                                         "conforms", "results", "violations", "engine", "yaml", "ttl_mode") if k in rep}
    for name, attr in (("pfocr.nt", "nt_mb"), ("pfocr.ttl", "ttl_mb")):
        p = outdir / name
        if p.exists():
            setattr(run, attr, p.stat().st_size / 1e6)
    return run


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux prctl PR_SET_CHILD_SUBREAPER)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER = 36
    except (OSError, AttributeError):
        return False


def _reap_orphans(grace: float) -> list:
    """rusage of every other child that ends within `grace` seconds (orphans re-parented here)."""
    found, deadline = [], time.perf_counter() + grace
    while True:
        try:
            pid, _status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if pid:
            found.append(usage)
        elif time.perf_counter() > deadline:
            print(f"  warning: descendants still running {grace:.0f} s after the measured process ended "
                  "(their CPU time is not counted)", flush=True)
            return found
        else:
            time.sleep(0.01)


def _kill_tree(root: int) -> None:
    """SIGKILL a timed-out run and its descendants (only processes this script started)."""
    for pid in reversed(_tree(root)):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------
MAIN_COLUMNS = ["size", "pipeline", "wall s", "fig/s", "× naive", "cpu s", "peak RSS MB", "tree MB",
                "read s", "map s", "check s", "write nt s", "write ttl s", "facts s"]
OUTPUT_COLUMNS = ["size", "pipeline", "records", "exported", "quarantined", "triples", "nt MB", "ttl MB"]
INCREMENTAL_COLUMNS = ["size", "pipeline", "wall s", "% of full build", "cpu s", "tree MB", "records",
                       "cache entries", "outputs"]


def _fmt(v: object, nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def main_row(r: Run) -> list[str]:
    if r.status != 0:
        return [_fmt(r.size), r.kind, _fmt(r.wall, 2), f"FAILED (exit {r.status})"] + ["-"] * (len(MAIN_COLUMNS) - 4)
    st = r.stages or {}
    return [
        _fmt(r.size), r.kind, _fmt(r.wall, 2), _fmt(r.rate, 0 if (r.rate or 0) >= 100 else 1),
        "-" if r.vs_naive is None else f"{r.vs_naive:,.1f}×",
        _fmt(r.cpu, 1), _fmt(r.maxrss_mb, 0), _fmt(r.tree_mb, 0),
        *(_fmt(st.get(k), 2) if r.stages else "-" for k in STAGES),
    ]


def output_row(r: Run) -> list[str]:
    return [_fmt(r.size), r.kind, _fmt(r.records_read), _fmt(r.figures_written), _fmt(r.quarantined),
            _fmt(r.triples), _fmt(r.nt_mb, 1), _fmt(r.ttl_mb, 1)]


def incremental_row(r: Run) -> list[str]:
    """A full build (100 %, every entry written) or a rebuild of the same OUTDIR."""
    if r.status != 0:
        return ([_fmt(r.size), r.kind, _fmt(r.wall, 2), f"FAILED (exit {r.status})"]
                + ["-"] * (len(INCREMENTAL_COLUMNS) - 4))
    entries = "-"
    if r.cache_written is not None:
        entries = f"+{r.cache_written:,} −{r.cache_pruned or 0:,}"
        if r.cache_expected is False:
            want = EXPECTED_ENTRIES[r.change or ""]
            entries += f" (expected +{want[0]} −{want[1]})"
    return [_fmt(r.size), r.kind, _fmt(r.wall, 2), "-" if r.of_full is None else f"{100 * r.of_full:.1f} %",
            _fmt(r.cpu, 1), _fmt(r.tree_mb, 0), _fmt(r.records_read), entries, r.outputs_check or "-"]


def text_table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(x[i]) for x in rows)) for i, h in enumerate(head)]
    just = [str.ljust if h == "pipeline" else str.rjust for h in head]
    lines = ["  ".join(j(h, w) for h, w, j in zip(head, widths, just)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(j(c, w) for c, w, j in zip(x, widths, just)) for x in rows]
    return "\n".join(lines)


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    align = [":---" if h == "pipeline" else "---:" for h in head]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(x) + " |" for x in rows]
    return "\n".join(lines)


def machine_line(m: dict) -> str:
    load = ", ".join(f"{x:.2f}" for x in m["loadavg"]) if m.get("loadavg") else "?"
    libs = ", ".join(f"{k} {v}" for k, v in (m.get("libraries") or {}).items())
    return (f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
            f"{m['memory_mb']:,} MB RAM, {m['os']}; {m['implementation']} {m['python']}; "
            f"{m['kg']}; {libs}; load average at start {load}")


def libraries() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for dist in ("PyYAML", "fastyaml-rs", "shacl", "pyoxigraph", "rdflib", "pyshacl"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


NOTES = """\
kg build = `kg build CORPUS -o OUT -q` as a subprocess: wall, cpu (whole tree), memory are its own.
kg stages (1-proc profile) = bench/stages.py: kg build's own worker and writing (kg.build.worker,
  kg.build.outputs) in ONE process, no pool and no cache, a clock read after each step.
naive = bench/naive.py: kg's reader with PyYAML (libyaml) only → map_record → one rdflib Graph for the
  corpus → pyshacl.validate on it → rdflib serialize nt and turtle; one process, default GC.
× naive = that row's fig/s ÷ the naive row's fig/s at the same size.
cpu s = user+system of every process of the tree (the child, and descendants re-parented to
  run.py as child subreaper, e.g. the forkserver that reaps kg's pool workers).
peak RSS MB = max ru_maxrss over those processes: the LARGEST SINGLE process (exact, not a sum).
tree MB = peak of the SUMMED PSS of all processes of the tree, sampled every 50 ms from /proc
  (shared pages split between users; RSS if PSS is unreadable). Use it for the ≤ 1 GB target.
kg rebuild (…) = the same `kg build` again in the full build's OUTDIR (its cache), after one change
  since the previous build: none; one caption edited; one record copied under a new figid; that
  copy removed. Third table: % of full build = rebuild wall ÷ full build wall (target ≤ 10 % at 10k);
  cache entries = outcome entries the build wrote (+) and pruned (−) in OUTDIR/.kg-cache, the
  evidence of what it recomputed (-q prints no counts); outputs = byte comparison of every output
  file with the full build's (unchanged) or the 1-edited build's (after add + remove)."""


# --------------------------------------------------------------------------------------------
def _sizes(text: str, ap: argparse.ArgumentParser, name: str) -> list[int]:
    try:
        return [int(s.replace("_", "").lower().replace("k", "000")) for s in text.split(",") if s.strip()]
    except ValueError:
        ap.error(f"{name} must be comma-separated integers (1000 or 1k)")
        raise


def _subset(text: str | None, sizes: list[int], ap: argparse.ArgumentParser, name: str) -> set[int]:
    """The sizes an option names; by default those ≤ 10,000; none for '' or 'none'."""
    if text is None:
        return {s for s in sizes if s <= 10_000}
    if text.strip().lower() in ("", "none"):
        return set()
    return set(_sizes(text, ap, name))


def incremental_runs(rebuild: Callable[[str], Run], root: Path, out: Path, full: Run,
                     marker: Path | None = None) -> list[Run]:
    """The four rebuilds in the full build's OUTDIR, each one change after the previous build:
    unchanged, 1 edited, 1 added (the edit kept), 1 removed (the copy; back to the edited corpus).
    `rebuild(kind)` runs and measures `kg build` into `out` without emptying it. The corpus is
    restored before returning, even when a run fails or this is interrupted."""
    before = cache_entries(out)
    full.of_full = 1.0
    full.cache_written, full.cache_pruned = (None, None) if before is None else (len(before), 0)
    reference = {"full build": output_digests(out)}
    runs: list[Run] = []
    with CorpusChanges(root, marker) as changes:
        for kind, change in ((UNCHANGED, None), (EDITED, changes.edit), (ADDED, changes.add),
                             (REMOVED, changes.remove_added)):
            record = change() if change else None
            r = rebuild(kind)
            r.change, r.record = kind, record
            r.of_full = r.wall / full.wall if full.wall and r.status == 0 else None
            after = cache_entries(out)
            if before is not None and after is not None:
                r.cache_written, r.cache_pruned = len(after - before), len(before - after)
                r.cache_expected = (r.cache_written, r.cache_pruned) == EXPECTED_ENTRIES[kind]
            before = after
            compare = {UNCHANGED: "full build", REMOVED: "1 edited"}.get(kind)
            if r.status == 0 and (compare or kind == EDITED):
                digests = output_digests(out)
                if compare:
                    same = digests == reference[compare]
                    r.outputs_check = f"= {compare}" if same else f"DIFFER from {compare}"
                if kind == EDITED:
                    reference["1 edited"] = digests
            runs.append(r)
            share = "-" if r.of_full is None else f"{100 * r.of_full:.1f} % of the full build"
            entries = "cache entries ?"
            if r.cache_written is not None:
                want = EXPECTED_ENTRIES[kind]
                entries = f"cache entries +{r.cache_written} −{r.cache_pruned}" + (
                    "" if r.cache_expected else f" — UNEXPECTED, want +{want[0]} −{want[1]}")
            print(f"    {share}; {entries}" + (f"; outputs {r.outputs_check}" if r.outputs_check else "")
                  + (f"; record {record}" if record else ""), flush=True)
    return runs


def _progress(label: str, r: Run) -> None:
    st = ""
    if r.stages:
        st = " | " + ", ".join(f"{k} {v:.2f}" for k, v in r.stages.items()) + " s"
    print(f"  {label}: {r.wall:.2f} s wall, {r.cpu:.1f} s cpu, peak RSS {r.maxrss_mb:.0f} MB, "
          f"tree {r.tree_mb:.0f} MB {r.tree_kind} (summed RSS {r.tree_rss_mb:.0f} MB, {r.procs} processes), "
          f"exit {r.status}{st}", flush=True)
    notes = {k: r.extra[k] for k in ("engine", "ttl_mode", "yaml", "conforms", "violations") if k in r.extra}
    if notes:
        print("    " + ", ".join(f"{k}: {v}" for k, v in notes.items()), flush=True)
    if r.status != 0:
        print("  stderr (tail):\n" + "\n".join("    " + x for x in r.stderr_tail.splitlines()[-15:]), flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes, 1000 or 1k (default 1000,10000)")
    ap.add_argument("--naive-sizes", default=None,
                    help="sizes (among --sizes) that also run the naive baseline "
                         "(default: those ≤ 10000; 'none' for no baseline)")
    ap.add_argument("--incremental-sizes", default=None,
                    help="sizes (among --sizes) that also time kg build's incremental rebuilds (unchanged, "
                         "1 edited, 1 added, 1 removed) in the full build's OUTDIR "
                         "(default: those ≤ 10000; 'none' for no rebuilds)")
    ap.add_argument("--no-profile", action="store_true", help="skip the per-stage profile (bench/stages.py)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "pfocr-kg-bench",
                    help="corpora cache and outputs (default: $TMPDIR/pfocr-kg-bench)")
    ap.add_argument("--keep", action="store_true", help="keep the outputs (default: delete each after reading it)")
    ap.add_argument("--markdown", action="store_true", help="also print the tables as Markdown (for the README)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--sidecar-fraction", type=float, default=0.5)
    ap.add_argument("--repeat", type=int, default=1,
                    help="kg build runs per size; the table shows the run with the median wall time "
                         "(the profile and the naive baseline run once)")
    ap.add_argument("--kg-args", default="", help='extra arguments for kg build, e.g. "-j 1" or "--no-cache"')
    ap.add_argument("--gen-jobs", type=int, default=os.cpu_count() or 1, help="worker processes of the generator")
    ap.add_argument("--regenerate", action="store_true", help="ignore cached corpora")
    ap.add_argument("--timeout", type=float, help="kill any measured run taking longer than this many seconds")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write machine + runs as JSON here")
    a = ap.parse_args(argv)
    sizes = _sizes(a.sizes, ap, "--sizes")
    naive_sizes = _subset(a.naive_sizes, sizes, ap, "--naive-sizes")
    incremental_sizes = _subset(a.incremental_sizes, sizes, ap, "--incremental-sizes")
    a.workdir.mkdir(parents=True, exist_ok=True)
    subreaper = become_subreaper()
    m = machine()
    m["subreaper"] = subreaper
    m["libraries"] = libraries()
    print(machine_line(m))
    print(compile_bytecode())
    base = kg_command() + ["build"]
    extra = shlex.split(a.kg_args)
    kg_label = " ".join([KG, *extra])
    profile_cmd = [sys.executable, str(BENCH / "stages.py")]
    naive_cmd = [sys.executable, str(BENCH / "naive.py")]
    print(f"{KG}: {' '.join(base)} CORPUS -o OUT -q {' '.join(extra)}".rstrip())
    if not a.no_profile:
        print(f"{PROFILE}: {' '.join(profile_cmd)} CORPUS -o OUT -q")
    if naive_sizes:
        print(f"{NAIVE} at {', '.join(f'{s:,}' for s in sorted(naive_sizes))}: {' '.join(naive_cmd)} CORPUS -o OUT -q")
    if incremental_sizes and "--no-cache" in extra:
        print("kg rebuilds: skipped (--kg-args has --no-cache)")
        incremental_sizes = set()
    if incremental_sizes:
        print(f"kg rebuilds at {', '.join(f'{s:,}' for s in sorted(incremental_sizes))}: the {KG} command again "
              "in its OUT (unchanged, 1 edited, 1 added, 1 removed)")
    runs: list[Run] = []
    for size in sizes:
        path, gen_s = corpus(a.workdir, size, a.seed, a.sidecar_fraction, a.gen_jobs, a.regenerate)
        cmb = dir_mb(path)
        note = f"generated in {gen_s:.1f} s" if gen_s is not None else "cached"
        print(f"corpus {size:,}: {path} ({cmb:,.1f} MB, {note})", flush=True)

        def one(cmd: list[str], out: Path, kind: str, label: str, after: tuple[str, ...] = (),
                path: Path = path, size: int = size, gen_s: float | None = gen_s, cmb: float = cmb,
                fresh: bool = True, keep_out: bool = False) -> Run:
            if fresh:
                shutil.rmtree(out, ignore_errors=True)
            r = measure(cmd + [str(path), "-o", str(out), "-q", *after], out, a.timeout)
            r.size, r.kind, r.gen_s, r.corpus_mb = size, kind, gen_s, cmb
            _progress(label, r)
            if not (a.keep or keep_out):
                shutil.rmtree(out, ignore_errors=True)
            return r

        incremental = size in incremental_sizes
        tries: list[tuple[Run, Path]] = []
        for i in range(max(1, a.repeat)):
            out = a.workdir / f"out-n{size}{'' if a.repeat == 1 else f'-{i + 1}'}"
            r = one(base, out, kg_label, f"{kg_label} run {i + 1}", tuple(extra), keep_out=incremental)
            tries.append((r, out))
        tries.sort(key=lambda t: t[0].wall)
        ours, ours_out = tries[(len(tries) - 1) // 2]
        if len(tries) > 1:
            print(f"  walls: {', '.join(f'{t.wall:.2f}' for t, _ in tries)} s "
                  f"(median {statistics.median(t.wall for t, _ in tries):.2f})")
        rebuilt: list[Run] = []
        if incremental:
            # The rebuilds reuse the OUTDIR (and cache) of the kg build run shown in the table.
            for _, out in tries:
                if out != ours_out and not a.keep:
                    shutil.rmtree(out, ignore_errors=True)
            if ours.status == 0:
                def rebuild(kind: str, out: Path = ours_out) -> Run:
                    label = " ".join([kind, *extra])
                    return one(base, out, label, label, tuple(extra), fresh=False, keep_out=True)

                rebuilt = incremental_runs(rebuild, path, ours_out, ours, editing_marker(path))
            if not a.keep:
                shutil.rmtree(ours_out, ignore_errors=True)
        group = [ours]
        if not a.no_profile:
            group.append(one(profile_cmd, a.workdir / f"stages-n{size}", PROFILE, PROFILE))
        if size in naive_sizes:
            naive = one(naive_cmd, a.workdir / f"naive-n{size}", NAIVE, NAIVE)
            group.append(naive)
            if naive.rate:
                for r in group:
                    r.vs_naive = r.rate / naive.rate if r.rate else None
        runs.extend([group[0], *rebuilt, *group[1:]])
    # the third table: each full build that was rebuilt (of_full = 1), then its rebuilds
    incremental_rows = [r for r in runs if r.of_full is not None or r.change]
    print()
    print(text_table(MAIN_COLUMNS, [main_row(r) for r in runs]))
    print()
    print(text_table(OUTPUT_COLUMNS, [output_row(r) for r in runs]))
    if incremental_rows:
        print()
        print(text_table(INCREMENTAL_COLUMNS, [incremental_row(r) for r in incremental_rows]))
    print()
    print(NOTES)
    if a.markdown:
        print()
        print(f"_{machine_line(m)}_")
        print()
        print(markdown_table(MAIN_COLUMNS, [main_row(r) for r in runs]))
        print()
        print(markdown_table(OUTPUT_COLUMNS, [output_row(r) for r in runs]))
        if incremental_rows:
            print()
            print(markdown_table(INCREMENTAL_COLUMNS, [incremental_row(r) for r in incremental_rows]))
    if a.json:
        a.json.write_text(json.dumps({"machine": m, "command": base + extra,
                                      "runs": [r.__dict__ for r in runs]}, indent=2, default=str) + "\n")
    wrong = [r for r in runs if r.cache_expected is False or (r.outputs_check or "").startswith("DIFFER")]
    for r in wrong:
        print(f"run.py: {r.kind} at {r.size:,}: cache entries +{r.cache_written} −{r.cache_pruned}, "
              f"outputs {r.outputs_check or '-'}: not what an incremental rebuild must give", file=sys.stderr)
    return 0 if all(r.status == 0 for r in runs) and not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
