"""Writes of the mediation app (诉前调解). Public functions take keyword arguments only, are
named ``<entity>_<verb>``, check their input before writing (a Chinese message naming each bad
field, nothing written), run in one transaction and write their timeline events there. A
status changes only in the three helpers of ``common`` (one per entity); a filing's only
through ``youjie.filings.services.common.filing_status_set``.

Callers write ``from youjie.mediation import services`` and ``services.mediation_fail(...)``.
Reads are in ``youjie.mediation.selectors``.
"""

from youjie.core.idempotency import Idempotency, run_once
from youjie.mediation.services.confirmations import (
    confirmation_accept,
    confirmation_apply,
    confirmation_decide,
    confirmation_extend,
)
from youjie.mediation.services.mediations import (
    mediation_accept,
    mediation_agree,
    mediation_close,
    mediation_delegate,
    mediation_extend,
    mediation_fail,
    mediation_withdraw,
)
from youjie.mediation.services.sessions import (
    session_record,
    session_reminders_send,
    session_schedule,
)

__all__ = [
    "Idempotency",
    "confirmation_accept",
    "confirmation_apply",
    "confirmation_decide",
    "confirmation_extend",
    "mediation_accept",
    "mediation_agree",
    "mediation_close",
    "mediation_delegate",
    "mediation_extend",
    "mediation_fail",
    "mediation_withdraw",
    "run_once",
    "session_record",
    "session_reminders_send",
    "session_schedule",
]
