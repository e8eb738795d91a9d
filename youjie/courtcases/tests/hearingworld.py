"""Builders for the hearing tests: a civil case of the Bayan Obo court (the demo organisation
tree of the root conftest.py) whose parties are persons with phones on file, and a frozen
clock (Monday 2026-12-07, 10:00 Beijing time)."""

from __future__ import annotations

from datetime import datetime

from youjie.courtcases.models import CaseParty, CourtCase
from youjie.orgs.models import OrgUnit, User
from youjie.people.models import Enterprise
from youjie.people.services import person_create
from youjie.workdays.calendar import SHANGHAI

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)  # a Monday, a working day
PLAINTIFF_MOBILE = "13812340001"
DEFENDANT_MOBILE = "13812340002"
LINK = "https://ting.court.example.cn/room/8812?t=abc"


def beijing(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def civil_case(
    *,
    receptionist: User,
    judge: User | None,
    clerk: User | None = None,
    sequence: int = 501,
    with_enterprise: bool = False,
) -> CourtCase:
    """（2026）内0206民初<sequence>号 in the civil division, two person parties with phones,
    optionally an enterprise defendant without one."""
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    court_case = CourtCase.objects.create(
        case_number=f"（2026）内0206民初{sequence}号",
        year=2026,
        court_code="内0206",
        type_code="民初",
        sequence=sequence,
        court=court,
        division=OrgUnit.objects.get(code="BT-BYEB-MS"),
        judge=judge,
        clerk=clerk,
        cause="民间借贷纠纷",
        stage="in_trial",
    )
    plaintiff = person_create(
        actor=receptionist, name=f"张三{sequence}", mobile=PLAINTIFF_MOBILE, allow_same_phone=True
    )
    defendant = person_create(
        actor=receptionist, name=f"李四{sequence}", mobile=DEFENDANT_MOBILE, allow_same_phone=True
    )
    CaseParty.objects.create(
        court_case=court_case, role="plaintiff", name=plaintiff.name, person=plaintiff
    )
    CaseParty.objects.create(
        court_case=court_case, role="defendant", name=defendant.name, person=defendant
    )
    if with_enterprise:
        enterprise = Enterprise.objects.create(
            name="包头某某矿业有限公司", uscc=f"91150206MA0{sequence:06d}X"
        )
        CaseParty.objects.create(
            court_case=court_case, role="third_party", name=enterprise.name, enterprise=enterprise
        )
    return court_case
