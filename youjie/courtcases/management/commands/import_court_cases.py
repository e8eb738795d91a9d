"""manage.py import_court_cases PATH --court 内0206 [--import-valid-rows]

Validates the file like the page does, prints every bad row, and imports synchronously with a
progress bar. Exits non-zero when the file has bad rows and --import-valid-rows was not given
(nothing is written then), or when the file cannot be read at all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from youjie.core.errors import ApplicationError
from youjie.courtcases.services import (
    case_import_cancel,
    case_import_run,
    case_import_validate,
)
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "从法院案件系统导出的 .xlsx/.csv 导入案件清单（先校验，再按案号新增或更新）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="案件清单文件（.xlsx 或 .csv）")
        parser.add_argument("--court", required=True, help="法院代字，如 内0206")
        parser.add_argument(
            "--import-valid-rows",
            action="store_true",
            help="文件中有错误行时，仍导入其余有效行（默认：有错误行则不导入）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        court = OrgUnit.objects.filter(
            kind=OrgKind.COURT, court_code=options["court"].strip()
        ).first()
        if court is None:
            raise CommandError(f"找不到法院代字为“{options['court']}”的法院")
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        if path.stat().st_size > int(settings.YOUJIE_MAX_UPLOAD_BYTES):
            raise CommandError(
                f"文件过大：不能超过 {int(settings.YOUJIE_MAX_UPLOAD_BYTES) // (1024 * 1024)} MB"
            )
        try:
            case_import = case_import_validate(
                actor=None, court=court, file_name=path.name, content=path.read_bytes()
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc

        self.stdout.write(
            f"校验完成：数据 {case_import.total_rows} 行，有效 {case_import.valid_rows} 行，"
            f"错误 {len(case_import.errors)} 行（导入编号 {case_import.pk}）"
        )
        for error in case_import.errors:
            self.stderr.write(f"第 {error['row']} 行 {error['case_number']}：{error['reason']}")
        import_valid_rows = bool(options["import_valid_rows"])
        if case_import.errors and not import_valid_rows:
            case_import_cancel(actor=None, case_import=case_import)
            raise CommandError(
                "文件中有错误行，未导入任何案件。修改后重试，或加 --import-valid-rows"
            )
        if case_import.valid_rows == 0:
            case_import_cancel(actor=None, case_import=case_import)
            raise CommandError("没有可导入的有效行")

        with tqdm(total=case_import.valid_rows, unit="行", file=sys.stderr) as bar:
            try:
                case_import = case_import_run(
                    actor=None,
                    case_import=case_import,
                    import_valid_rows=import_valid_rows,
                    progress=bar.update,
                )
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：新增 {case_import.created_count} 件，"
                f"更新 {case_import.updated_count} 件，"
                f"无变化 {case_import.unchanged_count} 件"
            )
        )
