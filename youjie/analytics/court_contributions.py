"""What one court case adds to the day table of the court figures (``models.CourtFigureDay``).

Pure code: no query. Every figure of a period is a sum of these per-day counts over a range of
days, which is what lets a period's figures be read from a few hundred summed rows instead of
the cases (``court_selectors.court_figures``); ``court_selectors.court_figures_from_cases``
computes the same figures from the cases, and the tests hold the two equal.

For a period S–E (the definitions: docs/subsystems/court-figures.md):

- 新收 = Σ ``new`` over S–E (a case counts on its filing day);
- 旧存 at S = the cases filed before S, less those filed *and* closed before S = Σ ``new`` − Σ
  ``ended`` over the days before S, where a closed case ends on the later of its two dates (a
  case closed before it was filed was never open: it ends on its filing day);
- 结案 and its parts (一审结案, 上诉, 申请再审或申诉, 改判发回, 审理天数, 超审限结案) = Σ over S–E
  of the counts on the closing day — "and filed by E": a case closed before it was filed has its
  own row (``filed_after``) that counts only when E is on or after its filing day;
- 期末超审限未结 at E = Σ ``over_limit_from`` − Σ ``over_limit_until`` over the days up to E: a
  case with a limit counts from the day after its limit's last day (``deadlines.limit_due``)
  until the day it closed (not on that day: it is no longer open at its end).

A case without a filing date counts nowhere (as in the definitions).

Each count is kept at three grains (``choices.FigureGrain``): by judge and day, by day and by
month; ``accumulate`` adds a case to all three.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from youjie.analytics.choices import FigureGrain
from youjie.courtcases.deadlines import TRIAL_LIMIT_MONTHS, limit_due
from youjie.courtcases.numbers import FIRST_INSTANCE_TYPE_CODES
from youjie.courtcases.selectors import REVERSED_OR_REMANDED_RESULTS

# The count columns of CourtFigureDay, in this order everywhere (vectors are lists of ints).
COLUMNS: tuple[str, ...] = (
    "new",
    "ended",
    "closed",
    "first_instance_closed",
    "appealed",
    "petitioned",
    "appealed_or_petitioned",
    "reversed_or_remanded",
    "days_to_close",
    "over_limit_closed",
    "over_limit_from",
    "over_limit_until",
)
INDEX = {name: position for position, name in enumerate(COLUMNS)}
ONE_DAY = timedelta(days=1)

# The CourtCase values a case's counts depend on (and CourtFigureCase keeps).
FACT_FIELDS: tuple[str, ...] = (
    "court_id",
    "division_id",
    "judge_id",
    "type_code",
    "filed_on",
    "closed_on",
    "appealed",
    "petitioned",
    "second_instance_result",
)

# (court, division, judge, type code, day, filed_after): one case's rows, by judge and day.
CaseKey = tuple[int, int | None, int | None, str, date, date | None]
# (grain, court, division, judge, type code, day, filed_after): a row of the day table.
Key = tuple[str, int, int | None, int | None, str, date, date | None]
Vector = list[int]


@dataclass(frozen=True)
class CaseFacts:
    court_id: int
    division_id: int | None
    judge_id: int | None
    type_code: str
    filed_on: date | None
    closed_on: date | None
    appealed: bool
    petitioned: bool
    second_instance_result: str

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> CaseFacts:
        return cls(**{name: values[name] for name in FACT_FIELDS})


def closed_over_limit(type_code: str, filed_on: date, closed_on: date) -> bool:
    """``courtcases.deadlines.closed_over_limit_q`` for one case: whole months from filing to
    closing past the limit, or equal to it with a later day of the month."""
    months = TRIAL_LIMIT_MONTHS.get(type_code)
    if months is None:
        return False
    between = (closed_on.year - filed_on.year) * 12 + closed_on.month - filed_on.month
    return between > months or (between == months and closed_on.day > filed_on.day)


def contributions(facts: CaseFacts) -> dict[CaseKey, Vector]:
    """The counts ``facts`` adds to each day it touches (by judge and day)."""
    filed, closed = facts.filed_on, facts.closed_on
    if filed is None:
        return {}
    group = (facts.court_id, facts.division_id, facts.judge_id, facts.type_code)
    rows: dict[CaseKey, Vector] = {}

    def add(day: date, column: str, amount: int = 1, filed_after: date | None = None) -> None:
        key: CaseKey = (*group, day, filed_after)
        vector = rows.get(key)
        if vector is None:
            vector = rows[key] = [0] * len(COLUMNS)
        vector[INDEX[column]] += amount

    add(filed, "new")
    if closed is not None:
        add(max(filed, closed), "ended")
        late_filing = filed if filed > closed else None
        first_instance = facts.type_code in FIRST_INSTANCE_TYPE_CODES
        counted = [("closed", 1), ("days_to_close", (closed - filed).days)]
        if first_instance:
            counted.append(("first_instance_closed", 1))
            if facts.appealed:
                counted.append(("appealed", 1))
                if facts.second_instance_result in REVERSED_OR_REMANDED_RESULTS:
                    counted.append(("reversed_or_remanded", 1))
            if facts.petitioned:
                counted.append(("petitioned", 1))
            if facts.appealed or facts.petitioned:
                counted.append(("appealed_or_petitioned", 1))
        if closed_over_limit(facts.type_code, filed, closed):
            counted.append(("over_limit_closed", 1))
        for column, amount in counted:
            add(closed, column, amount, late_filing)
    due = limit_due(filed, facts.type_code)
    if due is not None:
        over_from = due + ONE_DAY
        if closed is None or closed > over_from:
            add(over_from, "over_limit_from")
            if closed is not None:
                add(closed, "over_limit_until")
    return rows


def grain_keys(key: CaseKey) -> tuple[Key, Key, Key]:
    """The rows a case's day counts go to: by judge and day, by day, by month."""
    court, division, judge, type_code, day, filed_after = key
    return (
        (FigureGrain.JUDGE, court, division, judge, type_code, day, filed_after),
        (FigureGrain.DAY, court, division, None, type_code, day, filed_after),
        (FigureGrain.MONTH, court, division, None, type_code, day.replace(day=1), filed_after),
    )


def accumulate(
    into: dict[Key, Vector], cases: Iterable[CaseFacts], *, sign: int = 1
) -> dict[Key, Vector]:
    """Add (``sign`` 1) or take out (−1) the counts of ``cases`` at every grain; rows left at
    zero stay (the caller drops them)."""
    for facts in cases:
        for case_key, vector in contributions(facts).items():
            for key in grain_keys(case_key):
                total = into.get(key)
                if total is None:
                    into[key] = [sign * value for value in vector]
                else:
                    for position, value in enumerate(vector):
                        total[position] += sign * value
    return into
