"""Demo hearings (互联网+庭审) at the 白云鄂博 court, on judge 李敏's civil cases of the demo case
list (youjie/demo/services.py, seed_court_cases): one online tomorrow, one in a courtroom next
week, one held with its attendance, one postponed to a new date. Times are relative to the day
the demo is loaded, 09:30 and 14:30 Beijing time."""

from __future__ import annotations

from typing import Any

HEARING_LINK = "https://ting.byebkqfy.example.cn/room/2026-100"

DEMO_HEARINGS: list[dict[str, Any]] = [
    {
        "case_number": "（2026）内0206民初100号",
        "plan": "online",
        "days": 1,
        "time": (9, 30),
        "link": HEARING_LINK,
        "others": [("agent", "王建华律师", "13904720101")],
    },
    {
        "case_number": "（2026）内0206民初101号",
        "plan": "in_person",
        "days": 7,
        "time": (14, 30),
        "courtroom": "第一审判庭",
        "others": [("witness", "刘桂兰", "")],
    },
    {
        "case_number": "（2026）内0206民初102号",
        "plan": "held",
        "days": -2,
        "time": (9, 30),
        "courtroom": "第二审判庭",
        "others": [("agent", "赵丽律师", "13904720102")],
        # By participant, in order: the parties, then the others.
        "attendance": ["present", "absent_with_leave", "present"],
    },
    {
        "case_number": "（2026）内0206民初103号",
        "plan": "postponed",
        "days": 3,
        "time": (9, 30),
        "courtroom": "第一审判庭",
        "others": [],
        "reason": "被告申请调取证据，经审查准许，延期开庭",
        "new_days": 17,
    },
]
