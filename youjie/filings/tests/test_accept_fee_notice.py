"""受理后开具缴费通知书 (issue 14, item 4): accepting a filing may issue the acceptance fee's
notice for the new case in the same transaction, through the fees service — checked by default
when the filing has a claim amount; a notice the fees service refuses undoes the acceptance."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import make_user
from youjie.core.timeline import timeline_for
from youjie.courtcases.models import CourtCase
from youjie.fees.choices import NoticeStatus
from youjie.fees.models import FeeNotice
from youjie.filings import services
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.filings.tests.support import SUBMITTER_PHONE, sms_bodies, submit, unit
from youjie.notifications.models import Notification
from youjie.orgs.models import User

pytestmark = pytest.mark.usefixtures("frozen")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def accept(client: Client, filing: Filing, **data: Any) -> Any:
    filing.refresh_from_db()
    values = {
        "expected_status": filing.status,
        "division": str(unit("BT-BYEB-MS").pk),
        "judge": "",
        "procedure": "simple",
        "cause": filing.cause,
        **data,
    }
    return client.post(f"/filings/{filing.pk}/actions/accept/", values)


def checkbox(page: str) -> str:
    found = re.search(r'<input type="checkbox" name="issue_fee_notice"[^>]*>', page)
    assert found is not None
    return found.group(0)


def test_accepting_with_the_option_issues_the_notice_in_the_same_step(
    receptionist: User,
) -> None:
    filing = submit()  # 50,000 元, 简易程序, at its own court: in review
    client = login(receptionist)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "受理后开具缴费通知书" in page and "checked" in checkbox(page)

    response = accept(client, filing, issue_fee_notice="on")
    assert response.status_code == 302, response.content.decode()[:2000]
    filing.refresh_from_db()
    case = filing.court_case
    assert filing.status == FilingStatus.ACCEPTED and case is not None
    notice = FeeNotice.objects.get(court_case=case)
    # 50 + (50,000 − 10,000) × 2.5 % = 1,050 元, halved under 简易程序 = 525 元 (Art. 13, 16).
    assert notice.amount_due == Decimal("525.00") and notice.status == NoticeStatus.ISSUED
    assert (notice.payer_name, notice.payer_role, notice.party) == (
        "张晓明",
        "plaintiff",
        case.parties.get(role="plaintiff"),
    )
    assert notice.payer_phone_masked == "139****5678"  # the filer's phone
    accepted = timeline_for(filing).get(verb="accepted")
    assert accepted.data["fee_notice"] == notice.number
    assert list(timeline_for(case).values_list("verb", flat=True)) == ["fee_notice_issued"]
    assert list(timeline_for(notice).values_list("verb", flat=True)) == ["issued"]
    fee_text = Notification.objects.get(subject_type="fees.feenotice")
    assert fee_text.recipient_masked == "139****5678" and "/fees/pay/" in fee_text.body
    assert f"缴费通知书{notice.number}已另行短信发送" in sms_bodies(filing)[-1]
    shown = client.get(response["Location"]).content.decode()
    assert "并已开具缴费通知书" in shown


def test_without_the_option_no_notice(receptionist: User) -> None:
    filing = submit()
    assert accept(login(receptionist), filing).status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and not FeeNotice.objects.exists()
    assert "交费通知另行送达" in sms_bodies(filing)[-1]


def test_a_refused_notice_undoes_the_acceptance(receptionist: User, org_tree: None) -> None:
    no_amount = submit(amount=None, cause="名誉权纠纷", claims="判令被告赔礼道歉")
    client = login(receptionist)
    page = client.get(f"/filings/{no_amount.pk}/").content.decode()
    assert "checked" not in checkbox(page)  # nothing to compute the fee from
    refused = accept(client, no_amount, issue_fee_notice="on")
    assert refused.status_code == 422
    assert "开具缴费通知书失败：该类案件须按案件具体情况计算诉讼费" in refused.content.decode()
    no_amount.refresh_from_db()
    assert no_amount.status == FilingStatus.REVIEW and no_amount.court_case is None
    assert not CourtCase.objects.exists() and not FeeNotice.objects.exists()
    assert "accepted" not in timeline_for(no_amount).values_list("verb", flat=True)

    # A 立案庭 head may accept but not issue notices: offered unchecked, refused if asked.
    head = make_user("lat_head", "division_head", "BT-BYEB-LAT", "立案庭庭长")
    filing = submit(cause="买卖合同纠纷")
    head_client = login(head)
    assert "checked" not in checkbox(head_client.get(f"/filings/{filing.pk}/").content.decode())
    refused = accept(head_client, filing, issue_fee_notice="on")
    assert refused.status_code == 422
    assert "只有本院立案、审判人员可以开具缴费通知书" in refused.content.decode()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEW and not CourtCase.objects.exists()
    assert accept(head_client, filing).status_code == 302  # without it, the head accepts


def test_the_service_takes_the_option_too(receptionist: User) -> None:
    filing = submit(case_kind="administrative_first", amount=None, cause="行政处罚")
    case = services.filing_accept(
        actor=receptionist,
        filing=filing,
        data=services.AcceptInput(
            division=unit("BT-BYEB-MS"), procedure="ordinary", issue_fee_notice=True
        ),
    )
    notice = FeeNotice.objects.get(court_case=case)
    assert notice.fee_kind == "administrative" and notice.amount_due == Decimal("50.00")
    assert SUBMITTER_PHONE[-4:] == notice.payer_phone_masked[-4:]


def test_the_api_takes_the_option_and_a_refusal_writes_nothing(receptionist: User) -> None:
    client = Client()
    client.force_login(receptionist)

    def api_accept(filing: Filing, **data: Any) -> Any:
        body = {"division": "BT-BYEB-MS", "procedure": "simple", **data}
        return client.post(
            f"/api/v1/filings/{filing.pk}/accept", body, content_type="application/json"
        )

    filing = submit()  # 50,000 元, 简易程序: 525 元
    accepted = api_accept(filing, issue_fee_notice=True)
    assert accepted.status_code == 200, accepted.json()
    notice = FeeNotice.objects.get(court_case__case_number=accepted.json()["case_number"])
    assert notice.amount_due == Decimal("525.00") and notice.status == NoticeStatus.ISSUED
    assert accepted.json()["events"][-1]["data"]["fee_notice"] == notice.number

    # Without the option (the API's default) no notice; with it and nothing to compute the
    # fee from, a 422 with its code and field, and neither the case nor the notice written.
    plain = api_accept(submit(cause="买卖合同纠纷"))
    assert plain.status_code == 200 and FeeNotice.objects.count() == 1
    no_amount = submit(amount=None, cause="名誉权纠纷", claims="判令被告赔礼道歉")
    cases = CourtCase.objects.count()
    refused = api_accept(no_amount, issue_fee_notice=True)
    assert refused.status_code == 422
    assert refused.json()["code"] == "fee_notice_refused"
    assert "issue_fee_notice" in refused.json()["fields"]
    no_amount.refresh_from_db()
    assert no_amount.status == FilingStatus.REVIEW and no_amount.court_case is None
    assert CourtCase.objects.count() == cases and FeeNotice.objects.count() == 1
