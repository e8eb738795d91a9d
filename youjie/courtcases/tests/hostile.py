"""Court cases' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
a civil case of the Bayan Obo court (the desk's requests name it) with a hearing to come and one
held, an import awaiting its run, and in the API world a case, a hearing and an import of the
other court."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.hostile.cases import (
    MISSING,
    UPLOAD_LIMIT,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    World,
    upload,
)
from youjie.courtcases.choices import HearingKind
from youjie.courtcases.forms import (
    CaseFilterForm,
    CaseImportUploadForm,
    HearingAttendanceForm,
    HearingCancelForm,
    HearingFilterForm,
    HearingPostponeForm,
    HearingScheduleForm,
)
from youjie.courtcases.hearings import ParticipantInput, hearing_hold, hearing_schedule
from youjie.courtcases.models import CaseImport, CaseParty, CourtCase, Hearing
from youjie.courtcases.selectors import importable_courts
from youjie.courtcases.services import case_import_validate
from youjie.courtcases.tests.factories import csv_bytes
from youjie.orgs.models import OrgUnit, User
from youjie.workdays.calendar import SHANGHAI

CASE_NUMBER = "（2026）内0206民初123号"
HEARING_LINK = "https://ting.court.example.cn/room/8812"


def _in_days(days: int) -> datetime:
    """A time ``days`` from now at 09:30 Beijing (the sweeps run at the real time)."""
    day = timezone.localtime(timezone.now(), SHANGHAI).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=SHANGHAI)


def _hearings(court_case: CourtCase, judge: User) -> tuple[Hearing, Hearing]:
    """A hearing in a week (online) and one held yesterday (in a courtroom)."""
    coming = hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.ONLINE,
        hearing_at=_in_days(7),
        hearing_link=HEARING_LINK,
    )
    held = hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=_in_days(-1),
        courtroom="第一审判庭",
        now=_in_days(-3),  # scheduled three days ago
    )
    return coming, hearing_hold(actor=judge, hearing=held)


def _civil_case(
    *, court: OrgUnit, division: OrgUnit, judge: User, court_code: str, sequence: int, cause: str
) -> CourtCase:
    return CourtCase.objects.create(
        case_number=f"（2026）{court_code}民初{sequence}号",
        year=2026,
        court_code=court_code,
        type_code="民初",
        sequence=sequence,
        court=court,
        division=division,
        judge=judge,
        cause=cause,
    )


def _import(actor: User, court: OrgUnit, content: bytes) -> CaseImport:
    return case_import_validate(actor=actor, court=court, file_name="cases.csv", content=content)


# The API sweep's files, as the court's system exports them.
CSV_HEADER = "案号,案由,承办庭室,承办法官,书记员,立案日期,裁判日期,结案日期," + (
    "阶段,是否上诉,标的额,当事人"
)


def _csv(*rows: str) -> bytes:
    return "\n".join([CSV_HEADER, *rows]).encode("utf-8")


def build(world: World) -> None:
    court_case = _civil_case(
        court=world.court,
        division=world.civil_division,
        judge=world.users["judge"],
        court_code="内0206",
        sequence=123,
        cause="民间借贷纠纷",
    )
    party = world.party  # people's
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name=party.name, person=party)
    row = ["（2026）内0206民初200号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    case_import = _import(
        world.users["receptionist"],
        world.court,
        csv_bytes([[*row, "", "", "审理中", "否", "1000", "原告:张三"]]),
    )
    hearing, held_hearing = _hearings(court_case, world.users["judge"])
    world.put(
        court_case=court_case, case_import=case_import, hearing=hearing, held_hearing=held_hearing
    )


def path_values(world: World) -> PathValues:
    return {
        ("courtcases:detail", "pk"): [str(world.court_case.pk)],
        ("courtcases:import_status", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_run", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_cancel", "pk"): [str(world.case_import.pk)],
        ("courtcases:hearing_schedule", "pk"): [str(world.court_case.pk)],
        ("courtcases:hearing_postpone", "pk"): [str(world.hearing.pk)],
        ("courtcases:hearing_cancel", "pk"): [str(world.hearing.pk)],
        ("courtcases:hearing_hold", "pk"): [str(world.hearing.pk), str(world.held_hearing.pk)],
        ("courtcases:hearing_attendance", "pk"): [str(world.held_hearing.pk)],
    }


def form_specs(world: World) -> list[FormSpec]:
    receptionist = world.users["receptionist"]
    case_row = ["（2026）内0206民初300号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    good_csv = csv_bytes([[*case_row, "", "", "审理中", "否", "1000", "原告:张三"]])
    return [
        FormSpec(
            name="courtcases:import",
            persona="receptionist",
            url="/cases/import/",
            base={"court": str(world.court.pk), "file": upload("cases.csv", good_csv)},
            form=lambda data, files: CaseImportUploadForm(
                data, files, courts=importable_courts(user=receptionist)
            ),
            extra=[
                Case("no file", {"file": MISSING}),
                Case("court not importable", {"court": str(world.civil_division.pk)}),
                Case("empty file", {"file": upload("cases.csv", b"")}),
                Case("executable", {"file": upload("cases.exe", b"MZ\x00\x00")}),
                Case("random bytes as .xlsx", {"file": upload("cases.xlsx", b"PK\x03\x04junk")}),
                Case("header only", {"file": upload("cases.csv", csv_bytes([]))}),
                Case("NUL bytes", {"file": upload("cases.csv", b"\x00" * 100)}),
                Case("not UTF-8", {"file": upload("cases.csv", b"\xff\xfe\xfa" * 30)}),
                Case("one line of 200k chars", {"file": upload("cases.csv", b"a," * 100_000)}),
                Case("past the limit", {"file": upload("cases.csv", b"x" * (UPLOAD_LIMIT + 1))}),
                Case("NUL in the name", {"file": upload("cases.csv\x00.exe", good_csv)}),
            ],
        ),
    ]


def _local(moment: datetime) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def hearing_form_specs(world: World) -> list[FormSpec]:
    court_case, hearing, held = world.court_case, world.hearing, world.held_hearing
    participants = list(held.participants.order_by("id"))
    return [
        FormSpec(
            name="courtcases:hearing_schedule",
            persona="judge",
            url=f"/cases/{court_case.pk}/hearings/",
            base={
                "hearing_kind": "online",
                "hearing_at": _local(_in_days(10)),
                "duration_minutes": "60",
                "hearing_link": HEARING_LINK,
                "courtroom": "",
                "party_ids": [str(party.pk) for party in court_case.parties.all()],
                "other_participants": "代理人 王律师 13900001111",
            },
            form=lambda data, files: HearingScheduleForm(data, court_case=court_case),
            extra=[
                Case("an http link", {"hearing_link": "http://ting.example.cn/r"}),
                Case("a link with a password", {"hearing_link": "https://a:b@ting.example.cn/"}),
                Case("in person without a room", {"hearing_kind": "in_person"}),
                Case("in the past", {"hearing_at": _local(_in_days(-2))}),
                Case("two years ahead", {"hearing_at": _local(_in_days(730))}),
                Case("a role nobody has", {"other_participants": "法官 王某"}),
                Case("a bad mobile", {"other_participants": "证人 王某 123"}),
                Case("21 others", {"other_participants": "证人 王某\n" * 21}),
                Case("nobody", {"party_ids": MISSING, "other_participants": ""}),
                Case("unknown case", {}, url="/cases/999999999/hearings/"),
            ],
        ),
        FormSpec(
            name="courtcases:hearing_postpone",
            persona="judge",
            url=f"/cases/hearings/{hearing.pk}/postpone/",
            base={"reason": "被告申请延期举证", "new_hearing_at": _local(_in_days(20))},
            form=lambda data, files: HearingPostponeForm(data),
            extra=[
                Case("new time in the past", {"new_hearing_at": _local(_in_days(-1))}),
                Case("a held hearing", {}, url=f"/cases/hearings/{held.pk}/postpone/"),
                Case("unknown hearing", {}, url="/cases/hearings/999999999/postpone/"),
            ],
        ),
        FormSpec(
            name="courtcases:hearing_cancel",
            persona="judge",
            url=f"/cases/hearings/{hearing.pk}/cancel/",
            base={"reason": "原告撤诉"},
            form=lambda data, files: HearingCancelForm(data),
            extra=[Case("a held hearing", {}, url=f"/cases/hearings/{held.pk}/cancel/")],
        ),
        FormSpec(
            name="courtcases:hearing_attendance",
            persona="judge",
            url=f"/cases/hearings/{held.pk}/attendance/",
            base={f"attendance_{p.pk}": "present" for p in participants},
            form=lambda data, files: HearingAttendanceForm(data, participants=participants),
            extra=[
                Case("a hearing not held", {}, url=f"/cases/hearings/{hearing.pk}/attendance/"),
                Case("unknown hearing", {}, url="/cases/hearings/999999999/attendance/"),
            ],
        ),
    ]


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {
        "courtcases.CourtCase": {
            "case_number": "（2026）内0206民初999号",
            "court": world.court.pk,
            "cause": "民间借贷纠纷",
            "stage": world.court_case.stage,
        },
    }


def api_build(world: ApiWorld) -> None:
    """A case of the court with people's party, one of the other court; an import of each."""
    court_case = _civil_case(
        court=world.court,
        division=world.civil_division,
        judge=world.users["judge"],
        court_code="内0206",
        sequence=123,
        cause="民间借贷纠纷",
    )
    party = world.party  # people's
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name=party.name, person=party)
    case_import = _import(
        world.users["receptionist"],
        world.court,
        _csv("（2026）内0206民初1号,民间借贷纠纷,民事审判庭,李敏,,,,,审理中,否,,原告:张三"),
    )
    other_case = _civil_case(
        court=world.other_court,
        division=world.other_division,
        judge=world.other_judge,
        court_code="内0205",
        sequence=7,
        cause="买卖合同纠纷",
    )
    other_import = _import(
        world.other_receptionist,
        world.other_court,
        _csv("（2026）内0205民初8号,买卖合同纠纷,,,,,,,审理中,否,,原告:孙八"),
    )
    hearing, held_hearing = _hearings(court_case, world.users["judge"])
    other_hearing = hearing_schedule(
        actor=world.other_judge,
        court_case=other_case,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=_in_days(5),
        courtroom="第二审判庭",
        others=[ParticipantInput(role="agent", name="孙律师")],  # the case has no party rows
    )
    world.put(case_number=CASE_NUMBER)
    world.inside.update(case_key=CASE_NUMBER, import_id=case_import.pk, hearing_id=hearing.pk)
    world.outside.update(
        case_key=other_case.case_number, import_id=other_import.pk, hearing_id=other_hearing.pk
    )
    world.missing.update(case_key="（2026）内0206民初99999号", import_id=10**9, hearing_id=10**9)
    world.hints.update(case_number=CASE_NUMBER, import_valid_rows=True, court_code="内0206")
    # Hearing bodies: distinct names (every app's operations share these hints).
    world.hints.update(
        hearing_kind="online",
        hearing_at=_in_days(10).isoformat(),
        duration_minutes=60,
        hearing_link=HEARING_LINK,
        courtroom="第一审判庭",
        other_participants=[{"role": "agent", "name": "王律师", "mobile": "13900001111"}],
        new_hearing_at=_in_days(20).isoformat(),
        attendance=[
            {"participant_id": participant.pk, "attendance": "present"}
            for participant in held_hearing.participants.all()
        ],
    )


def _upload_csv() -> SimpleUploadedFile:
    row = "（2026）内0206民初2号,离婚纠纷,民事审判庭,李敏,,,,,审理中,否,,原告:张三"
    return SimpleUploadedFile("cases.csv", _csv(row), "text/csv")


CASES = HostileCases(
    users=("receptionist", "judge", "administrator"),
    build=build,
    path_values=path_values,
    form_specs=lambda world: [*form_specs(world), *hearing_form_specs(world)],
    query_forms=(CaseFilterForm, HearingFilterForm),
    # Views without a form: a confirmation button, or pages that ignore a body.
    body_ignored={
        "courtcases:import_run": "administrator",
        "courtcases:import_cancel": "administrator",
        "courtcases:list": "receptionist",
        "courtcases:detail": "receptionist",
        "courtcases:import_status": "receptionist",
        "courtcases:hearing_hold": "judge",
    },
    admin_add_data=admin_add_data,
    api_build=api_build,
    api_files={"file": _upload_csv},
)
