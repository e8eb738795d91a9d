"""Supervision by the offices (issue 13 items 5–7): the numbered supervision letters (督办函)
with their per-office document counter, the dispatch meetings and three-day reviews (调度会,
三日一研究) with their per-matter minutes and tasks, and the daily bulletin (每日一通报).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.petitions.choices import LetterStatus, MeetingKind, MeetingStatus, MeetingTaskStatus
from youjie.petitions.models.common import REASON_MAX, TEXT_MAX, TITLE_MAX
from youjie.petitions.models.matters import PetitionMatter


class DocumentNumberCounter(models.Model):
    """The sequence of one series of an office's documents in one year: 包政法专督〔2026〕1号,
    2号 … (the 发文机关代字 names the series). The row is locked (``select_for_update``) and
    advanced in the transaction that issues the document, so two sends never share a number and
    a send that rolls back takes its number back: no gaps (GB/T 9704-2012 §7.2.4)."""

    office = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="发文机关", on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "发文字号计数器"
        verbose_name_plural = "发文字号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix", "year"], name="uniq_pet_document_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"


class SupervisionLetterQuerySet(models.QuerySet["SupervisionLetter"]):
    def overdue(self, *, today: date) -> SupervisionLetterQuerySet:
        """Sent, not replied, past the deadline: computed, never stored."""
        return self.filter(status=LetterStatus.SENT, due_on__lt=today)


class SupervisionLetter(TimeStampedModel):
    """A 督办函 from an office (the city office) to a county office or a political-legal unit
    about one or more matters, with its requirements and a deadline for the written reply.

    Its 发文字号 (包政法专督〔2026〕3号) is given when it is sent, from the issuing office's
    sequence of the year (``DocumentNumberCounter``), and the .docx in the 信函 format is
    issued then (``documents.document_issue``, kept as issued)."""

    issuing_office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="发函单位",
        on_delete=models.PROTECT,
        related_name="supervision_letters_sent",
    )
    recipient_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="受函单位",
        on_delete=models.PROTECT,
        related_name="supervision_letters_received",
    )
    matters = models.ManyToManyField(
        PetitionMatter, verbose_name="督办事项", related_name="supervision_letters"
    )
    title = models.CharField("标题", max_length=TITLE_MAX)
    requirements = models.TextField("督办要求", max_length=TEXT_MAX)
    due_on = models.DateField("答复期限")
    status = models.CharField(
        "状态", max_length=16, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    prefix = models.CharField("发文机关代字", max_length=20, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("发文字号", max_length=64, blank=True)
    sent_on = models.DateField("发文日期", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发文人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name="督办函文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_text = models.TextField("答复内容", max_length=TEXT_MAX, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拟稿人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SupervisionLetterQuerySet.as_manager()

    class Meta:
        verbose_name = "督办函"
        verbose_name_plural = "督办函"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="pet_letter_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="uniq_pet_letter_number"
            ),
            models.UniqueConstraint(
                fields=["issuing_office", "prefix", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="uniq_pet_letter_sequence",
            ),
            # A draft has no number; a sent or replied letter has its number and date.
            models.CheckConstraint(
                condition=Q(status=LetterStatus.DRAFT, number="")
                | (~Q(status=LetterStatus.DRAFT) & ~Q(number="") & Q(sent_on__isnull=False)),
                name="pet_letter_number_when_sent",
            ),
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.REPLIED) | Q(replied_on__isnull=False),
                name="pet_letter_replied_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number or '（草稿）'} {self.title}"


class ReviewMeeting(TimeStampedModel):
    """An office's meeting on matters: a leaders' dispatch meeting (调度会), which takes matters
    one by one (逐案解剖), or the three-day review (三日一研究), whose agenda is generated from
    the data on every third working day (``agenda``, a snapshot). Decisions become tasks."""

    kind = models.CharField("会议类型", max_length=16, choices=MeetingKind.choices)
    office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="召集单位",
        on_delete=models.PROTECT,
        related_name="petition_meetings",
    )
    title = models.CharField("会议名称", max_length=TITLE_MAX)
    held_on = models.DateField("会议日期")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.TextField("参会人员", max_length=REASON_MAX, blank=True)
    summary = models.TextField("会议纪要", max_length=TEXT_MAX, blank=True)
    agenda = models.JSONField("议程", default=dict, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "调度会/三日一研究"
        verbose_name_plural = "调度会/三日一研究"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["office", "-held_on"], name="pet_meeting_office_day")]
        constraints = [
            # One generated agenda per office and due day (the periodic task may fire twice).
            models.UniqueConstraint(
                fields=["office", "held_on"],
                condition=Q(kind=MeetingKind.THREE_DAY),
                name="uniq_pet_three_day_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class MeetingMatter(models.Model):
    """One matter taken at a meeting (逐案解剖): the minute of the discussion."""

    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, related_name="matter_minutes"
    )
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="meeting_minutes"
    )
    minute = models.TextField("研究意见", max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "逐案研究记录"
        verbose_name_plural = "逐案研究记录"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "matter"], name="uniq_pet_meeting_matter")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.matter_id}"


class MeetingTaskQuerySet(models.QuerySet["MeetingTask"]):
    def overdue(self, *, today: date) -> MeetingTaskQuerySet:
        return self.filter(status=MeetingTaskStatus.OPEN, due_on__lt=today)


class MeetingTask(models.Model):
    """A meeting's decision on a matter as a task: what, who, by when; done or overdue."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="tasks")
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="meeting_tasks"
    )
    description = models.TextField("任务内容", max_length=REASON_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="petition_meeting_tasks",
    )
    due_on = models.DateField("完成期限")
    status = models.CharField(
        "状态", max_length=16, choices=MeetingTaskStatus.choices, default=MeetingTaskStatus.OPEN
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.TextField("落实情况", max_length=REASON_MAX, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("交办时间", auto_now_add=True)

    objects = MeetingTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "会议交办任务"
        verbose_name_plural = "会议交办任务"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="pet_meeting_task_due"),
            models.Index(fields=["owner", "status"], name="pet_meeting_task_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingTaskStatus.DONE) | Q(done_on__isnull=False),
                name="pet_meeting_task_done_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.description[:20]}"


class DailyBulletin(models.Model):
    """每日一通报: the figures of one working day by region and by unit, kept as issued.

    ``figures`` is the snapshot the bulletin was made from and its .docx (``document``) was
    rendered from; later changes to the data never rewrite either (one bulletin per day)."""

    day = models.DateField("通报日期", unique=True)
    office = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="发文单位", on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.CharField("发文机关代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("发文字号", max_length=64, unique=True)
    title = models.CharField("标题", max_length=TITLE_MAX)
    figures = models.JSONField("通报数据")
    document = models.ForeignKey(
        "documents.IssuedDocument",
        verbose_name="通报文件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    generated_at = models.DateTimeField("生成时间")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：由定时任务生成",
    )

    class Meta:
        verbose_name = "每日通报"
        verbose_name_plural = "每日通报"
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "prefix", "year", "sequence"], name="uniq_pet_bulletin_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.day}"
