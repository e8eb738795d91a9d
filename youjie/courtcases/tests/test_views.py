from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.tests.factories import World, make_case, xlsx_bytes
from youjie.courtcases.tests.test_imports import BAD_JUDGE, GOOD_1, GOOD_2
from youjie.orgs.models import User


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, world: World, content: bytes, name: str = "cases.xlsx") -> Any:
    return client.post(
        reverse("courtcases:import"),
        {"court": world.court.pk, "file": SimpleUploadedFile(name, content)},
    )


# ---------------------------------------------------------------------------- list and detail


def test_list_requires_login(world: World) -> None:
    response = Client().get(reverse("courtcases:list"))
    assert response.status_code == 302


def test_judge_sees_only_their_cases(world: World) -> None:
    mine = make_case(world, 1, judge=world.judge)
    theirs = make_case(world, 2, judge=world.other_judge)
    client = _client(world.judge)

    page = client.get(reverse("courtcases:list")).content.decode()
    assert mine.case_number in page
    assert theirs.case_number not in page
    assert client.get(reverse("courtcases:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("courtcases:detail", args=[theirs.pk])).status_code == 404


def test_county_officer_does_not_see_another_countys_court(world: World) -> None:
    case = make_case(world, 1, judge=world.judge)
    client = _client(world.county_officer)

    assert case.case_number not in client.get(reverse("courtcases:list")).content.decode()
    assert client.get(reverse("courtcases:detail", args=[case.pk])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["city_officer", "byeb_officer", "court_leader", "receptionist"]
)
def test_city_and_own_region_and_court_staff_see_the_case(world: World, persona: str) -> None:
    case = make_case(world, 1, judge=world.judge)
    client = _client(getattr(world, persona))
    assert case.case_number in client.get(reverse("courtcases:list")).content.decode()
    assert client.get(reverse("courtcases:detail", args=[case.pk])).status_code == 200


def test_division_head_sees_their_divisions_cases(world: World) -> None:
    in_division = make_case(world, 1)
    elsewhere = make_case(world, 2, court=world.other_court)
    page = _client(world.division_head).get(reverse("courtcases:list")).content.decode()
    assert in_division.case_number in page
    assert elsewhere.case_number not in page


def test_list_filters(world: World) -> None:
    make_case(world, 1, judge=world.judge, cause="民间借贷纠纷")
    make_case(world, 2, judge=world.judge, cause="离婚纠纷")
    make_case(world, 3, judge=world.judge, type_code="执", cause="执行")
    make_case(world, 4, judge=world.judge, year=2025)
    client = _client(world.court_leader)
    url = reverse("courtcases:list")

    def numbers(**params: Any) -> set[int]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {c.sequence for c in response.context["page"].items}

    assert numbers(q="离婚") == {2}
    assert numbers(q="(2026)内0206民初1号") == {1}
    assert numbers(q="民初1") == {1}
    assert numbers(type_code="执") == {3}
    assert numbers(year=2025) == {4}
    assert numbers(stage="filed") == {1, 2, 3, 4}
    assert numbers(stage="nonsense", year="abc", type_code="xx") == {1, 2, 3, 4}


def test_list_is_paginated_with_bounded_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for number in range(1, 31):
        make_case(world, number, judge=world.judge)
    # The city officer's scope is the costliest: the region subtree is walked level by level.
    client = _client(world.city_officer)
    client.get(reverse("courtcases:list"))  # warm the session

    # session, user, org unit, roles, 2 region levels, one page of cases (no COUNT, no N+1)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("courtcases:list"))
    page = response.context["page"]
    assert len(page.items) == 25 and page.has_next
    with django_assert_max_num_queries(7):
        response = client.get(reverse("courtcases:list"), {"page": 2})
    assert len(response.context["page"].items) == 5


def test_detail_shows_parties_and_timeline(world: World) -> None:
    case = make_case(world, 1, judge=world.judge)
    response = _client(world.judge).get(reverse("courtcases:detail", args=[case.pk]))
    body = response.content.decode()
    assert "原告" in body and "张三" in body
    assert _client(world.judge).get("/cases/99999999999999999999/").status_code == 404
    assert _client(world.judge).get("/cases/9223372036854775808/").status_code == 404


# ---------------------------------------------------------------------------- import


@pytest.mark.parametrize("persona", ["judge", "clerk", "division_head", "city_officer"])
def test_only_importers_may_import(world: World, persona: str) -> None:
    client = _client(getattr(world, persona))
    assert client.get(reverse("courtcases:import")).status_code == 403
    assert _upload(client, world, xlsx_bytes([GOOD_1])).status_code == 403
    assert CaseImport.objects.count() == 0


def test_court_choice_is_limited_to_the_users_courts(world: World) -> None:
    response = _client(world.receptionist).get(reverse("courtcases:import"))
    choices = list(response.context["form"].fields["court"].queryset)
    assert choices == [world.court]
    admin_choices = _client(world.administrator).get(reverse("courtcases:import"))
    assert set(admin_choices.context["form"].fields["court"].queryset) == {
        world.court,
        world.other_court,
    }
    # Posting another court's id is refused by the form.
    response = _client(world.other_receptionist).post(
        reverse("courtcases:import"),
        {"court": world.court.pk, "file": SimpleUploadedFile("a.xlsx", xlsx_bytes([GOOD_1]))},
    )
    assert response.status_code == 422
    assert CaseImport.objects.count() == 0


def test_page_flow_upload_validate_import_progress(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(world.receptionist)
    response = _upload(client, world, xlsx_bytes([GOOD_1, BAD_JUDGE, GOOD_2]))
    case_import = CaseImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("courtcases:import_status", args=[case_import.pk])

    page = client.get(response["Location"]).content.decode()
    assert "第 3 行" in page and "承办法官“不存在”在本院不存在" in page
    assert "仅导入有效行" in page and "导入全部" not in page
    assert CourtCase.objects.count() == 0

    run_url = reverse("courtcases:import_run", args=[case_import.pk])
    refused = client.post(run_url, follow=True)  # without consent to skip the bad row
    assert "仅导入有效行" in refused.content.decode()
    assert CourtCase.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(run_url, {"import_valid_rows": "on"})
    assert response.status_code == 302
    assert CourtCase.objects.count() == 2

    poll = client.get(
        reverse("courtcases:import_status", args=[case_import.pk]), headers={"HX-Request": "true"}
    )
    body = poll.content.decode()
    assert "<progress" in body and "导入完成" in body
    assert "every 1s" not in body  # finished: polling stops
    assert "<html" not in body  # a partial


def test_progress_partial_polls_while_running(world: World) -> None:
    client = _client(world.receptionist)
    _upload(client, world, xlsx_bytes([GOOD_1]))
    case_import = CaseImport.objects.get()
    CaseImport.objects.filter(pk=case_import.pk).update(status=ImportStatus.RUNNING)

    body = client.get(
        reverse("courtcases:import_status", args=[case_import.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "已处理 0 / 1 行" in body


def test_clean_file_offers_import_all_and_cancel_writes_nothing(world: World) -> None:
    client = _client(world.receptionist)
    _upload(client, world, xlsx_bytes([GOOD_1]))
    case_import = CaseImport.objects.get()
    page = client.get(reverse("courtcases:import_status", args=[case_import.pk])).content.decode()
    assert "导入全部" in page and "仅导入有效行" not in page

    response = client.post(reverse("courtcases:import_cancel", args=[case_import.pk]))
    assert response.status_code == 302
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.CANCELLED
    assert CourtCase.objects.count() == 0


def test_bad_file_shows_the_reason_on_the_form(world: World, settings: Any) -> None:
    client = _client(world.receptionist)
    response = _upload(client, world, b"not a spreadsheet", name="cases.xlsx")
    assert response.status_code == 422
    assert "内容不是 Excel 工作簿" in response.content.decode()

    settings.YOUJIE_MAX_UPLOAD_BYTES = 1024
    response = _upload(client, world, b"x" * 2048, name="cases.csv")
    assert response.status_code == 422
    assert "文件过大" in response.content.decode()
    assert CaseImport.objects.count() == 0


def test_imports_of_other_courts_are_not_found(world: World) -> None:
    _upload(_client(world.receptionist), world, xlsx_bytes([GOOD_1]))
    case_import = CaseImport.objects.get()
    other = _client(world.other_receptionist)
    assert other.get(reverse("courtcases:import_status", args=[case_import.pk])).status_code == 404
    response = other.post(
        reverse("courtcases:import_run", args=[case_import.pk]), {"import_valid_rows": "on"}
    )
    assert response.status_code == 404
    assert (
        _client(world.judge)
        .get(reverse("courtcases:import_status", args=[case_import.pk]))
        .status_code
        == 403
    )


def test_home_panel_and_dossier_section(world: World) -> None:
    from youjie.core.panels import panels_for
    from youjie.people.dossier import dossier_sections
    from youjie.people.models import Person

    assert "法院案件" in [panel.title for panel in panels_for(world.judge)]
    case = make_case(world, 1, judge=world.judge)
    person = Person.objects.create(name="张三", owner_unit=world.court)
    case.parties.update(person=person)

    def rows(user: User) -> list[str]:
        sections = [s for s in dossier_sections(user=user, person=person) if s.title == "法院案件"]
        return [row.label for row in sections[0].row_list]

    assert rows(world.judge) == [case.case_number]
    assert rows(world.other_judge) == []


@pytest.mark.parametrize(
    "url",
    [
        "/cases/?page=abc&year=1e99&stage=%00&type_code=%E2%80%AE",
        "/cases/?page=-3&year=99999999999999999999999",
        "/cases/?q=" + "案" * 5000,
        "/cases/?q=%28%29%EF%BC%88%EF%BC%89",
        "/cases/import/999999999999999999999/",
        "/api/v1/courtcases/cases?page=abc",
        "/api/v1/courtcases/cases?page=-1&year=-5&q=%00",
        "/api/v1/courtcases/cases/%00",
        "/api/v1/courtcases/cases/" + "%E6%A1%88" * 300,
        "/api/v1/courtcases/cases/0",
        "/api/v1/courtcases/imports/99999999999999999999999",
        "/api/v1/courtcases/imports/abc",
    ],
)
def test_bad_input_never_500(world: World, url: str) -> None:
    response = _client(world.receptionist).get(url)
    assert response.status_code < 500, response.content[:300]
