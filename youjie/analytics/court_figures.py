"""Court performance figures (审判质效) as numbers, and how each figure and its change are written.

Pure code (no queries): ``youjie.analytics.court_selectors`` fills ``CourtCounts`` from database
aggregates; the page, its chart data and the API all read them, so that the three agree.

The definitions, for a period from S to E (both days included; DOMAIN.md §9):

- 旧存 (carried over): filed before S and not closed before S;
- 新收 (new): filed within the period;
- 受理 (received) = 旧存 + 新收;
- 结案 (closed): closed within the period (and filed by its end);
- 结案率 = 结案 ÷ 受理; 结收比 = 结案 ÷ 新收 (written as a percentage too);
- 一审结案: closed first-instance cases (民初, 刑初, 行初: ``courtcases.numbers``);
- 上诉: of those, appealed (上诉 or 抗诉); 上诉率 = 上诉 ÷ 一审结案;
- 一审服判息诉率 = (一审结案 − 上诉 [− 申请再审/申诉, where configured]) ÷ 一审结案
  (``youjie.analytics.policy``);
- 改判发回: of the appealed, 二审结果 改判 or 发回重审; its rate ÷ 一审结案, as the SPC's
  一审判决案件改判发回重审率 has it (so that it reads beside 上诉率 on one base);
- 平均审理天数: filing to closing (calendar days) over the cases closed within the period;
- 超审限: closed after the statutory limit, and open at E past it (``courtcases.deadlines``).

Rates are percentages as Decimal quantised to 0.01 (half up); a rate over nothing (÷ 0) is None,
"—" on pages and null in the API. The change on the same period a year earlier is, for a rate,
the difference of the two *shown* rates in percentage points (so that the page's numbers add
up), signed: "+10.31"; for a count, a per cent of last year's count, as the desk figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from youjie.analytics.figures import DASH, count_change
from youjie.analytics.periods import Period

HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """``numerator ÷ denominator`` as a percentage with two decimals; None over nothing."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / Decimal(denominator)).quantize(
        HUNDREDTH, rounding=ROUND_HALF_UP
    )


def points(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The change of a rate in percentage points; None when either side is None."""
    if current is None or previous is None:
        return None
    return current - previous


def signed(value: Decimal | None) -> str | None:
    """ "+10.31", "-3.20", "0.00"; None stays None."""
    if value is None:
        return None
    return f"+{value}" if value > 0 else f"{value}"


def shown(value: Decimal | None, suffix: str = "%") -> str:
    return DASH if value is None else f"{value}{suffix}"


@dataclass
class CourtCounts:
    """Additive counts for one group in one period (the selectors define each with a filter)."""

    carried_over: int = 0
    new: int = 0
    closed: int = 0
    first_instance_closed: int = 0
    appealed: int = 0
    petitioned: int = 0
    not_accepted: int = 0  # the cases 一审服判息诉率 subtracts (configured components, once each)
    reversed_or_remanded: int = 0
    days_to_close: int = 0  # the sum over the closed cases
    over_limit_closed: int = 0
    over_limit_open: int = 0

    def add(self, other: CourtCounts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    @property
    def received(self) -> int:
        return self.carried_over + self.new

    @property
    def closure_rate(self) -> Decimal | None:
        return rate(self.closed, self.received)

    @property
    def closed_to_new_ratio(self) -> Decimal | None:
        return rate(self.closed, self.new)

    @property
    def acceptance_rate(self) -> Decimal | None:
        return rate(self.first_instance_closed - self.not_accepted, self.first_instance_closed)

    @property
    def appeal_rate(self) -> Decimal | None:
        return rate(self.appealed, self.first_instance_closed)

    @property
    def reversal_rate(self) -> Decimal | None:
        return rate(self.reversed_or_remanded, self.first_instance_closed)

    @property
    def average_days_to_close(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(self.days_to_close) / self.closed).quantize(TENTH, ROUND_HALF_UP)


COUNT_KEYS: tuple[str, ...] = (
    "carried_over",
    "new",
    "received",
    "closed",
    "first_instance_closed",
    "appealed",
    "petitioned",
    "reversed_or_remanded",
    "over_limit_closed",
    "over_limit_open",
)
RATE_KEYS: tuple[str, ...] = (
    "closure_rate",
    "closed_to_new_ratio",
    "acceptance_rate",
    "appeal_rate",
    "reversal_rate",
)


def values(counts: CourtCounts) -> dict[str, int | str | None]:
    """The figures as the API gives them: counts as integers, rates as "95.70" or None."""
    result: dict[str, int | str | None] = {key: getattr(counts, key) for key in COUNT_KEYS}
    for key in RATE_KEYS:
        value = getattr(counts, key)
        result[key] = None if value is None else str(value)
    days = counts.average_days_to_close
    result["average_days_to_close"] = None if days is None else str(days)
    return result


def change_points(current: CourtCounts, previous: CourtCounts) -> dict[str, str | None]:
    return {key: signed(points(getattr(current, key), getattr(previous, key))) for key in RATE_KEYS}


# --- what the page prints --------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of the figures table: this period, last year, the change, the cases behind."""

    key: str
    label: str
    current: str
    previous: str
    change: str
    link: str = ""  # query string of the case list behind this period's count
    previous_link: str = ""
    is_rate: bool = False


# The table's lines: (key, label, kind) with kind "count", "rate" or "days".
LINES: tuple[tuple[str, str, str], ...] = (
    ("carried_over", "旧存", "count"),
    ("new", "新收", "count"),
    ("received", "受理（旧存＋新收）", "count"),
    ("closed", "结案", "count"),
    ("closure_rate", "结案率", "rate"),
    ("closed_to_new_ratio", "结收比", "rate"),
    ("first_instance_closed", "一审结案", "count"),
    ("appealed", "上诉（含抗诉）", "count"),
    ("petitioned", "申请再审或申诉", "count"),
    ("acceptance_rate", "一审服判息诉率", "rate"),
    ("appeal_rate", "上诉率", "rate"),
    ("reversed_or_remanded", "改判、发回重审", "count"),
    ("reversal_rate", "改判发回率", "rate"),
    ("average_days_to_close", "平均审理天数", "days"),
    ("over_limit_closed", "超审限结案", "count"),
    ("over_limit_open", "期末超审限未结", "count"),
)


# The columns of the by-division and by-type tables (a subset of LINES).
BREAKDOWN_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    line
    for line in LINES
    if line[0]
    in (
        "received",
        "closed",
        "closure_rate",
        "first_instance_closed",
        "appealed",
        "acceptance_rate",
        "reversed_or_remanded",
        "average_days_to_close",
        "over_limit_closed",
    )
)


@dataclass(frozen=True)
class Filters:
    """The basis's own filters, carried into every drill-down link."""

    division_id: int | None = None
    judge_id: int | None = None
    type_code: str = ""


def drill_query(key: str, period: Period, filters: Filters) -> str:
    """The case list's query string for the cases a count of ``period`` holds ("" when the
    figure has no list). The conditions are ``courtcases.selectors.CaseDrillDown``'s."""
    start, end = period.start, period.end
    closed: dict[str, object] = {"closed_from": start, "closed_to": end, "filed_to": end}
    first = {**closed, "first_instance": 1}
    appealed = {**first, "appealed": 1}
    conditions: dict[str, dict[str, object]] = {
        "carried_over": {"filed_to": start - timedelta(days=1), "open_on": start},
        "new": {"filed_from": start, "filed_to": end},
        "received": {"filed_to": end, "open_on": start},
        "closed": closed,
        "first_instance_closed": first,
        "appealed": appealed,
        "petitioned": {**first, "petitioned": 1},
        "reversed_or_remanded": {**appealed, "result": "reversed_or_remanded"},
        "over_limit_closed": {**closed, "over_limit": 1},
        "over_limit_open": {"over_limit_on": end},
    }
    if key not in conditions:
        return ""
    query: dict[str, object] = {}
    if filters.division_id is not None:
        query["division"] = filters.division_id
    if filters.judge_id is not None:
        query["judge"] = filters.judge_id
    if filters.type_code:
        query["type_code"] = filters.type_code
    else:
        query["litigation_only"] = 1
    for name, value in conditions[key].items():
        query[name] = f"{value:%Y-%m-%d}" if isinstance(value, date) else value
    return urlencode(query)


# The list behind a rate or an average: the cases it is taken over (结案率 and 平均审理天数: the
# closed cases; 一审服判息诉率: the first-instance closed cases, of which the appealed are the
# complement; 上诉率 and 改判发回率: their numerators).
RATE_LISTS: dict[str, str] = {
    "closure_rate": "closed",
    "closed_to_new_ratio": "closed",
    "acceptance_rate": "first_instance_closed",
    "appeal_rate": "appealed",
    "reversal_rate": "reversed_or_remanded",
    "average_days_to_close": "closed",
}


def _line(
    key: str,
    label: str,
    kind: str,
    current: CourtCounts,
    previous: CourtCounts,
    periods: tuple[Period, Period],
    filters: Filters,
) -> Line:
    now, before = getattr(current, key), getattr(previous, key)
    link = drill_query(RATE_LISTS.get(key, key), periods[0], filters)
    previous_link = drill_query(RATE_LISTS.get(key, key), periods[1], filters)
    if kind == "rate":
        change = signed(points(now, before))
        return Line(
            key, label, shown(now), shown(before), DASH if change is None else f"{change}个百分点",
            link=link, previous_link=previous_link, is_rate=True,
        )  # fmt: skip
    if kind == "days":
        delta = points(now, before)
        change = DASH if delta is None else f"{signed(delta)}天"
        return Line(key, label, shown(now, ""), shown(before, ""), change, link, previous_link)
    return Line(
        key,
        label,
        str(now),
        str(before),
        count_change(now, before),
        link=link,
        previous_link=previous_link,
    )


@dataclass
class CourtFigureRow:
    """One division or case type (or the total), this period and the same period last year."""

    key: str
    label: str
    current: CourtCounts = field(default_factory=CourtCounts)
    previous: CourtCounts = field(default_factory=CourtCounts)
    filters: Filters = field(default_factory=Filters)

    def lines(self, period: Period, previous: Period) -> list[Line]:
        return [
            _line(key, label, kind, self.current, self.previous, (period, previous), self.filters)
            for key, label, kind in LINES
        ]

    def cells(self, period: Period, previous: Period) -> list[Line]:
        return [
            _line(key, label, kind, self.current, self.previous, (period, previous), self.filters)
            for key, label, kind in BREAKDOWN_COLUMNS
        ]


@dataclass
class CourtFigures:
    court_code: str
    court_name: str
    basis_label: str
    period: Period
    previous_period: Period
    total: CourtFigureRow
    by_division: list[CourtFigureRow]
    by_type: list[CourtFigureRow]
    subtracts: tuple[str, ...]
    as_of: datetime  # 数据截至: when the day table was last brought up to date
    last_import_at: datetime | None  # when the court's case list was last imported

    def total_lines(self) -> list[Line]:
        return self.total.lines(self.period, self.previous_period)

    def tables(self) -> list[tuple[str, list[tuple[str, list[Line]]]]]:
        """The breakdowns as the page prints them: (title, [(row label, cells)])."""
        periods = (self.period, self.previous_period)
        return [
            ("按庭室", [(row.label, row.cells(*periods)) for row in self.by_division]),
            ("按案件类型", [(row.label, row.cells(*periods)) for row in self.by_type]),
        ]

    @property
    def column_labels(self) -> list[str]:
        return [label for _key, label, _kind in BREAKDOWN_COLUMNS]


def chart_data(figures: CourtFigures) -> dict[str, object]:
    """What static/analytics/court.js draws: 结案率 and 一审服判息诉率 by division, this period
    and the same period last year (never by judge: DOMAIN.md §9 bans ranking judges)."""

    def number(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    rows = figures.by_division
    period, previous = figures.period, figures.previous_period
    return {
        # Each bar opens the division's cases behind it (the closed, the first-instance closed).
        "links": {
            "closure_rate": [drill_query("closed", period, row.filters) for row in rows],
            "closure_rate_previous": [drill_query("closed", previous, row.filters) for row in rows],
            "acceptance_rate": [
                drill_query("first_instance_closed", period, row.filters) for row in rows
            ],
            "acceptance_rate_previous": [
                drill_query("first_instance_closed", previous, row.filters) for row in rows
            ],
        },
        "period": figures.period.label,
        "previous": figures.previous_period.label,
        "labels": [row.label for row in rows],
        "closure_rate": [number(row.current.closure_rate) for row in rows],
        "closure_rate_previous": [number(row.previous.closure_rate) for row in rows],
        "acceptance_rate": [number(row.current.acceptance_rate) for row in rows],
        "acceptance_rate_previous": [number(row.previous.acceptance_rate) for row in rows],
    }


DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("旧存", "统计期间开始前立案、且在开始日之前未结的案件（开始日当天结案的仍计入旧存）。"),
    ("新收", "统计期间内立案的案件。"),
    ("受理", "受理 = 旧存 + 新收。"),
    ("结案", "统计期间内结案的案件（结案日期在期间内）。"),
    ("结案率", "结案率 = 结案 ÷ 受理 × 100%（《人民法院案件质量评估指标体系》；见 DOMAIN §9）。"),
    ("结收比", "结收比 = 结案 ÷ 同期新收 × 100%。"),
    (
        "一审结案",
        "类型代字为民初、刑初、行初的案件在期间内结案的数量（依《人民法院案件类型及其代字标准》，"
        "“初”为一审；民特等不可上诉的案件不计）。",
    ),
    ("上诉", "一审结案中已上诉（含抗诉）的案件。上诉率 = 上诉 ÷ 一审结案 × 100%。"),
    (
        "一审服判息诉率",
        "（一审结案 − 上诉）÷ 一审结案 × 100%，与上诉率之和为 100%；本院如另扣除申请再审或申诉的"
        "案件，由 YOUJIE_ACCEPTANCE_RATE_SUBTRACT 设置（DOMAIN §9；一案只扣一次）。",
    ),
    (
        "改判发回率",
        "已上诉的一审结案中二审结果为改判或发回重审的案件 ÷ 一审结案 × 100%"
        "（2024 年指标体系合并为二审改判-发回重审比）。二审结果由案件清单的“二审结果”列导入，"
        "归入一审结案所在期间，故近期数字会随二审结果陆续导入而增加。",
    ),
    ("平均审理天数", "期间内结案的案件从立案日到结案日的日历天数的平均值。"),
    (
        "超审限",
        "自立案次日起算的法定审限（民初、行初、执 6 个月，民终、刑初、行终 3 个月，刑终 2 个月；"
        "民事诉讼法第 152、183 条，刑事诉讼法第 208、243 条，行政诉讼法第 81、88 条）。"
        "案件清单不区分简易程序，民初一律按普通程序 6 个月；未计经批准的延长和扣除审限。",
    ),
    (
        "同比",
        "去年同期为前一年的相同日期（2 月 29 日对应 2 月 28 日）。比率的变化为两个比率之差"
        "（百分点），件数的变化为与去年同期相比的增减百分比。",
    ),
    ("口径", "不含诉前调解、诉前保全等诉前案号（按类型筛选时除外）；按庭室、类型排列，不作排名。"),
)
