"""manage.py petitions_letter "包政法专督〔2026〕3号" --out FILE.docx: the supervision letter of
that 发文字号, as issued when it was sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.core.errors import ApplicationError
from youjie.documents.numbers import parse_document_number
from youjie.petitions import selectors


class Command(BaseCommand):
    help = "导出已发出的督办函（.docx，按发出时原样）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="发文字号，如 包政法专督〔2026〕3号")
        parser.add_argument("--out", type=Path, required=True, help="写出的 .docx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        number = str(options["number"]).strip()
        try:
            parse_document_number(number)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        letter = selectors.letter_by_number(number)
        if letter is None:
            raise CommandError(f"未找到发文字号为 {number} 的督办函（草稿尚无发文字号）")
        document = letter.document
        if document is None or not document.file.storage.exists(document.file.name):
            raise CommandError(f"督办函{number}的文件已不存在，请联系系统管理员")
        out: Path = options["out"]
        try:
            with document.file.open("rb") as source:
                out.write_bytes(source.read())
        except OSError as exc:
            raise CommandError(f"无法写出文件 {out}：{exc.strerror}") from exc
        self.stdout.write(f"督办函{number}《{letter.title}》已写出到 {out}")
