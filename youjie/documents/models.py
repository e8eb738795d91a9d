"""Issued documents: every official document the system produces is kept as issued."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from youjie.documents.choices import DocumentFormat, DocumentKind

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class IssuedDocument(models.Model):
    """One rendered document, as issued: what (kind, title, number), from which data (the
    subject it was issued about and the identifiers of its inputs), who, when, the file and its
    SHA-256. Later changes to the data never rewrite it (a bulletin stays as it was sent)."""

    kind = models.CharField("文种", max_length=20, choices=DocumentKind.choices)
    format = models.CharField("格式", max_length=10, choices=DocumentFormat.choices)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("发文字号", max_length=64, db_index=True)
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name="关联对象类型",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField("关联对象编号", max_length=64, blank=True)
    inputs = models.JSONField("生成依据", default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField("生成时间", default=timezone.now)
    file = models.FileField("文件", upload_to="documents/%Y/%m/")
    file_name = models.CharField("文件名", max_length=150)
    content_type = models.CharField("文件类型", max_length=100, default=DOCX_CONTENT_TYPE)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = "已生成公文"
        verbose_name_plural = "已生成公文"
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-issued_at"], name="doc_subject")
        ]
        constraints = [
            # A subject is named whole (type and id) or not at all.
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id="")
                | (Q(subject_type__isnull=False) & ~Q(subject_id="")),
                name="doc_subject_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
