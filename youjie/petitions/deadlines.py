"""The statutory clocks of a petition matter (信访工作条例, 2022; DOMAIN.md §0, §1).

Each function takes the date the period starts from and returns a ``StatutoryDeadline``: the
last day, the article it comes from (to show beside it) and the calendar warning.

Counting (DOMAIN.md §0, ``youjie.workdays.calendar``): the start day is not counted (民法典
Art. 201); a period in 日 is counted in calendar days and, when its last day is a day off
(weekends and public holidays, 调休 respected), ends on the next working day (民法典 Art. 203,
民事诉讼法 Art. 85); a period in 工作日 counts working days only. These functions touch no
matter: the services store what they return on the matter, the pages show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from youjie.core.errors import ValidationFailed
from youjie.workdays.calendar import add_workdays, range_warning, statutory_deadline
from youjie.workdays.choices import DeadlineUnit

REGULATION = "《信访工作条例》"
NOTICE_DAYS = 15  # Art. 23 ¶2–3: written notice within 15 日 of receipt
HANDLING_DAYS = 60  # Art. 34: handled within 60 日 of acceptance
MAX_EXTENSION_DAYS = 30  # Art. 34: extension ≤ 30 日, the reason told to the petitioner
REVIEW_DAYS = 30  # Art. 35 (复查) and Art. 36 (复核): request and decision, 30 日 each
OBJECTION_WORKDAYS = 5  # Art. 23 ¶3: an organ outside its remit objects within 5 个工作日


@dataclass(frozen=True)
class StatutoryDeadline:
    """One clock: what it is, from when, how long, until when, and by which article."""

    clock: str
    start: date
    days: int
    unit: DeadlineUnit
    due: date
    article: str
    warning: str | None

    @property
    def label(self) -> str:
        """e.g. "办理期限 60日（《信访工作条例》第三十四条）"."""
        unit = "个工作日" if self.unit == DeadlineUnit.WORKDAYS else "日"
        return f"{self.clock} {self.days}{unit}（{self.article}）"


def _calendar_days(clock: str, start: date, days: int, article: str) -> StatutoryDeadline:
    due = statutory_deadline(start, days)
    return StatutoryDeadline(
        clock=clock,
        start=start,
        days=days,
        unit=DeadlineUnit.CALENDAR_DAYS,
        due=due,
        article=article,
        warning=range_warning(start, due),
    )


def notice_deadline(received_on: date, *, forwarded: bool = False) -> StatutoryDeadline:
    """Written notice to the petitioner whether the matter is accepted: 15 日 from receipt.

    Art. 23 ¶2 for a petition made directly to the organ, ¶3 for one forwarded or assigned
    (转送、交办) to it."""
    paragraph = "第三款" if forwarded else "第二款"
    return _calendar_days(
        "告知期限", received_on, NOTICE_DAYS, f"{REGULATION}第二十三条{paragraph}"
    )


def check_extension_days(days: int) -> None:
    """An extension is 1 to 30 日 (Art. 34); anything else is refused with a Chinese message."""
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(
            f"延长期限应为1至{MAX_EXTENSION_DAYS}日（{REGULATION}第三十四条）",
            code="extension_out_of_range",
            fields={"days": [f"应为1至{MAX_EXTENSION_DAYS}日"]},
        )


def handling_deadline(accepted_on: date, *, extension_days: int = 0) -> StatutoryDeadline:
    """Handling within 60 日 of acceptance; with an approved extension, 60 + up to 30 日.

    The extension lengthens the one period (counted from acceptance; only its final last day
    rolls over a day off), rather than starting a second period after the first."""
    if extension_days:
        check_extension_days(extension_days)
    clock = "延长后办理期限" if extension_days else "办理期限"
    return _calendar_days(
        clock, accepted_on, HANDLING_DAYS + extension_days, f"{REGULATION}第三十四条"
    )


def review_request_deadline(reply_received_on: date) -> StatutoryDeadline:
    """复查: the petitioner asks within 30 日 of receiving the written reply (Art. 35)."""
    return _calendar_days("申请复查期限", reply_received_on, REVIEW_DAYS, f"{REGULATION}第三十五条")


def review_decision_deadline(review_received_on: date) -> StatutoryDeadline:
    """复查: the organ one level up decides within 30 日 of receiving the request (Art. 35)."""
    return _calendar_days("复查期限", review_received_on, REVIEW_DAYS, f"{REGULATION}第三十五条")


def recheck_request_deadline(review_reply_received_on: date) -> StatutoryDeadline:
    """复核: the petitioner asks within 30 日 of receiving the 复查 reply (Art. 36)."""
    return _calendar_days(
        "申请复核期限", review_reply_received_on, REVIEW_DAYS, f"{REGULATION}第三十六条"
    )


def recheck_decision_deadline(
    recheck_received_on: date, *, hearing_days: int = 0
) -> StatutoryDeadline:
    """复核: an opinion within 30 日 of the request; time spent on a hearing (听证) is not
    counted (Art. 36), so the period is lengthened by the hearing's days."""
    if hearing_days < 0:
        raise ValidationFailed("听证天数不能为负数", fields={"hearing_days": ["不能为负数"]})
    return _calendar_days(
        "复核期限", recheck_received_on, REVIEW_DAYS + hearing_days, f"{REGULATION}第三十六条"
    )


def objection_deadline(received_on: date) -> StatutoryDeadline:
    """An organ that finds a forwarded matter outside its remit objects within 5 个工作日
    (Art. 23 ¶3): counted in working days, the day of receipt not counted."""
    due = add_workdays(received_on, OBJECTION_WORKDAYS)
    return StatutoryDeadline(
        clock="异议期限",
        start=received_on,
        days=OBJECTION_WORKDAYS,
        unit=DeadlineUnit.WORKDAYS,
        due=due,
        article=f"{REGULATION}第二十三条第三款",
        warning=range_warning(received_on, due),
    )


# --- coordination requests and 国家司法救助 (issue 13 item 4) ----------------------------------

COORDINATION_MAX_WORKDAYS = 60
AID_OPINION = "中政委〔2014〕3号《关于建立完善国家司法救助制度的意见（试行）》"
AID_DECISION_WORKDAYS = 10  # 审批: an opinion on whether and how much within 10 个工作日
AID_PAYMENT_WORKDAYS = 2  # 发放: the applicant told within 2 个工作日 of the funds arriving


def _workdays(clock: str, start: date, days: int, article: str) -> StatutoryDeadline:
    due = add_workdays(start, days)
    return StatutoryDeadline(
        clock=clock,
        start=start,
        days=days,
        unit=DeadlineUnit.WORKDAYS,
        due=due,
        article=article,
        warning=range_warning(start, due),
    )


def coordination_deadline(sent_on: date, workdays: int) -> StatutoryDeadline:
    """The department answers within ``workdays`` working days of the request (a time limit
    set by the office, ``YOUJIE_COORDINATION_WORKDAYS`` by default; no statute sets one)."""
    if not 1 <= workdays <= COORDINATION_MAX_WORKDAYS:
        raise ValidationFailed(
            f"答复时限应为1至{COORDINATION_MAX_WORKDAYS}个工作日",
            code="workdays_out_of_range",
            fields={"workdays": [f"应为1至{COORDINATION_MAX_WORKDAYS}个工作日"]},
        )
    return _workdays("答复期限", sent_on, workdays, "协调联动工作要求")


def aid_decision_deadline(applied_on: date) -> StatutoryDeadline:
    """国家司法救助 审批: the handling organ gives its opinion within 10 个工作日 of the
    application (DOMAIN.md §8, the 2014 意见's 救助程序; local 审核小组 rules say the same)."""
    return _workdays("审批期限", applied_on, AID_DECISION_WORKDAYS, f"{AID_OPINION}救助程序·审批")


def aid_payment_deadline(funds_arrived_on: date) -> StatutoryDeadline:
    """国家司法救助 发放: the applicant is told within 2 个工作日 of the funds arriving
    (DOMAIN.md §8, the 2014 意见's 救助程序)."""
    return _workdays(
        "发放期限", funds_arrived_on, AID_PAYMENT_WORKDAYS, f"{AID_OPINION}救助程序·发放"
    )
