"""The API's request detail says whether the requester is a verified party of the linked case,
as the request page does (issue 12, item 3)."""

from __future__ import annotations

import pytest

from .test_api_support import CASE_NUMBER, as_user, intake
from .test_reply_unverified import PARTY_MOBILE, STRANGER_MOBILE, _accepted, _client, _page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def test_a_party_of_the_case_is_verified(receptionist, judge, civil_case, matter_types):
    service_request = _accepted(receptionist, judge, PARTY_MOBILE)
    body = as_user(judge).get(f"/requests/{service_request.pk}").json()
    assert body["requester_party"] == {
        "verified": True,
        "party_role": "plaintiff",
        "party_role_label": "原告",
        "party_name": "张三",
        "basis": "人员档案一致",  # intake linked the one person with this phone
    }
    by_number = as_user(judge).get(f"/requests/by-number/{service_request.number}").json()
    assert by_number["requester_party"] == body["requester_party"]
    assert "已核实" in _page(_client(judge), service_request)  # the page says the same


def test_a_stranger_naming_the_case_is_not_verified(receptionist, judge, civil_case, matter_types):
    service_request = _accepted(receptionist, judge, STRANGER_MOBILE)
    body = as_user(judge).get(f"/requests/{service_request.pk}").json()
    assert body["requester_party"] == {
        "verified": False,
        "party_role": None,
        "party_role_label": None,
        "party_name": None,
        "basis": None,
    }
    assert "未核实" in _page(_client(judge), service_request)


def test_no_linked_case_means_nothing_to_verify(receptionist, matter_types):
    service_request = intake(receptionist)
    body = as_user(receptionist).get(f"/requests/{service_request.pk}").json()
    assert body["requester_party"] is None


def test_the_answer_to_an_action_carries_it_too(receptionist, judge, civil_case, matter_types):
    service_request = intake(
        receptionist,
        matter_type_code="contact_judge",
        related_case_number=CASE_NUMBER,
        requester_mobile=PARTY_MOBILE,
        route=True,
    )
    response = as_user(judge).post(
        f"/requests/{service_request.pk}/accept", {"expected_status": "awaiting_acceptance"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["requester_party"]["verified"] is True
