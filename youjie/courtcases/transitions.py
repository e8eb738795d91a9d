"""The hearings' transition map: the one place that says which state may follow which.

``hearings.hearing_status_set`` assigns ``Hearing.status`` through it and writes the event on
the court case's timeline. (The case import keeps its own map beside its service,
``services.IMPORT_TRANSITIONS``.)
"""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.courtcases.choices import HearingStatus as S

HEARING_TRANSITIONS = TransitionMap.build(
    "庭审",
    {
        # Held once it has begun; postponed with a reason (the new date is a new hearing linked
        # to this one); cancelled with a reason.
        S.SCHEDULED: [S.HELD, S.POSTPONED, S.CANCELLED],
        S.HELD: [],
        S.POSTPONED: [],
        S.CANCELLED: [],
    },
    dict(S.choices),
)
