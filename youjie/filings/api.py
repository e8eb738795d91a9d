"""/api/v1/filings: 网上立案 over HTTP — file (with an ``Idempotency-Key``: a retried call
creates nothing new), list and read within the caller's scope (404 outside it, never 403), and
the courts' actions: forward, supplement, accept, refuse.

Who files: the 立案 staff of a court, or a court's integration account (a filing platform); the
caller's court receives the materials. Errors follow the API's one format {code, message,
fields, extra}: 422 ``validation_failed`` / ``stale``, 403 ``permission_denied``, 404
``not_found``, 409 ``invalid_transition`` / ``idempotency_key_reused``.
"""

from __future__ import annotations

import base64
import binascii

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Status

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.idempotency import body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.filings import selectors, services
from youjie.filings.choices import FilingChannel
from youjie.filings.models import Filing
from youjie.filings.permissions import may_decide_filings
from youjie.filings.schemas import (
    AcceptIn,
    FilingFilters,
    FilingIn,
    FilingListOut,
    FilingOut,
    ForwardIn,
    MaterialIn,
    RefuseIn,
    SupplementIn,
    filing_out,
    filing_summary,
)
from youjie.orgs.backends import signed_in_user
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import nearest_unit

router = Router(tags=["网上立案"])


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


def _filing(user: User, filing_id: int, expected_status: str | None = None) -> Filing:
    filing = selectors.filing_get(user=user, pk=filing_id)  # 404 outside the scope
    if expected_status is not None and filing.status != expected_status:
        raise ValidationFailed(
            "该立案申请已被他人处理，请重新读取后再操作",
            code="stale",
            extra={"status": filing.status},
        )
    return filing


def _out(user: User, filing: Filing) -> FilingOut:
    fresh = selectors.filing_get(user=user, pk=filing.pk)
    return filing_out(fresh, selectors.filing_detail(filing=fresh))


def _receiving_court(user: User) -> OrgUnit:
    if not (may_decide_filings(user) or user.has_role(Role.INTEGRATION)):
        raise PermissionDenied("只有法院立案人员或法院的接口账号可以提交立案申请")
    court = nearest_unit(user.org_unit, OrgKind.COURT)
    if court is None:
        raise PermissionDenied("接口账号未归属法院，不能提交立案申请")
    return court


def _material(index: int, item: MaterialIn) -> services.MaterialInput:
    upload = None
    if item.content_base64:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            message = "文件内容应为 Base64 编码"
            raise ValidationFailed(
                message, fields={f"materials.{index}.content_base64": [message]}
            ) from exc
        upload = SimpleUploadedFile(item.file_name or "材料", content)
    return services.MaterialInput(kind=item.kind, title=item.title, file=upload)


@router.post(
    "/",
    response={201: FilingOut, 200: FilingOut},
    summary="提交立案申请（收件法院为调用方所在法院；跨域立案时由本院核对转交）",
    description=(
        "材料以 Base64 随请求提交（PDF、JPG、PNG，按内容校验）；必须包含起诉状。"
        "标的额为十进制字符串，只接受人民币（CNY）。带 Idempotency-Key 的重试不重复登记。"
    ),
)
def filing_create(
    request: HttpRequest,
    response: HttpResponse,
    payload: FilingIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[type-arg]
) -> Status[FilingOut]:
    user = _user(request)
    court = _receiving_court(user)
    idempotency = None
    if idempotency_key is not None:
        idempotency = services.Idempotency(
            key=check_key(idempotency_key),
            scope=f"filings.api.create:{user.pk}",
            body_hash=body_fingerprint(payload.model_dump(mode="json")),
        )
    competent = selectors.courts().filter(code=payload.competent_court.strip()).first()
    if competent is None:
        raise ValidationFailed("管辖法院不存在", fields={"competent_court": ["法院代码不存在"]})
    data = services.FilingInput(
        receiving_court=court,
        competent_court=competent,
        case_kind=payload.case_kind,
        procedure=payload.procedure,
        cause=payload.cause,
        claims=payload.claims,
        amount=payload.amount,
        currency=payload.currency,
        facts_and_reasons=payload.facts_and_reasons,
        submitter_kind=payload.submitter_kind,
        submitter_name=payload.submitter_name,
        submitter_phone=payload.submitter_phone,
        lawyer_licence_number=payload.lawyer_licence_number,
        law_firm=payload.law_firm,
        mediation_consent=payload.mediation_consent,
        parties=[services.PartyInput(**party.model_dump()) for party in payload.parties],
        materials=[_material(index, item) for index, item in enumerate(payload.materials)],
        channel=FilingChannel.API,
    )
    filing, created = services.filing_submit(actor=user, data=data, idempotency=idempotency)
    if not created:
        response["Idempotent-Replayed"] = "true"
    return Status(201 if created else 200, _out(user, filing))


@router.get("/", response=FilingListOut, summary="立案申请列表（按权限范围，脱敏）")
def filing_list(request: HttpRequest, filters: Query[FilingFilters]) -> FilingListOut:
    user = _user(request)
    filings = selectors.filing_queue(user=user, queue=filters.queue, search=filters.q)
    page = paginate(filings, page=filters.page, size=filters.page_size)
    return FilingListOut(
        items=[filing_summary(filing) for filing in page.items],
        page=page.number,
        size=page.size,
        has_next=page.has_next,
    )


@router.get(
    "/{int:filing_id}", response=FilingOut, summary="立案申请详情（含当事人、材料、时间线）"
)
def filing_get(request: HttpRequest, filing_id: int) -> FilingOut:
    user = _user(request)
    return _out(user, _filing(user, filing_id))


@router.post("/{int:filing_id}/forward", response=FilingOut, summary="收件法院核对并转交管辖法院")
def filing_forward(request: HttpRequest, filing_id: int, payload: ForwardIn) -> FilingOut:
    user = _user(request)
    filing = _filing(user, filing_id, payload.expected_status)
    services.filing_forward(actor=user, filing=filing, note=payload.note)
    return _out(user, filing)


@router.post(
    "/{int:filing_id}/supplement", response=FilingOut, summary="一次性告知补正（列明全部事项）"
)
def filing_supplement(request: HttpRequest, filing_id: int, payload: SupplementIn) -> FilingOut:
    user = _user(request)
    filing = _filing(user, filing_id, payload.expected_status)
    services.filing_request_supplement(actor=user, filing=filing, items=payload.items)
    return _out(user, filing)


@router.post("/{int:filing_id}/accept", response=FilingOut, summary="登记立案（生成案号）")
def filing_accept(request: HttpRequest, filing_id: int, payload: AcceptIn) -> FilingOut:
    user = _user(request)
    filing = _filing(user, filing_id, payload.expected_status)
    division = (
        selectors.divisions_of(filing.competent_court).filter(code=payload.division.strip()).first()
    )
    judge = None
    if payload.judge.strip():
        judge = (
            selectors.judges_of(filing.competent_court)
            .filter(username=payload.judge.strip())
            .first()
        )
        if judge is None:
            raise ValidationFailed("承办法官不存在", fields={"judge": ["不是管辖法院的法官"]})
    services.filing_accept(
        actor=user,
        filing=filing,
        data=services.AcceptInput(
            division=division,
            judge=judge,
            procedure=payload.procedure,
            fast_track=payload.fast_track,
            cause=payload.cause,
            issue_fee_notice=payload.issue_fee_notice,
        ),
    )
    return _out(user, filing)


@router.post("/{int:filing_id}/refuse", response=FilingOut, summary="不予受理（写明理由）")
def filing_refuse(request: HttpRequest, filing_id: int, payload: RefuseIn) -> FilingOut:
    user = _user(request)
    filing = _filing(user, filing_id, payload.expected_status)
    services.filing_refuse(actor=user, filing=filing, reason=payload.reason)
    return _out(user, filing)
