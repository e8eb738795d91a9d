"""manage.py restore <folder>: replace the database and the attachments by a backup's.

Stop the server and the worker first. The configured keys must be the backup's (checked by
their fingerprints before anything is touched). See youjie.core.backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.core.backup import BackupError, backup_read, backup_restore
from youjie.core.keycheck import key_canary_problems


class Command(BaseCommand):
    help = "用备份替换当前的数据库与附件（请先停止服务与任务进程）。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="manage.py backup 写出的备份目录")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接覆盖")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_read(folder=options["folder"])
            if not options["yes"]:
                answer = input(
                    f"将用 {manifest.created_at} 的备份覆盖当前的数据库与附件，继续？[yes/no] "
                )
                if answer.strip().lower() not in {"yes", "y"}:
                    raise CommandError("已取消，未做任何改动。")
            result = backup_restore(manifest=manifest)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已恢复 {result.created_at} 的备份（{result.engine}）。")
        if result.previous_media is not None:
            self.stdout.write(f"原附件目录保留在 {result.previous_media}，确认无误后可删除。")
        for problem in key_canary_problems():
            self.stderr.write(f"{problem.id}: {problem.msg}")
        self.stdout.write(
            "请运行 manage.py migrate（备份来自旧版本时补齐数据库结构），再启动服务。"
        )
