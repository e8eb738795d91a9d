from __future__ import annotations

from django.db import models


class DocumentFormat(models.TextChoices):
    """The two layouts of GB/T 9704-2012 this app renders (DOMAIN.md §11)."""

    FILE = "file", "文件格式"  # the standard layout (GB/T 9704-2012 §7): 通报, 通知 …
    LETTER = "letter", "信函格式"  # §10.1: 函-type documents such as a 督办函


class DocumentKind(models.TextChoices):
    """The 15 文种 of the 党政机关公文处理工作条例 (2012) art. 8: what an issued document is."""

    RESOLUTION = "resolution", "决议"
    DECISION = "decision", "决定"
    ORDER = "order", "命令（令）"
    COMMUNIQUE = "communique", "公报"
    ANNOUNCEMENT = "announcement", "公告"
    PUBLIC_NOTICE = "public_notice", "通告"
    OPINION = "opinion", "意见"
    NOTICE = "notice", "通知"
    BULLETIN = "bulletin", "通报"
    REPORT = "report", "报告"
    REQUEST = "request", "请示"
    REPLY = "reply", "批复"
    MOTION = "motion", "议案"
    LETTER = "letter", "函"
    MINUTES = "minutes", "纪要"
