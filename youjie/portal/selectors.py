"""Reads of the public portal. Nothing here is scoped to a user: callers prove their right to
see a request first (number + mobile, and an SMS code where a gateway is configured)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from youjie.core.errors import NotFound
from youjie.desk.choices import RequestStatus
from youjie.desk.models import ChecklistVersion, Feedback, MatterType, Reply, ServiceRequest
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit

DEFAULT_HOTLINE = "0472-8510389"

# What a citizen reads for each status: plain words rather than the desk's internal terms.
PUBLIC_STATUS_LABELS: dict[str, str] = {
    RequestStatus.REGISTERED: "已受理，正在分派",
    RequestStatus.AWAITING_ACCEPTANCE: "已转承办部门",
    RequestStatus.IN_PROGRESS: "办理中",
    RequestStatus.PAUSED: "暂停计时（等待补充材料或其他机关）",
    RequestStatus.REPLIED: "已答复，待您评价",
    RequestStatus.CLOSED: "已办结",
    RequestStatus.MERGED: "已与其他诉求合并办理",
    RequestStatus.WITHDRAWN: "已撤回",
}
WITHDRAWABLE_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.AWAITING_ACCEPTANCE,
    RequestStatus.IN_PROGRESS,
)


def public_status_label(status: str) -> str:
    return PUBLIC_STATUS_LABELS.get(status) or RequestStatus(status).label


def portal_court() -> OrgUnit | None:
    """The court the portal serves: ``YOUJIE_PORTAL_COURT_CODE``, else the only court."""
    code = getattr(settings, "YOUJIE_PORTAL_COURT_CODE", "") or ""
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True)
    if code:
        return courts.filter(code=code).first()
    found = list(courts.order_by("id")[:2])
    return found[0] if len(found) == 1 else None


def portal_court_code() -> str:
    """Passed to intake; empty lets the desk pick the only court of the deployment."""
    return str(getattr(settings, "YOUJIE_PORTAL_COURT_CODE", "") or "")


def portal_hotline() -> str:
    return str(getattr(settings, "YOUJIE_PORTAL_HOTLINE", "") or DEFAULT_HOTLINE)


def public_matter_types() -> QuerySet[MatterType]:
    """Matter types a citizen may choose, with ``has_checklist`` for the 一次告知 link."""
    return (
        MatterType.objects.filter(is_public=True, is_active=True)
        .annotate(has_checklist=Exists(ChecklistVersion.objects.filter(matter_type=OuterRef("pk"))))
        .order_by("sort_order", "code")
    )


@dataclass
class ChecklistPage:
    checklist: ChecklistVersion
    current_version: int

    @property
    def is_current(self) -> bool:
        return self.checklist.version == self.current_version


def checklist_get(*, code: str, version: int | None = None) -> ChecklistPage:
    """A public matter type's checklist, current or one published version (the SMS links one)."""
    matter_type = MatterType.objects.filter(code=code[:32], is_public=True).first()
    if matter_type is None:
        raise NotFound("未找到该事项的一次告知清单")
    versions = ChecklistVersion.objects.filter(matter_type=matter_type).select_related(
        "matter_type"
    )
    current = versions.order_by("-version").first()
    if current is None:
        raise NotFound("该事项尚未发布一次告知清单")
    checklist = current if version is None else versions.filter(version=version).first()
    if checklist is None:
        raise NotFound("未找到该版本的一次告知清单")
    return ChecklistPage(checklist=checklist, current_version=current.version)


@dataclass
class TrackedRequest:
    service_request: ServiceRequest
    status_label: str
    replies: list[Reply]
    feedback_token: str  # non-empty while a rating is awaited
    can_withdraw: bool


def tracked_request(*, number: str) -> TrackedRequest | None:
    """What the requester sees once verified: status, deadlines, replies, pending feedback."""
    found = (
        ServiceRequest.objects.select_related("matter_type", "division", "merged_into")
        .filter(number=number[:20])
        .first()
    )
    if found is None:
        return None
    replies = list(Reply.objects.filter(service_request=found).order_by("id"))
    token = ""
    if found.status == RequestStatus.REPLIED:
        pending: Any = (
            Feedback.objects.filter(service_request=found, submitted_at__isnull=True)
            .values_list("token", flat=True)
            .first()
        )
        token = pending or ""
    return TrackedRequest(
        service_request=found,
        status_label=public_status_label(found.status),
        replies=replies,
        feedback_token=token,
        can_withdraw=found.status in WITHDRAWABLE_STATUSES,
    )


def feedback_by_token(*, token: str) -> Feedback | None:
    if not token or len(token) > 64:
        return None
    return (
        Feedback.objects.select_related("service_request", "service_request__matter_type")
        .filter(token=token)
        .first()
    )
