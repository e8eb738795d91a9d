"""Daily bulletin pages (每日一通报): the list, one day's bulletin as issued (its figures by
region and by unit, with its .docx), and issuing a day's bulletin by hand (the city office;
the periodic task issues it at the set time)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied
from youjie.core.pagination import paginate
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.forms import BulletinGenerateForm
from youjie.petitions.permissions import can_issue_bulletin
from youjie.petitions.services.bulletins import bulletin_office
from youjie.petitions.views.common import PAGE_SIZE, base_context, petitions_user


def may_issue(user: User) -> bool:
    try:
        office = bulletin_office()
    except ApplicationError:  # misconfigured: nobody issues by hand (the check says why)
        return False
    return can_issue_bulletin(user, office)


@login_required
@require_GET
def bulletin_list(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    page = paginate(
        selectors.bulletin_list(user=user), page=request.GET.get("page"), size=PAGE_SIZE
    )
    issuer = may_issue(user)
    context = base_context(
        request,
        "bulletins",
        page=page,
        generate_form=BulletinGenerateForm() if issuer else None,
        today=selectors.clock_today(),
    )
    return render(request, "petitions/bulletins/list.html", context)


@login_required
@require_GET
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    bulletin = selectors.bulletin_get(user=user, pk=pk)  # 404 outside the scope
    figures = bulletin.figures if isinstance(bulletin.figures, dict) else {}
    context = base_context(
        request,
        "bulletins",
        bulletin=bulletin,
        totals=figures.get("totals", {}),
        regions=figures.get("regions", []),
        units=figures.get("units", []),
        as_of=figures.get("as_of", ""),
        events=selectors.supervision_timeline(bulletin),
    )
    return render(request, "petitions/bulletins/detail.html", context)


@login_required
@require_POST
def bulletin_generate(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    if not may_issue(user):
        raise PermissionDenied("只有市专项办干部可以生成每日通报")
    form = BulletinGenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("petitions:bulletin_list")
    day = form.cleaned_data.get("day")
    existed = selectors.bulletin_of_day(day or selectors.clock_today()) is not None
    try:
        bulletin = services.bulletin_issue(actor=user, day=day)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("petitions:bulletin_list")
    if existed:
        messages.info(request, f"{bulletin.day:%Y-%m-%d}的通报已印发，按原样保留")
    else:
        messages.success(request, f"已印发通报{bulletin.number}")
    return redirect("petitions:bulletin_detail", pk=bulletin.pk)
