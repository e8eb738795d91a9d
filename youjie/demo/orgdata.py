"""The demo organisation of 包头市: regions (GB/T 2260), units, lines and one user per role.

Generated numbers only: no real person's data.
"""

from __future__ import annotations

REGIONS: list[tuple[str, str, str, str | None]] = [
    ("150000", "内蒙古自治区", "province", None),
    ("150200", "包头市", "city", "150000"),
    ("150202", "东河区", "district", "150200"),
    ("150203", "昆都仑区", "district", "150200"),
    ("150204", "青山区", "district", "150200"),
    ("150205", "石拐区", "district", "150200"),
    ("150206", "白云鄂博矿区", "district", "150200"),
    ("150207", "九原区", "district", "150200"),
    ("150221", "土默特右旗", "banner", "150200"),
    ("150222", "固阳县", "county", "150200"),
    ("150223", "达尔罕茂明安联合旗", "banner", "150200"),
    # A functional zone, not a county-level division; 150271 is the statistical code in use.
    ("150271", "稀土高新区", "zone", "150200"),
]

COUNTY_CODES = [code for code, _name, kind, _parent in REGIONS if kind not in {"province", "city"}]

COURT_CODE = "BT-BYEB-FY"
COURT_DIVISIONS: list[tuple[str, str]] = [
    ("BT-BYEB-LAT", "立案庭（诉讼服务中心）"),
    ("BT-BYEB-MS", "民事审判庭"),
    ("BT-BYEB-XS", "刑事审判庭"),
    ("BT-BYEB-ZX", "执行局"),
    ("BT-BYEB-ZH", "综合办公室"),
]

# The court of 青山区: the competent court of the demo's cross-domain filing received at 白云鄂博
# (跨域立案), and the receiving court of one filed for 白云鄂博 (DOMAIN.md §6).
QINGSHAN_COURT_CODE = "BT-QS-FY"
QINGSHAN_DIVISIONS: list[tuple[str, str]] = [
    ("BT-QS-LAT", "立案庭（诉讼服务中心）"),
    ("BT-QS-MS", "民事审判庭"),
]

DEPARTMENTS: list[tuple[str, str]] = [
    ("BT-ZJJ", "包头市住房和城乡建设局"),
    ("BT-MZJ", "包头市民政局"),
    ("BT-RSJ", "包头市人力资源和社会保障局"),
    ("BT-XFJ", "包头市信访局"),
]

FIXED_LINE = "0472-8510389"
DEPUTIES_LINE = "0472-8510300"
DEMO_PASSWORD = "youjie-demo-2026"

# username, display name, role, unit code
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("reception", "王丽", "receptionist", "BT-BYEB-LAT"),
    ("judge", "李敏", "judge", "BT-BYEB-MS"),
    ("clerk", "赵晓", "clerk", "BT-BYEB-MS"),
    ("divhead", "张建国", "division_head", "BT-BYEB-MS"),
    ("leader", "刘志强", "court_leader", COURT_CODE),
    ("city_officer", "陈华", "office_officer", "BT-ZXB"),
    ("county_officer", "孙立", "office_officer", "150205-ZXB"),
    ("handler", "周平", "case_handler", "150206-ZFW"),
    ("lead", "吴刚", "lead_official", "150206-ZFW"),
    ("liaison", "郑洁", "department_liaison", "BT-ZJJ"),
    ("mediator", "高秀兰", "mediator", "150206-TJW"),
    ("qs_reception", "韩雪", "receptionist", "BT-QS-LAT"),
    ("admin", "系统管理员", "administrator", "BT-ZFW"),
]

JUDGE_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
JUDGE_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅"
