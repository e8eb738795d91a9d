"""The 庭审安排 section of a court case's page and the upcoming-hearings page: who sees what,
who may use the forms, and what a refused form says and writes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_user
from youjie.core.models import Event
from youjie.courtcases.choices import HearingKind, HearingStatus
from youjie.courtcases.hearings import hearing_hold, hearing_schedule
from youjie.courtcases.models import CourtCase, Hearing, HearingParticipant
from youjie.courtcases.tests.hearingworld import LINK, NOW, beijing, civil_case
from youjie.notifications.models import Notification
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(settings: Any) -> Iterator[None]:
    settings.YOUJIE_OTP_ENFORCED = False  # the court leader reaches the pages
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def court_case(receptionist: User, judge: User) -> CourtCase:
    return civil_case(receptionist=receptionist, judge=judge)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule_data(**overrides: str) -> dict[str, Any]:
    return {
        "hearing_kind": HearingKind.IN_PERSON,
        "hearing_at": "2026-12-14T09:30",
        "duration_minutes": "60",
        "hearing_link": "",
        "courtroom": "第一审判庭",
        "other_participants": "代理人 王律师 13900001111\n证人 刘某",
        **overrides,
    }


def scheduled(judge: User, court_case: CourtCase) -> Hearing:
    return hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.ONLINE,
        hearing_at=beijing(12, 8, 9, 30),
        hearing_link=LINK,
    )


def test_the_judge_schedules_from_the_case_page(judge: User, court_case: CourtCase) -> None:
    client = signed_in(judge)
    page = client.get(reverse("courtcases:detail", args=[court_case.pk])).content.decode()
    assert "庭审安排" in page and "尚未安排庭审" in page and "安排并短信通知参加人" in page

    response = client.post(
        reverse("courtcases:hearing_schedule", args=[court_case.pk]),
        {**schedule_data(), "party_ids": [p.pk for p in court_case.parties.all()]},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(f"/cases/{court_case.pk}/#hearings")
    page = response.content.decode()
    assert "已安排2026年12月14日09:30开庭，已通知参加人" in page
    hearing = Hearing.objects.get()
    assert (hearing.kind, hearing.courtroom) == (HearingKind.IN_PERSON, "第一审判庭")
    names = list(hearing.participants.values_list("name", flat=True))
    assert names == ["张三501", "李四501", "王律师", "刘某"]
    assert Notification.objects.filter(subject_type="courtcases.hearing").count() == 3
    assert "138****0001" in page and "13812340001" not in page  # masked only
    assert "记录" in page and "安排庭审" in page  # the case timeline names the event


def test_a_weekend_time_is_scheduled_with_a_warning(judge: User, court_case: CourtCase) -> None:
    response = signed_in(judge).post(
        reverse("courtcases:hearing_schedule", args=[court_case.pk]),
        schedule_data(hearing_at="2026-12-12T09:30"),
        follow=True,
    )
    assert "请注意：12月12日不是工作日" in response.content.decode()
    assert Hearing.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hearing_kind": HearingKind.ONLINE, "hearing_link": "http://x.example.cn/r"}, "https://"),
        ({"courtroom": ""}, "现场开庭请填写法庭名称"),
        ({"hearing_at": "2026-12-01T09:30"}, "开庭时间应晚于当前时间"),
        ({"hearing_at": "明天上午"}, "请输入有效的日期和时间"),
        ({"other_participants": "律所 王律师"}, "身份应为代理人、证人或其他"),
        ({"other_participants": "代理人 王律师 12345"}, "手机号码无效"),
    ],
)
def test_a_refused_schedule_says_why_and_writes_nothing(
    judge: User, court_case: CourtCase, overrides: dict[str, str], message: str
) -> None:
    response = signed_in(judge).post(
        reverse("courtcases:hearing_schedule", args=[court_case.pk]), schedule_data(**overrides)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Hearing.objects.exists() and not Notification.objects.exists()


def test_postpone_cancel_hold_and_attendance_from_the_page(
    judge: User, court_case: CourtCase
) -> None:
    client = signed_in(judge)
    first = scheduled(judge, court_case)
    refused = client.post(reverse("courtcases:hearing_postpone", args=[first.pk]), {"reason": ""})
    assert refused.status_code == 422 and "请填写延期理由" in refused.content.decode()

    response = client.post(
        reverse("courtcases:hearing_postpone", args=[first.pk]),
        {"reason": "被告申请延期", "new_hearing_at": "2026-12-09T09:30"},
        follow=True,
    )
    assert "庭审已延期至2026年12月9日09:30，已通知参加人" in response.content.decode()
    second = Hearing.objects.get(postponed_from=first)

    with time_machine.travel(beijing(12, 9, 9, 40), tick=False):
        client = signed_in(judge)  # a new session: the first one has expired
        response = client.post(reverse("courtcases:hearing_hold", args=[second.pk]), follow=True)
        assert "已确认开庭，请记录到庭情况" in response.content.decode()
        participants = list(second.participants.order_by("id"))
        data = {f"attendance_{p.pk}": "present" for p in participants}
        data[f"attendance_{participants[1].pk}"] = "absent"
        response = client.post(
            reverse("courtcases:hearing_attendance", args=[second.pk]), data, follow=True
        )
        assert "已记录到庭情况" in response.content.decode()
    attendance = dict(
        HearingParticipant.objects.filter(hearing=second).values_list("name", "attendance")
    )
    assert attendance == {"张三501": "present", "李四501": "absent"}

    client = signed_in(judge)
    third = hearing_schedule(
        actor=judge,
        court_case=court_case,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=beijing(12, 21, 9),
        courtroom="第二审判庭",
    )
    client.post(reverse("courtcases:hearing_cancel", args=[third.pk]), {"reason": "原告撤诉"})
    third.refresh_from_db()
    assert third.status == HearingStatus.CANCELLED


def test_holding_before_the_time_is_refused_with_a_message(
    judge: User, court_case: CourtCase
) -> None:
    hearing = scheduled(judge, court_case)
    response = signed_in(judge).post(
        reverse("courtcases:hearing_hold", args=[hearing.pk]), follow=True
    )
    assert "开庭后才能确认" in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


def test_the_city_office_sees_the_hearings_of_a_case_it_sees_but_changes_nothing(
    judge: User, city_officer: User, court_case: CourtCase
) -> None:
    """The city office sees the Bayan Obo court's cases (the court case's scope rule): it sees
    their hearings, masked, without a form; every write is refused (403) and writes nothing."""
    hearing = scheduled(judge, court_case)
    client = signed_in(city_officer)
    page = client.get(reverse("courtcases:detail", args=[court_case.pk])).content.decode()
    assert "2026年12月8日 09:30" in page and "138****0001" in page
    assert "安排并短信通知参加人" not in page and "延期开庭" not in page
    posts = [
        (reverse("courtcases:hearing_schedule", args=[court_case.pk]), schedule_data()),
        (reverse("courtcases:hearing_postpone", args=[hearing.pk]), {"reason": "延期"}),
        (reverse("courtcases:hearing_cancel", args=[hearing.pk]), {"reason": "取消"}),
        (reverse("courtcases:hearing_hold", args=[hearing.pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "只有本案承办法官" in response.content.decode()
    assert client.get(reverse("courtcases:hearings")).status_code == 403
    assert Hearing.objects.count() == 1
    assert not Event.objects.filter(verb__in=["hearing_postponed", "hearing_cancelled"]).exists()


def test_outside_the_scope_every_hearing_address_is_not_found(
    judge: User, county_officer: User, court_case: CourtCase
) -> None:
    hearing = scheduled(judge, court_case)
    criminal_judge = make_user("judge_xs", "judge", "BT-BYEB-XS", "孟刚")
    for outsider in (county_officer, criminal_judge):
        client = signed_in(outsider)
        assert client.get(reverse("courtcases:detail", args=[court_case.pk])).status_code == 404
        urls = [
            reverse("courtcases:hearing_schedule", args=[court_case.pk]),
            reverse("courtcases:hearing_postpone", args=[hearing.pk]),
            reverse("courtcases:hearing_cancel", args=[hearing.pk]),
            reverse("courtcases:hearing_hold", args=[hearing.pk]),
            reverse("courtcases:hearing_attendance", args=[hearing.pk]),
        ]
        for url in urls:
            assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert Hearing.objects.get().status == HearingStatus.SCHEDULED


def test_upcoming_hearings_page_is_scoped(
    judge: User,
    other_judge: User,
    division_head: User,
    receptionist: User,
    django_assert_max_num_queries: Any,
) -> None:
    mine = civil_case(receptionist=receptionist, judge=judge, sequence=601)
    theirs = civil_case(receptionist=receptionist, judge=other_judge, sequence=602)
    scheduled(judge, mine)
    hearing_schedule(
        actor=other_judge,
        court_case=theirs,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=beijing(12, 10, 9),
        courtroom="第三审判庭",
    )
    far = hearing_schedule(
        actor=judge,
        court_case=mine,
        hearing_kind=HearingKind.IN_PERSON,
        hearing_at=beijing(3, 1, 9, year=2027),
        courtroom="第一审判庭",
    )
    url = reverse("courtcases:hearings")
    page = signed_in(judge).get(url).content.decode()
    assert mine.case_number in page and theirs.case_number not in page
    assert "2027-03-01" not in page  # beyond 30 days
    assert "2027-03-01" in signed_in(judge).get(url, {"days": "366"}).content.decode()
    client = signed_in(division_head)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert mine.case_number in page and theirs.case_number in page
    # A past hearing nobody marked held stays on the list, flagged.
    with time_machine.travel(beijing(12, 8, 11), tick=False):
        page = signed_in(judge).get(url).content.decode()
    assert "待确认开庭" in page
    with time_machine.travel(beijing(3, 1, 9, 30, year=2027), tick=False):
        hearing_hold(actor=judge, hearing=far)
    assert signed_in(receptionist).get(url).status_code == 200
