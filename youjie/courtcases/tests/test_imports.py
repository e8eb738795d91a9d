from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from youjie.core.errors import InvalidTransition, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.courtcases import imports
from youjie.courtcases.choices import CaseStage, ImportStatus
from youjie.courtcases.models import CaseImport, CaseParty, CourtCase
from youjie.courtcases.services import (
    case_import_cancel,
    case_import_run,
    case_import_start,
    case_import_validate,
    case_imports_recover,
)
from youjie.courtcases.tests.factories import HEADER, World, csv_bytes, xlsx_bytes

GOOD_1 = [
    "（2026）内0206民初1号", "民间借贷纠纷", "民事审判庭", "李敏", "赵晓", dt.datetime(2026, 1, 5),
    None, None, "审理中", "否", 50000, "原告:张三;被告:某某有限公司、李四",
]  # fmt: skip
GOOD_2 = [
    "(2026)内0206民初2号", "买卖合同纠纷", "民庭", "王强", "", "2026/2/3", "2026年3月4日",
    "2026-03-20", "已结案", "是", "1,234.5", "原告：王五；被告：赵六",
]  # fmt: skip
BAD_OTHER_COURT = ["（2026）内0205民初3号", "离婚纠纷", "", "李敏", "", "", "", "", "", "", "", ""]
BAD_JUDGE = ["（2026）内0206民初4号", "离婚纠纷", "", "不存在", "", "", "", "", "", "", "", ""]
BAD_NUMBER = ["2026内0206民初5号", "", "", "", "", "", "", "", "", "", "", ""]
BAD_DATE = ["（2026）内0206民初6号", "", "", "", "", "2026-02-30", "", "", "", "", "", ""]
DUPLICATE = ["（2026）内0206民初1号", "", "", "", "", "", "", "", "", "", "", ""]


def _validate(world: World, content: bytes, name: str = "cases.xlsx") -> CaseImport:
    return case_import_validate(
        actor=world.receptionist, court=world.court, file_name=name, content=content
    )


def _reasons(case_import: CaseImport) -> dict[int, str]:
    return {error["row"]: error["reason"] for error in case_import.errors}


def test_valid_xlsx_is_validated_without_writing_cases(world: World) -> None:
    case_import = _validate(world, xlsx_bytes([GOOD_1, GOOD_2]))

    assert case_import.status == ImportStatus.VALIDATED
    assert (case_import.total_rows, case_import.valid_rows, case_import.errors) == (2, 2, [])
    assert CourtCase.objects.count() == 0
    first = case_import.rows[0]
    assert first["row"] == 2
    assert first["case_number"] == "（2026）内0206民初1号"
    assert first["judge_id"] == world.judge.pk
    assert first["clerk_id"] == world.clerk.pk
    assert first["division_id"] == world.civil_division.pk
    assert first["filed_on"] == "2026-01-05"
    assert first["stage"] == CaseStage.IN_TRIAL
    assert first["amount"] == "50000.00"
    assert first["parties"] == [
        {"role": "plaintiff", "name": "张三"},
        {"role": "defendant", "name": "某某有限公司"},
        {"role": "defendant", "name": "李四"},
    ]
    second = case_import.rows[1]
    assert second["division_id"] == world.civil_division.pk  # by short name 民庭
    assert (second["judgment_date"], second["closed_on"]) == ("2026-03-04", "2026-03-20")
    assert second["appealed"] is True
    assert second["amount"] == "1234.50"
    assert [event.verb for event in timeline_for(case_import)] == ["validated"]


def test_bad_rows_are_reported_with_spreadsheet_row_numbers(world: World) -> None:
    rows: list[list[Any]] = [
        GOOD_1, BAD_OTHER_COURT, BAD_JUDGE, [""] * 12, BAD_NUMBER, BAD_DATE, DUPLICATE,
    ]  # fmt: skip
    case_import = _validate(world, xlsx_bytes(rows))

    reasons = _reasons(case_import)
    # Header is row 1; the blank row 5 is skipped but keeps its number.
    assert sorted(reasons) == [3, 4, 6, 7, 8]
    assert "法院代字“内0205”不是本院（内0206）" in reasons[3]
    assert reasons[4] == "承办法官“不存在”在本院不存在"
    assert reasons[6] == "案号格式不正确，应如（2026）内0206民初123号"
    assert "立案日期“2026-02-30”不是有效日期" in reasons[7]
    assert reasons[8] == "案号与第 2 行重复"
    assert (case_import.total_rows, case_import.valid_rows) == (6, 1)  # blank row not counted
    assert CourtCase.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"阶段": "审完了"}, "阶段“审完了”不正确"),
        ({"是否上诉": "也许"}, "是否上诉“也许”不正确"),
        ({"标的额": "很多"}, "标的额“很多”不是数字"),
        ({"标的额": "-1"}, "标的额应为不小于 0 的数字"),
        ({"当事人": "张三"}, "当事人“张三”格式不正确"),
        ({"当事人": "路人:张三"}, "未知的诉讼地位：路人"),
        ({"承办庭室": "刑事审判庭"}, "承办庭室“刑事审判庭”在本院不存在"),
        ({"立案日期": "2026-03-01", "结案日期": "2026-02-01"}, "结案日期早于立案日期"),
        ({"立案日期": "1989-12-31"}, "立案日期早于 1990 年"),
        ({"案号": "", "案由": "借款"}, "案号为空"),
        ({"案号": "（2026）内0206民出1号"}, "未知的案件类型代字：民出"),
    ],
)
def test_row_checks(world: World, cells: dict[str, str], reason: str) -> None:
    row = dict(zip(HEADER, ["（2026）内0206民初9号"] + [""] * 11, strict=True))
    row.update(cells)
    case_import = _validate(world, csv_bytes([list(row.values())]), name="cases.csv")
    assert case_import.valid_rows == 0
    assert reason in case_import.errors[0]["reason"]
    assert case_import.errors[0]["row"] == 2


def test_judge_names_must_be_unambiguous_within_the_court(world: World) -> None:
    from youjie.courtcases.tests.factories import make_user

    make_user("c_judge_dup", "judge", world.reception_division, "李敏")
    case_import = _validate(world, xlsx_bytes([GOOD_1]))
    assert "承办法官“李敏”在本院有 2 个同名" in case_import.errors[0]["reason"]


def test_people_of_another_court_are_not_matched(world: World) -> None:
    row = list(GOOD_1)
    row[3] = "周敏"  # a receptionist of the 石拐区 court
    case_import = _validate(world, xlsx_bytes([row]))
    assert case_import.errors[0]["reason"] == "承办法官“周敏”在本院不存在"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes(world: World, encoding: str) -> None:
    rows = [[str(cell) if cell is not None else "" for cell in GOOD_1]]
    rows[0][5] = "2026-01-05"
    case_import = _validate(world, csv_bytes(rows, encoding=encoding), name="清单.CSV")
    assert case_import.errors == []
    assert case_import.rows[0]["case_number"] == "（2026）内0206民初1号"
    assert case_import.rows[0]["parties"][0] == {"role": "plaintiff", "name": "张三"}


def test_only_the_case_number_column_is_required(world: World) -> None:
    content = csv_bytes([["（2026）内0206民初7号"]], header=["案号"])
    case_import = _validate(world, content, name="cases.csv")
    assert case_import.rows == [
        {"row": 2, "case_number": "（2026）内0206民初7号", "year": 2026, "court_code": "内0206",
         "type_code": "民初", "sequence": 7}
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.xls", b"\xd0\xcf\x11\xe0", "仅支持 .xlsx 或 .csv 文件"),
        ("cases.pdf", b"%PDF-1.4", "仅支持 .xlsx 或 .csv 文件"),
        ("cases.xlsx", b"just text", "内容不是 Excel 工作簿"),
        ("cases.xlsx", b"PK\x03\x04garbage", "无法读取该 Excel 文件"),
        ("cases.csv", b"PK\x03\x04\x00\x00", "内容不是文本"),
        ("cases.csv", b"", "文件为空"),
        ("cases.csv", "案由,承办法官\n借款,李敏\n".encode(), "表头缺少“案号”列"),
        ("cases.csv", "案号,案号\n1,2\n".encode(), "表头中“案号”列重复"),
        ("cases.csv", b"\n\n", "第 1 行应为表头"),
        ("cases.csv", "案号\n".encode(), "没有数据行"),
        ("cases.csv", ("案号\n" + "x" * 200_000).encode(), "CSV 文件格式不正确（第 2 行附近）"),
    ],
)
def test_bad_files_are_refused_with_nothing_written(
    world: World, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        _validate(world, content, name=name)
    assert message in info.value.message
    assert CaseImport.objects.count() == 0
    assert CourtCase.objects.count() == 0


def test_size_limit(world: World, settings: Any) -> None:
    settings.YOUJIE_MAX_UPLOAD_BYTES = 2048
    content = csv_bytes([["（2026）内0206民初1号", "x" * 3000]], header=["案号", "案由"])
    with pytest.raises(ValidationFailed) as info:
        _validate(world, content, name="cases.csv")
    assert "文件过大" in info.value.message
    assert CaseImport.objects.count() == 0


def test_row_limit(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [[f"（2026）内0206民初{n}号"] for n in range(1, 5)]
    for content, name in [
        (csv_bytes(rows, header=["案号"]), "a.csv"),
        (xlsx_bytes(rows, header=["案号"]), "a.xlsx"),
    ]:
        with pytest.raises(ValidationFailed) as info:
            _validate(world, content, name=name)
        assert "超过上限 3 行" in info.value.message
    assert CaseImport.objects.count() == 0


def test_a_court_without_court_code_cannot_be_imported_for(world: World) -> None:
    with pytest.raises(ValidationFailed):
        case_import_validate(
            actor=None, court=world.civil_division, file_name="a.csv", content=b"x"
        )


def test_errors_block_the_run_unless_valid_rows_are_chosen(world: World) -> None:
    case_import = _validate(world, xlsx_bytes([GOOD_1, BAD_JUDGE]))

    with pytest.raises(ValidationFailed) as info:
        case_import_run(actor=world.receptionist, case_import=case_import, import_valid_rows=False)
    assert info.value.code == "import_has_errors"
    assert CourtCase.objects.count() == 0
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.VALIDATED

    done = case_import_run(
        actor=world.receptionist, case_import=case_import, import_valid_rows=True
    )
    assert done.status == ImportStatus.DONE
    assert (done.processed_rows, done.created_count, done.updated_count) == (1, 1, 0)
    assert list(CourtCase.objects.values_list("case_number", flat=True)) == [
        "（2026）内0206民初1号"
    ]
    verbs = [event.verb for event in timeline_for(done)]
    assert verbs == ["validated", "started", "finished"]


def test_run_imports_every_field_and_writes_events(world: World) -> None:
    case_import = _validate(world, xlsx_bytes([GOOD_1, GOOD_2]))
    done = case_import_run(
        actor=world.receptionist, case_import=case_import, import_valid_rows=False
    )

    assert (done.created_count, done.updated_count, done.unchanged_count) == (2, 0, 0)
    done.refresh_from_db()
    assert done.rows == []  # the staging copy is dropped once imported
    case = CourtCase.objects.get(case_number="（2026）内0206民初2号")
    assert case.court == world.court
    assert (case.year, case.court_code, case.type_code, case.sequence) == (
        2026,
        "内0206",
        "民初",
        2,
    )
    assert case.division == world.civil_division
    assert case.judge == world.other_judge
    assert case.clerk is None
    assert case.filed_on == dt.date(2026, 2, 3)
    assert case.judgment_date == dt.date(2026, 3, 4)
    assert case.closed_on == dt.date(2026, 3, 20)
    assert case.stage == CaseStage.CLOSED
    assert case.appealed is True
    assert case.amount == Decimal("1234.50")
    assert [(p.role, p.name, p.person_id) for p in case.parties.all()] == [
        ("plaintiff", "王五", None),
        ("defendant", "赵六", None),
    ]
    events = list(timeline_for(case))
    assert [(e.verb, e.actor_id, e.data["import_id"]) for e in events] == [
        ("imported", world.receptionist.pk, done.pk)
    ]


def test_reimport_updates_instead_of_duplicating(world: World) -> None:
    first = _validate(world, xlsx_bytes([GOOD_1, GOOD_2]))
    case_import_run(actor=world.receptionist, case_import=first, import_valid_rows=False)
    case = CourtCase.objects.get(case_number="（2026）内0206民初1号")
    party = case.parties.get(name="张三")

    changed = list(GOOD_1)
    changed[8] = "已判决"
    changed[11] = "原告:张三;被告:某某有限公司"  # 李四 withdrawn
    second = _validate(world, xlsx_bytes([changed, GOOD_2]))
    done = case_import_run(actor=world.receptionist, case_import=second, import_valid_rows=False)

    assert (done.created_count, done.updated_count, done.unchanged_count) == (0, 1, 1)
    assert CourtCase.objects.count() == 2
    case.refresh_from_db()
    assert case.stage == CaseStage.JUDGED
    assert [p.name for p in case.parties.all()] == ["张三", "某某有限公司"]
    assert not CaseParty.objects.filter(pk=party.pk).exists()  # parties are replaced
    updated = [e for e in timeline_for(case) if e.verb == "updated_by_import"]
    assert len(updated) == 1
    assert sorted(updated[0].data["changed"]) == ["parties", "stage"]
    other = CourtCase.objects.get(case_number="（2026）内0206民初2号")
    assert [e.verb for e in timeline_for(other)] == ["imported"]  # unchanged: no event


def test_absent_columns_leave_fields_unchanged(world: World) -> None:
    first = _validate(world, xlsx_bytes([GOOD_1]))
    case_import_run(actor=None, case_import=first, import_valid_rows=False)
    content = csv_bytes([["（2026）内0206民初1号", "已结案"]], header=["案号", "阶段"])
    second = _validate(world, content, name="stage.csv")
    case_import_run(actor=None, case_import=second, import_valid_rows=False)

    case = CourtCase.objects.get()
    assert case.stage == CaseStage.CLOSED
    assert case.judge == world.judge
    assert case.cause == "民间借贷纠纷"
    assert case.parties.count() == 3


def test_links_to_persons_survive_a_reimport(world: World) -> None:
    from youjie.people.models import Person

    first = _validate(world, xlsx_bytes([GOOD_1]))
    case_import_run(actor=None, case_import=first, import_valid_rows=False)
    person = Person.objects.create(name="张三", owner_unit=world.court)
    CaseParty.objects.filter(name="张三").update(person=person)
    changed = list(GOOD_1)
    changed[11] = "原告:张三;被告:王二"
    second = _validate(world, xlsx_bytes([changed]))
    case_import_run(actor=None, case_import=second, import_valid_rows=False)

    parties = list(CourtCase.objects.get().parties.values_list("name", "person_id"))
    assert parties == [("张三", person.pk), ("王二", None)]


def test_batches_advance_progress(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from youjie.courtcases import services

    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    rows = [[f"（2026）内0206民初{n}号"] for n in range(1, 6)]
    case_import = _validate(world, csv_bytes(rows, header=["案号"]), name="a.csv")
    seen: list[int] = []
    done = case_import_run(
        actor=None, case_import=case_import, import_valid_rows=False, progress=seen.append
    )
    assert seen == [2, 2, 1]
    assert (done.processed_rows, done.created_count) == (5, 5)
    assert CourtCase.objects.count() == 5


def test_a_run_cannot_be_repeated_or_run_after_cancel(world: World) -> None:
    case_import = _validate(world, xlsx_bytes([GOOD_1]))
    case_import_run(actor=None, case_import=case_import, import_valid_rows=False)
    with pytest.raises(InvalidTransition):
        case_import_run(actor=None, case_import=case_import, import_valid_rows=False)

    other = _validate(world, xlsx_bytes([GOOD_2]))
    case_import_cancel(actor=world.receptionist, case_import=other)
    with pytest.raises(InvalidTransition):
        case_import_start(actor=world.receptionist, case_import=other, import_valid_rows=False)
    assert CourtCase.objects.count() == 1


def test_start_queues_and_the_task_runs_after_commit(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    case_import = _validate(world, xlsx_bytes([GOOD_1, BAD_JUDGE]))
    with pytest.raises(ValidationFailed):
        case_import_start(
            actor=world.receptionist, case_import=case_import, import_valid_rows=False
        )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = case_import_start(
            actor=world.receptionist, case_import=case_import, import_valid_rows=True
        )
        assert queued.status == ImportStatus.QUEUED
        assert CourtCase.objects.count() == 0  # nothing before the commit
    assert len(callbacks) == 1
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.DONE
    assert case_import.import_valid_rows is True
    assert CourtCase.objects.count() == 1
    verbs = list(
        Event.objects.filter(subject_type="courtcases.caseimport").values_list("verb", flat=True)
    )
    assert verbs == ["validated", "queued", "started", "finished"]


def test_a_failing_batch_marks_the_import_failed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from youjie.courtcases import services

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_import_batch", explode)
    case_import = _validate(world, xlsx_bytes([GOOD_1]))
    with pytest.raises(RuntimeError):
        case_import_run(actor=None, case_import=case_import, import_valid_rows=False)
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.FAILED
    assert case_import.failure_reason == "导入中断：RuntimeError"
    assert case_import.rows  # kept, so that the import can be run again

    monkeypatch.undo()
    done = case_import_run(actor=None, case_import=case_import, import_valid_rows=False)
    assert done.status == ImportStatus.DONE
    assert CourtCase.objects.count() == 1


def test_an_xlsx_that_inflates_too_much_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "MAX_XLSX_EXPANDED_BYTES", 1000)
    with pytest.raises(ValidationFailed) as info:
        _validate(world, xlsx_bytes([GOOD_1]))
    assert "解压后内容过大" in info.value.message


def test_odd_excel_cell_types_are_row_errors_not_crashes(world: World) -> None:
    row: list[Any] = [
        "（2026）内0206民初1号", 12345, None, None, None, 46000, dt.time(12, 0), True,
        3.5, 1, -5, 42,
    ]  # fmt: skip
    case_import = _validate(world, xlsx_bytes([row]))
    reason = case_import.errors[0]["reason"]
    assert "立案日期“46000”不是有效日期" in reason
    assert "阶段“3.5”不正确" in reason
    assert "标的额应为不小于 0 的数字" in reason
    assert "当事人“42”格式不正确" in reason


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=13), min_size=1, max_size=5),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
)
def test_arbitrary_csv_content_never_crashes(
    world: World, body: list[list[str]], encoding: str
) -> None:
    content = csv_bytes(body).decode().encode(encoding, errors="replace")
    try:
        case_import = _validate(world, content, name="fuzz.csv")
    except ValidationFailed:
        return
    assert case_import.total_rows == len(case_import.rows) + len(case_import.errors)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=200), name=st.sampled_from(["a.csv", "a.xlsx"]))
def test_arbitrary_bytes_never_crash(world: World, content: bytes, name: str) -> None:
    prefix = b"PK\x03\x04" if name.endswith(".xlsx") else b""
    with contextlib.suppress(ValidationFailed):
        _validate(world, prefix + content, name=name)


# --- an import whose worker went away (case_imports_recover) ---------------------------------


def _age(case_import: CaseImport, minutes: int) -> None:
    """As if the import's last change (a batch, its start, its queueing) was that long ago."""
    CaseImport.objects.filter(pk=case_import.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=minutes)
    )


def _left_running(case_import: CaseImport, minutes: int) -> None:
    """As if a worker took the import and died before its first batch, ``minutes`` ago."""
    CaseImport.objects.filter(pk=case_import.pk).update(status=ImportStatus.RUNNING)
    _age(case_import, minutes)


def _verbs(case_import: CaseImport) -> list[str]:
    return [event.verb for event in timeline_for(case_import)]


def test_a_run_without_progress_for_too_long_is_failed_and_can_be_run_again(
    world: World, settings: Any
) -> None:
    settings.YOUJIE_IMPORT_STALL_MINUTES = 15
    case_import = _validate(world, xlsx_bytes([GOOD_1, GOOD_2]))
    _left_running(case_import, 14)
    assert case_imports_recover() == {"failed": 0, "requeued": 0}  # not yet: it may be working
    _age(case_import, 16)
    assert case_imports_recover() == {"failed": 1, "requeued": 0}
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.FAILED
    assert "超过15分钟没有进展" in case_import.failure_reason
    assert case_import.rows  # kept for the next run
    failed = list(timeline_for(case_import))[-1]
    assert (failed.verb, failed.from_state, failed.to_state) == ("failed", "running", "failed")
    assert failed.actor_id is None and failed.reason == case_import.failure_reason
    assert case_imports_recover() == {"failed": 0, "requeued": 0}  # once only

    done = case_import_run(actor=None, case_import=case_import, import_valid_rows=False)
    assert done.status == ImportStatus.DONE
    assert CourtCase.objects.count() == 2
    assert _verbs(case_import) == ["validated", "failed", "started", "finished"]


def test_a_queued_import_whose_task_was_lost_is_queued_again_and_runs(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.YOUJIE_IMPORT_STALL_MINUTES = 15
    case_import = _validate(world, xlsx_bytes([GOOD_1]))
    with django_capture_on_commit_callbacks(execute=False):  # the task never reaches a worker
        case_import_start(
            actor=world.receptionist, case_import=case_import, import_valid_rows=False
        )
    _age(case_import, 20)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert case_imports_recover() == {"failed": 0, "requeued": 1}
    assert len(callbacks) == 1
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.DONE
    assert CourtCase.objects.count() == 1
    assert _verbs(case_import) == ["validated", "queued", "requeued", "started", "finished"]


def test_a_run_declared_interrupted_while_it_goes_on_stops_without_writing_its_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from youjie.courtcases import services

    case_import = _validate(world, xlsx_bytes([GOOD_1]))
    original = services._known_foreign_keys

    def stalled(*args: Any, **kwargs: Any) -> Any:
        # The run has started; before its first batch commits, the sweep (another process)
        # finds no progress for too long and fails the import.
        _age(case_import, 60)
        assert case_imports_recover() == {"failed": 1, "requeued": 0}
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_known_foreign_keys", stalled)
    with pytest.raises(services.ImportSuperseded):
        case_import_run(actor=None, case_import=case_import, import_valid_rows=False)
    case_import.refresh_from_db()
    assert case_import.status == ImportStatus.FAILED
    assert case_import.processed_rows == 0
    assert CourtCase.objects.count() == 0  # the batch was rolled back with the refused update
    assert _verbs(case_import) == ["validated", "started", "failed"]


def test_the_periodic_sweep_recovers_once_per_tick(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from youjie.core.ticks import claim_tick
    from youjie.courtcases import tasks

    settings.YOUJIE_IMPORT_STALL_MINUTES = 15
    moment = timezone.now()  # both firings fall in this tick, whenever the test runs
    monkeypatch.setattr(
        tasks, "claim_tick", lambda job, minutes: claim_tick(job, moment=moment, minutes=minutes)
    )
    first = _validate(world, xlsx_bytes([GOOD_1]))
    _left_running(first, 30)
    tasks.case_imports_recover_task.call_local()
    first.refresh_from_db()
    assert first.status == ImportStatus.FAILED
    # A second consumer firing in the same five-minute tick does nothing.
    second = _validate(world, xlsx_bytes([GOOD_2]))
    _left_running(second, 30)
    tasks.case_imports_recover_task.call_local()
    second.refresh_from_db()
    assert second.status == ImportStatus.RUNNING
