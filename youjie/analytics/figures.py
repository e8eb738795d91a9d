"""The desk figures as numbers, and how each figure and its change on last year are written.

Pure code (no queries): the selectors fill these from database aggregates; the page, the chart
data and the .xlsx export all read them, so that the three always agree.

Changes on the same period last year: **counts** change in per cent of last year's count
("+12.5%"); **rates** change in percentage points ("+3.2个百分点"), the difference of the two
rates, never a per cent of a per cent; the mean satisfaction changes in points of the 1–5 scale.
Every figure is rounded half-up to one decimal (the mean to two).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from youjie.desk.choices import ReturnVisitResult

DASH = "—"
VISIT_RESULTS: tuple[str, ...] = tuple(ReturnVisitResult.values)


def _round(value: Fraction, places: int = 1) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def percent(rate: Fraction | None) -> Decimal | None:
    """A rate as a percentage with one decimal (for charts and the export)."""
    return None if rate is None else _round(rate * 100)


def format_rate(rate: Fraction | None) -> str:
    value = percent(rate)
    return DASH if value is None else f"{value}%"


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else f"{value}"


def count_change(current: int, previous: int) -> str:
    """Change of a count in per cent of last year's count; "—" when last year had none."""
    if previous == 0:
        return DASH
    value = _round(Fraction(current - previous, previous) * 100)
    return "持平" if value == 0 else f"{_signed(value)}%"


def points_change(current: Fraction | None, previous: Fraction | None) -> str:
    """Change of a rate in percentage points (个百分点)."""
    if current is None or previous is None:
        return DASH
    value = _round((current - previous) * 100)
    return "持平" if value == 0 else f"{_signed(value)}个百分点"


def score_change(current: Fraction | None, previous: Fraction | None) -> str:
    if current is None or previous is None:
        return DASH
    value = _round(current - previous, 2)
    return "持平" if value == 0 else f"{_signed(value)}分"


@dataclass
class Counts:
    """Additive counts for one group in one period (see selectors.desk_figures for each rule)."""

    received: int = 0
    response_on_time: int = 0
    response_decided: int = 0
    completion_on_time: int = 0
    completion_decided: int = 0
    rated: int = 0
    satisfaction_sum: int = 0
    satisfied: int = 0
    visits: dict[str, int] = field(default_factory=dict)

    def add(self, other: Counts) -> None:
        self.received += other.received
        self.response_on_time += other.response_on_time
        self.response_decided += other.response_decided
        self.completion_on_time += other.completion_on_time
        self.completion_decided += other.completion_decided
        self.rated += other.rated
        self.satisfaction_sum += other.satisfaction_sum
        self.satisfied += other.satisfied
        for result, number in other.visits.items():
            self.visits[result] = self.visits.get(result, 0) + number

    @property
    def response_rate(self) -> Fraction | None:
        return ratio(self.response_on_time, self.response_decided)

    @property
    def completion_rate(self) -> Fraction | None:
        return ratio(self.completion_on_time, self.completion_decided)

    @property
    def satisfaction_mean(self) -> Fraction | None:
        return ratio(self.satisfaction_sum, self.rated)

    @property
    def satisfied_share(self) -> Fraction | None:
        return ratio(self.satisfied, self.rated)

    @property
    def visits_total(self) -> int:
        return sum(self.visits.values())

    def visit(self, result: str) -> int:
        return self.visits.get(result, 0)


@dataclass
class FigureRow:
    """One line of a breakdown (a division, a judge, a channel, a matter type) or the total."""

    key: str
    label: str
    current: Counts = field(default_factory=Counts)
    previous: Counts = field(default_factory=Counts)

    # What the page and the export print -------------------------------------------------
    @property
    def received_change(self) -> str:
        return count_change(self.current.received, self.previous.received)

    @property
    def response_rate(self) -> str:
        return format_rate(self.current.response_rate)

    @property
    def response_rate_previous(self) -> str:
        return format_rate(self.previous.response_rate)

    @property
    def response_rate_change(self) -> str:
        return points_change(self.current.response_rate, self.previous.response_rate)

    @property
    def completion_rate(self) -> str:
        return format_rate(self.current.completion_rate)

    @property
    def completion_rate_previous(self) -> str:
        return format_rate(self.previous.completion_rate)

    @property
    def completion_rate_change(self) -> str:
        return points_change(self.current.completion_rate, self.previous.completion_rate)

    @property
    def satisfaction_mean(self) -> str:
        mean = self.current.satisfaction_mean
        return DASH if mean is None else f"{_round(mean, 2)}"

    @property
    def satisfaction_mean_change(self) -> str:
        return score_change(self.current.satisfaction_mean, self.previous.satisfaction_mean)

    @property
    def satisfied_share(self) -> str:
        return format_rate(self.current.satisfied_share)

    @property
    def satisfied_share_change(self) -> str:
        return points_change(self.current.satisfied_share, self.previous.satisfied_share)

    @property
    def visits_change(self) -> str:
        return count_change(self.current.visits_total, self.previous.visits_total)

    def visit_cells(self) -> list[int]:
        return [self.current.visit(result) for result in VISIT_RESULTS]

    def visit_items(self) -> list[tuple[str, int]]:
        return [
            (str(ReturnVisitResult(result).label), self.current.visit(result))
            for result in VISIT_RESULTS
        ]


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[FigureRow]


@dataclass
class DeskFigures:
    period_label: str
    previous_label: str
    basis_label: str
    total: FigureRow
    breakdowns: list[Breakdown]
    as_of: datetime  # 数据截至: the day table's last refresh, or when computed from the requests

    def breakdown(self, key: str) -> Breakdown:
        return next(breakdown for breakdown in self.breakdowns if breakdown.key == key)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_data(figures: DeskFigures, keys: tuple[str, ...]) -> dict[str, object]:
    """What static/analytics/desk.js draws: per breakdown, labels and this year / last year."""
    charts: dict[str, object] = {}
    for breakdown in figures.breakdowns:
        if breakdown.key not in keys:
            continue
        rows = breakdown.rows
        charts[breakdown.key] = {
            "title": breakdown.title,
            "labels": [row.label for row in rows],
            "received": [row.current.received for row in rows],
            "received_previous": [row.previous.received for row in rows],
            "response_rate": [_number(percent(row.current.response_rate)) for row in rows],
            "response_rate_previous": [
                _number(percent(row.previous.response_rate)) for row in rows
            ],
            "completion_rate": [_number(percent(row.current.completion_rate)) for row in rows],
            "completion_rate_previous": [
                _number(percent(row.previous.completion_rate)) for row in rows
            ],
        }
    return {
        "period": figures.period_label,
        "previous": figures.previous_label,
        "charts": charts,
    }
