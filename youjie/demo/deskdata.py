"""A year and a half of the demo court's desk, generated (issue 15 item 8): so that the desk
figures' 同比 on the demo are real figures and the dashboards have shape.

Pure and deterministic: the same ``today`` gives the same requests. About four requests a
working day from 540 days ago up to four days ago, every one answered by now (the handful of
requests in every state that ``seed_desk`` registers through the services stay the desk's open
work): most on time, some late; a share rated, a share visited. ``seed_desk_history`` turns
them into rows (numbers, deadlines and the search index as the desk makes them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from youjie.workdays.calendar import SHANGHAI, is_workday

DAYS = 540
RECENT = 4  # the last days have no history: today's requests are the desk's own

# (channel, weight)
CHANNELS = (("phone", 38), ("work_phone", 14), ("walk_in", 22), ("portal", 10), ("wechat", 10),
            ("letter", 3), ("deputies_line", 3))  # fmt: skip
# (matter type code, weight, title, content)
MATTERS = (
    ("case_query", 26, "询问案件进展", "当事人来电询问案件目前的办理进度和下一步安排。"),
    ("contact_judge", 22, "要求联系承办法官", "当事人希望与承办法官沟通案件证据提交事宜。"),
    ("filing_consult", 16, "咨询立案材料", "群众咨询民间借贷纠纷起诉需要准备哪些材料。"),
    ("divorce_filing", 8, "咨询离婚诉讼", "来访群众询问离婚诉讼的管辖和诉讼费用。"),
    ("enforcement_demand", 12, "催促执行到位", "申请执行人反映执行款尚未到账，请求加快执行。"),
    ("appointment", 6, "预约阅卷", "代理律师预约到院查阅案件卷宗。"),
    ("complaint", 4, "反映办案拖延", "当事人反映案件长期未开庭，要求说明情况。"),
    ("suggestion", 3, "对诉讼服务的建议", "群众建议延长诉讼服务中心午间接待时间。"),
    ("errand", 3, "代办材料转交", "当事人请求将补充证据转交承办法官。"),
)
NAMES = ("王建华", "李秀英", "张伟", "刘芳", "陈磊", "杨静", "赵军", "黄丽", "周强", "吴敏",
         "徐涛", "孙燕", "马海军", "朱丽娟", "胡斌", "郭玉兰")  # fmt: skip


@dataclass(frozen=True)
class HistoricRequest:
    created_at: datetime
    channel: str
    matter_type: str
    title: str
    content: str
    requester_name: str
    judge_index: int
    response_share: float  # of the first-response window used; over 1: late
    reply_share: float  # of the completion window used; over 1: late
    closed: bool  # rated or past the feedback window (else replied, awaiting the rating)
    satisfaction: int | None
    visit_result: str | None


def _weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([item[0] for item in items], [item[1] for item in items])[0]


def desk_history(today: date) -> list[HistoricRequest]:
    rng = random.Random(20261123)  # noqa: S311  (demo data, not secrets)
    found: list[HistoricRequest] = []
    matters = tuple((code, weight) for code, weight, _title, _content in MATTERS)
    texts = {code: (title, content) for code, _weight, title, content in MATTERS}
    for offset in range(DAYS, RECENT - 1, -1):
        day = today - timedelta(days=offset)
        if not is_workday(day):
            continue
        # Busier this year than last (the 同比 shows growth), busier on Mondays.
        count = rng.randint(2, 5) + (1 if offset < 365 else 0) + (1 if day.weekday() == 0 else 0)
        for _ in range(count):
            minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
            created = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=SHANGHAI)
            code = _weighted(rng, matters)
            title, content = texts[code]
            on_time = rng.random() < (0.93 if offset < 365 else 0.86)  # better this year
            answered_in_time = rng.random() < 0.9
            rated = rng.random() < 0.45
            satisfaction = rng.choices([5, 4, 3, 2, 1], [55, 28, 10, 4, 3])[0] if rated else None
            found.append(
                HistoricRequest(
                    created_at=created,
                    channel=_weighted(rng, CHANNELS),
                    matter_type=code,
                    title=title,
                    content=content,
                    requester_name=rng.choice(NAMES),
                    judge_index=rng.randrange(0, 12),
                    response_share=rng.uniform(0.05, 0.9) if on_time else rng.uniform(1.1, 2.5),
                    reply_share=(rng.uniform(0.2, 0.95) if answered_in_time
                                 else rng.uniform(1.05, 1.8)),
                    closed=rated or rng.random() < 0.8,
                    satisfaction=satisfaction,
                    visit_result=(
                        rng.choices(["resolved", "unresolved", "unreachable"], [75, 15, 10])[0]
                        if rng.random() < 0.18 else None
                    ),
                )
            )  # fmt: skip
    return found
