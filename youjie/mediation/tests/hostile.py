"""The mediation app's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here).

The world (``build``), made through the services — the filings through ``filing_submit``, the
mediations through the mediation services: a filing in review with the party's consent (to
delegate) and one without; a mediation waiting for the mediator (accept), one under way with a
session tomorrow (schedule, record, extend, agree, fail, withdraw), one agreed (apply for a
confirmation, close with a mediation document), one with a confirmation applied for (accept it,
decide not to) and one with a confirmation accepted (extend, confirm); and a mediation of the
青山区 court kept by its judge, which nobody swept may see. The pages sweep posts the
mediator's forms as 高秀兰, the court's as judge 李敏, the delegation as receptionist 王丽.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from conftest import make_user
from tests.hostile.cases import HUGE, MISSING, ApiWorld, Case, FormSpec, HostileCases, World
from youjie.filings.models import Filing
from youjie.mediation import services
from youjie.mediation.forms import (
    AcceptForm,
    AgreeForm,
    CloseDocumentForm,
    ConfirmationAcceptForm,
    ConfirmationApplyForm,
    ConfirmationDecideForm,
    ConfirmationExtendForm,
    DelegateForm,
    ExtendForm,
    FailForm,
    MediationFilterForm,
    ScheduleForm,
    SessionRecordForm,
    WithdrawForm,
)
from youjie.mediation.models import Mediation
from youjie.mediation.tests.support import make_filing, unit
from youjie.mediation.views.detail import ACTIONS
from youjie.orgs.models import User
from youjie.workdays.calendar import SHANGHAI

SERIALS = iter(range(100, 1000))


def _today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def _tomorrow_at(hour: int) -> datetime:
    day = _today() + timedelta(days=1)
    return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI).replace(hour=hour)


def _filing(**overrides: Any) -> Filing:
    return make_filing(serial=next(SERIALS), **overrides)


def _delegated(actor: User, mediator: User, cause: str) -> Mediation:
    return services.mediation_delegate(
        actor=actor,
        filing=_filing(cause=cause),
        mode="delegated",
        organisation=unit("150206-TJW"),
        mediator=mediator,
    )


def mediations(world: World) -> dict[str, Mediation]:
    """Every stage the forms need, made by ``actor`` (the court) and ``mediator``."""
    actor, mediator, judge = (
        world.users["receptionist"],
        world.users["mediator"],
        world.users["judge"],
    )
    today = _today()
    assigned = _delegated(actor, mediator, "待确认的调解（检查用）")
    under_way = services.mediation_accept(
        actor=mediator, mediation=_delegated(actor, mediator, "调解中（检查用）")
    )
    services.session_schedule(
        actor=mediator,
        mediation=under_way,
        kind="online",
        scheduled_at=_tomorrow_at(14),
        video_url="https://meeting.tencent.com/dm/Check123",
    )
    stages = {"assigned": assigned, "under_way": under_way}
    for name in ("agreed", "applied", "confirming"):
        mediation = services.mediation_accept(
            actor=mediator, mediation=_delegated(actor, mediator, f"已达成协议（{name}）")
        )
        services.mediation_agree(
            actor=mediator, mediation=mediation, agreement="被告分两期归还借款", agreed_on=today
        )
        if name != "agreed":
            confirmation = services.confirmation_apply(
                actor=mediator, mediation=mediation, applicants="王建华、李强", applied_on=today
            )
            if name == "confirming":
                services.confirmation_accept(
                    actor=judge, confirmation=confirmation, accepted_on=today
                )
        stages[name] = mediation
    for mediation in stages.values():
        mediation.refresh_from_db()
    return stages


def build(world: World) -> None:
    stages = mediations(world)
    qingshan_judge = make_user("med_qs_judge", "judge", "BT-QS-MS", "青山法官")
    qingshan_filing = _filing(court_code="BT-QS-FY", cause="青山区的调解（检查用）")
    qingshan = services.mediation_delegate(
        actor=qingshan_judge, filing=qingshan_filing, mode="court", mediator=qingshan_judge
    )
    world.put(
        mediation_stages=stages,
        mediation_qingshan=qingshan,
        mediation_filing=_filing(cause="待委派调解（检查用）"),
        mediation_filing_no_consent=_filing(consent=False, cause="未同意调解（检查用）"),
        mediation_filing_qingshan=_filing(court_code="BT-QS-FY", cause="青山区待委派（检查用）"),
    )


# --- the pages sweep ------------------------------------------------------------------------


def path_values(world: World) -> dict[tuple[str, str], list[str]]:
    stages = world.mediation_stages
    mediations = [str(stages["under_way"].pk), str(world.mediation_qingshan.pk)]
    return {
        ("mediation:detail", "pk"): [*mediations, str(stages["confirming"].pk)],
        ("mediation:action", "pk"): mediations,
        ("mediation:action", "action"): sorted(ACTIONS),
        ("mediation:delegate", "filing_id"): [
            str(world.mediation_filing.pk),
            str(world.mediation_filing_qingshan.pk),
            str(world.mediation_filing_no_consent.pk),
        ],
    }


def _spec(
    world: World,
    action: str,
    stage: str,
    persona: str,
    data: dict[str, Any],
    form: Any,
    extra: list[Case] | None = None,
) -> FormSpec:
    mediation = world.mediation_stages[stage]
    stale = "withdrawn" if mediation.status != "withdrawn" else "assigned"
    return FormSpec(
        name=f"mediation:action {action}",
        persona=persona,
        url=f"/mediation/{mediation.pk}/actions/{action}/",
        base={"expected_status": mediation.status, **data},
        form=lambda posted, files: form(posted),
        extra=[
            Case("stale expected_status", {"expected_status": stale}),
            Case("expected_status missing", {"expected_status": MISSING}),
            Case("unknown mediation", {}, url=f"/mediation/{HUGE}/actions/{action}/"),
            Case(
                "another court's mediation",
                {},
                url=f"/mediation/{world.mediation_qingshan.pk}/actions/{action}/",
            ),
            *(extra or []),
        ],
    )


def form_specs(world: World) -> list[FormSpec]:
    today = _today().isoformat()
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    yesterday = (_today() - timedelta(days=1)).isoformat()
    stages = world.mediation_stages
    session = stages["under_way"].sessions.get()
    filing = world.mediation_filing
    specs = [
        FormSpec(
            name="mediation:delegate",
            persona="receptionist",
            url=f"/mediation/delegate/{filing.pk}/",
            base={
                "submission_key": "hostile-mediation-1",
                "mode": "delegated",
                "organisation": str(unit("150206-TJW").pk),
                "mediator": str(world.users["mediator"].pk),
                "note": "当事人同意诉前调解",
            },
            form=lambda data, files: DelegateForm(data, court=filing.competent_court),
            extra=[
                Case("a mediator of no organisation chosen", {"organisation": ""}),
                Case("the court's mode with an organisation", {"mode": "court"}),
                Case(
                    "a judge as the committee's mediator",
                    {"mediator": str(world.users["judge"].pk)},
                ),
                Case(
                    "a filing without consent",
                    {},
                    url=f"/mediation/delegate/{world.mediation_filing_no_consent.pk}/",
                ),
                Case(
                    "another court's filing",
                    {},
                    url=f"/mediation/delegate/{world.mediation_filing_qingshan.pk}/",
                ),
                Case("unknown filing", {}, url=f"/mediation/delegate/{HUGE}/"),
            ],
        ),
        _spec(world, "accept", "assigned", "mediator", {}, AcceptForm),
        _spec(
            world,
            "schedule",
            "under_way",
            "mediator",
            {
                "submission_key": "hostile-session-1",
                "kind": "online",
                "day": tomorrow,
                "at": "15:30",
                "video_url": "https://meeting.tencent.com/dm/Hostile1",
                "place": "",
            },
            ScheduleForm,
            [
                Case("in the past", {"day": yesterday}),
                Case("an http:// link", {"video_url": "http://meeting.example.com/j/1"}),
                Case("a javascript: link", {"video_url": "javascript:alert(1)"}),
                Case("in person without a place", {"kind": "in_person", "place": ""}),
                Case("after the due date", {"day": (_today() + timedelta(days=60)).isoformat()}),
                Case("hour 24", {"at": "24:00"}),
            ],
        ),
        _spec(
            world,
            "record",
            "under_way",
            "mediator",
            {"session": str(session.pk), "held": "not_held", "notes": "被告请假，另行安排"},
            SessionRecordForm,
            [
                Case("held before it takes place", {"held": "held"}),
                Case("another mediation's session", {"session": str(10**9)}),
            ],
        ),
        _spec(
            world,
            "extend",
            "under_way",
            "mediator",
            {
                "new_due_on": (_today() + timedelta(days=60)).isoformat(),
                "reason": "双方需要时间筹款",
                "all_parties_agreed": "on",
            },
            ExtendForm,
            [
                Case("not agreed by all", {"all_parties_agreed": MISSING}),
                Case("earlier than the due date", {"new_due_on": tomorrow}),
            ],
        ),
        _spec(
            world,
            "agree",
            "under_way",
            "mediator",
            {"agreement": "被告分两期归还借款", "agreed_on": today},
            AgreeForm,
            [Case("in effect tomorrow", {"agreed_on": tomorrow})],
        ),
        _spec(world, "fail", "under_way", "mediator", {"reason": "被告拒绝调解"}, FailForm),
        _spec(world, "withdraw", "under_way", "mediator", {"reason": "原告撤回起诉"}, WithdrawForm),
        _spec(
            world,
            "confirmation_apply",
            "agreed",
            "mediator",
            {"applicants": "王建华、李强", "applied_on": today},
            ConfirmationApplyForm,
            [Case("applied tomorrow", {"applied_on": tomorrow})],
        ),
        _spec(
            world,
            "confirmation_accept",
            "applied",
            "judge",
            {"accepted_on": today},
            ConfirmationAcceptForm,
            [Case("accepted before the application", {"accepted_on": "2001-01-01"})],
        ),
        _spec(
            world,
            "confirmation_extend",
            "confirming",
            "judge",
            {"approved_by": "刘志强", "reason": "需要核实履行能力"},
            ConfirmationExtendForm,
        ),
        _spec(
            world,
            "confirmation_decide",
            "confirming",
            "judge",
            {"result": "confirmed", "decided_on": today, "reason": ""},
            ConfirmationDecideForm,
            [
                Case("refused without reasons", {"result": "refused"}),
                Case("not accepted once accepted", {"result": "not_accepted", "reason": "x"}),
            ],
        ),
        _spec(
            world,
            "close_document",
            "agreed",
            "judge",
            {"case_number": "（2026）内0206民初9901号", "issued_on": today, "summary": ""},
            CloseDocumentForm,
            [
                Case("another court's number", {"case_number": "（2026）内0204民初9901号"}),
                Case("a malformed number", {"case_number": "（2026）民初号"}),
                Case("a criminal number", {"case_number": "（2026）内0206刑初9901号"}),
            ],
        ),
    ]
    return specs


# --- the API sweep --------------------------------------------------------------------------


def api_build(world: ApiWorld) -> None:
    """A mediation of 白云鄂博 under way (the callers' court sees it), one of 青山区 they do not
    see, and a filing with consent in review (to delegate)."""
    receptionist = world.users["receptionist"]
    mediator = make_user("med_api_mediator", "mediator", "150206-TJW", "接口调解员")
    qingshan_judge = make_user("med_api_qs_judge", "judge", "BT-QS-MS", "青山法官")
    inside = services.mediation_accept(
        actor=mediator,
        mediation=services.mediation_delegate(
            actor=receptionist,
            filing=_filing(cause="接口检查的调解"),
            mode="delegated",
            organisation=unit("150206-TJW"),
            mediator=mediator,
        ),
    )
    outside = services.mediation_delegate(
        actor=qingshan_judge,
        filing=_filing(court_code="BT-QS-FY", cause="青山区接口检查"),
        mode="court",
        mediator=qingshan_judge,
    )
    to_delegate = _filing(cause="接口待委派")
    world.inside.update(mediation_id=inside.pk)
    world.outside.update(mediation_id=outside.pk)
    world.missing.update(mediation_id=10**9)
    # Set only where no app after this one sets them (desk gives "kind" and "reason", which
    # the desk's bodies need): a later app may not change a value an earlier one gave.
    for name, value in {
        "filing_id": to_delegate.pk,
        "mode": "delegated",
        "organisation": "150206-TJW",
        "mediator": mediator.username,
        "scheduled_at": _tomorrow_at(14).isoformat(),
        "video_url": "https://meeting.tencent.com/dm/Api12345",
        "place": "白云鄂博矿区人民调解委员会调解室",
        "agreement": "被告分两期归还借款",
        "agreed_on": _today().isoformat(),
        "note": "当事人同意诉前调解",
    }.items():
        world.hints.setdefault(name, value)


CASES = HostileCases(
    personas=("mediator", "other_mediator"),
    users=("receptionist", "judge", "mediator", "other_mediator"),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(MediationFilterForm,),
    query_names=("page",),
    unresolvable=("/mediation/-1/", "/mediation/delegate/-1/", "/mediation/%00/"),
    api_build=api_build,
)
