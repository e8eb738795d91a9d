"""Supervision over HTTP (P3): supervision letters (list, draft, send, reply), meetings (list,
create, generate a three-day review, minute a matter, set, complete a task, confirm held) and
the daily bulletins (list, one, issue).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Status

from youjie.core.errors import ValidationFailed
from youjie.core.pagination import paginate
from youjie.orgs.models import OrgUnit, User
from youjie.petitions import selectors, services
from youjie.petitions.api.common import _idempotency, _user, router
from youjie.petitions.models import PetitionMatter, ReviewMeeting, SupervisionLetter
from youjie.petitions.schemas import (
    BulletinIssueIn,
    BulletinListOut,
    BulletinOut,
    LetterCreateIn,
    LetterFilters,
    LetterListOut,
    LetterOut,
    LetterReplyIn,
    LetterSendIn,
    MeetingCreateIn,
    MeetingFilters,
    MeetingHoldIn,
    MeetingListOut,
    MeetingMinuteIn,
    MeetingOut,
    MeetingTaskDoneIn,
    MeetingTaskIn,
    MeetingTaskOut,
    PageQuery,
    ReviewGenerateIn,
    bulletin_out,
    letter_out,
    meeting_out,
    meeting_summary_out,
    meeting_task_out,
)


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
