"""Who sees which fee notices, and what hangs off them: the staff of the case's court.

A court's receptionists and leaders see its notices (the court's subtree), a division head
those of the cases of the division, a judge and a clerk those of the cases assigned to them.
Nobody else: not the city or county offices (their region reaches the court cases' figures,
never the fees), not mediators, not another court. Orders, refunds, relief applications and
counter payments follow their notice; a reconciliation belongs to its court.
"""

from __future__ import annotations

from youjie.fees.models import (
    CounterPayment,
    FeeNotice,
    PaymentNotification,
    PaymentOrder,
    Reconciliation,
    Refund,
    ReliefApplication,
    ReliefAttachment,
)
from youjie.orgs.scoping import ScopeRule, register_scope


def _notice_rule(prefix: str) -> ScopeRule:
    return ScopeRule(
        unit_fields=(f"{prefix}court", f"{prefix}court_case__division"),
        user_fields=(f"{prefix}court_case__judge", f"{prefix}court_case__clerk"),
    )


register_scope(FeeNotice, _notice_rule(""))
for _model in (PaymentOrder, CounterPayment, Refund, ReliefApplication):
    register_scope(_model, _notice_rule("notice__"))
register_scope(ReliefAttachment, _notice_rule("application__notice__"))
register_scope(PaymentNotification, _notice_rule("order__notice__"))
register_scope(Reconciliation, ScopeRule(unit_fields=("court",)))
