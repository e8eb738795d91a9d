"""The screen-pop a staff member sees when a call comes in on their line (DESIGN flow 1)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from youjie.inbound.realtime import CALL_INCOMING
from youjie.inbound.selectors import ScreenPop, screen_pop_get
from youjie.workdays.calendar import SHANGHAI


def _url(name: str, pk: int) -> str:
    """A link into another app's pages; none (rather than an error) if it is not mounted."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _card(pop: ScreenPop) -> dict[str, Any]:
    event = pop.call_event
    card = pop.card
    callback = pop.callback_request
    return {
        "type": CALL_INCOMING,
        "call_event_id": event.pk,
        "line": event.line.number,
        "line_label": event.line.label or event.line.get_kind_display(),
        "caller_masked": event.caller_masked,
        "answered": event.answered,
        "started_at": timezone.localtime(event.started_at, SHANGHAI).strftime("%Y-%m-%d %H:%M"),
        "persons": [
            {
                "name": person.name,
                "url": _url("people:dossier", person.pk),
                "flags": person.flag_labels,
            }
            for person in (card.persons if card else [])
        ],
        "open_requests": [
            {
                "number": request.number,
                "title": request.title,
                "status": request.get_status_display(),
                "url": _url("desk:detail", request.pk),
            }
            for request in (card.open_requests if card else [])
        ],
        "cases": [
            {
                "case_number": case.case_number,
                "cause": case.cause,
                "judge": str(case.judge) if case.judge else "",
                "url": _url("courtcases:detail", case.pk),
            }
            for case in (card.cases if card else [])
        ],
        "callback_request": (
            {"number": callback.number, "url": _url("desk:detail", callback.pk)}
            if callback
            else None
        ),
    }


def screen_pop_payload(*, user_id: int, call_event_id: int) -> dict[str, Any] | None:
    """The JSON sent down the socket: the card as data and as a small escaped HTML fragment."""
    pop = screen_pop_get(user_id=user_id, call_event_id=call_event_id)
    if pop is None:
        return None
    payload = _card(pop)
    payload["html"] = render_to_string("inbound/screenpop_card.html", {"pop": payload})
    return payload
