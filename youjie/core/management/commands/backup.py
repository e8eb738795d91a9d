"""manage.py backup: the database, the attachments and (with --include-keys) the keys.

See youjie.core.backup for what a backup holds and docs/subsystems/deployment.md for the
procedure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库与附件（--include-keys 时连同密钥）到一个新目录。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="新的备份目录（默认 var/backups/youjie-<时间>）"
        )
        parser.add_argument(
            "--include-keys",
            action="store_true",
            help="把密钥写入备份的 keys.env（有了它，备份中的个人信息即可读出：请分开保管）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
        folder = options["output"] or Path(settings.VAR_DIR) / "backups" / f"youjie-{stamp}"
        try:
            result = backup_create(folder=folder, include_keys=options["include_keys"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"已备份到 {result.folder}：{result.engine} 数据库 {result.database_bytes} 字节，"
            f"附件 {result.media_files} 个。"
        )
        if result.keys_included:
            self.stdout.write("密钥已写入 keys.env：这份备份即可读出全部个人信息，请加密保管。")
        else:
            self.stdout.write(
                "密钥不在备份中。没有写入数据时所用的密钥，备份中的个人信息无法读出：请另行"
                "妥善保管 DJANGO_SECRET_KEY、YOUJIE_FIELD_KEYS 与 YOUJIE_LOOKUP_KEY"
                "（开发环境为 var/secret_key、var/field_key、var/lookup_key）。"
            )
