"""One direct export of every registered list, as the people who use its page: the office layout
(title, filters, frozen header), cells of the right types, personal data masked unless the role
may see it, another court's (or county's) rows absent, and the audit entry of the export."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from youjie.courtcases.models import CaseParty, CourtCase, Hearing
from youjie.desk import services as desk_services
from youjie.desk.catalog import install_default_matter_types
from youjie.desk.models import ServiceRequest
from youjie.fees import services as fees_services
from youjie.mediation.tests.support import delegate, make_filing
from youjie.orgs.models import OrgUnit, User
from youjie.people.services import person_create
from youjie.people.tests.factories import build_resident_id
from youjie.petitions import services as petitions_services
from youjie.petitions.tests.conftest import make_matter, region, unit

from .conftest import NOW, cells, check_layout, client_for, column, data, export, last_audit

pytestmark = pytest.mark.django_db


def court_case(court_code: str, sequence: int, **values: object) -> CourtCase:
    court = OrgUnit.objects.get(code=court_code)
    case = CourtCase.objects.create(
        case_number=f"（2026）{court.court_code}民初{sequence}号",
        year=2026,
        court_code=court.court_code,
        type_code="民初",
        sequence=sequence,
        court=court,
        **values,
    )
    CaseParty.objects.create(court_case=case, role="plaintiff", name="张三丰")
    return case


# --- 法院案件, 庭审安排 -----------------------------------------------------------------------


def test_court_cases_and_hearings(receptionist, qingshan_receptionist, judge, civil_division):
    inside = court_case(
        "BT-BYEB-FY",
        100,
        division=civil_division,
        judge=judge,
        cause="民间借贷纠纷",
        filed_on=date(2026, 3, 2),
        amount=Decimal("12345.67"),
    )
    injected = court_case("BT-BYEB-FY", 101, cause='=HYPERLINK("http://x","点击")')
    outside = court_case("BT-QS-FY", 100, cause="民间借贷纠纷")

    sheet = export(receptionist, "courtcases.cases", {"year": "2026", "page": "3"})
    check_layout(
        sheet,
        title="法院案件清单",
        unit="白云鄂博矿区人民法院",
        filters="年度：2026",
        exported_by="王丽",
    )
    numbers = column(sheet, "案号")
    assert numbers == [injected.case_number, inside.case_number]  # the page's order
    assert outside.case_number not in numbers
    row = data(sheet)[1]
    headers = list(cells(sheet)[2])
    filed = sheet.cell(row=5, column=headers.index("立案日期") + 1)
    assert filed.value == datetime(2026, 3, 2) and filed.number_format == "yyyy-mm-dd"
    amount = sheet.cell(row=5, column=headers.index("标的额（元）") + 1)
    assert amount.value == pytest.approx(12345.67) and amount.number_format == "#,##0.00"
    assert row[headers.index("承办法官")] == "李敏"
    # Text a spreadsheet would run stays text.
    cause = sheet.cell(row=4, column=headers.index("案由") + 1)
    assert cause.data_type == "s" and cause.value.startswith("=HYPERLINK")
    entry = last_audit(receptionist)
    assert entry.fields == ["list:courtcases.cases", "rows:2", "masked"]
    assert "导出法院案件清单2件" in entry.purpose and "不含个人信息" in entry.purpose
    assert "年度：2026" in entry.purpose

    # The other court's receptionist gets only theirs.
    assert column(export(qingshan_receptionist, "courtcases.cases"), "案号") == [
        outside.case_number
    ]

    # 庭审安排: the upcoming hearings of the court, times as Beijing times.
    Hearing.objects.create(
        court_case=inside,
        kind="in_person",
        scheduled_at=NOW + timedelta(days=2),
        courtroom="第一法庭",
        presiding_judge=judge,
        created_by=judge,
    )
    Hearing.objects.create(
        court_case=outside,
        kind="in_person",
        courtroom="青山第二法庭",
        scheduled_at=NOW + timedelta(days=1),
    )
    sheet = export(receptionist, "courtcases.hearings", {"days": "7"})
    check_layout(
        sheet,
        title="庭审安排",
        unit="白云鄂博矿区人民法院",
        filters="时间范围：7日内",
        exported_by="王丽",
    )
    assert column(sheet, "案号") == [inside.case_number]
    when = sheet["A4"]
    assert when.value == datetime(2026, 11, 25, 9, 0) and when.number_format == "yyyy-mm-dd hh:mm"
    assert column(sheet, "预计时长（分钟）") == [60]
    assert last_audit(receptionist).fields[:2] == ["list:courtcases.hearings", "rows:1"]


def test_the_export_costs_the_same_queries_for_more_rows(receptionist, judge, civil_division):
    def queries() -> int:
        client = client_for(receptionist)
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(reverse("exports:export", args=["courtcases.cases"])).status_code == 200
            )
        return len(captured.captured_queries)

    court_case("BT-BYEB-FY", 1, judge=judge, division=civil_division)
    few = queries()
    for sequence in range(2, 8):
        court_case("BT-BYEB-FY", sequence, judge=judge, division=civil_division)
    assert queries() == few


# --- 诉事速办 ------------------------------------------------------------------------------------

DESK_LISTS = {
    "desk.my_queue": "我的待办诉求",
    "desk.division_queue": "本庭诉求",
    "desk.intake_queue": "待分派诉求",
    "desk.overdue": "超期诉求",
    "desk.supervised": "督办诉求",
    "desk.priority": "代表委员诉求",
    "desk.search": "诉求检索结果",
}


def register(actor: User, title: str) -> ServiceRequest:
    service_request, _ = desk_services.service_request_create(
        actor=actor,
        data=desk_services.IntakeData(
            channel="phone",
            matter_type_code="case_query",
            title=title,
            content="询问案件的审理进度。",
            requester_name="张三",
            requester_mobile="13812345678",
            route=False,
        ),
    )
    return service_request


def test_the_desk_lists(receptionist, qingshan_receptionist, civil_division):
    install_default_matter_types()
    mine = register(receptionist, "查询案件进度")
    theirs = register(qingshan_receptionist, "青山区的诉求")
    for name, title in DESK_LISTS.items():
        sheet = export(receptionist, name)
        check_layout(
            sheet,
            title=title,
            unit="白云鄂博矿区人民法院",
            filters="本人所在庭室" if name == "desk.division_queue" else "全部",
            exported_by="王丽",
        )
        assert theirs.number not in column(sheet, "编号")
        assert last_audit(receptionist).fields[0] == f"list:{name}"
    for name in ("desk.my_queue", "desk.intake_queue"):
        sheet = export(receptionist, name)
        assert column(sheet, "编号") == [mine.number]
        # The receptionist may act on the registered request: its full number, audited.
        assert column(sheet, "联系电话") == ["13812345678"]
        assert "含完整个人信息（联系电话，按本人权限）" in sheet["A2"].value
        assert last_audit(receptionist).fields == [f"list:{name}", "rows:1", "full:联系电话"]
        registered = sheet.cell(row=4, column=11)
        assert registered.value == datetime(2026, 11, 23, 9, 0)
    searched = export(receptionist, "desk.search", {"status": "registered"})
    assert column(searched, "编号") == [mine.number]
    assert "状态：已登记" in searched["A2"].value
    chosen = export(receptionist, "desk.division_queue", {"division": str(civil_division.pk)})
    assert "庭室：民事审判庭" in chosen["A2"].value


# --- 网上立案, 诉前调解 ---------------------------------------------------------------------------


def test_filings_and_mediations(receptionist, court_leader, mediator, other_mediator):
    inside = make_filing(serial=1)
    outside = make_filing(court_code="BT-QS-FY", serial=2)
    sheet = export(receptionist, "filings.filings")
    check_layout(
        sheet,
        title="网上立案清单",
        unit="白云鄂博矿区人民法院",
        filters="队列：待审查",
        exported_by="王丽",
    )
    assert column(sheet, "申请编号") == [inside.number]
    assert column(sheet, "提交人手机") == ["13904721234"]  # a 立案 receptionist's role
    assert last_audit(receptionist).fields == ["list:filings.filings", "rows:1", "full:提交人手机"]
    leader = export(court_leader, "filings.filings", {"queue": "all"})
    assert column(leader, "申请编号") == [inside.number]
    assert outside.number not in column(leader, "申请编号")
    assert column(leader, "提交人手机") == [inside.submitter_phone_masked]
    assert "个人信息已脱敏" in leader["A2"].value
    assert last_audit(court_leader).fields == ["list:filings.filings", "rows:1", "masked"]

    mediation = delegate(receptionist, mediator, serial=3)
    sheet = export(mediator, "mediation.mediations", {"status": "open"})
    check_layout(
        sheet,
        title="诉前调解清单",
        unit="白云鄂博矿区人民调解委员会",
        filters="状态：未结束",
        exported_by="高秀兰",
    )
    assert column(sheet, "调解案号") == [mediation.number]
    assert column(export(other_mediator, "mediation.mediations"), "调解案号") == []


# --- 诉讼费 -------------------------------------------------------------------------------------


def test_fee_notices(receptionist, qingshan_receptionist, court_leader, judge, civil_division):
    def issue(actor: User, case: CourtCase) -> str:
        notice, _ = fees_services.notice_issue(
            actor=actor,
            court_case=case,
            data=fees_services.NoticeInput(
                fee_kind="property",
                amount=Decimal("200000"),
                party=case.parties.get(role="plaintiff"),
                payer_phone="13912345678",
            ),
        )
        return notice.number

    inside = issue(receptionist, court_case("BT-BYEB-FY", 300, division=civil_division))
    outside = issue(qingshan_receptionist, court_case("BT-QS-FY", 300))
    sheet = export(receptionist, "fees.notices", {"state": "unpaid"})
    check_layout(
        sheet,
        title="缴费通知书清单",
        unit="白云鄂博矿区人民法院",
        filters="状态：待缴费",
        exported_by="王丽",
    )
    assert column(sheet, "通知书编号") == [inside]
    assert outside not in column(sheet, "通知书编号")
    assert column(sheet, "联系电话") == ["13912345678"]
    headers = list(cells(sheet)[2])
    due = sheet.cell(row=4, column=headers.index("应交金额（元）") + 1)
    assert isinstance(due.value, int | float) and due.value > 0
    assert due.number_format == "#,##0.00"
    leader = export(court_leader, "fees.notices")
    assert column(leader, "联系电话") == ["139****5678"]
    assert last_audit(court_leader).fields == ["list:fees.notices", "rows:1", "masked"]


# --- 信访化解: 事项清单, 救助台账 --------------------------------------------------------------


def test_petition_matters_and_aid(city_officer, county_officer, case_handler, lead_official):
    shiguai_id = "150205198001010019"
    shiguai_person = person_create(
        actor=city_officer, name="石拐群众", id_number=shiguai_id, region=region("150205")
    )
    mine_id = build_resident_id(sequence=31)
    mine_person = person_create(
        actor=city_officer, name="矿区群众", id_number=mine_id, region=region("150206")
    )
    shiguai = make_matter(city_officer, region_code="150205", petitioner=shiguai_person)
    mine = petitions_services.matter_assign(
        actor=city_officer,
        matter=make_matter(city_officer, region_code="150206", petitioner=mine_person),
        lead_official=lead_official,
        responsible_unit=unit("BT-BYEB-FY"),
        handler=case_handler,
    )
    sheet = export(county_officer, "petitions.matters", {"status": "open"})
    check_layout(
        sheet,
        title="信访事项清单",
        unit="石拐区专项办",
        filters="状态：未化解（已登记、办理中）",
        exported_by="孙立",
    )
    assert column(sheet, "编号") == [shiguai.number]
    assert column(sheet, "信访人（身份证号）") == ["石拐群众（150205********0019）"]
    entry = last_audit(county_officer, "petitions_export")
    assert entry.fields == ["list:petitions.matters", "rows:1", "masked"]
    # The handler's role may see full ID numbers: the export has them, and the audit says so.
    handler = export(case_handler, "petitions.matters")
    assert column(handler, "编号") == [mine.number]
    assert column(handler, "信访人（身份证号）") == [f"矿区群众（{mine_id}）"]
    assert last_audit(case_handler, "petitions_export").fields[2] == "full:信访人（身份证号）"
    # The older address is the same export.
    old = client_for(county_officer).get(reverse("petitions:export"))
    assert old.status_code == 200 and old.content[:2] == b"PK"

    for matter, person in ((shiguai, shiguai_person), (mine, mine_person)):
        petitions_services.aid_apply(
            actor=city_officer,
            matter=matter,
            person=person,
            kind="temporary",
            amount=Decimal("3000.00"),
            reason="家庭生活困难，申请临时救助。",
            applied_on=date(2026, 11, 20),
        )
    sheet = export(county_officer, "petitions.aid", {"kind": "temporary"})
    check_layout(
        sheet,
        title="救助台账",
        unit="石拐区专项办",
        filters="救助类型：临时救助",
        exported_by="孙立",
    )
    assert column(sheet, "事项编号") == [shiguai.number]
    assert column(sheet, "申请金额（元）") == [3000]
    assert sheet["G4"].number_format == "#,##0.00"
    assert sheet["F4"].value == datetime(2026, 11, 20)
    entry = last_audit(county_officer, "export_aid_list")
    assert "导出救助台账1条" in entry.purpose


# --- 人员查询 -----------------------------------------------------------------------------------


def test_persons(receptionist, qingshan_receptionist, court_leader):
    id_number = build_resident_id(sequence=41)
    person = person_create(
        actor=receptionist, name="张三丰", id_number=id_number, mobile="13812345678"
    )
    person_create(
        actor=qingshan_receptionist, name="张三丰", id_number=build_resident_id(sequence=42)
    )
    sheet = export(receptionist, "people.persons", {"q": "张三"})
    check_layout(
        sheet,
        title="人员查询结果",
        unit="白云鄂博矿区人民法院",
        filters="姓名含“张三”",
        exported_by="王丽",
    )
    assert column(sheet, "身份证号") == [id_number]
    assert column(sheet, "手机号码") == ["13812345678"]
    entry = last_audit(receptionist)
    assert entry.fields == ["list:people.persons", "rows:1", "full:身份证号,手机号码"]
    assert "含完整个人信息：身份证号、手机号码" in entry.purpose
    leader = export(court_leader, "people.persons", {"q": "张三"})
    assert column(leader, "身份证号") == [person.id_number_masked]
    assert column(leader, "手机号码") == ["138****5678"]
    assert len(column(leader, "身份证号")) == 1  # the other court's 张三丰 is not in scope
    assert last_audit(court_leader).fields[2] == "masked"
