"""Attachments of a request (letters scanned at reception, photos and documents from the portal).

Each file is checked before anything is written: a size limit (``YOUJIE_MAX_UPLOAD_BYTES``),
at most ``MAX_PER_REQUEST`` files a request, and a type check on the file's first bytes as well as
its extension (PDF, JPEG, PNG) — a renamed executable is refused. The SHA-256 of the content is
kept so that a file can be shown to be the one received.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.desk.choices import ENDED_STATUSES
from youjie.desk.models import Attachment, ServiceRequest
from youjie.desk.permissions import can_act_on
from youjie.orgs.models import User

MAX_PER_REQUEST = 5
NAME_MAX = 100
# extension → (content type, the file's leading bytes)
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


def _max_bytes() -> int:
    return int(getattr(settings, "YOUJIE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def _check_upload(uploaded: UploadedFile) -> tuple[str, str]:
    """(safe original name, content type) of an acceptable file, or ValidationFailed."""
    name = PurePath(str(uploaded.name or "")).name.strip()[:NAME_MAX] or "附件"
    extension = PurePath(name).suffix.lower()
    limit = _max_bytes()
    if uploaded.size is None or uploaded.size == 0:
        raise ValidationFailed("附件为空", fields={"attachment": ["文件为空"]})
    if uploaded.size > limit:
        raise ValidationFailed(
            f"附件不能超过 {limit // (1024 * 1024)} MB",
            code="attachment_too_large",
            fields={"attachment": [f"文件过大（上限 {limit // (1024 * 1024)} MB）"]},
        )
    if extension not in ALLOWED_TYPES:
        raise ValidationFailed(
            "只接受 PDF、JPG、PNG 格式的附件",
            code="attachment_type",
            fields={"attachment": ["文件类型不支持"]},
        )
    content_type, magic = ALLOWED_TYPES[extension]
    uploaded.seek(0)
    head = uploaded.read(len(magic))
    uploaded.seek(0)
    if head != magic:
        raise ValidationFailed(
            "附件内容与扩展名不符", code="attachment_type", fields={"attachment": ["文件内容无效"]}
        )
    return name, content_type


def attachment_add(
    *,
    actor: User,
    service_request: ServiceRequest,
    uploaded: UploadedFile,
    check_permission: bool = True,
) -> Attachment:
    """Store one file on a request. Must be called with the request visible to ``actor``."""
    name, content_type = _check_upload(uploaded)
    if check_permission and not can_act_on(actor, service_request):
        raise PermissionDenied()
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update(of=("self",)).get(pk=service_request.pk)
        # The request page offers no upload once a request has ended; the rule holds here too.
        if locked.status in ENDED_STATUSES:
            raise InvalidTransition(
                f"该诉求当前状态为“{locked.get_status_display()}”，已结束，不能再上传附件",
                fields={"attachment": ["诉求已结束"]},
            )
        if Attachment.objects.filter(service_request=locked).count() >= MAX_PER_REQUEST:
            raise ValidationFailed(
                f"每件诉求最多 {MAX_PER_REQUEST} 个附件",
                code="too_many_attachments",
                fields={"attachment": ["附件数量已达上限"]},
            )
        attachment = Attachment(
            service_request=locked,
            original_name=name,
            content_type=content_type,
            size=int(uploaded.size or 0),
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        stored_name = f"{digest.hexdigest()[:16]}{PurePath(name).suffix.lower()}"
        # The file is written before the commit; a rollback leaves an unreferenced file behind
        # (content-addressed, harmless), never a row without its file.
        attachment.file.save(stored_name, uploaded, save=False)
        attachment.save()
        event_record(
            subject=locked,
            verb="attachment_added",
            actor=actor,
            data={"name": name, "size": attachment.size, "sha256": attachment.sha256},
        )
    return attachment
