"""Reception registers an unknown caller inline (issue 12, item 13): when the phone matches
nobody the receptionist may see, the form offers to register the person with the request's
name, mobile and ID number and an optional address; the person (through people's service) and
the request are written in one transaction, or neither is."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.crypto import decrypt_text
from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.desk import services
from youjie.desk.models import ServiceRequest
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Person
from youjie.people.services import person_create
from youjie.people.tests.factories import build_resident_id

pytestmark = pytest.mark.django_db
MOBILE = "13712340000"
ID_NUMBER = build_resident_id(address_code="150206", sequence=41)


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**overrides: Any) -> dict[str, str]:
    data = {
        "submission_key": "k-register-1",
        "channel": "walk_in",
        "requester_mobile": MOBILE,
        "requester_name": "孙七",
        "matter_type": "filing_consult",
        "title": "立案咨询",
        "content": "询问民间借贷纠纷如何立案。",
        "register_person": "on",
        "id_number": ID_NUMBER,
        "person_address": "包头市白云鄂博矿区通阳道1号",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def nothing_written() -> None:
    assert not Person.objects.exists()
    assert not ServiceRequest.objects.exists()
    assert not Event.objects.exists()


def test_an_unknown_phone_offers_the_registration_fields(receptionist, matter_types):
    html = (
        client_for(receptionist)
        .post(reverse("desk:lookup"), {"requester_mobile": "137 1234 0000"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "未找到本人可查看的人员档案" in html
    assert 'name="register_person"' in html and 'id="id_register_person"' in html
    assert 'name="person_address"' in html
    assert MOBILE in html  # the phone the person will be registered with
    assert "诉求人姓名" in html and "必填" in html


def test_a_known_phone_offers_no_registration(receptionist, party, matter_types):
    html = (
        client_for(receptionist)
        .post(reverse("desk:lookup"), {"requester_mobile": "13812345678"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert f'value="{party.pk}"' in html
    assert 'name="register_person"' not in html


def test_registering_writes_the_person_and_the_request_naming_them(receptionist, matter_types):
    client = client_for(receptionist)
    response = client.post(reverse("desk:intake"), form())
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get()
    service_request = ServiceRequest.objects.get()
    assert service_request.requester == person
    assert person.name == "孙七"
    assert person.owner_unit == receptionist.org_unit and person.created_by == receptionist
    assert person.id_number_hash == id_number_hash(ID_NUMBER)
    assert decrypt_text(person.address_encrypted) == "包头市白云鄂博矿区通阳道1号"
    assert person.phones.get().number_hash == phone_hash(MOBILE)
    assert [event.verb for event in timeline_for(person)] == ["created"]
    followed = client.get(response["Location"])
    assert "已登记人员档案：孙七" in followed.content.decode()


def test_without_the_box_ticked_nobody_is_registered(receptionist, matter_types):
    response = client_for(receptionist).post(reverse("desk:intake"), form(register_person=None))
    assert response.status_code == 302
    assert ServiceRequest.objects.get().requester is None
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"person_address": "地" * 201}, "person_address", "不能超过200字"),
        ({"id_number": ID_NUMBER[:-1] + "X"}, "id_number", "校验"),
        ({"requester_name": ""}, "requester_name", "这个字段是必填项"),
    ],
)
def test_an_invalid_person_field_refuses_the_whole_form(
    receptionist, matter_types, overrides, field, message
):
    response = client_for(receptionist).post(reverse("desk:intake"), form(**overrides))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    nothing_written()


def test_a_refused_request_leaves_no_person(receptionist, matter_types):
    """The person is written first; the request's own refusal (an unknown case number) rolls
    the person back with it."""
    response = client_for(receptionist).post(
        reverse("desk:intake"), form(related_case_number="（2026）内0206民初999号")
    )
    assert response.status_code == 422
    assert "未找到案件" in response.content.decode()
    nothing_written()
    # The form shown again keeps the choice and the address.
    html = response.content.decode()
    assert 'id="id_register_person" value="on" checked' in html
    assert 'value="包头市白云鄂博矿区通阳道1号"' in html


def test_an_id_number_registered_outside_the_scope_is_told_neutrally(
    receptionist, county_officer, matter_types
):
    stranger = person_create(actor=county_officer, name="石拐赵六", id_number=ID_NUMBER)
    response = client_for(receptionist).post(reverse("desk:intake"), form())
    assert response.status_code == 422
    html = response.content.decode()
    assert "可能已在其他单位登记" in html and "立案庭" in html
    assert "石拐" not in html and "赵六" not in html
    assert f'value="{stranger.pk}"' not in html
    assert list(Person.objects.all()) == [stranger]
    assert not ServiceRequest.objects.exists()


def test_selecting_a_person_and_registering_one_is_refused(receptionist, party, matter_types):
    response = client_for(receptionist).post(
        reverse("desk:intake"), form(requester_id=str(party.pk))
    )
    assert response.status_code == 422
    assert "不能同时登记新人员档案" in response.content.decode()
    assert list(Person.objects.all()) == [party]
    assert not ServiceRequest.objects.exists()


def test_a_double_submit_registers_the_person_once(receptionist, matter_types):
    client = client_for(receptionist)
    first = client.post(reverse("desk:intake"), form())
    second = client.post(reverse("desk:intake"), form())
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Person.objects.count() == 1 and ServiceRequest.objects.count() == 1


def test_service_refuses_in_the_intake_field_names(receptionist, matter_types):
    data = services.IntakeData(
        channel="walk_in",
        matter_type_code="filing_consult",
        title="立案咨询",
        content="询问如何立案。",
        requester_name="孙七",
        requester_mobile=MOBILE,
        route=False,
    )
    with pytest.raises(ValidationFailed) as excinfo:
        services.service_request_register_with_person(
            actor=receptionist, data=data, person=services.NewPerson(address="地" * 201)
        )
    assert excinfo.value.fields == {"address": ["住址不能超过200个字，当前为201个字"]}
    nothing_written()
    person_create(actor=receptionist, name="孙七", mobile=MOBILE)  # the phone is now known
    with pytest.raises(ValidationFailed) as excinfo:
        services.service_request_register_with_person(
            actor=receptionist, data=data, person=services.NewPerson()
        )
    assert excinfo.value.code == "duplicate_person"
    assert list(excinfo.value.fields) == ["requester_mobile"]
    assert Person.objects.count() == 1 and not ServiceRequest.objects.exists()
