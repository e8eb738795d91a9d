"""The workbook itself: the layout, typed cells, masking by role and by record, text a
spreadsheet would run kept as text, characters a sheet cannot hold dropped, progress by chunk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from youjie.exports.registry import Column, Kind
from youjie.exports.workbook import Heading, masking_note, sheet_title, write_workbook

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    name: str
    id_masked: str
    id_full: str
    filed: date | None
    at: datetime
    count: int
    money: Decimal
    flag: bool
    shared: bool  # the record-level rule: may this one be shown in full?


COLUMNS = (
    Column("姓名", lambda row: row.name, width=12),
    Column(
        "身份证号",
        lambda row: row.id_masked,
        width=22,
        kind=Kind.MASKED,
        full=lambda row: row.id_full,
        unmask=lambda user: user.has_role("receptionist"),
        unmask_row=lambda user, row: row.shared,
    ),
    Column("立案日期", lambda row: row.filed, kind=Kind.DATE),
    Column("登记时间", lambda row: row.at, kind=Kind.DATETIME),
    Column("件数", lambda row: row.count, kind=Kind.NUMBER),
    Column("金额（元）", lambda row: row.money, kind=Kind.DECIMAL),
    Column("督办", lambda row: row.flag, width=6),
)
ROWS = [
    Row(
        "=cmd|' /C calc'!A0",
        "150206********0012",
        "150206198001010012",
        date(2026, 3, 2),
        datetime(2026, 11, 23, 1, 30, tzinfo=UTC),  # 09:30 in Beijing
        3,
        Decimal("1234.50"),
        True,
        True,
    ),
    Row(
        "王\x0b五\x00",
        "150206********0034",
        "150206198001010034",
        None,
        datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        0,
        Decimal("0.00"),
        False,
        False,
    ),
    Row(
        "@SUM(A1)",
        "",
        "",
        date(2026, 1, 5),
        datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
        7,
        Decimal("10"),
        False,
        True,
    ),
]


def write(user: Any, **kwargs: Any) -> tuple[Any, Any]:
    buffer = BytesIO()
    heading = Heading(
        title="测试清单",
        unit="白云鄂博矿区人民法院",
        exported_at=datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
        exported_by=user.get_full_name(),
        filters="+状态：已登记",  # a filter text is user input too
    )
    written = write_workbook(
        buffer, columns=COLUMNS, heading=heading, rows=ROWS, user=user, **kwargs
    )
    return written, load_workbook(BytesIO(buffer.getvalue())).active


def test_layout_types_and_formula_injection(court_leader):
    written, sheet = write(court_leader)
    assert written.rows == 3 and written.unmasked == []
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "测试清单　白云鄂博矿区人民法院　导出时间：2026-11-23 09:00"
    assert rows[1][0] == "筛选条件：+状态：已登记；个人信息已脱敏；导出人：刘志强"
    assert rows[2] == ("姓名", "身份证号", "立案日期", "登记时间", "件数", "金额（元）", "督办")
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:G6"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["B"].width == 22
    # Text a spreadsheet would run is stored as text, shown as typed.
    for cell in (sheet["A4"], sheet["A6"]):
        assert cell.data_type == "s" and cell.value in ("=cmd|' /C calc'!A0", "@SUM(A1)")
        assert cell.quotePrefix
    assert sheet["A5"].value == "王五"  # control characters dropped, not a failed export
    # Typed cells with their formats.
    assert sheet["C4"].value == datetime(2026, 3, 2) and sheet["C4"].number_format == "yyyy-mm-dd"
    assert sheet["C5"].value is None
    assert sheet["D4"].value == datetime(2026, 11, 23, 9, 30)  # Beijing wall-clock time
    assert sheet["D4"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["E4"].value == 3 and sheet["E4"].number_format == "#,##0"
    assert sheet["F4"].value == pytest.approx(1234.5) and sheet["F4"].number_format == "#,##0.00"
    assert sheet["G4"].value == "是" and sheet["G5"].value == "否"
    # Masked for a role that may not see full ID numbers.
    assert [row[1] for row in rows[3:]] == ["150206********0012", "150206********0034", None]


def test_full_values_by_role_and_by_record(receptionist):
    written, sheet = write(receptionist)
    ids = [row[1] for row in list(sheet.iter_rows(values_only=True))[3:]]
    # The role may see full numbers; the second record's own rule keeps it masked.
    assert ids == ["150206198001010012", "150206********0034", None]
    assert written.unmasked == ["身份证号"]
    assert "含完整个人信息（身份证号，按本人权限）" in sheet["A2"].value


def test_progress_after_each_chunk(court_leader):
    seen: list[int] = []
    write(court_leader, progress=seen.append, chunk=2)
    assert seen == [2, 3]


def test_the_masking_note_and_sheet_title(receptionist, court_leader):
    assert masking_note(COLUMNS[:1], court_leader) == ""
    assert masking_note(COLUMNS, court_leader) == "个人信息已脱敏"
    assert sheet_title("清单[一]/二:三*?" + "长" * 40) == ("清单一二三" + "长" * 26)


def test_a_masked_column_names_its_rule():
    with pytest.raises(ValueError, match="身份证号"):
        Column("身份证号", lambda row: row, kind=Kind.MASKED)
    with pytest.raises(ValueError, match="姓名"):
        Column("姓名", lambda row: row, full=lambda row: row, unmask=lambda user: True)
