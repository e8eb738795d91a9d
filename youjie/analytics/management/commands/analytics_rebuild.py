"""manage.py analytics_rebuild: the court figures' and the desk figures' day tables computed
afresh from every court case and desk request (after a bulk load, a restore, or a change to how
the figures are counted). Idempotent:
running it twice leaves the same table. The periodic refresh (``tasks``) keeps it current
afterwards."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from youjie.analytics.services import court_figures_rebuild, desk_figures_rebuild


class Command(BaseCommand):
    help = "按全部法院案件和诉求重新生成审判质效、诉事速办统计汇总表（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = court_figures_rebuild()
        as_of = timezone.localtime(result.refreshed_at)
        self.stdout.write(
            f"审判质效汇总已重建：{result.cases} 件案件，{result.rows} 行日汇总，"
            f"数据截至 {as_of:%Y-%m-%d %H:%M:%S}"
        )
        desk = desk_figures_rebuild()
        as_of = timezone.localtime(desk.refreshed_at)
        self.stdout.write(
            f"诉事速办统计汇总已重建：{desk.cases} 件诉求，{desk.rows} 行日汇总，"
            f"数据截至 {as_of:%Y-%m-%d %H:%M:%S}"
        )
