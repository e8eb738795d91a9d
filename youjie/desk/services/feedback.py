"""Feedback by link, closure, return-visit sampling and the return visit itself."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.desk.choices import (
    RequestCategory,
    RequestStatus,
    ReturnVisitAction,
    ReturnVisitReason,
    ReturnVisitResult,
    ReturnVisitStatus,
)
from youjie.desk.deadlines import reopened_completion_due
from youjie.desk.models import Feedback, ReturnVisit, ServiceRequest
from youjie.desk.permissions import can_record_return_visit
from youjie.desk.policy import desk_policy
from youjie.desk.selectors import division_head_for
from youjie.desk.services.common import notify_staff, transition
from youjie.desk.transitions import RETURN_VISIT_TRANSITIONS
from youjie.orgs.models import User


def _sampled(service_request: ServiceRequest, percent: int) -> bool:
    """Deterministic sampling by request number, so a re-run picks the same requests."""
    digest = hashlib.sha256(service_request.number.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def _visit_reason(service_request: ServiceRequest, satisfaction: int | None) -> str | None:
    policy = desk_policy()
    if service_request.category == RequestCategory.COMPLAINT:
        return ReturnVisitReason.COMPLAINT
    if satisfaction is not None and satisfaction <= policy.dissatisfied_at_or_below:
        return ReturnVisitReason.DISSATISFIED
    if _sampled(service_request, policy.return_visit_sample_percent):
        return ReturnVisitReason.SAMPLE
    return None


def close_request(
    *, service_request: ServiceRequest, actor: User | str, verb: str, reason: str = ""
) -> None:
    """replied → closed, then queue a return visit if the sampling rule picks it."""
    service_request.closed_at = timezone.now()
    transition(
        service_request=service_request,
        to_status=RequestStatus.CLOSED,
        actor=actor,
        verb=verb,
        reason=reason,
        update_fields=["closed_at"],
    )
    feedback = Feedback.objects.filter(service_request=service_request).first()
    satisfaction = feedback.satisfaction if feedback else None
    reason_code = _visit_reason(service_request, satisfaction)
    if (
        reason_code is not None
        and not ReturnVisit.objects.filter(
            service_request=service_request, status=ReturnVisitStatus.PENDING
        ).exists()
    ):
        ReturnVisit.objects.create(service_request=service_request, reason=reason_code)
        event_record(
            subject=service_request,
            verb="return_visit_queued",
            actor="系统",
            data={"reason": reason_code},
        )


REOPEN_FIELDS = ["reopened_count", "completion_due"]


def _reopen(service_request: ServiceRequest) -> None:
    """Count the reopening and start the completion clock afresh (``reopened_completion_due``);
    the caller's ``transition`` saves both (``REOPEN_FIELDS``) with the move."""
    service_request.reopened_count += 1
    service_request.completion_due = reopened_completion_due(
        matter_type=service_request.matter_type,
        priority=service_request.priority,
        reopened_at=timezone.now(),
    )


def feedback_submit(
    *, token: str, satisfaction: int, comment: str = "", disputed: bool = False
) -> Feedback:
    """The requester rates the answer (no login: the token in the link is the credential)."""
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise ValidationFailed("满意度应为1至5分", fields={"satisfaction": ["应为1至5"]})
    comment = comment.strip()
    if len(comment) > 1000:
        raise ValidationFailed("意见不能超过1000字", fields={"comment": ["内容过长"]})
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(token=token[:64]).first()
        if feedback is None:
            raise NotFound("评价链接无效或已过期")
        if feedback.submitted_at is not None:
            raise ValidationFailed("您已经评价过了，感谢您的反馈", code="already_rated")
        service_request = ServiceRequest.objects.select_for_update().get(
            pk=feedback.service_request_id
        )
        if service_request.status != RequestStatus.REPLIED:
            raise InvalidTransition("该诉求当前不在待评价状态")
        feedback.satisfaction = satisfaction
        feedback.comment = comment
        feedback.disputed = disputed
        feedback.submitted_at = timezone.now()
        feedback.save(update_fields=["satisfaction", "comment", "disputed", "submitted_at"])
        event_record(
            subject=service_request,
            verb="feedback_received",
            actor="诉求人",
            data={"satisfaction": satisfaction, "disputed": disputed},
            reason=comment[:200],
        )
        if disputed:
            _reopen(service_request)
            transition(
                service_request=service_request,
                to_status=RequestStatus.IN_PROGRESS,
                actor="诉求人",
                verb="disputed",
                reason=comment or "诉求人对答复有异议",
                data={"completion_due": service_request.completion_due.isoformat()},
                update_fields=REOPEN_FIELDS,
            )
            notify_staff(
                service_request=service_request,
                user=service_request.assignee,
                subject=f"诉求 {service_request.number} 对答复有异议",
                body=comment or "诉求人对答复有异议，请继续办理。",
                key=f"disputed:{feedback.pk}",
            )
        else:
            close_request(
                service_request=service_request, actor="诉求人", verb="closed_by_feedback"
            )
    return feedback


def _return_visit_done(
    *,
    visit: ReturnVisit,
    actor: User,
    result: str,
    action: str,
    note: str,
    satisfaction: int | None,
    at: datetime,
) -> None:
    """The only place that changes a return visit's ``status`` (the map in
    ``desk.transitions``); the event is the request's, written by ``return_visit_record``."""
    if not RETURN_VISIT_TRANSITIONS.can(visit.status, ReturnVisitStatus.DONE):
        raise ValidationFailed("该回访已完成", code="stale")
    visit.status = ReturnVisitStatus.DONE
    visit.visitor = actor
    visit.result = result
    visit.action = action
    visit.note = note.strip()
    visit.satisfaction = satisfaction
    visit.done_at = at
    visit.save()


def return_visit_record(
    *,
    actor: User,
    visit: ReturnVisit,
    result: str,
    action: str,
    note: str = "",
    satisfaction: int | None = None,
) -> ReturnVisit:
    """回访: record the result; an unresolved request may be reopened or escalated."""
    if result not in ReturnVisitResult.values:
        raise ValidationFailed("请选择回访结果", fields={"result": ["取值无效"]})
    if action not in ReturnVisitAction.values:
        raise ValidationFailed("请选择后续处理", fields={"action": ["取值无效"]})
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise ValidationFailed("满意度应为1至5分", fields={"satisfaction": ["应为1至5"]})
    if len(note) > 2000:
        raise ValidationFailed("回访记录不能超过2000字", fields={"note": ["内容过长"]})
    if result == ReturnVisitResult.RESOLVED and action != ReturnVisitAction.NONE:
        raise ValidationFailed("问题已解决时无需重新办理或督办", fields={"action": ["与结果不符"]})
    with transaction.atomic():
        visit = ReturnVisit.objects.select_for_update().get(pk=visit.pk)
        service_request = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("court", "division")
            .get(pk=visit.service_request_id)
        )
        if not can_record_return_visit(actor, service_request):
            raise PermissionDenied()
        _return_visit_done(
            visit=visit,
            actor=actor,
            result=result,
            action=action,
            note=note,
            satisfaction=satisfaction,
            at=timezone.now(),
        )
        event_record(
            subject=service_request,
            verb="return_visit_done",
            actor=actor,
            reason=visit.note[:500],
            data={"result": result, "action": action, "satisfaction": satisfaction},
        )
        if action in (ReturnVisitAction.REOPEN, ReturnVisitAction.ESCALATE):
            if service_request.status != RequestStatus.CLOSED:
                raise InvalidTransition("只有已办结的诉求可以重新办理")
            _reopen(service_request)
            transition(
                service_request=service_request,
                to_status=RequestStatus.IN_PROGRESS,
                actor=actor,
                verb="reopened_by_return_visit",
                reason=visit.note or "回访发现问题未解决",
                data={"completion_due": service_request.completion_due.isoformat()},
                update_fields=REOPEN_FIELDS,
            )
            if action == ReturnVisitAction.ESCALATE:
                head = division_head_for(service_request=service_request)
                event_record(
                    subject=service_request,
                    verb="escalated",
                    actor=actor,
                    reason=visit.note or "回访发现问题未解决，报庭长督办",
                    data={"to": head.get_full_name() if head else ""},
                )
                notify_staff(
                    service_request=service_request,
                    user=head,
                    subject=f"回访报督办：{service_request.number}",
                    body=visit.note or "回访发现问题未解决，请督办。",
                    key=f"escalated:{visit.pk}",
                )
            else:
                notify_staff(
                    service_request=service_request,
                    user=service_request.assignee,
                    subject=f"诉求 {service_request.number} 经回访重新办理",
                    body=visit.note or "回访发现问题未解决，请继续办理。",
                    key=f"reopened:{visit.pk}",
                )
    return visit
