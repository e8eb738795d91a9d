"""The task queue (huey on SQLite) and its one consumer.

Periodic jobs fire once per consumer, and a consumer left running by a crashed server kept
sending after a restart had started another (issue 12, item 11). So the consumer of a SQLite
queue takes an exclusive lock (``fcntl.flock``) on ``<queue file>.consumer.lock`` before it
starts: a second consumer of the same queue stops at once with a message that says why. The
lock goes with the process (the kernel releases it however the process ends), so a stale lock
file never blocks the next start.

A consumer started by ``manage.py serve`` also watches its parent (``YOUJIE_WORKER_PARENT_PID``)
and stops when the parent is gone: on Linux the kernel already sends it SIGTERM then
(PR_SET_PDEATHSIG, see serve.py); the watch covers the systems without it.
"""

from __future__ import annotations

import fcntl
import os
import signal
import threading
import time
from typing import IO, Any

from django.core.management.base import CommandError
from huey import SqliteHuey
from huey.consumer import Consumer

PARENT_ENV = "YOUJIE_WORKER_PARENT_PID"
PARENT_POLL_SECONDS = 1.0


class QueueBusy(CommandError):
    """Another consumer holds the queue's lock."""


def consumer_lock(queue_file: str) -> IO[str]:
    """Hold the queue's consumer lock for the life of this process, or raise QueueBusy."""
    path = f"{queue_file}.consumer.lock"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(descriptor, "r+", encoding="utf-8")  # held until the process ends
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise QueueBusy(
            f"已有一个任务进程在处理队列 {queue_file}（进程号 {holder}）：同一队列只能运行"
            "一个任务进程（manage.py run_huey / manage.py serve）。请先停止它，"
            "或使用 serve --no-worker。"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def watch_parent(parent_pid: int) -> None:
    """Stop this process (SIGTERM, huey's shutdown) when its parent is gone."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class SingleConsumerSqliteHuey(SqliteHuey):  # type: ignore[misc]  # huey is untyped
    """SqliteHuey whose consumer holds the queue's lock (see the module's docstring)."""

    _consumer_lock: IO[str] | None = None

    def create_consumer(self, **options: Any) -> Consumer:
        self._consumer_lock = consumer_lock(str(self.storage.filename))
        parent = os.environ.get(PARENT_ENV, "")
        if parent.isdigit():
            watch_parent(int(parent))
        return super().create_consumer(**options)
