"""Official documents in the format of GB/T 9704-2012 《党政机关公文格式》, as .docx.

``render_document(OfficialDocument(...)) -> bytes`` is pure: data in, bytes out, no database and
no clock. Two layouts (DOMAIN.md §11; clause numbers are the standard's):

- 文件格式 (§7, the standard layout: 通报, 通知 …): 份号, 密级, 紧急程度 top left; the red
  发文机关标志 35 mm below the top of the 版心; the 发文字号 two lines below it (with 签发人 on the
  right for an 上行文); a red line across the 版心 4 mm below; the title, 主送机关, body, 附件说明,
  署名, 成文日期, 附注; the 版记 (抄送, 印发机关 and 印发日期 between separator lines) at the
  foot of the last page.
- 信函格式 (§10.1, 函 such as a 督办函): the red 发文机关标志 30 mm from the top of the page with a
  red double line (thick over thin) under it and another (thin over thick) 20 mm from the foot of
  the page, both 170 mm long — they are the first page's own header and footer; the 发文字号
  flush right under the first line; no page number on the first page; a 版记 of 抄送 only.

Page (§5.2): A4, margins 37/35/28/26 mm, 版心 156 × 225 mm, 22 lines × 28 characters:
the line pitch is set exactly (225 mm / 22 ≈ 28.95 pt, also the document grid's pitch),
the character spacing so that exactly 28 characters fill a line. Fonts as the standard
names them (§6.1): title 2号小标宋 (22 pt), body 3号仿宋 (16 pt), headings 黑体 / 楷体 /
仿宋, page numbers 4号半角宋体 "— 1 —", odd pages right, even pages left (§7.5). Every run
names its font for East Asian text (``w:eastAsia``) as well as for Latin text, or Chinese
text would not take it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any
from zoneinfo import ZoneInfo

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from youjie.documents import ooxml
from youjie.documents.choices import DocumentFormat
from youjie.documents.official import (
    HEADING_LEVELS,
    Block,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    chinese_date,
    display_width,
    heading_number,
)

# What a caller needs, from here or from youjie.documents.official (the data).
__all__ = [
    "DEBIAN_FALLBACKS",
    "Block",
    "Heading",
    "OfficialDocument",
    "Paragraph",
    "Table",
    "chinese_date",
    "render_document",
]

# --- the page (§5.2) -------------------------------------------------------------------------
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)  # 天头 37 ± 1 mm
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)  # 订口 28 ± 1 mm
MARGIN_RIGHT = Mm(26)
TEXT_WIDTH = Mm(156)  # 版心 156 × 225 mm
TEXT_HEIGHT = Mm(225)
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# 22 lines of 3号 in 225 mm (637.8 pt): 28.95 pt, rounded down so that the 22nd line still fits.
LINE_PITCH = Pt(28.95)
# 28 characters of 3号 (16 pt) are 448 pt, the 版心 is 442.2 pt wide: each character gives up
# 0.25 pt (w:spacing is in 1/20 pt), so that 28 fit (441 pt) and a 29th does not.
CHARACTER_SPACING_TWENTIETHS = -5

# --- fonts, as the standard names them (§6.1), and sizes (号 → pt) ---------------------------
FONT_TITLE = "方正小标宋简体"  # 小标宋: masthead and title
FONT_BODY = "仿宋_GB2312"  # 仿宋: body, 发文字号, headings of levels 3 and 4, 版记
FONT_HEADING_1 = "黑体"  # "一、", also 密级 and 紧急程度
FONT_HEADING_2 = "楷体_GB2312"  # "（一）", also the name after 签发人
FONT_PAGE_NUMBER = "宋体"  # 4号半角宋体 page numbers
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
RED = RGBColor(0xFF, 0x00, 0x00)
RED_HEX = str(RED)
NO_SPACE = Pt(0)
BEIJING = ZoneInfo("Asia/Shanghai")

# Where a machine lacks the standard's fonts. Windows names the same faces without "_GB2312";
# a Debian machine converting to PDF (LibreOffice, fontconfig) has fonts-noto-cjk and, when
# installed, fonts-arphic-*. There is no free 仿宋 face: a serif (宋) face stands in for it.
WINDOWS_FALLBACKS: dict[str, str] = {
    FONT_TITLE: "宋体",
    FONT_BODY: "仿宋",
    FONT_HEADING_2: "楷体",
}
DEBIAN_FALLBACKS: dict[str, tuple[str, ...]] = {
    FONT_TITLE: ("Noto Serif CJK SC", "AR PL SungtiL GB"),
    FONT_BODY: ("Noto Serif CJK SC", "AR PL SungtiL GB"),
    "仿宋": ("Noto Serif CJK SC", "AR PL SungtiL GB"),
    FONT_HEADING_1: ("Noto Sans CJK SC",),
    FONT_HEADING_2: ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC"),
    "楷体": ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC"),
    FONT_PAGE_NUMBER: ("Noto Serif CJK SC", "AR PL SungtiL GB"),
}

# --- layout measures --------------------------------------------------------------------------
MASTHEAD_FROM_TEXT_TOP = Mm(35)  # §7.2.3: 发文机关标志 35 mm below the top of the 版心 (下行文)
LETTER_MASTHEAD_FROM_PAGE_TOP = Mm(30)  # §10.1
LETTER_LINE_FROM_PAGE_BOTTOM = Mm(20)  # §10.1
LETTER_LINE_WIDTH = Mm(170)  # §10.1, centred on the page: 20 mm from either edge
LETTER_LINE_INDENT_LEFT = Length((PAGE_WIDTH - LETTER_LINE_WIDTH) // 2 - MARGIN_LEFT)
LETTER_LINE_INDENT_RIGHT = Length((PAGE_WIDTH - LETTER_LINE_WIDTH) // 2 - MARGIN_RIGHT)
FILE_FOOTER_DISTANCE = Mm(23)  # §7.5: the page number's top 7 mm under the 版心 (35 - 7 - 5)
MASTHEAD_MAX_SIZE = {DocumentFormat.FILE: Pt(42), DocumentFormat.LETTER: Pt(36)}
SIGNATURE_GAP_LINES = 2  # room for the seal, its top within a line of the body (§7.3.5.1)

# --- formatting ---------------------------------------------------------------------------


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    font: str = FONT_BODY,
    size: Length = SIZE_3,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Run:
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    ooxml.set_fonts(run.element.get_or_add_rPr(), font)
    return run


def _format(
    paragraph: DocxParagraph,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    line: Length | None = LINE_PITCH,
    before: Length = NO_SPACE,
    after: Length = NO_SPACE,
    grid: bool = True,
) -> DocxParagraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = before
    fmt.space_after = after
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if not grid:  # large type (masthead, footers, tables) does not snap to the 22-line grid
        ooxml.paragraph_child(paragraph, "snapToGrid").set(qn("w:val"), "0")
    return paragraph


def _indent(
    paragraph: DocxParagraph,
    *,
    first_line: float = 0,
    left: float = 0,
    right: float = 0,
    unit: Length = SIZE_3,
) -> None:
    """Indents in characters of ``unit`` (3号 unless said)."""
    ooxml.indent_chars(paragraph, unit_pt=unit.pt, first_line=first_line, left=left, right=right)


def _blank(container: Any, lines: int = 1) -> None:
    for _ in range(lines):
        _format(container.add_paragraph())


def _page_setup(document: DocxDocument, doc: OfficialDocument) -> Section:
    section = document.sections[0]
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.gutter = Mm(0)
    if doc.format == DocumentFormat.LETTER:
        section.header_distance = LETTER_MASTHEAD_FROM_PAGE_TOP
        section.footer_distance = LETTER_LINE_FROM_PAGE_BOTTOM
    else:
        section.header_distance = Mm(15)
        section.footer_distance = FILE_FOOTER_DISTANCE
    # 22 lines: the document grid's line pitch (Word and LibreOffice both honour it). The 28
    # characters come from the character spacing (``_defaults``), not from a character grid:
    # LibreOffice lays a "lines and characters" grid out in square cells, 15 to a line.
    grid = document.element.body.sectPr.find(qn("w:docGrid"))
    if grid is None:  # python-docx's template has one, last among the section's properties
        grid = ooxml.element("docGrid")
        document.element.body.sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    return section


def _defaults(document: DocxDocument) -> None:
    """3号仿宋, black, exact line pitch, no space between paragraphs, Chinese as the East Asian
    language — in the document defaults and the Normal style alike."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ooxml.set_fonts(r_pr, FONT_BODY)
    lang = r_pr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = SIZE_3
    normal.font.color.rgb = RGBColor(0, 0, 0)
    normal_r_pr = normal.element.get_or_add_rPr()
    ooxml.set_fonts(normal_r_pr, FONT_BODY)
    spacing = ooxml.child(normal_r_pr, "spacing", ooxml.R_PR_ORDER)
    spacing.set(qn("w:val"), str(CHARACTER_SPACING_TWENTIETHS))
    fmt = normal.paragraph_format
    fmt.space_before = NO_SPACE
    fmt.space_after = NO_SPACE
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.widow_control = False  # lines stay on the 22-line grid, not pushed to the next page


# --- 版头 (§7.2) -------------------------------------------------------------------------------


def _masthead_size(doc: OfficialDocument) -> Length:
    """As large as the format allows while the masthead fits on one line of the 版心."""
    fits = TEXT_WIDTH.pt * 0.95 / max(display_width(doc.masthead), 1)
    return Pt(min(MASTHEAD_MAX_SIZE[doc.format].pt, int(fits)))


def _masthead(paragraph: DocxParagraph, doc: OfficialDocument, *, before: Length) -> None:
    size = _masthead_size(doc)
    _format(
        paragraph,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line=Pt(round(size.pt * 1.2)),
        before=before,
        grid=False,
    )
    _run(paragraph, doc.masthead, font=FONT_TITLE, size=size, color=RED)


def _file_head(document: DocxDocument, doc: OfficialDocument) -> None:
    """份号, 密级, 紧急程度 (lines 1–3, top left), the masthead, the 发文字号, the red line."""
    lines = 0
    for text, font in (
        (doc.copy_number, FONT_BODY),
        (doc.classification, FONT_HEADING_1),
        (doc.urgency, FONT_HEADING_1),
    ):
        if text:
            _run(_format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT), text, font=font)
            lines += 1
    before = Mm(max(MASTHEAD_FROM_TEXT_TOP.mm - lines * LINE_PITCH.mm, 0))
    _masthead(document.add_paragraph(), doc, before=before)
    _blank(document, 2)
    number = document.add_paragraph()
    if doc.signer:  # 上行文 (§7.2.4, §7.2.5): number left, 签发人 right, one character in
        _format(number, align=WD_ALIGN_PARAGRAPH.LEFT)
        _indent(number, left=1, right=1)
        tab_at = Length(TEXT_WIDTH - Pt(2 * SIZE_3.pt))
        number.paragraph_format.tab_stops.add_tab_stop(tab_at, WD_TAB_ALIGNMENT.RIGHT)
        _run(number, f"{doc.number}\t签发人：")
        _run(number, doc.signer, font=FONT_HEADING_2)
    else:
        _format(number, align=WD_ALIGN_PARAGRAPH.CENTER)
        _run(number, doc.number)
    # §7.2.6: a red line as wide as the 版心, 4 mm (≈ 11 pt) under the 发文字号.
    ooxml.border(number, "bottom", style="single", eighths=12, space=11, color=RED_HEX)
    _blank(document, 2)


def _letter_head(section: Section, document: DocxDocument, doc: OfficialDocument) -> None:
    """§10.1: the first page's header holds the masthead and the upper double line, its footer the
    lower one; the 发文字号 flush right under the line, 份号/密级/紧急程度 flush left."""
    section.different_first_page_header_footer = True
    header = section.first_page_header
    header.is_linked_to_previous = False
    masthead = header.paragraphs[0]
    _masthead(masthead, doc, before=NO_SPACE)
    footer = section.first_page_footer
    footer.is_linked_to_previous = False
    line = _format(footer.paragraphs[0], line=Pt(1), grid=False)
    for paragraph in (masthead, line):  # 170 mm, centred on the page: 20 mm from either edge
        paragraph.paragraph_format.left_indent = LETTER_LINE_INDENT_LEFT
        paragraph.paragraph_format.right_indent = LETTER_LINE_INDENT_RIGHT
    # 上粗下细 4 mm (≈ 11 pt) under the masthead; 上细下粗 20 mm from the foot of the page (as a
    # top border, "thickThin" draws the thin line above the thick one).
    ooxml.border(masthead, "bottom", style="thickThinSmallGap", eighths=36, space=11, color=RED_HEX)
    ooxml.border(line, "top", style="thickThinSmallGap", eighths=36, space=0, color=RED_HEX)

    marks = [(text, font) for text, font in (
        (doc.copy_number, FONT_BODY),
        (doc.classification, FONT_HEADING_1),
        (doc.urgency, FONT_HEADING_1),
    ) if text]  # fmt: skip
    first = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT)
    first.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    if marks:
        _run(first, marks[0][0], font=marks[0][1])
    _run(first, f"\t{doc.number}")
    for text, font in marks[1:]:
        _run(_format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT), text, font=font)
    _blank(document, 1)  # the title two lines under the double line (§10.1)


# --- 主体 (§7.3) -------------------------------------------------------------------------------


def _title(document: DocxDocument, doc: OfficialDocument) -> None:
    title = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER)
    lines = [line.strip() for line in doc.title.splitlines() if line.strip()]
    run = _run(title, "", font=FONT_TITLE, size=SIZE_2)
    for index, line in enumerate(lines):
        if index:
            run.add_break()
        run.add_text(line)


def _addressee(document: DocxDocument, doc: OfficialDocument) -> None:
    _blank(document, 1)
    if not doc.addressee.strip():
        return
    text = doc.addressee.strip().rstrip(":：") + "："
    _run(_format(document.add_paragraph()), text)


def _body(document: DocxDocument, doc: OfficialDocument) -> None:
    counters = dict.fromkeys(HEADING_LEVELS, 0)
    for block in doc.body:
        if isinstance(block, Paragraph):
            for line in block.text.splitlines() or [""]:
                if line.strip() or not block.text.strip():
                    paragraph = _format(document.add_paragraph())
                    _indent(paragraph, first_line=2)
                    _run(paragraph, line.strip())
        elif isinstance(block, Heading):
            counters[block.level] += 1
            for deeper in HEADING_LEVELS[block.level :]:
                counters[deeper] = 0
            paragraph = _format(document.add_paragraph())
            _indent(paragraph, first_line=2)
            font, bold = {
                1: (FONT_HEADING_1, False),
                2: (FONT_HEADING_2, False),
                3: (FONT_BODY, True),
                4: (FONT_BODY, False),
            }[block.level]
            number = heading_number(block.level, counters[block.level])
            _run(paragraph, f"{number}{block.text.strip()}", font=font, bold=bold)
            if block.after.strip():
                _run(paragraph, block.after.strip())
        else:
            _table(document, block)


def _table(document: DocxDocument, block: Table) -> None:
    if block.caption.strip():
        caption = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.CENTER)
        # On the page its table starts on. (Headings are not kept with what follows: chained
        # keeps that move a table send LibreOffice's floating 版记 to a page of its own.)
        caption.paragraph_format.keep_with_next = True
        _run(caption, block.caption.strip(), font=FONT_HEADING_1)
    columns = len(block.header)
    table = document.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = block.widths or (1,) * columns
    total = sum(weights)
    for index, column in enumerate(table.columns):
        width = Length(int(TEXT_WIDTH * weights[index] / total))
        column.width = width
        for cell in column.cells:
            cell.width = width
    for row_index, values in enumerate((block.header, *block.rows)):
        row = table.rows[row_index]
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = _format(
                cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.CENTER, line=None, grid=False
            )
            font = FONT_HEADING_1 if row_index == 0 else FONT_BODY
            _run(paragraph, value, font=font, size=SIZE_4)
    # The header row repeats on every page the table runs onto.
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(ooxml.element("tblHeader", val="true"))


def _attachments(document: DocxDocument, doc: OfficialDocument) -> None:
    """§7.3.4: one line under the body, two characters in: 附件：1. 名称 (no punctuation after
    a name); further names aligned under the first name."""
    if not doc.attachments:
        return
    _blank(document, 1)
    names = [name.strip().rstrip("。，；;,.、") for name in doc.attachments]
    numbered = len(names) > 1
    for index, name in enumerate(names, start=1):
        paragraph = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.LEFT)
        label = f"{index}. " if numbered else ""
        if index == 1:
            _indent(paragraph, first_line=2)
            _run(paragraph, f"附件：{label}{name}")
        else:
            _indent(paragraph, left=5)
            _run(paragraph, f"{label}{name}")


def _signature(document: DocxDocument, doc: OfficialDocument) -> None:
    """§7.3.5.1 (sealed document): the date four characters from the right, the signatory
    centred over it; §7.3.6: 附注 under the date, two characters in, in parentheses."""
    _blank(document, SIGNATURE_GAP_LINES)
    when = chinese_date(doc.date)
    signatory = doc.signatory.strip()
    date_width, name_width = display_width(when), display_width(signatory)
    date_right = 4.0
    name_right = date_right + (date_width - name_width) / 2
    if name_right < 0:  # a name too long to centre over the date: flush right, date under it
        name_right, date_right = 0.0, (name_width - date_width) / 2
    for text, right in ((signatory, name_right), (when, date_right)):
        paragraph = _format(document.add_paragraph(), align=WD_ALIGN_PARAGRAPH.RIGHT)
        _indent(paragraph, right=right)
        _run(paragraph, text)
    if doc.note.strip():
        note = _format(document.add_paragraph())
        _indent(note, first_line=2)
        _run(note, f"（{doc.note.strip().strip('（）()')}）")


# --- 版记 (§7.4) and page numbers (§7.5) -------------------------------------------------------


def _colophon(document: DocxDocument, doc: OfficialDocument) -> None:
    """§7.4: 抄送 and 印发机关/印发日期 in 4号仿宋 between separator lines as wide as the 版心
    (first and last 0.35 mm, between them 0.25 mm), the last line on the foot of the last page's
    版心. A letter's has 抄送 only, without lines (§10.1).

    The rows are a table floating at the bottom of the margin box, placed from the page's left
    edge: LibreOffice keeps a floating table as wide as the 版心 in the text flow unless it is
    placed relative to the page."""
    letter = doc.format == DocumentFormat.LETTER
    rows: list[str] = []
    if doc.copies_to:
        rows.append(f"抄送：{'，'.join(name.strip() for name in doc.copies_to)}。")
    if not letter and (doc.printer.strip() or doc.printed_on is not None):
        when = f"{chinese_date(doc.printed_on)}印发" if doc.printed_on else ""
        rows.append(f"{doc.printer.strip()}\t{when}")
    if not rows:
        return
    table = document.add_table(rows=len(rows), cols=1)
    table.autofit = False
    properties = table._tbl.tblPr
    # Placed from the page's left edge, at the bottom of the margin box.
    position = ooxml.child(properties, "tblpPr", ooxml.TBL_PR_ORDER)
    for name, value in (
        ("vertAnchor", "margin"),
        ("horzAnchor", "page"),
        ("tblpX", str(round(MARGIN_LEFT.pt * 20))),
        ("tblpYSpec", "bottom"),
    ):
        position.set(qn(f"w:{name}"), value)
    # 0.35 mm ≈ 1 pt (8 eighths), 0.25 mm ≈ 0.75 pt (6 eighths); a letter's has none.
    lines = {} if letter else {"top": 8, "insideH": 6, "bottom": 8}
    borders = ooxml.child(properties, "tblBorders", ooxml.TBL_PR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in lines:
            borders.append(
                ooxml.element(side, val="single", sz=str(lines[side]), space="0", color="000000")
            )
        else:
            borders.append(ooxml.element(side, val="nil"))
    margins = ooxml.child(properties, "tblCellMar", ooxml.TBL_PR_ORDER)
    for side in ("left", "right"):  # the indents below count from the 版心's edges
        margins.append(ooxml.element(side, w="0", type="dxa"))
    for row, text in zip(table.rows, rows, strict=True):
        cell = row.cells[0]
        cell.width = TEXT_WIDTH
        paragraph = _format(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT, grid=False)
        # 抄送 and 印发机关 one character in from the left, 印发日期 one from the right.
        _indent(paragraph, left=1, right=1, unit=SIZE_4)
        right_edge = Length(TEXT_WIDTH - Pt(2 * SIZE_4.pt))
        paragraph.paragraph_format.tab_stops.add_tab_stop(right_edge, WD_TAB_ALIGNMENT.RIGHT)
        _run(paragraph, text, size=SIZE_4)
    _format(document.add_paragraph(), line=Pt(1), grid=False)  # the floating table's anchor


def _page_number(paragraph: DocxParagraph, *, odd: bool, lift: Length) -> None:
    """The page number, "— 1 —" in 4号宋体: odd pages right, even pages left, one character in
    (§7.5)."""
    _format(
        paragraph,
        align=WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT,
        line=SIZE_4,
        after=lift,
        grid=False,
    )
    if odd:
        _indent(paragraph, right=1, unit=SIZE_4)
    else:
        _indent(paragraph, left=1, unit=SIZE_4)
    _run(paragraph, "— ", font=FONT_PAGE_NUMBER, size=SIZE_4)
    # A PAGE field: begin, instruction, separate, its last value ("1"), end.
    for part in ("begin", " PAGE ", "separate", "1", "end"):
        run = _run(paragraph, "", font=FONT_PAGE_NUMBER, size=SIZE_4)
        if part in ("begin", "separate", "end"):
            run.element.append(ooxml.element("fldChar", fldCharType=part))
        elif part == " PAGE ":
            instruction = ooxml.element("instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = part
            run.element.append(instruction)
        else:
            run.add_text(part)
    _run(paragraph, " —", font=FONT_PAGE_NUMBER, size=SIZE_4)


def _page_numbers(document: DocxDocument, section: Section, doc: OfficialDocument) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    # A letter's footer sits lower (its double line is 20 mm from the foot): the numbers of its
    # later pages are lifted to where the 文件 format has them.
    lift = Length(max(FILE_FOOTER_DISTANCE - (section.footer_distance or 0), 0))
    _page_number(section.footer.paragraphs[0], odd=True, lift=lift)
    _page_number(section.even_page_footer.paragraphs[0], odd=False, lift=lift)
    # Empty headers take no room: their one paragraph is 1 pt high.
    for header in (section.header, section.even_page_header):
        _format(header.paragraphs[0], line=Pt(1), grid=False)


# --- the document -----------------------------------------------------------------------------


def render_document(doc: OfficialDocument) -> bytes:
    """The .docx of ``doc``, laid out as GB/T 9704-2012 prescribes for its format."""
    document = Document()
    _defaults(document)
    section = _page_setup(document, doc)
    if doc.format == DocumentFormat.LETTER:
        _letter_head(section, document, doc)
    else:
        _file_head(document, doc)
    _title(document, doc)
    _addressee(document, doc)
    _body(document, doc)
    _attachments(document, doc)
    _signature(document, doc)
    _colophon(document, doc)
    _page_numbers(document, section, doc)
    _properties(document, doc)
    output = io.BytesIO()
    document.save(output)
    return _fixed_timestamps(output.getvalue())


def _properties(document: DocxDocument, doc: OfficialDocument) -> None:
    """The file's properties from the data alone (dated the 成文日期), not from the clock."""
    properties = document.core_properties
    properties.title = doc.title.replace("\n", "")
    properties.author = doc.signatory
    properties.last_modified_by = doc.signatory
    properties.language = "zh-CN"
    properties.revision = 1
    written = dt.datetime.combine(doc.date, dt.time(0), tzinfo=BEIJING)
    properties.created = written
    properties.modified = written
    properties.last_printed = written


def _fixed_timestamps(content: bytes) -> bytes:
    """The package again with every member dated 1980-01-01: the same document renders to the
    same bytes, so that its SHA-256 names its content."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            fixed = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(member.filename))
    return output.getvalue()
