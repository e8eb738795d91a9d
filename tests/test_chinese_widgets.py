"""File and date inputs show Chinese whatever the browser's language (issue 12, item 17)."""

from __future__ import annotations

import datetime

import pytest

from youjie.analytics.forms import PeriodForm
from youjie.courtcases.forms import CaseImportUploadForm
from youjie.desk.forms import SearchForm
from youjie.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_case_import_file_input_has_a_chinese_button_and_empty_text():
    html = str(CaseImportUploadForm(courts=OrgUnit.objects.none())["file"])
    assert 'type="file"' in html and 'accept=".xlsx,.csv"' in html
    assert (
        '<label for="id_file" class="button secondary file-picker-button">选择文件</label>' in html
    )
    assert "未选择文件" in html


@pytest.mark.parametrize(
    ("make_form", "field"),
    [
        (lambda: PeriodForm(today=datetime.date(2025, 3, 31)), "start"),
        (lambda: PeriodForm(today=datetime.date(2025, 3, 31)), "end"),
        (SearchForm, "date_from"),
    ],
)
def test_date_inputs_carry_a_chinese_placeholder_not_the_browsers_date_box(make_form, field):
    html = str(make_form()[field])
    assert 'type="date"' not in html  # Chromium would draw "mm/dd/yyyy" in an English locale
    assert 'placeholder="年-月-日，如 2025-03-01"' in html


def test_a_date_in_the_chinese_format_is_accepted():
    form = PeriodForm({"start": "2025-03-01", "end": "2025-03-31"}, today=datetime.date(2025, 4, 1))
    assert form.is_valid(), form.errors
    assert 'value="2025-03-01"' in str(form["start"])
