"""Coordination requests to departments (协调联动): the working-day deadline, the transition map
(sent → replied, once), overdue computed from the last day, events on the matter's timeline, the
outbox message to the liaison, and liaison scoping (only their department's requests)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from youjie.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from youjie.core.timeline import timeline_for
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit
from youjie.petitions import selectors, services
from youjie.petitions.choices import CoordinationStatus
from youjie.petitions.deadlines import coordination_deadline
from youjie.petitions.models import CoordinationRequest, PetitionMatter
from youjie.petitions.transitions import COORDINATION_TRANSITIONS

from .conftest import NOW, TODAY, assign, make_matter, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def matter(city_officer, lead_official, case_handler) -> PetitionMatter:
    return assign(city_officer, make_matter(city_officer), lead=lead_official, handler=case_handler)


def send(actor, matter, department_code="BT-ZJJ", **overrides) -> CoordinationRequest:
    values = {
        "actor": actor,
        "matter": matter,
        "department": unit(department_code),
        "request_text": "请核实信访人所购商品房的网签备案及办证受阻原因，提出解决意见。",
    }
    values.update(overrides)
    return services.coordination_request_send(**values)


def test_the_transition_map_answers_once_and_overdue_is_not_a_state():
    assert COORDINATION_TRANSITIONS.can("sent", "replied")
    assert not COORDINATION_TRANSITIONS.can("replied", "sent")
    assert not COORDINATION_TRANSITIONS.can("replied", "replied")
    assert set(CoordinationStatus.values) == {"sent", "replied"}


def test_the_deadline_counts_working_days_over_a_holiday(settings):
    # 2026-09-30 (Wednesday): 10月1日–7日 National Day, 10月10日 (Saturday) a make-up workday.
    deadline = coordination_deadline(date(2026, 9, 30), 5)
    assert deadline.due == date(2026, 10, 13)
    assert "个工作日" in deadline.label
    with pytest.raises(ValidationFailed) as refused:
        coordination_deadline(date(2026, 9, 30), 61)
    assert refused.value.fields["workdays"] == ["应为1至60个工作日"]


def test_sending_writes_the_events_moves_progress_and_tells_the_liaison(
    matter, case_handler, department_liaison, settings
):
    settings.YOUJIE_COORDINATION_WORKDAYS = 10
    request = send(case_handler, matter)
    assert request.status == CoordinationStatus.SENT
    assert (request.sent_on, request.workdays) == (TODAY, 10)
    assert request.due_on == date(2026, 12, 7)  # 10 working days after Monday 2026-11-23
    event = timeline_for(matter).get(verb="coordination_sent")
    assert event.data["coordination"] == request.pk
    assert event.data["due_on"] == "2026-12-07"
    assert [e.verb for e in timeline_for(request)] == ["sent"]
    matter.refresh_from_db()
    assert matter.last_progress_at == NOW
    (message,) = Notification.objects.filter(subject__startswith="协调函")
    assert message.dedupe_key == (
        f"petitions:{matter.number}:coordination:{request.pk}:{department_liaison.pk}"
    )
    assert "2026年12月07日" in message.body


def test_bad_requests_are_refused_and_nothing_is_written(matter, case_handler, city_officer):
    cases = [
        (
            {"department": unit("BT-BYEB-FY")},
            "department",
            "请选择政府部门（住建、民政、人社、医保等）",
        ),
        ({"liaison": case_handler}, "liaison", "所选联络员不是该部门的联络员"),
        ({"request_text": ""}, "request_text", "请填写协调事项"),
        ({"request_text": "事" * 4001}, "request_text", "协调事项不能超过4000字"),
        ({"sent_on": TODAY + timedelta(days=1)}, "sent_on", "发出日期不能晚于今天"),
        ({"sent_on": date(2026, 10, 1)}, "sent_on", "发出日期不能早于收到日期（2026-11-02）"),
        ({"workdays": 0}, "workdays", "应为1至60个工作日"),
    ]
    for overrides, field, message in cases:
        with pytest.raises(ValidationFailed) as refused:
            send(case_handler, matter, **overrides)
        assert message in refused.value.fields[field], (field, refused.value.fields)
    assert not CoordinationRequest.objects.exists()
    assert not Notification.objects.filter(subject__startswith="协调函").exists()
    assert not timeline_for(matter).filter(verb="coordination_sent").exists()


def test_the_liaison_replies_once_late_replies_are_marked_and_the_sender_is_told(
    matter, case_handler, department_liaison
):
    request = send(case_handler, matter)
    later = NOW.replace(month=12, day=9)  # past 2026-12-07
    with time_machine.travel(later, tick=False):
        assert [
            r.pk for r in selectors.coordination_list(user=department_liaison, overdue=True)
        ] == [request.pk]
        assert request.is_overdue(later.date())
        replied = services.coordination_request_reply(
            actor=department_liaison,
            coordination=request,
            reply_text="经查，开发商欠缴土地出让金，已责令限期补缴后办理不动产登记。",
        )
        assert not replied.is_overdue(later.date())
        assert not selectors.coordination_list(user=department_liaison, overdue=True).exists()
    assert replied.status == CoordinationStatus.REPLIED
    assert replied.replied_on == date(2026, 12, 9) and replied.replied_late
    assert [(e.verb, e.from_state, e.to_state) for e in timeline_for(replied)] == [
        ("sent", "", "sent"),
        ("replied", "sent", "replied"),
    ]
    event = timeline_for(matter).get(verb="coordination_replied")
    assert event.data["late"] is True and event.actor == department_liaison
    told = Notification.objects.filter(subject__startswith="协调答复").values_list(
        "dedupe_key", flat=True
    )
    # The sender is the handler: told once.
    assert [key.rsplit(":", 1)[1] for key in told] == [str(case_handler.pk)]
    with pytest.raises(InvalidTransition, match="已答复"):
        services.coordination_request_reply(
            actor=department_liaison, coordination=request, reply_text="再次答复"
        )
    assert timeline_for(matter).filter(verb="coordination_replied").count() == 1


def test_only_the_addressed_departments_liaison_replies(
    matter, case_handler, department_liaison, city_officer
):
    request = send(case_handler, matter, department_code="BT-MZJ")
    for outsider in (department_liaison, case_handler, city_officer):
        with pytest.raises(PermissionDenied):
            services.coordination_request_reply(
                actor=outsider, coordination=request, reply_text="答复"
            )
    request.refresh_from_db()
    assert request.status == CoordinationStatus.SENT


def test_a_liaison_sees_only_their_departments_requests_and_none_of_the_matter(
    matter, case_handler, department_liaison, byeb_county_officer, county_officer
):
    ours = send(case_handler, matter)
    theirs = send(case_handler, matter, department_code="BT-MZJ")
    assert list(selectors.coordination_list(user=department_liaison)) == [ours]
    assert list(selectors.coordination_open(user=department_liaison)) == [ours]
    assert selectors.coordination_get(user=department_liaison, pk=ours.pk) == ours
    with pytest.raises(NotFound):
        selectors.coordination_get(user=department_liaison, pk=theirs.pk)
    with pytest.raises(NotFound):
        selectors.matter_get(user=department_liaison, pk=matter.pk)
    # The matter's own people and its county office see both; another county sees neither.
    assert set(selectors.coordination_list(user=county_officer)) == {ours, theirs}
    assert set(selectors.coordination_list(user=case_handler)) == {ours, theirs}
    assert not selectors.coordination_list(user=byeb_county_officer).exists()


def test_a_liaison_of_the_department_is_named_and_only_they_are_told(
    matter, case_handler, department_liaison
):
    colleague = type(department_liaison).objects.create_user(
        username="liaison2",
        password="pw-liaison2",
        display_name="钱多",
        org_unit=OrgUnit.objects.get(code="BT-ZJJ"),
    )
    colleague.user_roles.create(role="department_liaison")
    send(case_handler, matter)
    assert Notification.objects.filter(subject__startswith="协调函").count() == 2
    named = send(case_handler, matter, liaison=colleague)
    assert named.liaison == colleague
    assert Notification.objects.filter(subject__startswith="协调函").count() == 3
    assert (
        Notification.objects.filter(
            subject__startswith="协调函", dedupe_key__endswith=f":{colleague.pk}"
        ).count()
        == 2
    )


def test_a_default_time_limit_out_of_range_fails_the_system_check(settings):
    from youjie.petitions.checks import petitions_coordination_settings_check

    settings.YOUJIE_COORDINATION_WORKDAYS = 10
    assert petitions_coordination_settings_check() == []
    for bad in (0, 61, "10"):
        settings.YOUJIE_COORDINATION_WORKDAYS = bad
        (error,) = petitions_coordination_settings_check()
        assert error.id == "petitions.E002"
