"""Work records (核查 and meetings with the petitioner) and 每案必见: recording one is progress
with its event; bad input is refused naming the field, nothing written; the selector lists the
petitioners the lead official has not met yet, per matter and across a user's scope."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from youjie.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from youjie.core.timeline import timeline_for
from youjie.petitions import selectors, services
from youjie.petitions.models import PetitionMatter, WorkRecord, WorkRecordAttachment
from youjie.petitions.services import PetitionerInput

from .conftest import NOW, TODAY, assign, make_matter, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def matter_with_two_petitioners(city_officer, lead_official, case_handler) -> PetitionMatter:
    first = make_person(city_officer, "张三")
    second = make_person(city_officer, "李四")
    agent = make_person(city_officer, "王律师")
    matter = make_matter(
        city_officer,
        petitioner=first,
        petitioners=[
            PetitionerInput(first),
            PetitionerInput(second, "joint_representative"),
            PetitionerInput(agent, "agent"),
        ],
    )
    return assign(city_officer, matter, lead=lead_official, handler=case_handler)


def meeting(actor, matter, *, met, lead=True, kind="appointment", **overrides):
    values = {
        "actor": actor,
        "matter": matter,
        "kind": kind,
        "held_on": TODAY - timedelta(days=1),
        "place": "区信访接待中心",
        "findings": "信访人陈述借贷纠纷经过，出示借条复印件。",
        "lead_official_present": lead,
        "petitioners_met": met,
        "law_explanation": "解释再审申请的法定期限和条件。",
        "counselling": "耐心倾听，缓解其焦虑情绪。",
        "attitude": "mostly_accepts",
    }
    values.update(overrides)
    return services.work_record_create(**values)


def test_a_record_is_progress_with_its_event_participants_and_files(
    city_officer, lead_official, case_handler, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    matter = matter_with_two_petitioners(city_officer, lead_official, case_handler)
    PetitionMatter.objects.filter(pk=matter.pk).update(last_progress_at=NOW - timedelta(days=9))
    first = matter.petitioners.get(name="张三")
    record = meeting(
        case_handler,
        matter,
        met=[first],
        participants=[case_handler],
        files=[SimpleUploadedFile("约访笔录.pdf", PDF)],
    )
    assert record.lead_official == lead_official and record.lead_official_present
    # The lead official present is a participant too.
    assert set(record.participants.all()) == {case_handler, lead_official}
    assert list(record.petitioners_met.all()) == [first]
    (attachment,) = record.attachments.all()
    assert (attachment.original_name, attachment.content_type, len(attachment.sha256)) == (
        "约访笔录.pdf",
        "application/pdf",
        64,
    )
    matter.refresh_from_db()
    assert matter.last_progress_at == NOW
    event = timeline_for(matter).get(verb="work_record_added")
    assert event.actor == case_handler
    assert event.data["record"] == record.pk
    assert event.data["petitioners_met"] == [first.pk]
    assert event.data["lead_official_present"] is True
    assert event.data["files"] == [attachment.sha256]


def test_bad_records_are_refused_naming_each_field_and_nothing_is_written(
    city_officer, lead_official, case_handler, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    matter = matter_with_two_petitioners(city_officer, lead_official, case_handler)
    stranger = make_person(city_officer, "赵五")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"kind": "phone_call"}, "kind", "请选择工作类型"),
        ({"findings": "  "}, "findings", "请填写工作情况及核查结论"),
        ({"findings": "查" * 4001}, "findings", "工作情况及核查结论不能超过4000字"),
        ({"place": "地\x00点"}, "place", "地点含有无效字符"),
        ({"held_on": TODAY + timedelta(days=1)}, "held_on", "日期不能晚于今天"),
        ({"held_on": date(2026, 11, 1)}, "held_on", "日期不能早于收到日期（2026-11-02）"),
        ({"met": [stranger]}, "petitioners_met", "赵五不是本事项的信访人"),
        ({"attitude": ""}, "attitude", "与信访人见面的，请选择信访人态度"),
        ({"attitude": "happy"}, "attitude", "信访人态度无效"),
        (
            {"files": [SimpleUploadedFile("setup.exe", b"MZ\x00\x00")]},
            "attachments",
            "只接受 PDF、JPG、PNG 格式的文件",
        ),
        (
            {"files": [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]},
            "attachments",
            "每条工作记录最多5个附件",
        ),
    ]
    for overrides, field, message in cases:
        values: dict[str, Any] = {"met": [matter.petitioners.first()], **overrides}
        with pytest.raises(ValidationFailed) as refused:
            meeting(case_handler, matter, **values)
        assert message in refused.value.fields[field], (field, refused.value.fields)
    assert not WorkRecord.objects.exists()
    assert not WorkRecordAttachment.objects.exists()
    assert not timeline_for(matter).filter(verb="work_record_added").exists()


def test_a_record_without_a_lead_official_or_on_a_terminated_matter_is_refused(
    city_officer, lead_official
):
    unassigned = make_matter(city_officer)
    with pytest.raises(ValidationFailed) as refused:
        meeting(city_officer, unassigned, met=[], attitude="")
    assert refused.value.fields["lead_official_present"] == ["该事项尚未明确包案领导"]
    services.matter_terminate(
        actor=city_officer,
        matter=unassigned,
        terminated_on=TODAY,
        authority="自治区党委政法委",
        basis="穷尽法律程序，经审核依法终结",
        handed_over_to="昆都仑区委政法委",
        handed_over_on=TODAY,
    )
    unassigned.refresh_from_db()
    with pytest.raises(InvalidTransition, match="已依法终结"):
        meeting(city_officer, unassigned, met=[], lead=False, attitude="")
    assert not WorkRecord.objects.exists()


def test_only_the_matters_people_and_its_office_record_work(
    city_officer, byeb_county_officer, lead_official, judge, department_liaison
):
    matter = assign(city_officer, make_matter(city_officer), lead=lead_official)
    for outsider in (byeb_county_officer, judge, department_liaison):
        with pytest.raises(PermissionDenied):
            meeting(outsider, matter, met=[], lead=False, attitude="")
    assert not WorkRecord.objects.exists()


def test_every_petitioner_must_be_met_by_the_lead_official_in_a_meeting(
    city_officer, county_officer, byeb_county_officer, lead_official, case_handler
):
    matter = matter_with_two_petitioners(city_officer, lead_official, case_handler)
    first = matter.petitioners.get(name="张三")
    second = matter.petitioners.get(name="李四")

    def unmet(user):
        return [
            (link.matter_id, link.person.name) for link in selectors.petitioners_not_met(user=user)
        ]

    # The agent (代理人) is not one to be met; both others are, before any meeting.
    assert unmet(lead_official) == [(matter.pk, "张三"), (matter.pk, "李四")]
    assert unmet(county_officer) == unmet(city_officer) == unmet(lead_official)
    assert unmet(byeb_county_officer) == []  # another county's matter
    assert selectors.petitioners_not_yet_met(user=city_officer) == 2
    assert list(selectors.matters_not_yet_met(user=city_officer)) == [matter]

    # Met without the lead official, or in a verification rather than a meeting: not counted.
    meeting(case_handler, matter, met=[first], lead=False)
    meeting(case_handler, matter, met=[first], kind="hearing")
    assert [name for _, name in unmet(lead_official)] == ["张三", "李四"]

    meeting(lead_official, matter, met=[first])
    assert [name for _, name in unmet(lead_official)] == ["李四"]
    assert [link.person for link in selectors.matter_petitioners_not_met(matter=matter)] == [second]
    meeting(lead_official, matter, met=[second], kind="case_visit")
    assert unmet(lead_official) == []
    assert selectors.petitioners_not_yet_met(user=city_officer) == 0
    assert not selectors.matters_not_yet_met(user=city_officer).exists()


def test_a_new_lead_official_must_meet_the_petitioners_again(
    city_officer, lead_official, case_handler
):
    matter = matter_with_two_petitioners(city_officer, lead_official, case_handler)
    meeting(lead_official, matter, met=list(matter.petitioners.exclude(name="王律师")))
    assert not selectors.matter_petitioners_not_met(matter=matter).exists()
    new_lead = type(lead_official).objects.create_user(
        username="lead2", password="pw-lead2", display_name="郑新", org_unit=lead_official.org_unit
    )
    new_lead.user_roles.create(role="lead_official")
    services.matter_assign(
        actor=city_officer,
        matter=matter,
        lead_official=new_lead,
        responsible_unit=matter.responsible_unit,
        handler=case_handler,
    )
    assert selectors.matter_petitioners_not_met(matter=matter).count() == 2


def test_a_file_added_later_is_checked_and_counted(
    city_officer, lead_official, case_handler, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    matter = matter_with_two_petitioners(city_officer, lead_official, case_handler)
    record = meeting(case_handler, matter, met=[], lead=False, attitude="", kind="file_review")
    attachment = services.work_record_attachment_add(
        actor=case_handler,
        record=record,
        file=SimpleUploadedFile("卷宗摘录.png", b"\x89PNG\r\n\x1a\n0"),
    )
    assert attachment.content_type == "image/png"
    with pytest.raises(ValidationFailed) as refused:
        services.work_record_attachment_add(
            actor=case_handler,
            record=record,
            file=SimpleUploadedFile("x.pdf", b"\x89PNG\r\n\x1a\n"),
        )
    assert refused.value.fields["file"] == ["文件内容与扩展名不符"]
    assert record.attachments.count() == 1
    assert timeline_for(matter).filter(verb="work_record_attachment_added").count() == 1
