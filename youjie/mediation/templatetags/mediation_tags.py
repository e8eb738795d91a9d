"""Labels for the mediation pages: event verbs in Chinese, times in Beijing time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from youjie.core.models import Event
from youjie.workdays.calendar import SHANGHAI

register = template.Library()

EVENT_LABELS = {
    "delegated": "委派调解",
    "accepted": "调解员确认接受",
    "extended": "延长调解期限",
    "session_scheduled": "安排调解",
    "session_reminded": "调解前一日短信提醒",
    "session_held": "调解已进行",
    "session_not_held": "调解未进行",
    "agreed": "达成调解协议",
    "failed": "调解不成，转入立案审查",
    "withdrawn": "撤回",
    "confirmation_applied": "申请司法确认",
    "confirmation_accepted": "受理司法确认申请",
    "confirmation_extended": "延长司法确认审查期限",
    "confirmation_confirmed": "裁定确认调解协议有效",
    "confirmation_refused": "裁定驳回司法确认申请",
    "confirmation_not_accepted": "司法确认申请不予受理",
    "closed": "调解结案",
}
CLOCK_COLOURS = {"done": "green", "late": "orange", "open": "", "overdue": "red"}


@register.filter
def event_label(verb: str) -> str:
    return EVENT_LABELS.get(verb, verb)


@register.filter
def clock_colour(state: str) -> str:
    return CLOCK_COLOURS.get(state, "")


@register.filter
def local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M")


@register.filter
def event_detail(event: Event) -> str:
    """A short line of what the event's data says (the due dates, the case number)."""
    data = event.data if isinstance(event.data, dict) else {}
    parts = []
    if data.get("mediator"):
        parts.append(f"调解员：{data['mediator']}")
    if data.get("organisation"):
        parts.append(f"调解组织：{data['organisation']}")
    if data.get("due_on"):
        parts.append(f"调解期限至{data['due_on']}")
    if data.get("from") and data.get("to"):
        parts.append(f"期限由{data['from']}延长至{data['to']}")
    if data.get("scheduled_at"):
        parts.append(f"时间：{str(data['scheduled_at'])[:16].replace('T', ' ')}")
    if "notified" in data:
        parts.append(f"短信通知{data['notified']}人")
    if data.get("agreed_on"):
        parts.append(f"协议生效日期{data['agreed_on']}")
    if data.get("case_number"):
        parts.append(f"案号：{data['case_number']}")
    if data.get("decide_due"):
        parts.append(f"审查期限至{data['decide_due']}")
    return "；".join(parts)
