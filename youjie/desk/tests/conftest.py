from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from youjie.courtcases.models import CaseParty, CourtCase
from youjie.desk.catalog import install_default_matter_types
from youjie.orgs.models import Line, OrgUnit
from youjie.people.services import person_create

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday morning, working day, well inside the package's 2026 calendar.
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def matter_types(org_tree: None) -> None:
    install_default_matter_types()


@pytest.fixture
def party(receptionist: Any) -> Any:
    return person_create(actor=receptionist, name="张三", mobile="13812345678")


@pytest.fixture
def civil_case(court: OrgUnit, civil_division: OrgUnit, judge: Any, party: Any) -> CourtCase:
    case = CourtCase.objects.create(
        case_number="（2026）内0206民初123号",
        year=2026,
        court_code="内0206",
        type_code="民初",
        sequence=123,
        court=court,
        division=civil_division,
        judge=judge,
        cause="民间借贷纠纷",
    )
    CaseParty.objects.create(court_case=case, role="plaintiff", name=party.name, person=party)
    return case


@pytest.fixture
def judge_line(judge: Any, civil_division: OrgUnit) -> Line:
    return Line.objects.create(
        number="13904720001",
        kind="work_phone",
        label="李敏工作手机",
        owner_unit=civil_division,
        owner_user=judge,
    )


@pytest.fixture
def fixed_line(org_tree: None) -> Line:
    return Line.objects.create(
        number="0472-8510389",
        kind="fixed",
        label="诉事速办服务专线",
        owner_unit=OrgUnit.objects.get(code="BT-BYEB-LAT"),
    )
