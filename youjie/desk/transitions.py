"""The one transition map of a service request (DESIGN.md "The desk request's life")."""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.desk.choices import RequestStatus as S

REQUEST_TRANSITIONS = TransitionMap.build(
    "诉求",
    {
        S.REGISTERED: [S.REPLIED, S.AWAITING_ACCEPTANCE, S.MERGED, S.WITHDRAWN],
        S.AWAITING_ACCEPTANCE: [S.IN_PROGRESS, S.REGISTERED, S.MERGED, S.WITHDRAWN],
        S.IN_PROGRESS: [S.REPLIED, S.AWAITING_ACCEPTANCE, S.PAUSED, S.MERGED, S.WITHDRAWN],
        S.PAUSED: [S.IN_PROGRESS],
        S.REPLIED: [S.CLOSED, S.IN_PROGRESS],
        S.CLOSED: [S.IN_PROGRESS],
        S.MERGED: [],
        S.WITHDRAWN: [],
    },
    dict(S.choices),
)
