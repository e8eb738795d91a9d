"""The request page's other actions through their forms (route, transfer, decline, clock
changes, merge, withdraw, checklist, reply templates), the return-visit page, matter types and
the printable checklist, the admin, and the desk's dossier section."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youjie.core.models import Event
from youjie.desk import services
from youjie.desk.choices import RequestStatus
from youjie.desk.models import (
    ChecklistVersion,
    ClockChange,
    MatterType,
    ReplyTemplate,
    ReturnVisit,
    ServiceRequest,
)
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit

from .conftest import MONDAY_9AM

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def verbs(service_request: ServiceRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_type="desk.servicerequest", subject_id=str(service_request.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def intake(actor: Any, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "phone",
        "matter_type_code": "contact_judge",
        "title": "要求联系法官",
        "content": "当事人要求与承办法官通话。",
        "requester_name": "李四",
        "requester_mobile": "13900001111",
        "route": False,
    }
    values.update(overrides)
    service_request, _ = services.service_request_create(
        actor=actor, data=services.IntakeData(**values)
    )
    return service_request


def act(client: Client, service_request: ServiceRequest, action: str, **data: Any) -> Any:
    service_request.refresh_from_db()
    data.setdefault("expected_status", service_request.status)
    return client.post(reverse("desk:action", args=[service_request.pk, action]), data)


def detail(client: Client, service_request: ServiceRequest) -> str:
    response = client.get(reverse("desk:detail", args=[service_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_detail_shows_everything_the_brief_lists(
    receptionist, judge, civil_case, party, matter_types
):
    first = intake(
        receptionist,
        requester_mobile="13812345678",
        requester_name="张三",
        requester_id=party.pk,
        title="执行款一直未到账",
        content="我的案件执行款到现在还没有到账。",
        matter_type_code="enforcement_demand",
    )
    repeat = intake(
        receptionist,
        requester_mobile="13812345678",
        requester_name="张三",
        requester_id=party.pk,
        title="执行款还未到账",
        content="案件执行款到现在还没有到账，再次反映。",
        matter_type_code="enforcement_demand",
        related_case_number="（2026）内0206民初123号",
    )
    html = detail(client_for(receptionist), repeat)
    assert (
        repeat.number in html
        and "张三" in html
        and "138****5678" in html
        and "13812345678" not in html
    )
    assert reverse("people:dossier", args=[party.pk]) in html
    assert reverse("courtcases:detail", args=[civil_case.pk]) in html and "李敏" in html
    assert reverse("desk:detail", args=[first.pk]) in html and "累计重复 1 次" in html
    assert "首接责任人" in html and "王丽" in html and "仍负首接责任" in html
    assert "识别为重复诉求" in html  # the timeline's Chinese label
    assert reverse("desk:checklist_print", args=["enforcement_demand"]) in html


def test_detail_page_queries_are_bounded(
    receptionist, judge, civil_case, matter_types, django_assert_max_num_queries
):
    service_request = intake(
        receptionist, related_case_number="（2026）内0206民初123号", route=True
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    for n in range(5):
        services.service_request_interim_reply(
            actor=judge, service_request=service_request, body=f"进展{n}"
        )
    client = client_for(judge)
    # Constant: not one more per event or reply. (16 before the petitions' link asked whether the
    # request became a petition matter: one query.)
    with django_assert_max_num_queries(17):
        html = detail(client, service_request)
    assert html.count('data-verb="interim_reply"') == 5


def test_route_then_transfer_then_decline(
    receptionist, judge, other_judge, division_head, matter_types
):
    service_request = intake(receptionist)
    reception = client_for(receptionist)
    page = detail(reception, service_request)
    assert "分派" in page and "李敏" in page  # the user select lists the court's judges
    civil = OrgUnit.objects.get(code="BT-BYEB-MS")
    assert (
        act(
            reception, service_request, "route", division=civil.pk, user=judge.pk, reason=""
        ).status_code
        == 302
    )
    assert act(client_for(judge), service_request, "accept").status_code == 302
    # A transfer needs a reason.
    judge_client = client_for(judge)
    response = act(judge_client, service_request, "route", user=other_judge.pk, reason="")
    assert response.status_code == 422 and "请填写理由" in response.content.decode()
    assert (
        act(
            judge_client, service_request, "route", user=other_judge.pk, reason="属王法官承办案件"
        ).status_code
        == 302
    )
    response = act(client_for(other_judge), service_request, "decline", reason="")
    assert response.status_code == 422
    assert (
        act(client_for(other_judge), service_request, "decline", reason="非本人案件").status_code
        == 302
    )
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.IN_PROGRESS and service_request.assignee == judge
    assert verbs(service_request) == ["registered", "routed", "accepted", "transferred", "declined"]
    html = detail(judge_client, service_request)
    assert "转办" in html and "退回" in html and "非本人案件" in html and "属王法官承办案件" in html


def test_route_needs_a_target_and_only_the_courts_units(receptionist, matter_types):
    service_request = intake(receptionist)
    client = client_for(receptionist)
    response = act(client, service_request, "route")
    assert response.status_code == 422 and "请选择承办庭室或承办人" in response.content.decode()
    office = OrgUnit.objects.get(code="BT-ZXB")
    assert act(client, service_request, "route", division=office.pk).status_code == 422
    assert verbs(service_request) == ["registered"]


def test_pause_approve_resume_and_extension_reject(
    receptionist, judge, division_head, civil_case, matter_types
):
    service_request = intake(
        receptionist, related_case_number="（2026）内0206民初123号", route=True
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    judge_client, head = client_for(judge), client_for(division_head)
    response = act(
        judge_client, service_request, "clock_change", kind="extension", reason="需调取卷宗"
    )
    assert response.status_code == 422 and "延期须填写延长的工作日数" in response.content.decode()
    assert (
        act(
            judge_client, service_request, "clock_change", kind="pause", reason="等待当事人补充材料"
        ).status_code
        == 302
    )
    change = ClockChange.objects.get()
    # The judge cannot approve their own request; the page offers it to the division head only.
    assert reverse("desk:action", args=[service_request.pk, "clock_decide"]) not in detail(
        judge_client, service_request
    )
    assert (
        act(
            judge_client, service_request, "clock_decide", change=change.pk, decision="approve"
        ).status_code
        == 403
    )
    assert reverse("desk:action", args=[service_request.pk, "clock_decide"]) in detail(
        head, service_request
    )
    assert (
        act(
            head, service_request, "clock_decide", change=change.pk, decision="approve", note="同意"
        ).status_code
        == 302
    )
    service_request.refresh_from_db()
    assert service_request.status == RequestStatus.PAUSED
    assert (
        act(head, service_request, "clock_decide", change=change.pk, decision="approve").status_code
        == 403
    )
    assert act(judge_client, service_request, "resume", reason="材料已补齐").status_code == 302
    assert (
        act(
            judge_client,
            service_request,
            "clock_change",
            kind="extension",
            reason="需调取卷宗",
            extra_workdays="3",
        ).status_code
        == 302
    )
    extension = ClockChange.objects.get(status="pending")
    assert (
        act(
            head,
            service_request,
            "clock_decide",
            change=extension.pk,
            decision="reject",
            note="无需延期",
        ).status_code
        == 302
    )
    assert verbs(service_request)[3:] == [
        "pause_requested",
        "paused",
        "resumed",
        "extension_requested",
        "extension_rejected",
    ]
    html = detail(judge_client, service_request)
    assert (
        "申请中止计时" in html
        and "恢复计时" in html
        and "驳回延期申请" in html
        and "无需延期" in html
    )


def test_interim_reply_merge_withdraw_and_send_checklist(receptionist, matter_types):
    client = client_for(receptionist)
    target = intake(
        receptionist, matter_type_code="divorce_filing", title="离婚咨询", content="咨询离婚。"
    )
    duplicate = intake(
        receptionist,
        matter_type_code="divorce_filing",
        title="又来问离婚",
        content="再次咨询离婚。",
        requester_mobile="13900002222",
    )
    sms_before = Notification.objects.count()
    assert act(client, target, "send_checklist").status_code == 302
    assert Notification.objects.count() == sms_before + 1
    response = act(client, duplicate, "merge", into="ss99999999-00001", reason="重复")
    assert response.status_code == 422
    response = act(
        client, duplicate, "merge", into=target.number.lower(), reason="同一事项重复来电"
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == RequestStatus.MERGED and duplicate.merged_into == target
    assert "merged_from" in verbs(target)
    assert reverse("desk:detail", args=[target.pk]) in detail(client, duplicate)
    assert act(client, target, "withdraw", reason="诉求人来电撤回").status_code == 302
    target.refresh_from_db()
    assert target.status == RequestStatus.WITHDRAWN
    html = detail(client, target)
    assert '<span class="badge grey">撤回</span>' in html and "诉求人来电撤回" in html
    assert 'id="actions"' not in html  # nothing left to do


def test_reply_template_placeholders_filled_without_javascript(receptionist, matter_types):
    service_request = intake(receptionist)
    ReplyTemplate.objects.create(
        name="联系法官答复",
        matter_type=MatterType.objects.get(code="contact_judge"),
        body="{姓名}您好，您的诉求{编号}（{事项}）已转告承办法官，法官将在三个工作日内与您联系。",
    )
    template = ReplyTemplate.objects.create(
        name="通用答复", body="{姓名}您好：{事项}已办理。{{编号}}"
    )
    ReplyTemplate.objects.create(name="停用", body="x", is_active=False)
    client = client_for(receptionist)
    page = detail(client, service_request)
    assert (
        "李四您好，您的诉求" in page and service_request.number in page
    )  # data-body for the script
    assert "停用" not in page
    assert act(client, service_request, "reply", template=template.pk, body="").status_code == 302
    reply = service_request.replies.get()
    assert reply.body == f"李四您好：联系法官已办理。{{{service_request.number}}}"


def test_reply_that_is_too_long_is_refused(receptionist, matter_types):
    service_request = intake(receptionist)
    response = act(client_for(receptionist), service_request, "reply", body="答" * 5001)
    assert response.status_code == 422
    assert "不能超过5000字" in response.content.decode()
    assert not service_request.replies.exists()


def test_supervise_rejects_a_past_deadline(
    receptionist, division_head, judge, civil_case, matter_types
):
    service_request = intake(
        receptionist, related_case_number="（2026）内0206民初123号", route=True
    )
    services.service_request_accept(actor=judge, service_request=service_request)
    head = client_for(division_head)
    response = act(
        head, service_request, "supervise", reason="请尽快", new_deadline="2020-01-01T09:00"
    )
    assert response.status_code == 422 and "督办期限必须晚于当前时间" in response.content.decode()
    response = act(head, service_request, "supervise", reason="请尽快", new_deadline="明天")
    assert response.status_code == 422 and "请输入有效的日期和时间" in response.content.decode()
    assert "supervised" not in verbs(service_request)


# --- return visits ----------------------------------------------------------------------------


def test_return_visit_reopen_and_repeat_is_stale(receptionist, judge, matter_types):
    service_request = intake(
        receptionist,
        matter_type_code="complaint",
        title="投诉窗口态度",
        content="窗口工作人员态度不好。",
    )
    services.service_request_reply(
        actor=receptionist, service_request=service_request, body="已核实并致歉。", on_the_spot=True
    )
    services.feedback_submit(token=service_request.feedback.token, satisfaction=4)
    visit = ReturnVisit.objects.get()
    assert client_for(judge).get(reverse("desk:return_visits")).status_code == 200
    # A judge sees the queue only within scope and may not record (reception's job).
    response = client_for(judge).post(
        reverse("desk:return_visit_record", args=[visit.pk]),
        {"result": "resolved", "action": "none"},
    )
    assert response.status_code == 404
    client = client_for(receptionist)
    response = client.post(
        reverse("desk:return_visit_record", args=[visit.pk]),
        {"result": "resolved", "action": "reopen"},
    )
    assert (
        response.status_code == 422
        and "问题已解决时无需重新办理或督办" in response.content.decode()
    )
    response = client.post(
        reverse("desk:return_visit_record", args=[visit.pk]),
        {"result": "unresolved", "action": "reopen", "note": "仍不满意"},
    )
    assert response.status_code == 302
    service_request.refresh_from_db()
    assert (
        service_request.status == RequestStatus.IN_PROGRESS and service_request.reopened_count == 1
    )
    response = client.post(
        reverse("desk:return_visit_record", args=[visit.pk]),
        {"result": "unresolved", "action": "reopen"},
    )
    assert response.status_code == 422 and "该回访已完成" in response.content.decode()
    assert verbs(service_request)[-2:] == ["return_visit_done", "reopened_by_return_visit"]
    response = client.post(
        reverse("desk:return_visit_record", args=[visit.pk]), {"result": "bogus", "action": "none"}
    )
    assert response.status_code == 422


# --- matter types and checklists ----------------------------------------------------------


def test_administrator_publishes_a_new_checklist_version(
    administrator, receptionist, matter_types, settings
):
    settings.YOUJIE_OTP_ENFORCED = False
    url = reverse("desk:checklist_edit", args=["divorce_filing"])
    assert client_for(receptionist).get(url).status_code == 403
    admin_client = client_for(administrator)
    page = admin_client.get(url).content.decode()
    assert "结婚证" in page and "第2版" in page
    response = admin_client.post(url, {"materials": "", "steps": "x" * 4001})
    assert response.status_code == 422
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert ChecklistVersion.objects.filter(matter_type__code="divorce_filing").count() == 1
    response = admin_client.post(
        url,
        {"materials": "1. 起诉状；2. 结婚证。", "steps": "窗口提交。", "fees": "每件50元至300元。"},
    )
    assert response.status_code == 302
    assert ChecklistVersion.objects.filter(matter_type__code="divorce_filing").count() == 2
    listing = admin_client.get(reverse("desk:matter_types")).content.decode()
    assert "第2版" in listing and reverse("desk:checklist_edit", args=["divorce_filing"]) in listing
    staff_listing = client_for(receptionist).get(reverse("desk:matter_types")).content.decode()
    assert "第2版" in staff_listing and "发布新版本" not in staff_listing
    assert client_for(receptionist).post(url, {"materials": "x", "steps": "y"}).status_code == 403
    assert ChecklistVersion.objects.filter(matter_type__code="divorce_filing").count() == 2


def test_printable_checklist(receptionist, matter_types, county_officer):
    client = client_for(receptionist)
    html = client.get(reverse("desk:checklist_print", args=["divorce_filing"])).content.decode()
    assert "离婚诉讼立案咨询一次告知清单" in html and "结婚证" in html and "第1版" in html
    assert "desk/desk.css" in html and "data-print" in html
    assert client.get(reverse("desk:checklist_print", args=["nope"])).status_code == 404
    assert (
        client.get(reverse("desk:checklist_print", args=["divorce_filing"]) + "?v=9").status_code
        == 404
    )
    assert (
        client.get(reverse("desk:checklist_print", args=["divorce_filing"]) + "?v=x").status_code
        == 404
    )
    assert (
        client.get(reverse("desk:checklist_print", args=["demand"])).status_code == 404
    )  # none published
    assert Client().get(reverse("desk:checklist_print", args=["divorce_filing"])).status_code == 302


def test_print_stylesheet_has_a_print_block():
    from django.contrib.staticfiles import finders

    path = finders.find("desk/desk.css")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        assert "@media print" in handle.read()


# --- admin and dossier --------------------------------------------------------------------


def test_admin_is_read_only_for_requests(administrator, receptionist, matter_types, settings):
    settings.YOUJIE_OTP_ENFORCED = False
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    service_request = intake(receptionist)
    client = client_for(administrator)
    listing = client.get(reverse("admin:desk_servicerequest_changelist"))
    assert listing.status_code == 200 and service_request.number in listing.content.decode()
    assert "李四" not in listing.content.decode()  # no personal data in the admin
    change = client.get(reverse("admin:desk_servicerequest_change", args=[service_request.pk]))
    assert change.status_code == 200 and 'name="status"' not in change.content.decode()
    assert client.get(reverse("admin:desk_servicerequest_add")).status_code == 403
    response = client.post(
        reverse("admin:desk_servicerequest_change", args=[service_request.pk]), {"status": "closed"}
    )
    assert response.status_code == 403
    assert ServiceRequest.objects.get(pk=service_request.pk).status == RequestStatus.REGISTERED
    matter_type = MatterType.objects.get(code="divorce_filing")
    page = client.get(
        reverse("admin:desk_mattertype_change", args=[matter_type.pk])
    ).content.decode()
    assert "结婚证" in page and 'name="checklists-0-materials"' not in page
    for name in ("replytemplate", "returnvisit", "supervision"):
        assert client.get(reverse(f"admin:desk_{name}_changelist")).status_code == 200


def test_dossier_section_lists_requests_with_repeat_total(receptionist, party, judge, matter_types):
    intake(
        receptionist,
        requester_id=party.pk,
        title="执行款一直未到账",
        content="我的案件执行款到现在还没有到账。",
        matter_type_code="enforcement_demand",
    )
    intake(
        receptionist,
        requester_id=party.pk,
        title="执行款还未到账",
        content="案件执行款到现在还没有到账，再次反映。",
        matter_type_code="enforcement_demand",
    )
    html = client_for(receptionist).get(reverse("people:dossier", args=[party.pk])).content.decode()
    assert "诉事速办诉求" in html
    assert "共 2 件，重复诉求累计 1 次" in html
    assert len(re.findall(r'href="/desk/\d+/"', html)) >= 2
    # A judge with no visible request of this person gets an empty section, not others' requests.
    from youjie.desk.dossier import desk_requests_section

    section = desk_requests_section(judge, party)
    assert section is not None and section.row_list == []


def test_dossier_section_absent_for_office_officers(
    county_officer, party, receptionist, matter_types
):
    intake(receptionist, requester_id=party.pk)
    from youjie.desk.dossier import desk_requests_section

    assert desk_requests_section(county_officer, party) is None


def test_overdue_badge_on_detail(receptionist, matter_types):
    service_request = intake(receptionist)
    ServiceRequest.objects.filter(pk=service_request.pk).update(
        completion_due=timezone.now() - timedelta(minutes=1), created_at=MONDAY_9AM
    )
    assert '<span class="badge red">已超期</span>' in detail(
        client_for(receptionist), service_request
    )
