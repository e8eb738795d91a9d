"""The .docx as GB/T 9704-2012 lays it out, read back with python-docx (DOMAIN.md §11)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from youjie.core.errors import ValidationFailed
from youjie.documents.gbt9704 import (
    DEBIAN_FALLBACKS,
    FONT_BODY,
    FONT_HEADING_1,
    FONT_HEADING_2,
    FONT_PAGE_NUMBER,
    FONT_TITLE,
    Heading,
    Paragraph,
    Table,
    chinese_date,
    render_document,
)
from youjie.documents.pdf import fontconfig_aliases
from youjie.documents.tests.factories import bulletin, letter


def opened(document: Any) -> Any:
    return Document(io.BytesIO(render_document(document)))


def paragraph_with(docx: Any, text: str) -> Any:
    found = [paragraph for paragraph in docx.paragraphs if paragraph.text == text]
    assert found, f"no paragraph {text!r} in {[p.text for p in docx.paragraphs]}"
    return found[0]


def east_asian_font(run: Any) -> str:
    return str(run.element.rPr.rFonts.get(qn("w:eastAsia")))


def fonts_of(run: Any) -> set[str]:
    fonts = run.element.rPr.rFonts
    return {str(fonts.get(qn(f"w:{name}"))) for name in ("ascii", "hAnsi", "eastAsia")}


def within_half_mm(length: Any, millimetres: float) -> bool:
    return bool(abs(length - Mm(millimetres)) <= Mm(0.5))


@pytest.mark.parametrize("make", [bulletin, letter], ids=["file", "letter"])
def test_page_is_a4_with_the_standard_margins(make: Any) -> None:
    section = opened(make()).sections[0]
    assert within_half_mm(section.page_width, 210)
    assert within_half_mm(section.page_height, 297)
    assert within_half_mm(section.top_margin, 37)
    assert within_half_mm(section.bottom_margin, 35)
    assert within_half_mm(section.left_margin, 28)
    assert within_half_mm(section.right_margin, 26)
    # The 版心 is what is left: 156 × 225 mm.
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    assert within_half_mm(width, 156)
    assert within_half_mm(height, 225)


def test_twenty_two_lines_of_twenty_eight_characters() -> None:
    docx = opened(bulletin())
    grid = docx.element.body.sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    assert 22 * pitch_pt <= Mm(225).pt < 23 * pitch_pt
    normal = docx.styles["Normal"]
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    # 28 characters of 16 pt and their spacing fit in 156 mm, 29 do not.
    spacing = int(normal.element.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20
    assert 28 * (16 + spacing) <= Mm(156).pt < 29 * (16 + spacing)


def test_title_is_2hao_xiaobiaosong_centred_and_body_3hao_fangsong() -> None:
    docx = opened(bulletin())
    title = paragraph_with(docx, "关于涉法涉诉信访积案化解\n百日攻坚进展情况的通报")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(fonts_of(run) == {FONT_TITLE} for run in title.runs)
    assert all(run.font.size == Pt(22) for run in title.runs)
    body = paragraph_with(docx, "截至2026年3月5日，全市26件积案已化解20件，化解率76.9%。")
    (run,) = body.runs
    assert fonts_of(run) == {FONT_BODY}
    assert run.font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    assert body.paragraph_format.element.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    # The defaults name the body font for East Asian text too (else Chinese text ignores it).
    defaults = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == FONT_BODY
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_heading_levels_are_numbered_in_their_fonts() -> None:
    docx = opened(bulletin())
    level_1 = paragraph_with(docx, "一、总体进展")
    level_2 = paragraph_with(docx, "（一）各地区进展各旗县区进展情况如下。")
    level_3 = paragraph_with(docx, "1.下一步工作")
    level_4 = paragraph_with(docx, "（1）压实包案责任")
    assert east_asian_font(level_1.runs[0]) == FONT_HEADING_1 == "黑体"
    assert east_asian_font(level_2.runs[0]) == FONT_HEADING_2 == "楷体_GB2312"
    assert east_asian_font(level_2.runs[1]) == FONT_BODY  # the run-in text
    assert east_asian_font(level_3.runs[0]) == FONT_BODY
    assert level_3.runs[0].font.bold is True
    assert east_asian_font(level_4.runs[0]) == FONT_BODY
    assert not level_4.runs[0].font.bold
    for heading in (level_1, level_2, level_3, level_4):
        assert heading.runs[0].font.size == Pt(16)


def test_heading_numbers_restart_under_a_new_parent() -> None:
    body = (
        Heading(1, "甲"),
        Heading(2, "子"),
        Heading(2, "丑"),
        Heading(1, "乙"),
        Heading(2, "寅"),
        *(Heading(1, f"第{index}项") for index in range(3, 12)),
    )
    texts = [p.text for p in opened(bulletin(body=body)).paragraphs]
    assert texts.index("一、甲") < texts.index("（一）子") < texts.index("（二）丑")
    assert texts.index("二、乙") < texts.index("（一）寅")
    assert "十、第10项" in texts
    assert "十一、第11项" in texts


def test_masthead_number_and_red_line_of_the_file_format() -> None:
    docx = opened(bulletin())
    masthead = paragraph_with(docx, "中共包头市委政法委员会文件")
    assert fonts_of(masthead.runs[0]) == {FONT_TITLE}
    assert str(masthead.runs[0].font.color.rgb) == "FF0000"
    number = paragraph_with(docx, "包政法通〔2026〕12号")
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    line = number.paragraph_format.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000"
    texts = [p.text for p in docx.paragraphs]
    # 份号, 密级, 紧急程度 on the first three lines, the masthead after them.
    assert texts[:4] == ["000123", "秘密★1年", "特急", "中共包头市委政法委员会文件"]
    assert east_asian_font(paragraph_with(docx, "秘密★1年").runs[0]) == "黑体"
    assert "各旗县区委政法委，市直各政法单位：" in texts


def test_an_upward_document_puts_the_signer_beside_the_number() -> None:
    docx = opened(bulletin(signer="陈华"))
    number = paragraph_with(docx, "包政法通〔2026〕12号\t签发人：陈华")
    assert east_asian_font(number.runs[-1]) == FONT_HEADING_2  # the name in 楷体


def test_date_is_written_without_leading_zeros() -> None:
    docx = opened(bulletin(date=date(2026, 3, 5), printed_on=date(2026, 3, 6)))
    texts = [p.text for p in docx.paragraphs]
    assert "2026年3月5日" in texts
    assert not any("03月" in text or "月05日" in text for text in texts)
    assert chinese_date(date(2026, 10, 1)) == "2026年10月1日"
    assert chinese_date(date(2027, 1, 31)) == "2027年1月31日"
    date_paragraph = paragraph_with(docx, "2026年3月5日")
    assert date_paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date_paragraph.paragraph_format.element.pPr.ind.get(qn("w:rightChars")) == "400"
    signatory = texts[texts.index("2026年3月5日") - 1]
    assert signatory == "中共包头市委政法委员会"


def test_attachments_and_note() -> None:
    texts = [p.text for p in opened(bulletin()).paragraphs]
    assert "附件：1. 积案化解进度表" in texts
    assert "2. 包案领导名单" in texts
    assert "（联系人：陈华，电话：0472-1234567）" in texts
    one = [p.text for p in opened(bulletin(attachments=("积案化解进度表。",))).paragraphs]
    assert "附件：积案化解进度表" in one  # no number for one, no punctuation after a name


def footer_parts(paragraph: Any) -> tuple[str, list[str]]:
    text = "".join(node.text or "" for node in paragraph.paragraph_format.element.iter(qn("w:t")))
    fields = [node.text for node in paragraph.paragraph_format.element.iter(qn("w:instrText"))]
    return text, fields


def test_page_numbers_outside_in_the_footer() -> None:
    docx = opened(bulletin())
    section = docx.sections[0]
    assert docx.settings.odd_and_even_pages_header_footer is True
    assert section.different_first_page_header_footer is False  # page 1 is numbered
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph in (odd, even):
        text, fields = footer_parts(paragraph)
        assert text == "— 1 —"  # "— " + the PAGE field's cached value + " —"
        assert [field.strip() for field in fields] == ["PAGE"]
        assert {east_asian_font(run) for run in paragraph.runs} == {FONT_PAGE_NUMBER}
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_letter_has_its_own_head_and_no_number_on_the_first_page() -> None:
    docx = opened(letter())
    section = docx.sections[0]
    assert section.different_first_page_header_footer is True
    first_footer = section.first_page_footer
    assert not first_footer.is_linked_to_previous
    assert all(not footer_parts(p)[1] for p in first_footer.paragraphs)  # no PAGE field
    assert footer_parts(section.footer.paragraphs[0])[1] == [" PAGE "]  # from page 2 on
    (masthead,) = section.first_page_header.paragraphs
    assert masthead.text == "中共包头市委政法委员会"  # the full name, no "文件"
    assert str(masthead.runs[0].font.color.rgb) == "FF0000"
    assert within_half_mm(section.header_distance, 30)  # its top 30 mm from the page's top
    upper = masthead.paragraph_format.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert upper.get(qn("w:val")) == "thickThinSmallGap"
    lower = first_footer.paragraphs[0].paragraph_format.element.pPr.find(qn("w:pBdr"))
    assert lower.find(qn("w:top")).get(qn("w:color")) == "FF0000"
    assert within_half_mm(section.footer_distance, 20)
    # 170 mm lines: 20 mm from either edge of the page.
    left = section.left_margin + masthead.paragraph_format.left_indent
    right = section.right_margin + masthead.paragraph_format.right_indent
    assert within_half_mm(left, 20)
    assert within_half_mm(right, 20)
    texts = [p.text for p in docx.paragraphs]
    assert texts[0] == "\t包政法专督〔2026〕3号"  # flush right under the double line
    assert "中共包头市委政法委员会文件" not in texts
    assert "关于督促办理王某某涉法涉诉信访事项的函" in texts
    assert "2026年3月5日" in texts


def colophon_rows(docx: Any) -> list[str]:
    floating = [table for table in docx.tables if table._tbl.tblPr.find(qn("w:tblpPr")) is not None]
    assert len(floating) == 1, "the 版记 is one table floating at the foot of the page"
    return [row.cells[0].text for row in floating[0].rows]


def test_colophon_of_the_file_format() -> None:
    docx = opened(bulletin())
    assert colophon_rows(docx) == [
        "抄送：市委办公室，市政府办公室。",
        "中共包头市委政法委员会办公室\t2026年3月5日印发",
    ]
    table = next(t for t in docx.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None)
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    widths = {side: borders.find(qn(f"w:{side}")).get(qn("w:sz")) for side in ("top", "bottom")}
    assert widths == {"top": "8", "bottom": "8"}  # 0.35 mm
    assert borders.find(qn("w:insideH")).get(qn("w:sz")) == "6"  # 0.25 mm
    cell = table.rows[0].cells[0].paragraphs[0]
    assert east_asian_font(cell.runs[0]) == FONT_BODY
    assert cell.runs[0].font.size == Pt(14)  # 4号


def test_colophon_of_a_letter_has_copies_only_without_lines() -> None:
    docx = opened(letter(printer="中共包头市委政法委员会办公室", printed_on=date(2026, 3, 5)))
    assert colophon_rows(docx) == ["抄送：石拐区人民法院。"]
    table = next(t for t in docx.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {line.get(qn("w:val")) for line in borders} == {"nil"}


def test_no_colophon_without_its_elements() -> None:
    docx = opened(bulletin(copies_to=(), printer="", printed_on=None))
    assert all(t._tbl.tblPr.find(qn("w:tblpPr")) is None for t in docx.tables)


def test_bulletin_table_has_a_repeated_header_row() -> None:
    docx = opened(bulletin())
    (table,) = [t for t in docx.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None]
    header = ["地区", "总数", "已化解", "办理中", "超期"]
    assert [cell.text for cell in table.rows[0].cells] == header
    assert [cell.text for cell in table.rows[1].cells] == ["昆都仑区", "3", "2", "1", "0"]
    assert len(table.rows) == 9
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert east_asian_font(table.rows[0].cells[0].paragraphs[0].runs[0]) == FONT_HEADING_1
    caption = paragraph_with(docx, "各旗县区积案化解进展")
    assert caption.paragraph_format.keep_with_next is True  # not left behind by its table


def test_rendering_is_pure() -> None:
    assert render_document(bulletin()) == render_document(bulletin())
    assert render_document(letter()) != render_document(letter(number="包政法专督〔2026〕4号"))


def test_fonts_are_named_as_the_standard_names_them_with_debian_fallbacks() -> None:
    assert (FONT_TITLE, FONT_BODY, FONT_HEADING_1, FONT_HEADING_2) == (
        "方正小标宋简体",
        "仿宋_GB2312",
        "黑体",
        "楷体_GB2312",
    )
    for name in (FONT_TITLE, FONT_BODY, FONT_HEADING_1, FONT_HEADING_2, FONT_PAGE_NUMBER):
        assert DEBIAN_FALLBACKS[name], name
        assert set(DEBIAN_FALLBACKS[name]) & {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    aliases = fontconfig_aliases()
    assert "<family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family>" in aliases
    assert "<family>黑体</family><prefer><family>Noto Sans CJK SC</family>" in aliases


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"number": "包政法专督〔2026〕第3号"}, "第"),
        ({"number": "包政法专督[2026]3号"}, "〔年份〕"),
        ({"title": "  "}, "标题不能为空"),
        ({"title": "关于\x00的函"}, "控制字符"),
        ({"body": ()}, "正文"),
        ({"body": (Heading(1, "一、总体进展"),)}, "序号"),
        ({"body": (Heading(5, "层次"),)}, "1 至 4"),
        ({"body": (Table(header=("甲", "乙"), rows=(("1",),)),)}, "列数"),
        ({"body": (Paragraph("甲" * 20_001),)}, "20000"),
        ({"body": ("不是段落",)}, "段落"),
        ({"copy_number": "123"}, "份号"),
        ({"urgency": "很急"}, "紧急程度"),
        ({"classification": "内部"}, "密级"),
        ({"attachments": ["附件"]}, "tuple"),
        ({"attachments": ("附件",) * 51}, "50"),
        ({"body": [Paragraph("段落")]}, "tuple"),
        ({"format": "memo"}, "格式"),
    ],
)
def test_a_document_with_bad_data_is_refused_saying_why(changes: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        replace(letter(), **changes)
    assert says in caught.value.message


def test_a_paragraph_with_line_breaks_becomes_paragraphs() -> None:
    docx = opened(letter(body=(Paragraph("第一段。\n\n第二段。"),)))
    texts = [p.text for p in docx.paragraphs]
    assert "第一段。" in texts
    assert "第二段。" in texts
