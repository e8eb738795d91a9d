"""Serve the whole system: the ASGI app under uvicorn plus one huey consumer.

Exactly one consumer runs the periodic tasks (huey fires them once per consumer); a second
consumer of the SQLite queue refuses to start (youjie.core.queue). The consumer is a child
process that dies with this one, even when this one is killed with SIGKILL: on Linux the kernel
sends it SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere it watches its
parent's process id (``YOUJIE_WORKER_PARENT_PID``, read by youjie.core.queue).

Links in messages are built from ``YOUJIE_PUBLIC_URL``; when it is not set, this command sets
it to the address it serves, for this process and the worker.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from config.env import public_host, public_url

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WORKER_PARENT_ENV = "YOUJIE_WORKER_PARENT_PID"


def served_url(host: str, port: int) -> str:
    """The address people reach ``host:port`` at; a wildcard host → this machine's address."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - reading the address, not binding
        host = _outbound_address()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return public_url(f"http://{host}:{port}")


def _outbound_address() -> str:
    """The address of the interface with the default route (no packet is sent), or 127.0.0.1."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only selects a route
            return str(probe.getsockname()[0])
    except OSError:
        return "127.0.0.1"


def die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A ``preexec_fn``: the child gets SIGTERM when its parent dies, however it dies.

    The C library is looked up here, in the parent; the child, between fork and exec, only
    calls prctl(2) and getppid(2).
    """
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None

    def preexec() -> None:
        if prctl is not None:
            prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def uvicorn_options(*, host: str, port: int) -> dict[str, Any]:
    return {
        "host": host,
        "port": port,
        "log_level": "info",
        "lifespan": "off",
        # The client address is decided by the app (youjie.core.middleware.client_ip, from
        # YOUJIE_TRUSTED_PROXIES): uvicorn's own X-Forwarded-For handling trusts 127.0.0.1.
        "proxy_headers": False,
        # Django's logging (JSON lines, credentials in paths redacted) for uvicorn's logs too.
        "log_config": None,
        "server_header": False,
    }


class Command(BaseCommand):
    help = "Run uvicorn (HTTP + WebSocket) and the huey worker together."
    # Checks run in handle(), with the database: its keys must read the data (core.E002).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="do not start huey")

    def handle(self, *args: Any, **options: Any) -> None:
        self.check(databases=["default"])
        host, port = options["host"], options["port"]
        if not os.environ.get("YOUJIE_PUBLIC_URL"):
            address = served_url(host, port)
            # This process has read its settings; the worker reads them from the environment.
            os.environ["YOUJIE_PUBLIC_URL"] = address
            settings.YOUJIE_PUBLIC_URL = address
            if not os.environ.get("ALLOWED_HOSTS"):
                allowed = public_host(address)
                if allowed not in settings.ALLOWED_HOSTS:
                    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, allowed]
        worker: subprocess.Popen[bytes] | None = None
        if not options["no_worker"]:
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                [
                    sys.executable,
                    "manage.py",
                    "run_huey",
                    "--workers",
                    "2",
                    "--worker-type",
                    "thread",
                ],
                env={**os.environ, WORKER_PARENT_ENV: str(os.getpid())},
                preexec_fn=die_with_parent(os.getpid()),
            )
        try:
            self.stdout.write(f"有解 youjie: http://{host}:{port}/")
            self.stdout.write(f"消息中的链接：{settings.YOUJIE_PUBLIC_URL}/")
            uvicorn.run("config.asgi:application", **uvicorn_options(host=host, port=port))
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
