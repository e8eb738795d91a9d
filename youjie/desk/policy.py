"""Configurable desk rules, read from settings at call time (DOMAIN.md §3: courts set them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DeskPolicy:
    # An unaccepted transfer returns to the first-contact owner after this many work hours.
    transfer_acceptance_hours: int = 4
    # Without feedback, a replied request closes after this many working days.
    feedback_window_workdays: int = 5
    # Share (0–100 %) of closed requests that are neither complaints nor rated poorly that
    # get a return visit anyway.
    return_visit_sample_percent: int = 20
    # Ratings at or below this are "dissatisfied" and always get a return visit.
    dissatisfied_at_or_below: int = 2
    # Same requester, similar text within this many days → flagged as a repeat.
    repeat_window_days: int = 30
    repeat_similarity: float = 0.5
    # Remind the assignee this many work hours before a deadline.
    reminder_lead_hours: int = 4
    # Deadline for calling back a missed call, in work hours.
    callback_hours: int = 2
    # Links in messages (feedback, checklists) start here: settings.YOUJIE_PUBLIC_URL.
    public_base_url: str = ""


def desk_policy() -> DeskPolicy:
    overrides = getattr(settings, "YOUJIE_DESK_POLICY", {}) or {}
    return DeskPolicy(**{"public_base_url": settings.YOUJIE_PUBLIC_URL, **overrides})
