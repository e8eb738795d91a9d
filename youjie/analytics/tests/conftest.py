"""A small court year with known timestamps: March 2025 against March 2024.

Every request is created directly (ServiceRequest.objects.create) and its timestamps are then
set with queryset.update, so that each figure can be worked out by hand; the expected numbers
are derived in test_selectors.py next to each assertion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from youjie.desk.catalog import install_default_matter_types
from youjie.desk.models import Feedback, MatterType, ReturnVisit, ServiceRequest, Supervision
from youjie.orgs.models import OrgUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI)
_numbers = count(1)


def at(month_day: str, hour: int = 10, minute: int = 0, year: int = 2025) -> datetime:
    month, day = (int(part) for part in month_day.split("-"))
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_request(
    *,
    court: OrgUnit,
    matter_type: str = "contact_judge",
    title: str = "",
    stamps: dict[str, datetime | None],
    **fields: Any,
) -> ServiceRequest:
    """A request with required fields filled in, then its timestamps set by update()."""
    kind = MatterType.objects.get(code=matter_type)
    number = next(_numbers)
    service_request = ServiceRequest.objects.create(
        number=f"SS20250101-{number:05d}",
        channel=fields.pop("channel", "phone"),
        requester_name="张三",
        matter_type=kind,
        category=kind.category,
        title=title or f"测试诉求标题{number}号",
        content="来电询问案件办理进度，希望尽快联系承办法官。",
        court=court,
        first_response_due=stamps["first_response_due"] or NOW,
        completion_due=stamps["completion_due"] or NOW,
        **fields,
    )
    ServiceRequest.objects.filter(pk=service_request.pk).update(**stamps)
    service_request.refresh_from_db()
    return service_request


def rate(service_request: ServiceRequest, satisfaction: int, submitted_at: datetime) -> None:
    Feedback.objects.create(
        service_request=service_request,
        token=f"token-{service_request.pk}",
        satisfaction=satisfaction,
        submitted_at=submitted_at,
    )


def visit(service_request: ServiceRequest, result: str, done_at: datetime | None) -> None:
    ReturnVisit.objects.create(
        service_request=service_request,
        reason="sample",
        status="done" if done_at else "pending",
        result=result if done_at else "",
        done_at=done_at,
    )


@dataclass
class Year:
    requests: dict[str, ServiceRequest]


@pytest.fixture
def desk_year(
    court: OrgUnit, civil_division: OrgUnit, judge: Any, other_judge: Any, division_head: Any
) -> Year:
    install_default_matter_types()
    enforcement = OrgUnit.objects.get(code="BT-BYEB-ZX")
    made: dict[str, ServiceRequest] = {}

    def civil(name: str, assignee: Any, **kwargs: Any) -> ServiceRequest:
        made[name] = make_request(
            court=court, division=civil_division, assignee=assignee, title=f"标题-{name}", **kwargs
        )
        return made[name]

    # March 2025 ------------------------------------------------------------------------------
    r1 = civil(
        "r1",
        judge,
        status="closed",
        stamps={
            "created_at": at("03-03", 10),
            "first_response_due": at("03-03", 14),
            "first_responded_at": at("03-03", 11),
            "completion_due": at("03-05", 17, 30),
            "replied_at": at("03-04", 9),
            "closed_at": at("03-06", 9),
        },
    )
    rate(r1, 5, at("03-06", 9))
    visit(r1, "resolved", at("03-10"))
    r2 = civil(
        "r2",
        judge,
        status="replied",
        channel="walk_in",
        stamps={
            "created_at": at("03-10"),
            "first_response_due": at("03-11", 9),
            "first_responded_at": at("03-12"),
            "completion_due": at("03-17", 17, 30),
            "replied_at": at("03-18"),
        },
    )
    visit(r2, "", None)  # pending: not a result yet
    civil(
        "r3",
        other_judge,
        status="in_progress",
        channel="portal",
        stamps={
            "created_at": at("03-20"),
            "first_response_due": at("03-21", 10),
            "first_responded_at": None,
            "completion_due": at("03-28", 17, 30),
        },
    )
    made["r4"] = make_request(
        court=court,
        division=enforcement,
        status="in_progress",
        channel="wechat",
        matter_type="enforcement_demand",
        title="标题-r4",
        stamps={
            "created_at": at("03-25"),
            "first_response_due": at("03-26", 17),
            "first_responded_at": at("03-26", 9),
            "completion_due": at("04-08", 17, 30),
        },
    )
    r5 = civil(
        "r5",
        judge,
        status="closed",
        stamps={
            "created_at": at("02-20"),
            "first_response_due": at("02-21", 17),
            "first_responded_at": at("02-21", 9),
            "completion_due": at("03-02", 17, 30),
            "replied_at": at("03-02", 10),
            "closed_at": at("03-05", 9),
        },
    )
    rate(r5, 3, at("03-05", 9))
    visit(r5, "unresolved", at("03-12"))
    civil(
        "r6",
        judge,
        status="merged",
        stamps={
            "created_at": at("03-15"),
            "first_response_due": at("03-16", 17),
            "first_responded_at": None,
            "completion_due": at("03-20", 17, 30),
        },
    )
    r7 = civil(
        "r7",
        other_judge,
        status="replied",
        stamps={
            "created_at": at("03-05"),
            "first_response_due": at("03-05", 17),
            "first_responded_at": at("03-05", 11),
            "completion_due": at("03-20", 17, 30),
            "replied_at": at("03-19"),
        },
    )
    supervision = Supervision.objects.create(
        service_request=r7,
        supervisor=division_head,
        reason="超期督办",
        new_deadline=at("03-20", 17, 30),
        previous_deadline=at("03-10", 17, 30),
    )
    Supervision.objects.filter(pk=supervision.pk).update(created_at=at("03-12"))
    civil(
        "r8",
        judge,
        status="paused",
        stamps={
            "created_at": at("03-26"),
            "first_response_due": at("03-27", 17),
            "first_responded_at": None,
            "completion_due": at("04-20", 17, 30),
            "paused_at": at("03-26", 15),
        },
    )

    # March 2024 ------------------------------------------------------------------------------
    p1 = civil(
        "p1",
        judge,
        status="closed",
        stamps={
            "created_at": at("03-05", year=2024),
            "first_response_due": at("03-05", 17, year=2024),
            "first_responded_at": at("03-05", 11, year=2024),
            "completion_due": at("03-08", 17, 30, year=2024),
            "replied_at": at("03-07", year=2024),
            "closed_at": at("03-08", year=2024),
        },
    )
    rate(p1, 4, at("03-08", year=2024))
    visit(p1, "resolved", at("03-10", year=2024))
    civil(
        "p2",
        judge,
        status="closed",
        stamps={
            "created_at": at("03-06", year=2024),
            "first_response_due": at("03-06", 17, year=2024),
            "first_responded_at": at("03-06", 11, year=2024),
            "completion_due": at("03-11", 17, 30, year=2024),
            "replied_at": at("03-12", year=2024),
            "closed_at": at("03-13", year=2024),
        },
    )
    civil(
        "p3",
        judge,
        status="closed",
        stamps={
            "created_at": at("03-07", year=2024),
            "first_response_due": at("03-07", 17, year=2024),
            "first_responded_at": at("03-07", 11, year=2024),
            "completion_due": at("03-12", 17, 30, year=2024),
            "replied_at": at("03-11", year=2024),
            "closed_at": at("03-12", year=2024),
        },
    )
    return Year(requests=made)
