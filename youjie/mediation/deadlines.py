"""The clocks of a mediation, each with the rule it comes from (DOMAIN.md §0, §7).

Working-day periods go through ``add_workdays``, calendar-day periods through
``statutory_deadline`` (the start day is not counted; a last day on a rest day moves to the next
working day: 民法典 Art. 201, 203; 民事诉讼法 Art. 85).

- The court assigns a mediator within 3 working days of the application (人民法院在线调解规则
  Art. 10); the mediator confirms acceptance within 3 working days (Art. 12).
- Pre-litigation mediation lasts 30 days from acceptance, longer when all parties agree
  (Art. 24).
- A judicial confirmation is applied for within 30 days of the agreement taking effect
  (民事诉讼法 Art. 205; 人民调解法 Art. 33); the court decides on acceptance within 3 days and on
  confirmation within 15 days of acceptance, +10 days with the president's approval
  (最高人民法院关于人民调解协议司法确认程序的若干规定 Art. 4, 5).
- A failed mediation sends the filing back to review, which decides within 7 days
  (民事诉讼法 Art. 126).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from youjie.mediation.choices import ConfirmationStatus
from youjie.mediation.models import JudicialConfirmation, Mediation
from youjie.workdays.calendar import SHANGHAI, add_workdays, statutory_deadline

ASSIGN_WORKDAYS = 3
ACCEPT_WORKDAYS = 3
MEDIATION_DAYS = 30
CONFIRMATION_APPLY_DAYS = 30
CONFIRMATION_ACCEPT_DAYS = 3
CONFIRMATION_DECIDE_DAYS = 15
CONFIRMATION_EXTENSION_DAYS = 10
REVIEW_DAYS = 7

ASSIGN_BASIS = "人民法院在线调解规则第十条：收到调解申请后3个工作日内指派调解员"
ACCEPT_BASIS = "人民法院在线调解规则第十二条：调解员3个工作日内确认接受委派"
MEDIATION_BASIS = (
    "人民法院在线调解规则第二十四条：立案前委派调解期限30日，自调解组织或调解员确认接受之日起算；"
    "各方当事人同意的可以延长"
)
APPLY_BASIS = "民事诉讼法第二百零五条、人民调解法第三十三条：自调解协议生效之日起30日内共同申请"
CONFIRMATION_ACCEPT_BASIS = "司法确认程序若干规定第四条：收到申请后3日内决定是否受理"
CONFIRMATION_DECIDE_BASIS = (
    "司法确认程序若干规定第五条：受理之日起15日内作出是否确认的决定；经院长批准可延长10日"
)
REVIEW_BASIS = "民事诉讼法第一百二十六条：7日内决定是否立案"


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, SHANGHAI).date()


def assign_due(applied_on: date) -> date:
    return add_workdays(applied_on, ASSIGN_WORKDAYS)


def accept_due(assigned_on: date) -> date:
    return add_workdays(assigned_on, ACCEPT_WORKDAYS)


def mediation_due(accepted_on: date) -> date:
    return statutory_deadline(accepted_on, MEDIATION_DAYS)


def confirmation_apply_due(agreed_on: date) -> date:
    return statutory_deadline(agreed_on, CONFIRMATION_APPLY_DAYS)


def confirmation_accept_due(applied_on: date) -> date:
    return statutory_deadline(applied_on, CONFIRMATION_ACCEPT_DAYS)


def confirmation_decide_due(accepted_on: date, *, extended: bool) -> date:
    days = CONFIRMATION_DECIDE_DAYS + (CONFIRMATION_EXTENSION_DAYS if extended else 0)
    return statutory_deadline(accepted_on, days)


def review_due(day: date) -> date:
    return statutory_deadline(day, REVIEW_DAYS)


@dataclass(frozen=True)
class Clock:
    """One time limit: when it ends, when its step was done (None while open), the rule."""

    label: str
    due_on: date
    done_on: date | None
    basis: str

    def state(self, today: date) -> str:
        """done (in time), late (done after the limit), open, overdue."""
        if self.done_on is not None:
            return "late" if self.done_on > self.due_on else "done"
        return "overdue" if today > self.due_on else "open"

    def state_label(self, today: date) -> str:
        return {"done": "按期完成", "late": "超期完成", "open": "进行中", "overdue": "已超期"}[
            self.state(today)
        ]


def mediation_clocks(
    mediation: Mediation, confirmation: JudicialConfirmation | None = None
) -> list[Clock]:
    """The mediation's clocks so far, in the order they run."""
    assigned_on = local_date(mediation.assigned_at)
    accepted_on = local_date(mediation.accepted_at) if mediation.accepted_at else None
    ended_on = local_date(mediation.ended_at) if mediation.ended_at else None
    clocks = [
        Clock("委派调解员", assign_due(mediation.applied_on), assigned_on, ASSIGN_BASIS),
        Clock(
            "调解员确认接受",
            accept_due(assigned_on),
            accepted_on if accepted_on else ended_on,
            ACCEPT_BASIS,
        ),
    ]
    if mediation.due_on is not None:
        finished = mediation.agreed_on or ended_on
        clocks.append(Clock("调解期限", mediation.due_on, finished, MEDIATION_BASIS))
    if mediation.agreed_on is not None:
        applied = confirmation.applied_on if confirmation is not None else None
        if applied is None and ended_on is not None:
            applied = ended_on
        clocks.append(
            Clock("申请司法确认", confirmation_apply_due(mediation.agreed_on), applied, APPLY_BASIS)
        )
    if confirmation is not None:
        accepted = confirmation.accepted_on
        if accepted is None and confirmation.status != ConfirmationStatus.APPLIED:
            accepted = confirmation.decided_on
        clocks.append(
            Clock(
                "决定是否受理",
                confirmation_accept_due(confirmation.applied_on),
                accepted,
                CONFIRMATION_ACCEPT_BASIS,
            )
        )
        if confirmation.accepted_on is not None:
            decided = None
            if confirmation.status != ConfirmationStatus.ACCEPTED:
                decided = confirmation.decided_on
            clocks.append(
                Clock(
                    "作出确认决定",
                    confirmation_decide_due(
                        confirmation.accepted_on, extended=confirmation.decision_extended
                    ),
                    decided,
                    CONFIRMATION_DECIDE_BASIS,
                )
            )
    return clocks
