"""Campaigns (百日攻坚, 回头看 …): named, time-boxed actions over a set of matters, and each
matter's place in a campaign with its follow-up (回头看), confirmed stable or reopened.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from youjie.core.models import TimeStampedModel
from youjie.petitions.choices import CampaignKind, CampaignStatus, FollowUpStatus
from youjie.petitions.models.common import NAME_MAX, REASON_MAX, TEXT_MAX
from youjie.petitions.models.matters import PetitionMatter


class Campaign(TimeStampedModel):
    """A named, time-boxed action (百日攻坚, 回头看 …) over a set of matters."""

    name = models.CharField("名称", max_length=NAME_MAX)
    kind = models.CharField("类型", max_length=16, choices=CampaignKind.choices)
    issuing_office = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="牵头专项办",
        on_delete=models.PROTECT,
        related_name="petition_campaigns",
    )
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    goals = models.TextField("工作目标", max_length=TEXT_MAX, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(
        "回头看期限（日）", default=30, help_text="事项化解后经过该期限，确认稳定或重新交办"
    )
    status = models.CharField(
        "状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matters: models.ManyToManyField[PetitionMatter, CampaignMatter] = models.ManyToManyField(
        PetitionMatter, through="CampaignMatter", related_name="campaigns", blank=True
    )

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="pet_campaign_dates"
            ),
            models.CheckConstraint(
                condition=Q(follow_up_days__gte=1, follow_up_days__lte=365),
                name="pet_campaign_follow_up_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignMatter(models.Model):
    """A matter taken on by a campaign, with its follow-up (回头看) in that campaign.

    ``follow_up_due_on`` is set when the matter is resolved (事了 + the campaign's
    ``follow_up_days``); after it the office confirms the matter stable or reopens it.
    """

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="campaign_matters"
    )
    matter = models.ForeignKey(
        PetitionMatter, on_delete=models.PROTECT, related_name="campaign_matters"
    )
    added_on = models.DateField("纳入日期")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="纳入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "回头看状态",
        max_length=16,
        choices=FollowUpStatus.choices,
        default=FollowUpStatus.PENDING,
    )
    follow_up_due_on = models.DateField("回头看日期", null=True, blank=True)
    confirmed_on = models.DateField("确认稳定日期", null=True, blank=True)
    reopened_on = models.DateField("重新交办日期", null=True, blank=True)
    reopen_reason = models.TextField("重新交办原因", max_length=REASON_MAX, blank=True)

    class Meta:
        verbose_name = "专项行动事项"
        verbose_name_plural = "专项行动事项"
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter"], name="uniq_pet_campaign_matter")
        ]
        indexes = [models.Index(fields=["status", "follow_up_due_on"], name="pet_follow_up_due")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.matter_id}"
