from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from youjie.demo import orgdata
from youjie.demo.services import SeedReport, seed_all


class Command(BaseCommand):
    help = "Load the 包头 demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        report = SeedReport()
        seed_all(report=report)
        if report.created:
            summary = "，".join(f"{key} {value}" for key, value in sorted(report.created.items()))
            self.stdout.write(f"演示数据已加载：{summary}")
        else:
            self.stdout.write("演示数据已存在，未作改动。")
        self.stdout.write(f"演示账号（密码均为 {orgdata.DEMO_PASSWORD}）：")
        for username, display_name, role, _unit in orgdata.DEMO_USERS:
            self.stdout.write(f"  {username:<16} {display_name:<8} {role}")
        self.stdout.write("  admin 与 leader 首次登录需用验证器应用绑定动态验证码（TOTP）。")
