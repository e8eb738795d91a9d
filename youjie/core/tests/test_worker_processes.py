"""Issue 12, item 11, with real processes: the huey worker started by `manage.py serve` dies with
it even on `kill -9`, and a second consumer of the same SQLite queue refuses to start."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self").exists(), reason="reads /proc (Linux)"),
]


def _env(var: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "YOUJIE_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        YOUJIE_VAR_DIR=str(var),
        PYTHONUNBUFFERED="1",
    )
    return env


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(part) for part in text.split()]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def _wait_for(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[Any]]]:
    started: list[subprocess.Popen[Any]] = []
    yield started
    for process in started:  # only the processes this test started, by their id
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_the_worker_dies_with_a_killed_server(tmp_path, processes):
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        serve = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--port", str(_free_port())],
            cwd=ROOT,
            env=_env(tmp_path / "var"),
            stdout=output,
            stderr=output,
        )
    processes.append(serve)

    def worker_started() -> list[int]:
        return [pid for pid in _children(serve.pid) if b"run_huey" in _cmdline(pid)]

    assert _wait_for(worker_started, 60), f"serve started no worker:\n{log.read_text()[-3000:]}"
    (worker,) = worker_started()
    time.sleep(3)  # the worker is up and consuming
    assert _alive(worker), f"the worker stopped by itself:\n{log.read_text()[-3000:]}"
    os.kill(serve.pid, signal.SIGKILL)
    serve.wait(timeout=10)
    try:
        assert _wait_for(lambda: not _alive(worker), 15), "the worker outlived its server"
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)


def test_a_second_consumer_of_the_queue_refuses_to_start(tmp_path, processes):
    var = tmp_path / "var"
    command = [sys.executable, "manage.py", "run_huey", "--workers", "1"]
    first = subprocess.Popen(
        command, cwd=ROOT, env=_env(var), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    processes.append(first)
    # Up and consuming: it holds the queue's lock (or, without one, has had time to start).
    _wait_for(lambda: (var / "huey.sqlite3.consumer.lock").exists(), 20)
    time.sleep(2)
    second = subprocess.Popen(
        command,
        cwd=ROOT,
        env=_env(var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(second)
    try:
        _, errors = second.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("a second consumer of the same queue started")
    assert second.returncode != 0
    assert "已有一个任务进程" in errors
    assert first.poll() is None  # the first one goes on
    first.send_signal(signal.SIGINT)
    first.wait(timeout=20)
    # Once it has gone, a new one may start (a stale lock file does not block).
    log = tmp_path / "third.log"
    with log.open("w") as errors_file:
        third = subprocess.Popen(
            command, cwd=ROOT, env=_env(var), stdout=subprocess.DEVNULL, stderr=errors_file
        )
    processes.append(third)
    time.sleep(4)
    assert third.poll() is None, log.read_text()
