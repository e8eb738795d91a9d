"""Schemas of supervision (P3): supervision letters (draft, send, reply) with the matters they
name and their issued document, meetings with their minutes and tasks, three-day reviews and
daily bulletins, the list filters, and their builders.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.urls import reverse
from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.documents.models import IssuedDocument
from youjie.petitions.choices import LetterStatus, MeetingKind, MeetingTaskStatus
from youjie.petitions.models import (
    TEXT_MAX,
    TITLE_MAX,
    DailyBulletin,
    MeetingMatter,
    MeetingTask,
    PetitionMatter,
    ReviewMeeting,
    SupervisionLetter,
)
from youjie.petitions.schemas.common import CODE_MAX, ID_MAX, USERNAME_MAX, _name

LETTER_MATTERS_MAX = 50


class LetterFilters(InputSchema):
    status: LetterStatus | None = None
    overdue: bool = Field(False, description="仅看逾期未答复")
    q: str = Field("", max_length=100, description="发文字号或标题")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class LetterCreateIn(InputSchema):
    recipient_unit: str = Field(..., max_length=CODE_MAX, description="受函单位代码，如 150205-ZXB")
    matter_ids: list[Annotated[int, Field(ge=1, le=ID_MAX)]] = Field(
        ..., min_length=1, max_length=LETTER_MATTERS_MAX, description="督办的信访事项编号"
    )
    title: str = Field("", max_length=TITLE_MAX, description="不填则按事项自动生成")
    requirements: str = Field(..., max_length=TEXT_MAX)
    due_on: date
    send: bool = Field(False, description="保存后立即发出（编发文字号、生成督办函）")


class LetterSendIn(InputSchema):
    expected_status: LetterStatus | None = Field(None, description="调用方看到的状态，防止重复发出")


class LetterReplyIn(InputSchema):
    reply_text: str = Field(..., max_length=TEXT_MAX)
    replied_on: date | None = None


class MeetingFilters(InputSchema):
    kind: MeetingKind | None = None
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(25, ge=1, le=100)


class MeetingCreateIn(InputSchema):
    title: str = Field(..., max_length=TITLE_MAX)
    held_on: date
    chair: str = Field("", max_length=USERNAME_MAX, description="主持人的用户名")
    attendees: str = Field("", max_length=1000)
    summary: str = Field("", max_length=TEXT_MAX)


class MeetingMinuteIn(InputSchema):
    matter_id: int = Field(..., ge=1, le=ID_MAX)
    minute: str = Field(..., max_length=TEXT_MAX)


class MeetingTaskIn(InputSchema):
    matter_id: int = Field(..., ge=1, le=ID_MAX)
    description: str = Field(..., max_length=1000)
    owner: str = Field(..., max_length=USERNAME_MAX, description="责任人的用户名")
    due_on: date


class MeetingHoldIn(InputSchema):
    attendees: str = Field("", max_length=1000)
    summary: str = Field("", max_length=TEXT_MAX)


class MeetingTaskDoneIn(InputSchema):
    note: str = Field(..., max_length=1000)
    done_on: date | None = None


class ReviewGenerateIn(InputSchema):
    day: date | None = Field(None, description="会议日期（默认今天）；须为三日一研究会议日")


class BulletinIssueIn(InputSchema):
    day: date | None = Field(None, description="通报日期（默认今天）；不能是未来日期")


class DocumentRefOut(Schema):
    id: int
    number: str
    sha256: str
    download_url: str


class LetterMatterOut(Schema):
    id: int
    number: str
    title: str


class LetterOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    overdue: bool
    title: str
    issuing_office: str
    recipient_unit: str
    recipient_unit_code: str
    requirements: str
    due_on: date
    sent_on: date | None
    reply_text: str
    replied_on: date | None
    matters: list[LetterMatterOut]
    document: DocumentRefOut | None


class LetterListOut(Schema):
    items: list[LetterOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class MinuteOut(Schema):
    matter_id: int
    matter_number: str
    minute: str


class MeetingTaskOut(Schema):
    id: int
    meeting_id: int
    matter_id: int
    matter_number: str
    description: str
    owner: str
    due_on: date
    status: str
    overdue: bool
    done_on: date | None
    done_note: str


class MeetingOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    office: str
    title: str
    held_on: date
    chair: str
    attendees: str
    summary: str
    agenda: dict[str, Any]
    minutes: list[MinuteOut]
    tasks: list[MeetingTaskOut]


class MeetingSummaryOut(Schema):
    id: int
    kind: str
    status: str
    office: str
    title: str
    held_on: date


class MeetingListOut(Schema):
    items: list[MeetingSummaryOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


class BulletinOut(Schema):
    id: int
    day: date
    number: str
    title: str
    generated_at: datetime
    figures: dict[str, Any]
    document: DocumentRefOut | None


class BulletinListOut(Schema):
    items: list[BulletinOut]
    page: int
    size: int
    has_next: bool
    has_previous: bool


def document_ref(document: IssuedDocument | None) -> DocumentRefOut | None:
    if document is None:
        return None
    return DocumentRefOut(
        id=document.pk,
        number=document.number,
        sha256=document.sha256,
        download_url=reverse("documents:download", args=[document.pk]),
    )


def letter_out(letter: SupervisionLetter, matters: list[PetitionMatter], today: date) -> LetterOut:
    return LetterOut(
        id=letter.pk,
        number=letter.number,
        status=letter.status,
        status_label=letter.get_status_display(),
        overdue=letter.status == LetterStatus.SENT and letter.due_on < today,
        title=letter.title,
        issuing_office=letter.issuing_office.name,
        recipient_unit=letter.recipient_unit.name,
        recipient_unit_code=letter.recipient_unit.code,
        requirements=letter.requirements,
        due_on=letter.due_on,
        sent_on=letter.sent_on,
        reply_text=letter.reply_text,
        replied_on=letter.replied_on,
        matters=[
            LetterMatterOut(id=matter.pk, number=matter.number, title=matter.title)
            for matter in matters
        ],
        document=document_ref(letter.document),
    )


def meeting_task_out(task: MeetingTask, today: date) -> MeetingTaskOut:
    return MeetingTaskOut(
        id=task.pk,
        meeting_id=task.meeting_id,
        matter_id=task.matter_id,
        matter_number=task.matter.number,
        description=task.description,
        owner=_name(task.owner),
        due_on=task.due_on,
        status=task.status,
        overdue=task.status == MeetingTaskStatus.OPEN and task.due_on < today,
        done_on=task.done_on,
        done_note=task.done_note,
    )


def meeting_out(
    meeting: ReviewMeeting, minutes: list[MeetingMatter], tasks: list[MeetingTask], today: date
) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        kind=meeting.kind,
        kind_label=meeting.get_kind_display(),
        status=meeting.status,
        office=meeting.office.name,
        title=meeting.title,
        held_on=meeting.held_on,
        chair=_name(meeting.chair) if meeting.chair else "",
        attendees=meeting.attendees,
        summary=meeting.summary,
        agenda=meeting.agenda if isinstance(meeting.agenda, dict) else {},
        minutes=[
            MinuteOut(matter_id=row.matter_id, matter_number=row.matter.number, minute=row.minute)
            for row in minutes
        ],
        tasks=[meeting_task_out(task, today) for task in tasks],
    )


def meeting_summary_out(meeting: ReviewMeeting) -> MeetingSummaryOut:
    return MeetingSummaryOut(
        id=meeting.pk,
        kind=meeting.kind,
        status=meeting.status,
        office=meeting.office.name,
        title=meeting.title,
        held_on=meeting.held_on,
    )


def bulletin_out(bulletin: DailyBulletin) -> BulletinOut:
    return BulletinOut(
        id=bulletin.pk,
        day=bulletin.day,
        number=bulletin.number,
        title=bulletin.title,
        generated_at=bulletin.generated_at,
        figures=bulletin.figures if isinstance(bulletin.figures, dict) else {},
        document=document_ref(bulletin.document),
    )
