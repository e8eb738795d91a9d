"""Django admin for holiday schedules. The /calendar/ editor is the usual way to enter a year;
edits here keep the same rules (dates inside the year), write the timeline and clear caches."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from youjie.core.timeline import event_record
from youjie.core.viewers import StaffUser
from youjie.workdays.calendar import clear_calendar_cache
from youjie.workdays.models import CalendarDay, CalendarYear


class CalendarDayInlineFormSet(forms.BaseInlineFormSet[CalendarDay, CalendarYear, Any]):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day is not None and not form.cleaned_data.get("DELETE") and day.year != year:
                raise ValidationError(f"日期 {day.isoformat()} 不在{year}年内")


class CalendarDayInline(admin.TabularInline[CalendarDay, CalendarYear]):
    model = CalendarDay
    formset = CalendarDayInlineFormSet
    extra = 3
    fields = ("date", "kind", "name")
    ordering = ("date",)


def _actor(request: HttpRequest) -> StaffUser | None:
    """The signed-in staff member who made the change (the admin admits no one else)."""
    return request.user if isinstance(request.user, StaffUser) else None


def _after_change() -> None:
    clear_calendar_cache()
    transaction.on_commit(clear_calendar_cache)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ("year", "source", "entered_by", "updated_at")
    search_fields = ("source",)
    readonly_fields = ("entered_by", "created_at", "updated_at")
    fields = ("year", "source", "entered_by", "created_at", "updated_at")
    inlines = (CalendarDayInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The year is the primary key: changing it would silently create a second year.
        if obj is not None:
            return ("year", *self.readonly_fields)
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        actor = _actor(request)
        obj.entered_by_id = actor.pk if actor is not None else None
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        with transaction.atomic():
            event_record(
                subject=form.instance,
                verb="calendar_year.replaced" if change else "calendar_year.created",
                actor=_actor(request),
                reason="通过系统配置后台修改",
                data={"days": form.instance.days.count(), "source": form.instance.source},
            )
            _after_change()

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        with transaction.atomic():
            event_record(
                subject=obj,
                verb="calendar_year.deleted",
                actor=_actor(request),
                reason="通过系统配置后台删除",
            )
            super().delete_model(request, obj)
            _after_change()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        with transaction.atomic():
            for calendar_year in queryset:
                event_record(
                    subject=calendar_year,
                    verb="calendar_year.deleted",
                    actor=_actor(request),
                    reason="通过系统配置后台删除",
                )
            super().delete_queryset(request, queryset)
            _after_change()
