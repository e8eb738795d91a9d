"""登记: reception's fast form, and the caller lookup it shows while a number is typed.

The submit is one transaction: create, then send the checklist and/or answer on the spot. If a
later step fails (no checklist published, say) the creation rolls back and nothing is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from youjie.core.errors import ApplicationError, Conflict, NotFound
from youjie.core.idempotency import body_fingerprint
from youjie.courtcases.models import CourtCase
from youjie.desk import selectors, services
from youjie.desk.choices import OPEN_STATUSES, RequestStatus
from youjie.desk.forms import IntakeForm, LookupForm
from youjie.desk.models import ServiceRequest
from youjie.desk.views.common import court_of, desk_staff, put_field_errors
from youjie.orgs.models import Line, User
from youjie.orgs.scoping import scope_queryset
from youjie.people import selectors as people_selectors
from youjie.people.models import Person
from youjie.people.validators import (
    normalize_mobile,
    resident_id_warnings,
    validate_resident_id,
)

# Service field names → form field names.
RESUBMITTED_MESSAGE = (
    "这张登记表已经提交过，本次内容与已登记的不同，未保存。"
    "如确需另行登记，请核对下列内容后再次提交。"
)
INTAKE_FIELD_MAP = {
    "body": "answer",
    "matter_type_code": "matter_type",
    "address": "person_address",  # the new person's (services.NewPerson)
}
# The service names the file field "attachment", as the form does.


@dataclass
class Lookup:
    """What reception sees about a caller: persons, their open requests, their court cases."""

    searched: bool = False
    hint: str = ""
    persons: list[Person] = field(default_factory=list)
    open_requests: list[ServiceRequest] = field(default_factory=list)
    cases: list[CourtCase] = field(default_factory=list)
    selected_id: int | None = None
    # Remarks on a valid but implausible ID number (validators.resident_id_warnings).
    warnings: list[str] = field(default_factory=list)
    # Nobody found: the form offers to register the caller (issue 12, item 13) with the mobile
    # and ID number typed above; a form shown again keeps the choice and the address.
    mobile: str = ""
    with_id_number: bool = False
    register_person: bool = False
    person_address: str = ""


def _lines_for(user: User) -> QuerySet[Line]:
    court = court_of(user)
    lines = (
        Line.objects.filter(is_active=True).select_related("owner_user").order_by("kind", "number")
    )
    return lines.filter(owner_unit__path__startswith=court.path) if court is not None else lines


def _person_card(user: User, person: Person) -> Lookup:
    open_requests = list(
        scope_queryset(
            ServiceRequest.objects.select_related("matter_type").filter(
                requester=person, status__in=OPEN_STATUSES
            ),
            user,
        ).order_by("-id")[:10]
    )
    cases = list(
        scope_queryset(
            CourtCase.objects.filter(parties__person=person).select_related("judge", "division"),
            user,
        ).distinct()[:10]
    )
    return Lookup(searched=True, persons=[person], open_requests=open_requests, cases=cases)


def caller_lookup(
    user: User, *, mobile: str, id_number: str, selected_id: int | None = None
) -> Lookup:
    """By ID number (people's selector) when one is typed, else by mobile (caller card).

    Only what the user may see is shown: an out-of-scope person yields an empty card.
    """
    mobile, id_number = mobile.strip(), id_number.strip()
    if id_number:
        try:
            canonical_id = validate_resident_id(id_number)
        except ValidationError:
            return Lookup(hint="身份证号不完整或校验位不正确")
        person = people_selectors.person_find_by_id_number(user=user, id_number=canonical_id)
        card = _person_card(user, person) if person is not None else Lookup(searched=True)
        card.warnings = resident_id_warnings(canonical_id)
        card.with_id_number = True
        try:
            card.mobile = normalize_mobile(mobile) if mobile else ""
        except ValidationError:
            card.mobile = ""
    elif mobile:
        try:
            canonical = normalize_mobile(mobile)
        except ValidationError:
            return Lookup(hint="输入完整的11位手机号码后显示来电人信息")
        found = selectors.caller_card(user=user, mobile=canonical)
        card = Lookup(
            searched=True,
            persons=found.persons,
            open_requests=found.open_requests,
            cases=found.cases,
            mobile=canonical,
        )
    else:
        return Lookup()
    if len(card.persons) == 1 and selected_id is None:
        selected_id = card.persons[0].pk  # a single match is offered as the requester
    card.selected_id = selected_id
    return card


@login_required
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The htmx partial under the phone and ID fields. The page POSTs, so that numbers stay
    out of URLs and access logs; GET is accepted for the same answer."""
    user = desk_staff(request)
    form = LookupForm(request.POST if request.method == "POST" else request.GET)
    card = (
        Lookup(hint="号码或证件号无效：过长或含有非法字符")
        if not form.is_valid()
        else caller_lookup(
            user,
            mobile=form.cleaned_data["requester_mobile"],
            id_number=form.cleaned_data["id_number"],
        )
    )
    return render(request, "desk/intake.html#lookup", {"lookup": card})


def _register(user: User, form: IntakeForm) -> services.Registration:
    """The request, and the new person it names when the receptionist asked to register them
    (one transaction: a refused person writes no request, and the reverse)."""
    key = form.cleaned_data["submission_key"]
    scope = f"desk.intake:user-{user.pk}"
    body_hash = body_fingerprint(form.fingerprint_body())
    new_person = form.new_person()
    if new_person is not None:
        return services.service_request_register_with_person(
            actor=user,
            data=form.intake_data(),
            person=new_person,
            idempotency_key=key,
            idempotency_scope=scope,
            body_hash=body_hash,
        )
    return services.service_request_register(
        actor=user,
        data=form.intake_data(),
        idempotency_key=key,
        idempotency_scope=scope,
        body_hash=body_hash,
    )


def _submit(user: User, form: IntakeForm) -> tuple[ServiceRequest, bool]:
    data = form.cleaned_data
    with transaction.atomic():
        registration = _register(user, form)
        service_request, created = registration.service_request, registration.created
        if not created:
            return service_request, False  # a double submit of the same form
        if data.get("attachment"):
            services.attachment_add(
                actor=user, service_request=service_request, uploaded=data["attachment"]
            )
        if data.get("send_checklist"):
            services.checklist_send(actor=user, service_request=service_request)
        if data.get("answer_on_the_spot"):
            services.service_request_reply(
                actor=user,
                service_request=service_request,
                body=data["answer"],
                on_the_spot=True,
                expected_status=RequestStatus.REGISTERED,
            )
    return service_request, True


def _check_requester(user: User, form: IntakeForm) -> None:
    person_id = form.cleaned_data.get("requester_id")
    if person_id is None:
        return
    try:
        people_selectors.access_person(user=user, person_id=person_id)
    except NotFound:
        form.add_error(None, "所选人员档案不存在或无权查看")


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    user = desk_staff(request)
    posted = request.method == "POST"  # an empty POST is bound too: it gets its errors
    form = IntakeForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        lines=_lines_for(user),
        user=user,
    )
    if request.method == "POST":
        if form.is_valid():
            _check_requester(user, form)
        if form.is_valid():
            try:
                service_request, created = _submit(user, form)
            except Conflict as exc:
                if exc.code != "idempotency_key_reused":
                    raise
                # The same form was submitted before with other content (the browser's back
                # button, then edits). Nothing was saved; the form shown again is a new
                # submission, so that submitting it registers the edited request once.
                form.add_error(None, RESUBMITTED_MESSAGE)
                resubmission = request.POST.copy()
                resubmission["submission_key"] = uuid.uuid4().hex
                form.data = resubmission
            except ApplicationError as exc:
                put_field_errors(form, exc, INTAKE_FIELD_MAP)
            else:
                if created:
                    messages.success(request, f"诉求已登记，编号 {service_request.number}")
                    if form.new_person() is not None:
                        messages.success(
                            request, f"已登记人员档案：{service_request.requester_name}"
                        )
                    for warning in resident_id_warnings(form.cleaned_data["id_number"]):
                        messages.warning(request, warning)
                else:
                    messages.info(request, f"该登记已提交过，编号 {service_request.number}")
                return redirect("desk:detail", pk=service_request.pk)
    card = Lookup()
    if form.is_bound:
        card = caller_lookup(
            user,
            mobile=str(form.data.get("requester_mobile", ""))[:32],
            id_number=str(form.data.get("id_number", ""))[:32],
            selected_id=form.cleaned_data.get("requester_id")
            if hasattr(form, "cleaned_data")
            else None,
        )
        card.register_person = bool(form.data.get("register_person"))
        # Kept as typed, so that "too long" can be seen and mended (bounded: a hostile post).
        card.person_address = str(form.data.get("person_address", ""))[:1000]
    context = {"active": "intake", "form": form, "lookup": card}
    return render(request, "desk/intake.html", context, status=422 if form.is_bound else 200)
