"""The public portal's cases for the hostile-input sweeps (tests/hostile/cases.py says what
goes here): every form behind its form guard (token and honeypot), tracking codes as if sent
by SMS (for a desk request and for a party's court case), and the rate-limit slot a well-formed
attempt takes."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from tests.hostile.cases import MISSING, Case, FormSpec, HostileCases, PathValues, World
from youjie.portal import access
from youjie.portal import services as portal_services
from youjie.portal.formguard import form_token_issue
from youjie.portal.forms import (
    CaseCodeForm,
    CaseQueryForm,
    CodeForm,
    FeedbackForm,
    SubmitForm,
    TrackForm,
    WithdrawForm,
)
from youjie.portal.models import TrackingCode

TRACKING_CODE = "123456"

# The portal takes a rate-limit slot once the form is well-formed, before the desk service or
# the lookup decides: a wrong number, mobile or code is an attempt, and attempts are counted.
COUNTED = {"portal_ratelimitcounter": "an attempt is counted before the service decides"}


def guard(form_name: str, *, age: float = 10.0) -> dict[str, Any]:
    """The portal's form guard: a token issued ``age`` seconds before the request is sent (so
    made when it is sent) and an empty honeypot."""

    def token() -> str:
        return form_token_issue(form_name, issued_at=time.time() - age)

    return {"form_token": token, "website": ""}


def guard_cases(form_name: str) -> list[Case]:
    other = "track" if form_name != "track" else "submit"
    return [
        Case("form token missing", {"form_token": MISSING}),
        Case("form token forged", {"form_token": "abc:def:ghi"}),
        Case("form token of another form", guard(other)),
        Case("form token 5,000 chars", {"form_token": "x" * 5000}),
        Case("sent back at once", guard(form_name, age=0)),
        Case("sent back after three hours", guard(form_name, age=3 * 3600)),
        Case("honeypot filled", {"website": "http://spam.example"}),
    ]


def build(world: World) -> None:
    world.put(
        tracking_code=TrackingCode.objects.create(  # as if sent by SMS (portal:track_code)
            service_request=world.routed,  # the desk's
            mobile_hash="0" * 64,
            salt="hostile-salt",
            code_hash=portal_services._code_hash("hostile-salt", TRACKING_CODE),
            expires_at=timezone.now() + timedelta(minutes=10),
        ),
        case_tracking_code=TrackingCode.objects.create(  # as if sent (portal:case_code)
            court_case=world.court_case,  # courtcases'
            mobile_hash="0" * 64,
            salt="hostile-salt",
            code_hash=portal_services._code_hash("hostile-salt", TRACKING_CODE),
            expires_at=timezone.now() + timedelta(minutes=10),
        ),
    )


def path_values(world: World) -> PathValues:
    numbers = [r.number for r in world.requests]
    return {
        ("portal:track_detail", "number"): numbers,
        ("portal:withdraw", "number"): numbers,
        ("portal:checklist", "code"): ["divorce_filing", "case_query"],
        ("portal:checklist", "version"): ["1", "2"],
        ("portal:feedback", "token"): [world.feedback_token],
        ("portal:feedback_thanks", "token"): [world.feedback_token],
        # The case courtcases made (its party is people's, with a phone), a filing number
        # nobody has, and a number that is neither.
        ("portal:case_progress", "number"): [
            world.court_case.case_number,
            "网立2026-000001",
            "SS20261128-00001",
        ],
    }


def _session(values: Callable[[], dict[str, Any]]) -> Callable[[Client], None]:
    def setup(client: Client) -> None:
        session = client.session
        session.update(values())
        session.save()

    return setup


def form_specs(world: World) -> list[FormSpec]:
    pending_code = _session(
        lambda: {
            access.PENDING_KEY: {
                "number": world.routed.number,
                "code_id": world.tracking_code.pk,
                "until": time.time() + 600,
            }
        }
    )
    verified = _session(lambda: {access.VERIFIED_KEY: {world.routed.number: time.time() + 600}})
    pending_case_code = _session(
        lambda: {
            access.CASE_PENDING_KEY: {
                "key": world.court_case.case_number,
                "code_id": world.case_tracking_code.pk,
                "by": "138****5678",
                "until": time.time() + 600,
            }
        }
    )
    return [
        FormSpec(
            name="portal:submit",
            persona="anonymous",
            may_write=COUNTED,
            url="/portal/submit/",
            base={
                **guard("submit"),
                "name": "赵敏",
                "mobile": "139 1234 5678",
                "matter_type": "contact_judge",
                "title": "想联系承办法官",
                "content": "我的案件已立案两周，想了解开庭时间安排。",
                "case_number": "",
            },
            form=lambda data, files: SubmitForm(data),
            extra=[
                *guard_cases("submit"),
                Case("mobile not a mobile", {"mobile": "12345"}),
                Case("malformed case number", {"case_number": "（2026）内民初号"}),
            ],
        ),
        FormSpec(
            name="portal:track",
            persona="anonymous",
            may_write=COUNTED,
            url="/portal/track/",
            base={**guard("track"), "number": world.routed.number, "mobile": "13812345678"},
            form=lambda data, files: TrackForm(data),
            control="redirects",
            extra=[
                *guard_cases("track"),
                Case("wrong mobile", {"mobile": "13900000000"}),
                Case("unknown number", {"number": "SS20000101-00001"}),
            ],
        ),
        FormSpec(
            name="portal:track_code",
            persona="anonymous",
            url="/portal/track/code/",
            base={**guard("track_code"), "code": TRACKING_CODE},
            form=lambda data, files: CodeForm(data),
            control="redirects",  # to the request: the code's use is counted like an attempt
            setup=pending_code,
            may_write={
                **COUNTED,
                "portal_trackingcode": "a wrong code counts an attempt (five spend it)",
            },
            extra=[*guard_cases("track_code"), Case("wrong code", {"code": "654321"})],
        ),
        FormSpec(
            name="portal:withdraw",
            persona="anonymous",
            may_write=COUNTED,
            url=f"/portal/track/{world.routed.number}/withdraw/",
            base={**guard("withdraw"), "reason": "问题已解决"},
            form=lambda data, files: WithdrawForm(data),
            setup=verified,
            extra=[
                *guard_cases("withdraw"),
                Case(
                    "request not verified",
                    {},
                    url=f"/portal/track/{world.in_progress.number}/withdraw/",
                ),
            ],
        ),
        FormSpec(
            name="portal:cases",
            persona="anonymous",
            may_write=COUNTED,
            url="/portal/cases/",
            base={
                **guard("case_query"),
                "number": world.court_case.case_number,
                "mobile": "13812345678",  # people's party of the case
                "identity": "party",
                "lawyer_licence": "",
            },
            form=lambda data, files: CaseQueryForm(data),
            control="redirects",  # to the case (no SMS gateway while swept)
            extra=[
                *guard_cases("case_query"),
                Case("not a party's mobile", {"mobile": "13900000000"}),
                Case("unknown case", {"number": "（2026）内0206民初99999号"}),
                Case("unknown filing", {"number": "网立2026-999999"}),
                Case("neither number", {"number": "SS20261128-00001"}),
                Case("a lawyer without a licence", {"identity": "lawyer"}),
                Case("a licence not on file", {"identity": "lawyer", "lawyer_licence": "1" * 17}),
                Case("a licence of 16 digits", {"identity": "lawyer", "lawyer_licence": "1" * 16}),
            ],
        ),
        FormSpec(
            name="portal:case_code",
            persona="anonymous",
            url="/portal/cases/code/",
            base={**guard("case_code"), "code": TRACKING_CODE},
            form=lambda data, files: CaseCodeForm(data),
            control="redirects",  # to the case
            setup=pending_case_code,
            may_write={
                **COUNTED,
                "portal_trackingcode": "a wrong code counts an attempt (five spend it)",
            },
            extra=[*guard_cases("case_code"), Case("wrong code", {"code": "654321"})],
        ),
        FormSpec(
            name="portal:feedback",
            persona="anonymous",
            may_write=COUNTED,
            url=f"/portal/feedback/{world.feedback_token}/",
            base={**guard("feedback"), "satisfaction": "5", "comment": ""},
            form=lambda data, files: FeedbackForm(data),
            extra=[
                *guard_cases("feedback"),
                Case("unknown token", {}, url="/portal/feedback/nope/"),
            ],
        ),
    ]


CASES = HostileCases(
    users=("receptionist", "judge"),
    page_settings={
        "YOUJIE_PORTAL_RATE_LIMITS": {},  # each case starts from zero attempts
        # Two courts in the demo tree (青山区 for cross-domain filing): the portal serves one.
        "YOUJIE_PORTAL_COURT_CODE": "BT-BYEB-FY",
    },
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_names=("number",),  # portal:track's ?number= (the done page's button)
    unresolvable=("/portal/track/a/b/c/d/", "/portal/cases/a/b/"),
    # A verified party's every view of their case is audited (core.AuditEntry).
    get_may_write={"portal:case_progress": frozenset({"core_auditentry"})},
)
