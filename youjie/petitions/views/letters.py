"""Supervision letter pages (督办函): the list (the city office: all it sent; a county office:
those addressed to its county), drafting and sending (an office with a 发文机关代字), the letter
with its issued .docx, and the recipient's reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.core.pagination import paginate
from youjie.documents.official import chinese_date
from youjie.orgs.models import OrgUnit, User
from youjie.petitions import selectors, services
from youjie.petitions.choices import LetterStatus
from youjie.petitions.forms import (
    LetterCreateForm,
    LetterFilterForm,
    LetterReplyForm,
    LetterSendForm,
)
from youjie.petitions.models import SupervisionLetter
from youjie.petitions.permissions import can_reply_letter, can_send_letters
from youjie.petitions.policy import supervision_policy
from youjie.petitions.views.common import PAGE_SIZE, base_context, petitions_user, put_field_errors

STALE_MESSAGE = "该督办函已被他人处理，页面内容已过期，请刷新后重试"


def sending_office(user: User) -> OrgUnit | None:
    """The user's office, if it may send 督办函 (its officers, a 发文机关代字 configured)."""
    office = user.org_unit
    if office is None or not can_send_letters(user, office):
        return None
    return office if office.code in supervision_policy().letter_prefixes else None


@login_required
@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    form = LetterFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    letters = selectors.letter_list(
        user=user,
        status=filters.get("status") or "",
        overdue=bool(filters.get("overdue")),
        search=filters.get("q") or "",
    )
    page = paginate(letters, page=request.GET.get("page"), size=PAGE_SIZE)
    context = base_context(
        request,
        "letters",
        form=form,
        page=page,
        today=selectors.clock_today(),
        may_create=sending_office(user) is not None,
    )
    return render(request, "petitions/letters/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def letter_create(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    office = sending_office(user)
    if office is None:
        raise PermissionDenied("只有配置了发文机关代字的专项办干部可以拟制督办函")
    if request.method != "POST":
        form = LetterCreateForm(office=office)
        return render(
            request, "petitions/letters/new.html", base_context(request, "letters", form=form)
        )
    form = LetterCreateForm(request.POST, office=office)
    if not form.is_valid():
        error = ValidationFailed("督办函信息有误，请检查标注的项目")
        context = base_context(request, "letters", form=form, error=error)
        return render(request, "petitions/letters/new.html", context, status=422)
    data = form.cleaned_data
    numbers: list[str] = data["numbers"]
    found = selectors.matters_by_numbers(user=user, numbers=numbers)
    unknown = [number for number in numbers if number not in found]

    def create() -> SupervisionLetter:
        letter = services.letter_create(
            actor=user,
            issuing_office=office,
            recipient_unit=data["recipient_unit"],
            matters=[found[number] for number in numbers],
            title=data.get("title") or "",
            requirements=data["requirements"],
            due_on=data["due_on"],
        )
        if data.get("send_now"):
            letter = services.letter_send(actor=user, letter=letter)
        return letter

    try:
        if unknown:
            problems = [f"{number}不存在或无权查看" for number in unknown]
            raise ValidationFailed("；".join(problems[:5]), fields={"numbers": problems})
        letter, created = services.run_once(
            model=SupervisionLetter,
            idempotency=services.Idempotency(
                key=data["submission_key"],
                scope=f"petitions.page.letter:{user.pk}",
                body_hash=body_fingerprint(form.fingerprint_body()),
            ),
            create=create,
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            exc = ValidationFailed("该表单已提交过，内容不同，请刷新页面后重新填写")
        put_field_errors(form, exc)
        context = base_context(request, "letters", form=form, error=exc)
        return render(request, "petitions/letters/new.html", context, status=exc.status_code)
    if not created:
        messages.info(request, "该表单已提交过，督办函已保存")
    elif letter.status == LetterStatus.SENT:
        messages.success(request, f"督办函{letter.number}已发出")
    else:
        messages.success(request, "督办函草稿已保存，核对后发出")
    return redirect("petitions:letter_detail", pk=letter.pk)


def render_letter(
    request: HttpRequest,
    user: User,
    letter: SupervisionLetter,
    *,
    reply_form: LetterReplyForm | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    today = selectors.clock_today()
    may_send = letter.status == LetterStatus.DRAFT and can_send_letters(user, letter.issuing_office)
    may_reply = letter.status == LetterStatus.SENT and can_reply_letter(user, letter)
    matters = list(selectors.letter_matters(user=user, letter=letter))
    context = base_context(
        request,
        "letters",
        letter=letter,
        matters=matters,
        hidden_matters=letter.matters.count() - len(matters),
        overdue=letter.status == LetterStatus.SENT and letter.due_on < today,
        due_text=chinese_date(letter.due_on),
        send_form=LetterSendForm(initial={"expected_status": letter.status}) if may_send else None,
        reply_form=reply_form or (LetterReplyForm() if may_reply else None),
        events=selectors.supervision_timeline(letter),
        error=error,
    )
    return render(request, "petitions/letters/detail.html", context, status=status)


@login_required
@require_GET
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    letter = selectors.letter_get(user=user, pk=pk)  # 404 outside the scope
    return render_letter(request, user, letter)


@login_required
@require_POST
def letter_send(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    letter = selectors.letter_get(user=user, pk=pk)
    form = LetterSendForm(request.POST)
    if not form.is_valid() or form.cleaned_data["expected_status"] != letter.status:
        error = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_letter(request, user, letter, error=error, status=422)
    try:
        sent = services.letter_send(actor=user, letter=letter)
    except ApplicationError as exc:
        fresh = selectors.letter_get(user=user, pk=pk)
        return render_letter(request, user, fresh, error=exc, status=exc.status_code)
    messages.success(request, f"督办函{sent.number}已发出")
    return redirect("petitions:letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    letter = selectors.letter_get(user=user, pk=pk)
    form = LetterReplyForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("答复信息有误，请检查标注的项目")
        return render_letter(request, user, letter, reply_form=form, error=error, status=422)
    try:
        services.letter_reply(
            actor=user,
            letter=letter,
            reply_text=form.cleaned_data["reply_text"],
            replied_on=form.cleaned_data.get("replied_on"),
        )
    except ApplicationError as exc:
        put_field_errors(form, exc)
        fresh = selectors.letter_get(user=user, pk=pk)
        return render_letter(
            request, user, fresh, reply_form=form, error=exc, status=exc.status_code
        )
    messages.success(request, f"已答复督办函{letter.number}")
    return redirect("petitions:letter_detail", pk=letter.pk)
