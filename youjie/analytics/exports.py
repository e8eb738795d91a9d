"""The .xlsx export of the desk figures: the same numbers as the page, nothing per request.

openpyxl (≈10 MB with lxml) is imported by ``desk_figures_workbook``, not here: the analytics
views import this module, so a module-level import would load it into every server worker.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from youjie.analytics.figures import VISIT_RESULTS, DeskFigures, FigureRow, percent
from youjie.core.spreadsheets import safe_row
from youjie.desk.choices import ReturnVisitResult

DEFINITIONS = (
    "受理量：统计期间内登记的诉求件数。",
    "按期回音率：首次回应（当场答复、阶段性回复或答复）不晚于首次回应期限的诉求所占比例。"
    "按期回应的计入回应时间所在期间；逾期回应或期限已过仍未回应的计入期限所在期间；"
    "并案、撤回、中止计时且未回应的不计入。",
    "按期办结率：答复送达诉求人（答复时间）不晚于办结期限、且未在超期后被督办的诉求所占比例。"
    "按期的计入答复时间所在期间；逾期答复、超期后督办或期限已过仍未答复（含回访后重新办理）的计入"
    "办结期限所在期间。办结期限已含经批准的延期和中止计时。",
    "满意度：统计期间内提交的评价（1—5分）的平均分；满意率为4分及以上的评价所占比例。",
    "回访结果：统计期间内完成的回访，按结果计数。",
    "变化：件数为与去年同期相比的增减百分比；比率为与去年同期相差的百分点。",
    "表格按名称排列，不作排名。",
)

HEADERS = [
    "名称",
    "受理量",
    "去年同期受理量",
    "受理量变化",
    "按期回音率（%）",
    "去年同期回音率（%）",
    "回音率变化",
    "按期办结率（%）",
    "去年同期办结率（%）",
    "办结率变化",
    "评价数",
    "平均满意度",
    "满意率（%）",
    "去年同期满意率（%）",
    "满意率变化",
    *[f"回访：{ReturnVisitResult(result).label}" for result in VISIT_RESULTS],
]


def _float(value: object) -> float | None:
    return None if value is None else float(str(value))


def _cells(row: FigureRow) -> list[object]:
    current, previous = row.current, row.previous
    mean = current.satisfaction_mean
    return [
        row.label,
        current.received,
        previous.received,
        row.received_change,
        _float(percent(current.response_rate)),
        _float(percent(previous.response_rate)),
        row.response_rate_change,
        _float(percent(current.completion_rate)),
        _float(percent(previous.completion_rate)),
        row.completion_rate_change,
        current.rated,
        None if mean is None else round(float(mean), 2),
        _float(percent(current.satisfied_share)),
        _float(percent(previous.satisfied_share)),
        row.satisfied_share_change,
        *row.visit_cells(),
    ]


TITLE = "诉事速办统计"
NAME_WIDTH = 24
FIGURE_WIDTH = 14


def _filters(figures: DeskFigures) -> str:
    return (
        f"统计范围：{figures.basis_label}；统计期间：{figures.period_label}；"
        f"去年同期：{figures.previous_label}"
    )


def _table_sheet(workbook: Any, title: str, figures: DeskFigures) -> Any:
    """A sheet that opens with its title and filters, names wide, figures narrow."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    # Write-only sheets write their views with the first row: freeze before appending. Rows 1-3
    # (title, filters, header) and the name column stay in view.
    sheet.freeze_panes = "B4"
    sheet.column_dimensions["A"].width = NAME_WIDTH
    for index in range(2, len(HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = FIGURE_WIDTH
    heading = WriteOnlyCell(sheet, value=f"{TITLE}——{title}")
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append(safe_row(sheet, [_filters(figures)]))
    return sheet


def _header(sheet: Any) -> list[object]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    cells: list[object] = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def desk_figures_workbook(figures: DeskFigures) -> bytes:
    """One sheet for the total, one per breakdown, one with the definitions (write-only mode).

    Each table sheet states its title and filters above a header row that stays frozen (with
    the name column) while scrolling; every text cell goes through ``safe_row``.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    summary = _table_sheet(workbook, "合计", figures)
    summary.append(_header(summary))
    summary.append(safe_row(summary, _cells(figures.total)))
    for breakdown in figures.breakdowns:
        sheet = _table_sheet(workbook, breakdown.title, figures)
        sheet.append(_header(sheet))
        for row in breakdown.rows:
            sheet.append(safe_row(sheet, _cells(row)))
    notes = workbook.create_sheet("口径说明")
    notes.column_dimensions["A"].width = 120
    for line in DEFINITIONS:
        notes.append([line])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
