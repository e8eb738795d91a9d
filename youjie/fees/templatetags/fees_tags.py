"""Money, names and timeline verbs as the fee pages show them (text only, no markup)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from youjie.fees.calculator import money as format_money

register = template.Library()

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ["", "拾", "佰", "仟"]
GROUPS = ["", "万", "亿", "万亿"]

# The notice's, the court case's and the other fee records' timeline verbs.
VERBS = {
    "issued": "开具缴费通知书",
    "payment_order_created": "生成支付订单",
    "paid": "缴费",
    "overdue": "逾期未缴",
    "cancelled": "撤销",
    "relieved": "准予免交",
    "relief_applied": "申请司法救助",
    "relief_granted": "准予司法救助",
    "relief_refused": "不予准许司法救助",
    "refund_requested": "办理退费",
    "refunded": "退费完成",
}


@register.filter
def money(value: Decimal | str | None) -> str:
    """13800.00 → "13,800.00"; a notice's stored lines hold their amounts as decimal strings."""
    if value is None or value == "":
        return ""
    try:
        return format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _four(number: int) -> str:
    """Up to 9999 in capital digits, zeros as the convention writes them."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + UNITS[position]
    return text


@register.filter
def yuan_in_words(value: Decimal | None) -> str:
    """人民币大写: 12345.60 → 壹万贰仟叁佰肆拾伍元陆角整."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0 or amount >= Decimal(10) ** 16:
        return ""
    whole = int(amount)
    cents = int((amount - whole) * 100)
    parts: list[str] = []
    group = 0
    pending_zero = False
    while whole:
        chunk = whole % 10_000
        if chunk:
            words = _four(chunk) + GROUPS[group]
            if pending_zero or (chunk < 1000 and whole >= 10_000):
                words += "零" if parts and not words.endswith("零") else ""
            parts.insert(0, words)
            pending_zero = chunk < 1000
        elif parts:
            pending_zero = True
        whole //= 10_000
        group += 1
    text = "".join(parts).replace("零零", "零")
    text = (text.rstrip("零") + "元") if text else ""
    jiao, fen = divmod(cents, 10)
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    else:
        text += "整"
    return text


@register.filter
def masked_name(name: str) -> str:
    """A payer's name on the public page: 王*明, 张*, 包头市**有限公司."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    if len(name) <= 4:
        return name[0] + "*" * (len(name) - 2) + name[-1]
    return name[:3] + "**" + name[-4:]


@register.filter
def verb_label(verb: str) -> str:
    return VERBS.get(verb, verb)
