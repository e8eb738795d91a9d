"""Demo filings (网上立案, 跨域立案) at the 白云鄂博 court: one in every state, one
received at 青山区 for 白云鄂博 (forwarded, in review), one received at 白云鄂博 for 青山区
(waiting for the form check), and three in review with the parties' consent to pre-litigation
mediation, which the mediation demo takes up (``MEDIATION_DEMO_FILINGS``: their submitters' names).

Identity numbers carry valid check characters (GB 11643, GB 32100) and are fictitious."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoFiling:
    submitter: str  # the demo's key: one filing per submitter name
    cause: str
    stage: str  # review, overdue, supplement, accepted, refused, withdrawn, forwarded, received
    plaintiff_id: str
    defendant: str
    defendant_id: str = ""  # a resident ID, or a credit code when the defendant is a company
    defendant_is_company: bool = False
    receiving: str = "BT-BYEB-FY"
    competent: str = "BT-BYEB-FY"
    amount: str = ""
    days_ago: int = 0
    mediation_consent: bool = False
    case_kind: str = "civil_first"


MEDIATION_DEMO_FILINGS: tuple[str, ...] = ("乔文斌", "白玉兰", "郝建军")

FILINGS: tuple[DemoFiling, ...] = (
    DemoFiling("赵红梅", "民间借贷纠纷", "review", "150206197802141125", "钱大勇",
               "150206198206302230", amount="48000.00"),
    DemoFiling("孙海涛", "买卖合同纠纷", "overdue", "150204197509111346", "包头市稀土贸易有限公司",
               "91150206MA0P1X2Y6L", defendant_is_company=True, amount="126500.00", days_ago=12),
    DemoFiling("李秀珍", "物业服务合同纠纷", "supplement", "150206198801012457",
               "白云鄂博某物业公司", "91150206MA0Q3R4T3P", defendant_is_company=True,
               amount="3600.00", days_ago=2),
    DemoFiling("王建华", "劳务合同纠纷", "accepted", "150206196612123562", "刘志明",
               "150203199009094677", amount="21000.00", days_ago=5),
    DemoFiling("陈立新", "名誉权纠纷", "refused", "150206199303035781", "某网络用户", days_ago=6),
    DemoFiling("马丽娟", "租赁合同纠纷", "withdrawn", "150206198505056893", "周某",
               amount="9000.00", days_ago=4),
    DemoFiling("韩志刚", "机动车交通事故责任纠纷", "forwarded", "150206197911117917", "田某",
               amount="35000.00", receiving="BT-QS-FY", days_ago=1),
    DemoFiling("冯晓燕", "民间借贷纠纷", "received", "150206198707078126", "青山区某商贸公司",
               competent="BT-QS-FY", amount="60000.00"),
    DemoFiling("乔文斌", "邻里相邻关系纠纷", "review", "150204199202289237", "吕某",
               mediation_consent=True),
    DemoFiling("白玉兰", "买卖合同纠纷", "review", "150206197003171344", "白云鄂博某建材店",
               amount="8800.00", mediation_consent=True),
    DemoFiling("郝建军", "劳动争议", "review", "150206198104152614", "白云鄂博某运输队",
               amount="15600.00", mediation_consent=True),
)  # fmt: skip

SUPPLEMENT_ITEMS = ("原告身份证复印件", "物业服务合同", "欠费明细及催缴记录")
REFUSAL_REASON = (
    "起诉人未能提供被告的姓名、住所等具体信息，被告不明确，起诉不符合"
    "《中华人民共和国民事诉讼法》第一百二十二条第二项规定的条件。"
)
