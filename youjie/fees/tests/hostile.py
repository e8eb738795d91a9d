"""The fees app's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here).

The calculator: a public page reading only its query string; its form's fields get the sweep's
hostile query values, and the combinations below add amounts one value cannot make.

Fee notices (码上缴费): the world has, at the 白云鄂博 court, on the court case the courtcases
app put there, an issued notice (with a pending relief application and its proof), a paid one
(at the counter, partly refunded), one to cancel, and a reconciliation; at the 青山区 court a
notice nobody of 白云鄂博 may see. The public pages take the notice's token (and a wrong one),
the notify endpoint has its own tests; the API's values are made in ``api_build``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from tests.hostile.cases import (
    PDF,
    UPLOAD_CASES,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    Query,
    World,
    pdf_upload,
    upload,
)
from youjie.courtcases.models import CaseParty, CourtCase
from youjie.fees import services
from youjie.fees.choices import NotificationOutcome, PayerKind, RefundReason, ReliefKind
from youjie.fees.forms import (
    CancelForm,
    CaseLookupForm,
    CounterPaymentForm,
    FeeEstimateForm,
    NoticeFilterForm,
    NoticeIssueForm,
    ReconciliationForm,
    RefundForm,
    ReliefApplyForm,
    ReliefDecisionForm,
)
from youjie.fees.models import FeeNotice, PaymentNotification, ReliefApplication
from youjie.fees.services.common import today
from youjie.orgs.models import OrgUnit, User

STATEMENT = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n"
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
    "`0,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00\r\n"
).encode()
RATE_LIMITED = "a well-formed submission takes a slot of the portal's limiter before it is checked"


def query_combinations(world: World) -> list[Query]:
    return [
        [("kind", "property"), ("amount", "10000000000000")],  # the largest amount accepted
        [("kind", "bankruptcy"), ("amount", "10000000000000.01")],
        [("kind", "divorce"), ("amount", "１２３，４５６．７８元")],
        [("kind", "preservation"), ("amount", "-0.00")],
        [("kind", "execution"), ("amount", "1e400")],
        [("kind", "payment_order"), ("amount", "9" * 40)],
        [("kind", "ip"), ("amount", "0.001")],
        [("kind", "property"), ("kind", "divorce"), ("amount", "1")],
        [
            ("kind", "administrative"),
            ("administrative_subject", "trademark_patent_maritime"),
            ("procedure", "simple"),
            ("settled", "mediation"),
        ],
        [("case_number", "（2026）内0206民初123号")],  # the list's case lookup: a redirect
        [("case_number", "（2026）内0205民初7号")],  # another court's: not found
        [("state", "refunded"), ("q", "诉费")],
    ]


# --- the world --------------------------------------------------------------------------------


def _case(court: OrgUnit, division: OrgUnit, judge: User | None, sequence: int) -> CourtCase:
    code = court.court_code or "内0206"
    court_case = CourtCase.objects.create(
        case_number=f"（2026）{code}民初{sequence}号",
        year=2026,
        court_code=code,
        type_code="民初",
        sequence=sequence,
        court=court,
        division=division,
        judge=judge,
        cause="买卖合同纠纷",
    )
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name="钱多多")
    return court_case


def _issue(actor: User, court_case: CourtCase, amount: str = "200000") -> FeeNotice:
    notice, _created = services.notice_issue(
        actor=actor,
        court_case=court_case,
        data=services.NoticeInput(
            fee_kind="property",
            amount=Decimal(amount),
            party=court_case.parties.order_by("id").first(),
            payer_phone="13912345678",
        ),
    )
    return notice


def _relief(notice: FeeNotice) -> ReliefApplication:
    return services.relief_apply(
        notice=notice,
        kind=ReliefKind.DEFER,
        applicant_name="钱多多",
        applicant_kind=PayerKind.PERSON,
        reasons="交通事故受害人，治疗期间无收入",
        requested_until=today() + timedelta(days=60),
        files=[SimpleUploadedFile("诊断证明.pdf", PDF, "application/pdf")],
    )


def build(world: World) -> None:
    receptionist = world.users["receptionist"]
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    division = OrgUnit.objects.get(code="BT-BYEB-MS")
    judge = world.users["judge"]
    issued = _issue(receptionist, world.court_case)
    relief = _relief(issued)
    paid = _issue(receptionist, _case(court, division, judge, 801), amount="1000")
    services.counter_payment_confirm(
        actor=receptionist, notice=paid, amount="50.00", receipt_number="HOSTILE-1", paid_on=today()
    )
    refund = services.refund_request(
        actor=receptionist,
        notice=paid,
        amount="10.00",
        reason=RefundReason.OVERPAID,
        effective_on=today(),
        bank_reference="BOC-HOSTILE-1",
    )
    to_cancel = _issue(receptionist, _case(court, division, judge, 802))
    other_receptionist = User.objects.get(username="qs_reception")
    other = _issue(
        other_receptionist,
        _case(
            OrgUnit.objects.get(code="BT-QS-FY"), OrgUnit.objects.get(code="BT-QS-LAT"), None, 803
        ),
    )
    reconciliation = services.reconciliation_create(
        actor=receptionist,
        statement_date=today(),
        uploaded=SimpleUploadedFile("statement.csv", STATEMENT, "text/csv"),
    )
    world.put(
        fee_notice=issued,
        fee_paid_notice=paid,
        fee_cancel_notice=to_cancel,
        fee_other_notice=other,
        fee_relief=relief,
        fee_refund=refund,
        fee_reconciliation=reconciliation,
        fee_token=services.notice_token(issued),
        fee_cancel_token=services.notice_token(to_cancel),
        fee_other_token=services.notice_token(other),
    )


def path_values(world: World) -> PathValues:
    notices = [str(world.fee_notice.pk), str(world.fee_other_notice.pk)]
    tokens = [world.fee_token, world.fee_other_token, "nope"]
    attachment = world.fee_relief.attachments.get()
    return {
        ("fees:pay", "token"): tokens,
        ("fees:pay_status", "token"): tokens,
        ("fees:relief_apply", "token"): tokens,
        ("fees:notify", "provider"): ["wechatpay", "alipay"],
        ("fees:notice_issue", "case_pk"): [str(world.court_case.pk)],
        ("fees:notice_detail", "pk"): [*notices, str(world.fee_paid_notice.pk)],
        ("fees:notice_print", "pk"): notices,
        ("fees:notice_phone", "pk"): notices,
        ("fees:counter_confirm", "pk"): notices,
        ("fees:refund_create", "pk"): [str(world.fee_paid_notice.pk), *notices],
        ("fees:notice_cancel", "pk"): [str(world.fee_cancel_notice.pk), *notices],
        ("fees:relief_decide", "pk"): [str(world.fee_relief.pk)],
        ("fees:relief_file", "pk"): [str(world.fee_relief.pk)],
        ("fees:relief_file", "file_pk"): [str(attachment.pk)],
        ("fees:refund_refresh", "pk"): [str(world.fee_refund.pk)],
        ("fees:reconciliation_detail", "pk"): [str(world.fee_reconciliation.pk)],
    }


def form_specs(world: World) -> list[FormSpec]:
    notice, paid = world.fee_notice, world.fee_paid_notice
    day = today().isoformat()
    court_case = world.court_case
    party = court_case.parties.order_by("id").first()
    uploads = [Case(f"statement: {label}", {"statement": file}) for label, file in UPLOAD_CASES]
    proofs = [Case(f"proof1: {label}", {"proof1": file}) for label, file in UPLOAD_CASES]
    return [
        FormSpec(
            name="fees:notice_issue",
            persona="receptionist",
            url=f"/fees/cases/{court_case.pk}/issue/",
            base={
                "fee_kind": "property",
                "amount": "200000",
                "procedure": "ordinary",
                "party": str(party.pk) if party else "",
                "confirm": "on",
            },
            form=lambda data, files: NoticeIssueForm(data, court_case=court_case),
            extra=[
                Case("a range without a provincial standard", {"fee_kind": "divorce"}),
                Case("another court's case", {}, url="/fees/cases/999999999/issue/"),
                Case("a bad phone", {"payer_phone": "12345"}),
            ],
        ),
        FormSpec(
            name="fees:counter_confirm",
            persona="receptionist",
            url=f"/fees/notices/{notice.pk}/counter/",
            base={"amount": "4300.00", "receipt_number": "HOSTILE-2", "paid_on": day},
            form=lambda data, files: CounterPaymentForm(data),
            extra=[
                Case("not the amount due", {"amount": "4299.99"}),
                Case("a receipt used before", {"receipt_number": "HOSTILE-1"}),
                Case("paid tomorrow", {"paid_on": (today() + timedelta(days=1)).isoformat()}),
                Case("a paid notice", {}, url=f"/fees/notices/{paid.pk}/counter/"),
            ],
        ),
        FormSpec(
            name="fees:refund_create",
            persona="receptionist",
            url=f"/fees/notices/{paid.pk}/refunds/",
            base={
                "amount": "10.00",
                "reason": "overpaid",
                "effective_on": day,
                "bank_reference": "BOC-HOSTILE-2",
            },
            form=lambda data, files: RefundForm(data),
            extra=[
                Case("more than was paid", {"amount": "40.01"}),
                Case("no transfer reference", {"bank_reference": ""}),
                Case("an unpaid notice", {}, url=f"/fees/notices/{notice.pk}/refunds/"),
            ],
        ),
        FormSpec(
            name="fees:notice_cancel",
            persona="receptionist",
            url=f"/fees/notices/{world.fee_cancel_notice.pk}/cancel/",
            base={"reason": "计费有误，重新开具"},
            form=lambda data, files: CancelForm(data),
            extra=[Case("a paid notice", {}, url=f"/fees/notices/{paid.pk}/cancel/")],
        ),
        FormSpec(
            name="fees:relief_decide",
            persona="division_head",
            url=f"/fees/reliefs/{world.fee_relief.pk}/decide/",
            base={"decision": "refuse", "reasons": "不符合第四十七条规定的情形"},
            form=lambda data, files: ReliefDecisionForm(data),
            extra=[
                Case("a refusal without reasons", {"reasons": ""}),
                Case("a deferral without a date", {"decision": "grant"}),
                Case("an unknown application", {}, url="/fees/reliefs/999999999/decide/"),
            ],
        ),
        FormSpec(
            name="fees:relief_apply",
            persona="anonymous",
            url=f"/fees/pay/{world.fee_cancel_token}/relief/",
            base={
                "kind": "reduce",
                "applicant_name": "钱多多",
                "applicant_kind": "person",
                "reasons": "家庭经济困难",
                "requested_percent": "50",
                "proof1": pdf_upload("低保证.pdf"),
            },
            form=lambda data, files: ReliefApplyForm(data, files),
            extra=[
                *proofs,
                Case("a waiver for a company", {"kind": "waive", "applicant_kind": "organisation"}),
                Case("a reduction below 30 %", {"requested_percent": "29"}),
                Case("an unknown token", {}, url="/fees/pay/nope/relief/"),
            ],
            may_write={"portal_ratelimitcounter": RATE_LIMITED},
        ),
        FormSpec(
            name="fees:reconciliation_list",
            persona="receptionist",
            url="/fees/reconciliations/",
            base={"statement_date": day, "statement": upload("statement.csv", STATEMENT)},
            form=lambda data, files: ReconciliationForm(data, files),
            extra=[
                *uploads,
                Case("not a statement", {"statement": upload("s.csv", b"name,amount\n1,2\n")}),
                Case("a date to come", {"statement_date": "2099-01-01"}),
            ],
        ),
    ]


def admin_rows(world: World) -> None:
    PaymentNotification.objects.create(
        provider="wechatpay",
        notification_id="EV-HOSTILE",
        outcome=NotificationOutcome.BAD_SIGNATURE,
        reason="签名验证失败或报文无法解密",
        body="{}",
    )


def api_build(world: ApiWorld) -> None:
    """A notice of the callers' court with a pending relief application, one of 青山区."""
    receptionist = world.users["receptionist"]
    court = OrgUnit.objects.get(code="BT-BYEB-FY")
    division = OrgUnit.objects.get(code="BT-BYEB-MS")
    inside_case = _case(court, division, world.users["judge"], 811)
    notice = _issue(receptionist, inside_case)
    relief = ReliefApplication.objects.create(  # its proof is not needed here
        notice=notice,
        kind=ReliefKind.DEFER,
        applicant_name="钱多多",
        applicant_kind=PayerKind.PERSON,
        reasons="困难",
        requested_until=today() + timedelta(days=60),
    )
    qingshan = make_user("fees_api_qs", "receptionist", "BT-QS-LAT", "青山缴费")
    other_case = _case(
        OrgUnit.objects.get(code="BT-QS-FY"), OrgUnit.objects.get(code="BT-QS-LAT"), None, 812
    )
    other = _issue(qingshan, other_case)
    other_relief = ReliefApplication.objects.create(
        notice=other,
        kind=ReliefKind.DEFER,
        applicant_name="孙八",
        applicant_kind=PayerKind.PERSON,
        reasons="困难",
        requested_until=today() + timedelta(days=60),
    )
    world.inside.update(notice_id=notice.pk, relief_id=relief.pk)
    world.outside.update(notice_id=other.pk, relief_id=other_relief.pk)
    world.missing.update(notice_id=10**9, relief_id=10**9)
    hints: dict[str, Any] = {
        "court_case_id": inside_case.pk,
        "fee_kind": "property",
        "claim_amount": "200000",
        "party_id": inside_case.parties.get().pk,
        "payer_phone": "13912345678",
        "paid_amount": "4300.00",
        "receipt_number": "API-HOSTILE-1",
        "paid_on": today().isoformat(),
        "refund_amount": "10.00",
        "refund_reason": "overpaid",
        "effective_on": today().isoformat(),
        "bank_reference": "BOC-API-1",
        "grant": False,
        "reasons": "不符合规定情形",
    }
    for name, value in hints.items():
        world.hints.setdefault(name, value)


CASES = HostileCases(
    users=("receptionist", "judge", "division_head", "qingshan_receptionist"),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(FeeEstimateForm, NoticeFilterForm, CaseLookupForm),
    query_combinations=query_combinations,
    unresolvable=("/fees/estimate/", "/fees/a/b/", "/fees/notices/x/", "/fees/pay/"),
    body_ignored={
        "fees:pay": "anonymous",
        "fees:notice_phone": "receptionist",
        "fees:refund_refresh": "receptionist",
    },
    posts_tested_elsewhere={
        "fees:notify": "youjie/fees/tests/test_payments.py (signed, forged, replayed, stale, "
        "oversized and mismatched notifications)",
    },
    get_may_write={
        # A well-formed estimate and a pay page's view take a slot of the portal's rate limit.
        "fees:calculator": frozenset({"portal_ratelimitcounter"}),
        "fees:pay": frozenset({"portal_ratelimitcounter"}),
        # The status part asks the provider about an open order and records what it says (a
        # payment whose notification was lost): the order, the notice, their events, the SMS.
        "fees:pay_status": frozenset(
            {
                "portal_ratelimitcounter",
                "fees_paymentorder",
                "fees_feenotice",
                "core_event",
                "notifications_notification",
            }
        ),
        "fees:relief_apply": frozenset({"portal_ratelimitcounter"}),
    },
    admin_rows=admin_rows,
    api_build=api_build,
)
