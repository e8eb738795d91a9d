"""Large exports in the background: the job, its progress counted as the worker writes, 我的导出
polled by htmx, the download by its owner only; the limits (rows, running jobs); a job for a
user who lost access writes nothing; the cleanup of old files and stalled jobs; bad input a
Chinese 4xx, never a 500."""

from __future__ import annotations

import os
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from youjie.core.models import AuditEntry
from youjie.core.timeline import timeline_for
from youjie.courtcases.models import CourtCase
from youjie.exports import services
from youjie.exports.choices import ExportJobStatus
from youjie.exports.models import ExportJob
from youjie.exports.registry import export_list_get
from youjie.exports.tasks import export_jobs_clean_task
from youjie.exports.workbook import write_workbook
from youjie.orgs.models import OrgUnit, User, UserRole

from .conftest import client_for, last_audit

pytestmark = pytest.mark.django_db
CASES = "/exports/courtcases.cases.xlsx"


def cases(count: int, court_code: str = "BT-BYEB-FY") -> list[CourtCase]:
    court = OrgUnit.objects.get(code=court_code)
    return [
        CourtCase.objects.create(
            case_number=f"（2026）{court.court_code}民初{sequence}号",
            year=2026,
            court_code=court.court_code,
            type_code="民初",
            sequence=sequence,
            court=court,
            cause="民间借贷纠纷",
            amount=Decimal("1000.50"),
        )
        for sequence in range(1, count + 1)
    ]


@pytest.fixture
def small_direct(settings: Any) -> None:
    settings.YOUJIE_EXPORT_DIRECT_MAX_ROWS = 2


def test_a_large_export_runs_in_the_background_with_progress_and_a_download(
    receptionist,
    court_leader,
    small_direct,
    folders,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    cases(5)
    cases(2, court_code="BT-QS-FY")
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    progress_seen: list[int] = []
    real_write = write_workbook

    def spying_write(*args: Any, progress: Any, **kwargs: Any) -> Any:
        def recording(done: int) -> None:
            progress(done)
            progress_seen.append(ExportJob.objects.get().rows_done)  # as the page reads it

        return real_write(*args, progress=recording, **kwargs)

    monkeypatch.setattr("youjie.exports.services.write_workbook", spying_write)
    client = client_for(receptionist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(CASES, {"year": "2026"})
    assert response.status_code == 302 and response["Location"] == reverse("exports:jobs")
    job = ExportJob.objects.get()
    assert job.owner == receptionist and job.list_name == "courtcases.cases"
    assert job.params == [["year", "2026"]] and job.filters == "年度：2026"
    assert job.status == ExportJobStatus.DONE and job.rows_total == job.rows_done == 5
    assert progress_seen == [2, 4, 5]  # after each chunk, then the end
    assert [event.verb for event in timeline_for(job)] == [
        "export_job_queued",
        "export_job_started",
        "export_job_done",
    ]
    # The file is owner-only, under the exports folder, complete (no .part left).
    files = sorted(path.name for path in Path(folders).iterdir())
    assert files == [job.file_name] and (Path(folders) / job.file_name).stat().st_mode & 0o077 == 0
    entry = last_audit(receptionist)
    assert entry.subject_id == str(job.pk) and entry.fields == [
        "list:courtcases.cases",
        "rows:5",
        "masked",
    ]

    # 我的导出 lists it with its download link; nothing polls once it is done.
    page = client.get(reverse("exports:jobs"))
    html = page.content.decode()
    assert "法院案件清单" in html and reverse("exports:download", args=[job.pk]) in html
    assert "hx-trigger" not in html
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200
    content = download.getvalue()
    sheet = load_workbook(BytesIO(content)).active
    assert len(list(sheet.iter_rows(values_only=True))) == 3 + 5
    assert "年度：2026" in sheet["A2"].value
    assert last_audit(receptionist, "export_download").subject_id == str(job.pk)
    # Another user, even of the same court, gets a 404 for it.
    other = client_for(court_leader).get(reverse("exports:download", args=[job.pk]))
    assert other.status_code == 404
    assert "没有这个导出任务" in other.content.decode()
    assert (
        reverse("exports:download", args=[job.pk])
        not in client_for(court_leader).get(reverse("exports:jobs")).content.decode()
    )


def test_the_jobs_page_polls_while_a_job_runs(receptionist):
    job = ExportJob.objects.create(
        owner=receptionist,
        list_name="courtcases.cases",
        title="法院案件清单",
        status=ExportJobStatus.RUNNING,
        rows_total=4000,
        rows_done=1000,
    )
    client = client_for(receptionist)
    page = client.get(reverse("exports:jobs")).content.decode()
    assert 'hx-trigger="every 2s"' in page and "1000 / 4000 行" in page
    partial = client.get(reverse("exports:jobs"), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="export-jobs"') and "<html" not in body
    assert 'value="25"' in body
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_the_limits(receptionist, small_direct, settings):
    cases(3)
    client = client_for(receptionist)
    settings.YOUJIE_EXPORT_MAX_ROWS = 2
    refused = client.get(CASES)
    assert refused.status_code == 422
    assert "共3件，超过单次导出上限2件" in refused.content.decode()
    settings.YOUJIE_EXPORT_MAX_ROWS = 100
    settings.YOUJIE_EXPORT_RUNNING_MAX = 2
    # Without the on-commit callbacks the jobs stay queued: they count as running.
    assert client.get(CASES).status_code == 302
    assert client.get(CASES).status_code == 302
    third = client.get(CASES)
    assert third.status_code == 429
    assert "您已有2个导出任务正在进行" in third.content.decode()
    assert ExportJob.objects.count() == 2


def test_a_job_for_a_user_who_lost_access_writes_nothing(receptionist, small_direct, folders):
    cases(3)
    job = services.export_job_create(
        actor=receptionist,
        export_list=export_list_get("desk.intake_queue"),
        params=[],
        filters="全部",
        total=3,
    )
    UserRole.objects.filter(user=receptionist).delete()  # no longer desk staff
    finished = services.export_job_run(job_id=job.pk)
    assert finished is not None and finished.status == ExportJobStatus.FAILED
    assert "已无权导出" in finished.error and not finished.file_name
    assert not Path(folders).exists() or list(Path(folders).iterdir()) == []
    assert not AuditEntry.objects.filter(subject_type="exports.exportjob").exists()

    # A deactivated owner likewise.
    other = services.export_job_create(
        actor=User.objects.get(pk=receptionist.pk),
        export_list=export_list_get("courtcases.cases"),
        params=[],
        filters="全部",
        total=3,
    )
    User.objects.filter(pk=receptionist.pk).update(is_active=False)
    failed = services.export_job_run(job_id=other.pk)
    assert failed is not None and failed.status == ExportJobStatus.FAILED


def test_the_cleanup_expires_old_files_and_fails_stalled_jobs(
    receptionist, folders, frozen, django_capture_on_commit_callbacks
):
    directory = services.exports_dir()
    old_file = directory / "1-old.xlsx"
    old_file.write_bytes(b"PK")
    old = ExportJob.objects.create(
        owner=receptionist,
        list_name="courtcases.cases",
        title="法院案件清单",
        status=ExportJobStatus.DONE,
        file_name=old_file.name,
        rows_total=1,
        rows_done=1,
        finished_at=timezone.now() - timedelta(days=8),
    )
    fresh_file = directory / "2-fresh.xlsx"
    fresh_file.write_bytes(b"PK")
    fresh = ExportJob.objects.create(
        owner=receptionist,
        list_name="courtcases.cases",
        title="法院案件清单",
        status=ExportJobStatus.DONE,
        file_name=fresh_file.name,
        finished_at=timezone.now() - timedelta(days=6),
    )
    # The download stops at the keeping time even before the cleanup runs.
    assert (
        client_for(receptionist).get(reverse("exports:download", args=[old.pk])).status_code == 404
    )
    stalled = ExportJob.objects.create(
        owner=receptionist,
        list_name="courtcases.cases",
        title="法院案件清单",
        status=ExportJobStatus.RUNNING,
    )
    ExportJob.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    # What a worker that went away left: a .part of two days ago, a workbook no job names from
    # before the keeping time; and a .part being written now.
    now = timezone.now().timestamp()
    leftovers = {"9-stray.xlsx.part": 2, "8-orphan.xlsx": 8, "7-writing.xlsx.part": 0}
    for leftover, days in leftovers.items():
        (directory / leftover).write_bytes(b"PK")
        os.utime(directory / leftover, (now - days * 86400, now - days * 86400))
    with django_capture_on_commit_callbacks(execute=True):
        export_jobs_clean_task()  # the files go once the rows no longer name them
    assert sorted(path.name for path in directory.iterdir()) == [
        "2-fresh.xlsx",
        "7-writing.xlsx.part",
    ]
    old.refresh_from_db()
    fresh.refresh_from_db()
    stalled.refresh_from_db()
    assert old.status == ExportJobStatus.EXPIRED and not old.file_name
    assert not old_file.exists() and fresh_file.exists()
    assert fresh.status == ExportJobStatus.DONE
    assert stalled.status == ExportJobStatus.FAILED and "导出中断" in stalled.error
    # Once per tick: a second run in the same ten minutes does nothing.
    ExportJob.objects.filter(pk=fresh.pk).update(finished_at=timezone.now() - timedelta(days=9))
    export_jobs_clean_task()
    fresh.refresh_from_db()
    assert fresh.status == ExportJobStatus.DONE
    frozen.shift(timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        export_jobs_clean_task()
    fresh.refresh_from_db()
    assert fresh.status == ExportJobStatus.EXPIRED and not fresh_file.exists()


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/exports/nothing.xlsx", 404, "没有这个可导出的清单"),
        ("/exports/courtcases.cases.xlsx?year=abc", 422, "筛选条件有误"),
        ("/exports/courtcases.cases.xlsx?year=1800", 422, "筛选条件有误"),
        ("/exports/courtcases.hearings.xlsx?days=5", 422, "筛选条件有误"),
        ("/exports/desk.division_queue.xlsx?division=999999999", 422, "筛选条件有误"),
        ("/exports/desk.search.xlsx?date_from=2026-13-40", 422, "筛选条件有误"),
        ("/exports/people.persons.xlsx?q=13812345678", 422, "不提供导出"),
        ("/exports/petitions.matters.xlsx", 403, "信访化解"),
        pytest.param(
            "/exports/courtcases.cases.xlsx?q=" + "诉" * 3000, 422, "筛选条件过长", id="long-query"
        ),
        ("/exports/fees.notices.xlsx?state=nope", 422, "筛选条件有误"),
    ],
)
def test_bad_input_is_a_chinese_4xx_and_writes_nothing(receptionist, url, status, message):
    response = client_for(receptionist).get(url)
    assert response.status_code == status, response.content.decode()[:300]
    assert message in response.content.decode()
    assert not AuditEntry.objects.exists() and not ExportJob.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(CASES)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
