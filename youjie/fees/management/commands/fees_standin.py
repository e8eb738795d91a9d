"""Run the local WeChat Pay stand-in for the demo (youjie/fees/standin/): its keys are made in
``var/fees-standin/`` on the first run (kept for the next), and the settings that point the app
at it are printed, to be exported before ``manage.py runserver``.

    .venv/bin/python manage.py fees_standin --port 8765 \\
        --notify-url http://127.0.0.1:8000/fees/notify/wechatpay/

A payer's QR code then leads to the stand-in's "模拟支付" page, which pays the order and sends the
signed notification to the notify URL. Loopback only: it is a test double, not a server.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.fees.standin import StandIn, StandInKeys

ENV_NAMES = {
    "provider": "YOUJIE_PAYMENT_PROVIDER",
    "mchid": "YOUJIE_PAYMENT_MCHID",
    "appid": "YOUJIE_PAYMENT_APPID",
    "private_key_path": "YOUJIE_PAYMENT_PRIVATE_KEY_PATH",
    "cert_serial_no": "YOUJIE_PAYMENT_CERT_SERIAL_NO",
    "apiv3_key": "YOUJIE_PAYMENT_APIV3_KEY",
    "platform_public_key_path": "YOUJIE_PAYMENT_PLATFORM_PUBLIC_KEY_PATH",
    "platform_public_key_id": "YOUJIE_PAYMENT_PLATFORM_PUBLIC_KEY_ID",
    "base_url": "YOUJIE_PAYMENT_BASE_URL",
    "notify_url": "YOUJIE_PAYMENT_NOTIFY_URL",
}
LOOPBACK = ("127.", "::1", "localhost")


class Command(BaseCommand):
    help = "运行本地模拟的微信支付（仅用于演示和测试），并打印应设置的环境变量"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--keys", default=str(Path(settings.VAR_DIR) / "fees-standin"))
        parser.add_argument("--notify-url", default="http://127.0.0.1:8000/fees/notify/wechatpay/")
        parser.add_argument(
            "--seconds", type=int, default=0, help="运行多少秒后退出（0：一直运行）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host = str(options["host"])
        if not host.startswith(LOOPBACK):
            raise CommandError("模拟支付只监听本机地址（127.0.0.1 或 ::1）")
        directory = Path(options["keys"])
        keys = StandInKeys.load_or_generate(directory)
        standin = StandIn(keys, host=host, port=int(options["port"])).start()
        values = keys.payment_settings(
            directory=directory, base_url=standin.base_url, notify_url=str(options["notify_url"])
        )
        self.stdout.write(f"模拟微信支付已启动：{standin.base_url}（按 Ctrl+C 停止）")
        self.stdout.write("请在运行 runserver 的终端设置：")
        for key, name in ENV_NAMES.items():
            self.stdout.write(f"export {name}={values[key]}")
        seconds = int(options["seconds"])
        try:
            started = time.monotonic()
            while not seconds or time.monotonic() - started < seconds:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            standin.stop()
