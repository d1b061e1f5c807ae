"""Interrupted, failing and concurrent builds leave the previous outputs as they were.

Builds run as real processes where signals matter (SIGTERM, SIGKILL of a worker); write
failures are injected in-process.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO, SAMPLE
from helpers.build import checkout_env, kg_command, kg_process, outputs, run_build
from helpers.records import copy_sample, replicate_sample

from kg.cli import main
from kg.write import atomic
from kg.write.lock import LOCK_NAME, OutdirLock

pytestmark = pytest.mark.slow

OUTPUTS = ("pfocr.nt", "pfocr.ttl", "report.json", "validation.ttl")


def _digests(outdir: Path) -> dict[str, str]:
    return {n: hashlib.sha256((outdir / n).read_bytes()).hexdigest() for n in OUTPUTS if (outdir / n).exists()}


def _temporaries(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if atomic.TMP_MARK in p.name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "db"
    # 30 × the sample's figures under new PMC ids: 1,050 records, enough to keep workers busy
    replicate_sample(root, 30, lambda n, pmc: f"PMC{9_000_000 + n * 100 + int(pmc[3:]) % 100}")
    return root


def _default_sigint() -> None:
    """In the child before exec: SIGINT as a terminal's foreground job has it. A test run started
    in the background (`pytest &` in a script) ignores SIGINT, and so, rightly, would kg build."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(corpus: Path, outdir: Path, *extra: str, new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        kg_command("build", corpus, "-o", outdir, "-q", "-j", "2", *extra),
        stderr=subprocess.PIPE, text=True, cwd=REPO, env=checkout_env(), start_new_session=new_session,
        preexec_fn=_default_sigint,  # noqa: PLW1509 - one signal() call before exec
    )


@pytest.fixture
def default_sigint() -> Iterator[None]:
    """This process's SIGINT as in a foreground run (see _default_sigint), restored afterwards."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _wait_for_temporaries(outdir: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if outdir.exists() and _temporaries(outdir):
            return
        time.sleep(0.02)
    pytest.fail("the build never started writing")


def _processes() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/<pid>/stat after the command: state, ppid, pgrp, session, …)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                yield int(entry), Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue


def _alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie has exited: only its parent has not reaped it)."""
    return any(p == pid and fields[0] != "Z" for p, fields in _processes())


def _descendants_once(pid: int) -> list[int]:
    """Direct children only."""
    return [child for child, fields in _processes() if int(fields[1]) == pid]


def _descendants(pid: int) -> list[int]:
    children = []
    for child in _descendants_once(pid):
        children.append(child)
        children.extend(_descendants(child))
    return children


@pytest.mark.parametrize("ctrl_c", [False, True], ids=["SIGTERM-to-the-build", "SIGINT-to-its-process-group"])
def test_sigterm_or_ctrl_c_keeps_previous_outputs(corpus: Path, tmp_path: Path, ctrl_c: bool) -> None:
    """Ctrl-C on a terminal sends SIGINT to the whole process group, workers included."""
    out = tmp_path / "out"
    first = run_build(out, SAMPLE)
    before = _digests(first.outdir)
    proc = _start(corpus, out, new_session=ctrl_c)
    _wait_for_temporaries(out, proc)
    children = _descendants(proc.pid)
    if ctrl_c:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted after" in stderr and "previous outputs" in stderr
    assert _digests(out) == before
    assert _temporaries(out) == []
    time.sleep(0.5)
    assert not [c for c in children if _alive(c)]


def _session(sid: int) -> list[int]:
    """Live (not zombie) processes of session `sid`: orphans keep it when they are re-parented."""
    return [pid for pid, fields in _processes() if int(fields[3]) == sid and fields[0] != "Z"]


def test_sigkill_then_next_build_recovers(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _start(corpus, out, new_session=True)
    _wait_for_temporaries(out, proc)
    time.sleep(0.5)  # the pool is up and busy
    proc.kill()  # the build process alone, as the OOM killer or a CI timeout does
    proc.communicate(timeout=30)  # returns only once no orphan holds its stderr pipe
    deadline = time.monotonic() + 10
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(proc.pid) == [], "workers (or the forkserver) outlived the killed build"
    # a first build killed: nothing under a real output name
    assert not any((out / n).exists() for n in OUTPUTS)
    assert _temporaries(out)
    again = run_build(out, corpus, extra=("-j", "1"))
    assert again.exit_code == 0
    assert _temporaries(out) == []
    reference = run_build(tmp_path / "reference", corpus, extra=("-j", "1"))
    assert again.nt == reference.nt and again.ttl == reference.ttl


def test_killed_worker_is_an_error_and_keeps_outputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    before = _digests(run_build(out, SAMPLE).outdir)
    proc = _start(corpus, out)
    _wait_for_temporaries(out, proc)
    deadline = time.monotonic() + 20
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:  # pool workers are the forkserver's children
        direct = set(_descendants_once(proc.pid))
        workers = [pid for pid in _descendants(proc.pid) if pid not in direct]
        time.sleep(0.05)
    assert workers, "no worker process found"
    time.sleep(0.5)  # let it take a chunk of records
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:  # the victim was the forkserver/resource helper after all work was done
        pytest.skip("the killed process was not a busy worker; nothing to observe")
    assert proc.returncode == 1, stderr
    assert "worker process died" in stderr
    assert _digests(out) == before
    assert _temporaries(out) == []


def test_second_concurrent_build_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with OutdirLock(out):
        code = main(["build", str(SAMPLE), "-o", str(out), "-q"])
    assert code == 2
    err = capsys.readouterr().err
    assert "another kg build" in err and f"pid {os.getpid()}" in err
    assert not (out / "pfocr.nt").exists()
    assert (out / LOCK_NAME).exists()


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".pfocr.nt.tmp-99999").write_text("half a file")
    (out / ".quarantine.tmp-99999").mkdir()
    build = run_build(out, SAMPLE)
    assert build.exit_code == 0
    assert _temporaries(out) == []


def test_interrupt_between_opening_outputs_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The window CI once hit: SIGTERM after pfocr.nt/.ttl/validation.ttl were opened, before
    the build could record them for removal."""
    from kg.build import outputs

    out = tmp_path / "out"
    before = _digests(run_build(out, SAMPLE).outdir)

    def interrupted(self: object, folder: Path) -> None:
        assert _temporaries(out), "the outputs opened before this one should exist now"
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.QuarantineWriter, "__init__", interrupted)
    code = main(["build", str(SAMPLE), "-o", str(out), "-q", "--no-cache"])
    assert code == 130
    assert "previous outputs" in capsys.readouterr().err
    assert _digests(out) == before
    assert _temporaries(out) == []


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS], ids=["disk-full", "read-only"])
def test_write_failure_names_the_file_and_keeps_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: int
) -> None:
    out = tmp_path / "out"
    before = _digests(run_build(out, SAMPLE).outdir)
    original = atomic.AtomicFile.write

    def failing(self: atomic.AtomicFile, data: bytes) -> None:
        if self.path.name == "pfocr.nt":
            raise atomic.OutputError(self.path, OSError(error, os.strerror(error)))
        original(self, data)

    monkeypatch.setattr(atomic.AtomicFile, "write", failing)
    code = main(["build", str(SAMPLE), "-o", str(out), "-q", "--no-cache"])  # cached: up to date, no write
    err = capsys.readouterr().err
    assert code == 1
    assert f"cannot write {out / 'pfocr.nt'}: {os.strerror(error)}" in err
    assert _digests(out) == before
    assert _temporaries(out) == []


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    """A real 12 MB tmpfs (root only): the kernel, not a monkeypatch, says the disk is full."""
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None or not sys.platform.startswith("linux"):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    point = tmp_path / "fs"
    point.mkdir()
    done = subprocess.run([mount, "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(point)], check=False, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def _build_process(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return kg_process("build", source, "-o", out, "-q", *extra)


def test_real_full_disk_names_the_file_and_keeps_outputs(corpus: Path, small_fs: Path) -> None:
    out = small_fs / "out"
    first = _build_process(SAMPLE, out)  # ≈ 4.3 MB with its cache: fits
    assert first.returncode == 0, first.stderr
    before = _digests(out)
    second = _build_process(corpus, out)  # 1,050 records: ≈ 30× that, does not
    assert second.returncode == 1, second.stderr
    assert "No space left on device" in second.stderr
    assert f"cannot write {small_fs}" in second.stderr  # names the file it could not write
    assert _digests(out) == before
    assert _temporaries(out) == []


def test_real_read_only_outdir_names_the_cause_and_keeps_outputs(small_fs: Path) -> None:
    out = small_fs / "out"
    assert _build_process(SAMPLE, out).returncode == 0
    before = _digests(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    again = _build_process(SAMPLE, out, "--no-cache")
    assert again.returncode != 0
    assert "Read-only file system" in again.stderr and str(out) in again.stderr
    assert "Traceback" not in again.stderr
    assert _digests(out) == before
    cleaning = kg_process("clean", out, timeout=60)
    assert cleaning.returncode == 1 and "Read-only file system" in cleaning.stderr, cleaning.stderr
    assert "Traceback" not in cleaning.stderr


def test_file_size_limit_names_the_file_and_keeps_outputs(tmp_path: Path) -> None:
    """RLIMIT_FSIZE (no root needed): writes past 1 MB fail with EFBIG in the build and its
    workers (CPython ignores SIGXFSZ, so the write returns the error)."""
    import resource

    out = tmp_path / "out"
    assert _build_process(SAMPLE, out).returncode == 0
    before = _digests(out)
    shutil.rmtree(out / ".kg-cache")  # recompute: the workers write entries under the limit too

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    again = kg_process("build", SAMPLE, "-o", out, "-q", preexec_fn=limit)
    assert again.returncode == 1, again.stderr
    assert f"cannot write {out / 'pfocr.nt'}: File too large" in again.stderr
    assert _digests(out) == before
    assert _temporaries(out) == []


def test_file_vanishing_mid_run_is_quarantined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.read import textfile

    victim = "PMC2776288__ajtr0001-0001-f3.md"
    original = textfile.Path.open

    def vanishing(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self.name == victim:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(textfile.Path, "open", vanishing)
    build = run_build(tmp_path / "out", SAMPLE)
    quarantined = {q["file"]: q["reason"] for q in build.report["quarantined"]}
    assert list(quarantined) == [str(SAMPLE / "_figures" / victim)]
    assert "cannot read file" in quarantined[str(SAMPLE / "_figures" / victim)]
    assert build.report["figures_written"] == 34


def test_background_sync_failure_is_raised_by_finish_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large outputs are synced as they grow (atomic._Flusher); an I/O error there must not be
    lost: the kernel may report the final fsync as clean after a failed one."""
    import threading

    monkeypatch.setattr(atomic._Flusher, "FLUSH_BYTES", 4096)
    tried = threading.Event()

    def failing_fdatasync(fd: int) -> None:
        tried.set()
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(atomic.os, "fdatasync", failing_fdatasync)
    target = tmp_path / "pfocr.ttl"
    out = atomic.AtomicFile(target, flush_as_written=True)
    out.write(b"x" * 5000)  # past FLUSH_BYTES: the background sync runs
    assert tried.wait(10)
    with pytest.raises(atomic.OutputError, match=f"cannot write {target}: {os.strerror(errno.EIO)}"):
        out.finish()
    out.abort()
    assert list(tmp_path.iterdir()) == []


def test_background_sync_keeps_bytes_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic._Flusher, "FLUSH_BYTES", 1000)
    chunks = [bytes([n % 251]) * (n * 37 % 3000) for n in range(400)]
    out = atomic.BufferedFile(tmp_path / "big.bin", batch_bytes=512)
    for chunk in chunks:
        out.write(chunk)
    out.finish()
    out.publish()
    assert (tmp_path / "big.bin").read_bytes() == b"".join(chunks)
    assert not list(tmp_path.glob(f"*{atomic.TMP_MARK}*"))


def _smaller_sample(root: Path) -> Path:
    """The sample without its first figure: a build whose outputs all differ from the sample's."""
    copy_sample(root)
    first = min((root / "_figures").glob("*.md"))
    first.unlink()
    for tsv in (root / "_data").glob(f"{first.stem}-*.tsv"):
        tsv.unlink()
    return root


def _tree(outdir: Path) -> dict[str, str]:
    """Every output file, the quarantine folder's included, by digest."""
    return {n: hashlib.sha256(data).hexdigest() for n, data in outputs(outdir, (*OUTPUTS, "report.html")).items()}


KILLED_MID_COMMIT = """
import os, sys
from kg.cli import main
from kg.write import commit

real = commit.os.replace
renames = 0

def replace_then_die(src, dst):
    global renames
    committing = os.path.exists(os.path.join(sys.argv[2], commit.JOURNAL_NAME))
    real(src, dst)
    renames += committing
    if renames == 2:
        os._exit(9)  # as SIGKILL: no handler, no cleanup

commit.os.replace = replace_then_die
sys.exit(main(["build", sys.argv[1], "-o", sys.argv[2], "-q"]))
"""


@pytest.mark.parametrize("recovery", ["build", "clean"])
def test_killed_while_renaming_is_completed_by_the_next_run(
    tmp_path: Path, recovery: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The renames into place are several calls: a kill between two of them leaves a journal,
    and the next build or clean completes the commit (roll forward) instead of leaving a mix."""
    smaller = _smaller_sample(tmp_path / "smaller")
    expected = _tree(run_build(tmp_path / "reference", smaller).outdir)
    out = tmp_path / "out"
    old = _tree(run_build(out, SAMPLE).outdir)
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MID_COMMIT, str(smaller), str(out)],
        check=False, capture_output=True, text=True, cwd=REPO, env=checkout_env(), timeout=300,
    )
    assert killed.returncode == 9, killed.stderr
    assert (out / ".kg-commit.json").exists()
    mixed = _tree(out)
    assert mixed["pfocr.nt"] == expected["pfocr.nt"] and mixed["report.json"] == old["report.json"]  # a mix
    query = ["query", "ASK { ?s ?p ?o }", "--nt", str(out / "pfocr.nt"), "--store", str(tmp_path / "store")]
    assert main(query) == 2  # readers refuse the mix
    assert "is a mix of two builds" in capsys.readouterr().err
    if recovery == "build":
        assert run_build(out, smaller).exit_code == 0
    else:
        assert main(["clean", str(out)]) == 0
    assert _tree(out) == expected
    assert not (out / ".kg-commit.json").exists()
    assert _temporaries(out) == []
    assert main(query) == 0


def test_signal_during_the_renames_waits_for_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SIGTERM in the middle of the commit: all renames happen, then the build stops (exit 130)
    saying the outputs are this build's."""
    from kg.write import commit

    smaller = _smaller_sample(tmp_path / "smaller")
    expected = _tree(run_build(tmp_path / "reference", smaller).outdir)
    out = tmp_path / "out"
    run_build(out, SAMPLE)
    real = commit.os.replace

    def replace_and_signal(src: str, dst: str) -> None:
        committing = (out / commit.JOURNAL_NAME).exists()
        real(src, dst)
        if committing:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(commit.os, "replace", replace_and_signal)
    code = main(["build", str(smaller), "-o", str(out), "-q"])
    assert code == 130
    assert "holds this build's complete outputs" in capsys.readouterr().err
    assert _tree(out) == expected
    assert not (out / ".kg-commit.json").exists()
    assert _temporaries(out) == []


def test_commit_removes_stale_outputs_before_report_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """report.json is renamed last: a reader that sees the new one never sees an earlier build's
    pfocr.jsonld, validation.ttl or shard.json beside it."""
    from kg.build import outputs

    out = tmp_path / "out"
    run_build(out, SAMPLE, extra=("--format", "nt,ttl,jsonld"))
    journals = []
    real = outputs.commit
    monkeypatch.setattr(outputs, "commit", lambda outdir, steps: (journals.append(steps), real(outdir, steps)))
    assert run_build(out, SAMPLE, extra=("--format", "nt,ttl", "--no-validate")).exit_code == 0
    steps = journals[0]
    assert steps[-1][0] == "rename" and steps[-1][2] == "report.json"
    assert {("remove", "pfocr.jsonld"), ("remove", "validation.ttl"), ("remove", "shard.json")} <= set(steps)
    assert not (out / "pfocr.jsonld").exists() and not (out / "validation.ttl").exists()


def test_signal_after_the_commit_says_the_outputs_are_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], default_sigint: None
) -> None:
    """Ctrl-C while the cache is tidied (or --store filled) must not claim nothing was written."""
    from kg.build import run

    smaller = _smaller_sample(tmp_path / "smaller")
    expected = _tree(run_build(tmp_path / "reference", smaller).outdir)
    out = tmp_path / "out"
    run_build(out, SAMPLE)

    def remember_interrupted(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(run, "remember", remember_interrupted)
    assert main(["build", str(smaller), "-o", str(out), "-q"]) == 130
    assert "holds this build's complete outputs" in capsys.readouterr().err
    assert _tree(out) == expected


def test_ignored_sigint_stays_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`kg build &` in a script runs with SIGINT ignored: a SIGINT to its group must not stop it."""
    from kg.build import outputs

    out = tmp_path / "out"
    real = outputs.commit

    def commit_with_sigint(outdir: Path, steps: list) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real(outdir, steps)

    monkeypatch.setattr(outputs, "commit", commit_with_sigint)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert run_build(out, SAMPLE).exit_code == 0
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("journal", [b"{not json", b"[]", b'{"steps": [["rename", "../../etc/x", "pfocr.nt"]]}'])
def test_unreadable_journal_is_an_error_and_keeps_the_temporaries(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], journal: bytes
) -> None:
    """A journal this tool did not write cannot be replayed: say so, delete nothing it might name;
    `kg clean --all` (which removes the outputs anyway) clears the way."""
    out = tmp_path / "out"
    run_build(out, SAMPLE)
    (out / ".kg-commit.json").write_bytes(journal)
    (out / ".pfocr.nt.tmp-99999").write_text("complete, named by a journal")
    assert main(["build", str(SAMPLE), "-o", str(out), "-q"]) == 1
    assert "is not a commit journal this tool can replay" in capsys.readouterr().err
    assert (out / ".pfocr.nt.tmp-99999").exists()
    assert main(["clean", str(out)]) == 1
    assert main(["clean", "--all", str(out)]) == 0
    assert not (out / ".kg-commit.json").exists() and _temporaries(out) == []
    assert run_build(out, SAMPLE).exit_code == 0
