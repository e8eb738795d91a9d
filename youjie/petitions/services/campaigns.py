"""Campaigns (百日攻坚, 回头看, any named action): creating, starting and closing them, taking
matters on, and each matter's follow-up (回头看): confirmed stable after the campaign's
follow-up period, or reopened — which sends the matter back to handling with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_build, event_record, events_record
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import scope_queryset
from youjie.petitions.choices import (
    RESOLVED_MATTER_STATUSES,
    CampaignKind,
    CampaignStatus,
    FollowUpStatus,
    MatterStatus,
)
from youjie.petitions.models import (
    NAME_MAX,
    REASON_MAX,
    TEXT_MAX,
    Campaign,
    CampaignMatter,
    PetitionMatter,
)
from youjie.petitions.permissions import (
    can_create_campaign,
    can_manage_campaign,
    can_manage_matter,
)
from youjie.petitions.services.common import (
    Errors,
    add_error,
    campaign_status_set,
    clean_text,
    follow_up_status_set,
    matter_status_set,
    notify_user,
    raise_if_errors,
    today,
)
from youjie.workdays.calendar import statutory_deadline

MAX_MATTERS_PER_CALL = 500
MAX_FOLLOW_UP_DAYS = 365


def campaign_create(
    *,
    actor: User,
    name: str,
    kind: str,
    issuing_office: OrgUnit,
    starts_on: date,
    ends_on: date,
    goals: str = "",
    follow_up_days: int = 30,
) -> Campaign:
    """A campaign in preparation (筹备中), issued by a 专项办 of the actor's region."""
    if not can_create_campaign(actor, issuing_office):
        raise PermissionDenied("只有该专项办（或其上级专项办）的干部可以发起专项行动")
    errors: Errors = {}
    name = clean_text(errors, "name", "名称", name, max_length=NAME_MAX, required=True)
    goals = clean_text(errors, "goals", "工作目标", goals, max_length=TEXT_MAX)
    if kind not in CampaignKind.values:
        add_error(errors, "kind", "专项行动类型无效")
    if issuing_office.kind != OrgKind.OFFICE:
        add_error(errors, "issuing_office", f"{issuing_office}不是专项办")
    if ends_on < starts_on:
        add_error(errors, "ends_on", "结束日期不能早于开始日期")
    if not 1 <= follow_up_days <= MAX_FOLLOW_UP_DAYS:
        add_error(errors, "follow_up_days", f"回头看期限应为1至{MAX_FOLLOW_UP_DAYS}日")
    raise_if_errors(errors, "专项行动信息有误")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            kind=kind,
            issuing_office=issuing_office,
            starts_on=starts_on,
            ends_on=ends_on,
            goals=goals,
            follow_up_days=follow_up_days,
            created_by=actor,
        )
        event_record(
            subject=campaign,
            verb="created",
            actor=actor,
            to_state=campaign.status,
            data={"name": name, "kind": kind, "starts_on": starts_on.isoformat()},
        )
    return campaign


def campaign_start(*, actor: User, campaign: Campaign) -> Campaign:
    if not can_manage_campaign(actor, campaign):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
        campaign_status_set(
            campaign=locked, to_status=CampaignStatus.ACTIVE, actor=actor, verb="started"
        )
    return locked


def campaign_close(*, actor: User, campaign: Campaign, reason: str = "") -> Campaign:
    if not can_manage_campaign(actor, campaign):
        raise PermissionDenied()
    errors: Errors = {}
    reason = clean_text(errors, "reason", "说明", reason, max_length=REASON_MAX)
    raise_if_errors(errors, "信息有误")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
        campaign_status_set(
            campaign=locked,
            to_status=CampaignStatus.CLOSED,
            actor=actor,
            verb="closed",
            reason=reason,
        )
    return locked


def _admission_problem(matter: PetitionMatter, existing: set[int]) -> str:
    """Why ``matter`` cannot enter the campaign ("" if it can)."""
    name = f"{matter.number}“{matter.title}”"
    if matter.pk in existing:
        return f"{name}已在本专项行动中"
    if matter.status == MatterStatus.TERMINATED or matter.no_further_counting:
        return f"{name}已依法终结，不再交办"
    missing = []
    if matter.lead_official_id is None:
        missing.append("包案领导")
    if matter.responsible_unit_id is None:
        missing.append("责任单位")
    if missing:
        return f"{name}尚未明确{'和'.join(missing)}，不能纳入专项行动"
    return ""


def campaign_add_matters(
    *,
    actor: User,
    campaign: Campaign,
    matters: Sequence[PetitionMatter],
    added_on: date | None = None,
) -> list[CampaignMatter]:
    """Take matters on. Every matter must be visible to the actor and have a lead official and
    a responsible unit (双包案); a terminated one, or one already in the campaign, is refused.
    All or nothing: one refusal and nothing is written; the message names each matter.
    A matter already resolved starts its follow-up period at once.

    ``added_on``: the day the campaign took them on, when it was earlier than today — an office
    that starts recording a running campaign enters when each matter was taken on (as a letter
    sent on paper is recorded with its dates). Within the campaign's period, not in the future,
    and not before a matter was received."""
    if not can_manage_campaign(actor, campaign):
        raise PermissionDenied()
    ids = list(dict.fromkeys(matter.pk for matter in matters))
    if not ids:
        raise ValidationFailed("请选择要纳入的信访事项", fields={"matters": ["请选择事项"]})
    if len(ids) > MAX_MATTERS_PER_CALL:
        raise ValidationFailed(
            f"一次最多纳入{MAX_MATTERS_PER_CALL}件事项", fields={"matters": ["事项过多"]}
        )
    current = today()
    recorded = added_on is not None  # an earlier day, entered after the fact
    if added_on is None:
        added_on = current
    elif added_on > current or added_on < campaign.starts_on:
        raise ValidationFailed(
            f"纳入日期应在专项行动开始（{campaign.starts_on:%Y-%m-%d}）之后、不晚于今天",
            fields={"added_on": ["纳入日期不在专项行动期间"]},
        )
    with transaction.atomic():
        locked = Campaign.objects.select_for_update(of=("self",)).get(pk=campaign.pk)
        if locked.status == CampaignStatus.CLOSED:
            raise InvalidTransition(f"专项行动“{locked.name}”已结束，不能再纳入事项")
        visible = {
            matter.pk: matter
            for matter in scope_queryset(PetitionMatter.objects.filter(pk__in=ids), actor)
        }
        existing = set(
            CampaignMatter.objects.filter(campaign=locked, matter_id__in=ids).values_list(
                "matter_id", flat=True
            )
        )
        problems = []
        for pk in ids:
            matter = visible.get(pk)
            if matter is None:
                problems.append(f"编号为{pk}的事项不存在或无权查看")
                continue
            problem = _admission_problem(matter, existing)
            if problem:
                problems.append(problem)
            elif recorded and matter.received_on > added_on:
                problems.append(f"{matter.number}于{matter.received_on:%Y-%m-%d}收到，晚于纳入日期")
        if problems:
            raise ValidationFailed(
                "；".join(problems[:5]) + ("等" if len(problems) > 5 else ""),
                code="campaign_admission_refused",
                fields={"matters": problems},
            )
        rows = []
        for pk in ids:
            matter = visible[pk]
            row = CampaignMatter(campaign=locked, matter=matter, added_on=added_on, added_by=actor)
            if matter.status in RESOLVED_MATTER_STATUSES and matter.matter_resolved_on:
                start = max(matter.matter_resolved_on, added_on)
                row.follow_up_due_on = statutory_deadline(start, locked.follow_up_days)
            rows.append(row)
        created = CampaignMatter.objects.bulk_create(rows)
        numbers = [visible[pk].number for pk in ids]
        events = [
            event_build(
                subject=locked, verb="matters_added", actor=actor, data={"matters": numbers}
            )
        ]
        events += [
            event_build(
                subject=visible[pk],
                verb="added_to_campaign",
                actor=actor,
                data={"campaign": locked.pk, "campaign_name": locked.name},
            )
            for pk in ids
        ]
        events_record(events)
    return created


def _lock_follow_up(campaign_matter: CampaignMatter) -> tuple[CampaignMatter, PetitionMatter]:
    row = (
        CampaignMatter.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=campaign_matter.pk)
    )
    matter = PetitionMatter.objects.select_for_update(of=("self",)).get(pk=row.matter_id)
    return row, matter


def followup_confirm_stable(
    *, actor: User, campaign_matter: CampaignMatter, note: str = ""
) -> CampaignMatter:
    """回头看: after the follow-up period the resolved matter has held: confirmed stable."""
    if not can_manage_matter(actor, campaign_matter.matter):
        raise PermissionDenied()
    errors: Errors = {}
    note = clean_text(errors, "note", "说明", note, max_length=REASON_MAX)
    raise_if_errors(errors, "信息有误")
    with transaction.atomic():
        row, matter = _lock_follow_up(campaign_matter)
        if matter.status not in RESOLVED_MATTER_STATUSES or row.follow_up_due_on is None:
            raise InvalidTransition(
                f"{matter.number}尚未化解，不能确认稳定", extra={"from": row.status}
            )
        current = today()
        if current < row.follow_up_due_on:
            raise InvalidTransition(
                f"{matter.number}的回头看期限到{row.follow_up_due_on:%Y-%m-%d}届满，届满后才能确认稳定",
                code="follow_up_not_due",
            )
        row.confirmed_on = current
        follow_up_status_set(
            campaign_matter=row,
            to_status=FollowUpStatus.STABLE,
            actor=actor,
            verb="follow_up_confirmed_stable",
            reason=note,
            update_fields=["confirmed_on"],
        )
        event_record(
            subject=matter,
            verb="follow_up_confirmed_stable",
            actor=actor,
            reason=note,
            data={"campaign": row.campaign_id, "campaign_name": row.campaign.name},
        )
    return row


def followup_reopen(*, actor: User, campaign_matter: CampaignMatter, reason: str) -> CampaignMatter:
    """回头看 finds the resolution has not held (the petitioner petitions again, the agreement is
    not kept): the matter goes back to handling (办理中) with the reason, in a new resolution
    round that needs fresh evidence. Allowed as soon as the matter is resolved: a relapse found
    during the follow-up period need not wait for its end."""
    if not can_manage_matter(actor, campaign_matter.matter):
        raise PermissionDenied()
    errors: Errors = {}
    reason = clean_text(
        errors, "reason", "重新交办原因", reason, max_length=REASON_MAX, required=True
    )
    raise_if_errors(errors, "信息有误")
    with transaction.atomic():
        row, matter = _lock_follow_up(campaign_matter)
        if matter.status not in RESOLVED_MATTER_STATUSES:
            raise InvalidTransition(
                f"{matter.number}当前状态“{matter.get_status_display()}”，不能重新交办",
                extra={"from": matter.status},
            )
        row.reopened_on = today()
        row.reopen_reason = reason
        follow_up_status_set(
            campaign_matter=row,
            to_status=FollowUpStatus.REOPENED,
            actor=actor,
            verb="follow_up_reopened",
            reason=reason,
            update_fields=["reopened_on", "reopen_reason"],
        )
        previous = {
            "outcome_type": matter.outcome_type,
            "outcome_summary": matter.outcome_summary,
            "matter_resolved_on": (
                matter.matter_resolved_on.isoformat() if matter.matter_resolved_on else None
            ),
            "heart_resolved_on": (
                matter.heart_resolved_on.isoformat() if matter.heart_resolved_on else None
            ),
            "round": matter.resolution_round,
        }
        matter.outcome_type = ""
        matter.outcome_summary = ""
        matter.matter_resolved_on = None
        matter.heart_resolved_on = None
        matter.ceased = False
        matter.resolution_round += 1
        matter.reopened_count += 1
        matter.last_progress_at = timezone.now()
        matter_status_set(
            matter=matter,
            to_status=MatterStatus.IN_PROGRESS,
            actor=actor,
            verb="reopened",
            reason=reason,
            data={"campaign": row.campaign_id, "previous": previous},
            update_fields=[
                "outcome_type",
                "outcome_summary",
                "matter_resolved_on",
                "heart_resolved_on",
                "ceased",
                "resolution_round",
                "reopened_count",
                "last_progress_at",
            ],
        )
        # Other campaigns' follow-ups wait for the new resolution.
        CampaignMatter.objects.filter(matter=matter, status=FollowUpStatus.PENDING).update(
            follow_up_due_on=None
        )
        for user, key in ((matter.lead_official, "lead"), (matter.handler, "handler")):
            notify_user(
                user=user,
                matter=matter,
                subject=f"重新交办：{matter.number}",
                body=f"信访事项{matter.number}“{matter.title}”回头看发现反复，已重新交办。原因：{reason}",
                key=f"reopen:{key}:{matter.resolution_round}",
            )
    return row
