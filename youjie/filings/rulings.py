"""The written decision of a refusal (不予受理裁定书) as .docx, rendered with python-docx from
the refused filing (its reasons, parties, dates), so that the file downloaded from the filing
page is always the decision recorded. Refusals must be written and reasoned (登记立案规定 Art.
9); the ruling can be appealed within 10 days of service (民事诉讼法 Art. 171).

Personal data: the ruling names the parties only; identity numbers and addresses stay in the
file (the served original is completed by the court's case system).
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from youjie.filings.choices import FilingCaseKind, FilingPartyRole
from youjie.filings.models import Filing
from youjie.workdays.calendar import SHANGHAI

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

KIND_TITLES = {
    FilingCaseKind.CIVIL_FIRST: "民事裁定书",
    FilingCaseKind.ADMINISTRATIVE_FIRST: "行政裁定书",
    FilingCaseKind.EXECUTION: "执行裁定书",
}
# The articles a refusal rests on, by case kind. Civil: 民事诉讼法 (2023) Art. 122 (conditions of
# a suit) and Art. 126 (decide within 7 days); administrative: 行政诉讼法 Art. 49 and Art. 51;
# execution: 民诉解释 (2022) Art. 461 (conditions of an execution application) [C: to confirm with
# the court's 立案庭 before use].
KIND_BASIS = {
    FilingCaseKind.CIVIL_FIRST: "《中华人民共和国民事诉讼法》第一百二十二条、第一百二十六条",
    FilingCaseKind.ADMINISTRATIVE_FIRST: "《中华人民共和国行政诉讼法》第四十九条、第五十一条",
    FilingCaseKind.EXECUTION: (
        "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百六十一条"
    ),
}
FILER_WORD = {
    FilingCaseKind.CIVIL_FIRST: "起诉人",
    FilingCaseKind.ADMINISTRATIVE_FIRST: "起诉人",
    FilingCaseKind.EXECUTION: "申请人",
}
FONT = "仿宋_GB2312"
TITLE_FONT = "宋体"


def chinese_date(value: date) -> str:
    """二〇二六年十一月二十三日, as court rulings date themselves."""
    digits = "〇一二三四五六七八九"

    def small(number: int) -> str:
        if number < 10:
            return digits[number]
        tens, units = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")

    year = "".join(digits[int(d)] for d in str(value.year))
    return f"{year}年{small(value.month)}月{small(value.day)}日"


def _paragraph(
    document: object,
    text: str,
    *,
    size: int = 16,
    bold: bool = False,
    centre: bool = False,
    indent: bool = True,
    font: str = FONT,
) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.name = font
    run.element.rPr.rFonts.set(qn("w:eastAsia"), font)


def refusal_ruling_docx(filing: Filing, *, decided_on: date) -> bytes:
    """The 不予受理裁定书 of a refused ``filing`` (its parties prefetched or read here)."""
    kind = FilingCaseKind(filing.case_kind)
    filer = FILER_WORD[kind]
    parties = list(filing.parties.all())
    filers = [
        p.name
        for p in parties
        if p.role in (FilingPartyRole.PLAINTIFF, FilingPartyRole.ENFORCEMENT_APPLICANT)
    ]
    others = [p for p in parties if p.name not in filers]
    court = filing.competent_court
    document = Document()
    _paragraph(document, court.name, size=22, bold=True, centre=True, font=TITLE_FONT)
    _paragraph(document, KIND_TITLES[kind], size=26, bold=True, centre=True, font=TITLE_FONT)
    _paragraph(document, f"（立案申请编号：{filing.number}）", size=14, centre=True)
    for name in filers:
        _paragraph(document, f"{filer}：{name}。", indent=False)
    for party in others:
        _paragraph(document, f"{party.get_role_display()}：{party.name}。", indent=False)
    received = filing.competent_received_at or filing.submitted_at
    names = "、".join(filers) or filing.submitter_name
    defendants = "、".join(p.name for p in others if p.role != FilingPartyRole.THIRD_PARTY)
    against = f"与{defendants}" if defendants else ""
    _paragraph(
        document,
        f"{filer}{names}{against}{filing.cause}一案，本院于"
        f"{chinese_date(received.astimezone(SHANGHAI).date())}收到起诉材料。",
    )
    _paragraph(document, "本院经审查认为，" + filing.refusal_reason.strip())
    _paragraph(document, f"依照{KIND_BASIS[kind]}之规定，裁定如下：")
    _paragraph(
        document, f"对{names}的{'申请' if kind == FilingCaseKind.EXECUTION else '起诉'}，不予受理。"
    )
    _paragraph(
        document,
        "如不服本裁定，可以在裁定书送达之日起十日内，向本院递交上诉状，"
        "并按对方当事人的人数提出副本，上诉于上一级人民法院。",
    )
    _paragraph(document, chinese_date(decided_on), indent=False, centre=True)
    _paragraph(document, f"（{court.name}）", indent=False, centre=True)
    core = document.core_properties
    core.title = f"{KIND_TITLES[kind]}（不予受理）{filing.number}"
    core.author = court.name
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
