"""Generated demo persons, enterprises, court cases and desk requests (no real person's data).

Numbers are built deterministically from a seed so that the demo is the same on every machine and
re-running the loader finds what it made before.
"""

from __future__ import annotations

import random

from youjie.people.validators import (
    organization_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建华",
    "秀英",
    "志强",
    "丽娟",
    "海燕",
    "国庆",
    "桂兰",
    "晓东",
    "玉梅",
    "德胜",
    "春生",
    "文静",
]
REGION_CODES = ["150206", "150206", "150206", "150202", "150203", "150205", "150207", "150221"]
ENTERPRISES = [
    "包头市白云矿业有限公司",
    "包头市鄂博稀土材料有限公司",
    "白云鄂博矿区宏达物业服务有限公司",
    "包头市北方建筑工程有限公司",
    "包头市草原运输有限责任公司",
]
CAUSES = [
    ("民初", "民间借贷纠纷", "BT-BYEB-MS"),
    ("民初", "离婚纠纷", "BT-BYEB-MS"),
    ("民初", "物业服务合同纠纷", "BT-BYEB-MS"),
    ("民初", "劳动争议", "BT-BYEB-MS"),
    ("民初", "买卖合同纠纷", "BT-BYEB-MS"),
    ("执", "申请执行民间借贷纠纷判决", "BT-BYEB-ZX"),
    ("执保", "财产保全", "BT-BYEB-ZX"),
    ("刑初", "盗窃罪", "BT-BYEB-XS"),
    ("诉前调", "物业服务合同纠纷", "BT-BYEB-LAT"),
]


def demo_persons(count: int = 24) -> list[dict[str, object]]:
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    persons = []
    for index in range(count):
        region = REGION_CODES[index % len(REGION_CODES)]
        birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        sequence = f"{rng.randint(0, 99):02d}{index % 10}"
        first17 = f"{region}{birth}{sequence}"
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 5) % len(GIVEN)]
        persons.append(
            {
                "name": name,
                "id_number": first17 + resident_id_check_char(first17),
                "mobile": f"138{index:04d}{2026 + index:04d}"[:11],
                "region": region,
                "is_deputy": index == 3,
                "is_cppcc_member": index == 7,
                "is_hardship": index in (5, 11),
            }
        )
    return persons


def demo_enterprises() -> list[dict[str, str]]:
    rows = []
    for index, name in enumerate(ENTERPRISES):
        first8 = f"{(index + 1) * 1234567:08d}"[-8:]
        org_code = first8 + organization_code_check_char(first8)
        first17 = f"91150206{org_code}"
        rows.append({"name": name, "uscc": first17 + uscc_check_char(first17)})
    return rows
