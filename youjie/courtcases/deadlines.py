"""Trial time limits (审限) of imported court cases, and which cases ran past them.

The limit depends on the case type and, for a civil first instance, on the procedure; the case
list the court exports does not say which procedure a case was tried under, so each type code has
one default limit (the longer one where two procedures share a code):

- 民初 6 months: 民事诉讼法 (2023) Art. 152, 普通程序. 简易程序 is 3 months (Art. 164), but the
  data cannot tell the two apart, so the type's default is the ordinary procedure's 6;
- 民终 3 months: 民事诉讼法 Art. 183 (an appeal against a judgment; against a ruling 30 days);
- 刑初 3 months: 刑事诉讼法 (2018) Art. 208 (二个月以内宣判，至迟不得超过三个月);
- 刑终 2 months: 刑事诉讼法 Art. 243;
- 行初 6 months: 行政诉讼法 (2017) Art. 81; 行终 3 months: Art. 88;
- 执 6 months: 最高人民法院《关于人民法院办理执行案件若干期限的规定》Art. 1.

Other type codes have no limit here and are never counted as over it.

Counting: the limit runs from the day after filing (最高人民法院《关于严格执行案件审理期限制度的
若干规定》Art. 9: 审理期限从立案次日起计算; DOMAIN.md §0, 民法典 Art. 201) and, being in months,
ends on the same-numbered day of the final month, or that month's last day when it has none
(民法典 Art. 202). So a case filed on 08-31 with 6 months must close by 02-28 (02-29). The data
holds no approved extension (延长审限), no suspended time (扣除审限: 公告, 鉴定 …) and the rule
does not roll a limit ending on a holiday: "over the limit" here is over the *statutory* limit,
an upper bound that a court reads together with its own approvals.

Pure code apart from ORM expressions: no model is imported.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db.models import Expression, F, IntegerField, Q
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

TRIAL_LIMIT_MONTHS: dict[str, int] = {
    "民初": 6,
    "民终": 3,
    "刑初": 3,
    "刑终": 2,
    "行初": 6,
    "行终": 3,
    "执": 6,
}


def add_months(day: date, months: int) -> date:
    """The same-numbered day ``months`` later, or that month's last day (民法典 Art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def limit_due(filed_on: date, type_code: str) -> date | None:
    """The last day of the statutory limit of a case filed on ``filed_on``; None without one."""
    months = TRIAL_LIMIT_MONTHS.get(type_code)
    return None if months is None else add_months(filed_on, months)


def first_filing_within_limit(on: date, months: int) -> date:
    """The earliest filing date whose ``months`` limit has not run out by the end of ``on``.

    A case still open at the end of ``on`` is over its limit exactly when it was filed before
    this date (the limit's last day is monotonic in the filing date).
    """
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if on.day <= last:
        return date(year, month + 1, on.day)
    # No such day (e.g. 6 months before 08-31): every filing in that month ends its limit
    # before ``on``; the first within the limit is the next month's first day.
    return add_months(date(year, month + 1, 1), 1)


def _months_between() -> Expression:
    """Whole calendar months from ``filed_on`` to ``closed_on`` (year and month parts only)."""
    return (
        (ExtractYear("closed_on") - ExtractYear("filed_on")) * 12
        + ExtractMonth("closed_on")
        - ExtractMonth("filed_on")
    )


# The names of the alias() expressions that ``closed_over_limit_q`` reads.
MONTHS_ALIAS = "limit_months_between"
CLOSED_DAY_ALIAS = "limit_closed_day"
FILED_DAY_ALIAS = "limit_filed_day"


def limit_aliases() -> dict[str, Expression]:
    """Expressions to ``alias()`` on a CourtCase queryset before using ``closed_over_limit_q``."""
    return {
        MONTHS_ALIAS: _months_between(),
        CLOSED_DAY_ALIAS: ExtractDay("closed_on", output_field=IntegerField()),
        FILED_DAY_ALIAS: ExtractDay("filed_on", output_field=IntegerField()),
    }


def closed_over_limit_q() -> Q:
    """Cases closed after their limit's last day: ``closed_on`` later than the same-numbered day
    ``months`` after ``filed_on``. With m = whole months between the two dates, that is m > months,
    or m == months and the closing day-of-month is later than the filing one (when the final
    month is shorter, its last day is below the filing day, so the rule still holds)."""
    q = Q(pk__in=[])
    for months, codes in _by_months().items():
        q |= Q(type_code__in=codes, filed_on__isnull=False, closed_on__isnull=False) & (
            Q(**{f"{MONTHS_ALIAS}__gt": months})
            | Q(**{MONTHS_ALIAS: months, f"{CLOSED_DAY_ALIAS}__gt": F(FILED_DAY_ALIAS)})
        )
    return q


def open_over_limit_q(on: date) -> Q:
    """Cases filed by ``on``, still open at its end, whose limit ran out before it."""
    q = Q(pk__in=[])
    for months, codes in _by_months().items():
        q |= Q(type_code__in=codes, filed_on__lt=first_filing_within_limit(on, months))
    return q & Q(filed_on__isnull=False) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))


def _by_months() -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for code, months in TRIAL_LIMIT_MONTHS.items():
        groups.setdefault(months, []).append(code)
    return groups
