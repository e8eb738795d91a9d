"""事项类型 and their 一次告知 checklists: the list, publishing a version, the printable page."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.desk import selectors, services
from youjie.desk.forms import ChecklistForm
from youjie.desk.models import ChecklistVersion, MatterType
from youjie.desk.permissions import can_manage_matter_types
from youjie.desk.views.common import (
    can_view_matter_types,
    court_of,
    put_field_errors,
    staff_user,
)

VERSION_MAX = 10_000


def _matter_type(code: str) -> MatterType:
    # Matter types are configuration shared by the whole deployment, not scoped records.
    matter_type = MatterType.objects.filter(code=code[:32]).first()
    if matter_type is None:
        raise NotFound("事项类型不存在")
    return matter_type


@login_required
@require_GET
def matter_types(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_view_matter_types(user):
        raise PermissionDenied("只有诉讼服务工作人员和系统管理员可以查看事项类型")
    rows = MatterType.objects.select_related("default_division").annotate(
        current_version=Max("checklists__version")
    )
    context = {"active": "matter_types", "rows": rows, "can_manage": can_manage_matter_types(user)}
    return render(request, "desk/matter_types.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = staff_user(request)
    if not can_manage_matter_types(user):
        raise PermissionDenied("只有系统管理员可以修改一次告知清单")
    matter_type = _matter_type(code)
    current = selectors.current_checklist(matter_type=matter_type)
    initial = (
        {name: getattr(current, name) for name in ChecklistForm.base_fields} if current else {}
    )
    form = ChecklistForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.checklist_publish(
                actor=user, matter_type=matter_type, **form.cleaned_data
            )
        except ValidationFailed as exc:
            put_field_errors(form, exc)
        else:
            messages.success(
                request, f"已发布“{matter_type.name}”一次告知清单第{version.version}版"
            )
            return redirect("desk:matter_types")
    context = {
        "active": "matter_types",
        "matter_type": matter_type,
        "current": current,
        "form": form,
    }
    return render(
        request, "desk/checklist_edit.html", context, status=422 if form.is_bound else 200
    )


@login_required
@require_GET
def checklist_print(request: HttpRequest, code: str) -> HttpResponse:
    """The checklist as handed over at the counter: ``?v=N`` prints an earlier version."""
    matter_type = _matter_type(code)
    requested = request.GET.get("v", "")
    if requested:
        # ASCII digits, at most five: "²".isdigit() is true, and int() refuses 4,300+ digits.
        if not re.fullmatch(r"[0-9]{1,5}", requested) or not 0 < int(requested) < VERSION_MAX:
            raise NotFound("清单版本不存在")
        checklist = ChecklistVersion.objects.filter(
            matter_type=matter_type, version=int(requested)
        ).first()
    else:
        checklist = selectors.current_checklist(matter_type=matter_type)
    if checklist is None:
        raise NotFound("该事项类型尚未发布一次告知清单")
    versions = list(
        ChecklistVersion.objects.filter(matter_type=matter_type).values_list("version", flat=True)
    )
    context = {
        "matter_type": matter_type,
        "checklist": checklist,
        "versions": versions,
        "court": court_of(staff_user(request)),
    }
    return render(request, "desk/checklist_print.html", context)
