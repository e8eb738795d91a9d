"""The portal's party check, offered to the desk (youjie/desk/casequery.py): the one the public
case-progress page (网上查询) uses — a party's (or the filer's) phone on file, a lawyer's
licence number on file, and a one-time SMS code where a gateway delivers it — so that a
receptionist answering a 案件查询 call tells case details only after the same check.

Registered in PortalConfig.ready(). The desk's codes are the portal's ``TrackingCode`` rows
(about the court case), limited per mobile like the public ones; the desk has no client
address to count (a receptionist's desk is one address for every caller)."""

from __future__ import annotations

from typing import Any

from youjie.courtcases.models import CourtCase
from youjie.desk.casequery import CodeOutcome, party_check_register
from youjie.portal import selectors, services


class PortalPartyCheck:
    def sms_required(self) -> bool:
        return selectors.sms_gateway_configured()

    def _subject(self, court_case: CourtCase) -> selectors.CaseSubject:
        subject = selectors.case_subject_find(key=court_case.case_number)
        if subject is None or subject.court_case is None:
            return selectors.CaseSubject(court_case=court_case, filing=None)
        return subject

    def identity_check(
        self, *, court_case: CourtCase, mobile: str, lawyer_licence: str | None
    ) -> bool:
        return selectors.case_identity_check(
            subject=self._subject(court_case), mobile=mobile, lawyer_licence=lawyer_licence
        )

    def code_send(self, *, court_case: CourtCase, mobile: str) -> int:
        sent = services.tracking_code_send(court_case=court_case, mobile=mobile, client_ip="")
        return sent.code_id

    def code_verify(self, *, court_case: CourtCase, code_id: int, code: str) -> CodeOutcome:
        check = services.tracking_code_verify(code_id=code_id, code=code)
        if check.ok and check.court_case_id != court_case.pk:
            return CodeOutcome(ok=False, expired=True)
        return CodeOutcome(ok=check.ok, expired=check.expired, attempts_left=check.attempts_left)

    def progress(self, *, court_case: CourtCase) -> Any:
        return selectors.case_progress(subject=self._subject(court_case))


def register() -> None:
    party_check_register(PortalPartyCheck())
