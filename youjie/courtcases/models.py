"""Court cases imported from the court's own case system, with their parties."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from youjie.core.models import TimeStampedModel
from youjie.courtcases.choices import CaseStage, ImportStatus, PartyRole, SecondInstanceResult


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


class CaseImport(TimeStampedModel):
    """One upload of the court's case list: validated first, imported only on request."""

    file_name = models.CharField("文件名", max_length=200)
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

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
