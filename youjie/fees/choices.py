"""The enumerations of the fee calculator (《诉讼费用交纳办法》 Art. 13–16)."""

from django.db import models


class FeeKind(models.TextChoices):
    """What a fee is asked for: a kind of case (案件受理费, Art. 13) or an application (申请费,
    Art. 14). The order is the order of the articles."""

    PROPERTY = "property", "财产案件"
    DIVORCE = "divorce", "离婚案件"
    PERSONALITY = "personality", "侵害人格权案件"
    NON_PROPERTY = "non_property", "其他非财产案件"
    IP = "ip", "知识产权民事案件"
    LABOUR = "labour", "劳动争议案件"
    ADMINISTRATIVE = "administrative", "行政案件"
    EXECUTION = "execution", "申请执行"
    PRESERVATION = "preservation", "申请保全"
    PAYMENT_ORDER = "payment_order", "申请支付令"
    PUBLIC_SUMMONS = "public_summons", "申请公示催告"
    ARBITRATION = "arbitration", "申请撤销仲裁裁决或认定仲裁协议效力"
    BANKRUPTCY = "bankruptcy", "申请破产"


class FeeType(models.TextChoices):
    ACCEPTANCE_FEE = "acceptance_fee", "案件受理费"
    APPLICATION_FEE = "application_fee", "申请费"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLE = "simple", "简易程序（含小额诉讼）"


class Settlement(models.TextChoices):
    """How a case ended where that halves the fee (Art. 15); a judgment changes nothing."""

    MEDIATION = "mediation", "以调解方式结案"
    WITHDRAWAL = "withdrawal", "申请撤诉"


class AdministrativeSubject(models.TextChoices):
    """Art. 13(5): 商标、专利、海事 administrative cases pay 100 per case, the others 50."""

    OTHER = "other", "其他行政案件"
    TRADEMARK_PATENT_MARITIME = "trademark_patent_maritime", "商标、专利、海事行政案件"


class Rounding(models.TextChoices):
    """Where a fee is rounded to (half up): the 分 by default, or whole 元 where a court says so."""

    FEN = "fen", "四舍五入到分"
    YUAN = "yuan", "四舍五入到元"


# --- fee notices and payments (码上缴费, issue 14 item 4) ------------------------------------


class NoticeStatus(models.TextChoices):
    """A 缴费通知书: issued, then paid, overdue (7 日 passed unpaid, Art. 22), cancelled by the
    court, or relieved (免交 granted, Art. 44–45)."""

    ISSUED = "issued", "待缴费"
    PAID = "paid", "已缴费"
    OVERDUE = "overdue", "逾期未缴"
    CANCELLED = "cancelled", "已撤销"
    RELIEVED = "relieved", "已免交"


class PayerKind(models.TextChoices):
    """免交 is for natural persons only (Art. 44 ¶2); 减交 and 缓交 for anyone (Art. 46–47)."""

    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class PaymentProvider(models.TextChoices):
    WECHATPAY = "wechatpay", "微信支付"


class OrderStatus(models.TextChoices):
    CREATED = "created", "待支付"
    PAID = "paid", "已支付"
    CLOSED = "closed", "已关闭"


class NotificationOutcome(models.TextChoices):
    """What became of one asynchronous payment notification (each is kept for audit)."""

    ACCEPTED = "accepted", "已受理"
    BAD_SIGNATURE = "bad_signature", "签名无效"
    STALE = "stale", "时间戳过期"
    MALFORMED = "malformed", "报文无法解析"
    REPLAYED = "replayed", "重复通知"
    UNKNOWN_ORDER = "unknown_order", "订单不存在"
    MERCHANT_MISMATCH = "merchant_mismatch", "商户号或应用不符"
    AMOUNT_MISMATCH = "amount_mismatch", "金额不符"
    NOT_SUCCESS = "not_success", "非成功交易"
    ORDER_CLOSED = "order_closed", "订单已关闭"


class RefundReason(models.TextChoices):
    """Why a fee is refunded, each with its article (诉讼费用交纳办法 Art. 15, 16, 21, 25, 27, 53).
    Whatever the reason, the refund is due within 15 日 of the document taking effect (Art. 53)."""

    NOT_ACCEPTED = "not_accepted", "裁定不予受理或驳回起诉"
    WITHDRAWAL = "withdrawal", "申请撤诉，减半交纳"
    MEDIATION = "mediation", "以调解方式结案，减半交纳"
    SIMPLE_PROCEDURE = "simple_procedure", "适用简易程序，减半交纳"
    CRIMINAL = "criminal", "移送刑事侦查或审查起诉"
    REMAND = "remand", "发回重审，退还上诉案件受理费"
    CLAIM_REDUCED = "claim_reduced", "法庭调查终结前减少诉讼请求数额"
    OVERPAID = "overpaid", "多缴、误缴"


REFUND_ARTICLES: dict[str, str] = {
    RefundReason.NOT_ACCEPTED: "《诉讼费用交纳办法》第二十七条第二款",
    RefundReason.WITHDRAWAL: "《诉讼费用交纳办法》第十五条",
    RefundReason.MEDIATION: "《诉讼费用交纳办法》第十五条",
    RefundReason.SIMPLE_PROCEDURE: "《诉讼费用交纳办法》第十六条",
    RefundReason.CRIMINAL: "《诉讼费用交纳办法》第二十五条",
    RefundReason.REMAND: "《诉讼费用交纳办法》第二十七条第一款",
    RefundReason.CLAIM_REDUCED: "《诉讼费用交纳办法》第二十一条第（二）项",
    RefundReason.OVERPAID: "《诉讼费用交纳办法》第五十三条第二款",
}


class RefundMethod(models.TextChoices):
    GATEWAY = "gateway", "原路退回（支付渠道）"
    OFFLINE = "offline", "线下退付（银行转账）"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "退费中"
    SUCCEEDED = "succeeded", "已退费"
    FAILED = "failed", "退费失败"


class ReliefKind(models.TextChoices):
    """司法救助 on fees (Art. 44–51)."""

    DEFER = "defer", "缓交"
    REDUCE = "reduce", "减交"
    WAIVE = "waive", "免交"


class ReliefStatus(models.TextChoices):
    PENDING = "pending", "待审查"
    GRANTED = "granted", "准予"
    REFUSED = "refused", "不予准许"


class NoticeFilter(models.TextChoices):
    """The staff list's filters (a refunded notice is a paid one with a refund)."""

    UNPAID = "unpaid", "待缴费"
    OVERDUE = "overdue", "逾期未缴"
    PAID = "paid", "已缴费"
    REFUNDED = "refunded", "有退费"
    RELIEF_PENDING = "relief_pending", "救助待审查"
