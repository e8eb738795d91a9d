"""The 督办函 and the 每日通报 the petitions services issue convert to PDF with LibreOffice
(``documents.pdf.docx_to_pdf``): A4 pages, the 发文字号 and the 成文日期 without leading zeros,
no page number on the letter's first page, "— 1 —" on the bulletin's, the fallback fonts.

LibreOffice is a system package that .ci/run installs; without it these tests fail, saying so."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

import pypdf
import pytest
import time_machine

from youjie.documents.models import IssuedDocument
from youjie.documents.pdf import INSTALL_HINT, docx_to_pdf, libreoffice_path
from youjie.petitions import services

from .conftest import SHANGHAI, assign, make_matter, unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

A4_POINTS = (595.3, 841.9)
NOW = datetime(2026, 3, 5, 18, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pdf_pages(document: IssuedDocument) -> tuple[list[str], set[str]]:
    if libreoffice_path() is None:
        pytest.fail(f"LibreOffice is not installed: run .ci/run or `{INSTALL_HINT}`")
    with document.file.open("rb") as source:
        reader = pypdf.PdfReader(io.BytesIO(docx_to_pdf(source.read())))
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


def test_the_issued_letter_and_bulletin_convert_to_pdf(city_officer, lead_official):
    with time_machine.travel(NOW, tick=False):
        matter = assign(
            city_officer,
            make_matter(
                city_officer,
                region_code="150205",
                title="房屋拆迁补偿信访",
                received_on=date(2026, 3, 2),
            ),
            lead=lead_official,
        )
        letter = services.letter_send(
            actor=city_officer,
            letter=services.letter_create(
                actor=city_officer,
                recipient_unit=unit("150205-ZXB"),
                matters=[matter],
                requirements="请逐案核查，落实包案责任，限期化解。",
                due_on=date(2026, 3, 20),
            ),
        )
        bulletin = services.bulletin_issue(actor=city_officer)
    assert letter.document is not None and bulletin.document is not None

    pages, fonts = pdf_pages(letter.document)
    first = compact(pages[0])
    assert first.startswith("中共包头市委政法委员会包政法专督〔2026〕1号")
    assert "2026年3月5日" in compact("".join(pages))
    assert matter.number in first
    assert not re.search(r"— 1 —", pages[0])  # no page number on a letter's first page
    assert any("Serif" in font for font in fonts), fonts

    pages, fonts = pdf_pages(bulletin.document)
    assert re.findall(r"— (\d+) —", pages[0]) == ["1"]
    first = compact(pages[0])
    assert first.startswith("中共包头市委政法委员会文件包政法通〔2026〕1号")
    text = compact("".join(pages))
    # rank, region, total, resolved, in progress, progress that day, overdue, rate
    assert "1石拐区101100.0%" in text
    assert "包头市涉法涉诉信访化解专项办2026年3月5日印发" in text  # the 版记
    assert any("Sans" in font for font in fonts), fonts  # the 黑体 headings
