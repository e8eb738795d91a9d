"""Writes: entering and removing an administrator's holiday schedule for a year."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.core.viewers import StaffUser
from youjie.workdays.calendar import clear_calendar_cache
from youjie.workdays.choices import DayKind
from youjie.workdays.models import YEAR_MAX, YEAR_MIN, CalendarDay, CalendarYear
from youjie.workdays.parsing import MAX_NAME_LENGTH, overlapping_dates
from youjie.workdays.permissions import can_edit_calendar

DatedNames = Sequence[tuple[date, str]]


def _validate(*, year: int, holidays: DatedNames, workdays: DatedNames) -> None:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationFailed(
            f"年份应在{YEAR_MIN}至{YEAR_MAX}之间", fields={"year": ["年份超出范围"]}
        )
    fields: dict[str, list[str]] = {}
    for field_name, rows in (("holidays", holidays), ("workdays", workdays)):
        outside = sorted({day.isoformat() for day, _ in rows if day.year != year})
        if outside:
            fields.setdefault(field_name, []).append(
                f"以下日期不在{year}年内：{'、'.join(outside)}"
            )
        if any(len(name) > MAX_NAME_LENGTH for _, name in rows):
            fields.setdefault(field_name, []).append(f"名称最多{MAX_NAME_LENGTH}字")
    overlap = overlapping_dates(holidays, workdays)
    if overlap:
        listed = "、".join(day.isoformat() for day in overlap)
        fields.setdefault("workdays", []).append(f"以下日期同时出现在放假和调休上班中：{listed}")
    if fields:
        raise ValidationFailed("节假日安排有误", fields=fields)


def _user_id(actor: StaffUser | None) -> int | None:
    return actor.pk if actor is not None else None


def _clear_caches_now_and_after_commit() -> None:
    # Now, so that reads later in this transaction see the change; after commit, so that a read
    # by another thread between our clear and our commit cannot leave stale data cached.
    clear_calendar_cache()
    transaction.on_commit(clear_calendar_cache)


def calendar_year_save(
    *,
    year: int,
    holidays: DatedNames,
    workdays: DatedNames,
    source: str = "",
    actor: StaffUser | None,
) -> CalendarYear:
    """Replace ``year``'s administrator-entered schedule with the given dates.

    From then on the year ignores the bundled package: listed holidays are days off, listed
    workdays are working days (调休), every other date follows the Monday–Friday week.
    """
    if actor is not None and not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以修改节假日安排")
    _validate(year=year, holidays=holidays, workdays=workdays)
    holiday_names = dict(holidays)
    workday_names = dict(workdays)
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        created = calendar_year is None
        if calendar_year is None:
            calendar_year = CalendarYear.objects.create(
                year=year, source=source.strip(), entered_by_id=_user_id(actor)
            )
            previous: dict[str, int] = {"holidays": 0, "workdays": 0}
        else:
            days = calendar_year.days.all()
            previous = {
                "holidays": days.filter(kind=DayKind.HOLIDAY).count(),
                "workdays": days.filter(kind=DayKind.WORKDAY).count(),
            }
            calendar_year.source = source.strip()
            calendar_year.entered_by_id = _user_id(actor)
            calendar_year.save(update_fields=["source", "entered_by", "updated_at"])
            calendar_year.days.all().delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(calendar_year=calendar_year, date=day, kind=DayKind.HOLIDAY, name=name)
                for day, name in sorted(holiday_names.items())
            ]
            + [
                CalendarDay(calendar_year=calendar_year, date=day, kind=DayKind.WORKDAY, name=name)
                for day, name in sorted(workday_names.items())
            ]
        )
        event_record(
            subject=calendar_year,
            verb="calendar_year.created" if created else "calendar_year.replaced",
            actor=actor,
            data={
                "source": calendar_year.source,
                "holidays": len(holiday_names),
                "workdays": len(workday_names),
                "previous": previous,
            },
        )
        _clear_caches_now_and_after_commit()
    return calendar_year


def calendar_year_delete(*, year: int, actor: StaffUser | None) -> bool:
    """Remove ``year``'s override; the year falls back to the package or to weekends only.

    Returns False when there was nothing to remove.
    """
    if actor is not None and not can_edit_calendar(actor):
        raise PermissionDenied("只有系统管理员可以修改节假日安排")
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
        if calendar_year is None:
            return False
        days = calendar_year.days.all()
        event_record(
            subject=calendar_year,
            verb="calendar_year.deleted",
            actor=actor,
            data={
                "source": calendar_year.source,
                "holidays": days.filter(kind=DayKind.HOLIDAY).count(),
                "workdays": days.filter(kind=DayKind.WORKDAY).count(),
            },
        )
        calendar_year.delete()
        _clear_caches_now_and_after_commit()
    return True
