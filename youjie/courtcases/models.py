"""Court cases imported from the court's own case system, with their parties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.courtcases.choices import (
    Attendance,
    CaseStage,
    HearingKind,
    HearingStatus,
    ImportStatus,
    ParticipantRole,
    PartyRole,
    SecondInstanceResult,
)


class CourtCase(TimeStampedModel):
    case_number = models.CharField("案号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    court_code = models.CharField("法院代字", max_length=16)
    type_code = models.CharField("类型代字", max_length=16, db_index=True)
    sequence = models.PositiveIntegerField("序号")
    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.PROTECT, related_name="court_cases"
    )
    division = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="承办庭室",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="division_cases",
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办法官",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judged_cases",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="书记员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clerked_cases",
    )
    cause = models.CharField("案由", max_length=100, blank=True)
    stage = models.CharField(
        "阶段", max_length=16, choices=CaseStage.choices, default=CaseStage.FILED
    )
    filed_on = models.DateField("立案日期", null=True, blank=True)
    judgment_date = models.DateField("裁判日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    appealed = models.BooleanField("已上诉", default=False)
    petitioned = models.BooleanField("已申诉/信访", default=False)
    second_instance_result = models.CharField(
        "二审结果", max_length=16, choices=SecondInstanceResult.choices, blank=True, default=""
    )
    amount = models.DecimalField(
        "标的额（元）", max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "法院案件"
        verbose_name_plural = "法院案件"
        ordering = ["-year", "-sequence"]
        indexes = [
            models.Index(fields=["court", "year", "type_code", "sequence"]),
            # The court figures read a period's cases by filing and by closing date
            # (youjie.analytics: 旧存, 新收, 结案), not a court's whole history.
            models.Index(fields=["court", "filed_on"], name="courtcase_court_filed_idx"),
            models.Index(fields=["court", "closed_on"], name="courtcase_court_closed_idx"),
        ]

    def __str__(self) -> str:
        return self.case_number


class CaseParty(models.Model):
    court_case = models.ForeignKey(CourtCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("诉讼地位", max_length=32, choices=PartyRole.choices)
    name = models.CharField("名称", max_length=200)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="自然人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_parties",
    )
    enterprise = models.ForeignKey(
        "people.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_parties",
    )

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class ImportSource(models.TextChoices):
    """How a case list came in (docs/subsystems/case-imports.md). A page upload (and the
    ``import_court_cases`` command) is run by a person who sees the result; a pushed or
    scheduled one runs unattended, so its failures notify the court's administrators.

    (Kept beside CaseImport rather than in choices.py, which this change did not own.)"""

    UPLOAD = "upload", "页面上传"
    PUSH = "push", "接口推送"
    FOLDER = "folder", "定时目录"


SHA256_LENGTH = 64


class CaseImport(TimeStampedModel):
    """One upload of the court's case list: validated first, imported only on request (a page
    upload), or at once with its valid rows (a push or the watched folder)."""

    source = models.CharField(
        "来源", max_length=16, choices=ImportSource.choices, default=ImportSource.UPLOAD
    )
    file_name = models.CharField("文件名", max_length=200)
    # The watched folder takes a file only once per court (a copy dropped again is recorded as
    # a duplicate of the run that imported it).
    file_sha256 = models.CharField("文件 SHA-256", max_length=SHA256_LENGTH, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="与之重复的导入",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    court = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="法院", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.VALIDATED
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    valid_rows = models.PositiveIntegerField("有效行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("无变化", default=0)
    import_valid_rows = models.BooleanField("仅导入有效行", default=False)
    failure_reason = models.CharField("失败原因", max_length=500, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)
    rows = models.JSONField("待导入数据", default=list, blank=True)

    class Meta:
        verbose_name = "案件导入"
        verbose_name_plural = "案件导入"
        ordering = ["-id"]
        indexes = [
            # Is this file (by content) already imported for this court? (the watched folder)
            models.Index(fields=["court", "file_sha256"], name="caseimport_court_sha_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=ImportSource.values), name="caseimport_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def refused_count(self) -> int:
        """Rows refused at validation, each with its reason in ``errors``."""
        return self.total_rows - self.valid_rows


class CaseImportFolder(models.Model):
    """The watched folder between two scans, one row per configured path
    (``services.case_import_folder_scan``): when it was last looked at, the files seen there
    but not taken yet with their size and modification time (a file is taken only once both
    are unchanged since the previous look), and the lease that keeps two scans apart."""

    path = models.CharField("目录", max_length=500, unique=True)
    scanned_at = models.DateTimeField("最近扫描", null=True, blank=True)
    lease_until = models.DateTimeField("扫描占用至", null=True, blank=True)
    # "<court code>/<file name>" → [size, mtime_ns] as seen by the last scan.
    seen = models.JSONField("待定文件", default=dict, blank=True)
    last_error = models.CharField("最近错误", max_length=500, blank=True)

    class Meta:
        verbose_name = "案件清单监视目录"
        verbose_name_plural = "案件清单监视目录"

    def __str__(self) -> str:
        return self.path


# --- hearings (互联网+庭审) -------------------------------------------------------------------

HEARING_LINK_MAX = 500
COURTROOM_MAX = 100
HEARING_REASON_MAX = 500
PARTICIPANT_NAME_MAX = 100
DURATION_MIN_MINUTES = 10
DURATION_MAX_MINUTES = 480


class Hearing(TimeStampedModel):
    """One hearing of a court case: online (a link to an external video-conference system) or
    in a courtroom. Its ``status`` changes only in ``hearings.hearing_status_set``; a postponed
    hearing keeps its time, and the new one is a new row pointing back (``postponed_from``)."""

    court_case = models.ForeignKey(
        CourtCase, verbose_name="案件", on_delete=models.PROTECT, related_name="hearings"
    )
    kind = models.CharField("开庭方式", max_length=16, choices=HearingKind.choices)
    status = models.CharField(
        "状态", max_length=16, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    scheduled_at = models.DateTimeField("开庭时间")
    duration_minutes = models.PositiveSmallIntegerField("预计时长（分钟）", default=60)
    hearing_link = models.CharField("在线庭审链接", max_length=HEARING_LINK_MAX, blank=True)
    courtroom = models.CharField("法庭", max_length=COURTROOM_MAX, blank=True)
    presiding_judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审判长/独任法官",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="书记员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    postponed_from = models.OneToOneField(
        "self",
        verbose_name="延期前的庭审",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rescheduled_as",
    )
    # Why it was postponed or cancelled (required for both).
    reason = models.TextField("延期/取消理由", max_length=HEARING_REASON_MAX, blank=True)
    held_at = models.DateTimeField("确认开庭时间", null=True, blank=True)
    attendance_recorded_at = models.DateTimeField("到庭情况记录时间", null=True, blank=True)
    # The day-before reminder went out (hearings.hearing_reminders_send): once per hearing.
    reminder_sent_at = models.DateTimeField("提醒发送时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="排期人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "庭审"
        verbose_name_plural = "庭审安排"
        ordering = ["scheduled_at", "id"]
        indexes = [
            # The upcoming list and the reminder sweep: scheduled hearings by time.
            models.Index(fields=["status", "scheduled_at"], name="hearing_status_time_idx"),
            models.Index(fields=["court_case", "scheduled_at"], name="hearing_case_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=HearingStatus.values), name="hearing_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=HearingKind.values), name="hearing_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=HearingKind.ONLINE) | ~Q(hearing_link=""),
                name="hearing_online_has_link",
            ),
            models.CheckConstraint(
                condition=~Q(kind=HearingKind.IN_PERSON) | ~Q(courtroom=""),
                name="hearing_in_person_has_courtroom",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=DURATION_MIN_MINUTES)
                & Q(duration_minutes__lte=DURATION_MAX_MINUTES),
                name="hearing_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[HearingStatus.POSTPONED, HearingStatus.CANCELLED])
                | ~Q(reason=""),
                name="hearing_postponed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.court_case.case_number} {self.scheduled_at:%Y-%m-%d %H:%M}"


class HearingParticipant(models.Model):
    """Who is summoned to a hearing: the case's parties (from CaseParty), their agents,
    witnesses. The phone is kept encrypted with a masked form (youjie.core.crypto); attendance
    is recorded after the hearing."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField("身份", max_length=16, choices=ParticipantRole.choices)
    name = models.CharField("姓名/名称", max_length=PARTICIPANT_NAME_MAX)
    # A re-import of the case list replaces the case's party rows (services._parties): the
    # participant keeps its name and phone, the link is cleared.
    case_party = models.ForeignKey(
        CaseParty,
        verbose_name="当事人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hearing_participations",
    )
    phone_encrypted = models.TextField("手机号码（密文）", blank=True, default="")
    phone_masked = models.CharField("手机号码（脱敏）", max_length=20, blank=True)
    attendance = models.CharField(
        "到庭情况", max_length=20, choices=Attendance.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = "庭审参加人"
        verbose_name_plural = "庭审参加人"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance="") | Q(attendance__in=Attendance.values),
                name="hearing_participant_attendance_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"
