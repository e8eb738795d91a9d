"""Writes of the fees app (fee notices, payments, refunds, relief, reconciliation). Public
functions take keyword arguments only, are named ``<entity>_<verb>``, check their input before
writing (a Chinese message naming each bad field, nothing written), run in one transaction with
their timeline events (the notice's and the court case's), and call the payment provider
outside any transaction. A status changes only in the four helpers of ``common``.

Callers write ``from youjie.fees import services`` and ``services.notice_issue(...)``. Reads are
in ``youjie.fees.selectors``.
"""

from youjie.core.idempotency import Idempotency, run_once
from youjie.fees.services.common import (
    local_date,
    notice_token,
    pay_path,
    public_link,
    today,
)
from youjie.fees.services.notices import (
    NoticeInput,
    fee_notice_mark_overdue,
    fee_notices_mark_overdue,
    notice_cancel,
    notice_due_on,
    notice_issue,
    notice_preview,
)
from youjie.fees.services.payments import (
    NotificationResult,
    counter_payment_confirm,
    orders_close_open,
    payment_notification_receive,
    payment_order_create,
    payment_order_refresh,
)
from youjie.fees.services.reconciliation import (
    reconcile,
    reconciliation_create,
    statement_parse,
)
from youjie.fees.services.refunds import (
    refund_due_on,
    refund_refresh,
    refund_request,
    refundable,
)
from youjie.fees.services.relief import relief_apply, relief_decide

__all__ = [
    "Idempotency",
    "NoticeInput",
    "NotificationResult",
    "counter_payment_confirm",
    "fee_notice_mark_overdue",
    "fee_notices_mark_overdue",
    "local_date",
    "notice_cancel",
    "notice_due_on",
    "notice_issue",
    "notice_preview",
    "notice_token",
    "orders_close_open",
    "pay_path",
    "payment_notification_receive",
    "payment_order_create",
    "payment_order_refresh",
    "public_link",
    "reconcile",
    "reconciliation_create",
    "refund_due_on",
    "refund_refresh",
    "refund_request",
    "refundable",
    "relief_apply",
    "relief_decide",
    "run_once",
    "statement_parse",
    "today",
]
