from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from youjie.workdays.parsing import format_notice_dates, overlapping_dates, parse_notice_dates


def days(first: date, last: date, name: str) -> list[tuple[date, str]]:
    return [(date.fromordinal(n), name) for n in range(first.toordinal(), last.toordinal() + 1)]


def test_single_dates_with_and_without_names():
    text = "2027-01-01 元旦\n\n# comment\n2027-05-03\n2027/06/09 端午"
    assert parse_notice_dates(text, 2027) == [
        (date(2027, 1, 1), "元旦"),
        (date(2027, 5, 3), ""),
        (date(2027, 6, 9), "端午"),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "2027-10-01至2027-10-07 国庆节",
        "2027-10-01~2027-10-07 国庆节",
        "2027-10-01 ～ 2027-10-07 国庆节",
        "2027-10-01-2027-10-07 国庆节",
        "2027年10月1日至10月7日 国庆节",
        "10月1日至7日 国庆节",
        "10月1日至10月7日国庆节",
        "国庆节：10月1日（周五）至7日（周四）放假调休，共7天。",
        "五、国庆节：10月1日至7日放假调休，共7天。",
    ],
)
def test_range_formats(line):
    assert parse_notice_dates(line, 2027) == days(date(2027, 10, 1), date(2027, 10, 7), "国庆节")


def test_chinese_month_day_takes_the_forms_year():
    assert parse_notice_dates("1月1日 元旦", 2030) == [(date(2030, 1, 1), "元旦")]
    assert parse_notice_dates("２月６日", 2030) == [(date(2030, 2, 6), "")]  # full-width digits


def test_duplicates_keep_the_first_name():
    text = "2027-10-01\n2027-10-01至2027-10-02 国庆节"
    assert parse_notice_dates(text, 2027) == days(date(2027, 10, 1), date(2027, 10, 2), "国庆节")


def test_bad_lines_are_reported_with_their_line_numbers():
    text = "2027-01-01 元旦\n明年元旦\n2027-02-30\n2026-12-31\n10月7日至1日\n"
    with pytest.raises(ValidationError) as caught:
        parse_notice_dates(text, 2027)
    messages = caught.value.messages
    assert len(messages) == 4
    assert messages[0].startswith("第2行：无法识别")
    assert messages[1].startswith("第3行：") and "不存在" in messages[1]
    assert messages[2] == "第4行：日期 2026-12-31 不在2027年内"
    assert messages[3] == "第5行：结束日期早于开始日期"


def test_ranges_crossing_the_year_and_overlong_ranges_are_errors():
    with pytest.raises(ValidationError, match="第1行：日期 2028-01-01 不在2027年内"):
        parse_notice_dates("2027-12-31至2028-01-02", 2027)
    with pytest.raises(ValidationError, match="第1行：日期范围超过31天"):
        parse_notice_dates("2027-01-01至2027-03-01", 2027)


def test_size_limits():
    with pytest.raises(ValidationError, match="最多400行"):
        parse_notice_dates("\n".join(["2027-01-01"] * 401), 2027)
    with pytest.raises(ValidationError, match="最多5000个字符"):
        parse_notice_dates("2027-01-01 " + "节" * 5000, 2027)
    with pytest.raises(ValidationError, match="第1行：名称过长"):
        parse_notice_dates("2027-01-01 " + "节" * 51, 2027)


def test_overlap_and_round_trip():
    holidays = parse_notice_dates("2027-10-01至2027-10-07 国庆节\n2027-01-01 元旦", 2027)
    workdays = parse_notice_dates("2027-10-07 国庆节\n2027-10-09", 2027)
    assert overlapping_dates(holidays, workdays) == [date(2027, 10, 7)]
    text = format_notice_dates(holidays)
    assert text == "2027-01-01 元旦\n2027-10-01至2027-10-07 国庆节"
    assert parse_notice_dates(text, 2027) == holidays
