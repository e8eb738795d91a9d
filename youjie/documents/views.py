"""The download of an issued document: to those who may see its subject, audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET

from youjie.core.errors import NotFound
from youjie.documents import selectors
from youjie.orgs.models import User


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    if not isinstance(user, User):  # login_required let only a signed-in account through
        raise NotFound(selectors.NOT_FOUND)
    document = selectors.issued_document_download(user=user, pk=pk)  # 404 unless permitted
    # FileResponse names the file in Content-Disposition as RFC 6266/5987 say:
    # filename*=utf-8''%E5%8C%85… for a Chinese name.
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
