"""What every filing service shares: the one helper that moves a filing's status."""

from __future__ import annotations

from typing import Any

from youjie.core.timeline import event_record
from youjie.filings.models import Filing
from youjie.filings.transitions import FILING_TRANSITIONS
from youjie.orgs.models import User


def filing_status_set(
    *,
    filing: Filing,
    to_status: str,
    actor: User | str,
    verb: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """The only place that changes a filing's ``status``: checks FILING_TRANSITIONS, saves the
    status (with ``update_fields``) and writes the event, in the caller's transaction.

    Other apps move a filing through it too: mediation sends a failed mediation back to review
    (``verb="mediation_failed"``) and a settled one to ``settled``; the fee sweep treats an
    accepted filing whose acceptance fee went unpaid as withdrawn.
    """
    source = filing.status
    FILING_TRANSITIONS.check(source, to_status)
    filing.status = to_status
    filing.save(update_fields=sorted({"status", "updated_at", *(update_fields or [])}))
    event_record(
        subject=filing,
        verb=verb,
        actor=actor,
        from_state=source,
        to_state=to_status,
        reason=reason,
        data=data,
    )
