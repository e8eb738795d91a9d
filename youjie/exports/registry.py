"""The staff lists that can be taken away as .xlsx, as a registry; this app imports no app above it.

Each app declares its exportable lists in its own ``<app>/exports.py`` (autodiscovered from
``ExportsConfig.ready()``, as core finds ``navigation.py``)::

    from youjie.exports.registry import Column, ExportList, Kind, Selection, register_export

    def _cases(user: User, params: QueryDict) -> Selection:
        form = CaseFilterForm(params)
        if not form.is_valid():
            raise invalid_filters(form)
        return Selection(rows=selectors.court_case_list(user=user, ...), filters=filters_text(form))

    register_export(ExportList(
        name="courtcases.cases", title="法院案件清单", page="courtcases:list",
        may_export=signed_in, select=_cases,
        columns=(Column("案号", lambda case: case.case_number, width=26), ...),
    ))

``select(user, params)`` is the list page's own form and selector with the page's query string,
so that the export holds exactly the rows the page shows, within the user's scope; it raises an
``ApplicationError`` (a Chinese message) for filters the page would refuse. ``may_export`` is the
page's own gate. A column of personal data (``Kind.MASKED``) carries the masked value, the full
value and the rule that decides who gets the full one (``unmask``: the role; ``unmask_row``: the
record, where the app's own reveal rule is per record); the workbook shows the masked value to
everybody else, and the audit entry says which columns went out in full.

openpyxl is not imported here (youjie/exports/workbook.py imports it inside its functions).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils.module_loading import autodiscover_modules

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.viewers import Viewer
from youjie.orgs.models import User


class Kind(StrEnum):
    """How a column's cells are written: text, or a typed cell Excel can sort and sum."""

    TEXT = "text"
    DATE = "date"  # yyyy-mm-dd
    DATETIME = "datetime"  # yyyy-mm-dd hh:mm, Beijing time
    NUMBER = "number"  # a whole number
    DECIMAL = "decimal"  # money and the like: two decimals, thousands separated
    MASKED = "masked"  # personal data: masked unless the column's rule allows the full value


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], object]  # the cell; for MASKED the masked form
    width: int = 14  # characters (a Chinese character counts about two)
    kind: Kind = Kind.TEXT
    # MASKED only: the full value, and who may have it (by role; then, if given, by record).
    full: Callable[[Any], object] | None = None
    unmask: Callable[[User], bool] | None = None
    unmask_row: Callable[[User, Any], bool] | None = None

    def __post_init__(self) -> None:
        if (self.kind is Kind.MASKED) != (self.full is not None and self.unmask is not None):
            raise ValueError(f"{self.header}: a masked column names its full value and its rule")


@dataclass(frozen=True)
class Selection:
    """What an export holds: the scoped, filtered rows (in the page's order) and the filters in
    words for the sheet's second row and the audit log ("全部" when there are none)."""

    rows: QuerySet[Any]
    filters: str


@dataclass(frozen=True)
class ExportList:
    name: str  # "<app>.<list>", the address /exports/<name>.xlsx
    title: str  # the sheet's title row: "法院案件清单"
    columns: tuple[Column, ...]
    select: Callable[[User, QueryDict], Selection]
    may_export: Callable[[Viewer], bool]  # the list page's own gate
    page: str  # the list page's URL name ("courtcases:list")
    denied_message: str = "您无权导出该清单"
    counter: str = "条"  # 件 for matters and cases, 人 for persons: "导出法院案件清单12件"
    # The audit log's action (the petitions exports keep the names they were audited under).
    audit_action: str = "export_list"

    @property
    def masked_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.kind is Kind.MASKED)


_REGISTRY: dict[str, ExportList] = {}


def register_export(export_list: ExportList) -> ExportList:
    """Add a list (again: the same name replaces the earlier one, so a module imported twice
    does not register twice)."""
    _REGISTRY[export_list.name] = export_list
    return export_list


def unregister_export(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[ExportList]:
    return sorted(_REGISTRY.values(), key=lambda export_list: export_list.name)


def export_list_get(name: str) -> ExportList:
    """The list registered as ``name``, or NotFound (a 404 with a Chinese message)."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise NotFound("没有这个可导出的清单") from None


def autodiscover() -> None:
    """Import ``<app>.exports`` for every installed app (called from ExportsConfig.ready)."""
    autodiscover_modules("exports")


# --- helpers for the apps' select functions ---------------------------------------------------


def signed_in(user: Viewer) -> bool:
    """The gate of the pages every signed-in staff member may open (their scope decides)."""
    return bool(user.is_authenticated and user.is_active)


def invalid_filters(form: forms.BaseForm) -> ValidationFailed:
    """The page's form refused the query string: a 422 naming the fields, nothing exported."""
    fields = {name: [str(message) for message in errors] for name, errors in form.errors.items()}
    details = "；".join(message for messages in fields.values() for message in messages)
    return ValidationFailed(
        f"筛选条件有误，未导出：{details}" if details else "筛选条件有误，未导出", fields=fields
    )


def _shown(field: forms.Field, value: Any) -> str:
    if value is True:
        return "是"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, Model):
        return str(value)
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat_choices(choices)}
        return str(labels.get(str(value), value))
    return str(value)


def _flat_choices(choices: Iterable[Any]) -> Iterable[tuple[Any, Any]]:
    for key, label in choices:
        if isinstance(label, list | tuple):  # an optgroup
            yield from label
        else:
            yield key, label


def filters_text(
    form: forms.BaseForm,
    *,
    shown: Mapping[str, str] | None = None,
    skip: Iterable[str] = (),
    default: str = "全部",
) -> str:
    """The valid form's filters in words, "属地：石拐区；仅看超期：是", in the form's order;
    ``shown`` gives a field's words where its value is an id (a division, a judge)."""
    shown = shown or {}
    skipped = set(skip)
    parts = []
    for name, field in form.fields.items():
        if name in skipped:
            continue
        value = form.cleaned_data.get(name)
        if value in (None, "", False, [], ()):
            continue
        label = str(field.label or name)
        parts.append(f"{label}：{shown.get(name) or _shown(field, value)}")
    return "；".join(parts) or default
