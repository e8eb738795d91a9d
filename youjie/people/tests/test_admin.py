"""Admin shows masked data only, cannot add persons, and edits go through the services."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.timeline import timeline_for
from youjie.orgs.models import User
from youjie.people.models import Person
from youjie.people.tests.conftest import World
from youjie.people.tests.factories import PersonFactory, build_resident_id

ID_NUMBER = build_resident_id(sequence=51)


@pytest.fixture
def admin_client_(world: World) -> Client:
    superuser = User.objects.create_superuser(username="p_root", password="pw-root")
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def person(world: World) -> Person:
    return PersonFactory.create(
        name="管理测试", id_number=ID_NUMBER, region=world.byeb, owner_unit=world.court
    )


def test_changelist_and_change_form_show_masked_data_only(
    admin_client_: Client, person: Person
) -> None:
    changelist = admin_client_.get(reverse("admin:people_person_changelist"), {"q": "管理"})
    assert changelist.status_code == 200
    body = changelist.content.decode()
    assert "管理测试" in body and person.id_number_masked in body and ID_NUMBER not in body
    # Search is by name only: a full ID number finds nothing (and is never compared in clear).
    by_id = admin_client_.get(reverse("admin:people_person_changelist"), {"q": ID_NUMBER})
    assert "管理测试" not in by_id.content.decode().split("<tbody>")[-1]
    change = admin_client_.get(reverse("admin:people_person_change", args=[person.pk]))
    text = change.content.decode()
    assert change.status_code == 200
    assert person.id_number_masked in text and ID_NUMBER not in text
    for column in ("id_number_encrypted", "id_number_hash", "address_encrypted"):
        assert f'name="{column}"' not in text
    assert person.id_number_encrypted not in text


def test_admin_cannot_add_persons(admin_client_: Client, world: World) -> None:
    assert admin_client_.get(reverse("admin:people_person_add")).status_code == 403


def test_admin_change_goes_through_the_service(
    admin_client_: Client, person: Person, world: World
) -> None:
    url = reverse("admin:people_person_change", args=[person.pk])
    response = admin_client_.post(
        url,
        {
            "name": "管理测试改",
            "region": "150206",
            "owner_unit": world.court.pk,
            "is_deputy": "on",
            "hardship_note": "",
            "note": "",
            "phones-TOTAL_FORMS": "0",
            "phones-INITIAL_FORMS": "0",
            "phones-MIN_NUM_FORMS": "0",
            "phones-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "管理测试改" and person.is_deputy
    event = timeline_for(person).last()
    assert event is not None and event.verb == "updated"
    assert sorted(event.data["fields"]) == ["is_deputy", "name"]


def test_the_person_page_audits_what_it_reveals(admin_client_: Client, person: Person) -> None:
    from youjie.core.models import AuditEntry

    url = reverse("admin:people_person_change", args=[person.pk])
    assert admin_client_.get(url).status_code == 200
    entry = AuditEntry.objects.get(action="admin_view_person")
    assert str(entry.subject_id) == str(person.pk)
    assert "id_number_masked" in entry.fields
    text = admin_client_.get(url).content.decode()
    assert "出生日期" not in text  # digits 7-14 with the masked number would give it whole
