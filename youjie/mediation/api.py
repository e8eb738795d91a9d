"""/api/v1/mediation: 诉前调解 over HTTP — list, detail, delegate, accept, schedule a session,
agree, fail.

Thin adapters: parse, fetch through the scoped selectors (404 outside the caller's scope, never
403), call one service, answer with the updated mediation. Errors follow the API's one format
{code, message, fields, extra}: 422 ``validation_failed`` / ``stale`` /
``mediation_consent_missing``, 403 ``permission_denied``, 404 ``not_found``, 409
``invalid_transition`` / ``mediation_exists`` / ``idempotency_key_reused``. The creating POSTs
(delegate, sessions) take an ``Idempotency-Key`` header.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Status

from youjie.core.errors import ValidationFailed
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.mediation import deadlines, selectors, services
from youjie.mediation.models import Mediation, MediationSession
from youjie.mediation.schemas import (
    ActionIn,
    AgreeIn,
    DelegateIn,
    FailIn,
    MediationDetailOut,
    MediationFilters,
    MediationListOut,
    SessionIn,
    mediation_detail_out,
    mediation_summary,
)
from youjie.orgs.backends import signed_in_user
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User

router = Router(tags=["诉前调解"])
CREATED_DESCRIPTION = (
    "201：新建。带 Idempotency-Key 重试且请求体相同：200，响应头 Idempotent-Replayed: true，"
    "不重复创建；同一键不同请求体：409 idempotency_key_reused。"
)


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


def _mediation(user: User, mediation_id: int, payload: ActionIn | None = None) -> Mediation:
    """The mediation if the user may see it (else 404), refusing a stale call (422 ``stale``)."""
    mediation = selectors.mediation_get(user=user, pk=mediation_id)
    expected = payload.expected_status if payload is not None else None
    if expected is not None and mediation.status != expected:
        raise ValidationFailed(
            "该调解已被他人处理，请重新读取后再操作",
            code="stale",
            extra={"status": mediation.status},
        )
    return mediation


def _detail(user: User, mediation_id: int) -> MediationDetailOut:
    mediation = selectors.mediation_get(user=user, pk=mediation_id)
    confirmation = selectors.confirmation_of(mediation)
    return mediation_detail_out(
        mediation,
        today=selectors.clock_today(),
        clocks=deadlines.mediation_clocks(mediation, confirmation),
        sessions=selectors.mediation_sessions(mediation),
        confirmation=confirmation,
        events=selectors.mediation_timeline(mediation),
    )


def _idempotency(
    user: User, key: str | None, what: str, body: dict[str, object]
) -> services.Idempotency | None:
    if key is None:
        return None
    return services.Idempotency(
        key=check_key(key),
        scope=f"mediation.api.{what}:{user.pk}",
        body_hash=body_fingerprint(body),
    )


@router.get("/mediations", response=MediationListOut, summary="诉前调解列表（按权限范围）")
def mediation_list(request: HttpRequest, filters: Query[MediationFilters]) -> MediationListOut:
    user = _user(request)
    mediations = selectors.mediation_list(
        user=user,
        status=filters.status or "",
        overdue=filters.overdue,
        mine=filters.mine,
        search=filters.q,
    )
    page = paginate(mediations, page=filters.page, size=filters.page_size)
    today = selectors.clock_today()
    return MediationListOut(
        items=[mediation_summary(mediation, today) for mediation in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
        has_previous=page.has_previous,
    )


@router.get(
    "/mediations/{int:mediation_id}",
    response=MediationDetailOut,
    summary="诉前调解详情（当事人脱敏、期限及依据、调解安排、司法确认、时间线）",
)
def mediation_get(request: HttpRequest, mediation_id: int) -> MediationDetailOut:
    return _detail(_user(request), mediation_id)


@router.post(
    "/mediations",
    response={200: MediationDetailOut, 201: MediationDetailOut},
    summary="委派调解（管辖法院工作人员；须当事人同意；支持 Idempotency-Key）",
    description=CREATED_DESCRIPTION,
)
def mediation_delegate(
    request: HttpRequest,
    payload: DelegateIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[MediationDetailOut]:
    user = _user(request)
    idempotency = _idempotency(user, idempotency_key, "delegate", payload.model_dump(mode="json"))
    filing = selectors.filing_for_delegation(user=user, filing_id=payload.filing_id)
    organisation = None
    if payload.organisation.strip():
        organisation = OrgUnit.objects.filter(
            code=payload.organisation.strip(), kind=OrgKind.MEDIATION, is_active=True
        ).first()
        if organisation is None:
            raise ValidationFailed("调解组织不存在", fields={"organisation": ["没有该调解组织"]})
    mediator = User.objects.filter(username=payload.mediator.strip(), is_active=True).first()
    if mediator is None:
        raise ValidationFailed("调解员不存在", fields={"mediator": ["没有该调解员"]})
    mediation, created = services.run_once(
        model=Mediation,
        idempotency=idempotency,
        create=lambda: services.mediation_delegate(
            actor=user,
            filing=filing,
            mode=payload.mode,
            organisation=organisation,
            mediator=mediator,
            note=payload.note,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _detail(user, mediation.pk))


@router.post(
    "/mediations/{int:mediation_id}/accept",
    response=MediationDetailOut,
    summary="调解员确认接受（30日调解期限起算）",
)
def mediation_accept(
    request: HttpRequest, mediation_id: int, payload: ActionIn
) -> MediationDetailOut:
    user = _user(request)
    mediation = _mediation(user, mediation_id, payload)
    services.mediation_accept(actor=user, mediation=mediation)
    return _detail(user, mediation_id)


@router.post(
    "/mediations/{int:mediation_id}/sessions",
    response={200: MediationDetailOut, 201: MediationDetailOut},
    summary="安排调解（在线或现场；短信通知当事人；支持 Idempotency-Key）",
    description=CREATED_DESCRIPTION,
)
def session_schedule(
    request: HttpRequest,
    mediation_id: int,
    payload: SessionIn,
    response: HttpResponse,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[MediationDetailOut]:
    user = _user(request)
    body = {"mediation": mediation_id, **payload.model_dump(mode="json")}
    idempotency = _idempotency(user, idempotency_key, "session", body)
    mediation = _mediation(user, mediation_id, payload)
    _, created = services.run_once(
        model=MediationSession,
        idempotency=idempotency,
        create=lambda: services.session_schedule(
            actor=user,
            mediation=mediation,
            kind=payload.kind,
            scheduled_at=payload.scheduled_at,
            video_url=payload.video_url,
            place=payload.place,
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _detail(user, mediation_id))


@router.post(
    "/mediations/{int:mediation_id}/agree",
    response=MediationDetailOut,
    summary="登记调解协议（自生效之日起30日内可申请司法确认）",
)
def mediation_agree(
    request: HttpRequest, mediation_id: int, payload: AgreeIn
) -> MediationDetailOut:
    user = _user(request)
    mediation = _mediation(user, mediation_id, payload)
    services.mediation_agree(
        actor=user, mediation=mediation, agreement=payload.agreement, agreed_on=payload.agreed_on
    )
    return _detail(user, mediation_id)


@router.post(
    "/mediations/{int:mediation_id}/fail",
    response=MediationDetailOut,
    summary="登记调解不成（立案申请自动转入立案审查）",
)
def mediation_fail(request: HttpRequest, mediation_id: int, payload: FailIn) -> MediationDetailOut:
    user = _user(request)
    mediation = _mediation(user, mediation_id, payload)
    services.mediation_fail(actor=user, mediation=mediation, reason=payload.reason)
    return _detail(user, mediation_id)
