"""Bad input refused with a Chinese message (the API: a 4xx with its code), writing nothing: a
session in the past, an http:// link, text too long, a session after the due date, a date in
the future for an agreement."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.mediation import services
from youjie.mediation.models import PLACE_MAX, REASON_MAX, TEXT_MAX, MediationSession
from youjie.mediation.tests.support import NOW, accepted, tomorrow_at
from youjie.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
# (action.field, limit) of the page forms' texts.
TEXT_CHECKS = [
    ("fail.reason", REASON_MAX),
    ("agree.agreement", TEXT_MAX),
    ("extend.reason", REASON_MAX),
    ("schedule.place", PLACE_MAX),
]


def counts() -> tuple[int, int, int]:
    return (
        MediationSession.objects.count(),
        Event.objects.count(),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(
    ("label", "overrides", "field"),
    [
        ("in the past", {"scheduled_at": NOW - timedelta(hours=1)}, "scheduled_at"),
        ("http link", {"video_url": "http://meeting.example.com/j/1"}, "video_url"),
        ("javascript link", {"video_url": "javascript:alert(1)"}, "video_url"),
        ("not a link", {"video_url": "https://"}, "video_url"),
        ("link too long", {"video_url": "https://a.example.com/" + "x" * 300}, "video_url"),
        ("after the due date", {"scheduled_at": NOW + timedelta(days=40)}, "scheduled_at"),
        ("naive time", {"scheduled_at": datetime(2026, 9, 30, 14, 0)}, "scheduled_at"),
        ("NUL in the link", {"video_url": "https://a.example.com/\x00"}, "video_url"),
    ],
)
def test_a_bad_session_is_refused_and_writes_nothing(
    receptionist, mediator, label, overrides, field
):
    mediation = accepted(receptionist, mediator)
    before = counts()
    arguments: dict[str, Any] = {
        "kind": "online",
        "scheduled_at": tomorrow_at(14),
        "video_url": "https://meeting.tencent.com/dm/AbCd1234",
        **overrides,
    }
    with pytest.raises(ValidationFailed) as refused:
        services.session_schedule(actor=mediator, mediation=mediation, **arguments)
    assert field in refused.value.fields, label
    assert "不能安排调解" in refused.value.message
    assert counts() == before


def test_an_in_person_session_needs_its_place(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    with pytest.raises(ValidationFailed) as refused:
        services.session_schedule(
            actor=mediator, mediation=mediation, kind="in_person", scheduled_at=tomorrow_at(9)
        )
    assert refused.value.fields["place"] == ["请填写调解地点"]


@pytest.mark.parametrize(("field", "limit"), TEXT_CHECKS)
def test_text_too_long_is_refused_on_the_page(receptionist, mediator, field, limit):
    """Each action's text one character past its limit: 422 with the Chinese message, nothing
    written."""
    mediation = accepted(receptionist, mediator)
    action, name = field.split(".")
    data = {
        "fail": {"expected_status": "accepted", "reason": "x"},
        "agree": {"expected_status": "accepted", "agreement": "x", "agreed_on": "2026-09-29"},
        "extend": {
            "expected_status": "accepted",
            "new_due_on": "2026-11-30",
            "reason": "x",
            "all_parties_agreed": "on",
        },
        "schedule": {
            "expected_status": "accepted",
            "kind": "in_person",
            "day": "2026-09-30",
            "at": "09:00",
            "place": "x",
        },
    }[action]
    client = Client()
    client.force_login(mediator)
    before = counts()
    response = client.post(
        f"/mediation/{mediation.pk}/actions/{action}/", {**data, name: "调" * (limit + 1)}
    )
    assert response.status_code == 422
    assert f"不能超过{limit}字" in response.content.decode()
    assert counts() == before


def test_the_api_refuses_a_past_session_and_an_http_link_with_codes(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    client = Client()
    client.force_login(mediator)
    url = f"/api/v1/mediation/mediations/{mediation.pk}/sessions"
    before = counts()
    past = client.post(
        url,
        {
            "kind": "online",
            "scheduled_at": "2026-09-28T14:00:00+08:00",
            "video_url": "https://a.cn/x",
        },
        content_type="application/json",
    )
    assert past.status_code == 422 and past.json()["code"] == "validation_failed"
    assert past.json()["fields"]["scheduled_at"] == ["调解时间应晚于现在"]
    insecure = client.post(
        url,
        {
            "kind": "online",
            "scheduled_at": "2026-09-30T14:00:00+08:00",
            "video_url": "http://a.cn/x",
        },
        content_type="application/json",
    )
    assert insecure.status_code == 422
    assert insecure.json()["fields"]["video_url"] == ["视频会议链接须以 https:// 开头"]
    long_reason = client.post(
        f"/api/v1/mediation/mediations/{mediation.pk}/fail",
        {"reason": "调" * 1001},
        content_type="application/json",
    )
    assert long_reason.status_code == 422 and "reason" in long_reason.json()["fields"]
    assert counts() == before


def test_an_agreement_dated_in_the_future_is_refused(receptionist, mediator):
    mediation = accepted(receptionist, mediator)
    with pytest.raises(ValidationFailed) as refused:
        services.mediation_agree(
            actor=mediator,
            mediation=mediation,
            agreement="分期归还",
            agreed_on=(NOW + timedelta(days=2)).date(),
        )
    assert refused.value.fields["agreed_on"] == ["协议生效日期不能晚于今天"]
    mediation.refresh_from_db()
    assert mediation.status == "accepted"
