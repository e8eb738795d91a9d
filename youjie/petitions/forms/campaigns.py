"""Forms of the campaign pages: the list's filter, creating a campaign, adding matters to it by
number and its start and close.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from youjie.petitions.choices import CampaignKind, CampaignStatus
from youjie.petitions.forms.common import (
    NUMBERS_MAX,
    STALE_MESSAGE,
    choice_field,
    date_field,
    text_field,
)
from youjie.petitions.models import NAME_MAX, REASON_MAX, TEXT_MAX, Campaign
from youjie.petitions.services.campaigns import MAX_FOLLOW_UP_DAYS


class CampaignFilterForm(forms.Form):
    status = choice_field("状态", CampaignStatus.choices, required=False)


class CampaignCreateForm(forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = text_field("名称", NAME_MAX)
    kind = choice_field("类型", CampaignKind.choices)
    starts_on = date_field("开始日期")
    ends_on = date_field("结束日期")
    goals = text_field("工作目标", TEXT_MAX, required=False, rows=3)
    follow_up_days = forms.IntegerField(
        label="回头看期限（日）",
        initial=30,
        min_value=1,
        max_value=MAX_FOLLOW_UP_DAYS,
        error_messages={
            "required": "请填写回头看期限",
            "invalid": "回头看期限应为整数",
            "min_value": f"回头看期限应为1至{MAX_FOLLOW_UP_DAYS}日",
            "max_value": f"回头看期限应为1至{MAX_FOLLOW_UP_DAYS}日",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "结束日期不能早于开始日期")
        return data

    def fingerprint_body(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("submission_key", None)
        return data


class CampaignAddMattersForm(forms.Form):
    """Matters to take on, by number (信访〔2026〕3号), one a line."""

    numbers = text_field("事项编号（每行一个）", NUMBERS_MAX, rows=6)

    def numbers_list(self) -> list[str]:
        text: str = self.cleaned_data.get("numbers") or ""
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))

    def clean_numbers(self) -> str:
        text: str = self.cleaned_data.get("numbers") or ""
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("请填写事项编号")
        if len(lines) > 500:
            raise forms.ValidationError("一次最多纳入500件事项")
        if any(len(line.strip()) > 40 for line in lines):
            raise forms.ValidationError("事项编号过长，请每行填写一个编号")
        return text


class CampaignActionForm(forms.Form):
    """Start or close a campaign: carries the status the page showed."""

    expected_status = forms.ChoiceField(
        choices=CampaignStatus.choices,
        widget=forms.HiddenInput,
        error_messages={"required": STALE_MESSAGE, "invalid_choice": STALE_MESSAGE},
    )
    reason = text_field("说明", REASON_MAX, required=False, rows=2)

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expected_status", campaign.status)
        super().__init__(*args, **kwargs)
        self.campaign = campaign
