"""The work on a matter over HTTP (P2): a matter's work records and their files, the
petitioners not met yet (每案必见), coordination requests and their replies, and aid (the
ledger, one aid, applying, the special approval above the cap, approving, refusing, the funds'
arrival and the payment).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Header, Query, Status
from ninja.files import UploadedFile

from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.pagination import paginate
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.api.common import _idempotency, _matter, _user, router
from youjie.petitions.models import Aid, CoordinationRequest, PetitionMatter, WorkRecord
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
    CoordinationFilters,
    CoordinationIn,
    CoordinationListOut,
    CoordinationOut,
    CoordinationReplyIn,
    NotMetListOut,
    NotMetOut,
    PageQuery,
    PersonRefOut,
    WorkRecordIn,
    WorkRecordListOut,
    WorkRecordOut,
    aid_out,
    coordination_out,
    work_record_out,
)


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
