"""The letter and the bulletin convert to PDF with LibreOffice, and the PDF keeps the layout:
A4 pages, the expected page count, "— n —" page numbers (none on a letter's first page), 22
lines of 28 characters on a full page, the 版记 on the last page.

LibreOffice is a system package that .ci/run installs; without it these tests fail, saying so.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
import pytest

from youjie.documents.gbt9704 import Heading, Paragraph, render_document
from youjie.documents.pdf import INSTALL_HINT, docx_to_pdf, libreoffice_path
from youjie.documents.tests.factories import bulletin, letter

pytestmark = pytest.mark.slow

A4_POINTS = (595.3, 841.9)
TEXT = "政法委员会统一部署涉法涉诉信访积案化解攻坚" * 10


def two_line_paragraph() -> Paragraph:
    """54 characters: 26 on the indented first line, 28 on the second."""
    return Paragraph(TEXT[:54])


def converted(document: Any) -> tuple[list[str], set[str]]:
    """The text of each page of the PDF LibreOffice makes of ``document`` and the fonts it
    uses, checking that every page is A4."""
    if libreoffice_path() is None:
        pytest.fail(f"LibreOffice is not installed: run .ci/run or `{INSTALL_HINT}`")
    reader = pypdf.PdfReader(io.BytesIO(docx_to_pdf(render_document(document))))
    fonts: set[str] = set()
    for number, page in enumerate(reader.pages, start=1):
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_POINTS, abs=1), f"page {number} is {size}, not A4"
        resources: Any = page["/Resources"]
        for font in resources.get_object().get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return [page.extract_text() for page in reader.pages], fonts


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_numbers(pages: list[str]) -> list[list[str]]:
    return [re.findall(r"— (\d+) —", page) for page in pages]


def test_letter_converts_with_no_number_on_its_first_page() -> None:
    # 16 body lines: 14 fit under the letter's head on page 1, the rest and the signature on 2.
    pages, _fonts = converted(letter(body=tuple(two_line_paragraph() for _ in range(8))))
    assert len(pages) == 2
    assert page_numbers(pages) == [[], ["2"]]
    first = compact(pages[0])
    assert first.startswith("中共包头市委政法委员会包政法专督〔2026〕3号")
    assert "关于督促办理王某某涉法涉诉信访事项的函" in first
    last = compact(pages[1])
    assert "中共包头市委政法委员会2026年3月5日" in last
    assert "抄送：石拐区人民法院。" in last


def test_bulletin_converts_with_numbered_pages_and_its_colophon_on_the_last() -> None:
    # 81 body lines: 5 under the head on page 1, 22 on each of pages 2-4, 10 on page 5.
    document = bulletin(body=(Heading(1, "总体进展"), *(two_line_paragraph() for _ in range(40))))
    pages, fonts = converted(document)
    assert len(pages) == 5
    assert page_numbers(pages) == [["1"], ["2"], ["3"], ["4"], ["5"]]
    first = compact(pages[0])
    assert first.startswith("000123秘密★1年特急中共包头市委政法委员会文件包政法通〔2026〕12号")
    last = compact(pages[-1])
    assert "中共包头市委政法委员会2026年3月5日" in last
    assert "抄送：市委办公室，市政府办公室。" in last
    assert "中共包头市委政法委员会办公室2026年3月5日印发" in last
    # A full page: 22 lines of 28 characters (26 where a paragraph's first line is indented).
    for page in pages[1:4]:
        lines = [line for line in page.split("\n") if not re.fullmatch(r"— \d+ —", line)]
        assert len(lines) == 22, lines
        assert {len(line) for line in lines} == {26, 28}, lines
    # The standard's fonts are not on the machine: the body came out in a serif face, the
    # 黑体 heading in a sans one (gbt9704.DEBIAN_FALLBACKS), not all in one default face.
    assert any("Serif" in font for font in fonts), fonts
    assert any("Sans" in font for font in fonts), fonts


def test_the_petition_documents_as_drafted_fit_their_pages() -> None:
    """The factories' 督办函 fits on one page with its 抄送 at the foot; the 通报 with its table
    takes two, the table's caption on the page the table starts on, the 版记 on the last."""
    (letter_page,), _fonts = converted(letter())
    assert page_numbers([letter_page]) == [[]]
    assert compact(letter_page).endswith("2026年3月5日抄送：石拐区人民法院。")
    pages, _fonts = converted(bulletin())
    assert page_numbers(pages) == [["1"], ["2"]]
    second = compact(pages[1])
    assert second.startswith("各旗县区积案化解进展地区总数已化解办理中超期昆都仑区3210")
    assert second.endswith("中共包头市委政法委员会办公室2026年3月5日印发")
