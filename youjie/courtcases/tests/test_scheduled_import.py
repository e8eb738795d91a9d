"""The watched folder of the courts' case lists (issue 15, item 7): <dir>/<法院代字>/incoming/,
scanned every five minutes; a file is taken once unchanged since the previous look, run with its
valid rows, and moved to processed/ or failed/ under its run's id; a file imported before is a
duplicate; a failure notifies the court's administrators through the outbox. And the runs page
every source shares, scoped to the user's courts.

The clock is frozen (CONVENTIONS 17) and moved five minutes between two looks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from youjie.core.models import Event
from youjie.courtcases import tasks
from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.models import CaseImport, CaseImportFolder, CourtCase, ImportSource
from youjie.courtcases.services import FolderScan, case_import_folder_scan, case_import_validate
from youjie.courtcases.tests.factories import World, csv_bytes, make_user, xlsx_bytes
from youjie.courtcases.tests.test_imports import BAD_DATE, BAD_JUDGE, GOOD_1, GOOD_2
from youjie.notifications.models import Notification
from youjie.workdays.calendar import SHANGHAI

NOW = datetime(2026, 6, 10, 10, 2, tzinfo=SHANGHAI)
GOOD_1_CSV = [*GOOD_1[:5], "2026-01-05", *GOOD_1[6:]]  # a CSV holds the date as text
LOOK = timedelta(minutes=5)


@pytest.fixture
def folder(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "case-imports"
    settings.YOUJIE_CASE_IMPORT_DIR = str(root)
    return root


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _drop(folder: Path, name: str, content: bytes, court_code: str = "内0206") -> Path:
    incoming = folder / court_code / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    path = incoming / name
    path.write_bytes(content)
    return path


def _files(folder: Path, sub: str, court_code: str = "内0206") -> list[str]:
    return sorted(path.name for path in (folder / court_code / sub).iterdir())


def _two_looks(clock: Any, capture: Callable[..., Any]) -> FolderScan:
    """The look that finds the files, then five minutes later the one that takes them (with
    the queued runs executed, as the worker would)."""
    first = case_import_folder_scan()
    assert first.runs == []
    clock.shift(LOOK)
    with capture(execute=True):
        return case_import_folder_scan()


def _notices(case_import: CaseImport) -> list[Notification]:
    return list(
        Notification.objects.filter(subject_id=str(case_import.pk)).order_by("recipient_masked")
    )


def test_a_complete_file_is_imported_with_its_report_and_moved_to_processed(
    world: World, folder: Path, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _drop(folder, "cases.xlsx", xlsx_bytes([GOOD_1, GOOD_2]))

    first = case_import_folder_scan()
    # Seen once: it may still be being written, so it waits for the next look.
    assert (first.runs, first.waiting) == ([], 1)
    assert CaseImport.objects.count() == 0
    # Every court has its three folders, for its IT staff to find.
    assert _files(folder, "incoming", "内0205") == []
    assert (folder / "内0205" / "processed").is_dir() and (folder / "内0205" / "failed").is_dir()

    clock.shift(LOOK)
    with django_capture_on_commit_callbacks(execute=True):
        second = case_import_folder_scan()
    assert second.waiting == 0 and len(second.runs) == 1
    run = CaseImport.objects.get(pk=second.runs[0])
    assert (run.source, run.status, run.uploaded_by) == (ImportSource.FOLDER, "done", None)
    assert (run.created_count, run.updated_count, run.refused_count) == (2, 0, 0)
    assert len(run.file_sha256) == 64
    assert CourtCase.objects.count() == 2
    assert _files(folder, "incoming") == []
    assert _files(folder, "processed") == [f"{run.pk}-cases.xlsx"]
    assert Notification.objects.count() == 0  # a success tells nobody
    state = CaseImportFolder.objects.get(path=str(folder))
    assert (state.scanned_at, state.seen, state.last_error) == (NOW + LOOK, {}, "")


def test_refused_rows_are_reported_with_their_reasons_on_the_page_and_the_api(
    world: World,
    folder: Path,
    clock: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.YOUJIE_CASE_IMPORT_NOTICE_REFUSED_ROWS = 1
    _drop(folder, "nightly.xlsx", xlsx_bytes([GOOD_1, BAD_JUDGE, BAD_DATE]))

    run = CaseImport.objects.get(pk=_two_looks(clock, django_capture_on_commit_callbacks).runs[0])

    # Import the valid rows, refuse the others: nobody was asked.
    assert (run.status, run.created_count, run.refused_count) == ("done", 1, 2)
    assert [error["row"] for error in run.errors] == [3, 4]
    assert _files(folder, "processed") == [f"{run.pk}-nightly.xlsx"]
    receptionist = Client()
    receptionist.force_login(world.receptionist)
    page = receptionist.get(f"/cases/import/{run.pk}/").content.decode()
    assert "定时目录" in page and "拒绝错误行 <strong>2</strong> 行" in page
    assert "承办法官“不存在”在本院不存在" in page
    body = receptionist.get(f"/api/v1/courtcases/imports/{run.pk}").json()
    assert (body["source"], body["created_count"], body["error_count"]) == ("folder", 1, 2)
    assert body["errors"][0]["reason"] == "承办法官“不存在”在本院不存在"
    # More refused rows than the limit: the administrator hears of it, once.
    [notice] = _notices(run)
    assert notice.template_key == "courtcases.import_refused"
    assert "拒绝 2 行（超过 1 行）" in notice.body and "nightly.xlsx" in notice.subject


def test_a_file_imported_before_is_recorded_as_a_duplicate_and_not_imported_again(
    world: World, folder: Path, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    content = xlsx_bytes([GOOD_1])
    _drop(folder, "cases.xlsx", content)
    original = CaseImport.objects.get(
        pk=_two_looks(clock, django_capture_on_commit_callbacks).runs[0]
    )
    imported = Event.objects.filter(verb="imported").count()

    clock.shift(LOOK)
    _drop(folder, "cases-again.xlsx", content)
    duplicate = CaseImport.objects.get(
        pk=_two_looks(clock, django_capture_on_commit_callbacks).runs[0]
    )

    assert (duplicate.status, duplicate.duplicate_of_id) == (ImportStatus.CANCELLED, original.pk)
    assert f"与导入 #{original.pk}（cases.xlsx" in duplicate.failure_reason
    assert Event.objects.filter(verb="imported").count() == imported
    assert CourtCase.objects.count() == 1
    assert _files(folder, "processed") == sorted(
        [f"{original.pk}-cases.xlsx", f"{duplicate.pk}-cases-again.xlsx"]
    )
    assert not _notices(duplicate)
    # The same file for another court is that court's business, not a duplicate.
    assert original.court_id != world.other_court.pk


def test_files_that_cannot_be_imported_fail_with_a_reason_and_notify_the_administrators(
    world: World,
    folder: Path,
    clock: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.YOUJIE_MAX_UPLOAD_BYTES = 4096
    _drop(folder, "broken.xlsx", b"PK\x03\x04" + b"\xff" * 200)
    _drop(folder, "notes.pdf", b"%PDF-1.4 not a case list")
    _drop(folder, "big.csv", b"x" * 5000)
    _drop(folder, "no-header.csv", "案由,承办法官\n离婚纠纷,李敏\n".encode())
    _drop(folder, "all-bad.csv", csv_bytes([BAD_JUDGE]))

    runs = _two_looks(clock, django_capture_on_commit_callbacks).runs

    by_name = {run.file_name: run for run in CaseImport.objects.filter(pk__in=runs)}
    reasons = {name: run.failure_reason for name, run in by_name.items()}
    assert reasons == {
        "broken.xlsx": "无法读取该 Excel 文件，请确认文件未损坏并另存为 .xlsx 后重试",
        "notes.pdf": "仅支持 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）",
        "big.csv": "文件过大：不能超过 4 KB",
        "no-header.csv": "表头缺少“案号”列",
        "all-bad.csv": "全部 1 行均被拒绝，未导入任何案件（原因见错误行）",
    }
    assert {run.status for run in by_name.values()} == {ImportStatus.FAILED}
    assert by_name["all-bad.csv"].errors[0]["reason"] == "承办法官“不存在”在本院不存在"
    assert _files(folder, "failed") == sorted(f"{run.pk}-{name}" for name, run in by_name.items())
    assert _files(folder, "incoming") == []
    assert CourtCase.objects.count() == 0

    # The court has no administrator of its own: the system administrators are told, each
    # notice naming the file, the court, the reason and the run's page.
    broken = by_name["broken.xlsx"]
    [notice] = _notices(broken)
    assert notice.channel == "console"
    assert notice.recipient_masked == f"user:{world.administrator.pk}"
    assert notice.template_key == "courtcases.import_failed"
    assert notice.subject == "案件清单导入失败：白云鄂博矿区人民法院 broken.xlsx"
    for text in (
        "白云鄂博矿区人民法院（内0206）",
        "来源：定时目录",
        "文件：broken.xlsx",
        "原因：无法读取该 Excel 文件",
        f"http://127.0.0.1:8000/cases/import/{broken.pk}/",
    ):
        assert text in notice.body
    assert Notification.objects.filter(template_key="courtcases.import_failed").count() == 5

    # A court with an administrator of its own: only they are told (by e-mail, having one).
    court_admin = make_user("c_court_admin", "administrator", world.court, "吴敏")
    court_admin.email = "wumin@court.example.cn"
    court_admin.save(update_fields=["email"])
    clock.shift(LOOK)
    _drop(folder, "broken-again.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    again = CaseImport.objects.get(pk=_two_looks(clock, django_capture_on_commit_callbacks).runs[0])
    [notice] = _notices(again)
    assert notice.channel == "email" and notice.dedupe_key.endswith(f":{court_admin.pk}")


def test_a_file_still_being_written_is_not_taken(
    world: World, folder: Path, clock: Any, django_capture_on_commit_callbacks: Any
) -> None:
    content = csv_bytes([GOOD_1_CSV, GOOD_2])
    growing = _drop(folder, "cases.csv", content[:40])
    _drop(folder, "cases2.csv.part", content)  # written, not yet renamed: never taken
    _drop(folder, ".hidden.csv", content)
    _drop(folder, "~$cases.xlsx", content)  # Excel's lock file

    assert case_import_folder_scan().waiting == 1
    clock.shift(LOOK)
    growing.write_bytes(content)  # still being copied at the first look
    assert case_import_folder_scan().runs == []
    # Two looks a few seconds apart (a late consumer, then the next tick) prove nothing.
    clock.shift(timedelta(seconds=10))
    assert case_import_folder_scan().runs == []
    assert CaseImport.objects.count() == 0

    clock.shift(LOOK)
    with django_capture_on_commit_callbacks(execute=True):
        scan = case_import_folder_scan()
    run = CaseImport.objects.get(pk=scan.runs[0])
    assert (run.file_name, run.created_count) == ("cases.csv", 2)
    assert _files(folder, "incoming") == sorted([".hidden.csv", "cases2.csv.part", "~$cases.xlsx"])


def test_the_periodic_task_scans_once_per_tick_and_not_at_all_when_switched_off(
    world: World,
    folder: Path,
    clock: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from youjie.core.ticks import claim_tick

    monkeypatch.setattr(
        tasks, "claim_tick", lambda job, minutes: claim_tick(job, moment=NOW, minutes=minutes)
    )
    _drop(folder, "cases.xlsx", xlsx_bytes([GOOD_1]))
    # Seen before, unchanged since: the first firing of the tick takes it.
    assert case_import_folder_scan().waiting == 1
    clock.shift(LOOK)
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.case_import_folder_scan_task.call_local()
        second = tasks.case_import_folder_scan_task.call_local()  # another consumer, same tick
    assert len(first) == 1 and second is None
    assert CaseImport.objects.count() == 1

    settings.YOUJIE_CASE_IMPORT_DIR = ""
    assert case_import_folder_scan() == FolderScan(enabled=False)
    assert tasks.case_import_folder_scan_task.call_local() is None


def test_the_runs_page_lists_every_source_filtered_and_scoped_to_the_users_courts(
    world: World,
    folder: Path,
    clock: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _drop(folder, "nightly.xlsx", xlsx_bytes([GOOD_1]))
    folder_run = _two_looks(clock, django_capture_on_commit_callbacks).runs[0]
    upload = case_import_validate(
        actor=world.receptionist,
        court=world.court,
        file_name="by-hand.xlsx",
        content=xlsx_bytes([GOOD_2]),
    )
    other = case_import_validate(
        actor=world.other_receptionist,
        court=world.other_court,
        file_name="shiguai.csv",
        content=csv_bytes([["（2026）内0205民初3号", "离婚纠纷"]], header=["案号", "案由"]),
    )

    receptionist = Client()
    receptionist.force_login(world.receptionist)
    receptionist.get("/cases/import/runs/")
    with django_assert_max_num_queries(8):
        page = receptionist.get("/cases/import/runs/").content.decode()
    assert f"#{folder_run}" in page and f"#{upload.pk}" in page
    assert "shiguai.csv" not in page  # the other court's run
    assert str(folder / "内0206" / "incoming") in page
    assert str(folder / "内0205" / "incoming") not in page
    assert "2026-06-10 10:07" in page  # the last scan

    by_source = receptionist.get("/cases/import/runs/", {"source": "folder"}).content.decode()
    assert "nightly.xlsx" in by_source and "by-hand.xlsx" not in by_source
    by_status = receptionist.get("/cases/import/runs/", {"status": "validated"}).content.decode()
    assert "by-hand.xlsx" in by_status and "nightly.xlsx" not in by_status
    bogus = receptionist.get("/cases/import/runs/", {"source": "ftp\x00"})
    assert bogus.status_code == 200 and "来源筛选条件无效" in bogus.content.decode()

    other_staff = Client()
    other_staff.force_login(world.other_receptionist)
    theirs = other_staff.get("/cases/import/runs/").content.decode()
    assert f"#{other.pk}" in theirs and "nightly.xlsx" not in theirs
    assert other_staff.get(f"/cases/import/{folder_run}/").status_code == 404

    judge = Client()
    judge.force_login(world.judge)
    assert judge.get("/cases/import/runs/").status_code == 403
    assert receptionist.post("/cases/import/runs/").status_code == 405
