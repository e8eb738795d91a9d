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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

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
    CourtFigureCase,
    CourtFigureDay,
    FigureRefresh,
)
from youjie.courtcases.models import CourtCase

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


def _locked_state() -> FigureRefresh:
    """The court figures' state row, locked until the transaction ends: the UPDATE takes
    SQLite's write lock (``select_for_update`` does nothing there) and PostgreSQL's row lock."""
    state, _created = FigureRefresh.objects.get_or_create(name=COURT_FIGURES)
    FigureRefresh.objects.filter(pk=state.pk).update(name=COURT_FIGURES)
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


def _apply(delta: dict[Key, Vector]) -> int:
    """Add ``delta`` to the day table. The rows it touches are removed and written again with
    their new counts (none once all zero): a DELETE by id and a bulk INSERT, where an UPDATE of
    many rows would be one ``CASE`` per column and row."""
    changes = {key: vector for key, vector in delta.items() if any(vector)}
    days_by_court: dict[int, set[date]] = defaultdict(set)
    for changed in changes:
        days_by_court[changed[1]].add(changed[5])
    key_fields = ("grain", "court_id", "division_id", "judge_id", "type_code", "day", "filed_after")
    existing: dict[tuple[Any, ...], tuple[int, list[int]]] = {}
    for court_id, days in days_by_court.items():
        for days_chunk in _chunks(sorted(days)):
            found = CourtFigureDay.objects.filter(court_id=court_id, day__in=days_chunk)
            for values in found.values_list("pk", *key_fields, *COLUMNS):
                existing[tuple(values[1:8])] = (values[0], list(values[8:]))
    removed: list[int] = []
    written: list[CourtFigureDay] = []
    for key, vector in changes.items():
        totals = list(vector)
        if key in existing:
            pk, counts = existing[key]
            removed.append(pk)
            totals = [count + value for count, value in zip(counts, vector, strict=True)]
        if any(value < 0 for value in totals):
            logger.warning("court figures: a count below zero at %s; rebuild the table", key)
        if any(totals):
            written.append(_day_row(key, totals))
    for ids in _chunks(removed):
        CourtFigureDay.objects.filter(pk__in=ids).delete()
    CourtFigureDay.objects.bulk_create(written, batch_size=1_000)
    return len(changes)


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
