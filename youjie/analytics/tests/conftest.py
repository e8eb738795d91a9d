"""A small court year with known timestamps: March 2025 against March 2024.

Every request is created directly (ServiceRequest.objects.create) and its timestamps are then
set with queryset.update, so that each figure can be worked out by hand; the expected numbers
are derived in test_selectors.py next to each assertion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from youjie.analytics.services import court_figures_rebuild
from youjie.courtcases.models import CourtCase
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


# --- the court figures' hand-built cases (test_court_*.py) -----------------------------------
#
# March 2026 against March 2025 at the Bayan Obo court (内0206). Each case is named by a letter;
# what it counts for is written beside it, and test_court_selectors.py adds the figures up.

MARCH_2026 = ("2026-03-01", "2026-03-31")


@dataclass
class CourtMarch:
    cases: dict[str, CourtCase]
    criminal_division: OrgUnit


def court_case(
    court: OrgUnit,
    sequence: int,
    *,
    division: OrgUnit | None,
    filed: str | None,
    closed: str | None = None,
    type_code: str = "民初",
    year: int = 2026,
    **fields: Any,
) -> CourtCase:
    return CourtCase.objects.create(
        case_number=f"（{year}）内0206{type_code}{sequence}号",
        year=year,
        court_code="内0206",
        type_code=type_code,
        sequence=sequence,
        court=court,
        division=division,
        filed_on=date.fromisoformat(filed) if filed else None,
        closed_on=date.fromisoformat(closed) if closed else None,
        **fields,
    )


@pytest.fixture
def court_march(court: OrgUnit, civil_division: OrgUnit, judge: Any) -> CourtMarch:
    criminal = OrgUnit.objects.get(code="BT-BYEB-XS")
    made: dict[str, CourtCase] = {}

    def civil(letter: str, sequence: int, **kwargs: Any) -> None:
        kwargs.setdefault("division", civil_division)
        made[letter] = court_case(court, sequence, **kwargs)

    # March 2026 ------------------------------------------------------------------------------
    # A: 旧存 (closed on the start day is not "closed before it"), 结案, 19 days.
    civil("A", 1, filed="2026-02-10", closed="2026-03-01", judge=judge)
    # B: closed the day before the period: nothing.
    civil("B", 2, filed="2026-02-15", closed="2026-02-28")
    # C: 新收 on the start day, open.
    civil("C", 3, filed="2026-03-01")
    # D: 新收 and 结案 on the last day, 0 days.
    civil("D", 4, filed="2026-03-31", closed="2026-03-31", judge=judge)
    # E: filed after the period: nothing.
    civil("E", 5, filed="2026-04-01")
    # F: 旧存, 一审结案, 上诉, 改判; 85 days.
    civil("F", 6, filed="2026-01-05", closed="2026-03-31", appealed=True, judge=judge,
          second_instance_result="reversed")  # fmt: skip
    # G: 旧存, open; its six months ended on 2026-03-30: over the limit at the period's end.
    civil("G", 7, filed="2025-09-30", year=2025)
    # H: 旧存, open; its limit ends on 2026-04-01: not over.
    civil("H", 8, filed="2025-10-01", year=2025)
    # I: 旧存, 一审结案; its limit ended on 2026-02-28 (no 31 February): over; 182 days.
    civil("I", 9, filed="2025-08-31", closed="2026-03-01", year=2025)
    # J: 旧存, 一审结案 on the last day of its limit: not over; 181 days.
    civil("J", 10, filed="2025-09-01", closed="2026-03-01", year=2025)
    # K: a pre-litigation number: left out (unless the type filter asks for it).
    civil("K", 11, filed="2026-03-05", type_code="诉前调")
    # L: 新收, 结案, not first-instance; 10 days.
    civil("L", 12, filed="2026-03-10", closed="2026-03-20", type_code="执")
    # M: no filing date: counted nowhere.
    civil("M", 13, filed=None, closed="2026-03-15")
    # N: 新收, 一审结案, 申请再审或申诉 (not appealed); 8 days.
    civil("N", 14, filed="2026-03-02", closed="2026-03-10", petitioned=True)
    # O: 新收, 一审结案 in the criminal division; 22 days.
    made["O"] = court_case(court, 15, division=criminal, filed="2026-03-03", closed="2026-03-25",
                           type_code="刑初")  # fmt: skip
    # March 2025 ------------------------------------------------------------------------------
    # P: 新收, 一审结案; Q: 旧存 (closed in December, before March 2026).
    civil("P", 16, filed="2025-03-01", closed="2025-03-31", year=2025)
    civil("Q", 17, filed="2025-02-01", closed="2025-12-01", year=2025)
    # The page and the API read the day table the background engine keeps current.
    court_figures_rebuild()
    return CourtMarch(cases=made, criminal_division=criminal)
