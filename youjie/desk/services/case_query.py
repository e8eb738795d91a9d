"""案件查询: the party check before a receptionist tells a caller anything about a case.

The check is the portal's (youjie/desk/casequery.py says why it is reached through a registry):
the caller's phone must be a party's phone on file (or the filer's), a lawyer's licence number
the one on file, and where an SMS gateway delivers, the one-time code sent to that phone must be
read back. These services run its steps for a request of the 案件查询 type linked to a court case,
and write the outcome on the request's timeline:

- ``case_query_code_send``: the identity check, then a code to the phone (no gateway: the
  identity check alone verifies, as on the portal);
- ``case_query_code_verify``: the code read back;
- ``case_query_verified`` events (with the masked phone and whether a code was read back) open
  the answer on the request page; ``case_query_check_failed`` records a phone or licence that is
  not on file, or a code given up on (a non-party asking about a case is worth knowing).

Who may run them: whoever may act on the request (``permissions.can_act_on``), while it is open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from youjie.core.crypto import decrypt_text
from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import event_record
from youjie.desk.casequery import FAILED_VERB, VERIFIED_VERB, is_case_query, party_check
from youjie.desk.choices import ENDED_STATUSES
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import can_act_on
from youjie.orgs.models import User
from youjie.people.validators import mask_mobile, normalize_mobile

LICENCE_PATTERN = re.compile(r"^\d{17}$")
NOT_ON_FILE = (
    "该手机号码（或律师执业证号）与本案在案登记的当事人、代理律师信息不符，不能告知案件情况"
)


@dataclass(frozen=True)
class CodeSent:
    """A code on its way (``code_id`` to check it with), or, with no SMS gateway, the
    request already verified (``verified``)."""

    code_id: int | None
    mobile_masked: str
    identity: str
    verified: bool


def _require(actor: User, service_request: ServiceRequest) -> None:
    if not is_case_query(service_request):
        raise ValidationFailed("该诉求不是关联案件的案件查询，无需核验身份", code="not_case_query")
    if not can_act_on(actor, service_request):
        raise PermissionDenied("只有该诉求的首接人、承办人或其领导可以核验来电人身份")
    if service_request.status in ENDED_STATUSES:
        raise ValidationFailed("该诉求已结束，不能再核验身份", code="request_ended")


def _mobile(service_request: ServiceRequest, given: str) -> str:
    """The phone the code goes to: the one the caller gives now, else the request's."""
    raw = given.strip() or decrypt_text(service_request.requester_mobile_encrypted or "")
    if not raw:
        message = "诉求未留手机号码，请填写来电人的手机号码"
        raise ValidationFailed(message, code="mobile_missing", fields={"mobile": [message]})
    try:
        return normalize_mobile(raw[:40])
    except ValidationError as exc:
        raise ValidationFailed(
            "手机号码无效", code="mobile_invalid", fields={"mobile": exc.messages}
        ) from exc


def _licence(identity: str, licence: str) -> str | None:
    if identity != "lawyer":
        return None
    licence = licence.strip()
    if not LICENCE_PATTERN.match(licence):
        message = "代理律师请填写17位律师执业证号"
        raise ValidationFailed(
            message, code="licence_invalid", fields={"lawyer_licence": [message]}
        )
    return licence


def _verified(
    actor: User, service_request: ServiceRequest, *, masked: str, identity: str, by_code: bool
) -> None:
    with transaction.atomic():
        event_record(
            subject=service_request,
            verb=VERIFIED_VERB,
            actor=actor,
            data={
                "case_id": service_request.related_case_id,
                "mobile": masked,
                "identity": identity,
                "by_code": by_code,
            },
        )


def _failed(actor: User, service_request: ServiceRequest, *, masked: str, why: str) -> None:
    with transaction.atomic():
        event_record(
            subject=service_request,
            verb=FAILED_VERB,
            actor=actor,
            reason=why,
            data={"case_id": service_request.related_case_id, "mobile": masked},
        )


def case_query_code_send(
    *,
    actor: User,
    service_request: ServiceRequest,
    mobile: str = "",
    identity: str = "party",
    lawyer_licence: str = "",
) -> CodeSent:
    """Step 1: the phone (and a lawyer's licence) against what is on file for the case, then a
    code to that phone. A phone or licence not on file is refused (and recorded)."""
    _require(actor, service_request)
    if identity not in ("party", "lawyer"):
        raise ValidationFailed("请选择来电人身份", fields={"identity": ["请选择来电人身份"]})
    number = _mobile(service_request, mobile)
    licence = _licence(identity, lawyer_licence)
    masked = mask_mobile(number)
    court_case = service_request.related_case
    assert court_case is not None
    check = party_check()
    if not check.identity_check(court_case=court_case, mobile=number, lawyer_licence=licence):
        _failed(actor, service_request, masked=masked, why="手机号码或执业证号与在案信息不符")
        raise ValidationFailed(NOT_ON_FILE, code="not_a_party")
    if not check.sms_required():
        _verified(actor, service_request, masked=masked, identity=identity, by_code=False)
        return CodeSent(code_id=None, mobile_masked=masked, identity=identity, verified=True)
    code_id = check.code_send(court_case=court_case, mobile=number)
    return CodeSent(code_id=code_id, mobile_masked=masked, identity=identity, verified=False)


@dataclass(frozen=True)
class CodeChecked:
    ok: bool
    expired: bool = False
    attempts_left: int = 0


def case_query_code_verify(
    *,
    actor: User,
    service_request: ServiceRequest,
    code_id: int,
    code: str,
    mobile_masked: str,
    identity: str,
) -> CodeChecked:
    """Step 2: the code the caller reads back. Right: the request is verified (an event);
    wrong: an attempt is used up; five wrong, or expired: a new code is needed (recorded)."""
    _require(actor, service_request)
    court_case = service_request.related_case
    assert court_case is not None
    outcome = party_check().code_verify(court_case=court_case, code_id=code_id, code=code)
    if outcome.ok:
        _verified(
            actor,
            service_request,
            masked=mobile_masked,
            identity=identity if identity in ("party", "lawyer") else "party",
            by_code=True,
        )
    elif outcome.expired:
        _failed(actor, service_request, masked=mobile_masked, why="验证码已失效或错误次数过多")
    return CodeChecked(ok=outcome.ok, expired=outcome.expired, attempts_left=outcome.attempts_left)
