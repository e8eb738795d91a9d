"""manage.py petitions_bulletin: the bulletin of a day as issued (or issued now), written as a
.docx that python-docx opens with its 发文字号 and 成文日期; a future date refused, exit code 1."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from youjie.petitions import services
from youjie.petitions.models import DailyBulletin

from .conftest import SHANGHAI, make_matter

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 5, 18, 30, tzinfo=SHANGHAI)  # a Thursday, after the bulletin time


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def paragraphs(path: Path) -> list[str]:
    return [
        paragraph.text.strip() for paragraph in Document(io.BytesIO(path.read_bytes())).paragraphs
    ]


def test_the_command_issues_the_day_once_and_then_writes_it_as_issued(city_officer, tmp_path):
    out = tmp_path / "bulletin.docx"
    with time_machine.travel(NOW, tick=False):
        make_matter(city_officer, region_code="150205", received_on=date(2026, 3, 2))
        stdout = io.StringIO()
        call_command("petitions_bulletin", "--out", str(out), stdout=stdout)
        assert "包政法通〔2026〕1号（2026-03-05，已按当前数据印发）" in stdout.getvalue()
        texts = paragraphs(out)
        assert "包政法通〔2026〕1号" in texts
        assert "2026年3月5日" in texts  # no leading zeros
        assert "中共包头市委政法委员会文件" in texts
        first = out.read_bytes()
        # Later data changes nothing in the day's bulletin; the command writes it as issued.
        make_matter(city_officer, region_code="150206", received_on=date(2026, 3, 5))
        again = tmp_path / "again.docx"
        stdout = io.StringIO()
        call_command(
            "petitions_bulletin", "--date", "2026-03-05", "--out", str(again), stdout=stdout
        )
        assert "按印发时原样" in stdout.getvalue()
    assert again.read_bytes() == first
    assert DailyBulletin.objects.count() == 1


def test_an_earlier_day_without_a_bulletin_is_issued_now_with_its_own_number(
    city_officer, tmp_path
):
    out = tmp_path / "earlier.docx"
    with time_machine.travel(NOW, tick=False):
        call_command(
            "petitions_bulletin", "--date", "2026-03-02", "--out", str(out), stdout=io.StringIO()
        )
    assert "2026年3月2日" in paragraphs(out)
    assert DailyBulletin.objects.get().day == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-03-06", "不能生成未来日期（2026年3月6日）的通报"),
        ("2026-13-01", "日期格式应为 YYYY-MM-DD"),
        ("明天", "日期格式应为 YYYY-MM-DD"),
    ],
)
def test_a_future_or_malformed_date_is_refused_with_a_chinese_message(
    city_officer, tmp_path, value, message
):
    out = tmp_path / "refused.docx"
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError) as refused:
        call_command("petitions_bulletin", "--date", value, "--out", str(out), stdout=io.StringIO())
    assert message in str(refused.value)
    assert refused.value.returncode != 0
    assert not out.exists() and not DailyBulletin.objects.exists()


def test_the_bulletin_of_the_day_is_the_one_the_service_issued(city_officer, tmp_path):
    with time_machine.travel(NOW, tick=False):
        issued = services.bulletin_issue(actor=city_officer)
        out = tmp_path / "issued.docx"
        call_command("petitions_bulletin", "--out", str(out), stdout=io.StringIO())
    assert issued.document is not None
    with issued.document.file.open("rb") as stored:
        assert out.read_bytes() == stored.read()
