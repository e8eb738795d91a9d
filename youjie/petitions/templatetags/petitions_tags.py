"""Labels and badges of the petitions pages: timeline verbs and states in Chinese, the clock
badge. Filters give plain text (Django escapes it where it is printed); the badges are
inclusion tags with their markup in templates.

P2 and P3 add the verbs their services write to ``EVENT_LABELS`` (one line each)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from youjie.core.models import Event
from youjie.petitions.choices import (
    CampaignStatus,
    EvidenceKind,
    FollowUpStatus,
    MatterStatus,
    OutcomeType,
)
from youjie.workdays.calendar import SHANGHAI

register = template.Library()

# Every verb the petitions services write on a timeline (docs/subsystems/petitions.md).
EVENT_LABELS: dict[str, str] = {
    "registered": "登记",
    "escalated_from_request": "由诉事速办诉求转为信访事项",
    "updated": "修改事项信息",
    "assigned": "明确责任（双包案、专班）",
    "handling_started": "开始办理",
    "extended": "延长办理期限",
    "evidence_added": "登记化解材料",
    "resolved": "化解（事了）",
    "return_visit_recorded": "回访",
    "heart_resolved": "回访确认心结解开（事心双解）",
    "terminated": "依法终结",
    "added_to_campaign": "纳入专项行动",
    "follow_up_confirmed_stable": "回头看：确认稳定",
    "reopened": "回头看：重新交办",
    "created": "创建",
    "started": "启动",
    "closed": "结束",
    "matters_added": "纳入事项",
    "follow_up_started": "开始回头看期",
    "follow_up_restarted": "重新开始回头看期",
    "follow_up_reopened": "回头看：重新交办",
    # P2: work records, coordination requests, aid.
    "work_record_added": "登记工作记录",
    "work_record_attachment_added": "工作记录补充附件",
    "coordination_sent": "发出协调函",
    "coordination_replied": "部门答复协调函",
    "aid_applied": "申请救助",
    "aid_cap_exceed_approved": "救助超出上限特批",
    "aid_approved": "批准救助",
    "aid_refused": "不予救助",
    "aid_funds_arrived": "救助资金到位",
    "aid_paid": "发放救助金",
    # P3: supervision letters, meetings, bulletins.
    "supervision_letter_sent": "收到督办函",
    "supervision_letter_replied": "答复督办函",
    "meeting_discussed": "会议逐案研究",
    "meeting_minute_updated": "修改会议研究意见",
    "meeting_task_assigned": "会议交办任务",
    "meeting_task_done": "会议交办任务已落实",
    "sent": "发出",
    "replied": "答复",
    "held": "会议召开",
    "agenda_generated": "生成三日一研究议程",
    "done": "落实",
    "issued": "印发",
    "document_issued": "生成公文",
}

STATE_LABELS: dict[str, str] = {
    **{str(value): str(label) for value, label in FollowUpStatus.choices},
    **{str(value): str(label) for value, label in CampaignStatus.choices},
    **{str(value): str(label) for value, label in MatterStatus.choices},
}

STATUS_COLOURS: dict[str, str] = {
    MatterStatus.REGISTERED: "",
    MatterStatus.IN_PROGRESS: "blue",
    MatterStatus.RESOLVED: "green",
    MatterStatus.SETTLED: "green",
    MatterStatus.TERMINATED: "grey",
}
CLOCK_COLOURS = {"overdue": "red", "due_soon": "orange", "running": "", "done": "", "none": ""}


@register.filter
def event_label(verb: str) -> str:
    return EVENT_LABELS.get(verb, verb)


@register.filter
def state_label(value: str) -> str:
    return STATE_LABELS.get(value, value)


@register.inclusion_tag("petitions/_status_badge.html")
def matter_status_badge(status: str) -> dict[str, str]:
    return {"colour": STATUS_COLOURS.get(status, ""), "label": state_label(status)}


@register.filter
def clock_colour(state: str) -> str:
    return CLOCK_COLOURS.get(state, "")


@register.filter
def local_time(value: datetime | None) -> str:
    if value is None:
        return "—"
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M")


@register.filter
def event_detail(event: Event) -> str:
    """A short Chinese gloss of an event's data."""
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    verb = event.verb
    if verb in ("registered", "escalated_from_request") and data.get("number"):
        request = data.get("service_request")
        return f"编号 {data['number']}" + (f"，来自诉求 {request}" if request else "")
    if verb == "updated" and isinstance(data.get("changed"), list):
        return "修改：" + "、".join(str(name) for name in data["changed"])
    if verb == "assigned":
        names = {
            "lead_official": "包案领导",
            "responsible_unit": "责任单位",
            "handling_unit": "承办单位",
            "handler": "承办人",
        }
        parts = [f"{label} {data[key]}" for key, label in names.items() if data.get(key)]
        if isinstance(data.get("task_force"), list):
            parts.append("专班 " + "；".join(str(item) for item in data["task_force"]))
        return "，".join(parts)
    if verb == "extended":
        due, approver = data.get("due", ""), data.get("approved_by", "")
        return f"延长 {data.get('days', '')} 日，至 {due}（批准人 {approver}）"
    if verb == "evidence_added" and data.get("kind") in EvidenceKind.values:
        return str(EvidenceKind(data["kind"]).label)
    if verb == "resolved" and data.get("outcome_type") in OutcomeType.values:
        return f"{OutcomeType(data['outcome_type']).label}，事了日期 {data.get('resolved_on', '')}"
    if verb == "terminated":
        return f"{data.get('authority', '')} 审核，移交 {data.get('handed_over_to', '')}"
    if verb in ("added_to_campaign",) and data.get("campaign_name"):
        return str(data["campaign_name"])
    if verb in ("follow_up_started", "follow_up_restarted") and data.get("due"):
        return f"回头看期限 {data['due']}"
    if verb == "matters_added" and isinstance(data.get("matters"), list):
        return f"{len(data['matters'])} 件"
    if verb in ("supervision_letter_sent", "supervision_letter_replied") and data.get("number"):
        late = "（逾期）" if data.get("late") else ""
        due = f"，答复期限 {data['due_on']}" if data.get("due_on") else ""
        return f"{data['number']}{due}{late}"
    if verb in ("meeting_discussed", "meeting_minute_updated") and data.get("minute"):
        return f"{data.get('meeting', '')}：{data['minute']}"
    if verb in ("meeting_task_assigned", "meeting_task_done") and data.get("description"):
        owner = f"，责任人 {data['owner']}" if data.get("owner") else ""
        due = f"，期限 {data['due_on']}" if data.get("due_on") else ""
        return f"{data['description']}{owner}{due}"
    return ""
