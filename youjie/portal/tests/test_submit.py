"""Submitting a request on the portal: created, routed, SMS with the number; bad input and
scripted submissions write nothing."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.models import Event
from youjie.desk.choices import Channel, RequestStatus
from youjie.desk.models import ServiceRequest
from youjie.notifications.models import Notification
from youjie.portal import access
from youjie.portal.formguard import form_token_issue
from youjie.portal.tests.conftest import post_form, submission, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")


def verbs(service_request: ServiceRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_type="desk.servicerequest", subject_id=str(service_request.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def nothing_written() -> bool:
    return not ServiceRequest.objects.exists() and not Notification.objects.exists()


def test_form_offers_public_matter_types_only(client):
    response = client.get(reverse("portal:submit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="contact_judge"' in html and "联系法官" in html
    assert 'value="callback"' not in html  # staff-only matter type
    assert 'name="form_token"' in html and 'name="website"' in html


def test_submit_creates_a_routed_portal_request_and_texts_the_number(client, civil_division):
    response = post_form(client, "portal:submit", submission())
    assert response.status_code == 302 and response["Location"] == reverse("portal:submit_done")
    service_request = ServiceRequest.objects.get()
    assert service_request.channel == Channel.PORTAL
    assert service_request.status in (RequestStatus.AWAITING_ACCEPTANCE, RequestStatus.REGISTERED)
    assert service_request.status == RequestStatus.AWAITING_ACCEPTANCE
    assert service_request.transfer_division == civil_division
    assert service_request.requester_name == "赵敏"
    assert service_request.requester_mobile_masked == "139****5678"
    assert service_request.first_contact is None and service_request.created_by is None
    assert verbs(service_request) == ["registered", "routed"]
    registered = Event.objects.get(subject_id=str(service_request.pk), verb="registered")
    assert registered.actor is None and registered.actor_label == "网上诉求"
    sms = Notification.objects.get(channel="sms")
    assert service_request.number in sms.body and sms.recipient_masked.endswith("5678")

    done = client.get(response["Location"])
    html = done.content.decode()
    assert done.status_code == 200
    assert service_request.number in html and "短信" in html


def test_the_track_button_carries_the_number_and_this_device_gets_the_phone(client, settings):
    """After submitting, "查询办理进度" opens tracking with the number filled in and, on the
    device that submitted, the phone too — taken from the request, never put in a URL."""
    response = post_form(client, "portal:submit", submission())
    service_request = ServiceRequest.objects.get()
    done = client.get(response["Location"]).content.decode()
    track_link = f"{reverse('portal:track')}?number={service_request.number}"
    assert f'href="{track_link}"' in done and "13912345678" not in done
    page = client.get(track_link)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{service_request.number}"' in html
    assert 'value="13912345678"' in html and "已填入您提交诉求时的手机号码" in html
    # The prefilled pair goes straight through.
    found = post_form(
        client, "portal:track", {"number": service_request.number, "mobile": "13912345678"}
    )
    assert found["Location"] == reverse("portal:track_detail", args=[service_request.number])
    # Another device following the same link gets the number only.
    other = Client()
    other_html = other.get(track_link).content.decode()
    assert f'value="{service_request.number}"' in other_html
    assert "13912345678" not in other_html
    # A hostile or malformed number is ignored, not echoed or refused.
    assert (
        "<script>"
        not in client.get(reverse("portal:track"), {"number": "<script>"}).content.decode()
    )
    assert client.get(reverse("portal:track"), {"number": "x" * 5000}).status_code == 200


def test_the_phone_is_offered_only_shortly_after_submitting(client, monkeypatch):
    submit_request(client)
    service_request = ServiceRequest.objects.get()
    track_link = f"{reverse('portal:track')}?number={service_request.number}"
    later = access.now() + access.SUBMITTED_PREFILL_SECONDS + 1
    monkeypatch.setattr(access, "now", lambda: later)
    html = client.get(track_link).content.decode()
    assert f'value="{service_request.number}"' in html and "13912345678" not in html
    # The done page still shows the number.
    assert service_request.number in client.get(reverse("portal:submit_done")).content.decode()


def test_submit_with_a_case_number_goes_to_that_case_judge(client, civil_case, judge):
    service_request = submit_request(
        client, matter_type="case_query", case_number="(2026)内0206民初123号"
    )
    assert service_request.status == RequestStatus.AWAITING_ACCEPTANCE
    assert service_request.related_case == civil_case and service_request.transfer_user == judge


def test_done_page_without_a_submission_goes_back_to_the_form(client):
    response = client.get(reverse("portal:submit_done"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:submit")


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"mobile": "1234"}, "手机号"),
        ({"mobile": ""}, "请填写手机号码"),
        ({"name": ""}, "请填写姓名"),
        ({"title": ""}, "请填写标题"),
        ({"title": "长" * 101}, "100"),
        ({"content": "字" * 2001}, "2000"),
        ({"matter_type": "callback"}, "请选择列表中的事项类型"),
        ({"matter_type": "no_such_type"}, "请选择列表中的事项类型"),
        ({"case_number": "不是案号"}, "案号"),
        ({"content": "含有\x00空字符"}, "Null"),
    ],
)
def test_bad_input_rerenders_with_chinese_errors_and_writes_nothing(
    client, overrides, field_message
):
    response = post_form(client, "portal:submit", submission(**overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="errorlist' in html
    if field_message != "Null":
        assert field_message in html
    assert nothing_written()
    # The user's input is kept and a fresh token is issued for the next try.
    assert 'name="form_token" value="' in html


def test_unknown_case_number_is_kept_for_staff_without_blocking_the_citizen(client):
    service_request = submit_request(client, case_number="（2026）内0206民初999号")
    assert service_request.related_case is None
    assert "所述案号：（2026）内0206民初999号，未在案件库中找到" in service_request.content


def _post_with_guard(client, token: str, honeypot: str = ""):
    return client.post(
        reverse("portal:submit"),
        {**submission(), "form_token": token, "website": honeypot},
        REMOTE_ADDR="10.0.0.9",
    )


@pytest.mark.parametrize(
    "case",
    ["honeypot", "too_fast", "forged", "missing", "expired", "other_form", "garbage"],
)
def test_scripted_submissions_are_refused_and_write_nothing(client, case):
    old = form_token_issue("submit", issued_at=time.time() - 10)
    token, honeypot = old, ""
    if case == "honeypot":
        honeypot = "http://spam.example"
    elif case == "too_fast":
        token = form_token_issue("submit")
    elif case == "forged":
        token = old[:-3] + ("AAA" if not old.endswith("AAA") else "BBB")
    elif case == "missing":
        token = ""
    elif case == "expired":
        token = form_token_issue("submit", issued_at=time.time() - 2 * 3600 - 5)
    elif case == "other_form":
        token = form_token_issue("track", issued_at=time.time() - 10)
    elif case == "garbage":
        token = "x" * 600
    response = _post_with_guard(client, token, honeypot)
    assert response.status_code == 400
    assert "表单已失效或提交过快" in response.content.decode()
    assert nothing_written()


def test_guard_minimum_is_configurable(client, settings):
    settings.YOUJIE_PORTAL_FORM_MIN_SECONDS = 0
    response = _post_with_guard(client, form_token_issue("submit"))
    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 1
