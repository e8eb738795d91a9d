"""Campaign pages (百日攻坚, 回头看): the list, the campaign with its progress by region and unit
and its burn-down chart, creating one (the city office), taking matters on, starting and
closing it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from youjie.core.errors import ApplicationError, PermissionDenied, ValidationFailed
from youjie.core.idempotency import body_fingerprint
from youjie.core.pagination import paginate
from youjie.orgs.models import User
from youjie.petitions import selectors, services
from youjie.petitions.choices import CampaignStatus
from youjie.petitions.forms import (
    CampaignActionForm,
    CampaignAddMattersForm,
    CampaignCreateForm,
    CampaignFilterForm,
)
from youjie.petitions.models import Campaign
from youjie.petitions.permissions import can_manage_campaign, may_create_campaigns
from youjie.petitions.snapshots import chart_data
from youjie.petitions.views.common import (
    PAGE_SIZE,
    base_context,
    petitions_user,
    put_field_errors,
)

STALE_MESSAGE = "该专项行动已被他人处理，页面内容已过期，请刷新后重试"


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    form = CampaignFilterForm(request.GET)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = paginate(
        selectors.campaign_list(user=user, status=status),
        page=request.GET.get("page"),
        size=PAGE_SIZE,
    )
    context = base_context(
        request, "campaigns", form=form, page=page, may_create=may_create_campaigns(user)
    )
    return render(request, "petitions/campaign_list.html", context)


def render_campaign(
    request: HttpRequest,
    user: User,
    campaign: Campaign,
    *,
    add_form: CampaignAddMattersForm | None = None,
    error: ApplicationError | None = None,
    status: int = 200,
) -> HttpResponse:
    manage = can_manage_campaign(user, campaign)
    open_campaign = campaign.status != CampaignStatus.CLOSED
    rows = selectors.campaign_matter_list(user=user, campaign=campaign)
    page = paginate(rows, page=request.GET.get("page"), size=PAGE_SIZE)
    matter_rows = selectors.matter_rows([row.matter for row in page.items])
    progress = selectors.campaign_progress(user=user, campaign=campaign)
    by_region = progress.by_region
    context = base_context(
        request,
        "campaigns",
        campaign=campaign,
        figures=selectors.figures_sum(by_region),
        by_region=by_region,
        by_unit=progress.by_unit,
        chart=chart_data(campaign, user, by_region),
        page=page,
        rows=list(zip(page.items, matter_rows, strict=True)),
        add_form=add_form
        if add_form is not None
        else (CampaignAddMattersForm() if manage and open_campaign else None),
        can_start=manage and campaign.status == CampaignStatus.DRAFT,
        can_close=manage and open_campaign,
        action_form=CampaignActionForm(campaign=campaign) if manage and open_campaign else None,
        list_url=reverse("petitions:list"),
        error=error,
    )
    return render(request, "petitions/campaign_detail.html", context, status=status)


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = petitions_user(request)
    campaign = selectors.campaign_get(user=user, pk=pk)  # 404 outside the scope
    return render_campaign(request, user, campaign)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = petitions_user(request)
    if not may_create_campaigns(user):
        raise PermissionDenied("只有市专项办可以发起专项行动")
    if request.method != "POST":
        context = base_context(request, "campaigns", form=CampaignCreateForm())
        return render(request, "petitions/campaign_new.html", context)
    form = CampaignCreateForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("专项行动信息有误，请检查标注的项目")
        context = base_context(request, "campaigns", form=form, error=error)
        return render(request, "petitions/campaign_new.html", context, status=422)
    data = form.cleaned_data
    office = user.org_unit
    try:
        if office is None:
            raise ValidationFailed("您未分配机构，无法确定牵头专项办")
        campaign, created = services.campaign_register(
            actor=user,
            name=data["name"],
            kind=data["kind"],
            issuing_office=office,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            goals=data.get("goals") or "",
            follow_up_days=data["follow_up_days"],
            idempotency=services.Idempotency(
                key=data["submission_key"],
                scope=f"petitions.page.campaign:{user.pk}",
                body_hash=body_fingerprint(form.fingerprint_body()),
            ),
        )
    except ApplicationError as exc:
        if exc.code == "idempotency_key_reused":
            exc = ValidationFailed("该表单已提交过，内容不同，请刷新页面后重新填写")
        put_field_errors(form, exc)
        context = base_context(request, "campaigns", form=form, error=exc)
        return render(request, "petitions/campaign_new.html", context, status=exc.status_code)
    messages.success(
        request, f"已创建专项行动“{campaign.name}”" if created else "该表单已提交过，专项行动已创建"
    )
    return redirect("petitions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_add_matters(request: HttpRequest, pk: int) -> HttpResponse:
    """Take matters on by number; the service refuses, naming each matter, one without a lead
    official or a responsible unit, one terminated, one already in the campaign."""
    user = petitions_user(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    if not can_manage_campaign(user, campaign):
        error: ApplicationError = PermissionDenied("只有牵头专项办可以纳入事项")
        return render_campaign(request, user, campaign, error=error, status=403)
    form = CampaignAddMattersForm(request.POST)
    if not form.is_valid():
        error = ValidationFailed("请检查填写的事项编号")
        return render_campaign(request, user, campaign, add_form=form, error=error, status=422)
    numbers = form.numbers_list()
    found = selectors.matters_by_numbers(user=user, numbers=numbers)
    unknown = [number for number in numbers if number not in found]
    try:
        if unknown:
            problems = [f"{number}不存在或无权查看" for number in unknown]
            raise ValidationFailed("；".join(problems[:5]), fields={"numbers": problems})
        added = services.campaign_add_matters(
            actor=user, campaign=campaign, matters=[found[number] for number in numbers]
        )
    except ApplicationError as exc:
        form.add_error("numbers", exc.message)
        return render_campaign(
            request, user, campaign, add_form=form, error=exc, status=exc.status_code
        )
    messages.success(request, f"已纳入{len(added)}件事项")
    return redirect("petitions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """启动 (draft → active) or 结束 (→ closed)."""
    if action not in ("start", "close"):
        raise Http404("未知的操作")
    user = petitions_user(request)
    campaign = selectors.campaign_get(user=user, pk=pk)
    form = CampaignActionForm(request.POST, campaign=campaign)
    if not form.is_valid():
        error = ValidationFailed("；".join(str(m) for ms in form.errors.values() for m in ms))
        return render_campaign(request, user, campaign, error=error, status=422)
    if form.cleaned_data["expected_status"] != campaign.status:
        error = ValidationFailed(STALE_MESSAGE, code="stale")
        return render_campaign(request, user, campaign, error=error, status=422)
    try:
        if action == "start":
            services.campaign_start(actor=user, campaign=campaign)
            message = "专项行动已启动"
        else:
            services.campaign_close(
                actor=user, campaign=campaign, reason=form.cleaned_data.get("reason") or ""
            )
            message = "专项行动已结束"
    except ApplicationError as exc:
        fresh = selectors.campaign_get(user=user, pk=pk)
        return render_campaign(request, user, fresh, error=exc, status=exc.status_code)
    messages.success(request, message)
    return redirect("petitions:campaign_detail", pk=campaign.pk)
