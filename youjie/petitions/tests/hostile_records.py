"""The hostile-input sweeps' cases for work records, coordination requests and aid (P2), wired
into ``CASES`` of youjie/petitions/tests/hostile.py (tests/hostile/cases.py says what each part
is for). The upload of the work-record endpoint is named ``file`` like courtcases' import, whose
file (``api_files``) the API sweep then sends it: a CSV it refuses.

The world: an assigned matter in 白云鄂博矿区 (the lead official's and the handler's) with a work
record and its file, a coordination request to 住建 (the demo liaison's) and one to 民政, aid
applied for, approved, and above the cap; a matter of 石拐区 and its records that the lead
official, the handler and the liaison may not see. Dates count from today (Beijing): the sweeps
run at any date.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile.cases import (
    PDF,
    UPLOAD_CASES,
    ApiWorld,
    Case,
    FormSpec,
    PathValues,
    World,
)
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.services import person_create
from youjie.petitions import services
from youjie.petitions.forms import (
    AidApplyForm,
    AidApproveForm,
    AidCapExceedForm,
    AidFilterForm,
    AidFundsForm,
    AidPayForm,
    AidRefuseForm,
    CoordinationFilterForm,
    CoordinationForm,
    CoordinationReplyForm,
    WorkRecordForm,
)
from youjie.petitions.models import AidWageBase, PetitionMatter
from youjie.petitions.selectors import aid_cap_amount
from youjie.petitions.services.common import today

PERSONAS = ("department_liaison",)
USERS = ("city_officer", "lead_official", "case_handler", "department_liaison")
QUERY_FORMS = (CoordinationFilterForm, AidFilterForm)
# The aid list's export records who exported what (an audit entry), like every reveal.
GET_MAY_WRITE = {"petitions:aid_export": frozenset({"core_auditentry"})}
UNRESOLVABLE = ("/petitions/aid/0/x/", "/petitions/coordination/-1/reply/")
WAGE = Decimal("8000.00")


def _case(number: int) -> CourtCase:
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    return CourtCase.objects.create(
        case_number=f"（2025）内0206执{number}号",
        year=2025,
        court_code="内0206",
        type_code="执",
        sequence=number,
        court=court,
        cause="申请执行",
    )


def _matter(actor: User, region: str, title: str, persons: list[Any], cases: list[Any]) -> Any:
    return services.matter_create(
        actor=actor,
        title=title,
        region=Region.objects.get(code=region),
        category="court_enforcement",
        origin="visit",
        core_demand="要求尽快执行到位",
        received_on=today() - timedelta(days=30),
        petitioners=persons,
        court_cases=cases,
    )


def _world(city: User, lead: User, handler: User) -> dict[str, Any]:
    """The records the pages, the admin and the API are swept over."""
    AidWageBase.objects.get_or_create(
        year=today().year - 1, defaults={"monthly_wage": WAGE, "source": "扫描用数据"}
    )
    person = person_create(actor=city, name="赵信访")
    second = person_create(actor=city, name="钱信访")
    case, second_case = _case(9001), _case(9002)
    matter = _matter(city, "150206", "执行款未到位（扫描）", [person, second], [case, second_case])
    matter = services.matter_assign(
        actor=city,
        matter=matter,
        lead_official=lead,
        responsible_unit=OrgUnit.objects.get(code="BT-BYEB-FY"),
        handler=handler,
    )
    other_person = person_create(actor=city, name="孙信访")
    other = _matter(city, "150205", "林地纠纷（扫描）", [other_person], [])
    record = services.work_record_create(
        actor=handler,
        matter=matter,
        kind="file_review",
        held_on=today(),
        findings="查阅执行卷宗",
        files=[SimpleUploadedFile("卷宗.pdf", PDF)],
    )
    other_record = services.work_record_create(
        actor=city,
        matter=other,
        kind="site_visit",
        held_on=today(),
        findings="实地查看",
        files=[SimpleUploadedFile("现场.pdf", PDF)],
    )
    housing, civil = OrgUnit.objects.get(code="BT-ZJJ"), OrgUnit.objects.get(code="BT-MZJ")
    coordination = services.coordination_request_send(
        actor=handler, matter=matter, department=housing, request_text="请核实房产登记"
    )
    other_department = services.coordination_request_send(
        actor=handler, matter=matter, department=civil, request_text="请核实低保"
    )
    aid_applied = services.aid_apply(
        actor=handler,
        matter=matter,
        person=person,
        kind="judicial",
        court_case=case,
        amount=Decimal("1000.00"),
        reason="因案致贫",
    )
    aid_approved = services.aid_apply(
        actor=handler,
        matter=matter,
        person=person,
        kind="temporary",
        amount=Decimal("500.00"),
        reason="生活困难",
    )
    services.aid_approve(
        actor=city, aid=aid_approved, approved_amount=Decimal("500.00"), opinion="同意"
    )
    cap = aid_cap_amount(WAGE)
    aid_over_cap = services.aid_apply(
        actor=handler,
        matter=matter,
        person=second,
        kind="judicial",
        court_case=second_case,
        amount=cap + 100,
        awardable_amount=cap + 1000,
        reason="重伤致残",
    )
    other_aid = services.aid_apply(
        actor=city,
        matter=other,
        person=other_person,
        kind="subsistence",
        amount=Decimal("300.00"),
        reason="困难",
    )
    return {
        "records_matter": matter,
        "records_person": person,
        "records_case": case,
        "records_other_matter": other,
        "records_other_person": other_person,
        "work_record": record,
        "work_record_file": record.attachments.get(),
        "other_work_record": other_record,
        "coordination": coordination,
        "other_coordination": other_department,
        "aid_applied": aid_applied,
        "aid_approved": aid_approved,
        "aid_over_cap": aid_over_cap,
        "other_aid": other_aid,
    }


def build(world: World) -> None:
    users = world.users
    world.put(**_world(users["city_officer"], users["lead_official"], users["case_handler"]))


def path_values(world: World) -> PathValues:
    matters = [str(world.records_matter.pk), str(world.records_other_matter.pk)]
    return {
        ("petitions:work_record_create", "pk"): matters,
        ("petitions:work_record_file", "pk"): matters,
        ("petitions:work_record_file", "record_pk"): [
            str(world.work_record.pk),
            str(world.other_work_record.pk),
        ],
        ("petitions:work_record_file", "file_pk"): [
            str(world.work_record_file.pk),
            str(world.other_work_record.attachments.get().pk),
        ],
        ("petitions:coordination_create", "pk"): matters,
        ("petitions:aid_create", "pk"): matters,
        ("petitions:aid_action", "pk"): matters,
        ("petitions:aid_action", "aid_pk"): [
            str(world.aid_applied.pk),
            str(world.aid_approved.pk),
            str(world.other_aid.pk),
        ],
        ("petitions:aid_action", "action"): ["approve", "pay", "cap", "nonsense"],
        ("petitions:coordination_reply", "pk"): [
            str(world.coordination.pk),
            str(world.other_coordination.pk),
        ],
    }


def form_specs(world: World) -> list[FormSpec]:
    matter: PetitionMatter = world.records_matter
    day = today().isoformat()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    base = f"/petitions/{matter.pk}"
    other = f"/petitions/{world.records_other_matter.pk}"
    aid = f"{base}/aid"
    applied, approved = world.aid_applied.pk, world.aid_approved.pk
    cap = aid_cap_amount(WAGE)
    return [
        FormSpec(
            name="petitions:work_record_create",
            persona="lead_official",
            url=f"{base}/records/",
            base={
                "kind": "appointment",
                "held_on": day,
                "findings": "约访信访人，听取诉求",
                "lead_official_present": "on",
                "petitioners_met": [str(world.records_person.pk)],
                "attitude": "accepts",
            },
            form=lambda data, files: WorkRecordForm(data, files, matter=matter),
            extra=[
                *[
                    Case(f"attachments: {label}", {"attachments": make})
                    for label, make in UPLOAD_CASES
                ],
                Case("held in the future", {"held_on": tomorrow}),
                Case(
                    "another matter's petitioner",
                    {"petitioners_met": [str(world.records_other_person.pk)]},
                ),
                Case("met without an attitude", {"attitude": ""}),
                Case("another county's matter", {}, url=f"{other}/records/"),
                Case("unknown matter", {}, url="/petitions/999999999/records/"),
            ],
        ),
        FormSpec(
            name="petitions:coordination_create",
            persona="case_handler",
            url=f"{base}/coordination/",
            base={
                "department": str(OrgUnit.objects.get(code="BT-ZJJ").pk),
                "request_text": "请核实房产网签情况",
                "workdays": "10",
            },
            form=lambda data, files: CoordinationForm(data, matter=matter),
            extra=[
                Case(
                    "a court is no department",
                    {"department": str(OrgUnit.objects.get(code="BT-BYEB-FY").pk)},
                ),
                Case(
                    "a liaison of no department", {"liaison": str(world.users["case_handler"].pk)}
                ),
                Case("another county's matter", {}, url=f"{other}/coordination/"),
            ],
        ),
        FormSpec(
            name="petitions:aid_create",
            persona="case_handler",
            url=f"{aid}/",
            base={
                "kind": "temporary",
                "person": str(world.records_person.pk),
                "amount": "800.00",
                "reason": "生活困难",
                "applied_on": day,
            },
            form=lambda data, files: AidApplyForm(data, matter=matter),
            extra=[
                Case("three decimal places", {"amount": "1.005"}),
                Case("not a number", {"amount": "NaN"}),
                Case("exponent", {"amount": "1e5"}),
                Case("negative", {"amount": "-5"}),
                Case("zero", {"amount": "0.00"}),
                Case("judicial aid without a case", {"kind": "judicial"}),
                Case(
                    "a second judicial aid for the person and case",
                    {"kind": "judicial", "court_case": str(world.records_case.pk)},
                ),
                Case("above the court's award", {"awardable_amount": "700.00"}),
                Case("applied in the future", {"applied_on": tomorrow}),
                Case("another county's matter", {}, url=f"{other}/aid/"),
            ],
        ),
        FormSpec(
            name="petitions:aid_action approve",
            persona="city_officer",
            url=f"{aid}/{applied}/approve/",
            base={"approved_amount": "1000.00", "opinion": "同意", "decided_on": day},
            form=lambda data, files: AidApproveForm(data),
            extra=[
                Case("above the application", {"approved_amount": "1000.01"}),
                Case("decided in the future", {"decided_on": tomorrow}),
                Case("already approved", {}, url=f"{aid}/{approved}/approve/"),
                Case("unknown action", {}, url=f"{aid}/{applied}/nonsense/"),
                Case("aid of another matter", {}, url=f"{other}/aid/{applied}/approve/"),
            ],
        ),
        FormSpec(
            name="petitions:aid_action refuse",
            persona="city_officer",
            url=f"{aid}/{applied}/refuse/",
            base={"opinion": "不符合救助条件", "decided_on": day},
            form=lambda data, files: AidRefuseForm(data),
        ),
        FormSpec(
            name="petitions:aid_action cap",
            persona="city_officer",
            url=f"{aid}/{world.aid_over_cap.pk}/cap/",
            base={"amount": str(cap + 100), "opinion": "伤情特别严重，特批", "decided_on": day},
            form=lambda data, files: AidCapExceedForm(data),
            extra=[
                Case("above the court's award", {"amount": str(cap + 1001)}),
                Case("within the cap", {"amount": str(cap)}),
                Case("an aid below the cap", {}, url=f"{aid}/{applied}/cap/"),
            ],
        ),
        FormSpec(
            name="petitions:aid_action funds",
            persona="city_officer",
            url=f"{aid}/{approved}/funds/",
            base={"funds_arrived_on": day},
            form=lambda data, files: AidFundsForm(data),
            extra=[Case("arrived in the future", {"funds_arrived_on": tomorrow})],
        ),
        FormSpec(
            name="petitions:aid_action pay",
            persona="city_officer",
            url=f"{aid}/{approved}/pay/",
            base={"paid_on": day},
            form=lambda data, files: AidPayForm(data),
            extra=[
                Case("paid in the future", {"paid_on": tomorrow}),
                Case("paid before the funds arrived", {"funds_arrived_on": tomorrow}),
                Case("not yet approved", {}, url=f"{aid}/{applied}/pay/"),
            ],
        ),
        FormSpec(
            name="petitions:coordination_reply",
            persona="department_liaison",
            url=f"/petitions/coordination/{world.coordination.pk}/reply/",
            base={"reply_text": "已核实，房产已办理抵押登记"},
            form=lambda data, files: CoordinationReplyForm(data),
            extra=[
                Case("replied in the future", {"replied_on": tomorrow}),
                Case(
                    "another department's request",
                    {},
                    url=f"/petitions/coordination/{world.other_coordination.pk}/reply/",
                ),
            ],
        ),
    ]


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {
        "petitions.AidWageBase": {
            "year": "2001",
            "monthly_wage": "1234.56",
            "source": "内蒙古自治区统计局（扫描用）",
        }
    }


def _records_on(matter: PetitionMatter) -> dict[str, Any]:
    """A work record, a coordination request and an aid on ``matter``, by its lead official."""
    lead = matter.lead_official
    assert lead is not None, "the API sweep's matters are assigned"
    record = services.work_record_create(
        actor=lead, matter=matter, kind="file_review", held_on=today(), findings="查阅卷宗"
    )
    coordination = services.coordination_request_send(
        actor=lead,
        matter=matter,
        department=OrgUnit.objects.get(code="BT-ZJJ"),
        request_text="请核实房产登记",
    )
    aid = services.aid_apply(
        actor=lead,
        matter=matter,
        person=matter.petitioners.order_by("petitioner_links__id")[0],
        kind="subsistence",
        amount=Decimal("300.00"),
        reason="生活困难",
    )
    return {"record_id": record.pk, "coordination_id": coordination.pk, "aid_id": aid.pk}


def api_build(world: ApiWorld) -> None:
    """Records on the matters the petitions API sweep already made (``api_build`` of hostile.py
    runs this last): on the one the receptionist escalated and sees, and on another county's
    that the callers do not see."""
    inside = PetitionMatter.objects.get(pk=world.inside["matter_id"])
    outside = PetitionMatter.objects.get(pk=world.outside["matter_id"])
    values, others = _records_on(inside), _records_on(outside)
    for name, value in values.items():
        world.inside.setdefault(name, value)
        world.outside.setdefault(name, others[name])
        world.missing.setdefault(name, 10**9)
    hints = {
        "department": "BT-ZJJ",
        "request_text": "请核实房产登记",
        "reply_text": "已核实",
        "findings": "查阅卷宗",
        "held_on": today().isoformat(),
        "person_id": inside.petitioners.order_by("petitioner_links__id")[0].pk,
        "amount": "100.00",
        "approved_amount": "100.00",
        "opinion": "同意",
    }
    for name, value in hints.items():
        world.hints.setdefault(name, value)
