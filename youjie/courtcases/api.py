"""/api/v1/courtcases: scoped case lookup, case-number parsing, case-list imports, and hearings.

Authentication is at the NinjaAPI level; ``request.user`` is the staff user or the token's
service user, and every read goes through the same scoped selectors as the pages.

Case lists come in two ways: upload, look at the errors, run (``/imports``, ``/imports/{id}/run``),
or in one call from the court's case system (``/imports/push``: validated and queued at once
with its valid rows; docs/subsystems/case-imports.md). Every run, whatever its source, reports
the same way (``CaseImportOut``): new, updated, unchanged, and refused rows with their reasons.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Form, Header, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.core.idempotency import Idempotency, body_fingerprint, check_key
from youjie.core.pagination import paginate
from youjie.core.schemas import NUL, InputSchema
from youjie.courtcases import hearings, selectors, services
from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.imports import clean_file_name, file_sha256, file_too_large
from youjie.courtcases.models import CaseImport, CourtCase, Hearing, ImportSource
from youjie.courtcases.numbers import MAX_INPUT_LENGTH, parse_case_number
from youjie.courtcases.permissions import can_import_cases, can_manage_hearings
from youjie.courtcases.schemas import (
    HearingAttendanceIn,
    HearingCancelIn,
    HearingListOut,
    HearingListQuery,
    HearingOut,
    HearingPostponedOut,
    HearingPostponeIn,
    HearingScheduledOut,
    HearingScheduleIn,
    hearing_out,
    hearing_scheduled_out,
)
from youjie.orgs.models import User

router = Router(tags=["法院案件"])

API_ERRORS_SHOWN = 1000


class PartyOut(Schema):
    role: str
    role_label: str
    name: str


class CaseSummaryOut(Schema):
    id: int
    case_number: str
    year: int
    court_code: str
    type_code: str
    sequence: int
    court: str
    cause: str
    division: str | None
    judge: str | None
    stage: str
    stage_label: str
    filed_on: dt.date | None


class CaseOut(CaseSummaryOut):
    clerk: str | None
    judgment_date: dt.date | None
    closed_on: dt.date | None
    appealed: bool
    petitioned: bool
    second_instance_result: str = Field(
        "",
        description="二审结果：affirmed 维持 / reversed 改判 / "
        "remanded 发回重审 / withdrawn 撤回上诉 / other 其他，空为无",
    )
    amount: str | None
    parties: list[PartyOut]


class CaseListOut(Schema):
    items: list[CaseSummaryOut]
    page: int
    size: int
    has_next: bool


class CaseListQuery(InputSchema):
    q: str = Field("", max_length=selectors.MAX_QUERY_LENGTH, description="案号或案由")
    type_code: str = Field("", max_length=16, description="类型代字，如 民初、执")
    stage: str = Field("", max_length=16)
    year: int | None = Field(None, ge=1, le=9999, description="立案年度")
    page: int = Field(1, ge=1, le=10_000)


class ParseIn(InputSchema):
    case_number: str = Field(..., max_length=MAX_INPUT_LENGTH)


class CaseNumberOut(Schema):
    canonical: str
    year: int
    court_code: str
    type_code: str
    sequence: int


class RowErrorOut(Schema):
    row: int
    case_number: str
    reason: str


class CaseImportOut(Schema):
    id: int
    source: str = Field(..., description="upload 页面上传 / push 接口推送 / folder 定时目录")
    source_label: str
    status: str = Field(
        ...,
        description="validated 已校验 / queued 排队中 / running 导入中 / done 已完成 / "
        "failed 失败 / cancelled 已取消（含重复文件）",
    )
    status_label: str
    court_code: str
    file_name: str
    file_sha256: str
    duplicate_of_id: int | None = Field(None, description="重复文件：此前导入过同一文件的导入编号")
    total_rows: int
    valid_rows: int
    error_count: int = Field(..., description="被拒绝的行数（原因见 errors）")
    processed_rows: int
    created_count: int = Field(..., description="新增")
    updated_count: int = Field(..., description="更新")
    unchanged_count: int = Field(..., description="无变化")
    failure_reason: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    status_url: str
    errors: list[RowErrorOut] = Field(
        default_factory=list, description=f"错误行（最多 {API_ERRORS_SHOWN} 条）"
    )


class CaseImportListOut(Schema):
    items: list[CaseImportOut]
    page: int
    size: int
    has_next: bool


class CaseImportListQuery(InputSchema):
    source: ImportSource | None = Field(None, description="来源")
    status: ImportStatus | None = Field(None, description="状态")
    page: int = Field(1, ge=1, le=10_000)


class RunIn(InputSchema):
    import_valid_rows: bool = False


IdempotencyHeader = Header(None, alias="Idempotency-Key")  # type: ignore[type-arg]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _summary(case: CourtCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "case_number": case.case_number,
        "year": case.year,
        "court_code": case.court_code,
        "type_code": case.type_code,
        "sequence": case.sequence,
        "court": case.court.name,
        "cause": case.cause,
        "division": case.division.name if case.division else None,
        "judge": str(case.judge) if case.judge else None,
        "stage": case.stage,
        "stage_label": case.get_stage_display(),
        "filed_on": case.filed_on,
    }


def _case_by_key(request: HttpRequest, case_key: str) -> CourtCase:
    """A case the caller may see, by id or by case number (any accepted spelling)."""
    key = case_key.strip()
    if key.isascii() and key.isdigit():
        if len(key) > 19:
            raise NotFound()
        return selectors.court_case_get(user=request.user, pk=int(key))
    return selectors.court_case_get(user=request.user, case_number=key)


def _import_out(case_import: CaseImport, *, with_errors: bool) -> CaseImportOut:
    errors = case_import.errors[:API_ERRORS_SHOWN] if with_errors else []
    return CaseImportOut(
        id=case_import.pk,
        source=case_import.source,
        source_label=case_import.get_source_display(),
        status=case_import.status,
        status_label=case_import.get_status_display(),
        court_code=case_import.court.court_code,
        file_name=case_import.file_name,
        file_sha256=case_import.file_sha256,
        duplicate_of_id=case_import.duplicate_of_id,
        total_rows=case_import.total_rows,
        valid_rows=case_import.valid_rows,
        error_count=case_import.refused_count,
        processed_rows=case_import.processed_rows,
        created_count=case_import.created_count,
        updated_count=case_import.updated_count,
        unchanged_count=case_import.unchanged_count,
        failure_reason=case_import.failure_reason,
        created_at=case_import.created_at,
        finished_at=case_import.finished_at,
        status_url=reverse("api:courtcases_import_get", kwargs={"import_id": case_import.pk}),
        errors=[RowErrorOut(**error) for error in errors],
    )


def _check_upload(court_code: str, file: UploadedFile) -> None:
    """The form field (outside any schema) and the file's size, before anything is read."""
    if len(court_code) > 16 or NUL in court_code:
        raise ValidationFailed("法院代码无效", fields={"court_code": ["法院代码无效"]})
    limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
    if file.size is not None and file.size > limit:
        raise file_too_large(limit)


@router.get("/cases", response=CaseListOut, summary="案件列表（按权限范围）")
def case_list(request: HttpRequest, filters: Query[CaseListQuery]) -> CaseListOut:
    queryset = selectors.court_case_list(
        user=request.user,
        query=filters.q,
        type_code=filters.type_code,
        stage=filters.stage,
        year=filters.year,
    )
    result = paginate(queryset, page=filters.page, size=25)
    return CaseListOut(
        items=[CaseSummaryOut(**_summary(case)) for case in result.items],
        page=result.number,
        size=result.size,
        has_next=result.has_next,
    )


@router.get(
    "/cases/{case_key}",
    response=CaseOut,
    summary="案件详情：按编号或案号（URL 编码）",
    url_name="courtcases_case_get",
)
def case_get(request: HttpRequest, case_key: str) -> CaseOut:
    case = _case_by_key(request, case_key)
    parties = [
        PartyOut(role=party.role, role_label=party.get_role_display(), name=party.name)
        for party in case.parties.all()
    ]
    return CaseOut(
        **_summary(case),
        clerk=str(case.clerk) if case.clerk else None,
        judgment_date=case.judgment_date,
        closed_on=case.closed_on,
        appealed=case.appealed,
        petitioned=case.petitioned,
        second_instance_result=case.second_instance_result,
        amount=str(case.amount) if case.amount is not None else None,
        parties=parties,
    )


@router.post("/parse", response=CaseNumberOut, summary="解析案号")
def parse(request: HttpRequest, payload: ParseIn) -> CaseNumberOut:
    try:
        number = parse_case_number(payload.case_number)
    except ValidationError as exc:
        raise ValidationFailed(
            "；".join(exc.messages), fields={"case_number": list(exc.messages)}
        ) from exc
    return CaseNumberOut(
        canonical=number.canonical,
        year=number.year,
        court_code=number.court_code,
        type_code=number.type_code,
        sequence=number.sequence,
    )


@router.post(
    "/imports",
    response={201: CaseImportOut},
    summary="上传案件清单并校验（不写入案件）",
)
def import_create(
    request: HttpRequest,
    court_code: Form[str],
    file: File[UploadedFile],
) -> Status[CaseImportOut]:
    if not can_import_cases(request.user):
        raise PermissionDenied()
    _check_upload(court_code, file)
    court = selectors.importable_court_get(user=request.user, court_code=court_code)
    case_import = services.case_import_validate(
        actor=_actor(request),
        court=court,
        file_name=file.name or "",
        content=file.read(),
        source=ImportSource.PUSH,
    )
    return Status(201, _import_out(case_import, with_errors=True))


@router.post(
    "/imports/push",
    response={202: CaseImportOut},
    summary="推送案件清单：校验后立即在后台导入有效行、拒绝错误行（须带 Idempotency-Key）",
    description=(
        "法院案件系统一次调用推送案件清单（multipart：court_code 法院代字 + file）。"
        "校验后立即排队导入全部有效行，错误行被拒绝并写明原因；返回 202 与 status_url。"
        "文件无法读取、缺少表头或全部行被拒绝时，导入记为失败（failure_reason）并通知法院的"
        "系统管理员。同一 Idempotency-Key 再次推送同一文件返回同一导入，不重复导入"
        "（响应头 Idempotent-Replayed: true）；同一键推送不同文件为 409 idempotency_key_reused。"
        "文件过大为 422 file_too_large。"
    ),
)
def import_push(
    request: HttpRequest,
    response: HttpResponse,
    court_code: Form[str],
    file: File[UploadedFile],
    idempotency_key: str | None = IdempotencyHeader,
) -> Status[CaseImportOut]:
    if not can_import_cases(request.user):
        raise PermissionDenied()
    actor = _actor(request)
    if idempotency_key is None or not idempotency_key.strip():
        raise ValidationFailed(
            "推送须带 Idempotency-Key 请求头（每个文件一个，重试时不变）",
            code="idempotency_key_required",
            fields={"Idempotency-Key": ["此项为必填项"]},
        )
    key = check_key(idempotency_key)
    _check_upload(court_code, file)
    court = selectors.importable_court_get(user=actor, court_code=court_code)
    content = file.read()
    file_name = clean_file_name(file.name or "")
    fingerprint = {"court": court.court_code, "file": file_name, "sha256": file_sha256(content)}
    case_import, created = services.case_import_receive(
        actor=actor,
        court=court,
        file_name=file_name,
        content=content,
        source=ImportSource.PUSH,
        idempotency=Idempotency(
            key=key,
            scope=f"courtcases.push:{actor.pk}",
            body_hash=body_fingerprint(fingerprint),
        ),
    )
    if not created:
        response["Idempotent-Replayed"] = "true"
    fresh = selectors.case_import_get(user=actor, pk=case_import.pk)
    return Status(202, _import_out(fresh, with_errors=True))


@router.get("/imports", response=CaseImportListOut, summary="导入记录（各来源，按权限范围）")
def import_list(request: HttpRequest, filters: Query[CaseImportListQuery]) -> CaseImportListOut:
    if not can_import_cases(request.user):
        raise PermissionDenied()
    queryset = selectors.case_import_list(user=request.user)
    if filters.source is not None:
        queryset = queryset.filter(source=filters.source)
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    result = paginate(queryset, page=filters.page, size=25)
    return CaseImportListOut(
        items=[_import_out(case_import, with_errors=False) for case_import in result.items],
        page=result.number,
        size=result.size,
        has_next=result.has_next,
    )


@router.get(
    "/imports/{import_id}",
    response=CaseImportOut,
    summary="导入状态与进度",
    url_name="courtcases_import_get",
)
def import_get(request: HttpRequest, import_id: int) -> CaseImportOut:
    if not can_import_cases(request.user):
        raise PermissionDenied()
    case_import = selectors.case_import_get(user=request.user, pk=import_id)
    return _import_out(case_import, with_errors=True)


@router.post(
    "/imports/{import_id}/run",
    response={202: CaseImportOut},
    summary="执行导入（后台运行，按 status_url 查询进度）",
)
def import_run(request: HttpRequest, import_id: int, payload: RunIn) -> Status[CaseImportOut]:
    if not can_import_cases(request.user):
        raise PermissionDenied()
    case_import = selectors.case_import_get(user=request.user, pk=import_id)
    services.case_import_start(
        actor=_actor(request), case_import=case_import, import_valid_rows=payload.import_valid_rows
    )
    case_import = selectors.case_import_get(user=request.user, pk=import_id, with_errors=False)
    return Status(202, _import_out(case_import, with_errors=False))


# --- hearings (互联网+庭审) -------------------------------------------------------------------


def _hearing_manager(request: HttpRequest, court_case: CourtCase) -> User:
    user = request.user
    if not can_manage_hearings(user, court_case):
        raise PermissionDenied(hearings.MANAGE_REFUSED)
    return user


def _hearing(request: HttpRequest, hearing_id: int) -> tuple[Hearing, User]:
    hearing = selectors.hearing_get(user=request.user, pk=hearing_id)  # 404 outside the scope
    return hearing, _hearing_manager(request, hearing.court_case)


def _fresh(request: HttpRequest, hearing: Hearing) -> HearingOut:
    return hearing_out(selectors.hearing_get(user=request.user, pk=hearing.pk))


@router.get("/hearings", response=HearingListOut, summary="待开庭的庭审（按权限范围）")
def hearing_list(request: HttpRequest, filters: Query[HearingListQuery]) -> HearingListOut:
    queryset = selectors.hearings_upcoming(user=request.user, days=filters.days).prefetch_related(
        "participants"
    )
    result = paginate(queryset, page=filters.page, size=25)
    return HearingListOut(
        items=[hearing_out(hearing) for hearing in result.items],
        page=result.number,
        size=result.size,
        has_next=result.has_next,
    )


@router.get("/cases/{case_key}/hearings", response=list[HearingOut], summary="案件的庭审安排")
def case_hearings(request: HttpRequest, case_key: str) -> list[HearingOut]:
    court_case = _case_by_key(request, case_key)
    return [
        hearing_out(hearing)
        for hearing in selectors.hearings_of_case(user=request.user, court_case=court_case)
    ]


@router.post(
    "/cases/{case_key}/hearings",
    response={201: HearingScheduledOut},
    summary="安排庭审并短信通知参加人",
)
def hearing_schedule(
    request: HttpRequest, case_key: str, payload: HearingScheduleIn
) -> Status[HearingScheduledOut]:
    court_case = _case_by_key(request, case_key)
    actor = _hearing_manager(request, court_case)
    hearing = hearings.hearing_schedule(
        actor=actor,
        court_case=court_case,
        hearing_kind=payload.hearing_kind,
        hearing_at=payload.hearing_at,
        duration_minutes=payload.duration_minutes,
        hearing_link=payload.hearing_link,
        courtroom=payload.courtroom,
        party_ids=payload.party_ids,
        others=[
            hearings.ParticipantInput(role=other.role, name=other.name, mobile=other.mobile)
            for other in payload.other_participants
        ],
    )
    warnings = hearings.hearing_time_warnings(hearing.scheduled_at, hearing.duration_minutes)
    fresh = selectors.hearing_get(user=request.user, pk=hearing.pk)
    return Status(201, hearing_scheduled_out(fresh, warnings))


@router.post(
    "/hearings/{hearing_id}/postpone",
    response=HearingPostponedOut,
    summary="延期开庭（须写明理由；可同时确定新的开庭时间）",
)
def hearing_postpone(
    request: HttpRequest, hearing_id: int, payload: HearingPostponeIn
) -> HearingPostponedOut:
    hearing, actor = _hearing(request, hearing_id)
    new_hearing = hearings.hearing_postpone(
        actor=actor, hearing=hearing, reason=payload.reason, new_hearing_at=payload.new_hearing_at
    )
    return HearingPostponedOut(
        postponed=_fresh(request, hearing),
        rescheduled=_fresh(request, new_hearing) if new_hearing is not None else None,
    )


@router.post("/hearings/{hearing_id}/cancel", response=HearingOut, summary="取消庭审")
def hearing_cancel(request: HttpRequest, hearing_id: int, payload: HearingCancelIn) -> HearingOut:
    hearing, actor = _hearing(request, hearing_id)
    hearings.hearing_cancel(actor=actor, hearing=hearing, reason=payload.reason)
    return _fresh(request, hearing)


@router.post("/hearings/{hearing_id}/held", response=HearingOut, summary="确认已开庭")
def hearing_hold(request: HttpRequest, hearing_id: int) -> HearingOut:
    hearing, actor = _hearing(request, hearing_id)
    hearings.hearing_hold(actor=actor, hearing=hearing)
    return _fresh(request, hearing)


@router.post(
    "/hearings/{hearing_id}/attendance",
    response=HearingOut,
    summary="记录到庭情况（开庭后，每位参加人）",
)
def hearing_attendance(
    request: HttpRequest, hearing_id: int, payload: HearingAttendanceIn
) -> HearingOut:
    hearing, actor = _hearing(request, hearing_id)
    entries = {entry.participant_id: str(entry.attendance) for entry in payload.attendance}
    if len(entries) != len(payload.attendance):
        message = "同一参加人不能重复记录"
        raise ValidationFailed(message, fields={"attendance": [message]})
    hearings.hearing_attendance_record(actor=actor, hearing=hearing, attendance=entries)
    return _fresh(request, hearing)
