"""The transition maps of the fees app (docs/subsystems/fees.md, "States").

Each entity's ``status`` is assigned in one helper that checks its map and writes the event in
the caller's transaction: ``services.common.notice_status_set`` (a fee notice),
``order_status_set`` (a payment order), ``refund_status_set`` (a refund) and
``relief_status_set`` (a relief application). tests/test_status_writes.py holds every module
to that.
"""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.fees.choices import NoticeStatus as N
from youjie.fees.choices import OrderStatus, RefundStatus, ReliefStatus

NOTICE_TRANSITIONS = TransitionMap.build(
    "缴费通知书",
    {
        # Issued: paid (online or at the counter), overdue once its 7 日 pass unpaid without a
        # relief under review (Art. 22), cancelled by the court, or relieved (免交, Art. 45).
        N.ISSUED: [N.PAID, N.OVERDUE, N.CANCELLED, N.RELIEVED],
        # Money that arrives after the deadline is recorded all the same (it is refunded if the
        # filing was treated as withdrawn); the court may also cancel the notice.
        N.OVERDUE: [N.PAID, N.CANCELLED],
        # Refunds of a paid notice are tracked on their own (partial refunds included).
        N.PAID: [],
        N.CANCELLED: [],
        N.RELIEVED: [],
    },
    dict(N.choices),
)

ORDER_TRANSITIONS = TransitionMap.build(
    "支付订单",
    {
        OrderStatus.CREATED: [OrderStatus.PAID, OrderStatus.CLOSED],
        OrderStatus.PAID: [],
        OrderStatus.CLOSED: [],
    },
    dict(OrderStatus.choices),
)

REFUND_TRANSITIONS = TransitionMap.build(
    "退费",
    {
        RefundStatus.REQUESTED: [RefundStatus.SUCCEEDED, RefundStatus.FAILED],
        RefundStatus.SUCCEEDED: [],
        RefundStatus.FAILED: [],
    },
    dict(RefundStatus.choices),
)

RELIEF_TRANSITIONS = TransitionMap.build(
    "诉讼费救助申请",
    {
        ReliefStatus.PENDING: [ReliefStatus.GRANTED, ReliefStatus.REFUSED],
        ReliefStatus.GRANTED: [],
        ReliefStatus.REFUSED: [],
    },
    dict(ReliefStatus.choices),
)
