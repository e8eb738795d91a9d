"""Demo pre-litigation mediations (诉前调解) at the 白云鄂博 court, on the three filings in
review whose parties consented (``filingsdata.MEDIATION_DEMO_FILINGS``, by submitter name):
one under way with an online session tomorrow, one agreed with its judicial confirmation
applied for, one failed (its filing back in review). Delegated to the 白云鄂博矿区人民调解委员会
and its mediator 高秀兰 (``mediator``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoMediation:
    submitter: str  # the filing's submitter (filingsdata.MEDIATION_DEMO_FILINGS)
    stage: str  # under_way, agreed, failed
    note: str = ""


ORGANISATION_CODE = "150206-TJW"
MEDIATOR = "mediator"
SESSION_LINK = "https://meeting.tencent.com/dm/Byeb0206Demo"
SESSION_HOUR = 10

MEDIATIONS: tuple[DemoMediation, ...] = (
    DemoMediation("乔文斌", "under_way", "相邻关系纠纷，双方均同意由人民调解委员会调解"),
    DemoMediation("白玉兰", "agreed", "买卖合同货款纠纷，标的较小，适宜调解"),
    DemoMediation("郝建军", "failed", "劳动争议，当事人同意先行调解"),
)

AGREEMENT = "被告于2个月内分两期向原告支付货款8800元，原告放弃其他诉讼请求。"
APPLICANTS = "白玉兰、白云鄂博某建材店"
FAILURE_REASON = "被申请人明确表示不同意调解方案，调解不成。"
