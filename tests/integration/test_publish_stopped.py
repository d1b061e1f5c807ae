"""A `kg publish` stopped by SIGTERM (a job scheduler's timeout) cleans up after itself, and `kg clean`
removes what a run killed outright left; `kg clean --all` removes the site with the build."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import REPO
from helpers.build import Build, checkout_env, kg, kg_command

pytestmark = pytest.mark.slow


def _leftovers(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if ".publishing-" in p.name or ".replaced-" in p.name)


def test_sigterm_during_publish_leaves_no_working_folder(sample_build: Build, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    shutil.copytree(sample_build.outdir, outdir)
    run = subprocess.Popen(
        kg_command("publish", "-o", outdir, "--memory"), cwd=REPO, env=checkout_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not _leftovers(outdir) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if run.poll() is not None:
        pytest.skip("kg publish finished before it could be stopped")
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 128 + signal.SIGTERM, err
    assert err.strip().endswith("kg publish: terminated") and "Traceback" not in err
    assert _leftovers(outdir) == []
    assert not (outdir / "site").exists()


def test_clean_removes_a_killed_publish_and_all_the_site(
    sample_build: Build, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = tmp_path / "out"
    shutil.copytree(sample_build.outdir, outdir)
    assert kg(capsys, "publish", "-o", outdir, "--memory", "-q")[0] == 0
    killed = outdir / f".site.publishing-{_ended_pid()}"
    (killed / "figures").mkdir(parents=True)
    alive = outdir / f".site.publishing-{os.getpid()}"  # a run still going: never touched
    alive.mkdir()
    code, _, err = kg(capsys, "clean", "-o", outdir)
    assert code == 0 and f"removed {killed}" in err
    assert _leftovers(outdir) == [alive.name] and (outdir / "site" / "index.html").is_file()
    alive.rmdir()
    code, _, err = kg(capsys, "clean", "-o", outdir, "--all")
    assert code == 0 and f"removed {outdir / 'site'}" in err
    assert not (outdir / "site").exists()


def _ended_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid
