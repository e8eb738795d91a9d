"""Labels and badges for the desk's pages: timeline verbs and states in Chinese."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from django import template
from django.forms import BoundField
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from youjie.core.models import Event
from youjie.desk.choices import (
    Priority,
    RequestStatus,
    ReturnVisitAction,
    ReturnVisitReason,
    ReturnVisitResult,
)
from youjie.workdays.calendar import SHANGHAI

register = template.Library()

# Every verb the desk writes on a request's timeline (services, sweeps, inbound adapters).
EVENT_LABELS: dict[str, str] = {
    "registered": "登记",
    "flagged_repeat": "识别为重复诉求",
    "routed": "分派",
    "transferred": "转办",
    "accepted": "签收",
    "declined": "退回",
    "transfer_expired": "超时未签收，自动退回",
    "checklist_sent": "发送一次告知清单",
    "replied": "答复",
    "replied_on_the_spot": "当场答复",
    "interim_reply": "阶段性回复",
    "pause_requested": "申请中止计时",
    "extension_requested": "申请延期",
    "pause_rejected": "驳回中止计时申请",
    "extension_rejected": "驳回延期申请",
    "paused": "中止计时",
    "extended": "延期",
    "resumed": "恢复计时",
    "supervised": "督办",
    "merged": "并案",
    "merged_from": "并入其他诉求",
    "withdrawn": "撤回",
    "feedback_received": "收到诉求人评价",
    "disputed": "诉求人对答复有异议，重新办理",
    "closed_by_feedback": "评价后办结",
    "closed_feedback_window": "评价期满自动办结",
    "closed": "办结",
    "return_visit_queued": "列入回访",
    "return_visit_done": "完成回访",
    "reopened_by_return_visit": "回访后重新办理",
    "escalated": "回访报庭长督办",
    "reminder_sent": "临近期限提醒",
    "became_overdue": "超期",
    "call_missed": "未接来电",
}

STATUS_COLOURS: dict[str, str] = {
    RequestStatus.REGISTERED: "",
    RequestStatus.AWAITING_ACCEPTANCE: "orange",
    RequestStatus.IN_PROGRESS: "blue",
    RequestStatus.PAUSED: "orange",
    RequestStatus.REPLIED: "green",
    RequestStatus.CLOSED: "green",
    RequestStatus.MERGED: "grey",
    RequestStatus.WITHDRAWN: "grey",
}
_STATUS_LABELS: dict[str, str] = {str(value): str(label) for value, label in RequestStatus.choices}


@register.filter
def event_label(verb: str) -> str:
    return EVENT_LABELS.get(verb, verb)


@register.filter
def state_label(value: str) -> str:
    return _STATUS_LABELS.get(value, value)


def _status_badge_html(status: str) -> SafeString:
    colour = STATUS_COLOURS.get(status, "")
    return format_html(
        '<span class="badge{}">{}</span>', f" {colour}" if colour else "", state_label(status)
    )


# A list prints a badge per row; the statuses are few, so each badge is built once.
_STATUS_BADGES: dict[str, SafeString] = {
    str(value): _status_badge_html(str(value)) for value in RequestStatus.values
}
_PRIORITY_BADGE = format_html('<span class="badge red">{}</span>', "代表委员")
_NO_BADGE = mark_safe("")


@register.simple_tag
def status_badge(status: str) -> SafeString:
    badge = _STATUS_BADGES.get(status)
    return badge if badge is not None else _status_badge_html(status)


@register.simple_tag
def priority_badge(priority: str) -> SafeString:
    return _PRIORITY_BADGE if priority == Priority.PRIORITY else _NO_BADGE


@register.filter
def local_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = timezone.localtime(value, SHANGHAI)  # raises, as Django does for naive values
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _local_iso(value: Any) -> str:
    try:
        return local_time(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


@register.filter
def event_detail(event: Event) -> str:
    """A short Chinese gloss of an event's data (where it went, the new deadline …)."""
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    verb = event.verb
    if verb in ("routed", "transferred"):
        target = " ".join(part for part in (data.get("division"), data.get("user")) if part)
        return f"至 {target}" if target else ""
    if verb == "accepted":
        return f"承办人 {data.get('assignee', '')}"
    if verb == "flagged_repeat":
        return f"与 {data.get('repeat_of', '')} 相似，累计重复 {data.get('repeat_count', '')} 次"
    if verb in ("supervised", "extended"):
        return f"期限 {_local_iso(data.get('from'))} → {_local_iso(data.get('to'))}"
    if verb in ("became_overdue", "reminder_sent") and data.get("deadline"):
        return f"期限 {_local_iso(data['deadline'])}"
    if verb == "checklist_sent":
        return f"第{data.get('version', '')}版"
    if verb == "merged":
        return f"并入 {data.get('into', '')}"
    if verb == "merged_from":
        return f"{data.get('from', '')} 并入本诉求"
    if verb == "feedback_received":
        return f"满意度 {data.get('satisfaction', '')} 分" + (
            "，有异议" if data.get("disputed") else ""
        )
    if verb == "return_visit_queued" and data.get("reason") in ReturnVisitReason.values:
        return str(ReturnVisitReason(data["reason"]).label)
    if verb == "return_visit_done":
        parts = []
        if data.get("result") in ReturnVisitResult.values:
            parts.append(str(ReturnVisitResult(data["result"]).label))
        if data.get("action") in ReturnVisitAction.values:
            parts.append(str(ReturnVisitAction(data["action"]).label))
        return "，".join(parts)
    return ""


@register.simple_tag
def choice_select(field: BoundField) -> SafeString:
    """``<select>`` for a ChoiceField with flat choices, built here: Django renders every
    ``<option>`` through the form renderer's templates, which was a tenth of the search page.
    The markup is the widget's (name, id, ``selected``); labels and values are escaped."""
    current = field.value()
    current = "" if current is None else str(current)
    options = "".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == current else ""}>'
        f"{escape(str(label))}</option>"
        for value, label in field.field.choices  # type: ignore[attr-defined]
    )
    return mark_safe(  # noqa: S308 - every value and label above is escaped
        f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}">{options}</select>'
    )


# The desk's tabs: (view name, label); the last one is the "new request" button.
DESK_TABS: tuple[tuple[str, str], ...] = (
    ("my_queue", "我的待办"),
    ("division_queue", "本庭诉求"),
    ("intake_queue", "待分派"),
    ("overdue", "超期"),
    ("supervised", "督办"),
    ("priority", "代表委员"),
    ("return_visits", "回访"),
    ("search", "检索"),
    ("matter_types", "事项类型"),
)
_TABS_MEMO: dict[tuple[str, str], SafeString] = {}


def _tabs_html(active: str) -> SafeString:
    links = []
    for name, label in DESK_TABS:
        current = ' class="active" aria-current="page"' if name == active else ""
        links.append(f'  <a href="{escape(reverse(f"desk:{name}"))}"{current}>{label}</a>')
    new_active = " active" if active == "intake" else ""
    links.append(
        f'  <a href="{escape(reverse("desk:intake"))}" class="new{new_active}">＋ 登记</a>'
    )
    body = "\n".join(links)
    # Built from the URL configuration and the constants above only.
    return mark_safe(f'<nav class="desk-tabs" aria-label="诉事速办">\n{body}\n</nav>')  # noqa: S308


@register.simple_tag(takes_context=True)
def desk_tabs(context: template.Context) -> SafeString:
    """The desk's tab bar with the ``active`` tab marked; built once per tab and script
    prefix (a page used to print it through ten ``{% url %}`` and ten ``{% if %}`` tags)."""
    active = str(context.get("active") or "")
    key = (active, get_script_prefix())
    html = _TABS_MEMO.get(key)
    if html is None:
        html = _TABS_MEMO[key] = _tabs_html(active)
    return html


@register.simple_tag
def rows_html(rows: Any) -> SafeString:
    """A queue's rows (``views.common.RequestRow``), each already HTML, as one string."""
    # Each row's HTML is escaped where it was built (RequestRow.html).
    return mark_safe("".join(row.html for row in rows))  # noqa: S308
