"""The default matter types of a court's litigation-service desk, with 一次告知 checklists.

Deadlines are defaults drawn from analogous public rules (DOMAIN.md §3: 12345-style hotline
rules — 咨询/建议 1 working day, 求助/投诉 5; 登记立案规定 Art. 13: complaints 15 日);
administrators change them per court.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from youjie.desk.choices import DeadlineUnit, RequestCategory
from youjie.desk.models import ChecklistVersion, MatterType
from youjie.orgs.models import OrgUnit

# code, name, category, default division code, first (limit, unit), completion (limit, unit)
MATTER_TYPES: list[tuple[str, str, str, str, tuple[int, str], tuple[int, str]]] = [
    (
        "filing_consult",
        "立案咨询",
        RequestCategory.CONSULTATION,
        "BT-BYEB-LAT",
        (4, DeadlineUnit.WORK_HOURS),
        (1, DeadlineUnit.WORKDAYS),
    ),
    (
        "divorce_filing",
        "离婚诉讼立案咨询",
        RequestCategory.CONSULTATION,
        "BT-BYEB-LAT",
        (4, DeadlineUnit.WORK_HOURS),
        (1, DeadlineUnit.WORKDAYS),
    ),
    (
        "case_query",
        "案件查询",
        RequestCategory.CONSULTATION,
        "BT-BYEB-LAT",
        (4, DeadlineUnit.WORK_HOURS),
        (1, DeadlineUnit.WORKDAYS),
    ),
    (
        "contact_judge",
        "联系法官",
        RequestCategory.ERRAND,
        "BT-BYEB-MS",
        (1, DeadlineUnit.WORKDAYS),
        (3, DeadlineUnit.WORKDAYS),
    ),
    (
        "appointment",
        "预约立案/阅卷/见法官",
        RequestCategory.APPOINTMENT,
        "BT-BYEB-LAT",
        (1, DeadlineUnit.WORKDAYS),
        (3, DeadlineUnit.WORKDAYS),
    ),
    (
        "errand",
        "材料收转与办事",
        RequestCategory.ERRAND,
        "BT-BYEB-LAT",
        (1, DeadlineUnit.WORKDAYS),
        (5, DeadlineUnit.WORKDAYS),
    ),
    (
        "enforcement_demand",
        "执行诉求",
        RequestCategory.DEMAND,
        "BT-BYEB-ZX",
        (1, DeadlineUnit.WORKDAYS),
        (10, DeadlineUnit.WORKDAYS),
    ),
    (
        "demand",
        "其他诉求",
        RequestCategory.DEMAND,
        "BT-BYEB-LAT",
        (1, DeadlineUnit.WORKDAYS),
        (10, DeadlineUnit.WORKDAYS),
    ),
    (
        "complaint",
        "投诉举报",
        RequestCategory.COMPLAINT,
        "BT-BYEB-ZH",
        (1, DeadlineUnit.WORKDAYS),
        (10, DeadlineUnit.WORKDAYS),
    ),
    (
        "suggestion",
        "意见建议",
        RequestCategory.SUGGESTION,
        "BT-BYEB-ZH",
        (1, DeadlineUnit.WORKDAYS),
        (5, DeadlineUnit.WORKDAYS),
    ),
    (
        "callback",
        "未接来电回拨",
        RequestCategory.CALLBACK,
        "BT-BYEB-LAT",
        (2, DeadlineUnit.WORK_HOURS),
        (1, DeadlineUnit.WORKDAYS),
    ),
]

CHECKLISTS: dict[str, dict[str, str]] = {
    "divorce_filing": {
        "materials": "1. 起诉状（按被告人数提交副本）；2. 原告身份证复印件；3. 结婚证原件及复印件（或婚姻登记机关出具的婚姻登记记录证明）；4. 有子女的，提交子女出生证明或户口簿；5. 涉及财产分割的，提交财产权属证明；6. 证据清单及证据材料。",
        "steps": "1. 到诉讼服务中心窗口或通过人民法院在线服务平台提交材料；2. 符合起诉条件的当场登记立案，不能当场判定的7日内决定；3. 收到交费通知后7日内交纳诉讼费（可扫码缴费）；4. 可选择诉前调解；5. 等待开庭通知。",
        "legal_basis": "《中华人民共和国民法典》第一千零七十九条；《中华人民共和国民事诉讼法》第一百二十二条、第一百二十六条；《最高人民法院关于人民法院登记立案若干问题的规定》第七条、第八条。",
        "fees": "离婚案件每件交纳50元至300元；涉及财产分割，财产总额不超过20万元的不另行交纳，超过20万元的部分按0.5%交纳（《诉讼费用交纳办法》第十三条）。适用简易程序的减半交纳。",
        "time_limit_note": "当场登记立案；不能当场判定的，7日内决定是否立案。",
    },
    "filing_consult": {
        "materials": "1. 起诉状；2. 原告身份证明；3. 被告的姓名、住所等信息；4. 证据材料及清单；5. 委托代理的，提交授权委托书。",
        "steps": "1. 窗口、网上或跨域立案提交材料；2. 材料不全的，一次性书面告知补正；3. 符合条件的当场登记立案；4. 交纳诉讼费。",
        "legal_basis": "《中华人民共和国民事诉讼法》第一百二十二条、第一百二十六条；《最高人民法院关于人民法院登记立案若干问题的规定》。",
        "fees": "按《诉讼费用交纳办法》交纳；财产案件按标的额分段累计计算。",
        "time_limit_note": "当场登记立案；不能当场判定的，7日内决定。",
    },
}


@transaction.atomic
def install_default_matter_types() -> int:
    """Create missing default matter types and first checklist versions; idempotent."""
    created = 0
    units = {unit.code: unit for unit in OrgUnit.objects.filter(kind="division")}
    for order, (code, name, category, division, first, completion) in enumerate(MATTER_TYPES):
        defaults: dict[str, Any] = {
            "name": name,
            "category": category,
            "default_division": units.get(division),
            "first_response_limit": first[0],
            "first_response_unit": first[1],
            "completion_limit": completion[0],
            "completion_unit": completion[1],
            "is_public": category != RequestCategory.CALLBACK,
            "sort_order": order * 10,
        }
        matter_type, was_created = MatterType.objects.get_or_create(code=code, defaults=defaults)
        created += int(was_created)
        checklist = CHECKLISTS.get(code)
        if checklist and not ChecklistVersion.objects.filter(matter_type=matter_type).exists():
            ChecklistVersion.objects.create(matter_type=matter_type, version=1, **checklist)
    return created
