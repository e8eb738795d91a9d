"""Recording sensitive reads (full ID numbers, full phone numbers, exports)."""

from __future__ import annotations

from django.db import models

from youjie.core.models import AuditEntry
from youjie.core.requestcontext import current_ip, current_request_id
from youjie.core.timeline import subject_key
from youjie.core.viewers import StaffUser


def audit_record(
    *,
    actor: StaffUser,
    action: str,
    subject: models.Model,
    fields: list[str] | None = None,
    purpose: str = "",
) -> AuditEntry:
    subject_type, subject_id = subject_key(subject)
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor.is_authenticated else None,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        fields=fields or [],
        purpose=purpose[:200],
        ip_address=current_ip(),
        request_id=current_request_id(),
    )
