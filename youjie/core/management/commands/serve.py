"""Serve the whole system: the ASGI app under uvicorn plus one huey consumer.

Exactly one consumer runs the periodic tasks (huey fires them once per consumer).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run uvicorn (HTTP + WebSocket) and the huey worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="do not start huey")

    def handle(self, *args: Any, **options: Any) -> None:
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
                env=os.environ.copy(),
            )
        try:
            self.stdout.write(f"有解 youjie: http://{options['host']}:{options['port']}/")
            uvicorn.run(
                "config.asgi:application",
                host=options["host"],
                port=options["port"],
                log_level="info",
                lifespan="off",
            )
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
