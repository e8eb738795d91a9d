"""案件查询: what the desk may tell a caller about a case, and the party check before it.

Case details go to the parties of the case and their lawyers only (issue 14, item 2: "the
desk's case-query answers use the same check" as the portal's 网上查询). The check is one
implementation, the portal's (youjie/portal/partycheck.py): the caller's phone must be a phone
on file for a party of the case (or the filer's), a lawyer must also give the licence number
on file, and where an SMS gateway delivers, a one-time code is sent to that phone and read back.

It lives with the portal because its one-time codes, their rate limits and their table do
(youjie.portal.models.TrackingCode), and the portal stands above the desk in the layers: so the
desk owns this small interface and the portal registers its implementation in its
AppConfig.ready() (the registry pattern of youjie.core.links and people.dossier). Without one
registered, nothing is told: ``party_check()`` refuses.

The desk records the outcome on the request's timeline (``services.case_query``); the request
page shows "身份未核验" and the check's two steps until then, and the answer after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from youjie.core.errors import ApplicationError
from youjie.courtcases.models import CourtCase
from youjie.desk.models import ServiceRequest

CASE_QUERY_CODE = "case_query"
# The request's timeline: the check passed (the answer opens), or a phone, licence or code
# that failed it.
VERIFIED_VERB = "case_query_verified"
FAILED_VERB = "case_query_check_failed"


def is_case_query(service_request: ServiceRequest) -> bool:
    """A 案件查询 request that names a court case: what it is told waits for the party check."""
    return (
        service_request.related_case_id is not None
        and service_request.matter_type.code == CASE_QUERY_CODE
    )


class PartyCheckUnavailable(ApplicationError):
    status_code = 503
    default_code = "party_check_unavailable"


@dataclass(frozen=True)
class CodeOutcome:
    """What checking a code said: ``ok``, or why not (``expired``: a new code is needed)."""

    ok: bool
    expired: bool = False
    attempts_left: int = 0


class PartyCheck(Protocol):
    """The party check, as the portal implements it."""

    def sms_required(self) -> bool:
        """Whether a code is sent (only where an SMS gateway delivers it)."""

    def identity_check(
        self, *, court_case: CourtCase, mobile: str, lawyer_licence: str | None
    ) -> bool:
        """Whether ``mobile`` is a party's (or the filer's) phone on file for the case and, for
        a lawyer (``lawyer_licence`` given), the licence number is the one on file."""

    def code_send(self, *, court_case: CourtCase, mobile: str) -> int:
        """Send a one-time code to ``mobile`` about the case; the code's id."""

    def code_verify(self, *, court_case: CourtCase, code_id: int, code: str) -> CodeOutcome:
        """Check a code read back (each check uses up an attempt); a code sent about another
        case is no good."""

    def progress(self, *, court_case: CourtCase) -> Any:
        """What a verified party is shown: the portal's case progress (stage, court, division,
        judge, hearings, documents, fee notices)."""


_REGISTERED: list[PartyCheck] = []


def party_check_register(check: PartyCheck) -> PartyCheck:
    """Register the implementation (the portal's AppConfig.ready(); once)."""
    _REGISTERED[:] = [check]
    return check


def party_check() -> PartyCheck:
    if not _REGISTERED:
        raise PartyCheckUnavailable("当事人身份核验服务未启用，暂不能告知案件情况")
    return _REGISTERED[0]
