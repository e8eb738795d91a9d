"""Generated court cases at the demo court (内0206), from October 2024 to today, so that every
同比 of the court figures (审判质效) shows a real figure: the year and a half from June 2025 that
the leaders read, and before it the months that give 2025 its whole year to date and the cases
carried into it (旧存 on 1 January 2025), without which "本年至今" would compare with half a year.

Generated only: no party, no real name; the judges are the demo's. Each working day's cases come
from a random generator seeded by that day, so the history is the same whenever it is loaded,
and a later load adds only the days since. 2026 is made a little better than 2025 (fewer
appeals, quicker closing), as the seed article reports.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

HISTORY_START = date(2024, 10, 1)
# Sequences of the generated numbers start here: clear of the demo's hand-made cases (100–129).
SEQUENCE_BASE = 5000

# type code, division (unit code), share of the day's cases, (shortest, longest, most usual) days
# from filing to closing, causes.
KINDS: tuple[tuple[str, str, int, tuple[int, int, int], tuple[str, ...]], ...] = (
    ("民初", "BT-BYEB-MS", 58, (8, 210, 55), (
        "民间借贷纠纷", "离婚纠纷", "物业服务合同纠纷", "劳动争议", "买卖合同纠纷",
        "机动车交通事故责任纠纷",
    )),
    ("民特", "BT-BYEB-MS", 4, (3, 30, 10), ("申请确认人民调解协议效力",)),
    ("刑初", "BT-BYEB-XS", 9, (12, 110, 40), ("盗窃罪", "危险驾驶罪", "故意伤害罪", "诈骗罪")),
    ("执", "BT-BYEB-ZX", 21, (15, 260, 80), (
        "申请执行民间借贷纠纷判决", "申请执行买卖合同纠纷判决",
    )),
    ("诉前调", "BT-BYEB-LAT", 8, (5, 40, 18), ("物业服务合同纠纷", "民间借贷纠纷")),
)  # fmt: skip
RESULTS = (("affirmed", 50), ("reversed", 15), ("remanded", 10), ("withdrawn", 20), ("other", 5))


@dataclass(frozen=True)
class HistoricCase:
    type_code: str
    division_code: str
    sequence: int
    filed_on: date
    closed_on: date | None
    cause: str
    appealed: bool
    petitioned: bool
    second_instance_result: str
    judge_index: int  # which of the division's judges (modulo their number)

    @property
    def case_number(self) -> str:
        return f"（{self.filed_on.year}）内0206{self.type_code}{self.sequence}号"


def _day_cases(day: date, today: date) -> list[HistoricCase]:
    rng = random.Random(f"youjie-court-history-{day.isoformat()}")  # noqa: S311 - demo data
    improved = day.year >= 2026
    cases = []
    for index in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 5))):
        # Every draw is made, in the same order, whatever "today" is: a case's number and facts
        # do not depend on the day the history is loaded (only whether it is closed yet).
        type_code, division, _share, (low, high, mode), causes = rng.choices(
            KINDS, weights=[kind[2] for kind in KINDS]
        )[0]
        if improved:
            high, mode = int(high * 0.85), int(mode * 0.85)
        duration = round(rng.triangular(low, high, mode))
        appeal_draw, petition_draw = rng.random(), rng.random()
        result = rng.choices([r for r, _ in RESULTS], weights=[w for _, w in RESULTS])[0]
        cause, judge_index = rng.choice(causes), rng.randrange(1000)
        closed_on: date | None = day + timedelta(days=duration)
        if closed_on is not None and closed_on > today:
            closed_on = None
        first_instance = type_code in ("民初", "刑初")
        appealed = bool(
            closed_on and first_instance and appeal_draw < (0.045 if improved else 0.09)
        )
        petitioned = bool(closed_on and first_instance and not appealed and petition_draw < 0.01)
        # The second instance takes a couple of months: recent appeals have no result yet.
        decided = closed_on is not None and closed_on + timedelta(days=70) <= today
        cases.append(
            HistoricCase(
                type_code=type_code,
                division_code=division,
                sequence=SEQUENCE_BASE + day.timetuple().tm_yday * 10 + index,
                filed_on=day,
                closed_on=closed_on,
                cause=cause,
                appealed=appealed,
                petitioned=petitioned,
                second_instance_result=result if appealed and decided else "",
                judge_index=judge_index,
            )
        )
    return cases


def court_history(today: date) -> list[HistoricCase]:
    """Every generated case filed on a weekday from HISTORY_START to ``today``."""
    cases: list[HistoricCase] = []
    day = HISTORY_START
    while day <= today:
        if day.weekday() < 5:
            cases.extend(_day_cases(day, today))
        day += timedelta(days=1)
    return cases
