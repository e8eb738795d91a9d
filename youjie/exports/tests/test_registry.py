"""The registry: every staff list is declared by its own app's exports.py and found at start-up;
each names its page, its gate and columns an office worker can read; the filters in words."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from youjie.core.errors import NotFound
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    export_list_get,
    filters_text,
    register_export,
    registered,
    unregister_export,
)

EXPECTED = {
    "courtcases.cases",
    "courtcases.hearings",
    "desk.division_queue",
    "desk.intake_queue",
    "desk.my_queue",
    "desk.overdue",
    "desk.priority",
    "desk.search",
    "desk.supervised",
    "fees.notices",
    "filings.filings",
    "mediation.mediations",
    "people.persons",
    "petitions.aid",
    "petitions.matters",
}


def test_every_staff_list_is_registered_by_its_own_app():
    found = {export_list.name: export_list for export_list in registered()}
    assert set(found) == EXPECTED
    for name, export_list in found.items():
        app = name.split(".")[0]
        # Declared in the app's own exports.py (autodiscovered), not in this app.
        assert export_list.select.__module__ == f"youjie.{app}.exports"
        assert reverse(export_list.page)  # the list page it comes from
        assert reverse("exports:export", args=[name]) == f"/exports/{name}.xlsx"
        assert not export_list.may_export(AnonymousUser())
        headers = [column.header for column in export_list.columns]
        assert len(headers) == len(set(headers)) >= 5
        assert all(4 <= column.width <= 60 for column in export_list.columns)


def test_personal_data_columns_are_masked_columns():
    masked = {
        export_list.name: [column.header for column in export_list.masked_columns]
        for export_list in registered()
    }
    assert masked["people.persons"] == ["身份证号", "手机号码"]
    assert masked["filings.filings"] == ["提交人手机"]
    assert masked["fees.notices"] == ["联系电话"]
    assert masked["desk.my_queue"] == ["联系电话"]
    assert masked["petitions.matters"] == ["信访人（身份证号）"]
    assert masked["courtcases.cases"] == []


def test_an_unknown_list_is_not_found():
    with pytest.raises(NotFound, match="没有这个可导出的清单"):
        export_list_get("nothing.here")


def test_registering_again_replaces():
    example = ExportList(
        name="zz.example",
        title="示例",
        columns=(Column("名称", str),),
        select=lambda user, params: Selection(rows=None, filters="全部"),  # type: ignore[arg-type]
        may_export=lambda user: False,
        page="home",
    )
    try:
        register_export(example)
        register_export(example)
        assert [item.name for item in registered()].count("zz.example") == 1
        assert export_list_get("zz.example").counter == "条"
    finally:
        unregister_export("zz.example")
    assert "zz.example" not in {item.name for item in registered()}


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部"), ("open", "办理中")], required=False
    )
    overdue = forms.BooleanField(label="仅看超期", required=False)
    q = forms.CharField(label="关键词", required=False)
    day = forms.DateField(label="登记日期", required=False)


def test_filters_in_words():
    form = FilterForm({"status": "open", "overdue": "on", "q": "借款", "day": "2026-11-23"})
    assert form.is_valid()
    assert filters_text(form) == "状态：办理中；仅看超期：是；关键词：借款；登记日期：2026-11-23"
    assert filters_text(form, skip=("q",), shown={"status": "在办"}) == (
        "状态：在办；仅看超期：是；登记日期：2026-11-23"
    )
    empty = FilterForm({})
    assert empty.is_valid() and filters_text(empty) == "全部"
    assert Kind.DECIMAL.value == "decimal"
