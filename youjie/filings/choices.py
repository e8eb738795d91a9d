"""Enumerations of the filings app (docs/subsystems/filings.md)."""

from django.db import models


class FilingStatus(models.TextChoices):
    """A filing's life (transitions.FILING_TRANSITIONS is the one map).

    A cross-domain filing (跨域立案) starts at the receiving court (协作法院), which checks
    identity and materials (形式核对) and forwards it; the competent court (管辖法院) reviews and
    decides. A filing made at its competent court starts in review.
    """

    RECEIVED = "received", "待协作核对"
    REVIEW = "review", "待审查"
    SUPPLEMENT = "supplement", "待补正"
    MEDIATION = "mediation", "诉前调解中"
    ACCEPTED = "accepted", "已立案"
    REFUSED = "refused", "不予受理"
    WITHDRAWN = "withdrawn", "已撤回"
    TREATED_WITHDRAWN = "treated_withdrawn", "按撤诉处理"
    SETTLED = "settled", "调解结案"


class FilingCaseKind(models.TextChoices):
    """What is filed; each maps to the case-number type word of the accepted case."""

    CIVIL_FIRST = "civil_first", "民事一审"
    ADMINISTRATIVE_FIRST = "administrative_first", "行政一审"
    EXECUTION = "execution", "执行实施"


class FilingProcedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLE = "simple", "简易程序"
    SMALL_CLAIMS = "small_claims", "小额诉讼"


class SubmitterKind(models.TextChoices):
    PARTY = "party", "当事人本人"
    LAWYER = "lawyer", "律师"
    AGENT = "agent", "其他代理人"


class FilingChannel(models.TextChoices):
    PORTAL = "portal", "网上立案"
    COUNTER = "counter", "窗口立案"
    API = "api", "系统接口"


class FilingPartyRole(models.TextChoices):
    PLAINTIFF = "plaintiff", "原告"
    DEFENDANT = "defendant", "被告"
    THIRD_PARTY = "third_party", "第三人"
    ENFORCEMENT_APPLICANT = "enforcement_applicant", "申请执行人"
    ENFORCEMENT_RESPONDENT = "enforcement_respondent", "被执行人"


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ENTERPRISE = "enterprise", "法人或其他组织"


class MaterialKind(models.TextChoices):
    COMPLAINT = "complaint", "起诉状/申请书"
    IDENTITY = "identity", "身份证明"
    EVIDENCE = "evidence", "证据"
    AUTHORISATION = "authorisation", "授权委托书"
    LAWYER_LICENCE = "lawyer_licence", "律师执业证"
    SERVICE_ADDRESS = "service_address", "送达地址确认书"
    MEDIATION_APPLICATION = "mediation_application", "诉前调解申请书"
    OTHER = "other", "其他"
