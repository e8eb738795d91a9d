"""The stand-in's daily statement: WeChat Pay's 交易账单 (bill_type ALL) as CSV — a header row,
one row per payment (交易状态 SUCCESS) or refund (REFUND) with every field after a backtick, then
the totals' header and row — the format youjie/fees/services/reconciliation.py reads."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from youjie.fees.standin.records import Order, RefundRecord

SHANGHAI = ZoneInfo("Asia/Shanghai")
BILL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
BILL_TOTALS = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def statement_csv(*, orders: list[Order], refunds: list[RefundRecord], day: date) -> str:
    """The 交易账单 (bill_type ALL) of ``day`` in WeChat Pay's CSV: every field after a backtick,
    the payments and refunds of the day, then the totals."""
    rows: list[list[str]] = []
    total_paid = total_refunded = 0
    by_number = {order.out_trade_no: order for order in orders}
    for order in by_number.values():
        if not order.success_time:
            continue
        moment = datetime.fromisoformat(order.success_time)
        if moment.date() != day:
            continue
        total_paid += order.total
        rows.append(
            [
                f"{moment:%Y-%m-%d %H:%M:%S}", order.appid, order.mchid, "0", "",
                order.transaction_id, order.out_trade_no, "o" + order.transaction_id[-27:],
                "NATIVE", "SUCCESS", "OTHERS", "CNY", _yuan(order.total), "0.00", "0", "0",
                "0.00", "0.00", "", "", order.description, "", "0.00000", "0.60%",
                _yuan(order.total), "0.00", "",
            ]
        )  # fmt: skip
    for refund in refunds:
        if refund.created_at.astimezone(SHANGHAI).date() != day:
            continue
        total_refunded += refund.refund
        order = by_number[refund.out_trade_no]
        rows.append(
            [
                f"{refund.created_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}", order.appid,
                order.mchid, "0", "", refund.transaction_id, refund.out_trade_no,
                "o" + refund.transaction_id[-27:], "NATIVE", "REFUND", "OTHERS", "CNY",
                "0.00", "0.00", refund.refund_id, refund.out_refund_no, _yuan(refund.refund),
                "0.00", "ORIGINAL", "SUCCESS", order.description, "", "0.00000", "0.60%",
                "0.00", _yuan(refund.refund), "",
            ]
        )  # fmt: skip
    lines = [BILL_HEADER]
    lines += [",".join(f"`{value}" for value in row) for row in rows]
    lines.append(BILL_TOTALS)
    totals = [str(len(rows)), _yuan(total_paid), _yuan(total_refunded), "0.00", "0.00000",
              _yuan(total_paid), _yuan(total_refunded)]  # fmt: skip
    lines.append(",".join(f"`{value}" for value in totals))
    return "\r\n".join(lines) + "\r\n"
