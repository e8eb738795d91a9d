"""Shared fixtures of the exports tests: a frozen Monday, the exports and media folders in the
test's temporary directory, and helpers that export a list and read the workbook back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from youjie.core.models import AuditEntry
from youjie.exports.workbook import XLSX
from youjie.orgs.models import User

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, a working day, in the bundled 2026 calendar.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def folders(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_EXPORTS_DIR = str(tmp_path / "exports")
    settings.YOUJIE_OTP_ENFORCED = False
    return tmp_path / "exports"


def client_for(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def export(user: User, name: str, query: dict[str, Any] | None = None) -> Any:
    """The list ``name`` exported by ``user`` (a 200 with the .xlsx), as an openpyxl sheet."""
    response = client_for(user).get(reverse("exports:export", args=[name]), query or {})
    assert response.status_code == 200, response.content.decode()[:600]
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(BytesIO(response.content)).active


def cells(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def data(sheet: Any) -> list[tuple[Any, ...]]:
    """The rows below the header (row 4 on)."""
    return cells(sheet)[3:]


def column(sheet: Any, header: str) -> list[Any]:
    headers = list(cells(sheet)[2])
    index = headers.index(header)
    return [row[index] for row in data(sheet)]


def check_layout(sheet: Any, *, title: str, unit: str, filters: str, exported_by: str) -> None:
    """The office layout: title row (list, court or office, time), the filters row, the header
    frozen below them, widths set."""
    rows = cells(sheet)
    assert rows[0][0].startswith(title)
    assert unit in rows[0][0] and "导出时间：2026-11-23 09:00" in rows[0][0]
    assert f"筛选条件：{filters}" in rows[1][0] and f"导出人：{exported_by}" in rows[1][0]
    assert sheet.freeze_panes == "A4"
    assert sheet["A1"].font.b and sheet["A3"].font.b
    assert all(value for value in rows[2])  # every column has its header
    assert sheet.column_dimensions["A"].width > 8
    assert sheet.auto_filter.ref.startswith("A3:")


def last_audit(user: User, action: str = "export_list") -> AuditEntry:
    entry: AuditEntry | None = (
        AuditEntry.objects.filter(actor=user, action=action).order_by("-id").first()
    )
    assert entry is not None, f"no {action} audit entry for {user}"
    return entry
