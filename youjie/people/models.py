"""Persons and enterprises. Personal data is stored encrypted with a keyed hash for lookup."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.people.choices import Gender


class Person(TimeStampedModel):
    """A citizen: requester, party to a case, petitioner (群众, 当事人, 信访人).

    The resident ID number is never stored in clear: ``id_number_encrypted`` holds the
    Fernet token, ``id_number_hash`` a keyed HMAC of the normalised number for exact lookup,
    and ``id_number_masked`` the form shown by default (first 6 and last 4 characters).
    The birth date (digits 7-14) is deliberately not kept in clear: with the masked form it
    would rebuild the whole number. It is derived from the number only when that is revealed.
    """

    name = models.CharField("姓名", max_length=50, db_index=True)
    id_number_encrypted = models.TextField("身份证号（密文）", blank=True, default="")
    id_number_hash = models.CharField("身份证号摘要", max_length=64, blank=True, default="")
    id_number_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True, default="")
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    address_encrypted = models.TextField("住址（密文）", blank=True, default="")
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name="所在区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="登记机构", on_delete=models.PROTECT, related_name="persons"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_deputy = models.BooleanField("人大代表", default=False)
    is_cppcc_member = models.BooleanField("政协委员", default=False)
    is_hardship = models.BooleanField("生活困难", default=False)
    hardship_note = models.CharField("困难情况", max_length=200, blank=True)
    note = models.TextField("备注", blank=True, max_length=2000)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),
                name="uniq_person_id_number_hash",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flag_labels(self) -> list[str]:
        """The flags shown next to the name (deputies and CPPCC members have a priority line)."""
        labels = []
        if self.is_deputy:
            labels.append("人大代表")
        if self.is_cppcc_member:
            labels.append("政协委员")
        if self.is_hardship:
            labels.append("生活困难")
        return labels


class PersonPhone(models.Model):
    """A phone number of a person, encrypted, with a keyed hash for caller lookup."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number_encrypted = models.TextField("号码（密文）")
    number_hash = models.CharField("号码摘要", max_length=64, db_index=True)
    number_masked = models.CharField("号码（脱敏）", max_length=20)
    is_primary = models.BooleanField("主要号码", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系电话"
        verbose_name_plural = "联系电话"
        constraints = [
            models.UniqueConstraint(fields=["person", "number_hash"], name="uniq_person_phone")
        ]

    def __str__(self) -> str:
        return self.number_masked


class Enterprise(TimeStampedModel):
    """A company, identified by its 统一社会信用代码 (GB 32100)."""

    name = models.CharField("企业名称", max_length=200, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_person = models.ForeignKey(
        Person,
        verbose_name="联系人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name="所在区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="登记机构",
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name
