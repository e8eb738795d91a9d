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
