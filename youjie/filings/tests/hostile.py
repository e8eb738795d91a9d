"""The filings app's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here).

The world (``build``), made through the services: a filing in review at 白云鄂博 (every decision
on it is allowed), one received at 白云鄂博 for 青山区 (waiting for the form check), one refused
(its ruling downloads) and one awaiting a supplement (its code is known here, as if read from
the SMS). The pages sweep posts the public filing and supplement pages anonymously, behind the
portal's form guard, and the counter form, the action forms and the reveal as the 白云鄂博
receptionist, who may use them all.
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from tests.hostile.cases import (
    HUGE,
    MISSING,
    UPLOAD_CASES,
    UPLOAD_LIMIT,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    World,
    pdf_upload,
)
from youjie.filings import services
from youjie.filings.forms import (
    AcceptForm,
    ApplyForm,
    CounterForm,
    FilingFilterForm,
    ForwardForm,
    RefuseForm,
    RevealForm,
    SupplementForm,
    SupplementRequestForm,
    WithdrawForm,
)
from youjie.filings.models import Filing
from youjie.filings.tests.support import (
    COMPANY_USCC,
    DEFENDANT_ID,
    PDF,
    PLAINTIFF_ID,
    SUBMITTER_PHONE,
    filing_input,
    unit,
)
from youjie.filings.views.detail import ACTIONS
from youjie.portal.tests.hostile import COUNTED, guard, guard_cases

ANONYMOUS_WRITES = {
    **COUNTED,
    "portal_ratelimitcounter": "the form token is spent and an attempt counted",
}


def _submit(**overrides: Any) -> Filing:
    filing, _created = services.filing_submit(actor=None, data=filing_input(**overrides))
    return filing


def build(world: World) -> None:
    receptionist = world.users["receptionist"]
    review = _submit(cause="民间借贷纠纷（检查用）")
    received = _submit(competent="BT-QS-FY", cause="买卖合同纠纷（跨域）")
    refused = _submit(cause="不予受理的申请")
    services.filing_refuse(
        actor=receptionist, filing=refused, reason="原告不具备诉讼主体资格，起诉不符合法定条件"
    )
    waiting = _submit(cause="待补正的申请")
    notice = services.filing_request_supplement(
        actor=receptionist, filing=waiting, items=["原告身份证复印件", "证据目录"]
    )
    # Nothing to work the fee out from: 受理后开具缴费通知书 is refused (and so the acceptance).
    no_amount = _submit(amount=None, cause="名誉权纠纷（无标的额）", claims="判令被告赔礼道歉")
    for filing in (review, received, refused, waiting):
        filing.refresh_from_db()
    world.put(
        filing_no_amount=no_amount,
        filing_review=review,
        filing_received=received,
        filing_refused=refused,
        filing_waiting=waiting,
        filing_code=notice.code,
    )


def path_values(world: World) -> PathValues:
    filings = [
        str(f.pk) for f in (world.filing_review, world.filing_received, world.filing_refused)
    ]
    material = world.filing_review.materials.get(kind="complaint")
    numbers = [world.filing_waiting.number, world.filing_review.number]
    return {
        ("filings:detail", "pk"): filings,
        ("filings:action", "pk"): filings,
        ("filings:action", "action"): sorted(ACTIONS),
        ("filings:material", "pk"): [str(world.filing_review.pk), str(world.filing_refused.pk)],
        ("filings:material", "material_pk"): [str(material.pk)],
        ("filings:ruling", "pk"): [str(world.filing_refused.pk), str(world.filing_review.pk)],
        ("filings:reveal", "pk"): filings,
        ("filings:supplement", "number"): numbers,
        ("filings:supplement_done", "number"): numbers,
    }


def _filing_fields() -> dict[str, Any]:
    return {
        "competent_court": "BT-BYEB-FY",
        "case_kind": "civil_first",
        "procedure": "simple",
        "cause": "民间借贷纠纷",
        "claims": "判令被告偿还借款10000元",
        "amount": "10000",
        "currency": "CNY",
        "facts_and_reasons": "被告借款到期未还。",
        "evidence_list": "借条",
        "submitter_kind": "party",
        "submitter_name": "张晓明",
        "submitter_phone": "13912345678",
        "parties-TOTAL_FORMS": "3",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-role": "plaintiff",
        "parties-0-kind": "person",
        "parties-0-name": "张晓明",
        "parties-0-id_number": PLAINTIFF_ID,
        "parties-1-role": "defendant",
        "parties-1-kind": "person",
        "parties-1-name": "李大力",
        "parties-1-id_number": DEFENDANT_ID,
        "parties-2-role": "defendant",
        "parties-2-kind": "enterprise",
        "parties-2-name": "包头市某矿业有限公司",
        "parties-2-id_number": COMPANY_USCC,
        "complaint_file": pdf_upload("起诉状.pdf"),
    }


def _filing_cases() -> list[Case]:
    return [
        Case("negative amount", {"amount": "-1"}),
        Case("absurd amount", {"amount": "1" + "0" * 15}),
        Case("amount in scientific notation", {"amount": "1e400"}),
        Case("a foreign currency", {"currency": "USD"}),
        Case("no complaint", {"complaint_file": MISSING}),
        Case("a bad ID number", {"parties-0-id_number": "150206198503120021"}),
        Case("a bad credit code", {"parties-2-id_number": "91150206MA0N2X3K1A"}),
        Case("no defendant", {"parties-1-role": "third_party", "parties-2-role": "third_party"}),
        Case("1,000 parties claimed", {"parties-TOTAL_FORMS": "1000"}),
        Case("no management form", {"parties-TOTAL_FORMS": MISSING}),
        Case("a lawyer without licence", {"submitter_kind": "lawyer"}),
        Case(
            "a PNG that is text",
            {"complaint_file": lambda: SimpleUploadedFile("起诉状.png", b"just text")},
        ),
        Case("complaint past the limit", {"complaint_file": pdf_upload(size=UPLOAD_LIMIT)}),
        *[Case(f"complaint: {label}", {"complaint_file": f}) for label, f in UPLOAD_CASES],
    ]


def form_specs(world: World) -> list[FormSpec]:
    review, received = world.filing_review, world.filing_received
    receptionist_specs = []
    values: dict[str, tuple[Filing, dict[str, Any]]] = {
        "forward": (received, {"note": "核对无误"}),
        "supplement": (review, {"items": "原告身份证复印件\n证据目录"}),
        "accept": (
            review,
            {
                "division": str(unit("BT-BYEB-MS").pk),
                "judge": "",
                "procedure": "simple",
                "fast_track": "on",
                "cause": "民间借贷纠纷",
                "issue_fee_notice": "on",  # 受理后开具缴费通知书 (youjie.fees)
            },
        ),
        "refuse": (review, {"reason": "原告不具备诉讼主体资格，起诉不符合法定条件"}),
        "withdraw": (review, {"reason": "提交人递交书面撤回申请"}),
    }
    forms = {
        "forward": ForwardForm,
        "supplement": SupplementRequestForm,
        "accept": AcceptForm,
        "refuse": RefuseForm,
        "withdraw": WithdrawForm,
    }
    for action in ACTIONS:
        filing, data = values[action]
        extra = [
            Case("stale expected_status", {"expected_status": "accepted"}),
            Case("expected_status missing", {"expected_status": MISSING}),
            Case("unknown filing", {}, url=f"/filings/{HUGE}/actions/{action}/"),
        ]
        if action == "accept":
            extra += [
                Case("a division of another court", {"division": str(unit("BT-QS-MS").pk)}),
                Case("a court, not a division", {"division": str(unit("BT-BYEB-FY").pk)}),
                Case(
                    "a fee notice without a claim amount",
                    {"cause": "名誉权纠纷"},
                    url=f"/filings/{world.filing_no_amount.pk}/actions/accept/",
                ),
            ]
        if action == "refuse":
            extra.append(Case("a reason too short", {"reason": "不行"}))
        if action == "supplement":
            extra.append(Case("only blank lines", {"items": "\n \n"}))

        def build_form(data: Any, files: Any, action: str = action, filing: Any = filing) -> Any:
            return forms[action](data, filing=filing)

        receptionist_specs.append(
            FormSpec(
                name=f"filings:action {action}",
                persona="receptionist",
                url=f"/filings/{filing.pk}/actions/{action}/",
                base={"expected_status": filing.status, **data},
                form=build_form,
                extra=extra,
            )
        )
    party = review.parties.order_by("id").first()
    counter = {"submission_key": "hostile-counter-1", **_filing_fields()}
    return [
        *receptionist_specs,
        FormSpec(
            name="filings:apply",
            persona="anonymous",
            url="/filings/apply/",
            base={**guard("filing_apply"), "receiving_court": "BT-BYEB-FY", **_filing_fields()},
            form=lambda data, files: ApplyForm(data, files),
            may_write=ANONYMOUS_WRITES,
            extra=[*guard_cases("filing_apply"), *_filing_cases()],
        ),
        FormSpec(
            name="filings:counter",
            persona="receptionist",
            url="/filings/new/",
            base=counter,
            form=lambda data, files: CounterForm(data, files),
            extra=_filing_cases(),
        ),
        FormSpec(
            name="filings:supplement",
            persona="anonymous",
            url=f"/filings/apply/{world.filing_waiting.number}/supplement/",
            base={
                **guard("filing_supplement"),
                "mobile": SUBMITTER_PHONE,
                "code": world.filing_code,
                "note": "",
                "file_1": pdf_upload("身份证.pdf"),
            },
            form=lambda data, files: SupplementForm(data, files),
            may_write=ANONYMOUS_WRITES,
            extra=[
                *guard_cases("filing_supplement"),
                Case(
                    "wrong code",
                    {"code": "12345678" if world.filing_code != "12345678" else "87654321"},
                ),
                Case("wrong phone", {"mobile": "13700000000"}),
                Case(
                    "a filing not awaiting one",
                    {},
                    url=f"/filings/apply/{review.number}/supplement/",
                ),
                Case("a malformed number", {}, url="/filings/apply/网立26-1/supplement/"),
                *[Case(f"file: {label}", {"file_1": f}) for label, f in UPLOAD_CASES],
            ],
        ),
        FormSpec(
            name="filings:reveal",
            persona="receptionist",
            url=f"/filings/{review.pk}/reveal/",
            base={"party": str(party.pk if party else 0), "field": "id_number"},
            form=lambda data, files: RevealForm(data),
            control="audits",
            extra=[
                Case("a party of another filing", {"party": str(HUGE)}),
                Case("unknown filing", {}, url=f"/filings/{HUGE}/reveal/"),
            ],
        ),
    ]


def api_build(world: ApiWorld) -> None:
    """A filing in review at 白云鄂博 (the callers' court) and one of 青山区 they do not see."""
    qingshan = make_user("fil_api_qs", "receptionist", "BT-QS-LAT", "青山立案")
    inside, _ = services.filing_submit(actor=world.users["receptionist"], data=filing_input())
    outside, _ = services.filing_submit(
        actor=qingshan, data=filing_input(receiving="BT-QS-FY", competent="BT-QS-FY")
    )
    world.inside.update(filing_id=inside.pk)
    world.outside.update(filing_id=outside.pk)
    world.missing.update(filing_id=10**9)
    hints: dict[str, Any] = {
        "competent_court": "BT-BYEB-FY",
        "case_kind": "civil_first",
        "submitter_kind": "party",
        "submitter_name": "张晓明",
        "submitter_phone": "13912345678",
        "cause": "民间借贷纠纷",
        "claims": "判令被告偿还借款",
        "facts_and_reasons": "被告借款到期未还。",
        "division": "BT-BYEB-MS",
        "items": ["原告身份证复印件"],
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": "张晓明", "id_number": PLAINTIFF_ID},
            {"role": "defendant", "kind": "person", "name": "李大力"},
        ],
        "materials": [
            {
                "kind": "complaint",
                "file_name": "起诉状.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    # Only names no app before gives (a later app's "reason" must not meet one of ours).
    world.hints.update({name: value for name, value in hints.items() if name not in world.hints})


CASES = HostileCases(
    personas=("qingshan_receptionist",),
    users=("receptionist", "qingshan_receptionist"),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(FilingFilterForm,),
    query_names=("page",),
    unresolvable=("/filings/-1/", "/filings/apply/a/b/c/d/", "/filings/%00/"),
    # A material's download is recorded in the audit log (identity papers), on a GET.
    get_may_write={"filings:material": frozenset({"core_auditentry"})},
    api_build=api_build,
)
