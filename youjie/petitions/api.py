"""/api/v1/petitions: 信访化解 over HTTP — matters (list, get, create, assign, resolve) and
campaigns (list, get, create, add matters, progress).

Thin adapters: parse, fetch through the scoped selectors (404 outside the caller's scope, never
403), call one service, answer with the updated record. Errors follow the API's one format
{code, message, fields, extra}: 422 ``validation_failed`` / ``stale``, 403
``permission_denied``, 404 ``not_found``, 409 ``invalid_transition`` / ``conflict`` /
``idempotency_key_reused``. Creates take an ``Idempotency-Key`` header as the desk's do.

P2 and P3 add their endpoints below their own headings.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Header, Query, Router, Status
from ninja.files import UploadedFile

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.orgs.backends import signed_in_user
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.selectors import access_person
from youjie.petitions import selectors, services
from youjie.petitions.choices import HANDLING_UNIT_KINDS, RESPONSIBLE_UNIT_KINDS
from youjie.petitions.models import (
    Aid,
    CoordinationRequest,
    PetitionLabel,
    PetitionMatter,
    ReviewMeeting,
    SupervisionLetter,
    WorkRecord,
)
from youjie.petitions.schemas import (
    AidApproveIn,
    AidCapExceedIn,
    AidFilters,
    AidFundsIn,
    AidIn,
    AidListOut,
    AidOut,
    AidPayIn,
    AidRefuseIn,
    AssignIn,
    BulletinIssueIn,
    BulletinListOut,
    BulletinOut,
    BurnDownOut,
    CampaignAddIn,
    CampaignAddOut,
    CampaignCreateIn,
    CampaignFilters,
    CampaignListOut,
    CampaignOut,
    CampaignProgressOut,
    CoordinationFilters,
    CoordinationIn,
    CoordinationListOut,
    CoordinationOut,
    CoordinationReplyIn,
    LetterCreateIn,
    LetterFilters,
    LetterListOut,
    LetterOut,
    LetterReplyIn,
    LetterSendIn,
    MatterCreateIn,
    MatterDetailOut,
    MatterFilters,
    MatterListOut,
    MeetingCreateIn,
    MeetingFilters,
    MeetingHoldIn,
    MeetingListOut,
    MeetingMinuteIn,
    MeetingOut,
    MeetingTaskDoneIn,
    MeetingTaskIn,
    MeetingTaskOut,
    NotMetListOut,
    NotMetOut,
    PageQuery,
    PersonRefOut,
    ResolveIn,
    ReviewGenerateIn,
    WorkRecordIn,
    WorkRecordListOut,
    WorkRecordOut,
    aid_out,
    bulletin_out,
    campaign_out,
    coordination_out,
    figures_out,
    letter_out,
    matter_detail_out,
    matter_summary,
    meeting_out,
    meeting_summary_out,
    meeting_task_out,
    work_record_out,
)

router = Router(tags=["信访化解"])


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


def _matter(user: User, matter_id: int, expected_status: str | None = None) -> PetitionMatter:
    """The matter if the user may see it (else 404), refusing a stale call (422 ``stale``)."""
    matter = selectors.matter_get(user=user, pk=matter_id)
    if expected_status is not None and matter.status != expected_status:
        raise ValidationFailed(
            "该事项已被他人处理，请重新读取后再操作",
            code="stale",
            extra={"status": matter.status},
        )
    return matter


def _detail(user: User, matter: PetitionMatter) -> MatterDetailOut:
    fresh = selectors.matter_get(user=user, pk=matter.pk)
    return matter_detail_out(fresh, selectors.matter_detail(user=user, matter=fresh))


def _idempotency(
    user: User, key: str | None, what: str, body: dict[str, object]
) -> services.Idempotency | None:
    if key is None:
        return None
    return services.Idempotency(
        key=check_key(key),
        scope=f"petitions.api.{what}:{user.pk}",
        body_hash=body_fingerprint(body),
    )


# --- matters ------------------------------------------------------------------------------------


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


# --- campaigns ----------------------------------------------------------------------------------


@router.get("/campaigns", response=CampaignListOut, summary="专项行动列表（按权限范围）")
def campaign_list(request: HttpRequest, filters: Query[CampaignFilters]) -> CampaignListOut:
    user = _user(request)
    campaigns = selectors.campaign_list(user=user, status=filters.status or "")
    page = paginate(campaigns, page=filters.page, size=filters.page_size)
    return CampaignListOut(
        items=[campaign_out(campaign) for campaign in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get("/campaigns/{int:campaign_id}", response=CampaignOut, summary="专项行动详情")
def campaign_get(request: HttpRequest, campaign_id: int) -> CampaignOut:
    return campaign_out(selectors.campaign_get(user=_user(request), pk=campaign_id))


@router.post(
    "/campaigns",
    response={200: CampaignOut, 201: CampaignOut},
    summary="发起专项行动（市专项办；支持 Idempotency-Key）",
)
def campaign_create(
    request: HttpRequest,
    payload: CampaignCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[CampaignOut]:
    from youjie.core.errors import PermissionDenied
    from youjie.petitions.permissions import may_create_campaigns

    user = _user(request)
    if not may_create_campaigns(user) or user.org_unit is None:
        raise PermissionDenied("只有市专项办可以发起专项行动")
    idempotency = _idempotency(user, idempotency_key, "campaign", payload.model_dump(mode="json"))
    campaign, created = services.campaign_register(
        actor=user,
        name=payload.name,
        kind=payload.kind,
        issuing_office=user.org_unit,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        goals=payload.goals,
        follow_up_days=payload.follow_up_days,
        idempotency=idempotency,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, campaign_out(campaign))


@router.post(
    "/campaigns/{int:campaign_id}/matters",
    response=CampaignAddOut,
    summary="纳入事项（须已明确包案领导和责任单位；全部纳入或全部不纳入）",
)
def campaign_add_matters(
    request: HttpRequest, campaign_id: int, payload: CampaignAddIn
) -> CampaignAddOut:
    user = _user(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    ids = list(dict.fromkeys(payload.matter_ids))
    if any(not 0 < pk <= 2**63 - 1 for pk in ids):
        raise ValidationFailed("事项编号无效", fields={"matter_ids": ["事项编号无效"]})
    matters = [PetitionMatter(pk=pk) for pk in ids]  # the service fetches them through the scope
    added = services.campaign_add_matters(actor=user, campaign=campaign, matters=matters)
    return CampaignAddOut(added=len(added), campaign=campaign_out(campaign))


@router.get(
    "/campaigns/{int:campaign_id}/progress",
    response=CampaignProgressOut,
    summary="专项行动进度：合计、按属地、按责任单位、燃尽数据",
)
def campaign_progress(request: HttpRequest, campaign_id: int) -> CampaignProgressOut:
    user = _user(request)
    campaign = selectors.campaign_get(user=user, pk=campaign_id)
    burndown = selectors.campaign_burndown(user=user, campaign=campaign)
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    return CampaignProgressOut(
        campaign=campaign_out(campaign),
        totals=figures_out(selectors.figures_sum(progress.by_region)),
        by_region=[figures_out(row) for row in progress.by_region],
        by_unit=[figures_out(row) for row in progress.by_unit],
        burndown=BurnDownOut(
            days=burndown.days, remaining=burndown.remaining, ideal=burndown.ideal
        ),
    )


# --- P2: work records, coordination requests, aid ------------------------------------------------
def _page_out(page: Any, items: list[Any]) -> dict[str, Any]:
    return {
        "items": items,
        "page": page.number,
        "size": page.size,
        "has_next": page.has_next,
        "has_previous": page.has_previous,
    }


def _record(user: User, matter: PetitionMatter, record_id: int) -> WorkRecord:
    record = selectors.work_record_get(user=user, pk=record_id)
    if record.matter_id != matter.pk:
        raise NotFound()
    return record


def _record_out(user: User, record_id: int) -> WorkRecordOut:
    """The record with its participants, petitioners met and files (one query each)."""
    record = selectors.work_record_get(user=user, pk=record_id)
    return work_record_out(selectors.work_records_for(matter=record.matter).get(pk=record_id))


@router.get(
    "/matters/{int:matter_id}/work-records",
    response=WorkRecordListOut,
    summary="工作记录（核查、约访接访）及尚未见面的信访人（每案必见）",
)
def work_record_list(request: HttpRequest, matter_id: int) -> WorkRecordListOut:
    matter = _matter(_user(request), matter_id)
    return WorkRecordListOut(
        items=[work_record_out(record) for record in selectors.work_records_for(matter=matter)],
        not_met=[
            PersonRefOut(person_id=link.person_id, name=link.person.name)
            for link in selectors.matter_petitioners_not_met(matter=matter)
        ],
    )


@router.post(
    "/matters/{int:matter_id}/work-records",
    response={200: WorkRecordOut, 201: WorkRecordOut},
    summary="登记工作记录（支持 Idempotency-Key；附件另行上传）",
)
def work_record_create(
    request: HttpRequest,
    matter_id: int,
    payload: WorkRecordIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[WorkRecordOut]:
    user = _user(request)
    matter = _matter(user, matter_id)
    idempotency = _idempotency(
        user, idempotency_key, f"work_record:{matter.pk}", payload.model_dump(mode="json")
    )
    people = {
        person.get_username(): person
        for person in selectors.matter_people(matter=matter, also=user)
    }
    unknown = [name for name in payload.participant_usernames if name not in people]
    if unknown:
        raise ValidationFailed(
            "参加人员应为本事项的工作人员", fields={"participant_usernames": ["没有该工作人员"]}
        )
    persons = {person.pk: person for person in selectors.matter_petitioner_persons(matter=matter)}
    if any(pk not in persons for pk in payload.petitioner_ids):
        raise ValidationFailed(
            "见面的信访人应为本事项的信访人", fields={"petitioner_ids": ["不是本事项的信访人"]}
        )
    record, created = services.run_once(
        model=WorkRecord,
        idempotency=idempotency,
        create=lambda: services.work_record_create(
            actor=user,
            matter=matter,
            kind=payload.kind,
            held_on=payload.held_on,
            place=payload.place,
            participants=[people[name] for name in payload.participant_usernames],
            lead_official_present=payload.lead_official_present,
            petitioners_met=[persons[pk] for pk in dict.fromkeys(payload.petitioner_ids)],
            findings=payload.findings,
            law_explanation=payload.law_explanation,
            counselling=payload.counselling,
            attitude=payload.attitude,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _record_out(user, record.pk))


@router.post(
    "/matters/{int:matter_id}/work-records/{int:record_id}/attachments",
    response={201: WorkRecordOut},
    summary="上传工作记录附件（PDF、JPG、PNG）",
)
def work_record_attachment(
    request: HttpRequest, matter_id: int, record_id: int, file: File[UploadedFile]
) -> Status[WorkRecordOut]:
    user = _user(request)
    record = _record(user, _matter(user, matter_id), record_id)
    services.work_record_attachment_add(actor=user, record=record, file=file)
    return Status(201, _record_out(user, record.pk))


@router.get(
    "/petitioners-not-met",
    response=NotMetListOut,
    summary="每案必见：包案领导尚未见面的信访人（按权限范围）",
)
def petitioners_not_met(request: HttpRequest, query: Query[PageQuery]) -> NotMetListOut:
    page = paginate(
        selectors.petitioners_not_met(user=_user(request)), page=query.page, size=query.page_size
    )
    items = [
        NotMetOut(
            matter_id=link.matter_id,
            matter_number=link.matter.number,
            matter_title=link.matter.title,
            person_id=link.person_id,
            name=link.person.name,
            lead_official=(
                link.matter.lead_official.get_full_name() if link.matter.lead_official else ""
            ),
        )
        for link in page.items
    ]
    return NotMetListOut(**_page_out(page, items))


@router.get(
    "/coordination", response=CoordinationListOut, summary="协调函列表（部门联络员：本部门的）"
)
def coordination_list(
    request: HttpRequest, filters: Query[CoordinationFilters]
) -> CoordinationListOut:
    user = _user(request)
    requests = selectors.coordination_list(
        user=user, status=filters.status or "", overdue=filters.overdue
    )
    page = paginate(requests, page=filters.page, size=filters.page_size)
    today = selectors.today_beijing()
    return CoordinationListOut(
        **_page_out(page, [coordination_out(item, today) for item in page.items])
    )


@router.get("/coordination/{int:coordination_id}", response=CoordinationOut, summary="协调函")
def coordination_get(request: HttpRequest, coordination_id: int) -> CoordinationOut:
    item = selectors.coordination_get(user=_user(request), pk=coordination_id)
    return coordination_out(item, selectors.today_beijing())


@router.post(
    "/matters/{int:matter_id}/coordination",
    response={200: CoordinationOut, 201: CoordinationOut},
    summary="发起协调（向政府部门发协调函，支持 Idempotency-Key）",
)
def coordination_create(
    request: HttpRequest,
    matter_id: int,
    payload: CoordinationIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[CoordinationOut]:
    user = _user(request)
    matter = _matter(user, matter_id)
    idempotency = _idempotency(
        user, idempotency_key, f"coordination:{matter.pk}", payload.model_dump(mode="json")
    )
    department = selectors.department_choices().filter(code=payload.department.strip()).first()
    if department is None:
        raise ValidationFailed("协调部门不存在", fields={"department": ["没有该政府部门"]})
    liaison = None
    if payload.liaison.strip():
        liaison = selectors.liaison_choices().filter(username=payload.liaison.strip()).first()
        if liaison is None:
            raise ValidationFailed("联络员不存在", fields={"liaison": ["没有该联络员"]})
    item, created = services.run_once(
        model=CoordinationRequest,
        idempotency=idempotency,
        create=lambda: services.coordination_request_send(
            actor=user,
            matter=matter,
            department=department,
            liaison=liaison,
            request_text=payload.request_text,
            workdays=payload.workdays,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    fresh = selectors.coordination_get(user=user, pk=item.pk)
    return Status(201 if created else 200, coordination_out(fresh, selectors.today_beijing()))


@router.post(
    "/coordination/{int:coordination_id}/reply",
    response=CoordinationOut,
    summary="答复协调函（该部门的联络员）",
)
def coordination_reply(
    request: HttpRequest, coordination_id: int, payload: CoordinationReplyIn
) -> CoordinationOut:
    user = _user(request)
    item = selectors.coordination_get(user=user, pk=coordination_id)
    services.coordination_request_reply(
        actor=user, coordination=item, reply_text=payload.reply_text, replied_on=payload.replied_on
    )
    return coordination_out(
        selectors.coordination_get(user=user, pk=item.pk), selectors.today_beijing()
    )


@router.get("/aid", response=AidListOut, summary="救助台账（按权限范围，身份证号脱敏）")
def aid_list(request: HttpRequest, filters: Query[AidFilters]) -> AidListOut:
    aids = selectors.aid_list(
        user=_user(request),
        status=filters.status or "",
        kind=filters.kind or "",
        overdue=filters.overdue,
    ).prefetch_related("approvals__approver")
    page = paginate(aids, page=filters.page, size=filters.page_size)
    today = selectors.today_beijing()
    return AidListOut(**_page_out(page, [aid_out(aid, today) for aid in page.items]))


def _aid(user: User, aid_id: int) -> AidOut:
    return aid_out(selectors.aid_get(user=user, pk=aid_id), selectors.today_beijing())


@router.get("/aid/{int:aid_id}", response=AidOut, summary="救助详情（含审批、期限）")
def aid_get(request: HttpRequest, aid_id: int) -> AidOut:
    return _aid(_user(request), aid_id)


@router.post(
    "/matters/{int:matter_id}/aid",
    response={200: AidOut, 201: AidOut},
    summary="申请救助（国家司法救助按36个月上限审查，支持 Idempotency-Key）",
)
def aid_create(
    request: HttpRequest,
    matter_id: int,
    payload: AidIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[AidOut]:
    user = _user(request)
    matter = _matter(user, matter_id)
    idempotency = _idempotency(
        user, idempotency_key, f"aid:{matter.pk}", payload.model_dump(mode="json")
    )
    person = selectors.matter_petitioner_persons(matter=matter).filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationFailed(
            "救助对象应为本事项的信访人", fields={"person_id": ["不是本事项的信访人"]}
        )
    court_case = None
    if payload.court_case.strip():
        court_case = matter.court_cases.filter(case_number=payload.court_case.strip()).first()
        if court_case is None:
            raise ValidationFailed(
                "所选案件不是本事项关联的案件", fields={"court_case": ["不是本事项关联的案件"]}
            )
    aid, created = services.run_once(
        model=Aid,
        idempotency=idempotency,
        create=lambda: services.aid_apply(
            actor=user,
            matter=matter,
            person=person,
            kind=payload.kind,
            amount=payload.amount,
            awardable_amount=payload.awardable_amount,
            court_case=court_case,
            reason=payload.reason,
            applied_on=payload.applied_on,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _aid(user, aid.pk))


@router.post("/aid/{int:aid_id}/cap-approval", response=AidOut, summary="超出上限特批")
def aid_cap_approval(request: HttpRequest, aid_id: int, payload: AidCapExceedIn) -> AidOut:
    user = _user(request)
    aid = selectors.aid_get(user=user, pk=aid_id)
    services.aid_cap_exceed_approve(
        actor=user,
        aid=aid,
        amount=payload.amount,
        opinion=payload.opinion,
        decided_on=payload.decided_on,
    )
    return _aid(user, aid.pk)


@router.post("/aid/{int:aid_id}/approve", response=AidOut, summary="批准救助")
def aid_approve(request: HttpRequest, aid_id: int, payload: AidApproveIn) -> AidOut:
    user = _user(request)
    aid = selectors.aid_get(user=user, pk=aid_id)
    services.aid_approve(
        actor=user,
        aid=aid,
        approved_amount=payload.approved_amount,
        opinion=payload.opinion,
        decided_on=payload.decided_on,
    )
    return _aid(user, aid.pk)


@router.post("/aid/{int:aid_id}/refuse", response=AidOut, summary="不予救助")
def aid_refuse(request: HttpRequest, aid_id: int, payload: AidRefuseIn) -> AidOut:
    user = _user(request)
    aid = selectors.aid_get(user=user, pk=aid_id)
    services.aid_refuse(actor=user, aid=aid, opinion=payload.opinion, decided_on=payload.decided_on)
    return _aid(user, aid.pk)


@router.post("/aid/{int:aid_id}/funds-arrived", response=AidOut, summary="登记救助资金到位")
def aid_funds_arrived(request: HttpRequest, aid_id: int, payload: AidFundsIn) -> AidOut:
    user = _user(request)
    aid = selectors.aid_get(user=user, pk=aid_id)
    services.aid_funds_arrive(actor=user, aid=aid, funds_arrived_on=payload.funds_arrived_on)
    return _aid(user, aid.pk)


@router.post("/aid/{int:aid_id}/pay", response=AidOut, summary="登记救助金发放")
def aid_pay(request: HttpRequest, aid_id: int, payload: AidPayIn) -> AidOut:
    user = _user(request)
    aid = selectors.aid_get(user=user, pk=aid_id)
    services.aid_pay(
        actor=user, aid=aid, paid_on=payload.paid_on, funds_arrived_on=payload.funds_arrived_on
    )
    return _aid(user, aid.pk)


# --- P3: supervision letters, meetings, the daily bulletin ---------------------------------------


def _office(user: User) -> OrgUnit:
    office = user.org_unit
    if office is None:
        raise ValidationFailed("您未分配机构，无法确定所在专项办")
    return office


def _letter_out(user: User, letter_id: int) -> LetterOut:
    letter = selectors.letter_get(user=user, pk=letter_id)
    matters = list(selectors.letter_matters(user=user, letter=letter))
    return letter_out(letter, matters, selectors.clock_today())


@router.get(
    "/letters",
    response=LetterListOut,
    summary="督办函列表（市专项办：所发全部；旗县区：发给本地的）",
)
def letter_list(request: HttpRequest, filters: Query[LetterFilters]) -> LetterListOut:
    user = _user(request)
    letters = selectors.letter_list(
        user=user,
        status=filters.status or "",
        overdue=filters.overdue,
        search=filters.q.strip(),
    )
    page = paginate(letters, page=filters.page, size=filters.page_size)
    today = selectors.clock_today()
    return LetterListOut(
        items=[
            letter_out(letter, list(selectors.letter_matters(user=user, letter=letter)), today)
            for letter in page.items
        ],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get("/letters/{int:letter_id}", response=LetterOut, summary="督办函")
def letter_get(request: HttpRequest, letter_id: int) -> LetterOut:
    return _letter_out(_user(request), letter_id)


@router.post(
    "/letters",
    response={200: LetterOut, 201: LetterOut},
    summary="拟制督办函（send=true 时立即发出；支持 Idempotency-Key）",
    description=(
        "201：新建（send=true 时已编发文字号并生成信函格式 .docx）。带 Idempotency-Key 重试且"
        "请求体相同：200，响应头 Idempotent-Replayed: true；同一键不同请求体：409。"
    ),
)
def letter_create(
    request: HttpRequest,
    payload: LetterCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[LetterOut]:
    user = _user(request)
    office = _office(user)
    recipient = (
        selectors.letter_recipient_choices(office)
        .filter(code=payload.recipient_unit.strip())
        .first()
    )
    if recipient is None:
        raise ValidationFailed(
            "受函单位不存在或不在本专项办辖区", fields={"recipient_unit": ["受函单位不存在"]}
        )
    # The service fetches the matters through the caller's scope, naming each it cannot see.
    matters = [PetitionMatter(pk=pk) for pk in dict.fromkeys(payload.matter_ids)]

    def create() -> SupervisionLetter:
        letter = services.letter_create(
            actor=user,
            issuing_office=office,
            recipient_unit=recipient,
            matters=matters,
            title=payload.title,
            requirements=payload.requirements,
            due_on=payload.due_on,
        )
        return services.letter_send(actor=user, letter=letter) if payload.send else letter

    letter, created = services.run_once(
        model=SupervisionLetter,
        idempotency=_idempotency(user, idempotency_key, "letter", payload.model_dump(mode="json")),
        create=create,
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _letter_out(user, letter.pk))


@router.post(
    "/letters/{int:letter_id}/send",
    response=LetterOut,
    summary="发出督办函（编发文字号，生成信函格式 .docx，通知受函单位）",
)
def letter_send(request: HttpRequest, letter_id: int, payload: LetterSendIn) -> LetterOut:
    user = _user(request)
    letter = selectors.letter_get(user=user, pk=letter_id)
    if payload.expected_status is not None and payload.expected_status != letter.status:
        raise ValidationFailed(
            "该督办函已被他人处理，请重新读取后再操作",
            code="stale",
            extra={"status": letter.status},
        )
    services.letter_send(actor=user, letter=letter)
    return _letter_out(user, letter.pk)


@router.post("/letters/{int:letter_id}/reply", response=LetterOut, summary="答复督办函（受函单位）")
def letter_reply(request: HttpRequest, letter_id: int, payload: LetterReplyIn) -> LetterOut:
    user = _user(request)
    letter = selectors.letter_get(user=user, pk=letter_id)
    services.letter_reply(
        actor=user, letter=letter, reply_text=payload.reply_text, replied_on=payload.replied_on
    )
    return _letter_out(user, letter.pk)


def _meeting_out(user: User, meeting_id: int) -> MeetingOut:
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    return meeting_out(
        meeting,
        list(selectors.meeting_minutes(user=user, meeting=meeting)),
        list(selectors.meeting_tasks(user=user, meeting=meeting)),
        selectors.clock_today(),
    )


def _owner(office: OrgUnit, username: str, field: str, label: str) -> User:
    found = selectors.task_owner_choices(office).filter(username=username.strip()).first()
    if found is None:
        raise ValidationFailed(f"{label}不存在或不在本辖区", fields={field: [f"{label}不存在"]})
    return found


@router.get("/meetings", response=MeetingListOut, summary="调度会与三日一研究")
def meeting_list(request: HttpRequest, filters: Query[MeetingFilters]) -> MeetingListOut:
    user = _user(request)
    page = paginate(
        selectors.meeting_list(user=user, kind=filters.kind or ""),
        page=filters.page,
        size=filters.page_size,
    )
    return MeetingListOut(
        items=[meeting_summary_out(meeting) for meeting in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get(
    "/meetings/{int:meeting_id}", response=MeetingOut, summary="会议：议程、逐案研究、交办任务"
)
def meeting_get(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return _meeting_out(_user(request), meeting_id)


@router.post(
    "/meetings",
    response={200: MeetingOut, 201: MeetingOut},
    summary="召开调度会（本人所在专项办；支持 Idempotency-Key）",
)
def meeting_create(
    request: HttpRequest,
    payload: MeetingCreateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[MeetingOut]:
    user = _user(request)
    office = _office(user)
    chair = _owner(office, payload.chair, "chair", "主持人") if payload.chair.strip() else None
    meeting, created = services.run_once(
        model=ReviewMeeting,
        idempotency=_idempotency(user, idempotency_key, "meeting", payload.model_dump(mode="json")),
        create=lambda: services.meeting_create(
            actor=user,
            title=payload.title,
            held_on=payload.held_on,
            chair=chair,
            attendees=payload.attendees,
            summary=payload.summary,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _meeting_out(user, meeting.pk))


@router.post(
    "/meetings/review",
    response={200: MeetingOut, 201: MeetingOut},
    summary="生成本专项办今日的三日一研究议程（已生成的返回原议程）",
)
def review_generate(request: HttpRequest, payload: ReviewGenerateIn) -> Status[MeetingOut]:
    user = _user(request)
    office = _office(user)
    day = payload.day or selectors.clock_today()
    existed = (
        selectors.meeting_list(user=user, kind="three_day")
        .filter(office=office, held_on=day)
        .exists()
    )
    meeting = services.review_agenda_generate(actor=user, office=office, day=day)
    return Status(200 if existed else 201, _meeting_out(user, meeting.pk))


@router.post(
    "/meetings/{int:meeting_id}/minutes", response=MeetingOut, summary="逐案研究：记录研究意见"
)
def meeting_minute(request: HttpRequest, meeting_id: int, payload: MeetingMinuteIn) -> MeetingOut:
    user = _user(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    services.meeting_matter_record(
        actor=user,
        meeting=meeting,
        matter=PetitionMatter(pk=payload.matter_id),
        minute=payload.minute,
    )
    return _meeting_out(user, meeting.pk)


@router.post(
    "/meetings/{int:meeting_id}/tasks",
    response={201: MeetingOut},
    summary="会议决定交办为任务（事项、内容、责任人、期限）",
)
def meeting_task(
    request: HttpRequest, meeting_id: int, payload: MeetingTaskIn
) -> Status[MeetingOut]:
    user = _user(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    services.meeting_task_create(
        actor=user,
        meeting=meeting,
        matter=PetitionMatter(pk=payload.matter_id),
        description=payload.description,
        owner=_owner(meeting.office, payload.owner, "owner", "责任人"),
        due_on=payload.due_on,
    )
    return Status(201, _meeting_out(user, meeting.pk))


@router.post("/meetings/{int:meeting_id}/held", response=MeetingOut, summary="确认会议已召开")
def meeting_hold(request: HttpRequest, meeting_id: int, payload: MeetingHoldIn) -> MeetingOut:
    user = _user(request)
    meeting = selectors.meeting_get(user=user, pk=meeting_id)
    services.meeting_hold(
        actor=user, meeting=meeting, attendees=payload.attendees, summary=payload.summary
    )
    return _meeting_out(user, meeting.pk)


@router.post(
    "/meeting-tasks/{int:task_id}/done",
    response=MeetingTaskOut,
    summary="报告会议交办任务已落实（责任人或召集专项办）",
)
def meeting_task_done(
    request: HttpRequest, task_id: int, payload: MeetingTaskDoneIn
) -> MeetingTaskOut:
    user = _user(request)
    task = selectors.meeting_task_get(user=user, pk=task_id)
    services.meeting_task_complete(
        actor=user, task=task, note=payload.note, done_on=payload.done_on
    )
    fresh = selectors.meeting_task_get(user=user, pk=task.pk)
    return meeting_task_out(fresh, selectors.clock_today())


@router.get("/bulletins", response=BulletinListOut, summary="每日通报（按印发时原样）")
def bulletin_list(request: HttpRequest, filters: Query[PageQuery]) -> BulletinListOut:
    user = _user(request)
    page = paginate(selectors.bulletin_list(user=user), page=filters.page, size=filters.page_size)
    return BulletinListOut(
        items=[bulletin_out(bulletin) for bulletin in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get("/bulletins/{int:bulletin_id}", response=BulletinOut, summary="每日通报")
def bulletin_get(request: HttpRequest, bulletin_id: int) -> BulletinOut:
    return bulletin_out(selectors.bulletin_get(user=_user(request), pk=bulletin_id))


@router.post(
    "/bulletins",
    response={200: BulletinOut, 201: BulletinOut},
    summary="印发某日的每日通报（已印发的返回原通报；不能是未来日期）",
)
def bulletin_issue(request: HttpRequest, payload: BulletinIssueIn) -> Status[BulletinOut]:
    user = _user(request)
    day = payload.day or selectors.clock_today()
    existed = selectors.bulletin_of_day(day) is not None
    bulletin = services.bulletin_issue(actor=user, day=day)
    return Status(
        200 if existed else 201, bulletin_out(selectors.bulletin_get(user=user, pk=bulletin.pk))
    )
