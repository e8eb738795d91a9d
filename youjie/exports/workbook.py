"""The .xlsx of a staff list, as an office worker would lay it out.

One sheet: the title row (the list, the court or office, the export time), a row stating the
filters and the masking, the header row frozen below them (bold, filtered, repeated on every
printed page), then one row per record: dates as dates, times as Beijing times, whole numbers and
money as numbers with their formats, personal data masked unless the column's rule allows the
full value. Every row goes through ``core.spreadsheets.safe_row`` (text that a spreadsheet would
run stays text), and text a sheet cannot hold (control characters) is dropped.

openpyxl's write-only mode streams the rows to a temporary file, so a 100,000-row export holds
one row in memory at a time; openpyxl is imported inside the functions (a worker must not load
it at start-up: youjie/core/tests/test_worker_memory.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone

from youjie.core.spreadsheets import safe_cell, safe_row
from youjie.exports.registry import Column, Kind
from youjie.orgs.models import User

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 500  # rows read from the database at once; progress is reported after each chunk
HEADER_ROW = 3  # title, filters, header: the data start on row 4
TEXT_MAX = 32_767  # the most characters an Excel cell holds
FORMATS = {
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm",
    Kind.NUMBER: "#,##0",
    Kind.DECIMAL: "#,##0.00",
}
# XML 1.0 refuses these (openpyxl raises IllegalCharacterError): a pasted form feed in a title
# must not fail an export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")


@dataclass(frozen=True)
class Heading:
    """What the two rows above the header say."""

    title: str  # the list: "法院案件清单"
    unit: str  # the court or office: "白云鄂博矿区人民法院"
    exported_at: datetime
    exported_by: str
    filters: str  # "阶段：审理中；年度：2026" or "全部"


@dataclass
class Written:
    rows: int = 0
    # Headers of the masked columns whose full value went into at least one row.
    unmasked: list[str] = field(default_factory=list)


def unmaskable(columns: Iterable[Column], user: User) -> list[Column]:
    """The masked columns whose full value ``user``'s role may have (each row may still narrow
    it: ``Column.unmask_row``)."""
    return [
        column
        for column in columns
        if column.kind is Kind.MASKED and column.unmask is not None and column.unmask(user)
    ]


def masking_note(columns: Iterable[Column], user: User) -> str:
    columns = list(columns)
    if not any(column.kind is Kind.MASKED for column in columns):
        return ""
    full = unmaskable(columns, user)
    if not full:
        return "个人信息已脱敏"
    headers = "、".join(column.header for column in full)
    return f"含完整个人信息（{headers}，按本人权限），请妥善保管，不得外传"


def _text(value: object) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return _ILLEGAL.sub("", str(value))[:TEXT_MAX]


def _local(value: datetime) -> datetime:
    """Excel has no time zones: the Beijing wall-clock time, naive."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _typed(kind: Kind, value: object) -> object:
    """The value as the column's kind stores it, or None for an empty cell."""
    if value is None or value == "":
        return None
    if kind is Kind.DATETIME and isinstance(value, datetime):
        return _local(value)
    if kind is Kind.DATE:
        if isinstance(value, datetime):
            return _local(value).date()
        if isinstance(value, date):
            return value
    if kind is Kind.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is Kind.DECIMAL and isinstance(value, Decimal | int) and not isinstance(value, bool):
        return value
    return _text(value)


def _cell(sheet: Any, value: object, *, number_format: str = "", style: str = "") -> object:
    """A write-only cell with its format and style (formula-like text kept as text)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    cell: Any = safe_cell(sheet, value)
    if cell is value:  # not formula-like: a plain value, or a new cell for its format and style
        if not number_format and not style:
            return value
        cell = WriteOnlyCell(sheet, value=value)
    if number_format:
        cell.number_format = number_format
    if style == "title":
        cell.font = Font(bold=True, size=14)
    elif style == "note":
        cell.font = Font(color="555555")
    elif style == "header":
        thin = Side(style="thin", color="999999")
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    return cell


def _row_cells(
    sheet: Any, columns: list[Column], full: set[int], row: Any, user: User, written: Written
) -> list[object]:
    cells: list[object] = []
    for index, column in enumerate(columns):
        value = column.value(row)
        if (
            index in full
            and column.full is not None
            and (column.unmask_row is None or column.unmask_row(user, row))
        ):
            value = column.full(row)
            if value and column.header not in written.unmasked:
                written.unmasked.append(column.header)
        typed = _typed(column.kind, value)
        number_format = FORMATS.get(column.kind, "") if typed is not None else ""
        if isinstance(typed, str):
            number_format = ""
        cells.append(_cell(sheet, typed, number_format=number_format))
    return cells


def sheet_title(title: str) -> str:
    return _SHEET_TITLE_ILLEGAL.sub("", title)[:31] or "清单"


def write_workbook(
    target: str | IO[bytes],
    *,
    columns: Iterable[Column],
    heading: Heading,
    rows: Iterable[Any],
    user: User,
    progress: Callable[[int], None] | None = None,
    chunk: int = CHUNK_ROWS,
) -> Written:
    """Write the list to ``target`` (a path or a binary file); ``progress(rows so far)`` after
    every ``chunk`` rows. Returns how many rows were written and which columns went out in full."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    columns = list(columns)
    allowed = [id(column) for column in unmaskable(columns, user)]
    full = {index for index, column in enumerate(columns) if id(column) in allowed}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(heading.title))
    # Set before the first row: write-only sheets write their head when the first row comes.
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    exported = _local(heading.exported_at)
    title = f"{heading.title}　{heading.unit}　导出时间：{exported:%Y-%m-%d %H:%M}"
    sheet.append(safe_row(sheet, [_cell(sheet, title.strip(), style="title")]))
    notes = [f"筛选条件：{heading.filters}", masking_note(columns, user)]
    notes.append(f"导出人：{heading.exported_by}")
    line = "；".join(_text(note) for note in notes if note)
    sheet.append(safe_row(sheet, [_cell(sheet, line, style="note")]))
    sheet.append(
        safe_row(sheet, [_cell(sheet, column.header, style="header") for column in columns])
    )
    written = Written()
    for row in rows:
        sheet.append(safe_row(sheet, _row_cells(sheet, columns, full, row, user, written)))
        written.rows += 1
        if progress is not None and written.rows % chunk == 0:
            progress(written.rows)
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(written.rows, 1)}"
    workbook.save(target)
    if progress is not None:
        progress(written.rows)
    return written
