"""Parsing the dates of a State Council holiday notice as an administrator pastes them.

One date or range per line, optionally followed (or preceded, with a colon) by a name::

    2027-01-01
    2027-01-01 元旦
    2027-10-01至2027-10-07 国庆节        (also ~ or - between two full dates)
    2027年10月1日至10月7日 国庆节
    10月1日至7日 国庆节                  (the year is the form's year)
    国庆节：10月1日（周五）至7日（周四）放假调休，共7天

Pure functions; errors are Django ValidationErrors with one Chinese message per bad line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError

MAX_CHARS = 5000
MAX_LINES = 400
MAX_RANGE_DAYS = 31
MAX_NAME_LENGTH = 50

_FULL = re.compile(
    r"(?P<year>\d{4})\s*(?:[-/.]|年)\s*(?P<month>\d{1,2})\s*(?:[-/.]|月)\s*(?P<day>\d{1,2})(?!\d)"
    r"\s*日?"
)
_MONTH_DAY = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})(?!\d)\s*日?")
_DAY_ONLY = re.compile(r"(?P<day>\d{1,2})(?!\d)\s*日?")
_SEPARATOR = re.compile(r"\s*(?:至|到|~|-|—|–|－)\s*")
# "（周四）", "(星期日)": the notice annotates each date with its weekday.
_WEEKDAY_NOTE = re.compile(r"\((?:周|星期|礼拜)[一二三四五六日天]\)")
# "一、" at the start of the notice's numbered paragraphs.
_ENUMERATOR = re.compile(r"^[一二三四五六七八九十]+、\s*")
_PREFIX_NAME = re.compile(r"^(?P<name>[^\d:]{1,50}?)\s*:\s*")
_DAY_COUNT = re.compile(r"共\s*\d+\s*天")
_PUNCTUATION = " \t,，、;；:：。."
# Words of the notice that describe the kind of day rather than naming the holiday.
_KIND_WORDS = ("放假调休", "调休上班", "放假", "上班", "调休", "休息")


def _error(line_number: int, message: str) -> str:
    return f"第{line_number}行：{message}"


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean_name(text: str) -> str:
    text = _DAY_COUNT.sub("", text).strip(_PUNCTUATION)
    for word in _KIND_WORDS:
        if text.endswith(word):
            text = text[: -len(word)].strip(_PUNCTUATION)
    return text


def _parse_line(line: str, line_number: int, year: int) -> list[tuple[date, str]]:
    """One line's dates, or raise a ValidationError naming the line."""
    text = unicodedata.normalize("NFKC", line).strip()
    text = _WEEKDAY_NOTE.sub("", _ENUMERATOR.sub("", text))
    prefix_name = ""
    prefix = _PREFIX_NAME.match(text)
    if prefix:
        prefix_name = prefix.group("name").strip()
        text = text[prefix.end() :]

    shown = line.strip()[:30]
    unrecognised = _error(
        line_number, f"无法识别“{shown}”，应写作 2027-10-01、10月1日至7日 国庆节 等格式"
    )
    start_match = _FULL.match(text) or _MONTH_DAY.match(text)
    if start_match is None:
        raise ValidationError(unrecognised)
    groups = start_match.groupdict()
    start_year = int(groups["year"]) if groups.get("year") else year
    start_month = int(groups["month"])
    start = _make_date(start_year, start_month, int(groups["day"]))
    if start is None:
        raise ValidationError(_error(line_number, f"日期“{start_match.group(0).strip()}”不存在"))
    rest = text[start_match.end() :]
    end = start

    separator = _SEPARATOR.match(rest)
    if separator:
        after = rest[separator.end() :]
        end_match = _FULL.match(after) or _MONTH_DAY.match(after) or _DAY_ONLY.match(after)
        if end_match is None:
            raise ValidationError(unrecognised)
        end_groups = end_match.groupdict()
        end_year = int(end_groups["year"]) if end_groups.get("year") else start.year
        end_month = int(end_groups["month"]) if end_groups.get("month") else start.month
        found = _make_date(end_year, end_month, int(end_groups["day"]))
        if found is None:
            raise ValidationError(_error(line_number, f"日期“{end_match.group(0).strip()}”不存在"))
        end = found
        rest = after[end_match.end() :]
        if end < start:
            raise ValidationError(_error(line_number, "结束日期早于开始日期"))
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError(_error(line_number, f"日期范围超过{MAX_RANGE_DAYS}天"))

    if rest and rest[0].isdigit():
        raise ValidationError(unrecognised)
    name = _clean_name(rest) or _clean_name(prefix_name)
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(_error(line_number, f"名称过长（最多{MAX_NAME_LENGTH}字）"))

    days: list[tuple[date, str]] = []
    current = start
    while current <= end:
        if current.year != year:
            raise ValidationError(_error(line_number, f"日期 {current.isoformat()} 不在{year}年内"))
        days.append((current, name))
        current += timedelta(days=1)
    return days


def parse_notice_dates(text: str, year: int) -> list[tuple[date, str]]:
    """Every date the text lists, sorted, each with its name ("" when none was given).

    Blank lines and lines starting with ``#`` are skipped. A date listed twice keeps its first
    non-empty name. All bad lines are reported at once, each message naming its line number.
    """
    if len(text) > MAX_CHARS:
        raise ValidationError(f"内容过长：最多{MAX_CHARS}个字符")
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise ValidationError(f"行数过多：最多{MAX_LINES}行")
    found: dict[date, str] = {}
    errors: list[str] = []
    for line_number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parsed = _parse_line(line, line_number, year)
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        for day, name in parsed:
            if not found.get(day):
                found[day] = name
    if errors:
        raise ValidationError(errors)
    return sorted(found.items())


def overlapping_dates(
    holidays: Iterable[tuple[date, str]], workdays: Iterable[tuple[date, str]]
) -> list[date]:
    """Dates listed both as days off and as working days (always an input mistake)."""
    return sorted({day for day, _ in holidays} & {day for day, _ in workdays})


def format_notice_dates(days: Iterable[tuple[date, str]]) -> str:
    """The inverse of ``parse_notice_dates``: consecutive days with one name become a range."""
    lines: list[str] = []
    run: list[tuple[date, str]] = []

    def flush() -> None:
        if not run:
            return
        first, name = run[0]
        last = run[-1][0]
        span = first.isoformat() if first == last else f"{first.isoformat()}至{last.isoformat()}"
        lines.append(f"{span} {name}".rstrip())
        run.clear()

    for day, name in sorted(days):
        if run and (day - run[-1][0] != timedelta(days=1) or name != run[-1][1]):
            flush()
        run.append((day, name))
    flush()
    return "\n".join(lines)
