"""The mediation app's transition maps: the one place per entity that says which state may
follow which. ``services.common`` assigns each ``status`` through them and writes the event."""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.mediation.choices import ConfirmationStatus as C
from youjie.mediation.choices import MediationStatus as M
from youjie.mediation.choices import SessionStatus as S

MEDIATION_TRANSITIONS = TransitionMap.build(
    "诉前调解",
    {
        # The mediator confirms acceptance (the 30-day clock starts), or declines / the parties
        # refuse (failure), or the party withdraws the filing.
        M.ASSIGNED: [M.ACCEPTED, M.FAILED, M.WITHDRAWN],
        M.ACCEPTED: [M.AGREED, M.FAILED, M.WITHDRAWN],
        # An agreement is closed by a judicial confirmation or a mediation document; when the
        # confirmation is refused (or never sought) the filing goes on to review.
        M.AGREED: [M.CLOSED_CONFIRMED, M.CLOSED_DOCUMENT, M.FAILED],
        M.CLOSED_CONFIRMED: [],
        M.CLOSED_DOCUMENT: [],
        M.FAILED: [],
        M.WITHDRAWN: [],
    },
    dict(M.choices),
)

SESSION_TRANSITIONS = TransitionMap.build(
    "调解会议",
    {S.SCHEDULED: [S.HELD, S.NOT_HELD], S.HELD: [], S.NOT_HELD: []},
    dict(S.choices),
)

CONFIRMATION_TRANSITIONS = TransitionMap.build(
    "司法确认",
    {
        C.APPLIED: [C.ACCEPTED, C.NOT_ACCEPTED],
        C.ACCEPTED: [C.CONFIRMED, C.REFUSED],
        C.NOT_ACCEPTED: [],
        C.CONFIRMED: [],
        C.REFUSED: [],
    },
    dict(C.choices),
)
