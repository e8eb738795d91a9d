"""/api/v1/petitions/matters: the list (scoped, masked), one matter, registering, assigning and
resolving a matter. Thin adapters: parse, fetch through the scoped selectors (404 outside the
caller's scope, never 403), call one service, answer with the updated matter.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Status

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.pagination import paginate
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.selectors import access_person
from youjie.petitions import selectors, services
from youjie.petitions.api.common import _detail, _idempotency, _matter, _user, router
from youjie.petitions.choices import HANDLING_UNIT_KINDS, RESPONSIBLE_UNIT_KINDS
from youjie.petitions.models import PetitionLabel
from youjie.petitions.schemas import (
    AssignIn,
    MatterCreateIn,
    MatterDetailOut,
    MatterFilters,
    MatterListOut,
    ResolveIn,
    matter_detail_out,
    matter_summary,
)


@router.get("/matters", response=MatterListOut, summary="信访事项列表（按权限范围，脱敏）")
def matter_list(request: HttpRequest, filters: Query[MatterFilters]) -> MatterListOut:
    user = _user(request)
    matters = selectors.matter_list(
        user=user,
        search=filters.q.strip(),
        status=filters.status or "",
        region_code=filters.region.strip(),
        responsible_unit_id=filters.unit_id,
        label_code=filters.label.strip(),
        campaign_id=filters.campaign_id,
        lead_official_id=filters.lead_official_id,
        overdue=filters.overdue,
        not_met=filters.not_met,
    )
    page = paginate(matters, page=filters.page, size=filters.page_size)
    return MatterListOut(
        items=[matter_summary(row) for row in selectors.matter_rows(page.items)],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get(
    "/matters/{int:matter_id}",
    response=MatterDetailOut,
    summary="信访事项详情（含信访人、专班、时限、专项行动、时间线）",
)
def matter_get(request: HttpRequest, matter_id: int) -> MatterDetailOut:
    user = _user(request)
    matter = _matter(user, matter_id)
    return matter_detail_out(matter, selectors.matter_detail(user=user, matter=matter))


@router.post(
    "/matters",
    response={200: MatterDetailOut, 201: MatterDetailOut},
    summary="登记信访事项（支持 Idempotency-Key）",
    description=(
        "201：新登记。带 Idempotency-Key 重试且请求体相同：200，响应头 Idempotent-Replayed: true，"
        "不重复登记；同一键不同请求体：409 idempotency_key_reused。"
    ),
)
def matter_create(
    request: HttpRequest,
    payload: MatterCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[MatterDetailOut]:
    user = _user(request)
    idempotency = _idempotency(user, idempotency_key, "matter", payload.model_dump(mode="json"))
    region = Region.objects.filter(code=payload.region.strip()).first()
    if region is None:
        raise ValidationFailed("属地不存在", fields={"region": ["区划代码不存在"]})
    labels = list(PetitionLabel.objects.filter(code__in=payload.labels))
    if len(labels) != len(set(payload.labels)):
        raise ValidationFailed("标签不存在", fields={"labels": ["标签代码不存在"]})
    persons = []
    for person_id in dict.fromkeys(payload.petitioner_ids):
        try:
            persons.append(access_person(user=user, person_id=person_id))
        except NotFound as exc:
            raise ValidationFailed(
                "信访人档案不存在或无权查看", fields={"petitioner_ids": ["人员档案不存在"]}
            ) from exc
    matter, created = services.matter_register(
        actor=user,
        title=payload.title,
        region=region,
        category=payload.category,
        origin=payload.origin,
        core_demand=payload.core_demand,
        received_on=payload.received_on,
        accepted_on=payload.accepted_on,
        root_cause=payload.root_cause,
        prior_handling=payload.prior_handling,
        labels=labels,
        statutory_clocks=payload.statutory_clocks,
        petitioners=persons,
        new_petitioners=[
            services.NewPetitioner(
                name=item.name, id_number=item.id_number, mobile=item.mobile, role=item.role
            )
            for item in payload.new_petitioners
        ],
        idempotency=idempotency,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _detail(user, matter))


def _unit(code: str, kinds: frozenset[str], field: str, label: str) -> OrgUnit | None:
    if not code.strip():
        return None
    unit = OrgUnit.objects.filter(code=code.strip(), is_active=True, kind__in=kinds).first()
    if unit is None:
        raise ValidationFailed(f"{label}不存在", fields={field: [f"没有该{label}"]})
    return unit


def _staff(username: str, field: str, label: str) -> User | None:
    if not username.strip():
        return None
    found = User.objects.filter(username=username.strip(), is_active=True).first()
    if found is None:
        raise ValidationFailed(f"{label}不存在", fields={field: [f"没有该{label}"]})
    return found


@router.post(
    "/matters/{int:matter_id}/assign",
    response=MatterDetailOut,
    summary="明确责任：包案领导、责任单位、承办单位、承办人、专班",
)
def matter_assign(request: HttpRequest, matter_id: int, payload: AssignIn) -> MatterDetailOut:
    user = _user(request)
    matter = _matter(user, matter_id, payload.expected_status)
    task_force = None
    if payload.task_force is not None:
        task_force = []
        for index, item in enumerate(payload.task_force):
            member = _staff(item.username, f"task_force.{index}.username", "专班成员")
            unit = _unit(
                item.unit_code,
                frozenset(OrgKind.values),
                f"task_force.{index}.unit_code",
                "所在单位",
            )
            task_force.append(
                services.TaskForceInput(
                    user=member, name=item.name, unit=unit, role=item.role, duty=item.duty
                )
            )
    services.matter_assign(
        actor=user,
        matter=matter,
        lead_official=_staff(payload.lead_official, "lead_official", "包案领导"),
        responsible_unit=_unit(
            payload.responsible_unit, RESPONSIBLE_UNIT_KINDS, "responsible_unit", "责任单位"
        ),
        handling_unit=_unit(
            payload.handling_unit, HANDLING_UNIT_KINDS, "handling_unit", "承办单位"
        ),
        handler=_staff(payload.handler, "handler", "承办人"),
        task_force=task_force,
    )
    return _detail(user, matter)


@router.post(
    "/matters/{int:matter_id}/resolve",
    response=MatterDetailOut,
    summary="登记化解（事了，三到位一处理，附所需材料）",
)
def matter_resolve(request: HttpRequest, matter_id: int, payload: ResolveIn) -> MatterDetailOut:
    user = _user(request)
    matter = _matter(user, matter_id, payload.expected_status)
    services.matter_resolve(
        actor=user,
        matter=matter,
        outcome_type=payload.outcome_type,
        summary=payload.summary,
        resolved_on=payload.resolved_on,
        evidence=[
            services.EvidenceInput(
                kind=item.kind, description=item.description, dated_on=item.dated_on
            )
            for item in payload.evidence
        ],
    )
    return _detail(user, matter)
