"""What one desk request adds to the day table of the desk figures (``models.DeskFigureDay``).

Pure code: no query. The rules are those of ``selectors._request_aggregates`` (which computes
the same figures from the requests; the tests hold the two equal), day by day:

- 受理: +1 ``received`` on the local day of ``created_at``;
- 回音率: a first response by its deadline: +1 ``response_on_time`` and ``response_decided`` on
  the day it was given; a late one (given after the deadline, or none yet while the clock runs):
  +1 ``response_decided`` on the day the deadline fell — once it has passed (``now``);
- 按期办结率: answered (replied or closed) by ``completion_due`` and not supervised after it
  became overdue: +1 ``completion_on_time`` and ``completion_decided`` on the day of
  ``replied_at``; late (answered after it, supervised when overdue, or still running): +1
  ``completion_decided`` on the day ``completion_due`` fell, once passed;
- 满意度: a rating: +1 ``rated``, + the score to ``satisfaction_sum``, +1 ``satisfied`` for 4 or
  5, on the day it was submitted;
- 回访: each visit done: +1 ``visits_<result>`` on its day.

A request without a deadline counts neither way for that figure (as the SQL comparison with
NULL does). Days are local (Asia/Shanghai) dates: a period's bounds are local midnights.

The table keeps the breakdowns, not their cross product: a request's counts go, within its
court and division, to its assignee's row, its channel's row and its matter type's row
(``DIMENSIONS``). The pages show each breakdown on its own (and the division's and the total
are the sums of the channel rows: every request has one channel), so a period of a court reads
a few hundred rows per month instead of one per division × assignee × channel × matter type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from youjie.analytics.choices import FigureGrain
from youjie.analytics.periods import SHANGHAI
from youjie.desk.choices import RUNNING_STATUSES, RequestStatus, ReturnVisitResult

SATISFIED_AT_OR_ABOVE = 4
ANSWERED_STATUSES = (RequestStatus.REPLIED, RequestStatus.CLOSED)

# The count columns of DeskFigureDay, in this order everywhere (vectors are lists of ints).
VISIT_COLUMNS: dict[str, str] = {result: f"visits_{result}" for result in ReturnVisitResult.values}
COLUMNS: tuple[str, ...] = (
    "received",
    "response_on_time",
    "response_decided",
    "completion_on_time",
    "completion_decided",
    "rated",
    "satisfaction_sum",
    "satisfied",
    *VISIT_COLUMNS.values(),
)
INDEX = {name: position for position, name in enumerate(COLUMNS)}

# The ServiceRequest values a request's counts depend on (with its rating, its visits done and
# whether it was supervised after becoming overdue, read beside them).
REQUEST_FIELDS: tuple[str, ...] = (
    "court_id",
    "division_id",
    "assignee_id",
    "channel",
    "matter_type_id",
    "status",
    "created_at",
    "first_response_due",
    "first_responded_at",
    "completion_due",
    "replied_at",
)

# The breakdowns kept within each division (DeskFigureDay.dimension).
DIMENSIONS: tuple[str, ...] = ("assignee", "channel", "matter_type")
# (court, division, assignee, channel, matter type)
Group = tuple[int, int | None, int | None, str, int | None]
# (grain, court, division, dimension, key, day): a row of the day table.
Key = tuple[str, int, int | None, str, str, date]
Vector = list[int]
# [day ordinal, column index, amount]: one count of a request (DeskFigureRequest.counts).
Count = tuple[int, int, int]


@dataclass(frozen=True)
class RequestFacts:
    court_id: int
    division_id: int | None
    assignee_id: int | None
    channel: str
    matter_type_id: int | None
    status: str
    created_at: datetime
    first_response_due: datetime | None
    first_responded_at: datetime | None
    completion_due: datetime | None
    replied_at: datetime | None
    supervised_when_overdue: bool
    satisfaction: int | None
    rated_at: datetime | None
    visits: tuple[tuple[datetime, str], ...]  # (done_at, result) of the visits done

    @classmethod
    def of(
        cls,
        values: Mapping[str, Any],
        *,
        supervised_when_overdue: bool,
        satisfaction: int | None,
        rated_at: datetime | None,
        visits: Sequence[tuple[datetime, str]] = (),
    ) -> RequestFacts:
        return cls(
            **{name: values[name] for name in REQUEST_FIELDS},
            supervised_when_overdue=supervised_when_overdue,
            satisfaction=satisfaction,
            rated_at=rated_at,
            visits=tuple(sorted(visits)),
        )

    @property
    def group(self) -> Group:
        return (
            self.court_id,
            self.division_id,
            self.assignee_id,
            self.channel,
            self.matter_type_id,
        )


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def counts(facts: RequestFacts, now: datetime) -> list[Count]:
    """The counts ``facts`` adds, by day, as of ``now`` (a late decision once its deadline has
    passed)."""
    found: dict[tuple[int, int], int] = {}

    def add(moment: datetime, column: str, amount: int = 1) -> None:
        key = (local_day(moment).toordinal(), INDEX[column])
        found[key] = found.get(key, 0) + amount

    add(facts.created_at, "received")
    running = facts.status in RUNNING_STATUSES
    due, responded = facts.first_response_due, facts.first_responded_at
    if due is not None:
        if responded is not None and responded <= due:
            add(responded, "response_on_time")
            add(responded, "response_decided")
        elif (responded is not None or running) and due < now:
            add(due, "response_decided")
    due, replied = facts.completion_due, facts.replied_at
    if due is not None:
        answered = facts.status in ANSWERED_STATUSES and replied is not None
        if answered and replied is not None and replied <= due:
            on_time = not facts.supervised_when_overdue
        else:
            on_time = False
        if on_time and replied is not None:
            add(replied, "completion_on_time")
            add(replied, "completion_decided")
        elif (running or answered) and due < now:
            add(due, "completion_decided")
    if facts.satisfaction is not None and facts.rated_at is not None:
        add(facts.rated_at, "rated")
        add(facts.rated_at, "satisfaction_sum", facts.satisfaction)
        if facts.satisfaction >= SATISFIED_AT_OR_ABOVE:
            add(facts.rated_at, "satisfied")
    for done_at, result in facts.visits:
        column = VISIT_COLUMNS.get(result)
        if column is not None:
            add(done_at, column)
    return [(day, column, amount) for (day, column), amount in sorted(found.items()) if amount]


def grain_keys(group: Group, day: date) -> list[Key]:
    """The rows a request's count on ``day`` goes to: its assignee's, its channel's and its
    matter type's within its court and division, each by day and by month."""
    court, division, assignee, channel, matter_type = group
    month = day.replace(day=1)
    keys: list[Key] = []
    for dimension, key in (
        ("assignee", "" if assignee is None else str(assignee)),
        ("channel", channel),
        ("matter_type", "" if matter_type is None else str(matter_type)),
    ):
        keys.append((FigureGrain.DAY, court, division, dimension, key, day))
        keys.append((FigureGrain.MONTH, court, division, dimension, key, month))
    return keys


def accumulate(
    into: dict[Key, Vector], group: Group, request_counts: Iterable[Sequence[int]], *, sign: int = 1
) -> dict[Key, Vector]:
    """Add (``sign`` 1) or take out (−1) one request's counts to its rows (``grain_keys``);
    rows left at zero stay (the caller drops them)."""
    for ordinal, column, amount in request_counts:
        for key in grain_keys(group, date.fromordinal(ordinal)):
            vector = into.get(key)
            if vector is None:
                vector = into[key] = [0] * len(COLUMNS)
            vector[column] += sign * amount
    return into
