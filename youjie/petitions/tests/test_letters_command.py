"""manage.py petitions_letter "包政法专督〔2026〕3号": the letter as sent, written as a .docx that
python-docx opens with its 发文字号 and 成文日期; an unknown or malformed number refused."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from youjie.petitions import services

from .conftest import SHANGHAI, assign, make_matter, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_command_writes_the_letter_as_sent(city_officer, lead_official, tmp_path):
    with time_machine.travel(datetime(2026, 3, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        matter = assign(
            city_officer,
            make_matter(city_officer, region_code="150205", received_on=date(2026, 3, 2)),
            lead=lead_official,
        )
        for _ in range(3):
            letter = services.letter_send(
                actor=city_officer,
                letter=services.letter_create(
                    actor=city_officer,
                    recipient_unit=unit("150205-ZXB"),
                    matters=[matter],
                    requirements="请逐案核查，限期化解。",
                    due_on=date(2026, 3, 20),
                ),
            )
    assert letter.number == "包政法专督〔2026〕3号"
    out = tmp_path / "letter.docx"
    stdout = io.StringIO()
    call_command("petitions_letter", "包政法专督〔2026〕3号", "--out", str(out), stdout=stdout)
    assert "督办函包政法专督〔2026〕3号" in stdout.getvalue()
    docx = Document(io.BytesIO(out.read_bytes()))
    texts = [paragraph.text.strip() for paragraph in docx.paragraphs]
    assert "包政法专督〔2026〕3号" in texts
    assert "2026年3月5日" in texts
    assert "石拐区专项办：" in texts
    assert letter.document is not None
    with letter.document.file.open("rb") as stored:
        assert out.read_bytes() == stored.read()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("包政法专督〔2026〕9号", "未找到发文字号为 包政法专督〔2026〕9号 的督办函"),
        ("包政法专督〔2026〕03号", "不编虚位"),
        ("包政法专督〔2026〕第3号", "不加“第”字"),
        ("包政法专督[2026]3号", "发文字号格式应为"),
    ],
)
def test_an_unknown_or_malformed_number_is_refused(db, tmp_path, number, message):
    out = tmp_path / "letter.docx"
    with pytest.raises(CommandError) as refused:
        call_command("petitions_letter", number, "--out", str(out), stdout=io.StringIO())
    assert message in str(refused.value)
    assert refused.value.returncode != 0
    assert not out.exists()
