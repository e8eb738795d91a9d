"""Pushing the court's case list through the API in one call (issue 15, item 7):
``POST /api/v1/courtcases/imports/push`` with an Idempotency-Key, by the court's integration
token: validated and queued at once with its valid rows, 202 with the status url; the same key
again is the same run. Another court's token, a missing key, an oversized file: refused with a
code, nothing written. A pushed file that cannot be read is a failed run the administrators
hear of. The run list is scoped to the caller's courts.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.core.models import IdempotencyKey
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.tests.factories import World, csv_bytes, xlsx_bytes
from youjie.courtcases.tests.test_imports import BAD_JUDGE, GOOD_1, GOOD_2
from youjie.notifications.models import Notification
from youjie.orgs.services import api_token_create
from youjie.workdays.calendar import SHANGHAI

PUSH = "/api/v1/courtcases/imports/push"
NOW = datetime(2026, 6, 10, 21, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def _token_client(world: World, court: Any = None, name: str = "法院案件系统") -> Client:
    _, key = api_token_create(name=name, org_unit=court or world.court)
    return Client(headers={"Authorization": f"Bearer {key}"})


def _push(
    client: Client,
    content: bytes,
    *,
    key: str | None = "run-2026-06-10",
    name: str = "cases.xlsx",
    court_code: str = "内0206",
) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        PUSH,
        {"court_code": court_code, "file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def _written() -> tuple[int, int, int]:
    return (CaseImport.objects.count(), IdempotencyKey.objects.count(), CourtCase.objects.count())


def test_a_push_is_run_at_once_and_the_same_key_is_the_same_run(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = _token_client(world)
    content = xlsx_bytes([GOOD_1, GOOD_2, BAD_JUDGE])

    with django_capture_on_commit_callbacks(execute=True):
        response = _push(client, content)
    assert response.status_code == 202
    body = response.json()
    assert (body["source"], body["source_label"], body["status"]) == ("push", "接口推送", "queued")
    assert body["errors"] == [
        {"row": 4, "case_number": "（2026）内0206民初4号", "reason": "承办法官“不存在”在本院不存在"}
    ]
    status = client.get(body["status_url"]).json()
    # The run's report: new, updated, unchanged, refused with the reasons above.
    assert (status["status"], status["created_count"], status["updated_count"]) == ("done", 2, 0)
    assert (status["unchanged_count"], status["error_count"]) == (0, 1)
    assert CourtCase.objects.count() == 2

    # A retry with the same key (the answer was lost): the same run, nothing new, not re-run.
    before = _written()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = _push(client, content)
    assert again.status_code == 202 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == body["id"] and again.json()["status"] == "done"
    assert _written() == before and callbacks == []

    # The same key with another file is a mistake of the caller's.
    reused = _push(client, xlsx_bytes([GOOD_1]))
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    # A new key, the same file: a new run (the list changed nothing: all unchanged).
    with django_capture_on_commit_callbacks(execute=True):
        second = _push(client, content, key="run-2026-06-11").json()
    assert client.get(second["status_url"]).json()["unchanged_count"] == 2
    assert Notification.objects.count() == 0  # one refused row is below the notice limit


def test_the_key_the_court_and_the_size_are_checked_before_anything_is_written(
    world: World, settings: Any
) -> None:
    client = _token_client(world)
    content = xlsx_bytes([GOOD_1])

    missing = _push(client, content, key=None)
    assert (missing.status_code, missing.json()["code"]) == (422, "idempotency_key_required")
    blank = _push(client, content, key="   ")
    assert (blank.status_code, blank.json()["code"]) == (422, "idempotency_key_required")
    bad = _push(client, content, key="键")
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_idempotency_key")

    # The other court's token (the other court exists): 404, as for a court that does not.
    other = _token_client(world, world.other_court, name="石拐区法院案件系统")
    assert _push(other, content).status_code == 404
    assert _push(client, content, court_code="内9999").status_code == 404
    # Staff who may not import at all: 403.
    judge = Client()
    judge.force_login(world.judge)
    assert _push(judge, content).status_code == 403

    settings.YOUJIE_MAX_UPLOAD_BYTES = 1024
    too_large = _push(client, b"PK\x03\x04" + b"x" * 4096)
    assert too_large.status_code == 422
    assert too_large.json()["code"] == "file_too_large"
    assert too_large.json()["message"] == "文件过大：不能超过 1 KB"
    assert _written() == (0, 0, 0)
    assert Notification.objects.count() == 0


def test_a_pushed_file_that_cannot_be_read_is_a_failed_run_the_administrators_hear_of(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = _token_client(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _push(client, b"PK\x03\x04" + b"\xff" * 300, name="export.xlsx")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["total_rows"]) == ("failed", 0)
    assert body["failure_reason"].startswith("无法读取该 Excel 文件")
    [notice] = Notification.objects.filter(subject_id=str(body["id"]))
    assert notice.recipient_masked == f"user:{world.administrator.pk}"
    assert "来源：接口推送" in notice.body and "文件：export.xlsx" in notice.body
    assert f"/cases/import/{body['id']}/" in notice.body

    # Every row refused: failed too, with the rows' reasons in the report.
    with django_capture_on_commit_callbacks(execute=True):
        refused = _push(client, csv_bytes([BAD_JUDGE]), key="k2", name="list.csv").json()
    assert (refused["status"], refused["error_count"]) == ("failed", 1)
    assert refused["failure_reason"] == "全部 1 行均被拒绝，未导入任何案件（原因见错误行）"
    assert Notification.objects.filter(subject_id=str(refused["id"])).count() == 1
    assert CourtCase.objects.count() == 0


def test_the_run_list_is_scoped_to_the_callers_courts_and_filtered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = _token_client(world)
    with django_capture_on_commit_callbacks(execute=True):
        pushed = _push(client, xlsx_bytes([GOOD_1])).json()
    other = _token_client(world, world.other_court, name="石拐区法院案件系统")
    row = ["（2026）内0205民初3号", "离婚纠纷"]
    with django_capture_on_commit_callbacks(execute=True):
        theirs = _push(other, csv_bytes([row], header=["案号", "案由"]), court_code="内0205")
    assert theirs.status_code == 202

    mine = client.get("/api/v1/courtcases/imports").json()
    assert [item["id"] for item in mine["items"]] == [pushed["id"]]
    assert mine["items"][0]["created_count"] == 1 and mine["items"][0]["errors"] == []
    assert client.get(f"/api/v1/courtcases/imports/{theirs.json()['id']}").status_code == 404
    assert client.get("/api/v1/courtcases/imports", {"source": "folder"}).json()["items"] == []
    assert len(client.get("/api/v1/courtcases/imports", {"status": "done"}).json()["items"]) == 1
    assert client.get("/api/v1/courtcases/imports", {"source": "ftp"}).status_code == 422

    # The city's system administrator sees both courts' runs.
    administrator = Client()
    administrator.force_login(world.administrator)
    ids = {item["id"] for item in administrator.get("/api/v1/courtcases/imports").json()["items"]}
    assert ids == {pushed["id"], theirs.json()["id"]}
