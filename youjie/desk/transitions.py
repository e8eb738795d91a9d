"""The transition maps of the desk's entities (DESIGN.md "The desk request's life").

Each entity's ``status`` is assigned in one function, which checks this map:
``services.common.transition_apply`` (a request), ``services.workflow._clock_change_decided``
(a clock change), ``services.feedback._return_visit_done`` (a return visit).
tests/test_status_writes.py holds every module to that.
"""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.desk.choices import ApprovalStatus, ReturnVisitStatus
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

# A request to pause the clock or extend the deadline is decided once.
CLOCK_CHANGE_TRANSITIONS = TransitionMap.build(
    "计时变更",
    {
        ApprovalStatus.PENDING: [ApprovalStatus.APPROVED, ApprovalStatus.REJECTED],
        ApprovalStatus.APPROVED: [],
        ApprovalStatus.REJECTED: [],
    },
    dict(ApprovalStatus.choices),
)

# A queued return visit is made once.
RETURN_VISIT_TRANSITIONS = TransitionMap.build(
    "回访",
    {ReturnVisitStatus.PENDING: [ReturnVisitStatus.DONE], ReturnVisitStatus.DONE: []},
    dict(ReturnVisitStatus.choices),
)
