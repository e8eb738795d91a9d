"""Reads: the documents issued about a subject, and one document for a user who may see it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from youjie.core.audit import audit_record
from youjie.core.errors import NotFound
from youjie.core.viewers import Viewer
from youjie.documents.models import IssuedDocument
from youjie.documents.permissions import may_see_issued_document
from youjie.orgs.models import User

NOT_FOUND = "公文不存在或无权查看"


def issued_documents_for(subject: models.Model) -> models.QuerySet[IssuedDocument]:
    """The documents issued about ``subject``, newest first. Not scoped: the caller has already
    fetched ``subject`` for its user, and documents are seen through their subject."""
    return (
        IssuedDocument.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=str(subject.pk),
        )
        .select_related("issued_by")
        .order_by("-issued_at", "-id")
    )


def issued_document_subject(document: IssuedDocument) -> models.Model | None:
    """What ``document`` was issued about (None: no subject, or it no longer exists)."""
    if document.subject_type_id is None:
        return None
    model = document.subject_type.model_class() if document.subject_type else None
    if model is None:
        return None
    try:
        return model._default_manager.get(pk=document.subject_id)
    except (ObjectDoesNotExist, ValueError, TypeError):
        return None


def issued_document_get(*, user: Viewer, pk: int) -> IssuedDocument:
    """The document if ``user`` may see its subject (or issued it, when it has none), else
    NotFound — the same answer whether it does not exist or may not be seen."""
    document = (
        IssuedDocument.objects.select_related("subject_type", "issued_by").filter(pk=pk).first()
    )
    if document is None:
        raise NotFound(NOT_FOUND)
    subject = issued_document_subject(document)
    if not may_see_issued_document(
        user,
        issued_by_id=document.issued_by_id,
        subject=subject,
        has_subject=document.subject_type_id is not None,
    ):
        raise NotFound(NOT_FOUND)
    return document


def issued_document_download(*, user: User, pk: int) -> IssuedDocument:
    """The document to send to ``user``, each download recorded in the audit log."""
    document = issued_document_get(user=user, pk=pk)
    if not document.file or not document.file.storage.exists(document.file.name):
        raise NotFound("公文文件已不存在，请联系系统管理员")
    audit_record(
        actor=user,
        action="document_download",
        subject=document,
        purpose=f"下载公文 {document.number}"[:200],
    )
    return document
