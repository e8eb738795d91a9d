"""The petitions services: numbering, registration and its clocks, responsibility, escalation
from the desk, extension, resolution with its evidence, 心了, 依法终结, campaign admission and
follow-up (回头看). Every refusal is checked to write nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from youjie.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.desk.catalog import install_default_matter_types
from youjie.desk.services import IntakeData, service_request_create
from youjie.notifications.models import Notification
from youjie.petitions import selectors, services
from youjie.petitions.choices import FollowUpStatus, MatterStatus
from youjie.petitions.models import (
    CampaignMatter,
    MatterReturnVisit,
    OutcomeEvidence,
    PetitionLabel,
    PetitionMatter,
    TaskForceMember,
)
from youjie.petitions.services import EvidenceInput, TaskForceInput

from .conftest import NOW, SHANGHAI, TODAY, assign, make_matter, make_person, region, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def verbs(record) -> list[str]:
    return [event.verb for event in timeline_for(record)]


def notified(matter: PetitionMatter) -> list[str]:
    return list(
        Notification.objects.filter(
            subject_type="petitions.petitionmatter", subject_id=str(matter.pk)
        )
        .order_by("id")
        .values_list("subject", flat=True)
    )


def in_progress(city_officer, lead_official, **kwargs) -> PetitionMatter:
    return assign(city_officer, make_matter(city_officer, **kwargs), lead=lead_official)


def resolve_solved(actor, matter: PetitionMatter, on: date = date(2026, 11, 20)):
    return services.matter_resolve(
        actor=actor,
        matter=matter,
        outcome_type="solved",
        summary="双方达成和解，履行完毕",
        resolved_on=on,
        evidence=[EvidenceInput("agreement", "和解协议书", on)],
    )


# --- numbers and registration -----------------------------------------------------------------


def test_numbers_count_per_year_from_one_and_a_rolled_back_registration_leaves_no_gap(
    city_officer,
):
    first = make_matter(city_officer)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_matter(city_officer, title="回滚的登记")
        raise RuntimeError("the transaction around the registration fails")
    second = make_matter(city_officer)
    assert [first.number, second.number] == ["信访〔2026〕1号", "信访〔2026〕2号"]
    assert (second.year, second.sequence) == (2026, 2)
    assert not PetitionMatter.objects.filter(title="回滚的登记").exists()


def test_registration_sets_the_county_office_the_clocks_and_the_event(city_officer):
    bone = PetitionLabel.objects.get(code="bone")
    matter = make_matter(
        city_officer,
        region_code="150205",
        received_on=date(2026, 11, 2),
        accepted_on=date(2026, 11, 3),
        labels=[bone],
    )
    assert matter.county_office.code == "150205-ZXB"
    assert matter.status == MatterStatus.REGISTERED
    assert matter.notice_due_on == date(2026, 11, 17)  # 15 日, 条例 Art. 23
    # 11-03 + 60 = 2027-01-02, a Saturday of a year the calendar does not know yet.
    assert matter.handling_due_on == date(2027, 1, 4)
    assert "2027年" in matter.calendar_warning
    assert list(matter.labels.all()) == [bone]
    assert matter.last_progress_at == NOW
    (event,) = timeline_for(matter)
    assert (event.verb, event.to_state, event.actor_id) == (
        "registered",
        "registered",
        city_officer.pk,
    )
    assert event.data["labels"] == ["bone"]


def test_a_matter_without_statutory_clocks_has_no_deadlines(city_officer):
    matter = make_matter(city_officer, statutory_clocks=False, accepted_on=date(2026, 11, 3))
    assert (matter.notice_due_on, matter.handling_due_on) == (None, None)


def test_dates_out_of_order_or_in_the_future_are_refused_and_nothing_is_written(city_officer):
    person = make_person(city_officer)
    with pytest.raises(ValidationFailed) as refused:
        make_matter(
            city_officer,
            petitioner=person,
            received_on=date(2026, 11, 10),
            accepted_on=date(2026, 11, 9),
        )
    assert "受理日期不能早于收到日期（2026-11-10）" in refused.value.message
    with pytest.raises(ValidationFailed) as refused:
        make_matter(city_officer, petitioner=person, received_on=TODAY + timedelta(days=1))
    assert refused.value.fields["received_on"] == ["收到日期不能晚于今天"]
    assert not PetitionMatter.objects.exists()
    assert not Event.objects.filter(subject_type="petitions.petitionmatter").exists()


def test_each_bad_field_is_named_at_once(city_officer):
    with pytest.raises(ValidationFailed) as refused:
        make_matter(
            city_officer, title="", core_demand="x" * 4001, category="nonsense", petitioners=[]
        )
    assert set(refused.value.fields) == {"title", "core_demand", "category", "petitioners"}
    assert refused.value.fields["core_demand"] == ["核心诉求不能超过4000字"]


def test_a_county_officer_registers_only_in_their_own_region(county_officer):
    make_matter(county_officer, region_code="150205")
    with pytest.raises(PermissionDenied):
        make_matter(county_officer, region_code="150206")
    assert PetitionMatter.objects.count() == 1


# --- responsibility ---------------------------------------------------------------------------


def test_assignment_starts_handling_tells_the_lead_and_handler_and_forms_the_task_force(
    city_officer, lead_official, case_handler
):
    matter = make_matter(city_officer)
    matter = services.matter_assign(
        actor=city_officer,
        matter=matter,
        lead_official=lead_official,
        responsible_unit=unit("BT-BYEB-FY"),
        handling_unit=unit("BT-BYEB-MS"),
        handler=case_handler,
        task_force=[
            TaskForceInput(user=lead_official, role="head", duty="统筹"),
            TaskForceInput(user=case_handler),
            TaskForceInput(name="刘社区", unit=unit("150206-ZFW"), duty="属地稳控"),
        ],
    )
    assert matter.status == MatterStatus.IN_PROGRESS
    assert verbs(matter) == ["registered", "assigned", "handling_started"]
    members = list(TaskForceMember.objects.filter(matter=matter).order_by("id"))
    assert [(m.name, m.role, m.unit.code) for m in members] == [
        ("吴刚", "head", "150206-ZFW"),
        ("周平", "member", "150206-ZFW"),
        ("刘社区", "member", "150206-ZFW"),
    ]
    assert notified(matter) == [f"包案通知：{matter.number}", f"承办通知：{matter.number}"]


def test_a_second_task_force_head_or_a_lead_without_the_role_is_refused(
    city_officer, lead_official, case_handler
):
    matter = make_matter(city_officer)
    with pytest.raises(ValidationFailed) as refused:
        services.matter_assign(
            actor=city_officer,
            matter=matter,
            task_force=[
                TaskForceInput(user=lead_official, role="head"),
                TaskForceInput(user=case_handler, role="head"),
            ],
        )
    assert "每个专班只能有一名专班组长" in refused.value.fields["task_force"]
    with pytest.raises(ValidationFailed) as refused:
        services.matter_assign(actor=city_officer, matter=matter, lead_official=case_handler)
    assert refused.value.fields["lead_official"] == ["周平不是在岗的包案领导"]
    with pytest.raises(ValidationFailed) as refused:
        services.matter_assign(actor=city_officer, matter=matter, responsible_unit=unit("BT-ZJJ"))
    assert "不是政法单位" in refused.value.message
    assert not TaskForceMember.objects.exists()
    assert verbs(matter) == ["registered"]


def test_only_the_office_over_the_region_assigns(
    county_officer, byeb_county_officer, lead_official
):
    matter = make_matter(county_officer, region_code="150205")
    with pytest.raises(PermissionDenied):
        services.matter_assign(
            actor=byeb_county_officer, matter=matter, lead_official=lead_official
        )
    with pytest.raises(PermissionDenied):
        services.matter_assign(actor=lead_official, matter=matter, lead_official=lead_official)


# --- escalation from the desk -----------------------------------------------------------------


def test_a_desk_request_escalates_into_a_matter_with_an_event_on_both(receptionist):
    install_default_matter_types()
    person = make_person(receptionist, "李四")
    service_request, _created = service_request_create(
        actor=receptionist,
        data=IntakeData(
            channel="walk_in",
            matter_type_code="divorce_filing",
            title="多年不服判决要求再审",
            content="来访群众反映对判决不服，多次到法院反映。",
            requester_name="李四",
            requester_id=person.pk,
            received_at=datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI),
            route=False,
        ),
    )
    matter = services.matter_escalate_from_request(
        actor=receptionist, service_request=service_request, category="court_judgment"
    )
    assert matter.origin == "desk"
    assert matter.region_id == "150206"  # the court's: the requester's region is unknown
    assert matter.county_office.code == "150206-ZXB"
    assert matter.received_on == TODAY  # forwarded today (Art. 23 ¶3)
    assert matter.notice_due_on == date(2026, 12, 8)
    assert list(matter.petitioners.all()) == [person]
    assert list(matter.desk_requests.all()) == [service_request]
    assert verbs(matter) == ["escalated_from_request"]
    assert "escalated_to_petition" in verbs(service_request)
    # Whoever escalated it sees it (scoping: created_by).
    assert selectors.matter_get(user=receptionist, pk=matter.pk) == matter
    with pytest.raises(Conflict) as again:
        services.matter_escalate_from_request(
            actor=receptionist, service_request=service_request, category="court_judgment"
        )
    assert f"已转为信访事项{matter.number}" in again.value.message
    assert PetitionMatter.objects.count() == 1


# --- facts and clocks -------------------------------------------------------------------------


def test_an_update_records_what_changed_and_recomputes_the_handling_clock(
    city_officer, lead_official
):
    matter = in_progress(city_officer, lead_official)
    nail = PetitionLabel.objects.get(code="nail")
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        matter = services.matter_update(
            actor=lead_official,
            matter=matter,
            root_cause="执行款未到位",
            labels=[nail],
            accepted_on=date(2026, 11, 4),
        )
    assert matter.root_cause == "执行款未到位"
    assert matter.handling_due_on == date(2027, 1, 4)  # 01-03 is a Sunday
    assert matter.last_progress_at == NOW + timedelta(hours=2)
    event = list(timeline_for(matter))[-1]
    assert event.verb == "updated"
    assert sorted(event.data["changed"]) == [
        "accepted_on",
        "calendar_warning",
        "handling_due_on",
        "labels",
        "root_cause",
    ]
    # Nothing changed: no event.
    before = Event.objects.count()
    services.matter_update(actor=lead_official, matter=matter, root_cause="执行款未到位")
    assert Event.objects.count() == before


def test_an_extension_of_up_to_thirty_days_is_recorded_once_with_its_reason(
    city_officer, lead_official
):
    matter = in_progress(
        city_officer, lead_official, received_on=date(2026, 11, 2), accepted_on=date(2026, 11, 2)
    )
    with pytest.raises(ValidationFailed) as refused:
        services.matter_extend(
            actor=lead_official,
            matter=matter,
            days=31,
            reason="需要听证",
            approved_by="王局长",
            told_on=TODAY,
        )
    assert "1至30日" in refused.value.message
    matter = services.matter_extend(
        actor=lead_official,
        matter=matter,
        days=30,
        reason="需组织听证",
        approved_by="王局长",
        told_on=TODAY,
    )
    # 11-02 + 90 = 2027-01-31, a Sunday (2027: weekends only) → 02-01.
    assert (matter.extension_days, matter.extended_due_on) == (30, date(2027, 2, 1))
    assert matter.effective_due == date(2027, 2, 1)
    event = list(timeline_for(matter))[-1]
    assert (event.verb, event.reason) == ("extended", "需组织听证")
    assert event.data["article"] == "《信访工作条例》第三十四条"
    with pytest.raises(Conflict):
        services.matter_extend(
            actor=lead_official,
            matter=matter,
            days=5,
            reason="再延",
            approved_by="王局长",
            told_on=TODAY,
        )


def test_no_extension_for_an_unaccepted_matter_or_after_the_period(city_officer, lead_official):
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(ValidationFailed):
        services.matter_extend(
            actor=lead_official,
            matter=matter,
            days=10,
            reason="理由",
            approved_by="王局长",
            told_on=TODAY,
        )
    late = in_progress(
        city_officer, lead_official, received_on=date(2026, 8, 1), accepted_on=date(2026, 8, 1)
    )
    with pytest.raises(ValidationFailed) as refused:
        services.matter_extend(
            actor=lead_official,
            matter=late,
            days=10,
            reason="理由",
            approved_by="王局长",
            told_on=TODAY,
        )
    assert "届满，不能再延期" in refused.value.message
    late.refresh_from_db()
    assert late.extension_days == 0


# --- outcome ----------------------------------------------------------------------------------


def test_a_resolution_without_the_evidence_its_type_needs_is_refused_naming_what_is_missing(
    city_officer, lead_official
):
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(ValidationFailed) as refused:
        services.matter_resolve(
            actor=lead_official,
            matter=matter,
            outcome_type="aided",
            summary="给予司法救助",
            resolved_on=TODAY,
            evidence=[EvidenceInput("aid_paid", "救助金发放表", TODAY)],
        )
    assert refused.value.message == "化解方式“帮扶救助到位”还缺少：息诉罢访承诺书"
    assert refused.value.code == "evidence_missing"
    matter.refresh_from_db()
    assert matter.status == MatterStatus.IN_PROGRESS
    assert not OutcomeEvidence.objects.exists()

    services.outcome_evidence_add(
        actor=lead_official,
        matter=matter,
        kind="commitment",
        description="息诉罢访承诺书",
        dated_on=TODAY,
    )
    matter = services.matter_resolve(
        actor=lead_official,
        matter=matter,
        outcome_type="aided",
        summary="给予司法救助",
        resolved_on=TODAY,
        evidence=[EvidenceInput("aid_paid", "救助金发放表", TODAY)],
    )
    assert matter.status == MatterStatus.RESOLVED
    assert (matter.outcome_type, matter.matter_resolved_on, matter.ceased) == ("aided", TODAY, True)
    assert verbs(matter)[-2:] == ["evidence_added", "resolved"]


@pytest.mark.parametrize(
    ("outcome_type", "missing"),
    [
        ("solved", "调解/和解协议"),
        ("educated", "息诉罢访承诺书"),
        ("aided", "救助金发放凭证、息诉罢访承诺书"),
        ("handled_by_law", "处理意见书"),
    ],
)
def test_each_outcome_type_names_its_evidence(city_officer, lead_official, outcome_type, missing):
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(ValidationFailed) as refused:
        services.matter_resolve(
            actor=lead_official,
            matter=matter,
            outcome_type=outcome_type,
            summary="情况",
            resolved_on=TODAY,
        )
    assert refused.value.message.endswith(f"还缺少：{missing}")


def test_a_resolution_before_receipt_or_before_assignment_is_refused(city_officer, lead_official):
    registered = make_matter(city_officer, received_on=date(2026, 11, 10))
    with pytest.raises(ValidationFailed) as refused:
        resolve_solved(city_officer, registered, on=date(2026, 11, 9))
    assert "事了日期不能早于收到日期" in refused.value.message
    with pytest.raises(InvalidTransition):
        resolve_solved(city_officer, registered, on=date(2026, 11, 20))
    assert not OutcomeEvidence.objects.exists()


def test_evidence_files_are_checked_and_kept_with_their_digest(
    city_officer, lead_official, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.YOUJIE_MAX_UPLOAD_BYTES = 1000
    matter = in_progress(city_officer, lead_official)
    evidence = services.outcome_evidence_add(
        actor=lead_official,
        matter=matter,
        kind="agreement",
        description="和解协议书",
        dated_on=TODAY,
        file=SimpleUploadedFile("协议.pdf", PDF),
    )
    assert (evidence.content_type, evidence.size, len(evidence.sha256)) == (
        "application/pdf",
        len(PDF),
        64,
    )
    assert evidence.resolution_round == 1
    bad_files = [
        (SimpleUploadedFile("setup.exe", b"MZ" + b"\x00" * 10), "只接受 PDF、JPG、PNG 格式的文件"),
        (SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n0000"), "文件内容与扩展名不符"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * 1000), "文件不能超过 0 MB"),
        (SimpleUploadedFile("empty.pdf", b""), "文件为空"),
    ]
    for uploaded, message in bad_files:
        with pytest.raises(ValidationFailed) as refused:
            services.outcome_evidence_add(
                actor=lead_official,
                matter=matter,
                kind="agreement",
                description="协议",
                dated_on=TODAY,
                file=uploaded,
            )
        assert refused.value.fields["file"] == [message]
    assert OutcomeEvidence.objects.count() == 1


def test_heart_resolution_only_through_a_return_visit_after_the_matter_is_resolved(
    city_officer, lead_official
):
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(InvalidTransition):
        services.matter_heart_confirm(
            actor=lead_official, matter=matter, visited_on=TODAY, method="phone", note="回访"
        )
    matter = resolve_solved(lead_official, matter, on=date(2026, 11, 20))
    with pytest.raises(ValidationFailed) as refused:
        services.matter_heart_confirm(
            actor=lead_official,
            matter=matter,
            visited_on=date(2026, 11, 19),
            method="phone",
            note="回访",
        )
    assert "回访日期不能早于事了日期" in refused.value.message
    visit = services.matter_return_visit_record(
        actor=lead_official,
        matter=matter,
        visited_on=date(2026, 11, 21),
        method="phone",
        note="情绪仍有波动",
        heart_resolved=False,
    )
    matter.refresh_from_db()
    assert (matter.status, matter.heart_resolved_on) == (MatterStatus.RESOLVED, None)
    assert not visit.heart_resolved
    services.matter_heart_confirm(
        actor=lead_official,
        matter=matter,
        visited_on=TODAY,
        method="in_person",
        note="当面回访，表示心结解开",
    )
    matter.refresh_from_db()
    assert (matter.status, matter.heart_resolved_on) == (MatterStatus.SETTLED, TODAY)
    assert matter.is_settled
    assert verbs(matter)[-2:] == ["return_visit_recorded", "heart_resolved"]
    assert MatterReturnVisit.objects.filter(matter=matter).count() == 2


def test_termination_by_law_stops_counting_and_handing_over(city_officer, lead_official):
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(ValidationFailed) as refused:
        services.matter_terminate(
            actor=city_officer,
            matter=matter,
            terminated_on=date(2026, 11, 20),
            authority="内蒙古自治区党委政法委",
            basis="已穷尽法律程序",
            handed_over_to="石拐区委、区政府",
            handed_over_on=date(2026, 11, 19),
        )
    assert "移交日期不能早于终结日期" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.matter_terminate(
            actor=lead_official,
            matter=matter,
            terminated_on=date(2026, 11, 20),
            authority="自治区党委政法委",
            basis="依据",
            handed_over_to="属地",
            handed_over_on=date(2026, 11, 20),
        )
    matter = services.matter_terminate(
        actor=city_officer,
        matter=matter,
        terminated_on=date(2026, 11, 20),
        authority="内蒙古自治区党委政法委",
        basis="已穷尽法律程序，审核确认处理正确",
        handed_over_to="石拐区委、区政府及大德恒街道",
        handed_over_on=date(2026, 11, 21),
    )
    assert (matter.status, matter.no_further_counting) == (MatterStatus.TERMINATED, True)
    assert not PetitionMatter.objects.counted().filter(pk=matter.pk).exists()
    assert verbs(matter)[-1] == "terminated"
    with pytest.raises(InvalidTransition):
        services.matter_update(actor=city_officer, matter=matter, root_cause="新情况")


# --- campaigns --------------------------------------------------------------------------------


def campaign(actor, **overrides):
    values: dict[str, Any] = {
        "name": "2026年涉法涉诉信访积案化解百日攻坚",
        "kind": "hundred_days",
        "issuing_office": unit("BT-ZXB"),
        "starts_on": date(2026, 9, 1),
        "ends_on": date(2026, 12, 9),
        "follow_up_days": 30,
    }
    values.update(overrides)
    return services.campaign_create(actor=actor, **values)


def test_a_matter_without_lead_official_or_responsible_unit_cannot_enter_a_campaign(
    city_officer, lead_official
):
    action = campaign(city_officer)
    ready = in_progress(city_officer, lead_official)
    bare = make_matter(city_officer, title="无人包案的事项")
    half = services.matter_assign(
        actor=city_officer,
        matter=make_matter(city_officer, title="只有包案领导"),
        lead_official=lead_official,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.campaign_add_matters(
            actor=city_officer, campaign=action, matters=[ready, bare, half]
        )
    assert refused.value.code == "campaign_admission_refused"
    assert refused.value.fields["matters"] == [
        f"{bare.number}“无人包案的事项”尚未明确包案领导和责任单位，不能纳入专项行动",
        f"{half.number}“只有包案领导”尚未明确责任单位，不能纳入专项行动",
    ]
    assert not CampaignMatter.objects.exists()
    assert verbs(action) == ["created"]
    assert "added_to_campaign" not in verbs(ready)

    (row,) = services.campaign_add_matters(actor=city_officer, campaign=action, matters=[ready])
    assert (row.status, row.follow_up_due_on, row.added_on) == (FollowUpStatus.PENDING, None, TODAY)
    assert verbs(action) == ["created", "matters_added"]
    assert verbs(ready)[-1] == "added_to_campaign"
    with pytest.raises(ValidationFailed) as again:
        services.campaign_add_matters(actor=city_officer, campaign=action, matters=[ready])
    assert again.value.message == f"{ready.number}“{ready.title}”已在本专项行动中"


def test_campaign_dates_out_of_order_and_a_closed_campaign_are_refused(city_officer, lead_official):
    with pytest.raises(ValidationFailed) as refused:
        campaign(city_officer, starts_on=date(2026, 12, 1), ends_on=date(2026, 11, 1))
    assert refused.value.fields["ends_on"] == ["结束日期不能早于开始日期"]
    action = campaign(city_officer)
    services.campaign_start(actor=city_officer, campaign=action)
    services.campaign_close(actor=city_officer, campaign=action)
    with pytest.raises(InvalidTransition):
        services.campaign_add_matters(
            actor=city_officer, campaign=action, matters=[in_progress(city_officer, lead_official)]
        )
    assert verbs(action) == ["created", "started", "closed"]


def test_matters_taken_on_earlier_are_recorded_with_that_day(city_officer, lead_official):
    """An office recording a running campaign enters when each matter was taken on: within the
    campaign, not in the future, not before the matter was received (2026-11-02 here)."""
    action = campaign(city_officer)
    matter = in_progress(city_officer, lead_official)
    for wrong, why in (
        (date(2026, 8, 31), "纳入日期应在专项行动开始（2026-09-01）之后、不晚于今天"),
        (TODAY + timedelta(days=1), "纳入日期应在专项行动开始（2026-09-01）之后、不晚于今天"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            services.campaign_add_matters(
                actor=city_officer, campaign=action, matters=[matter], added_on=wrong
            )
        assert refused.value.message == why
    with pytest.raises(ValidationFailed) as early:
        services.campaign_add_matters(
            actor=city_officer, campaign=action, matters=[matter], added_on=date(2026, 11, 1)
        )
    assert early.value.fields["matters"] == [f"{matter.number}于2026-11-02收到，晚于纳入日期"]
    assert not CampaignMatter.objects.exists()
    (row,) = services.campaign_add_matters(
        actor=city_officer, campaign=action, matters=[matter], added_on=date(2026, 11, 2)
    )
    assert row.added_on == date(2026, 11, 2)
    # Resolved on 11-10: the follow-up runs from 事了 (later than admission), 30 日 → 12-10.
    resolve_solved(lead_official, matter, on=date(2026, 11, 10))
    row.refresh_from_db()
    assert row.follow_up_due_on == date(2026, 12, 10)


def test_a_county_officer_cannot_admit_matters_to_the_city_campaign(
    city_officer, county_officer, lead_official
):
    action = campaign(city_officer)
    matter = in_progress(city_officer, lead_official)
    with pytest.raises(PermissionDenied):
        services.campaign_add_matters(actor=county_officer, campaign=action, matters=[matter])


def test_follow_up_confirmed_stable_only_after_its_period(city_officer, lead_official):
    action = campaign(city_officer)
    matter = in_progress(city_officer, lead_official)
    (row,) = services.campaign_add_matters(actor=city_officer, campaign=action, matters=[matter])
    resolve_solved(lead_official, matter, on=date(2026, 11, 20))
    row.refresh_from_db()
    # From admission (11-23, later than 事了) + 30 日 = 12-23.
    assert row.follow_up_due_on == date(2026, 12, 23)
    assert verbs(row) == ["follow_up_started"]
    with pytest.raises(InvalidTransition) as early:
        services.followup_confirm_stable(actor=city_officer, campaign_matter=row)
    assert "2026-12-23届满，届满后才能确认稳定" in early.value.message
    assert list(selectors.follow_ups_due(user=city_officer)) == []
    with time_machine.travel(datetime(2026, 12, 23, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert list(selectors.follow_ups_due(user=city_officer)) == [row]
        row = services.followup_confirm_stable(
            actor=city_officer, campaign_matter=row, note="回访稳定"
        )
    assert (row.status, row.confirmed_on) == (FollowUpStatus.STABLE, date(2026, 12, 23))
    assert verbs(row) == ["follow_up_started", "follow_up_confirmed_stable"]
    assert verbs(matter)[-1] == "follow_up_confirmed_stable"


def test_reopening_sends_the_matter_back_with_its_reason_and_needs_fresh_evidence(
    city_officer, lead_official, case_handler
):
    action = campaign(city_officer, kind="look_back", name="回头看")
    matter = assign(
        city_officer, make_matter(city_officer), lead=lead_official, handler=case_handler
    )
    resolve_solved(lead_official, matter, on=date(2026, 11, 20))
    services.matter_heart_confirm(
        actor=lead_official,
        matter=matter,
        visited_on=date(2026, 11, 21),
        method="phone",
        note="表示满意",
    )
    (row,) = services.campaign_add_matters(actor=city_officer, campaign=action, matters=[matter])
    assert row.follow_up_due_on == date(2026, 12, 23)  # resolved before: from admission
    with pytest.raises(ValidationFailed):
        services.followup_reopen(actor=city_officer, campaign_matter=row, reason="")

    row = services.followup_reopen(
        actor=city_officer, campaign_matter=row, reason="信访人再次到市里上访，协议未履行"
    )
    matter.refresh_from_db()
    assert (row.status, row.reopened_on) == (FollowUpStatus.REOPENED, TODAY)
    assert matter.status == MatterStatus.IN_PROGRESS
    assert (matter.resolution_round, matter.reopened_count) == (2, 1)
    assert (matter.matter_resolved_on, matter.heart_resolved_on, matter.outcome_type) == (
        None,
        None,
        "",
    )
    reopened = list(timeline_for(matter))[-1]
    assert (reopened.verb, reopened.from_state, reopened.to_state) == (
        "reopened",
        "settled",
        "in_progress",
    )
    assert reopened.reason == "信访人再次到市里上访，协议未履行"
    assert reopened.data["previous"]["outcome_type"] == "solved"
    assert verbs(row) == ["follow_up_reopened"]
    assert notified(matter)[-2:] == [f"重新交办：{matter.number}"] * 2

    # The first round's agreement does not count for the second resolution.
    with pytest.raises(ValidationFailed) as refused:
        services.matter_resolve(
            actor=lead_official,
            matter=matter,
            outcome_type="solved",
            summary="再次和解",
            resolved_on=TODAY,
        )
    assert refused.value.message.endswith("还缺少：调解/和解协议")
    resolve_solved(lead_official, matter, on=TODAY)
    row.refresh_from_db()
    assert (row.status, row.follow_up_due_on) == (FollowUpStatus.PENDING, date(2026, 12, 23))
    assert verbs(row) == ["follow_up_reopened", "follow_up_restarted"]


def test_progress_touch_and_the_three_day_review_selector(city_officer, lead_official):
    stalled = in_progress(city_officer, lead_official, title="停滞事项")
    moving = in_progress(city_officer, lead_official, title="推进中事项")
    later = NOW + timedelta(days=5)
    with transaction.atomic():
        services.matter_progress_touch(matter=moving, at=later)
    moving.refresh_from_db()
    assert moving.last_progress_at == later
    since = NOW + timedelta(days=1)
    assert list(selectors.matters_without_progress(user=city_officer, since=since)) == [stalled]


def test_region_of_a_matter_needs_a_county_office(city_officer):
    from youjie.orgs.models import Region

    Region.objects.create(
        code="150299", name="无专项办的测试区", kind="district", parent=region("150200")
    )
    with pytest.raises(ValidationFailed) as refused:
        make_matter(city_officer, region_code="150299")
    assert refused.value.fields["region"] == [
        "属地“无专项办的测试区”尚未设置专项办，请先在机构中设置"
    ]
