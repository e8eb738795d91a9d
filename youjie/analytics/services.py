"""Writes of the analytics app: the court figures' day table brought up to date (a refresh every
minute by the periodic task, a full rebuild on request). (The big screens' figures are
``core`` figure snapshots: ``screen.SCREEN_SNAPSHOTS``.)

The day table (``models.CourtFigureDay``) is derived data: every write here can be redone
from the court cases by ``court_figures_rebuild``. A refresh and a rebuild hold one lock (the
``FigureRefresh`` row, written first), so that two never apply the same change twice.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from youjie.analytics import desk_contributions as desk_counts
from youjie.analytics.court_contributions import (
    COLUMNS,
    FACT_FIELDS,
    CaseFacts,
    Key,
    Vector,
    accumulate,
)
from youjie.analytics.models import (
    COURT_FIGURES,
    DESK_FIGURES,
    CourtFigureCase,
    CourtFigureDay,
    DeskFigureDay,
    DeskFigureRequest,
    FigureRefresh,
)
from youjie.core.models import Event
from youjie.courtcases.models import CourtCase
from youjie.desk.choices import ReturnVisitStatus
from youjie.desk.models import Feedback, ReturnVisit, ServiceRequest, Supervision

logger = logging.getLogger(__name__)

# A refresh reads again the cases changed this long before the previous one began: an import
# batch stamps its cases before it commits, and a batch committed after a refresh had read the
# table would otherwise be missed. Reading a case again changes nothing (its counts are equal).
WATERMARK_MARGIN = timedelta(minutes=10)
CHUNK = 2_000

T = TypeVar("T")


@dataclass(frozen=True)
class RefreshResult:
    refreshed_at: datetime
    cases: int  # cases whose counts changed (all cases on a rebuild)
    rows: int  # day-table rows changed (written, rewritten or removed)
    rebuilt: bool


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _locked_state(name: str = COURT_FIGURES) -> FigureRefresh:
    """A set of figures' state row, locked until the transaction ends: the UPDATE takes
    SQLite's write lock (``select_for_update`` does nothing there) and PostgreSQL's row lock."""
    state, _created = FigureRefresh.objects.get_or_create(name=name)
    FigureRefresh.objects.filter(pk=state.pk).update(name=name)
    return FigureRefresh.objects.select_for_update().get(pk=state.pk)


def _ledger_row(case_id: int, facts: CaseFacts) -> CourtFigureCase:
    return CourtFigureCase(case_id=case_id, **{name: getattr(facts, name) for name in FACT_FIELDS})


def _day_row(key: Key, vector: Vector) -> CourtFigureDay:
    grain, court_id, division_id, judge_id, type_code, day, filed_after = key
    return CourtFigureDay(
        grain=grain,
        court_id=court_id,
        division_id=division_id,
        judge_id=judge_id,
        type_code=type_code,
        day=day,
        filed_after=filed_after,
        **dict(zip(COLUMNS, vector, strict=True)),
    )


def _rebuild(state: FigureRefresh, now: datetime) -> RefreshResult:
    CourtFigureDay.objects.all().delete()
    CourtFigureCase.objects.all().delete()
    totals: dict[Key, Vector] = {}
    ledger: list[CourtFigureCase] = []
    for values in CourtCase.objects.values("pk", *FACT_FIELDS).order_by().iterator(CHUNK):
        facts = CaseFacts.of(values)
        accumulate(totals, [facts])
        ledger.append(_ledger_row(values["pk"], facts))
    CourtFigureCase.objects.bulk_create(ledger, batch_size=1_000)
    rows = [_day_row(key, vector) for key, vector in totals.items() if any(vector)]
    CourtFigureDay.objects.bulk_create(rows, batch_size=1_000)
    state.refreshed_at = state.rebuilt_at = now
    state.watermark = now - WATERMARK_MARGIN
    state.cases_changed = len(ledger)
    state.save(update_fields=["refreshed_at", "rebuilt_at", "watermark", "cases_changed"])
    return RefreshResult(refreshed_at=now, cases=len(ledger), rows=len(rows), rebuilt=True)


def court_figures_rebuild(*, now: datetime | None = None) -> RefreshResult:
    """The day table computed afresh from every court case (``manage.py analytics_rebuild``,
    the demo's seeding, and the first refresh)."""
    with transaction.atomic():
        state = _locked_state()
        return _rebuild(state, now or timezone.now())


def _apply_to_table(
    model: type[Any],
    delta: Mapping[tuple[Any, ...], list[int]],
    *,
    key_fields: tuple[str, ...],
    columns: tuple[str, ...],
    row: Callable[[Any, list[int]], Any],
    label: str,
) -> int:
    """Add ``delta`` to a day table (``CourtFigureDay``, ``DeskFigureDay``). The rows it touches
    are removed and written again with their new counts (none once all zero): a DELETE by id and
    a bulk INSERT, where an UPDATE of many rows would be one ``CASE`` per column and row. A key
    is the values of ``key_fields``, of which ``court_id`` and ``day`` find the existing rows."""
    changes = {key: vector for key, vector in delta.items() if any(vector)}
    court_at, day_at = key_fields.index("court_id"), key_fields.index("day")
    days_by_court: dict[int, set[date]] = defaultdict(set)
    for changed in changes:
        days_by_court[changed[court_at]].add(changed[day_at])
    size = len(key_fields)
    existing: dict[tuple[Any, ...], tuple[int, list[int]]] = {}
    for court_id, days in days_by_court.items():
        for days_chunk in _chunks(sorted(days)):
            found = model.objects.filter(court_id=court_id, day__in=days_chunk)
            for values in found.values_list("pk", *key_fields, *columns):
                existing[tuple(values[1 : size + 1])] = (values[0], list(values[size + 1 :]))
    removed: list[int] = []
    written: list[Any] = []
    for key, vector in changes.items():
        totals = list(vector)
        if key in existing:
            pk, counts = existing[key]
            removed.append(pk)
            totals = [count + value for count, value in zip(counts, vector, strict=True)]
        if any(value < 0 for value in totals):
            logger.warning("%s: a count below zero at %s; rebuild the table", label, key)
        if any(totals):
            written.append(row(key, totals))
    for ids in _chunks(removed):
        model.objects.filter(pk__in=ids).delete()
    model.objects.bulk_create(written, batch_size=1_000)
    return len(changes)


def _apply(delta: dict[Key, Vector]) -> int:
    """Add ``delta`` to the court figures' day table."""
    key_fields = ("grain", "court_id", "division_id", "judge_id", "type_code", "day", "filed_after")
    return _apply_to_table(
        CourtFigureDay, delta, key_fields=key_fields, columns=COLUMNS, row=_day_row,
        label="court figures",
    )  # fmt: skip


def court_figures_refresh(*, now: datetime | None = None) -> RefreshResult:
    """Bring the day table up to date with the court cases changed since the last refresh
    (``CourtCase.updated_at``, with a margin) and those removed since: each such case's old
    counts (as ``CourtFigureCase`` remembers them) taken out and its new ones added, whichever
    days, division or court they moved between. The first refresh is a rebuild."""
    with transaction.atomic():
        state = _locked_state()
        now = now or timezone.now()
        if state.watermark is None:
            return _rebuild(state, now)
        changed = {
            values["pk"]: CaseFacts.of(values)
            for values in CourtCase.objects.filter(updated_at__gte=state.watermark)
            .values("pk", *FACT_FIELDS)
            .order_by()
        }
        gone = list(
            CourtFigureCase.objects.exclude(case_id__in=CourtCase.objects.values("pk"))
            .order_by()
            .values_list("case_id", flat=True)
        )
        before: dict[int, CaseFacts] = {}
        for chunk in _chunks([*changed, *gone]):
            rows_of_chunk = CourtFigureCase.objects.filter(pk__in=chunk).values(
                "case_id", *FACT_FIELDS
            )
            before.update((row["case_id"], CaseFacts.of(row)) for row in rows_of_chunk)
        delta: dict[Key, Vector] = {}
        new_rows: list[CourtFigureCase] = []
        moved_rows: list[CourtFigureCase] = []
        for case_id, facts in changed.items():
            old_facts = before.get(case_id)
            if old_facts is not None:
                if old_facts == facts:
                    continue
                accumulate(delta, [old_facts], sign=-1)
                moved_rows.append(_ledger_row(case_id, facts))
            else:
                new_rows.append(_ledger_row(case_id, facts))
            accumulate(delta, [facts])
        accumulate(delta, (before[case_id] for case_id in gone), sign=-1)
        rows = _apply(delta)
        # The ledger rows of changed and removed cases go; the changed ones come back with
        # their new values (a DELETE and a bulk INSERT: an UPDATE of many rows would be one
        # ``CASE`` per column and row).
        for chunk in _chunks([*gone, *(row.case_id for row in moved_rows)]):
            CourtFigureCase.objects.filter(pk__in=chunk).delete()
        CourtFigureCase.objects.bulk_create([*new_rows, *moved_rows], batch_size=1_000)
        cases = len(new_rows) + len(moved_rows) + len(gone)
        state.refreshed_at = now
        state.watermark = now - WATERMARK_MARGIN
        state.cases_changed = cases
        state.save(update_fields=["refreshed_at", "watermark", "cases_changed"])
    return RefreshResult(refreshed_at=now, cases=cases, rows=rows, rebuilt=False)


# --- the desk figures' day table ---------------------------------------------------------------

DESK_CHUNK = 5_000
# A refresh reads again the requests of the timeline events this many ids before the last one it
# read: on PostgreSQL a transaction may commit its event after a later id was read.
EVENT_MARGIN = 1_000


def _desk_facts(requests: QuerySet[ServiceRequest]) -> dict[int, desk_counts.RequestFacts]:
    """The facts of ``requests`` (a chunk at most): the request's values, its rating, its visits
    done and whether it was supervised after it had become overdue."""
    overdue_supervised = Supervision.objects.filter(
        service_request=OuterRef("pk"), previous_deadline__lt=F("created_at")
    )
    rows = list(
        requests.order_by()
        .annotate(supervised_when_overdue=Exists(overdue_supervised))
        .values(
            "pk",
            *desk_counts.REQUEST_FIELDS,
            "supervised_when_overdue",
            "feedback__satisfaction",
            "feedback__submitted_at",
        )
    )
    visits: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    done = ReturnVisit.objects.filter(
        service_request_id__in=[row["pk"] for row in rows],
        status=ReturnVisitStatus.DONE,
        done_at__isnull=False,
    )
    for request_id, done_at, result in done.values_list("service_request_id", "done_at", "result"):
        if done_at is not None:
            visits[request_id].append((done_at, result))
    return {
        row["pk"]: desk_counts.RequestFacts.of(
            row,
            supervised_when_overdue=row["supervised_when_overdue"],
            satisfaction=row["feedback__satisfaction"],
            rated_at=row["feedback__submitted_at"],
            visits=visits.get(row["pk"], ()),
        )
        for row in rows
    }


def _desk_ledger_row(request_id: int, facts: desk_counts.RequestFacts, now: datetime) -> Any:
    return DeskFigureRequest(
        request_id=request_id,
        court_id=facts.court_id,
        division_id=facts.division_id,
        assignee_id=facts.assignee_id,
        channel=facts.channel,
        matter_type_id=facts.matter_type_id,
        counts=[list(count) for count in desk_counts.counts(facts, now)],
    )


def _desk_day_row(key: desk_counts.Key, vector: desk_counts.Vector) -> DeskFigureDay:
    grain, court_id, division_id, dimension, value, day = key
    return DeskFigureDay(
        grain=grain,
        court_id=court_id,
        division_id=division_id,
        dimension=dimension,
        key=value,
        day=day,
        **dict(zip(desk_counts.COLUMNS, vector, strict=True)),
    )


def _ledger_group(row: DeskFigureRequest) -> desk_counts.Group:
    return (row.court_id, row.division_id, row.assignee_id, row.channel, row.matter_type_id)


def _desk_rebuild(state: FigureRefresh, now: datetime) -> RefreshResult:
    DeskFigureDay.objects.all().delete()
    DeskFigureRequest.objects.all().delete()
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    totals: dict[desk_counts.Key, desk_counts.Vector] = {}
    requests = 0
    ids = ServiceRequest.objects.order_by("pk").values_list("pk", flat=True)
    for chunk in _chunks(list(ids.iterator(DESK_CHUNK)), DESK_CHUNK):
        facts = _desk_facts(ServiceRequest.objects.filter(pk__in=chunk))
        ledger = [_desk_ledger_row(pk, one, now) for pk, one in facts.items()]
        for row in ledger:
            desk_counts.accumulate(totals, _ledger_group(row), row.counts)
        DeskFigureRequest.objects.bulk_create(ledger, batch_size=1_000)
        requests += len(ledger)
    rows = [_desk_day_row(key, vector) for key, vector in totals.items() if any(vector)]
    DeskFigureDay.objects.bulk_create(rows, batch_size=1_000)
    state.refreshed_at = state.rebuilt_at = now
    state.watermark = now - WATERMARK_MARGIN
    state.event_id = last_event
    state.cases_changed = requests
    state.save(
        update_fields=["refreshed_at", "rebuilt_at", "watermark", "event_id", "cases_changed"]
    )
    return RefreshResult(refreshed_at=now, cases=requests, rows=len(rows), rebuilt=True)


def desk_figures_rebuild(*, now: datetime | None = None) -> RefreshResult:
    """The desk figures' day table computed afresh from every request (``manage.py
    analytics_rebuild``, the demo's seeding, and the first refresh)."""
    with transaction.atomic():
        state = _locked_state(DESK_FIGURES)
        return _desk_rebuild(state, now or timezone.now())


def _desk_changed(state: FigureRefresh, now: datetime) -> tuple[set[int], int]:
    """The requests whose counts may have changed since the last refresh, and the newest
    timeline event read: those with an event since (the desk writes one with every change),
    changed, rated, visited or supervised since, and those whose deadline has passed since
    (a running clock becomes a late decision without any write)."""
    since = state.watermark or now
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    subject_type = ServiceRequest._meta.label_lower
    changed: set[int] = set()
    events = Event.objects.filter(
        subject_type=subject_type, pk__gt=max(state.event_id - EVENT_MARGIN, 0)
    )
    changed.update(int(pk) for pk in events.values_list("subject_id", flat=True) if pk.isdigit())
    changed.update(
        ServiceRequest.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
    )
    changed.update(
        Feedback.objects.filter(submitted_at__gte=since).values_list(
            "service_request_id", flat=True
        )
    )
    changed.update(
        ReturnVisit.objects.filter(done_at__gte=since).values_list("service_request_id", flat=True)
    )
    changed.update(
        Supervision.objects.filter(created_at__gte=since).values_list(
            "service_request_id", flat=True
        )
    )
    for deadline in ("first_response_due", "completion_due"):
        passed = {f"{deadline}__gte": since, f"{deadline}__lt": now}
        changed.update(ServiceRequest.objects.filter(**passed).values_list("pk", flat=True))
    return changed, last_event


def desk_figures_refresh(*, now: datetime | None = None) -> RefreshResult:
    """Bring the desk figures' day table up to date: each request that may have changed since
    the last refresh (``_desk_changed``) has its old counts (as ``DeskFigureRequest`` keeps
    them) taken out and its counts as of now put in. The first refresh is a rebuild."""
    with transaction.atomic():
        state = _locked_state(DESK_FIGURES)
        now = now or timezone.now()
        if state.watermark is None:
            return _desk_rebuild(state, now)
        changed, last_event = _desk_changed(state, now)
        delta: dict[desk_counts.Key, desk_counts.Vector] = {}
        written: list[DeskFigureRequest] = []
        gone: list[int] = []
        for chunk in _chunks(sorted(changed), DESK_CHUNK):
            facts = _desk_facts(ServiceRequest.objects.filter(pk__in=chunk))
            before = DeskFigureRequest.objects.in_bulk(chunk)
            for pk in chunk:
                old = before.get(pk)
                new = facts.get(pk)
                row = None if new is None else _desk_ledger_row(pk, new, now)
                if (
                    old is not None
                    and row is not None
                    and _ledger_group(old) == _ledger_group(row)
                    and old.counts == row.counts
                ):
                    continue
                if old is not None:
                    desk_counts.accumulate(delta, _ledger_group(old), old.counts, sign=-1)
                    gone.append(pk)
                if row is not None:
                    desk_counts.accumulate(delta, _ledger_group(row), row.counts)
                    written.append(row)
        for ids in _chunks(gone):
            DeskFigureRequest.objects.filter(pk__in=ids).delete()
        DeskFigureRequest.objects.bulk_create(written, batch_size=1_000)
        # Requests deleted (in the admin) leave no event behind: when the ledger holds more
        # requests than there are, the ones gone have their counts taken out too.
        if DeskFigureRequest.objects.count() > ServiceRequest.objects.count():
            removed = DeskFigureRequest.objects.exclude(
                request_id__in=ServiceRequest.objects.values("pk")
            )
            for old in removed:
                desk_counts.accumulate(delta, _ledger_group(old), old.counts, sign=-1)
                gone.append(old.pk)
            removed.delete()
        rows = _apply_desk(delta)
        state.refreshed_at = now
        state.watermark = now - WATERMARK_MARGIN
        state.event_id = last_event
        state.cases_changed = len(written) + len(set(gone) - {row.pk for row in written})
        state.save(update_fields=["refreshed_at", "watermark", "event_id", "cases_changed"])
    return RefreshResult(refreshed_at=now, cases=state.cases_changed, rows=rows, rebuilt=False)


def _apply_desk(delta: dict[desk_counts.Key, desk_counts.Vector]) -> int:
    """Add ``delta`` to the desk figures' day table."""
    key_fields = ("grain", "court_id", "division_id", "dimension", "key", "day")
    return _apply_to_table(
        DeskFigureDay, delta, key_fields=key_fields, columns=desk_counts.COLUMNS,
        row=_desk_day_row, label="desk figures",
    )  # fmt: skip
