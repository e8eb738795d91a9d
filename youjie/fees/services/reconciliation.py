"""Reconciling a day's payments with the provider's daily statement (对账).

The statement is WeChat Pay's 交易账单 (bill_type ALL) as downloaded from the merchant platform
or the bill API: CSV, a header row, one row per payment (交易状态 SUCCESS) or refund (REFUND),
every field after a backtick (`` `value ``), then a totals header (总交易单数 …) and its row. It is
matched with the court's orders paid and gateway refunds finished on that day (Beijing time) by
商户订单号 / 商户退款单号: what the provider has and we have not (missing on our side), what we
have and the provider has not (missing on theirs), and amounts that differ. The file and the
differences are kept (``Reconciliation``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.fees.choices import OrderStatus, PaymentProvider, RefundMethod, RefundStatus
from youjie.fees.models import PaymentOrder, Reconciliation, Refund
from youjie.fees.permissions import can_reconcile
from youjie.fees.services.common import CENT, today
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user
from youjie.workdays.calendar import SHANGHAI

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
NAME_MAX = 100
_AMOUNT = re.compile(r"[0-9]{1,14}(\.[0-9]{1,2})?")
COLUMNS = ("交易时间", "商户订单号", "交易状态", "订单金额", "商户退款单号", "退款金额")


@dataclass(frozen=True)
class StatementLine:
    line: int
    when: str
    out_trade_no: str
    transaction_id: str
    state: str  # SUCCESS or REFUND
    amount: Decimal  # the payment's or the refund's
    out_refund_no: str = ""


def _field(value: str) -> str:
    return value.strip().removeprefix("`").strip()


def _money(text: str, line: int) -> Decimal:
    """An amount as the statement writes it: digits, at most two decimals ("4300.00")."""
    if not _AMOUNT.fullmatch(text or "0"):
        raise _bad(f"第{line}行的金额“{text[:20]}”无法识别")
    return Decimal(text or "0").quantize(CENT)


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="statement_invalid", fields={"statement": [message]})


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _bad("账单文件的编码无法识别（应为 UTF-8 或 GBK）")


def statement_parse(text: str) -> list[StatementLine]:
    """The payments and refunds of a 交易账单, or ValidationFailed saying what is wrong."""
    if "\x00" in text:
        raise _bad("账单文件含有无效字符")
    rows = csv.reader(io.StringIO(text))
    try:
        header = [_field(name) for name in next(rows)]
    except (StopIteration, csv.Error) as exc:
        raise _bad("账单文件为空或不是 CSV 文件") from exc
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise _bad(f"不是微信支付交易账单：缺少列“{'、'.join(missing)}”")
    index = {name: header.index(name) for name in header}
    lines: list[StatementLine] = []
    try:
        for number, row in enumerate(rows, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if _field(row[0]).startswith("总交易单数"):
                break
            if len(row) < len(header):
                raise _bad(f"第{number}行的列数不对")
            if len(lines) >= MAX_ROWS:
                raise _bad(f"账单超过{MAX_ROWS}行，请按日分别上传")
            value = {name: _field(row[position]) for name, position in index.items()}
            state = value["交易状态"]
            if state == "SUCCESS":
                amount = _money(value["订单金额"], number)
            elif state == "REFUND":
                amount = _money(value["退款金额"], number)
            else:
                continue
            lines.append(
                StatementLine(
                    line=number,
                    when=value["交易时间"][:19],
                    out_trade_no=value["商户订单号"][:64],
                    transaction_id=value.get("微信订单号", "")[:64],
                    state=state,
                    amount=amount,
                    out_refund_no=value["商户退款单号"][:64] if state == "REFUND" else "",
                )
            )
    except csv.Error as exc:
        raise _bad(f"账单文件格式错误：{exc}") from exc
    return lines


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def _difference(
    kind: str, what: str, number: str, ours: Decimal | None, theirs: Decimal | None, txn: str = ""
) -> dict[str, str | None]:
    return {
        "kind": kind,
        "what": what,
        "number": number,
        "transaction_id": txn,
        "ours": None if ours is None else f"{ours:.2f}",
        "theirs": None if theirs is None else f"{theirs:.2f}",
    }


def reconcile(
    *, court: OrgUnit, day: date, lines: list[StatementLine]
) -> tuple[int, list[dict[str, str | None]]]:
    """(matched, differences) of ``lines`` against ``court``'s payments and refunds of ``day``."""
    start, end = _day_bounds(day)
    ours_paid = {
        order.out_trade_no: order
        for order in PaymentOrder.objects.filter(
            notice__court=court, status=OrderStatus.PAID, paid_at__gte=start, paid_at__lt=end
        )
    }
    ours_refunds = {
        refund.out_refund_no: refund
        for refund in Refund.objects.filter(
            notice__court=court,
            method=RefundMethod.GATEWAY,
            status=RefundStatus.SUCCEEDED,
            finished_at__gte=start,
            finished_at__lt=end,
        )
    }
    # Orders of other courts on the same merchant account are not this court's business.
    numbers = {line.out_trade_no for line in lines}
    elsewhere = set(
        PaymentOrder.objects.filter(out_trade_no__in=numbers)
        .exclude(notice__court=court)
        .values_list("out_trade_no", flat=True)
    )
    matched = 0
    differences: list[dict[str, str | None]] = []
    seen_payments: set[str] = set()
    seen_refunds: set[str] = set()
    for line in lines:
        if line.out_trade_no in elsewhere:
            continue
        if line.state == "SUCCESS":
            seen_payments.add(line.out_trade_no)
            order = ours_paid.get(line.out_trade_no)
            if order is None:
                differences.append(
                    _difference(
                        "missing_ours",
                        "payment",
                        line.out_trade_no,
                        None,
                        line.amount,
                        line.transaction_id,
                    )
                )
            elif order.amount != line.amount:
                differences.append(
                    _difference(
                        "amount",
                        "payment",
                        line.out_trade_no,
                        order.amount,
                        line.amount,
                        line.transaction_id,
                    )
                )
            else:
                matched += 1
        else:
            seen_refunds.add(line.out_refund_no)
            refund = ours_refunds.get(line.out_refund_no)
            if refund is None:
                differences.append(
                    _difference(
                        "missing_ours",
                        "refund",
                        line.out_refund_no,
                        None,
                        line.amount,
                        line.transaction_id,
                    )
                )
            elif refund.amount != line.amount:
                differences.append(
                    _difference(
                        "amount",
                        "refund",
                        line.out_refund_no,
                        refund.amount,
                        line.amount,
                        line.transaction_id,
                    )
                )
            else:
                matched += 1
    for number, order in sorted(ours_paid.items()):
        if number not in seen_payments:
            differences.append(
                _difference(
                    "missing_theirs", "payment", number, order.amount, None, order.transaction_id
                )
            )
    for number, refund in sorted(ours_refunds.items()):
        if number not in seen_refunds:
            differences.append(
                _difference(
                    "missing_theirs",
                    "refund",
                    number,
                    refund.amount,
                    None,
                    refund.provider_refund_id,
                )
            )
    return matched, differences


def reconciliation_create(
    *, actor: User, statement_date: date | None, uploaded: UploadedFile
) -> Reconciliation:
    """Upload the day's statement of the actor's court, reconcile it and keep both."""
    if not can_reconcile(actor):
        raise PermissionDenied("只有立案庭工作人员或院领导可以对账")
    court = court_of_user(actor)
    if court is None:
        raise PermissionDenied("您不属于任何法院，不能对账")
    if statement_date is None:
        raise ValidationFailed("请填写账单日期", fields={"statement_date": ["请填写账单日期"]})
    if statement_date > today():
        raise ValidationFailed(
            "账单日期不能晚于今天", fields={"statement_date": ["账单日期不能晚于今天"]}
        )
    raw_name = str(uploaded.name or "")
    name = PurePath(raw_name.replace("\x00", "")).name.strip()[:NAME_MAX] or "账单.csv"
    size = int(uploaded.size or 0)
    if size == 0:
        raise _bad("账单文件为空")
    if size > MAX_BYTES:
        raise _bad(f"账单文件不能超过 {MAX_BYTES // (1024 * 1024)} MB")
    if PurePath(name).suffix.lower() not in {".csv", ".txt"}:
        raise _bad("账单应为 CSV 文件（.csv）")
    uploaded.seek(0)
    content = uploaded.read(MAX_BYTES + 1)
    text = _decode(content)
    lines = statement_parse(text)
    matched, differences = reconcile(court=court, day=statement_date, lines=lines)
    with transaction.atomic():
        reconciliation = Reconciliation.objects.create(
            court=court,
            provider=PaymentProvider.WECHATPAY,
            statement_date=statement_date,
            file_name=name,
            sha256=hashlib.sha256(content).hexdigest(),
            content=text,
            uploaded_by=actor,
            statement_rows=len(lines),
            matched=matched,
            differences=differences,
        )
        event_record(
            subject=reconciliation,
            verb="reconciled",
            actor=actor,
            data={"rows": len(lines), "matched": matched, "differences": len(differences)},
        )
    return reconciliation
