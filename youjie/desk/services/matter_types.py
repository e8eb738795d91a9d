"""Matter types' 一次告知 checklists: versioned, printable, sent in one message."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.desk.models import ChecklistVersion, MatterType, ServiceRequest
from youjie.desk.permissions import can_manage_matter_types
from youjie.desk.policy import desk_policy
from youjie.desk.selectors import current_checklist
from youjie.desk.services.common import notify_requester
from youjie.orgs.models import User

LIMITS = {
    "materials": 4000,
    "steps": 4000,
    "legal_basis": 2000,
    "fees": 1000,
    "time_limit_note": 200,
}


def checklist_publish(
    *,
    actor: User | None,
    matter_type: MatterType,
    materials: str,
    steps: str,
    legal_basis: str = "",
    fees: str = "",
    time_limit_note: str = "",
    check_permission: bool = True,
) -> ChecklistVersion:
    """Publish a new version; earlier versions stay as they were sent."""
    if check_permission and (actor is None or not can_manage_matter_types(actor)):
        raise PermissionDenied("只有系统管理员可以修改一次告知清单")
    values = {
        "materials": materials.strip(),
        "steps": steps.strip(),
        "legal_basis": legal_basis.strip(),
        "fees": fees.strip(),
        "time_limit_note": time_limit_note.strip(),
    }
    errors = {
        name: [f"不能超过{limit}字"] for name, limit in LIMITS.items() if len(values[name]) > limit
    }
    if not values["materials"]:
        errors["materials"] = ["所需材料不能为空"]
    if not values["steps"]:
        errors["steps"] = ["办理流程不能为空"]
    if errors:
        raise ValidationFailed("一次告知清单有误", fields=errors)
    with transaction.atomic():
        MatterType.objects.select_for_update().filter(pk=matter_type.pk).first()
        last = ChecklistVersion.objects.filter(matter_type=matter_type).aggregate(v=Max("version"))[
            "v"
        ]
        version = ChecklistVersion.objects.create(
            matter_type=matter_type, version=(last or 0) + 1, published_by=actor, **values
        )
        event_record(
            subject=matter_type,
            verb="checklist_published",
            actor=actor,
            data={"version": version.version},
        )
    return version


def checklist_send(*, actor: User | None, service_request: ServiceRequest) -> ChecklistVersion:
    """Send the requester, by SMS, the link to the request's matter-type checklist (the
    version current now: the page keeps showing that version, marked when a newer exists)."""
    checklist = current_checklist(matter_type=service_request.matter_type)
    if checklist is None:
        raise ValidationFailed("该事项类型尚未发布一次告知清单", code="no_checklist")
    if not service_request.requester_mobile_encrypted:
        raise ValidationFailed(
            "诉求人未留手机号，无法发送", fields={"requester_mobile": ["缺少手机号"]}
        )
    base = desk_policy().public_base_url.rstrip("/")
    link = f"{base}/portal/checklists/{service_request.matter_type.code}/v{checklist.version}/"
    with transaction.atomic():
        # The link, not the text: a whole checklist is ten SMS; its page is printable.
        notify_requester(
            service_request=service_request,
            template="desk.checklist",
            fields={"matter_type": service_request.matter_type.name, "checklist_url": link},
            key=f"checklist:v{checklist.version}",
        )
        event_record(
            subject=service_request,
            verb="checklist_sent",
            actor=actor,
            data={"matter_type": service_request.matter_type.code, "version": checklist.version},
        )
    return checklist
