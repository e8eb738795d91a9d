"""Issuing a document: render it, hash it, store it and record it, in one transaction."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction

from youjie.core.errors import ValidationFailed
from youjie.core.timeline import event_record
from youjie.documents.choices import DocumentKind
from youjie.documents.models import DOCX_CONTENT_TYPE, IssuedDocument
from youjie.documents.official import OfficialDocument
from youjie.orgs.models import User

INPUTS_MAX_BYTES = 20_000
FILE_NAME_MAX = 120
# Characters no file system or browser takes in a file name, and controls.
_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def download_name(document: OfficialDocument) -> str:
    """The file name a download offers: 发文字号 and title, e.g. 包政法专督〔2026〕3号关于….docx."""
    stem = _UNSAFE_IN_NAME.sub("", f"{document.number}{document.title}".replace("\n", ""))
    return f"{stem.strip(' .')[: FILE_NAME_MAX - 5] or '公文'}.docx"


def _checked_inputs(inputs: dict[str, Any] | None) -> dict[str, Any]:
    """The identifiers of the data the document was made from, as JSON of bounded size."""
    if inputs is None:
        return {}
    if not isinstance(inputs, dict):
        raise ValidationFailed("生成依据应为键值对", code="document_inputs")
    try:
        encoded = json.dumps(inputs, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("生成依据只能包含文字、数字和列表", code="document_inputs") from exc
    if len(encoded.encode("utf-8")) > INPUTS_MAX_BYTES:
        raise ValidationFailed("生成依据过长", code="document_inputs")
    loaded: dict[str, Any] = json.loads(encoded)
    return loaded


def document_issue(
    *,
    actor: User,
    document: OfficialDocument,
    kind: str,
    subject: models.Model | None = None,
    inputs: dict[str, Any] | None = None,
) -> IssuedDocument:
    """Render ``document``, store the file (owner-only, under the media root) and record who
    issued what, when, about which ``subject`` and from which ``inputs``, with its SHA-256; the
    subject's timeline gets a "document_issued" event in the same transaction.

    Whoever calls this has checked that ``actor`` may issue the document; the number's
    uniqueness (a letter's sequence per office and year) is the caller's rule too."""
    if kind not in DocumentKind.values:
        raise ValidationFailed("文种无效", code="document_kind")
    if subject is not None and subject.pk is None:
        raise ValidationFailed("关联对象尚未保存", code="document_subject")
    recorded_inputs = _checked_inputs(inputs)
    # python-docx and lxml load on first use, not in every worker (issue 11, worker memory).
    from youjie.documents.gbt9704 import render_document

    content = render_document(document)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        issued = IssuedDocument(
            kind=kind,
            format=document.format,
            title=document.title.replace("\n", "")[:200],
            number=document.number,
            subject_type=(
                ContentType.objects.get_for_model(subject) if subject is not None else None
            ),
            subject_id=str(subject.pk) if subject is not None else "",
            inputs=recorded_inputs,
            issued_by=actor,
            file_name=download_name(document),
            content_type=DOCX_CONTENT_TYPE,
            size=len(content),
            sha256=digest,
        )
        # Content-addressed; written before the commit, so that a rollback leaves at most an
        # unreferenced file behind, never a row without its file (as desk attachments).
        issued.file.save(f"{digest[:24]}.docx", ContentFile(content), save=False)
        issued.save(force_insert=True)
        if subject is not None:
            event_record(
                subject=subject,
                verb="document_issued",
                actor=actor,
                data={
                    "document_id": issued.pk,
                    "kind": kind,
                    "number": issued.number,
                    "title": issued.title,
                    "sha256": digest,
                },
            )
    return issued
