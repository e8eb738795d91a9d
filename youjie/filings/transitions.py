"""The filing's transition map: the one place that says which state may follow which.

``services.filing_status_set`` assigns ``Filing.status`` through it and writes the event.
"""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.filings.choices import FilingStatus as S

FILING_TRANSITIONS = TransitionMap.build(
    "立案申请",
    {
        # At the receiving court of a cross-domain filing: form check, then forward.
        S.RECEIVED: [S.REVIEW, S.SUPPLEMENT, S.WITHDRAWN],
        # At the competent court: decide within 7 days (民事诉讼法 Art. 126), or ask for all
        # that is missing at once (一次告知), or delegate to pre-litigation mediation.
        S.REVIEW: [S.ACCEPTED, S.REFUSED, S.SUPPLEMENT, S.MEDIATION, S.WITHDRAWN],
        # The supplement goes back to whichever court asked for it.
        S.SUPPLEMENT: [S.RECEIVED, S.REVIEW, S.WITHDRAWN],
        # Mediation fails: back to review with nothing retyped; agreement: settled.
        S.MEDIATION: [S.REVIEW, S.SETTLED, S.WITHDRAWN],
        # Accepted, the acceptance fee unpaid by the deadline without relief (登记立案规定 11).
        S.ACCEPTED: [S.TREATED_WITHDRAWN],
        S.REFUSED: [],
        S.WITHDRAWN: [],
        S.TREATED_WITHDRAWN: [],
        S.SETTLED: [],
    },
    dict(S.choices),
)

OPEN_STATUSES = frozenset({S.RECEIVED, S.REVIEW, S.SUPPLEMENT, S.MEDIATION})
