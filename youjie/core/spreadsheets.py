"""Cells for every .xlsx the system writes: text that a spreadsheet would run stays text.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and WPS as a formula (or the start of one) when the file is opened or the cell edited:
a requester's name or a unit's title could then call out to the network or run a DDE command
(OWASP "CSV/formula injection"). Every workbook writer passes its rows through ``safe_row`` so
that such text is stored as a string with the quote-prefix style ("'" in Excel), shown exactly
as typed and never evaluated. Numbers, dates and empty cells pass through unchanged.

openpyxl is imported inside the functions: this module is imported by pages that only
sometimes export, and openpyxl (with lxml) is large.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet could read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(sheet: Any, value: object) -> object:
    """``value`` itself, or for formula-like text a write-only cell forced to plain text."""
    if not is_formula_like(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=…" as a formula
    cell.quotePrefix = True  # Excel/WPS keep it text when the cell is edited
    return cell


def safe_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """A row for ``sheet.append`` with every formula-like text cell written as text."""
    return [safe_cell(sheet, value) for value in values]
