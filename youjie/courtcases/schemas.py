"""API schemas of hearings (/api/v1/courtcases/…/hearings) and the builders that fill them.

Property names say "hearing" where a shorter name would be ambiguous across the API
(``hearing_kind``, ``hearing_at``, ``hearing_link``): every app's operations share one
vocabulary of example values in the hostile sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from youjie.core.schemas import InputSchema
from youjie.courtcases.choices import Attendance, HearingKind, ParticipantRole
from youjie.courtcases.hearings import OTHER_PARTICIPANTS_MAX
from youjie.courtcases.models import (
    COURTROOM_MAX,
    DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES,
    HEARING_LINK_MAX,
    HEARING_REASON_MAX,
    Hearing,
    HearingParticipant,
)
from youjie.courtcases.selectors import MAX_ID, UPCOMING_DAYS_DEFAULT, UPCOMING_DAYS_MAX

PARTIES_MAX = 100


class ParticipantOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    phone_masked: str
    attendance: str = Field(
        ..., description="present 到庭 / absent 缺席 / absent_with_leave 请假未到庭，空为未记录"
    )
    attendance_label: str


class HearingOut(Schema):
    id: int
    court_case_id: int
    case_number: str
    hearing_kind: str = Field(..., description="online 在线庭审 / in_person 现场开庭")
    hearing_kind_label: str
    status: str = Field(
        ..., description="scheduled 已排期 / held 已开庭 / postponed 已延期 / cancelled 已取消"
    )
    status_label: str
    hearing_at: dt.datetime
    duration_minutes: int
    hearing_link: str
    courtroom: str
    presiding_judge: str | None
    clerk: str | None
    reason: str
    postponed_from_id: int | None
    participants: list[ParticipantOut]


class HearingScheduledOut(HearingOut):
    warnings: list[str] = Field(
        default_factory=list, description="不妨碍排期的提示，如非工作日、工作时间以外"
    )


class HearingPostponedOut(Schema):
    postponed: HearingOut
    rescheduled: HearingOut | None


class HearingListOut(Schema):
    items: list[HearingOut]
    page: int
    size: int
    has_next: bool


class HearingListQuery(InputSchema):
    days: int = Field(UPCOMING_DAYS_DEFAULT, ge=1, le=UPCOMING_DAYS_MAX, description="未来多少日内")
    page: int = Field(1, ge=1, le=10_000)


class OtherParticipantIn(InputSchema):
    role: ParticipantRole = Field(..., description="agent 诉讼代理人 / witness 证人 / other 其他")
    name: str = Field(..., min_length=1, max_length=50)
    mobile: str = Field("", max_length=32, description="手机号码；不填则不发短信")


class HearingScheduleIn(InputSchema):
    hearing_kind: HearingKind
    hearing_at: dt.datetime = Field(..., description="开庭时间；不带时区时按北京时间")
    duration_minutes: int = Field(60, ge=DURATION_MIN_MINUTES, le=DURATION_MAX_MINUTES)
    hearing_link: str = Field(
        "", max_length=HEARING_LINK_MAX, description="在线庭审必填：https 链接"
    )
    courtroom: str = Field("", max_length=COURTROOM_MAX, description="现场开庭必填")
    party_ids: list[int] | None = Field(
        None, max_length=PARTIES_MAX, description="参加庭审的当事人编号；不填为本案全部当事人"
    )
    other_participants: list[OtherParticipantIn] = Field(
        default_factory=list, max_length=OTHER_PARTICIPANTS_MAX
    )


class HearingPostponeIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=HEARING_REASON_MAX)
    new_hearing_at: dt.datetime | None = Field(None, description="新的开庭时间；可暂不确定")


class HearingCancelIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=HEARING_REASON_MAX)


class AttendanceIn(InputSchema):
    participant_id: int = Field(..., ge=1, le=MAX_ID)
    attendance: Attendance


class HearingAttendanceIn(InputSchema):
    attendance: list[AttendanceIn] = Field(..., min_length=1, max_length=PARTIES_MAX + 20)


def participant_out(participant: HearingParticipant) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk,
        role=participant.role,
        role_label=participant.get_role_display(),
        name=participant.name,
        phone_masked=participant.phone_masked,
        attendance=participant.attendance,
        attendance_label=participant.get_attendance_display() if participant.attendance else "",
    )


def hearing_out(hearing: Hearing) -> HearingOut:
    return HearingOut(**_hearing_fields(hearing))


def _hearing_fields(hearing: Hearing) -> dict[str, Any]:
    return {
        "id": hearing.pk,
        "court_case_id": hearing.court_case_id,
        "case_number": hearing.court_case.case_number,
        "hearing_kind": hearing.kind,
        "hearing_kind_label": hearing.get_kind_display(),
        "status": hearing.status,
        "status_label": hearing.get_status_display(),
        "hearing_at": hearing.scheduled_at,
        "duration_minutes": hearing.duration_minutes,
        "hearing_link": hearing.hearing_link,
        "courtroom": hearing.courtroom,
        "presiding_judge": str(hearing.presiding_judge) if hearing.presiding_judge else None,
        "clerk": str(hearing.clerk) if hearing.clerk else None,
        "reason": hearing.reason,
        "postponed_from_id": hearing.postponed_from_id,
        "participants": [
            participant_out(participant) for participant in hearing.participants.all()
        ],
    }


def hearing_scheduled_out(hearing: Hearing, warnings: list[str]) -> HearingScheduledOut:
    return HearingScheduledOut(**_hearing_fields(hearing), warnings=warnings)
