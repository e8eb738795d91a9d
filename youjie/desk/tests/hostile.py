"""The desk's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here).

The world holds a request in every state (registered, routed, in progress, with a pending
clock change, paused, replied, closed), a return visit and an attachment; the pages sweep
posts every desk form and every action of the request page as a persona allowed to use it.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.hostile.cases import (
    HUGE,
    MISSING,
    PDF,
    UPLOAD_CASES,
    UPLOAD_LIMIT,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    Query,
    World,
    pdf,
    pdf_upload,
)
from youjie.desk import permissions as desk_permissions
from youjie.desk import services as desk_services
from youjie.desk.catalog import install_default_matter_types
from youjie.desk.choices import RequestStatus
from youjie.desk.forms import (
    CaseQueryCheckForm,
    CaseQueryCodeForm,
    ChecklistForm,
    DivisionFilterForm,
    IntakeForm,
    LookupForm,
    ReturnVisitForm,
    SearchForm,
)
from youjie.desk.forms import PeriodForm as DeskPeriodForm
from youjie.desk.models import (
    ClockChange,
    Feedback,
    ReplyTemplate,
    ReturnVisit,
    ServiceRequest,
    Supervision,
)
from youjie.desk.tests.test_api_support import intake
from youjie.desk.views import case_query as case_query_views
from youjie.desk.views.detail import ACTIONS, _facts, allowed_actions
from youjie.desk.views.intake import _lines_for
from youjie.orgs.models import OrgUnit, User
from youjie.people.identity import phone_hash
from youjie.people.tests.factories import build_resident_id
from youjie.portal import services as portal_services
from youjie.portal.models import TrackingCode

# The ID number of people's in-scope person (youjie/people/tests/hostile.py: world.person).
REGISTERED_ID = build_resident_id(sequence=77)
CASE_QUERY_CODE = "246810"  # as if read back from the SMS

# --- the world ------------------------------------------------------------------------------


def _register(actor: User, *, route: bool = True, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "phone",
        "matter_type_code": "case_query",
        "title": "查询案件进度",
        "content": "询问（2026）内0206民初123号的审理进度。",
        "requester_name": "张三",
        "requester_mobile": "13812345678",
        "related_case_number": "（2026）内0206民初123号",
        "route": route,
    }
    values.update(overrides)
    service_request, _ = desk_services.service_request_create(
        actor=actor, data=desk_services.IntakeData(**values)
    )
    return service_request


def _accepted(receptionist: User, judge: User, **overrides: Any) -> ServiceRequest:
    service_request = _register(receptionist, **overrides)
    desk_services.service_request_accept(actor=judge, service_request=service_request)
    service_request.refresh_from_db()
    return service_request


def build(world: World) -> None:
    """A request in every state; the court case they name is courtcases' (world.court_case)."""
    receptionist, judge = world.users["receptionist"], world.users["judge"]
    install_default_matter_types()
    registered = _register(
        receptionist, route=False, matter_type_code="contact_judge", related_case_number=""
    )
    routed = _register(receptionist, title="第二件")
    in_progress = _accepted(
        receptionist, judge, title="第三件", matter_type_code="divorce_filing"
    )  # a checklist to send
    pending_change = _accepted(receptionist, judge, title="第四件")
    change = desk_services.clock_change_request(
        actor=judge,
        service_request=pending_change,
        kind=ClockChange.Kind.EXTENSION,
        reason="需要调取卷宗",
        extra_workdays=5,
    )
    paused = _accepted(receptionist, judge, title="第五件")
    pause = desk_services.clock_change_request(
        actor=judge, service_request=paused, kind=ClockChange.Kind.PAUSE, reason="等待补充材料"
    )
    desk_services.clock_change_decide(
        actor=world.users["division_head"], change=pause, approve=True
    )
    replied = _accepted(receptionist, judge, title="第六件")
    desk_services.service_request_reply(
        actor=judge, service_request=replied, body="开庭时间定于12月8日。"
    )
    closed = _accepted(receptionist, judge, title="第七件")
    desk_services.service_request_reply(actor=judge, service_request=closed, body="已答复。")
    closed_token = Feedback.objects.get(service_request=closed).token
    desk_services.feedback_submit(token=closed_token, satisfaction=1, comment="不满意")
    attachment = desk_services.attachment_add(
        actor=judge, service_request=in_progress, uploaded=pdf()
    )
    states = {
        "registered": (registered, RequestStatus.REGISTERED),
        "routed": (routed, RequestStatus.AWAITING_ACCEPTANCE),
        "in_progress": (in_progress, RequestStatus.IN_PROGRESS),
        "pending_change": (pending_change, RequestStatus.IN_PROGRESS),
        "paused": (paused, RequestStatus.PAUSED),
        "replied": (replied, RequestStatus.REPLIED),
        "closed": (closed, RequestStatus.CLOSED),
    }
    for name, (service_request, status) in states.items():
        service_request.refresh_from_db()
        assert service_request.status == status, name
    # 案件查询: a code as if sent to the party's phone about the case the routed request names
    # (the portal's kind, youjie/desk/casequery.py), valid for the whole sweep.
    assert routed.related_case_id == world.court_case.pk
    case_query_code = TrackingCode.objects.create(
        court_case=world.court_case,
        mobile_hash=phone_hash("13812345678"),
        salt="hostile-desk-salt",
        code_hash=portal_services._code_hash("hostile-desk-salt", CASE_QUERY_CODE),
        expires_at=timezone.now() + timedelta(hours=6),
    )
    world.put(case_query_code=case_query_code)
    world.put(
        **{name: service_request for name, (service_request, _) in states.items()},
        requests=[service_request for service_request, _ in states.values()],
        change=change,
        feedback_token=Feedback.objects.get(service_request=replied).token,
        visit=ReturnVisit.objects.get(service_request=closed),
        attachment=attachment,
    )


# --- the pages sweep ------------------------------------------------------------------------


def path_values(world: World) -> PathValues:
    requests = [str(r.pk) for r in world.requests]
    return {
        ("desk:return_visit_record", "visit_pk"): [str(world.visit.pk)],
        ("desk:checklist_edit", "code"): ["divorce_filing", "case_query"],
        ("desk:checklist_print", "code"): ["divorce_filing", "case_query"],
        ("desk:detail", "pk"): requests,
        ("desk:reveal_mobile", "pk"): requests,
        ("desk:attachment_upload", "pk"): requests,
        ("desk:attachment_download", "pk"): [str(world.in_progress.pk), str(world.routed.pk)],
        ("desk:attachment_download", "attachment_pk"): [str(world.attachment.pk)],
        ("desk:action", "pk"): requests,
        ("desk:action", "action"): sorted(ACTIONS),
        ("desk:case_query_check", "pk"): requests,
        ("desk:case_query_code", "pk"): requests,
    }


def query_combinations(world: World) -> list[Query]:
    """Repeated parameters with a request status each and a division of the court's and a
    30-digit one; a division of another county's office."""
    return [
        [("page", "-1"), ("page", str(10**12)), ("q", "a"), ("q", "\x00")]
        + [("status", status) for status in RequestStatus.values]
        + [("division", str(world.civil_division.pk)), ("division", HUGE)]
        + [("v", "0"), ("v", "10000")],
        [("division", str(OrgUnit.objects.get(code="150205-ZXB").pk)), ("v", "1")],
    ]


def _local_input(days: int) -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.strftime("%Y-%m-%dT%H:%M")


def action_specs(world: World) -> list[FormSpec]:
    """One spec per action of the request page, as a persona allowed to use it on a request
    in a state that allows it (found by the page's own rules, so the hostile data reaches the
    form rather than the stale or permission check)."""
    order = ("judge", "receptionist", "division_head", "court_leader", "administrator")
    specs = []
    for action, spec in ACTIONS.items():
        found = None
        for persona in order:
            user = world.users[persona]
            for service_request in world.requests:
                facts = _facts(
                    service_request,
                    list(service_request.clock_changes.all()),
                    desk_permissions.can_act_on(user, service_request),
                )
                if allowed_actions(user, service_request, facts)[action]:
                    found = (persona, user, service_request)
                    break
            if found:
                break
        assert found is not None, f"no persona in the world may use the action {action!r}"
        persona, user, service_request = found
        other = world.routed if service_request.pk != world.routed.pk else world.in_progress
        values: dict[str, dict[str, Any]] = {
            "route": {"division": str(world.civil_division.pk), "reason": "转民事审判庭办理"},
            "decline": {"reason": "不属于本庭室"},
            "reply": {"body": "经核实，开庭时间为12月8日。"},
            "interim_reply": {"body": "正在调取卷宗，请耐心等待。"},
            "clock_change": {"kind": "extension", "reason": "需要调卷", "extra_workdays": "5"},
            "clock_decide": {"change": str(world.change.pk), "decision": "approve", "note": ""},
            "resume": {"reason": "材料已补齐"},
            "supervise": {"reason": "请尽快答复", "new_deadline": _local_input(5)},
            "merge": {"into": other.number, "reason": "重复诉求"},
            "withdraw": {"reason": "诉求人要求撤回"},
        }
        status = service_request.status
        stale = next(s for s in RequestStatus.values if s != status)
        extra = [
            Case("stale expected_status", {"expected_status": stale}),
            Case("expected_status missing", {"expected_status": MISSING}),
            Case("unknown request", {}, url=f"/desk/{HUGE}/{action}/"),
        ]
        if action == "clock_decide":
            extra.append(Case("another change's id", {"change": str(world.change.pk + 1)}))
        if action == "merge":
            extra += [
                Case("into itself", {"into": service_request.number}),
                Case("into an unknown request", {"into": "SS20000101-00001"}),
            ]
        if action == "supervise":
            extra += [
                Case("deadline in the past", {"new_deadline": _local_input(-5)}),
                Case("deadline in year 1", {"new_deadline": "0001-01-01T00:00"}),
                Case("deadline in year 9999", {"new_deadline": "9999-12-31T23:59"}),
            ]

        def build_form(
            data: Any, files: Any, spec: Any = spec, user: User = user, sr: Any = service_request
        ) -> Any:
            return spec.build(user, sr, data)

        specs.append(
            FormSpec(
                name=f"desk:action {action}",
                persona=persona,
                url=f"/desk/{service_request.pk}/{action}/",
                base={"expected_status": status, **values.get(action, {})},
                form=build_form,
                extra=extra,
            )
        )
    return specs


def case_query_specs(world: World) -> list[FormSpec]:
    """案件查询's party check on the routed request (its first contact, the receptionist, may
    run it): the phone on file (no SMS gateway in the sweep: that alone verifies, as on the
    portal), and the code read back, with a code waiting in the session."""
    routed = world.routed
    pending = {
        str(routed.pk): {
            "code_id": world.case_query_code.pk,
            "mobile": "138****5678",
            "identity": "party",
            "until": time.time() + 6 * 3600,
        }
    }

    def waiting(client: Any) -> None:
        session = client.session
        session[case_query_views.PENDING_KEY] = pending
        session.save()

    failed = {"core_event": "a phone, licence or code that fails the check is recorded"}
    return [
        FormSpec(
            name="desk:case_query_check",
            persona="receptionist",
            url=f"/desk/{routed.pk}/case-query/check/",
            base={"mobile": "", "identity": "party", "lawyer_licence": ""},
            form=lambda data, files: CaseQueryCheckForm(data),
            control="redirects",
            may_write=failed,
            extra=[
                Case("a phone not on file", {"mobile": "13900009999"}),
                Case("a mobile that is not one", {"mobile": "010-12345678"}),
                Case("a lawyer without a licence", {"identity": "lawyer"}),
                Case("a licence not on file", {"identity": "lawyer", "lawyer_licence": "1" * 17}),
                Case("not a case query", {}, url=f"/desk/{world.registered.pk}/case-query/check/"),
                Case("an ended request", {}, url=f"/desk/{world.closed.pk}/case-query/check/"),
                Case("unknown request", {}, url=f"/desk/{HUGE}/case-query/check/"),
            ],
        ),
        FormSpec(
            name="desk:case_query_code",
            persona="receptionist",
            url=f"/desk/{routed.pk}/case-query/code/",
            base={"code": CASE_QUERY_CODE},
            form=lambda data, files: CaseQueryCodeForm(data),
            control="redirects",
            setup=waiting,
            may_write={
                **failed,
                "portal_trackingcode": "a wrong code uses up one of the code's attempts",
            },
            extra=[
                Case("a wrong code", {"code": "000000"}),
                Case("letters", {"code": "12345a"}),
                Case(
                    "no code waiting for that request",
                    {},
                    url=f"/desk/{world.in_progress.pk}/case-query/code/",
                ),
                Case("unknown request", {}, url=f"/desk/{HUGE}/case-query/code/"),
            ],
        ),
    ]


def form_specs(world: World) -> list[FormSpec]:
    receptionist = world.users["receptionist"]
    intake_base = {
        "submission_key": "hostile-sweep-1",
        "channel": "walk_in",
        "requester_mobile": "139 0000 1111",
        "requester_name": "李四",
        "matter_type": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料。",
        "auto_route": "on",
    }
    return [
        FormSpec(
            name="desk:intake",
            persona="receptionist",
            url="/desk/new/",
            base=intake_base,
            form=lambda data, files: IntakeForm(data, files, lines=_lines_for(receptionist)),
            extra=[
                Case("requester outside the scope", {"requester_id": str(world.hidden_person.pk)}),
                Case("requester id past BIGINT", {"requester_id": str(2**63)}),
                Case("answer on the spot without an answer", {"answer_on_the_spot": "on"}),
                Case(
                    "checklist without a mobile",
                    {"send_checklist": "on", "requester_mobile": MISSING},
                ),
                Case("resident ID with a wrong check digit", {"id_number": "150206198005171230"}),
                Case("mobile too short", {"requester_mobile": "13812"}),
                Case("malformed case number", {"related_case_number": "（2026）内民初号"}),
                *[Case(f"attachment: {label}", {"attachment": f}) for label, f in UPLOAD_CASES],
                Case("attachment past the limit", {"attachment": pdf_upload(size=UPLOAD_LIMIT)}),
            ],
        ),
        FormSpec(
            # Reception registers an unknown caller with the request (issue 12, item 13).
            name="desk:intake register a person",
            persona="receptionist",
            url="/desk/new/",
            base={
                **intake_base,
                "submission_key": "hostile-sweep-register",
                "requester_mobile": "139 0000 3333",
                "requester_name": "孙七",
                "register_person": "on",
                "person_address": "白云鄂博矿区通阳道1号",
            },
            form=lambda data, files: IntakeForm(data, files, lines=_lines_for(receptionist)),
            extra=[
                Case(
                    "an ID number already registered",
                    {"submission_key": "hostile-register-id", "id_number": REGISTERED_ID},
                ),
                Case(
                    "a phone already on a person",
                    {"submission_key": "hostile-register-phone", "requester_mobile": "13600001111"},
                ),
                Case(
                    "a person chosen as well",
                    {
                        "submission_key": "hostile-register-both",
                        "requester_id": str(world.person.pk),
                    },
                ),
                Case(
                    "the request refused after the person",
                    {
                        "submission_key": "hostile-register-case",
                        "related_case_number": "（2026）内0206民初99999号",
                    },
                ),
            ],
        ),
        FormSpec(
            name="desk:lookup",
            persona="receptionist",
            url="/desk/lookup/",
            base={"requester_mobile": "13812345678", "id_number": ""},
            form=lambda data, files: LookupForm(data),
            control="renders",
            refusal_marker="号码或证件号无效",
        ),
        *action_specs(world),
        FormSpec(
            name="desk:attachment_upload",
            persona="judge",
            url=f"/desk/{world.in_progress.pk}/attachments/",
            base={"attachment": pdf_upload()},
            extra=[
                Case("no file", {"attachment": MISSING}),
                Case("file under another name", {"attachment": MISSING, "file": pdf_upload()}),
                *[Case(label, {"attachment": f}) for label, f in UPLOAD_CASES],
                Case("past the limit", {"attachment": pdf_upload(size=UPLOAD_LIMIT)}),
                Case("request out of scope", {}, url=f"/desk/{HUGE}/attachments/"),
                Case("ended request", {}, url=f"/desk/{world.closed.pk}/attachments/"),
            ],
        ),
        FormSpec(
            name="desk:return_visit_record",
            persona="receptionist",
            url=f"/desk/return-visits/{world.visit.pk}/",
            base={"result": "resolved", "action": "none", "satisfaction": "4", "note": "已解决"},
            form=lambda data, files: ReturnVisitForm(data),
            extra=[
                Case("resolved yet reopened", {"action": "reopen"}),
                Case("unknown visit", {}, url=f"/desk/return-visits/{HUGE}/"),
            ],
        ),
        *case_query_specs(world),
        FormSpec(
            name="desk:checklist_edit",
            persona="administrator",
            url="/desk/matter-types/divorce_filing/checklist/",
            base={"materials": "起诉状", "steps": "递交材料", "legal_basis": "", "fees": ""},
            form=lambda data, files: ChecklistForm(data),
            extra=[Case("unknown matter type", {}, url="/desk/matter-types/nope/checklist/")],
        ),
    ]


# --- the admin sweep ------------------------------------------------------------------------


def admin_rows(world: World) -> None:
    ReplyTemplate.objects.get_or_create(
        name="开庭时间答复",
        defaults={"matter_type": world.routed.matter_type, "body": "开庭时间定于……"},
    )
    now = timezone.now()
    Supervision.objects.create(
        service_request=world.pending_change,
        supervisor=world.users["court_leader"],
        reason="超期督办",
        previous_deadline=now,
        new_deadline=now + timedelta(days=3),
    )


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {
        "desk.MatterType": {"code": "hostile_type", "name": "测试事项", "category": "consultation"},
        "desk.ReplyTemplate": {
            "name": "测试模板",
            "matter_type": world.routed.matter_type_id,
            "body": "您好，已收到。",
            "is_active": "on",
        },
    }


# --- the API sweep --------------------------------------------------------------------------


def _court_with_open_work(
    *, receptionist: User, judge: User, division: OrgUnit, mobile: str, **values: Any
) -> tuple[ServiceRequest, Any, ReturnVisit, str]:
    """An in-progress request with a pause awaiting approval, a rated complaint awaiting its
    return visit, and an answered request whose feedback link is still unused."""
    open_request = intake(receptionist, matter_type_code="contact_judge", **values)
    if open_request.transfer_user_id is None:
        desk_services.service_request_route(
            actor=receptionist, service_request=open_request, division=division, user=judge
        )
    desk_services.service_request_accept(actor=judge, service_request=open_request)
    change = desk_services.clock_change_request(
        actor=judge, service_request=open_request, kind="pause", reason="等待当事人补充材料"
    )
    complaint = intake(receptionist, matter_type_code="complaint", requester_mobile=mobile)
    desk_services.service_request_reply(
        actor=receptionist, service_request=complaint, body="已当场解释。", on_the_spot=True
    )
    desk_services.feedback_submit(
        token=Feedback.objects.get(service_request=complaint).token, satisfaction=2
    )
    visit = ReturnVisit.objects.get(service_request=complaint)
    answered = intake(receptionist, matter_type_code="filing_consult", requester_mobile=mobile)
    desk_services.service_request_reply(
        actor=receptionist, service_request=answered, body="已答复。", on_the_spot=True
    )
    token = Feedback.objects.get(service_request=answered).token
    return open_request, change, visit, token


def api_build(world: ApiWorld) -> None:
    """Open work in the court (on the court case courtcases made) and in the other court."""
    install_default_matter_types()
    open_request, change, visit, feedback_token = _court_with_open_work(
        receptionist=world.users["receptionist"],
        judge=world.users["judge"],
        division=world.civil_division,
        mobile="13900002222",
        related_case_number=world.case_number,
        route=True,
    )
    mergeable = intake(world.users["receptionist"])  # in scope, for another to merge into
    other_open, other_change, other_visit, _ = _court_with_open_work(
        receptionist=world.other_receptionist,
        judge=world.other_judge,
        division=world.other_division,
        mobile="13500008888",
    )
    world.inside.update(
        request_id=open_request.pk,
        change_id=change.pk,
        visit_id=visit.pk,
        number=open_request.number,
        token=feedback_token,
    )
    world.outside.update(
        request_id=other_open.pk,
        change_id=other_change.pk,
        visit_id=other_visit.pk,
        number=other_open.number,
    )
    world.missing.update(
        request_id=10**9, change_id=10**9, visit_id=10**9, number="SS20991231-00001"
    )
    world.hints.update(
        channel="api",
        matter_type="filing_consult",
        title="咨询如何网上立案",
        content="想了解民间借贷纠纷如何在网上立案，需要准备哪些材料。",
        requester_name="赵六",
        requester_mobile="13700005555",
        requester_id=None,
        division_code="BT-BYEB-MS",
        username="judge_li",
        reason="请尽快办理",
        body="已电话答复，材料清单见短信。",
        kind="extension",
        extra_workdays=3,
        approve=True,
        new_deadline=(timezone.now() + timedelta(days=20)).isoformat(),
        into_number=mergeable.number,
        satisfaction=4,
        result="resolved",
        action="none",
        expected_status=None,
    )


CASES = HostileCases(
    personas=("receptionist", "judge", "division_head", "court_leader"),
    users=("administrator",),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(SearchForm, DeskPeriodForm, DivisionFilterForm, LookupForm),
    query_names=("v",),  # the checklist's version
    query_combinations=query_combinations,
    unresolvable=("/desk/-1/", "/desk/%00/"),
    admin_rows=admin_rows,
    admin_add_data=admin_add_data,
    api_build=api_build,
    api_files={"attachment": lambda: SimpleUploadedFile("信件.pdf", PDF, "application/pdf")},
    # A button with no body: the full number, audited (issue 12, item 14).
    body_ignored={"desk:reveal_mobile": "judge"},
)
