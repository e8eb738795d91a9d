"""manage.py petitions_bulletin [--date YYYY-MM-DD] --out FILE.docx: the daily bulletin of that
day (today by default) as issued, or issued now from the data when there is none yet. A future
date is refused (exit code 1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.core.errors import ApplicationError
from youjie.petitions import selectors, services


class Command(BaseCommand):
    help = "导出某日的每日通报（.docx，按印发时原样）；该日尚未印发的，按当前数据印发。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="通报日期 YYYY-MM-DD（默认今天，北京时间）")
        parser.add_argument("--out", type=Path, required=True, help="写出的 .docx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        text = str(options["date"] or "").strip()
        try:
            day = date.fromisoformat(text) if text else selectors.clock_today()
        except ValueError as exc:
            raise CommandError(
                f"日期格式应为 YYYY-MM-DD，例如 2026-03-05（收到 {text!r}）"
            ) from exc
        bulletin = selectors.bulletin_of_day(day)
        issued_now = bulletin is None
        try:
            if bulletin is None:
                bulletin = services.bulletin_issue(day=day)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        document = bulletin.document
        if document is None or not document.file.storage.exists(document.file.name):
            raise CommandError(f"通报{bulletin.number}的文件已不存在，请联系系统管理员")
        out: Path = options["out"]
        try:
            with document.file.open("rb") as source:
                out.write_bytes(source.read())
        except OSError as exc:
            raise CommandError(f"无法写出文件 {out}：{exc.strerror}") from exc
        state = "已按当前数据印发" if issued_now else "按印发时原样"
        self.stdout.write(f"{bulletin.number}（{bulletin.day:%Y-%m-%d}，{state}）已写出到 {out}")
