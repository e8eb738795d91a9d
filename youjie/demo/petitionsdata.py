"""The 信访化解 demo: a 百日攻坚 campaign over 26 matters across 包头's districts and banners, at
every stage, and a 回头看 campaign that reopens two of them; the lead officials, handlers and
petitioners they need. Generated names and numbers only: no real person's data.

Everything is written through the petitions services (their checks, events and outbox rows), at
dates counted back from the day the demo is loaded, so the pages show live clocks whatever the
date. ``seed`` does nothing when the demo's first matter exists (``make run`` twice changes
nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from youjie.people.validators import resident_id_check_char

# The 9 county-level divisions the campaign covers (GB/T 2260, youjie/demo/orgdata.py).
REGIONS = {
    "150203": "昆都仑区",
    "150204": "青山区",
    "150202": "东河区",
    "150207": "九原区",
    "150205": "石拐区",
    "150206": "白云鄂博矿区",
    "150221": "土默特右旗",
    "150222": "固阳县",
    "150223": "达尔罕茂明安联合旗",
}
# A lead official (包案领导) and a handler (承办人) of each county's 政法委; 白云鄂博矿区's are the
# demo users "lead" and "handler".
COUNTY_STAFF = {
    "150203": (("pet_lead_150203", "高志远"), ("pet_handler_150203", "韩晓梅")),
    "150204": (("pet_lead_150204", "冯建军"), ("pet_handler_150204", "曹丽")),
    "150202": (("pet_lead_150202", "邓国华"), ("pet_handler_150202", "彭静")),
    "150207": (("pet_lead_150207", "曾志刚"), ("pet_handler_150207", "萧雨")),
    "150205": (("pet_lead_150205", "田永胜"), ("pet_handler_150205", "董敏")),
    "150221": (("pet_lead_150221", "潘立新"), ("pet_handler_150221", "袁芳")),
    "150222": (("pet_lead_150222", "蒋文博"), ("pet_handler_150222", "蔡红")),
    "150223": (("pet_lead_150223", "余德明"), ("pet_handler_150223", "杜娟")),
}
SURNAMES = "郝常乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦"
GIVEN = ["保平", "金花", "永利", "翠兰", "占奎", "凤英", "长山", "美荣", "铁柱", "秀珍", "二虎"]


@dataclass(frozen=True)
class DemoMatter:
    region: str
    title: str
    category: str
    origin: str
    stage: str  # progress, overdue, resolved, settled, reopened, terminated, new
    core_demand: str
    root_cause: str = ""
    labels: tuple[str, ...] = ()
    outcome: str = "solved"  # 三到位一处理 for resolved, settled and reopened matters
    petitioners: int = 1
    prior_handling: str = "历经一审、二审及再审审查，多次到市、自治区信访。"
    extra: dict[str, str] = field(default_factory=dict)


MATTERS: list[DemoMatter] = [
    # 昆都仑区
    DemoMatter("150203", "不服民间借贷纠纷判决反复信访", "court_judgment", "visit", "settled",
               "要求撤销判决、返还借款本息", "借条真实性争议，信访人认为证据未被采信", ("bone",)),
    DemoMatter("150203", "拆迁补偿执行款长期未到位", "court_enforcement", "letter", "resolved",
               "要求执行到位拆迁补偿款", "被执行人无可供执行财产", ("nail",), "aided"),
    DemoMatter("150203", "交通事故赔偿案件执行难", "court_enforcement", "online", "progress",
               "要求尽快执行交通事故赔偿款", "被执行人下落不明", ("bone", "repeat")),
    DemoMatter("150203", "不服公安机关不予立案决定", "police", "visit", "overdue",
               "要求对合同诈骗立案侦查", "属经济纠纷，公安机关认为不构成犯罪"),
    # 青山区
    DemoMatter("150204", "劳动争议判决后工资仍未支付", "court_enforcement", "phone", "settled",
               "要求支付拖欠工资及经济补偿金", "用人单位经营困难", ("repeat",), "aided"),
    DemoMatter("150204", "不服离婚案件财产分割", "court_judgment", "visit", "progress",
               "要求重新分割夫妻共同财产", "对房产出资认定有异议", ("nail",), petitioners=2),
    DemoMatter("150204", "不服检察机关不支持监督申请", "procuratorate", "letter", "terminated",
               "要求检察机关提出抗诉", "已穷尽法律程序", ("bone", "nail")),
    # 东河区
    DemoMatter("150202", "物业服务合同纠纷判决执行争议", "court_enforcement", "desk", "resolved",
               "要求返还已扣划存款", "对执行标的计算有误解", (), "educated"),
    DemoMatter("150202", "不服故意伤害案件量刑", "court_judgment", "visit", "reopened",
               "要求加重被告人刑罚并赔偿", "被害人家属对附带民事赔偿不满", ("bone",)),
    DemoMatter("150202", "房屋买卖合同纠纷反复申诉", "court_judgment", "online", "settled",
               "要求确认房屋买卖合同有效", "开发商一房二卖", ("nail", "repeat")),
    # 九原区
    DemoMatter("150207", "工伤认定行政诉讼后仍不服", "court_judgment", "letter", "progress",
               "要求认定工伤并享受工伤待遇", "劳动关系未能确认", ("bone",)),
    DemoMatter("150207", "农民工工资执行案件积案", "court_enforcement", "visit", "settled",
               "要求支付拖欠的农民工工资", "包工头下落不明、总包单位推诿", ("nail",), "aided",
               petitioners=3),
    DemoMatter("150207", "不服司法鉴定意见信访", "justice", "phone", "resolved",
               "要求重新鉴定伤残等级", "对鉴定机构资质有疑虑", (), "handled_by_law"),
    # 石拐区
    DemoMatter("150205", "矿山塌陷损害赔偿执行难", "court_enforcement", "visit", "settled",
               "要求执行矿山塌陷损害赔偿款", "企业改制后责任主体变更", ("bone", "nail")),
    DemoMatter("150205", "不服林地承包纠纷判决", "court_judgment", "letter", "overdue",
               "要求确认林地承包经营权", "承包合同签订程序不规范", ("repeat",)),
    DemoMatter("150205", "国家赔偿申请被驳回后信访", "state_compensation", "visit", "progress",
               "要求对错误羁押给予国家赔偿", "羁押期间计算有争议"),
    # 白云鄂博矿区
    DemoMatter("150206", "执行款一年多未到账反复来访", "court_enforcement", "desk", "progress",
               "要求尽快发放执行款", "执行款被另案冻结", ("nail", "repeat")),
    DemoMatter("150206", "不服稀土企业劳动争议二审判决", "court_judgment", "visit", "settled",
               "要求恢复劳动关系并补发工资", "对解除劳动合同程序有异议", ("bone",), "educated"),
    DemoMatter("150206", "不服公安机关治安处罚", "police", "letter", "resolved",
               "要求撤销治安处罚决定", "对处罚事实认定有异议", (), "handled_by_law"),
    DemoMatter("150206", "牧区草场纠纷调解后反悔", "court_judgment", "visit", "reopened",
               "要求重新划定草场界线", "调解协议履行中出现新的争议", ("nail",)),
    # 土默特右旗
    DemoMatter("150221", "土地承包经营权纠纷执行难", "court_enforcement", "visit", "settled",
               "要求执行返还承包地", "承包地已被第三人实际耕种", ("bone",)),
    DemoMatter("150221", "不服民间借贷刑民交叉案件处理", "procuratorate", "online", "overdue",
               "要求追究借款人刑事责任", "刑民交叉，程序衔接不畅"),
    # 固阳县
    DemoMatter("150222", "医疗损害责任纠纷判决后信访", "court_judgment", "letter", "resolved",
               "要求医院承担全部赔偿责任", "对过错参与度认定不满", ("repeat",), "aided"),
    DemoMatter("150222", "不服交通肇事案件处理", "court_judgment", "visit", "progress",
               "要求追究肇事司机刑事责任并赔偿", "保险理赔与刑事附带民事衔接"),
    # 达尔罕茂明安联合旗
    DemoMatter("150223", "牧民草场征占补偿纠纷", "court_judgment", "visit", "settled",
               "要求提高草场征占补偿标准", "补偿标准政策调整前后不一", ("bone", "nail")),
    DemoMatter("150223", "执行和解后对方不履行", "court_enforcement", "phone", "resolved",
               "要求恢复执行原判决", "被执行人履行能力不足", (), "solved"),
]  # fmt: skip

# Registered in the last days, responsibility not yet assigned: not yet in a campaign.
NEW_MATTERS: list[DemoMatter] = [
    DemoMatter("150205", "新收：不服民事调解书申请再审被驳回", "court_judgment", "visit", "new",
               "要求撤销调解书", prior_handling="申请再审被驳回。"),
    DemoMatter("150203", "新收：反映执行法官态度问题", "court_enforcement", "online", "new",
               "要求更换执行法官", prior_handling=""),
]  # fmt: skip

EVIDENCE = {
    "solved": (("agreement", "执行和解协议"),),
    "educated": (("commitment", "息诉罢访承诺书"),),
    "aided": (("aid_paid", "司法救助金发放凭证"), ("commitment", "息诉罢访承诺书")),
    "handled_by_law": (("handling_opinion", "处理意见书"),),
}
SUMMARIES = {
    "solved": "经包案领导多次约访、专班协调，双方达成和解，款项已履行到位。",
    "educated": "经释法说理、心理疏导，信访人认可处理结果，签署息诉罢访承诺书。",
    "aided": "信访人生活困难，依法给予司法救助并协调社会救助，信访人签署息诉罢访承诺书。",
    "handled_by_law": "经复查处理意见正确，依法出具处理意见书并告知救济途径。",
}


def responsible_unit_code(item: DemoMatter) -> str:
    """The 政法单位 answering for a matter: in 白云鄂博矿区 the court or the police whose act it
    contests; elsewhere the county's 政法委 (the demo has one court)."""
    if item.region == "150206" and item.category.startswith("court"):
        return "BT-BYEB-FY"
    if item.region == "150206" and item.category == "police":
        return "BT-GA-0206"
    return f"{item.region}-ZFW"


def petitioner_rows(index: int, count: int, region: str) -> list[dict[str, str]]:
    """Generated petitioners of the ``index``-th matter: name, a valid ID number, a mobile."""
    rows = []
    for offset in range(count):
        n = index * 3 + offset
        first17 = (
            f"{region}19{50 + n % 40:02d}{1 + n % 12:02d}{1 + n % 27:02d}{n % 100:02d}{n % 10}"
        )
        rows.append(
            {
                "name": SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)],
                "id_number": first17 + resident_id_check_char(first17),
                "mobile": f"1364720{n:04d}",
            }
        )
    return rows


@dataclass(frozen=True)
class Calendar:
    """The demo's dates, counted back from the day it is loaded."""

    today: date

    @property
    def campaign_start(self) -> date:
        return self.today - timedelta(days=80)

    @property
    def campaign_end(self) -> date:
        return self.campaign_start + timedelta(days=99)

    def received(self, index: int, stage: str) -> date:
        if stage == "overdue":
            return self.today - timedelta(days=80 + index % 5)
        if stage in ("progress", "new"):
            return self.today - timedelta(days=12 + index % 9)
        return self.campaign_start - timedelta(days=120 + 37 * index)

    def resolved(self, index: int) -> date:
        """事了 of the ``index``-th matter: inside the campaign, at least five days ago."""
        return self.today - timedelta(days=5 + (index * 7) % 60)
