"""The .xlsx export of the matter list: the list's rows, filters and scope, personal data masked.

Petitioners appear by name with the masked ID number only (first 6 and last 4 characters); no
phone, no address (DESIGN.md: exports carry the same scope and masking as the list they come
from). Every text cell goes through ``core.spreadsheets.safe_row``. openpyxl is imported inside
the function: the list page imports this module and most visits do not export.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from io import BytesIO

from youjie.core.spreadsheets import safe_row
from youjie.petitions.models import Aid, PetitionMatter
from youjie.petitions.selectors import clock_state

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_MAX = 10_000
TITLE = "信访事项清单"
HEADERS = [
    "编号",
    "事项名称",
    "信访人（身份证号脱敏）",
    "属地",
    "责任单位",
    "承办单位",
    "包案领导",
    "承办人",
    "类别",
    "来源",
    "标签",
    "状态",
    "收到日期",
    "受理日期",
    "时限",
    "时限依据",
    "化解方式",
    "事了日期",
    "心了日期",
]
WIDTHS = [20, 36, 36, 14, 24, 24, 10, 10, 14, 12, 16, 14, 12, 12, 30, 30, 16, 12, 12]


def _petitioners(matter: PetitionMatter) -> str:
    names = []
    for link in matter.petitioner_links.all():
        person = link.person
        masked = f"（{person.id_number_masked}）" if person.id_number_masked else ""
        names.append(f"{person.name}{masked}")
    return "、".join(names)


def _name(value: object) -> str:
    return str(value) if value is not None else ""


def _cells(matter: PetitionMatter, today: date) -> list[object]:
    clock = clock_state(matter, today)
    return [
        matter.number,
        matter.title,
        _petitioners(matter),
        _name(matter.region),
        _name(matter.responsible_unit),
        _name(matter.handling_unit),
        matter.lead_official.get_full_name() if matter.lead_official else "",
        matter.handler.get_full_name() if matter.handler else "",
        matter.get_category_display(),
        matter.get_origin_display(),
        "、".join(label.name for label in matter.labels.all()),
        matter.get_status_display(),
        matter.received_on,
        matter.accepted_on,
        clock.text,
        clock.article,
        matter.get_outcome_type_display() if matter.outcome_type else "",
        matter.matter_resolved_on,
        matter.heart_resolved_on,
    ]


def matters_workbook(matters: Iterable[PetitionMatter], *, filters: str, today: date) -> bytes:
    """One sheet: title, filters and date above a frozen header row, one row per matter."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(TITLE)
    sheet.freeze_panes = "C4"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    heading = WriteOnlyCell(sheet, value=TITLE)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append(safe_row(sheet, [f"筛选条件：{filters}；导出日期：{today:%Y-%m-%d}"]))
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    for matter in matters:
        row = []
        for value in _cells(matter, today):
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                row.append(cell)
            else:
                row.append(value)
        sheet.append(safe_row(sheet, row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the aid list (P2) ----------------------------------------------------------------------------

AID_TITLE = "救助台账"
AID_HEADERS = [
    "事项编号",
    "救助对象（身份证号脱敏）",
    "属地",
    "救助类型",
    "关联案件",
    "申请日期",
    "申请金额（元）",
    "救助上限（元）",
    "核定金额（元）",
    "状态",
    "审批期限",
    "审批日期",
    "资金到位日期",
    "发放期限",
    "发放日期",
]
AID_WIDTHS = [20, 24, 14, 14, 26, 12, 14, 14, 14, 10, 12, 12, 12, 12, 12]


def _person_masked(aid: Aid) -> str:
    person = aid.person
    return f"{person.name}（{person.id_number_masked}）" if person.id_number_masked else person.name


def _aid_cells(aid: Aid) -> list[object]:
    return [
        aid.matter.number,
        _person_masked(aid),
        _name(aid.matter.region),
        aid.get_kind_display(),
        aid.court_case.case_number if aid.court_case else "",
        aid.applied_on,
        aid.amount,
        aid.cap_amount,
        aid.approved_amount,
        aid.get_status_display(),
        aid.decision_due_on,
        aid.decided_on,
        aid.funds_arrived_on,
        aid.payment_due_on,
        aid.paid_on,
    ]


def aid_workbook(aids: Iterable[Aid], *, filters: str, today: date) -> bytes:
    """One sheet of aid, amounts as numbers with two decimals (元), dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(AID_TITLE)
    sheet.freeze_panes = "C4"
    for index, width in enumerate(AID_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    heading = WriteOnlyCell(sheet, value=AID_TITLE)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    sheet.append(safe_row(sheet, [f"筛选条件：{filters}；导出日期：{today:%Y-%m-%d}"]))
    header = []
    for text in AID_HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for aid in aids:
        row: list[object] = []
        for value in _aid_cells(aid):
            if isinstance(value, date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                row.append(cell)
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "#,##0.00"
                row.append(cell)
            else:
                row.append(value)
        sheet.append(safe_row(sheet, row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
