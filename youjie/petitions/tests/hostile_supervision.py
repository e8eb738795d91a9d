"""The hostile-input sweeps' cases for supervision letters, meetings and the daily bulletin (P3),
wired into ``CASES`` of youjie/petitions/tests/hostile.py (tests/hostile/cases.py says what
each part is for).

The world: a matter of 石拐区; a draft 督办函 and one sent to 石拐区专项办, one sent to 白云鄂博矿区
专项办 (which the 石拐区 officer may not see); a dispatch meeting of the city office held today
with a minute and a task for the lead official, one scheduled for later, a meeting of 白云鄂博矿区
专项办 with its own task; the 三日一研究 agenda of an earlier review day; today's bulletin. The
三日一研究 calendar starts in 2020 (``PAGE_SETTINGS``) and dates count from today (Beijing), so
the sweeps run at any date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.hostile.cases import ApiWorld, Case, FormSpec, PathValues, World
from youjie.orgs.models import OrgUnit, Region, User, UserRole
from youjie.people.services import person_create
from youjie.petitions import services
from youjie.petitions.forms import (
    BulletinGenerateForm,
    LetterCreateForm,
    LetterFilterForm,
    LetterReplyForm,
    LetterSendForm,
    MeetingCreateForm,
    MeetingFilterForm,
    MeetingHoldForm,
    MeetingMinuteForm,
    MeetingTaskDoneForm,
    MeetingTaskForm,
    ReviewGenerateForm,
)
from youjie.petitions.models import PetitionMatter
from youjie.petitions.services.common import today

USERS = ("city_officer", "county_officer", "byeb_county_officer", "lead_official", "receptionist")
QUERY_FORMS = (LetterFilterForm, MeetingFilterForm)
PAGE_SETTINGS = {"YOUJIE_PETITIONS_REVIEW_START": "2020-01-06"}
UNRESOLVABLE = (
    "/petitions/letters/0/send/x/",
    "/petitions/meetings/-1/",
    "/petitions/bulletins/abc/",
)
# The create forms and the generate buttons take no path parameter; a POST without a form is none.


def review_days() -> tuple[date, date]:
    """The latest 三日一研究 day up to today and the one before it."""
    found: list[date] = []
    day = today()
    while len(found) < 2:
        if services.review_day_is_due(day):
            found.append(day)
        day -= timedelta(days=1)
    return found[0], found[1]


def _matter(actor: User, region: str, title: str) -> Any:
    return services.matter_create(
        actor=actor,
        title=title,
        region=Region.objects.get(code=region),
        category="court_judgment",
        origin="visit",
        core_demand="要求重新审理",
        received_on=today() - timedelta(days=20),
        petitioners=[person_create(actor=actor, name=f"{title[:4]}信访人")],
    )


def _world(city: User, byeb: User, lead: User) -> dict[str, Any]:
    """The records the pages, the admin and the API are swept over (made by ``city``, the
    city office's officer, and ``byeb``, 白云鄂博矿区专项办's)."""
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    matter = services.matter_assign(
        actor=city,
        matter=_matter(city, "150205", "石拐区督办事项（扫描）"),
        lead_official=lead,
        responsible_unit=court,
    )
    other = services.matter_assign(
        actor=city,
        matter=_matter(city, "150206", "白云鄂博督办事项（扫描）"),
        lead_official=lead,
        responsible_unit=court,
    )

    def letter(to: str, matters: list[Any], send: bool) -> Any:
        drafted = services.letter_create(
            actor=city,
            recipient_unit=OrgUnit.objects.get(code=to),
            matters=matters,
            requirements="请逐案核查，落实包案责任。",
            due_on=today() + timedelta(days=10),
        )
        return services.letter_send(actor=city, letter=drafted) if send else drafted

    meeting = services.meeting_create(actor=city, title="调度会（扫描）", held_on=today())
    services.meeting_matter_record(actor=city, meeting=meeting, matter=matter, minute="研究意见")
    task = services.meeting_task_create(
        actor=city,
        meeting=meeting,
        matter=matter,
        description="约见信访人",
        owner=lead,
        due_on=today() + timedelta(days=3),
    )
    later = services.meeting_create(
        actor=city, title="下周调度会（扫描）", held_on=today() + timedelta(days=7)
    )
    other_meeting = services.meeting_create(actor=byeb, title="白云鄂博调度会", held_on=today())
    other_task = services.meeting_task_create(
        actor=byeb,
        meeting=other_meeting,
        matter=other,
        description="核查",
        owner=byeb,
        due_on=today() + timedelta(days=3),
    )
    _latest, earlier = review_days()
    review = services.review_agenda_generate(office=OrgUnit.objects.get(code="BT-ZXB"), day=earlier)
    return {
        "letter_matter": matter,
        "letter_draft": letter("150205-ZXB", [matter], send=False),
        "letter_sent": letter("150205-ZXB", [matter], send=True),
        "letter_other": letter("150206-ZXB", [other], send=True),
        "meeting": meeting,
        "meeting_later": later,
        "meeting_other": other_meeting,
        "meeting_review": review,
        "meeting_task": task,
        "meeting_task_other": other_task,
        "supervision_bulletin": services.bulletin_issue(actor=city),
    }


def build(world: World) -> None:
    users = world.users
    world.put(**_world(users["city_officer"], users["byeb_county_officer"], users["lead_official"]))


def path_values(world: World) -> PathValues:
    letters = [str(world.letter_sent.pk), str(world.letter_other.pk), str(world.letter_draft.pk)]
    meetings = [
        str(world.meeting.pk),
        str(world.meeting_other.pk),
        str(world.meeting_review.pk),
    ]
    values: PathValues = {}
    for route in ("letter_detail", "letter_send", "letter_reply"):
        values[(f"petitions:{route}", "pk")] = letters
    for route in ("meeting_detail", "meeting_minute", "meeting_task", "meeting_hold"):
        values[(f"petitions:{route}", "pk")] = meetings
    values[("petitions:task_done", "pk")] = [
        str(world.meeting_task.pk),
        str(world.meeting_task_other.pk),
    ]
    values[("petitions:bulletin_detail", "pk")] = [str(world.supervision_bulletin.pk)]
    return values


def form_specs(world: World) -> list[FormSpec]:
    city_office = OrgUnit.objects.get(code="BT-ZXB")
    shiguai_office = OrgUnit.objects.get(code="150205-ZXB")
    byeb_office = OrgUnit.objects.get(code="150206-ZXB")
    number = world.letter_matter.number
    day = today()
    latest, _earlier = review_days()
    meeting = f"/petitions/meetings/{world.meeting.pk}"
    return [
        FormSpec(
            name="petitions:letter_create",
            persona="city_officer",
            url="/petitions/letters/new/",
            base={
                "submission_key": "hostile-letter-0001",
                "recipient_unit": str(shiguai_office.pk),
                "numbers": number,
                "title": "",
                "requirements": "请逐案核查，落实包案责任。",
                "due_on": (day + timedelta(days=10)).isoformat(),
                "send_now": "on",
            },
            form=lambda data, files: LetterCreateForm(data, office=city_office),
            extra=[
                Case("unknown matter", {"numbers": "信访〔2026〕999999号"}),
                Case(
                    "matter outside the recipient's county", {"recipient_unit": str(byeb_office.pk)}
                ),
                Case("deadline in the past", {"due_on": (day - timedelta(days=1)).isoformat()}),
                Case("51 matters", {"numbers": "\n".join(f"信访〔2026〕{i}号" for i in range(51))}),
                Case("a number past 40 characters", {"numbers": "信" * 41}),
                Case("the issuing office itself", {"recipient_unit": str(city_office.pk)}),
                Case("an unprintable control character", {"requirements": "请核查\x07"}),
            ],
        ),
        FormSpec(
            name="petitions:letter_send",
            persona="city_officer",
            url=f"/petitions/letters/{world.letter_draft.pk}/send/",
            base={"expected_status": "draft"},
            form=lambda data, files: LetterSendForm(data),
            extra=[
                Case("already sent", {}, url=f"/petitions/letters/{world.letter_sent.pk}/send/"),
                Case("stale status", {"expected_status": "sent"}),
                Case("unknown letter", {}, url="/petitions/letters/999999999/send/"),
            ],
        ),
        FormSpec(
            name="petitions:letter_reply",
            persona="county_officer",
            url=f"/petitions/letters/{world.letter_sent.pk}/reply/",
            base={"reply_text": "已约见信访人，正在落实。", "replied_on": ""},
            form=lambda data, files: LetterReplyForm(data),
            extra=[
                Case(
                    "replied in the future", {"replied_on": (day + timedelta(days=1)).isoformat()}
                ),
                Case(
                    "replied before it was sent",
                    {"replied_on": (day - timedelta(days=1)).isoformat()},
                ),
                Case(
                    "another county's letter",
                    {},
                    url=f"/petitions/letters/{world.letter_other.pk}/reply/",
                ),
                Case("a draft", {}, url=f"/petitions/letters/{world.letter_draft.pk}/reply/"),
            ],
        ),
        FormSpec(
            name="petitions:meeting_create",
            persona="city_officer",
            url="/petitions/meetings/new/",
            base={
                "submission_key": "hostile-meeting-0001",
                "title": "调度会",
                "held_on": day.isoformat(),
                "chair": "",
                "attendees": "",
                "summary": "",
            },
            form=lambda data, files: MeetingCreateForm(data, office=city_office),
            extra=[
                Case(
                    "more than a year ahead", {"held_on": (day + timedelta(days=400)).isoformat()}
                ),
                Case(
                    "a chair of no petitions role", {"chair": str(world.users["receptionist"].pk)}
                ),
            ],
        ),
        FormSpec(
            name="petitions:meeting_minute",
            persona="city_officer",
            url=f"{meeting}/minutes/",
            base={"number": number, "minute": "症结在补偿标准。"},
            form=lambda data, files: MeetingMinuteForm(data),
            extra=[
                Case("unknown matter", {"number": "信访〔2026〕999999号"}),
                Case(
                    "another office's meeting",
                    {},
                    url=f"/petitions/meetings/{world.meeting_other.pk}/minutes/",
                ),
            ],
        ),
        FormSpec(
            name="petitions:meeting_task",
            persona="city_officer",
            url=f"{meeting}/tasks/",
            base={
                "number": number,
                "description": "三日内约见信访人",
                "owner": str(world.users["lead_official"].pk),
                "due_on": (day + timedelta(days=3)).isoformat(),
            },
            form=lambda data, files: MeetingTaskForm(data, office=city_office),
            extra=[
                Case("due before the meeting", {"due_on": (day - timedelta(days=1)).isoformat()}),
                Case(
                    "an owner of no petitions role", {"owner": str(world.users["receptionist"].pk)}
                ),
                Case("unknown matter", {"number": "信访〔2026〕999999号"}),
                Case(
                    "another office's meeting",
                    {},
                    url=f"/petitions/meetings/{world.meeting_other.pk}/tasks/",
                ),
            ],
        ),
        FormSpec(
            name="petitions:meeting_hold",
            persona="city_officer",
            url=f"{meeting}/held/",
            base={"expected_status": "scheduled", "attendees": "陈华", "summary": "研究1件"},
            form=lambda data, files: MeetingHoldForm(data),
            extra=[
                Case("not yet held", {}, url=f"/petitions/meetings/{world.meeting_later.pk}/held/"),
                Case("stale status", {"expected_status": "held"}),
            ],
        ),
        FormSpec(
            name="petitions:task_done",
            persona="lead_official",
            url=f"/petitions/meetings/tasks/{world.meeting_task.pk}/done/",
            base={"note": "已约见信访人", "done_on": ""},
            form=lambda data, files: MeetingTaskDoneForm(data),
            extra=[
                Case("done in the future", {"done_on": (day + timedelta(days=1)).isoformat()}),
                Case(
                    "another office's task",
                    {},
                    url=f"/petitions/meetings/tasks/{world.meeting_task_other.pk}/done/",
                ),
            ],
        ),
        FormSpec(
            name="petitions:review_generate",
            persona="city_officer",
            url="/petitions/meetings/review/",
            base={"day": latest.isoformat()},
            form=lambda data, files: ReviewGenerateForm(data),
            extra=[
                Case("not a review day", {"day": (latest + timedelta(days=1)).isoformat()}),
                Case("in the future", {"day": (day + timedelta(days=30)).isoformat()}),
            ],
        ),
        FormSpec(
            name="petitions:bulletin_generate",
            persona="city_officer",
            url="/petitions/bulletins/issue/",
            base={"day": (day - timedelta(days=1)).isoformat()},
            form=lambda data, files: BulletinGenerateForm(data),
            extra=[Case("a future date", {"day": (day + timedelta(days=1)).isoformat()})],
        ),
    ]


def _api_user(username: str, role: str, unit_code: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=f"pw-{username}",
        display_name=username,
        org_unit=OrgUnit.objects.get(code=unit_code),
    )
    UserRole.objects.create(user=user, role=role)
    return user


def api_build(world: ApiWorld) -> None:
    """The same records, made by petitions staff of their own: the API's callers (court staff)
    see none of them (404) and may act on none (403)."""
    city = _api_user("api_letters_officer", "office_officer", "BT-ZXB")
    byeb = _api_user("api_letters_byeb", "office_officer", "150206-ZXB")
    lead = _api_user("api_letters_lead", "lead_official", "150206-ZFW")
    made = _world(city, byeb, lead)
    # What the receptionist (the sweep's reading caller) may see: a letter about the matter they
    # escalated (petitions' own api_build puts it in ``inside``), a meeting they chair; the
    # bulletin is read by every political-legal unit's staff.
    receptionist = world.users["receptionist"]
    escalated = PetitionMatter.objects.filter(pk=world.inside.get("matter_id", 0)).first()
    letter = made["letter_sent"]
    if escalated is not None:
        letter = services.letter_send(
            actor=city,
            letter=services.letter_create(
                actor=city,
                recipient_unit=OrgUnit.objects.get(code=f"{escalated.region_id}-ZXB"),
                matters=[escalated],
                requirements="请核查",
                due_on=today() + timedelta(days=10),
            ),
        )
    chaired = services.meeting_create(
        actor=city, title="调度会（接口）", held_on=today(), chair=receptionist
    )
    inside = {
        "letter_id": letter.pk,
        "meeting_id": chaired.pk,
        "task_id": made["meeting_task"].pk,
        "bulletin_id": made["supervision_bulletin"].pk,
    }
    # Every bulletin is read by the callers (court staff): none lies outside their scope.
    outside = {
        "letter_id": made["letter_other"].pk,
        "meeting_id": made["meeting_other"].pk,
        "task_id": made["meeting_task_other"].pk,
    }
    for name, value in inside.items():
        world.inside.setdefault(name, value)
        world.missing.setdefault(name, 10**9)
        if name in outside:
            world.outside.setdefault(name, outside[name])
    hints = {
        "recipient_unit": "150205-ZXB",
        "matter_ids": [made["letter_matter"].pk],
        "matter_id": made["letter_matter"].pk,
        "requirements": "请逐案核查",
        "due_on": (today() + timedelta(days=10)).isoformat(),
        "title": "调度会",
        "minute": "研究意见",
        "description": "约见信访人",
        "owner": "api_letters_lead",
        "note": "已落实",
        "day": today().isoformat(),
    }
    for name, value in hints.items():
        world.hints.setdefault(name, value)
