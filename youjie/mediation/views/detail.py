"""The mediation page — the filing in brief with its parties masked, the clocks with the rules
behind them, sessions, extensions, the judicial confirmation or the mediation document, the
timeline — and its actions, each a form posted to ``/mediation/<pk>/actions/<action>/``.

Which forms a user gets is decided here (``Action.shown``) from the rules in permissions.py; the
services decide again. A refused action redraws the page with the form's errors (422, or the
error's own status)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ChoiceField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, NotFound, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.mediation import deadlines, selectors, services
from youjie.mediation.choices import (
    CloseKind,
    ConfirmationStatus,
    MediationStatus,
    SessionStatus,
)
from youjie.mediation.forms import (
    DECISION_CHOICES,
    AcceptForm,
    ActionForm,
    AgreeForm,
    CloseDocumentForm,
    ConfirmationAcceptForm,
    ConfirmationApplyForm,
    ConfirmationDecideForm,
    ConfirmationExtendForm,
    ExtendForm,
    FailForm,
    ScheduleForm,
    SessionRecordForm,
    WithdrawForm,
)
from youjie.mediation.models import JudicialConfirmation, Mediation, MediationSession
from youjie.mediation.permissions import (
    can_conduct,
    can_decide,
    can_end,
    can_register_confirmation,
)
from youjie.mediation.views.common import put_field_errors
from youjie.orgs.backends import signed_in_user
from youjie.orgs.models import User

STALE_MESSAGE = "该调解已被他人处理，页面内容已过期，请刷新后重试"
Facts = tuple[Mediation, JudicialConfirmation | None]
OPEN = (MediationStatus.ASSIGNED, MediationStatus.ACCEPTED, MediationStatus.AGREED)


def _confirmation(mediation: Mediation) -> JudicialConfirmation:
    found = selectors.confirmation_of(mediation)
    if found is None:
        message = "尚未申请司法确认"
        raise ValidationFailed(message, code="no_confirmation", fields={"__all__": [message]})
    return found


def _run_accept(user: User, mediation: Mediation, form: Any) -> str:
    services.mediation_accept(actor=user, mediation=mediation)
    return "已确认接受调解，30日调解期限自今日起算"


def _run_schedule(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    key = (data.get("submission_key") or "").strip()
    idempotency = None
    if key:
        body = {k: str(v) for k, v in data.items() if k != "submission_key"}
        idempotency = services.Idempotency(
            key=key,
            scope=f"mediation.page.session:{user.pk}:{mediation.pk}",
            body_hash=body_fingerprint(body),
        )
    _, created = services.run_once(
        model=MediationSession,
        idempotency=idempotency,
        create=lambda: services.session_schedule(
            actor=user,
            mediation=mediation,
            kind=data["kind"],
            scheduled_at=form.scheduled_at(),
            video_url=data.get("video_url") or "",
            place=data.get("place") or "",
        ),
    )
    return "调解已安排，已短信通知当事人" if created else "该表单已提交过，调解已安排"


def _run_record(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    session = selectors.session_of(mediation, data["session"])
    services.session_record(
        actor=user, session=session, held=data["held"] == "held", notes=data["notes"]
    )
    return "调解情况已记录"


def _run_extend(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    services.mediation_extend(
        actor=user,
        mediation=mediation,
        new_due_on=data["new_due_on"],
        reason=data["reason"],
        all_parties_agreed=data["all_parties_agreed"],
    )
    return "调解期限已延长"


def _run_agree(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    services.mediation_agree(
        actor=user, mediation=mediation, agreement=data["agreement"], agreed_on=data["agreed_on"]
    )
    return "调解协议已登记，可在协议生效之日起30日内申请司法确认"


def _run_fail(user: User, mediation: Mediation, form: Any) -> str:
    services.mediation_fail(actor=user, mediation=mediation, reason=form.cleaned_data["reason"])
    return "已登记调解不成，立案申请已转入立案审查"


def _run_withdraw(user: User, mediation: Mediation, form: Any) -> str:
    services.mediation_withdraw(actor=user, mediation=mediation, reason=form.cleaned_data["reason"])
    return "已登记撤回"


def _run_apply(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    services.confirmation_apply(
        actor=user,
        mediation=mediation,
        applicants=data["applicants"],
        applied_on=data["applied_on"],
    )
    return "司法确认申请已登记"


def _run_confirmation_accept(user: User, mediation: Mediation, form: Any) -> str:
    services.confirmation_accept(
        actor=user,
        confirmation=_confirmation(mediation),
        accepted_on=form.cleaned_data["accepted_on"],
    )
    return "已受理司法确认申请"


def _run_confirmation_extend(user: User, mediation: Mediation, form: Any) -> str:
    services.confirmation_extend(
        actor=user,
        confirmation=_confirmation(mediation),
        approved_by=form.cleaned_data["approved_by"],
        reason=form.cleaned_data["reason"],
    )
    return "审查期限已延长10日"


def _run_decide(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    services.confirmation_decide(
        actor=user,
        confirmation=_confirmation(mediation),
        result=data["result"],
        decided_on=data["decided_on"],
        reason=data.get("reason") or "",
    )
    if data["result"] == ConfirmationStatus.CONFIRMED:
        return "已裁定确认调解协议有效，调解结案"
    return "决定已登记"


def _run_close_document(user: User, mediation: Mediation, form: Any) -> str:
    data = form.cleaned_data
    services.mediation_close(
        actor=user,
        mediation=mediation,
        kind=CloseKind.DOCUMENT,
        case_number=data["case_number"],
        issued_on=data["issued_on"],
        summary=data.get("summary") or "",
    )
    return "已登记调解书，调解结案"


@dataclass(frozen=True)
class Action:
    label: str
    form: type[ActionForm]
    shown: Callable[[User, Facts], bool]
    run: Callable[[User, Mediation, Any], str]


def _conducts(*statuses: str) -> Callable[[User, Facts], bool]:
    return lambda user, facts: can_conduct(user, facts[0]) and facts[0].status in statuses


def _confirmation_in(facts: Facts, *statuses: str) -> bool:
    return facts[1] is not None and facts[1].status in statuses


PENDING = (ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED)


def _may_fail(user: User, facts: Facts) -> bool:
    return (
        can_end(user, facts[0])
        and facts[0].status in OPEN
        and not _confirmation_in(facts, *PENDING)
    )


def _may_withdraw(user: User, facts: Facts) -> bool:
    return can_end(user, facts[0]) and facts[0].status in (
        MediationStatus.ASSIGNED,
        MediationStatus.ACCEPTED,
    )


def _may_apply(user: User, facts: Facts) -> bool:
    return can_end(user, facts[0]) and facts[0].status == MediationStatus.AGREED and not facts[1]


def _may_accept_confirmation(user: User, facts: Facts) -> bool:
    return can_register_confirmation(user, facts[0]) and _confirmation_in(
        facts, ConfirmationStatus.APPLIED
    )


def _may_extend_confirmation(user: User, facts: Facts) -> bool:
    confirmation = facts[1]
    return (
        can_decide(user, facts[0])
        and confirmation is not None
        and confirmation.status == ConfirmationStatus.ACCEPTED
        and not confirmation.decision_extended
    )


def _may_decide(user: User, facts: Facts) -> bool:
    return can_decide(user, facts[0]) and _confirmation_in(facts, *PENDING)


def _may_close(user: User, facts: Facts) -> bool:
    return (
        can_decide(user, facts[0])
        and facts[0].status == MediationStatus.AGREED
        and not _confirmation_in(facts, *PENDING)
    )


ACTIONS: dict[str, Action] = {
    "accept": Action("确认接受调解", AcceptForm, _conducts(MediationStatus.ASSIGNED), _run_accept),
    "schedule": Action(
        "安排调解", ScheduleForm, _conducts(MediationStatus.ACCEPTED), _run_schedule
    ),
    "record": Action(
        "记录调解情况", SessionRecordForm, _conducts(*MediationStatus.values), _run_record
    ),
    "extend": Action("延长调解期限", ExtendForm, _conducts(MediationStatus.ACCEPTED), _run_extend),
    "agree": Action("登记调解协议", AgreeForm, _conducts(MediationStatus.ACCEPTED), _run_agree),
    "fail": Action("登记调解不成", FailForm, _may_fail, _run_fail),
    "withdraw": Action("登记撤回", WithdrawForm, _may_withdraw, _run_withdraw),
    "confirmation_apply": Action("登记司法确认申请", ConfirmationApplyForm, _may_apply, _run_apply),
    "confirmation_accept": Action(
        "受理司法确认申请",
        ConfirmationAcceptForm,
        _may_accept_confirmation,
        _run_confirmation_accept,
    ),
    "confirmation_extend": Action(
        "延长审查期限（经院长批准）",
        ConfirmationExtendForm,
        _may_extend_confirmation,
        _run_confirmation_extend,
    ),
    "confirmation_decide": Action(
        "作出司法确认决定", ConfirmationDecideForm, _may_decide, _run_decide
    ),
    "close_document": Action("出具调解书结案", CloseDocumentForm, _may_close, _run_close_document),
}


def render_detail(
    request: HttpRequest,
    user: User,
    mediation: Mediation,
    *,
    forms: dict[str, Any] | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    confirmation = selectors.confirmation_of(mediation)
    facts: Facts = (mediation, confirmation)
    today = selectors.clock_today()
    initial = {"expected_status": mediation.status}
    shown = {name for name, action in ACTIONS.items() if action.shown(user, facts)}
    action_forms = {
        name: forms.get(name) or ACTIONS[name].form(initial=initial)
        for name in shown
        if name != "record"
    }
    decide = action_forms.get("confirmation_decide")
    if decide is not None and confirmation is not None:
        # Before acceptance the court may only decline to accept; after it, confirm or refuse.
        field = decide.fields["result"]
        assert isinstance(field, ChoiceField)
        applied = confirmation.status == ConfirmationStatus.APPLIED
        field.choices = [
            (value, label)
            for value, label in DECISION_CHOICES
            if (value == ConfirmationStatus.NOT_ACCEPTED) == applied
        ]
    sessions = selectors.mediation_sessions(mediation)
    session_rows = [
        {
            "session": session,
            "record_form": (
                forms.get(f"record:{session.pk}")
                or SessionRecordForm(
                    initial={**initial, "session": session.pk}, auto_id=f"s{session.pk}_%s"
                )
            )
            if "record" in shown and session.status == SessionStatus.SCHEDULED
            else None,
        }
        for session in sessions
    ]
    clocks = [
        {"clock": clock, "state": clock.state(today), "label": clock.state_label(today)}
        for clock in deadlines.mediation_clocks(mediation, confirmation)
    ]
    filing = mediation.filing
    context = {
        "mediation": mediation,
        "filing": filing,
        "parties": list(filing.parties.all()),
        "confirmation": confirmation,
        "document": getattr(mediation, "document", None),
        "clocks": clocks,
        "session_rows": session_rows,
        "extensions": selectors.mediation_extensions(mediation),
        "events": selectors.mediation_timeline(mediation),
        "actions": [(name, ACTIONS[name].label, form) for name, form in action_forms.items()],
        "error": error,
        "today": today,
    }
    return render(request, "mediation/detail.html", context, status=status)


@login_required
@require_GET
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)  # anyone outside the scope gets the 404 of the fetch
    mediation = selectors.mediation_get(user=user, pk=pk)  # 404 outside the scope
    return render_detail(request, user, mediation)


@login_required
@require_POST
def mediation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = signed_in_user(request)  # anyone outside the scope gets the 404 of the fetch
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound("没有该操作")
    mediation = selectors.mediation_get(user=user, pk=pk)
    form = spec.form(request.POST)
    key = action
    if action == "record":
        session_id = form.data.get("session", "")
        key = f"record:{session_id}" if str(session_id).isdigit() else action
        form = SessionRecordForm(request.POST, auto_id=f"s{session_id}_%s")
    if not form.is_valid():
        error = ValidationFailed("填写的内容有误，请检查标注的项目")
        return render_detail(request, user, mediation, forms={key: form}, error=error, status=422)
    if form.cleaned_data["expected_status"] != mediation.status:
        error = ValidationFailed(STALE_MESSAGE, code="stale")
        form.add_error(None, STALE_MESSAGE)
        return render_detail(request, user, mediation, forms={key: form}, error=error, status=422)
    try:
        message = spec.run(user, mediation, form)
    except ApplicationError as exc:
        put_field_errors(form, exc)
        fresh = selectors.mediation_get(user=user, pk=pk)
        return render_detail(
            request, user, fresh, forms={key: form}, error=exc, status=exc.status_code
        )
    messages.success(request, message)
    return redirect("mediation:detail", pk=mediation.pk)
