"""Run the notification dispatcher: once, or in a loop as a standalone worker."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from youjie.notifications.services import notifications_dispatch


class Command(BaseCommand):
    help = "发送到期的通知（--loop 持续运行，可随时终止：未完成的通知会被重新认领）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="持续运行，直到收到 SIGTERM/SIGINT")
        parser.add_argument("--interval", type=float, default=2.0, help="空闲时的轮询间隔（秒）")
        parser.add_argument("--limit", type=int, default=100, help="每轮最多处理的通知数")

    def handle(self, *args: Any, **options: Any) -> None:
        self._stopping = False
        if options["loop"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        while True:
            if options["loop"]:
                # A long-running worker drops connections the database has closed or aged out.
                close_old_connections()
            report = notifications_dispatch(limit=options["limit"])
            if report.claimed and options["verbosity"] >= 1:
                self.stdout.write(f"claimed {report.claimed}: {report.outcomes}")
            if not options["loop"] or self._stopping:
                break
            if report.claimed < options["limit"]:
                deadline = time.monotonic() + options["interval"]
                while not self._stopping and time.monotonic() < deadline:
                    time.sleep(min(0.1, options["interval"]))
            if self._stopping:
                break

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
