from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.tests.factories import World, make_case, xlsx_bytes
from youjie.courtcases.tests.test_imports import BAD_JUDGE, GOOD_1
from youjie.orgs.models import User
from youjie.orgs.services import api_token_create

BASE = "/api/v1/courtcases"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_requires_authentication(world: World) -> None:
    assert Client().get(f"{BASE}/cases").status_code == 401


def test_list_is_scoped(world: World) -> None:
    mine = make_case(world, 1, judge=world.judge)
    make_case(world, 2, judge=world.other_judge)
    body = _client(world.judge).get(f"{BASE}/cases").json()
    assert [item["case_number"] for item in body["items"]] == [mine.case_number]
    assert body["items"][0]["judge"] == "李敏"
    assert body["items"][0]["stage_label"] == "已立案"
    assert body["has_next"] is False


def test_list_filters_and_bounded_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for number in range(1, 31):
        make_case(world, number, judge=world.judge)
    make_case(world, 99, judge=world.judge, type_code="执")
    client = _client(world.city_officer)
    client.get(f"{BASE}/cases")
    with django_assert_max_num_queries(7):
        body = client.get(f"{BASE}/cases").json()
    assert len(body["items"]) == 25 and body["has_next"] is True
    executions = client.get(f"{BASE}/cases", {"type_code": "执"}).json()["items"]
    assert [item["sequence"] for item in executions] == [99]
    assert client.get(f"{BASE}/cases", {"year": 10**30}).status_code in (200, 422)


def test_get_by_id_or_by_case_number(world: World) -> None:
    case = make_case(world, 123, judge=world.judge)
    client = _client(world.judge)

    by_id = client.get(f"{BASE}/cases/{case.pk}").json()
    assert by_id["case_number"] == "（2026）内0206民初123号"
    assert by_id["parties"] == [{"role": "plaintiff", "role_label": "原告", "name": "张三"}]
    for spelling in [
        "（2026）内0206民初123号",
        "(2026)内0206民初123号",
        "〔2026〕内0206民初0123号",
    ]:
        response = client.get(f"{BASE}/cases/{quote(spelling)}")
        assert response.status_code == 200, spelling
        assert response.json()["id"] == case.pk


def test_get_outside_scope_is_404_and_bad_number_is_422(world: World) -> None:
    case = make_case(world, 1, judge=world.judge)
    county = _client(world.county_officer)
    assert county.get(f"{BASE}/cases/{case.pk}").status_code == 404
    assert county.get(f"{BASE}/cases/{quote(case.case_number)}").status_code == 404
    assert _client(world.city_officer).get(f"{BASE}/cases/{case.pk}").status_code == 200
    assert county.get(f"{BASE}/cases/{'9' * 40}").status_code == 404

    response = county.get(f"{BASE}/cases/{quote('2026内0206民初1号')}")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["fields"]["case_number"]


def test_parse(world: World) -> None:
    client = _client(world.judge)
    response = client.post(
        f"{BASE}/parse", {"case_number": "(2026)内0206民初123号"}, content_type="application/json"
    )
    assert response.json() == {
        "canonical": "（2026）内0206民初123号",
        "year": 2026,
        "court_code": "内0206",
        "type_code": "民初",
        "sequence": 123,
    }
    bad = client.post(
        f"{BASE}/parse", {"case_number": "（2026）内0206民出1号"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["message"] == "未知的案件类型代字：民出"
    too_long = client.post(
        f"{BASE}/parse", {"case_number": "x" * 1000}, content_type="application/json"
    )
    assert too_long.status_code == 422
    missing = client.post(f"{BASE}/parse", {}, content_type="application/json")
    assert missing.status_code == 422


def _upload(client: Client, content: bytes, court_code: str = "内0206", **extra: Any) -> Any:
    return client.post(
        f"{BASE}/imports",
        {"court_code": court_code, "file": SimpleUploadedFile("cases.xlsx", content)},
        **extra,
    )


def test_import_over_the_api_with_a_court_token(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _, key = api_token_create(name="法院案件系统", org_unit=world.court)
    client = Client(headers={"Authorization": f"Bearer {key}"})

    response = _upload(client, xlsx_bytes([GOOD_1, BAD_JUDGE]))
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["total_rows"], body["valid_rows"], body["error_count"]) == (
        "validated", 2, 1, 1,
    )  # fmt: skip
    assert body["errors"] == [
        {"row": 3, "case_number": "（2026）内0206民初4号", "reason": "承办法官“不存在”在本院不存在"}
    ]
    assert CourtCase.objects.count() == 0

    run_url = f"{BASE}/imports/{body['id']}/run"
    refused = client.post(run_url, {}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["code"] == "import_has_errors"

    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(
            run_url, {"import_valid_rows": True}, content_type="application/json"
        )
    assert accepted.status_code == 202
    status = client.get(accepted.json()["status_url"]).json()
    assert (status["status"], status["created_count"], status["processed_rows"]) == ("done", 1, 1)
    assert CourtCase.objects.count() == 1


def test_import_permissions_over_the_api(world: World, settings: Any) -> None:
    content = xlsx_bytes([GOOD_1])
    assert _upload(_client(world.judge), content).status_code == 403
    # A receptionist of another court may not import for this one (and may not learn it exists).
    assert _upload(_client(world.other_receptionist), content).status_code == 404
    assert CaseImport.objects.count() == 0

    created = _upload(_client(world.receptionist), content).json()
    assert (
        _client(world.other_receptionist).get(f"{BASE}/imports/{created['id']}").status_code == 404
    )
    assert _client(world.judge).get(f"{BASE}/imports/{created['id']}").status_code == 403
    run = _client(world.other_receptionist).post(
        f"{BASE}/imports/{created['id']}/run", {}, content_type="application/json"
    )
    assert run.status_code == 404


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"not a zip", 422), (b"", 422)],
)
def test_bad_uploads_are_422(world: World, content: bytes, status: int) -> None:
    response = _upload(_client(world.receptionist), content)
    assert response.status_code == status
    assert response.json()["code"] == "validation_failed"
    assert CaseImport.objects.count() == 0


def test_upload_size_limit_over_the_api(world: World, settings: Any) -> None:
    settings.YOUJIE_MAX_UPLOAD_BYTES = 1024
    response = _upload(_client(world.receptionist), b"PK\x03\x04" + b"x" * 4096)
    assert response.status_code == 422
    assert "文件过大" in response.json()["message"]


def test_missing_upload_fields_are_422(world: World) -> None:
    response = _client(world.receptionist).post(f"{BASE}/imports", {"court_code": "内0206"})
    assert response.status_code == 422
