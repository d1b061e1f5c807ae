"""The worker pool (kg.build.pool.Pool): outcomes come back through each worker's own pipe, so a
worker killed half-way through sending one is an error the build reports (WorkerDied), never a
wait for the rest of the message."""

from __future__ import annotations

import os
import pickle
import signal
import threading
import time
from pathlib import Path

import pytest
from helpers import SAMPLE

from kg.build.pool import Pool, WorkerDied, _talk
from kg.build.worker import RunSettings, Worker
from kg.read.layout import discover
from kg.read.textfile import DEFAULT_MAX_BYTES

SETTINGS = RunSettings(DEFAULT_MAX_BYTES, None, "unused", None, b"")  # no gate, no cache


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_worker_killed_while_sending_an_outcome_is_worker_died_not_a_hang() -> None:
    sources = discover([SAMPLE])
    worker = Worker(DEFAULT_MAX_BYTES, None)
    largest = max(sources, key=lambda source: len(pickle.dumps(worker(source))))
    assert len(pickle.dumps(worker(largest))) > 100_000
    pool = Pool(1, SETTINGS)
    try:
        process, conn = pool.workers[0]
        conn.send([(largest, None)] * 50)  # ≈ 9 MB of answers, far more than the pipe holds
        deadline = time.monotonic() + 60
        while not (conn.poll() and _state(process.pid) == "S"):  # answering, and blocked sending
            assert time.monotonic() < deadline, "the worker never blocked sending its answers"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        raised: list[BaseException] = []

        def read_all() -> None:
            try:
                while True:
                    _talk(conn.recv)
            except BaseException as exc:  # noqa: BLE001 - what the build would see
                raised.append(exc)

        reader = threading.Thread(target=read_all, daemon=True)
        reader.start()
        reader.join(30)
        assert not reader.is_alive(), "reading a dead worker's pipe waits for ever"
        assert len(raised) == 1 and isinstance(raised[0], WorkerDied)
    finally:
        pool.close()


def test_answers_come_in_task_order() -> None:
    """Three workers, chunks of two: the answers are the tasks' in order, as computed here."""
    sources = discover([SAMPLE])
    pool = Pool(3, SETTINGS)
    try:
        answers = [outcome.file for outcome, _stored in pool.run([(s, None) for s in sources], chunk=2, ahead=6)]
    finally:
        pool.close()
    assert answers == [str(source.md) for source in sources]
    assert all(not process.is_alive() for process, _conn in pool.workers)
