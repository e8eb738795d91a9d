"""What the filings services share besides the status helper: input checks that collect every
error before refusing, the 7-day decision clock, the attachment check, and texts to the
submitter through the outbox."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import File
from django.utils import timezone

from youjie.core.crypto import decrypt_text
from youjie.core.errors import ValidationFailed
from youjie.filings.models import Filing
from youjie.notifications.services import notification_enqueue
from youjie.notifications.sms import sms_signature
from youjie.orgs.models import OrgUnit
from youjie.workdays.calendar import SHANGHAI, statutory_deadline

Errors = dict[str, list[str]]

# 民事诉讼法 Art. 126, 登记立案规定 Art. 8: a filing the court cannot accept on the spot is
# decided within 7 days of receipt (civil and administrative); after a supplement, within 7 days
# of its arrival (民诉解释 Art. 208 ¶2).
DECISION_DAYS = 7
DECISION_ARTICLE = "7日内决定是否立案（民事诉讼法第一百二十六条，登记立案规定第八条）"
SUPPLEMENT_ARTICLE = "补正材料收到之日起7日内决定（民诉解释第二百零八条，登记立案规定第七条）"

FILE_NAME_MAX = 100
# extension → (content type, the file's leading bytes), as petitions' and the desk's uploads:
# a renamed executable, or a text saved as .png, is refused.
ALLOWED_TYPES: dict[str, tuple[str, bytes]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def clean_text(
    errors: Errors,
    field: str,
    label: str,
    value: str | None,
    *,
    max_length: int,
    required: bool = False,
    one_line: bool = False,
) -> str:
    """The trimmed text; errors for a NUL, a missing required value or one past its length."""
    text = (value or "").strip()
    if one_line:
        text = " ".join(text.split())
    if "\x00" in text:
        add_error(errors, field, f"{label}含有无效字符")
        return ""
    if required and not text:
        add_error(errors, field, f"请填写{label}")
    elif len(text) > max_length:
        add_error(errors, field, f"{label}不能超过{max_length}个字，当前为{len(text)}个字")
    return text


def raise_if_errors(errors: Errors, message: str) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"{message}：{first}", fields=errors)


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, SHANGHAI).date()


def today() -> date:
    return local_date(timezone.now())


def decision_due_from(received: datetime) -> date:
    """The last day to decide, counted from the day of receipt (the day itself not counted,
    a last day on a holiday moved to the next working day: 民事诉讼法 Art. 85)."""
    return statutory_deadline(local_date(received), DECISION_DAYS)


# --- attachments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "YOUJIE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def check_file(errors: Errors, field: str, uploaded: File[bytes]) -> CheckedFile | None:
    """The safe name, type and SHA-256 of an acceptable file (PDF, JPG, PNG by content as well
    as by extension, within the size limit); None after recording why it is refused."""
    raw_name = str(uploaded.name or "")
    if "\x00" in raw_name:
        add_error(errors, field, "文件名含有无效字符")
        return None
    name = PurePath(raw_name).name.strip()[:FILE_NAME_MAX] or "材料"
    extension = PurePath(name).suffix.lower()
    size = int(uploaded.size or 0)
    limit = max_upload_bytes()
    if size == 0:
        add_error(errors, field, f"文件“{name}”为空")
        return None
    if size > limit:
        add_error(errors, field, f"文件“{name}”超过 {max(1, limit // (1024 * 1024))} MB")
        return None
    if extension not in ALLOWED_TYPES:
        add_error(errors, field, f"文件“{name}”不是 PDF、JPG 或 PNG 格式")
        return None
    content_type, magic = ALLOWED_TYPES[extension]
    uploaded.seek(0)
    head = uploaded.read(len(magic))
    uploaded.seek(0)
    if head != magic:
        add_error(errors, field, f"文件“{name}”的内容与扩展名不符")
        return None
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(name=name, content_type=content_type, size=size, sha256=digest.hexdigest())


# --- texts to the submitter ------------------------------------------------------------------


def public_link(path: str) -> str:
    base = str(getattr(settings, "YOUJIE_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{path}"


def sms_to_submitter(*, filing: Filing, court: OrgUnit, text: str, key: str) -> None:
    """One SMS to the submitter's phone, signed by ``court``, through the outbox (sent after the
    caller's transaction commits; a repeated key is sent once)."""
    signature = sms_signature(name=court.name, short_name=court.short_name)
    notification_enqueue(
        channel="sms",
        recipient=decrypt_text(filing.submitter_phone_encrypted),
        body=f"{signature}{text}",
        template_key=f"filings.{key}",
        about=filing,
        dedupe_key=f"filings:{filing.number}:{key}",
    )
