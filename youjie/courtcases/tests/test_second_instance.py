"""The case list's 二审结果 column (present, absent, blank, bad) and the list's drill-down filters
that the court figures link to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.timeline import timeline_for
from youjie.courtcases.choices import SecondInstanceResult
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.services import case_import_run, case_import_validate
from youjie.courtcases.tests.factories import World, csv_bytes, make_case
from youjie.courtcases.views import describe_event

HEADER = ["案号", "案由", "是否上诉", "二审结果"]


def _import(world: World, rows: list[list[Any]], header: list[str] = HEADER) -> CaseImport:
    case_import = case_import_validate(
        actor=world.receptionist,
        court=world.court,
        file_name="cases.csv",
        content=csv_bytes(rows, header=header),
    )
    if not case_import.valid_rows:
        return case_import
    return case_import_run(
        actor=world.receptionist, case_import=case_import, import_valid_rows=True
    )


def _result(number: int) -> str:
    return CourtCase.objects.get(case_number=f"（2026）内0206民初{number}号").second_instance_result


def test_the_column_is_stored_by_label_value_or_a_common_wording(world: World) -> None:
    case_import = _import(
        world,
        [
            ["（2026）内0206民初1号", "借款", "是", "改判"],
            ["（2026）内0206民初2号", "借款", "是", "发回重审"],
            ["（2026）内0206民初3号", "借款", "是", "维持原判"],
            ["（2026）内0206民初4号", "借款", "是", "withdrawn"],
            ["（2026）内0206民初5号", "借款", "是", "驳回上诉,维持原判"],
            ["（2026）内0206民初6号", "借款", "否", ""],
        ],
    )
    assert case_import.errors == []
    assert [_result(n) for n in range(1, 7)] == [
        SecondInstanceResult.REVERSED,
        SecondInstanceResult.REMANDED,
        SecondInstanceResult.AFFIRMED,
        SecondInstanceResult.WITHDRAWN,
        SecondInstanceResult.AFFIRMED,
        "",
    ]


def test_an_update_changes_the_result_and_says_so(world: World) -> None:
    _import(world, [["（2026）内0206民初1号", "借款", "是", ""]])
    _import(world, [["（2026）内0206民初1号", "借款", "是", "发回重审"]])
    case = CourtCase.objects.get()
    assert case.second_instance_result == SecondInstanceResult.REMANDED
    [update] = [event for event in timeline_for(case) if event.verb == "updated_by_import"]
    assert update.data["changed"] == ["second_instance_result"]
    assert describe_event(update) == "案件清单导入时更新：二审结果"
    # A blank cell in the column clears it (the appeal's result was withdrawn from the export).
    _import(world, [["（2026）内0206民初1号", "借款", "是", ""]])
    assert _result(1) == ""


def test_a_file_without_the_column_leaves_the_result_unchanged(world: World) -> None:
    _import(world, [["（2026）内0206民初1号", "借款", "是", "改判"]])
    case_import = _import(
        world, [["（2026）内0206民初1号", "买卖合同纠纷"]], header=["案号", "案由"]
    )
    assert case_import.updated_count == 1
    case = CourtCase.objects.get()
    assert (case.cause, case.second_instance_result) == ("买卖合同纠纷", "reversed")


@pytest.mark.parametrize(
    ("appealed", "result", "reason"),
    [
        (
            "是",
            "二审改了",
            "二审结果“二审改了”不正确，应为：维持、改判、发回重审、撤回上诉、其他，或留空",
        ),
        ("是", "x" * 500, "二审结果“xxxxxxxxxxxxxxxxxxxx”不正确"),
        ("否", "改判", "是否上诉为“否”，却填写了二审结果"),
    ],
)
def test_a_bad_value_refuses_that_row_only(
    world: World, appealed: str, result: str, reason: str
) -> None:
    case_import = _import(
        world,
        [
            ["（2026）内0206民初1号", "借款", "是", "改判"],
            ["（2026）内0206民初2号", "借款", appealed, result],
        ],
    )
    assert [error["row"] for error in case_import.errors] == [3]
    assert reason in case_import.errors[0]["reason"]
    assert list(CourtCase.objects.values_list("sequence", flat=True)) == [1]


# --- the list's drill-down filters ------------------------------------------------------------


def _listed(world: World, user: Any, query: dict[str, Any]) -> set[int]:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("courtcases:list"), query)
    assert response.status_code == 200
    return {case.sequence for case in response.context["page"].items}


def _dated(case: CourtCase, **fields: Any) -> None:
    CourtCase.objects.filter(pk=case.pk).update(**fields)


def test_drill_down_filters(world: World) -> None:
    day = dt.date
    for number in range(1, 7):
        make_case(world, number, judge=world.judge if number % 2 else world.other_judge)
    _dated(CourtCase.objects.get(sequence=1), filed_on=day(2026, 1, 5), closed_on=day(2026, 3, 1),
           appealed=True, second_instance_result="reversed")  # fmt: skip
    _dated(CourtCase.objects.get(sequence=2), filed_on=day(2026, 2, 5), closed_on=day(2026, 3, 31),
           appealed=True, second_instance_result="affirmed")  # fmt: skip
    _dated(CourtCase.objects.get(sequence=3), filed_on=day(2025, 8, 31), closed_on=day(2026, 3, 1))
    _dated(CourtCase.objects.get(sequence=4), filed_on=day(2025, 9, 1))
    _dated(CourtCase.objects.get(sequence=5), filed_on=day(2026, 3, 10), petitioned=True)
    CourtCase.objects.filter(sequence=6).update(type_code="诉前调", filed_on=day(2026, 3, 2))
    leader = world.court_leader
    march = {"closed_from": "2026-03-01", "closed_to": "2026-03-31"}
    assert _listed(world, leader, march) == {1, 2, 3}
    assert _listed(world, leader, {**march, "appealed": "1"}) == {1, 2}
    assert _listed(world, leader, {**march, "result": "reversed_or_remanded"}) == {1}
    assert _listed(world, leader, {**march, "over_limit": "1"}) == {3}  # 6 months by 02-28
    assert _listed(world, leader, {**march, "judge": world.judge.pk}) == {1, 3}
    assert _listed(world, leader, {"over_limit_on": "2026-03-31"}) == {4}  # open since 2025-09-01
    assert _listed(world, leader, {"filed_to": "2026-02-28", "open_on": "2026-03-01"}) == {
        1, 2, 3, 4,
    }  # fmt: skip
    assert _listed(world, leader, {"filed_from": "2026-03-01", "litigation_only": "1"}) == {5}
    assert _listed(world, leader, {"petitioned": "1", "first_instance": "1"}) == {5}
    assert _listed(world, leader, {"division": world.civil_division.pk, **march}) == {1, 2, 3}
    assert _listed(world, leader, {"division": world.reception_division.pk, **march}) == set()
    # Another division's head sees none of it, whatever the filters say.
    assert _listed(world, world.other_receptionist, march) == set()


@pytest.mark.parametrize(
    "query",
    [
        {"filed_from": "0001-01-01"},
        {"over_limit_on": "0001-01-01"},
        {"over_limit_on": "9999-12-31"},
        {"division": "9" * 40},
        {"result": "nope"},
        {"closed_to": "2026-13-40"},
    ],
)
def test_bad_drill_down_values_are_ignored_with_a_message(
    world: World, query: dict[str, str]
) -> None:
    make_case(world, 1, judge=world.judge)
    client = Client()
    client.force_login(world.court_leader)
    response = client.get(reverse("courtcases:list"), query)
    assert response.status_code == 200
    assert response.context["drill"] is None
    assert response.context["form"].errors  # shown beside the field
