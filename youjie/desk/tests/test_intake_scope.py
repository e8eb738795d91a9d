"""Issue 12, item 2: a request names only cases and lines within its registrar's scope.

A case number of another court, or a line of another court, answers exactly as an unknown one
does: the same field error, and nothing of that case (its judge) reaches the request.
"""

# ruff: noqa: F811  (shared fixtures are imported from test_api_support and used by name)

from __future__ import annotations

from typing import Any

import pytest

from youjie.core.errors import ValidationFailed
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest
from youjie.orgs.models import Line, OrgUnit, User
from youjie.orgs.services import org_unit_create

from .test_api_support import court_api, create_body, intake, other_court  # noqa: F401

OTHER_CASE_NUMBER = "（2026）内0205民初7号"
UNKNOWN_CASE_NUMBER = "（2026）内0205民初8号"


@pytest.fixture
def other_case(other_court: OrgUnit) -> CourtCase:
    division = org_unit_create(
        code="BT-SG-MS",
        name="石拐区人民法院民事审判庭",
        kind="division",
        region_id="150205",
        parent=other_court,
    )
    return CourtCase.objects.create(
        case_number=OTHER_CASE_NUMBER,
        year=2026,
        court_code="内0205",
        type_code="民初",
        sequence=7,
        court=other_court,
        division=division,
        cause="买卖合同纠纷",
    )


@pytest.fixture
def other_line(other_court: OrgUnit) -> Line:
    return Line.objects.create(
        number="0472-9999999", kind="fixed", label="石拐法院专线", owner_unit=other_court
    )


def _field_errors(actor: User, **values: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as excinfo:
        intake(actor, **values)
    return excinfo.value.fields


def test_another_courts_case_answers_as_an_unknown_one(
    receptionist: User, matter_types: None, other_case: CourtCase
) -> None:
    out_of_scope = _field_errors(receptionist, related_case_number=OTHER_CASE_NUMBER)
    unknown = _field_errors(receptionist, related_case_number=UNKNOWN_CASE_NUMBER)
    assert set(out_of_scope) == set(unknown) == {"related_case_number"}
    assert out_of_scope["related_case_number"] == [
        message.replace("8号", "7号") for message in unknown["related_case_number"]
    ]
    assert not ServiceRequest.objects.filter(related_case=other_case).exists()


def test_an_integration_names_only_its_own_courts_cases(
    court_api: Any, matter_types: None, other_case: CourtCase
) -> None:
    out_of_scope = court_api.post("/requests", create_body(related_case_number=OTHER_CASE_NUMBER))
    unknown = court_api.post("/requests", create_body(related_case_number=UNKNOWN_CASE_NUMBER))
    assert out_of_scope.status_code == unknown.status_code == 422
    assert out_of_scope.json()["fields"].keys() == unknown.json()["fields"].keys()
    assert not ServiceRequest.objects.filter(related_case=other_case).exists()


def test_a_public_request_for_one_court_does_not_link_another_courts_case(
    court: OrgUnit, matter_types: None, other_case: CourtCase
) -> None:
    service_request = intake(
        None, channel="portal", court_code=court.code, related_case_number=OTHER_CASE_NUMBER
    )
    assert service_request.related_case_id is None
    assert service_request.court_id == court.pk
    assert OTHER_CASE_NUMBER in service_request.content  # kept for the person who routes it


def test_another_courts_line_answers_as_an_unknown_one(
    receptionist: User, matter_types: None, other_line: Line
) -> None:
    out_of_scope = _field_errors(receptionist, line_number=other_line.number)
    unknown = _field_errors(receptionist, line_number="0472-0000000")
    assert out_of_scope == unknown == {"line": ["未登记的线路号码"]}
