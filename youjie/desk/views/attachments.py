"""Attachments on the request page: upload (multipart) and scoped download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from youjie.core.errors import ApplicationError
from youjie.desk import selectors, services
from youjie.desk.models import Attachment
from youjie.desk.views.common import staff_user
from youjie.desk.views.detail import render_detail


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    uploaded = request.FILES.get("attachment")
    if uploaded is None:
        messages.error(request, "请选择要上传的文件")
        return redirect("desk:detail", pk=pk)
    try:
        attachment = services.attachment_add(
            actor=user, service_request=service_request, uploaded=uploaded
        )
    except ApplicationError as exc:
        return render_detail(request, user, service_request, error=exc, status=exc.status_code)
    messages.success(request, f"已上传附件：{attachment.original_name}")
    return redirect("desk:detail", pk=pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    user = staff_user(request)
    service_request = selectors.service_request_get(user=user, pk=pk)  # 404 outside scope
    attachment = Attachment.objects.filter(
        pk=attachment_pk, service_request=service_request
    ).first()
    if attachment is None:
        raise Http404("附件不存在")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
