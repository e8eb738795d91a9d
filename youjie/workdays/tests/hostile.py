"""The working-day calendar's cases for the hostile-input sweeps (tests/hostile/cases.py says
what goes here): the holiday-schedule editor and the deadline calculator's query."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.hostile.cases import ApiWorld, Case, FormSpec, HostileCases, PathValues, Query, World
from youjie.workdays.forms import CalendarYearForm, DeadlineCalculatorForm
from youjie.workdays.models import CalendarDay, CalendarYear


def path_values(world: World) -> PathValues:
    years = ["2026", "1900", "2100"]  # the package's own year, and either end of the range
    return {
        ("workdays:year", "year"): years,
        ("workdays:year_edit", "year"): years,
        ("workdays:year_delete", "year"): years,
    }


def query_combinations(world: World) -> list[Query]:
    """The deadline calculator at the end of its range."""
    return [
        [("start", "2100-12-31"), ("days", "3650"), ("unit", "workdays"), ("preset", "")],
        [("start", "2100-12-31"), ("days", "3650"), ("unit", "calendar_days"), ("end", "abc")],
    ]


def form_specs(world: World) -> list[FormSpec]:
    return [
        FormSpec(
            name="workdays:year_edit",
            persona="administrator",
            url="/calendar/2027/edit/",
            base={"source": "国办发明电〔2026〕1号", "holidays": "2027-01-01 元旦", "workdays": ""},
            form=lambda data, files: CalendarYearForm(data, year=2027),
            extra=[
                Case("impossible date", {"holidays": "2027-13-40 元旦"}),
                Case("another year", {"holidays": "2028-01-01 元旦"}),
                Case("10月32日", {"holidays": "10月32日 国庆节"}),
                Case("reversed range", {"holidays": "2027-10-07至2027-10-01 国庆节"}),
                Case("holiday and workday at once", {"workdays": "2027-01-01"}),
                Case("1,000 lines", {"holidays": "\n".join(["2027-01-01 元旦"] * 1000)}),
                Case("year out of range", {}, url="/calendar/99999/edit/"),
            ],
        ),
    ]


def admin_rows(world: World) -> None:
    calendar_year, _ = CalendarYear.objects.get_or_create(year=2031, defaults={"source": "测试"})
    CalendarDay.objects.get_or_create(
        date=date(2031, 1, 1), defaults={"calendar_year": calendar_year, "kind": "holiday"}
    )


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {"workdays.CalendarYear": {"year": "2032", "source": "国务院办公厅通知"}}


def api_build(world: ApiWorld) -> None:
    world.inside.update(year=2026)


CASES = HostileCases(
    users=("administrator",),
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(DeadlineCalculatorForm,),
    query_combinations=query_combinations,
    unresolvable=("/calendar/-2026/",),
    body_ignored={
        "workdays:year_delete": "administrator",  # a confirmation button
        "workdays:index": "receptionist",
        "workdays:year": "receptionist",
    },
    admin_rows=admin_rows,
    admin_add_data=admin_add_data,
    api_build=api_build,
)
