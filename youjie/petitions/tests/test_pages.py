"""The petitions pages by role: the county officer of 石拐区 (150205) sees only that region's
matters in the list, the matter page, the export and the drill-downs; the city officer sees
all; a lead official only theirs; a department liaison none. Actions appear only to who may
act, and each goes through its service."""

# ruff: noqa: F811  (the shared fixtures are imported from .support and used by name)

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from youjie.core.models import AuditEntry, Event
from youjie.orgs.models import User
from youjie.people.services import person_create
from youjie.petitions.models import PetitionMatter

from .conftest import make_matter, region, unit
from .support import ID_NUMBER, World, no_otp, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture(autouse=True)
def _no_otp(no_otp: None) -> None:
    """Leaders reach the pages without a second factor here."""


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def numbers_in(html: str, world: World) -> set[str]:
    return {m.number for m in (world.shiguai, world.bayan_obo) if m.number in html}


# --- who sees what ----------------------------------------------------------------------------


def test_the_county_officer_sees_only_their_regions_matters(client, county_officer, world):
    login(client, county_officer)
    response = client.get(reverse("petitions:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert numbers_in(html, world) == {world.shiguai.number}
    assert client.get(reverse("petitions:detail", args=[world.shiguai.pk])).status_code == 200
    assert client.get(reverse("petitions:detail", args=[world.bayan_obo.pk])).status_code == 404
    # Another county's matter is not even a target of its actions.
    url = reverse("petitions:action", args=[world.bayan_obo.pk, "edit"])
    assert client.post(url, {"expected_status": "in_progress"}).status_code == 404


def test_the_city_officer_sees_every_matter(client, city_officer, world):
    login(client, city_officer)
    html = client.get(reverse("petitions:list")).content.decode()
    assert numbers_in(html, world) == {world.shiguai.number, world.bayan_obo.number}


def test_a_lead_official_sees_only_the_matters_they_lead(client, lead_official, world):
    login(client, lead_official)
    html = client.get(reverse("petitions:list")).content.decode()
    assert numbers_in(html, world) == {world.bayan_obo.number}
    assert client.get(reverse("petitions:detail", args=[world.shiguai.pk])).status_code == 404


def test_a_department_liaison_sees_no_matter(client, department_liaison, world):
    login(client, department_liaison)
    assert client.get(reverse("petitions:list")).status_code == 403
    assert client.get(reverse("petitions:detail", args=[world.bayan_obo.pk])).status_code == 404
    assert client.get(reverse("petitions:export")).status_code == 403
    # Their page is the coordination list: no matter on it.
    page = client.get(reverse("petitions:coordination"))
    assert page.status_code == 200
    assert world.bayan_obo.number not in page.content.decode()


def test_the_export_has_the_lists_scope_and_filters_masks_ids_and_is_audited(
    client, county_officer, city_officer, world
):
    login(client, county_officer)
    before = AuditEntry.objects.filter(action="petitions_export").count()
    response = client.get(reverse("petitions:export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert world.shiguai.number in cells and world.bayan_obo.number not in cells
    text = "\n".join(cells)
    assert "石拐群众（150205********0019）" in text
    assert ID_NUMBER not in text
    entries = AuditEntry.objects.filter(action="petitions_export")
    assert entries.count() == before + 1
    entry = entries.first()
    assert entry is not None and "1件" in entry.purpose

    # The city officer's export with a region filter has that region's matter only.
    login(client, city_officer)
    filtered = client.get(reverse("petitions:export") + "?region=150206")
    rows = load_workbook(BytesIO(filtered.content)).active.iter_rows(values_only=True)
    numbers = {row[0] for row in rows}
    assert world.bayan_obo.number in numbers and world.shiguai.number not in numbers


def test_the_list_filters_drill_down(client, city_officer, world):
    login(client, city_officer)
    url = reverse("petitions:list")
    by_region = client.get(url, {"region": "150205"}).content.decode()
    assert numbers_in(by_region, world) == {world.shiguai.number}
    by_lead = client.get(url, {"lead": world.other_lead.pk}).content.decode()
    assert numbers_in(by_lead, world) == {world.shiguai.number}
    by_unit = client.get(url, {"unit": unit("BT-BYEB-FY").pk}).content.decode()
    assert numbers_in(by_unit, world) == {world.bayan_obo.number}
    by_campaign = client.get(url, {"campaign": world.campaign.pk, "status": "open"})
    assert numbers_in(by_campaign.content.decode(), world) == {
        world.shiguai.number,
        world.bayan_obo.number,
    }
    done = client.get(url, {"campaign": world.campaign.pk, "status": "done"}).content.decode()
    assert numbers_in(done, world) == set()
    # Nobody has been met yet (no meeting records): both are in the not-yet-met list.
    assert numbers_in(client.get(url, {"not_met": "on"}).content.decode(), world) == {
        world.shiguai.number,
        world.bayan_obo.number,
    }
    bad = client.get(url, {"region": "110101"})
    assert bad.status_code == 422
    assert "属地无效" in bad.content.decode() or "选择" in bad.content.decode()


def test_the_list_reads_a_page_in_a_bounded_number_of_queries(
    client, city_officer, world, django_assert_max_num_queries
):
    login(client, city_officer)
    client.get(reverse("petitions:list"))  # warm the session and the user's roles
    for index in range(30):
        make_matter(city_officer, region_code="150202", title=f"东河事项{index}")
    with django_assert_max_num_queries(18):
        response = client.get(reverse("petitions:list"))
    assert response.status_code == 200
    assert "下一页" in response.content.decode()


# --- the matter page --------------------------------------------------------------------------


def test_the_matter_page_shows_facts_clocks_and_only_the_actions_a_user_may_take(
    client, city_officer, lead_official, world
):
    login(client, city_officer)
    html = client.get(reverse("petitions:detail", args=[world.bayan_obo.pk])).content.decode()
    assert "《信访工作条例》第三十四条" not in html or "办理期限" in html
    assert "第二十三条第二款" in html  # the written notice of a visit
    assert 'id="action-assign"' in html and 'id="action-terminate"' in html
    assert 'id="action-resolve"' in html
    assert world.campaign.name in html

    login(client, lead_official)
    lead_html = client.get(reverse("petitions:detail", args=[world.bayan_obo.pk])).content.decode()
    assert 'id="action-resolve"' in lead_html and 'id="action-edit"' in lead_html
    # Assigning responsibility and terminating by law are the office's.
    assert 'id="action-assign"' not in lead_html and 'id="action-terminate"' not in lead_html
    forbidden = client.post(
        reverse("petitions:action", args=[world.bayan_obo.pk, "terminate"]),
        {"expected_status": "in_progress"},
    )
    assert forbidden.status_code == 403
    assert PetitionMatter.objects.get(pk=world.bayan_obo.pk).status == "in_progress"


def test_a_resolution_without_its_evidence_is_refused_naming_what_is_missing(
    client, lead_official, world
):
    login(client, lead_official)
    url = reverse("petitions:action", args=[world.bayan_obo.pk, "resolve"])
    data = {
        "expected_status": "in_progress",
        "outcome_type": "aided",
        "summary": "发放司法救助金并签署息诉罢访承诺书",
        "resolved_on": "2026-11-20",
        "evidence_kind": "aid_paid",
        "evidence_description": "救助金发放凭证",
        "evidence_dated_on": "2026-11-19",
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "还缺少：息诉罢访承诺书" in refused.content.decode()
    assert PetitionMatter.objects.get(pk=world.bayan_obo.pk).status == "in_progress"
    assert not world.bayan_obo.evidence.exists()  # nothing half-written

    evidence = client.post(
        reverse("petitions:action", args=[world.bayan_obo.pk, "evidence"]),
        {
            "expected_status": "in_progress",
            "kind": "commitment",
            "description": "息诉罢访承诺书",
            "dated_on": "2026-11-20",
        },
    )
    assert evidence.status_code == 302
    resolved = client.post(url, data)
    assert resolved.status_code == 302
    matter = PetitionMatter.objects.get(pk=world.bayan_obo.pk)
    assert matter.status == "resolved" and matter.ceased

    visit = client.post(
        reverse("petitions:action", args=[matter.pk, "return_visit"]),
        {
            "expected_status": "resolved",
            "visited_on": "2026-11-22",
            "method": "in_person",
            "note": "信访人表示心结已解",
            "heart_resolved": "on",
        },
    )
    assert visit.status_code == 302
    matter.refresh_from_db()
    assert matter.status == "settled" and matter.heart_resolved_on == date(2026, 11, 22)
    verbs = list(Event.objects.filter(subject_id=str(matter.pk)).values_list("verb", flat=True))
    assert {"evidence_added", "resolved", "heart_resolved"} <= set(verbs)


def test_a_stale_form_is_refused_and_writes_nothing(client, city_officer, world):
    login(client, city_officer)
    response = client.post(
        reverse("petitions:action", args=[world.bayan_obo.pk, "edit"]),
        {"expected_status": "registered", "title": "改名", "category": "other", "core_demand": "x"},
    )
    assert response.status_code == 422
    assert "页面内容已过期" in response.content.decode()
    assert PetitionMatter.objects.get(pk=world.bayan_obo.pk).title == "矿区执行款未到位"


def test_the_office_assigns_a_task_force_through_the_page(
    client, city_officer, case_handler, world
):
    login(client, city_officer)
    response = client.post(
        reverse("petitions:action", args=[world.shiguai.pk, "assign"]),
        {
            "expected_status": "in_progress",
            "handler": case_handler.pk,
            "task_force_head": case_handler.pk,
            "task_force_members": [world.other_lead.pk],
        },
    )
    assert response.status_code == 302
    members = world.shiguai.task_force_members.order_by("role")
    assert [(m.user_id, m.role) for m in members] == [
        (case_handler.pk, "head"),
        (world.other_lead.pk, "member"),
    ]


# --- registering ------------------------------------------------------------------------------


def _registration(**overrides: Any) -> dict[str, Any]:
    data = {
        "submission_key": "page-test-1",
        "title": "不服执行裁定反复来访",
        "region": "150205",
        "category": "court_enforcement",
        "origin": "visit",
        "received_on": "2026-11-16",
        "core_demand": "要求恢复执行",
        "statutory_clocks": "on",
        "petitioner_name": "王五",
    }
    data.update(overrides)
    return data


def test_a_county_officer_registers_a_matter_of_their_region_once(client, county_officer):
    login(client, county_officer)
    url = reverse("petitions:create")
    assert client.get(url).status_code == 200
    response = client.post(url, _registration())
    assert response.status_code == 302
    matter = PetitionMatter.objects.get(title="不服执行裁定反复来访")
    assert matter.region_id == "150205"
    assert [p.name for p in matter.petitioners.all()] == ["王五"]
    # The same form sent again registers nothing new.
    again = client.post(url, _registration())
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert PetitionMatter.objects.filter(title="不服执行裁定反复来访").count() == 1
    # Another county's region is not offered.
    other = client.post(url, _registration(submission_key="page-test-2", region="150206"))
    assert other.status_code == 422
    assert PetitionMatter.objects.count() == 1


def test_a_refused_registration_leaves_no_person_behind(client, county_officer):
    login(client, county_officer)
    response = client.post(
        reverse("petitions:create"),
        _registration(received_on="2026-11-30"),  # a future date
    )
    assert response.status_code == 422
    assert "收到日期不能晚于今天" in response.content.decode()
    from youjie.people.models import Person

    assert not Person.objects.filter(name="王五").exists()


def test_only_office_officers_register(client, lead_official):
    login(client, lead_official)
    assert client.get(reverse("petitions:create")).status_code == 403


def test_a_desk_request_is_escalated_from_its_handler(client, receptionist, judge, org_tree):
    from youjie.desk import services as desk_services
    from youjie.desk.catalog import install_default_matter_types

    install_default_matter_types()
    person = person_create(actor=receptionist, name="赵六", region=region("150206"))
    request, _ = desk_services.service_request_create(
        actor=receptionist,
        data=desk_services.IntakeData(
            channel="walk_in",
            matter_type_code="complaint",
            title="反映执行不力",
            content="判决生效一年仍未执行到位，多次反映无果。",
            requester_name="赵六",
            requester_id=person.pk,
            route=False,
        ),
    )
    login(client, receptionist)
    url = reverse("petitions:create") + f"?from_request={request.pk}"
    # The request's page offers the escalation to whoever may act on it (youjie.core.links).
    page = client.get(reverse("desk:detail", args=[request.pk])).content.decode()
    assert f'href="{url.replace("&", "&amp;")}"' in page and "转为信访事项" in page
    form = client.get(url)
    assert form.status_code == 200 and "反映执行不力" in form.content.decode()
    response = client.post(
        url,
        {"category": "court_enforcement", "title": "反映执行不力", "core_demand": "要求执行到位"},
    )
    assert response.status_code == 302
    matter = PetitionMatter.objects.get(desk_requests=request)
    assert matter.origin == "desk" and list(matter.petitioners.all()) == [person]
    # Escalated: the request's page links to the matter instead of offering it again.
    page = client.get(reverse("desk:detail", args=[request.pk])).content.decode()
    assert f"信访事项 {matter.number}" in page and "?from_request=" not in page
    # The judge of another court's request, or a request they may not see: 404.
    login(client, judge)
    assert client.get(reverse("petitions:create") + "?from_request=999999").status_code == 404
