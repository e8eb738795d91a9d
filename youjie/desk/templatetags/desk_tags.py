"""Labels and badges for the desk's pages: timeline verbs and states in Chinese.

Filters give plain text (Django escapes it where it is printed); the badges and the tab bar
are inclusion tags, their markup in ``desk/_status_badge.html``, ``desk/_priority_badge.html``
and ``desk/_tabs.html``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

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
    "case_query_verified": "核验来电人为本案当事人",
    "case_query_check_failed": "来电人身份核验未通过",
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


# An item marker at the start of a line or after a separator: "1." "1、" "1．" "（1）" "(1)".
_ITEM_MARKER = re.compile(r"(?:^|(?<=[；;。\s]))\s*(?:(\d{1,2})\s*[.．、]|[（(](\d{1,2})[)）])\s*")
_LINE_BULLET = re.compile(r"^\s*(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[)）]|[-•·*])\s*")
_ITEM_END = "；;，,、 "


@register.filter
def checklist_items(text: str) -> list[str]:
    """A checklist's materials or steps as the items of a numbered list (``<ol>``): one item a
    line, or — typed in one line — split at "1. … 2. …", the markers counted from 1 so that
    a "0.5%" or a "第1. 项" inside an item stays where it is."""
    lines = [line for line in str(text or "").splitlines() if line.strip()]
    if len(lines) == 1:
        lines = _split_numbered(lines[0])
    items = [_LINE_BULLET.sub("", line, count=1).strip().rstrip(_ITEM_END) for line in lines]
    return [item.removesuffix("。") if len(items) > 1 else item for item in items if item]


def _split_numbered(line: str) -> list[str]:
    starts: list[tuple[int, int]] = []  # (marker start, text start) of items 1, 2, 3 …
    for match in _ITEM_MARKER.finditer(line):
        if int(match.group(1) or match.group(2)) == len(starts) + 1:
            starts.append((match.start(), match.end()))
    if len(starts) < 2 or line[: starts[0][0]].strip():
        return [line]
    ends = [start for start, _ in starts[1:]] + [len(line)]
    return [line[text_start:end] for (_, text_start), end in zip(starts, ends, strict=True)]


@register.filter
def state_label(value: str) -> str:
    return _STATUS_LABELS.get(value, value)


@register.inclusion_tag("desk/_status_badge.html")
def status_badge(status: str) -> dict[str, str]:
    """The request's state as a badge in its colour."""
    return {"colour": STATUS_COLOURS.get(status, ""), "label": state_label(status)}


@register.inclusion_tag("desk/_priority_badge.html")
def priority_badge(priority: str) -> dict[str, bool]:
    """The deputies' badge, for a priority request only."""
    return {"is_priority": priority == Priority.PRIORITY}


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
    if verb in ("case_query_verified", "case_query_check_failed"):
        how = "，已核对短信验证码" if data.get("by_code") else ""
        who = "（代理律师）" if data.get("identity") == "lawyer" else ""
        return f"手机 {data.get('mobile', '')}{who}{how}"
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


# The desk's tabs: (view name, label); the "new request" button follows them (``_tabs.html``).
DESK_TABS: tuple[tuple[str, str], ...] = (
    ("desk:my_queue", "我的待办"),
    ("desk:division_queue", "本庭诉求"),
    ("desk:intake_queue", "待分派"),
    ("desk:overdue", "超期"),
    ("desk:supervised", "督办"),
    ("desk:priority", "代表委员"),
    ("desk:return_visits", "回访"),
    ("desk:search", "检索"),
    ("desk:matter_types", "事项类型"),
)


@register.inclusion_tag("desk/_tabs.html", takes_context=True)
def desk_tabs(context: template.Context) -> dict[str, Any]:
    """The desk's tab bar, the page's ``active`` tab marked (``intake``: the new-request
    button)."""
    active = str(context.get("active") or "")
    return {
        "tabs": [(name, label, name == f"desk:{active}") for name, label in DESK_TABS],
        "intake_active": active == "intake",
    }
