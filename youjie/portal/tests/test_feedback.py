"""Rating the answer by the link in the reply SMS (no login: the token is the credential)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from youjie.core.models import Event
from youjie.desk.choices import RequestStatus
from youjie.desk.models import Feedback, ServiceRequest
from youjie.portal.tests.conftest import post_form, reply_to, submit_request

pytestmark = pytest.mark.usefixtures("matter_types")


@pytest.fixture
def replied(client, judge) -> ServiceRequest:
    service_request = submit_request(client)
    reply_to(service_request, judge)
    return service_request


def token_of(service_request: ServiceRequest) -> str:
    return Feedback.objects.get(service_request=service_request).token


def verbs(service_request: ServiceRequest) -> list[str]:
    return list(
        Event.objects.filter(subject_type="desk.servicerequest", subject_id=str(service_request.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )


def test_feedback_page_offers_five_labelled_ratings(client, replied):
    response = client.get(reverse("portal:feedback", args=[token_of(replied)]))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in html
    assert html.count('type="radio"') == 5
    assert "对答复有异议，希望继续办理" in html and replied.number in html


def test_the_feedback_page_shows_the_answer_to_rate(client, judge):
    """The reply SMS carries a link, not the whole answer: the page it opens shows it."""
    service_request = submit_request(client)
    answer = "开庭时间定于12月8日上午9时。\n请携带身份证原件，提前15分钟到第一法庭。"
    reply_to(service_request, judge, body=answer)
    html = client.get(reverse("portal:feedback", args=[token_of(service_request)])).content.decode()
    assert "开庭时间定于12月8日上午9时。<br>请携带身份证原件，提前15分钟到第一法庭。" in html
    assert "李敏" not in html  # the answer is the court's; the judge's name is not shown


def test_rating_closes_the_request_and_a_second_rating_is_refused(client, replied):
    token = token_of(replied)
    response = post_form(
        client, "portal:feedback", {"satisfaction": "5", "comment": "很及时"}, token
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:feedback_thanks", args=[token])
    replied.refresh_from_db()
    assert replied.status == RequestStatus.CLOSED
    assert "closed_by_feedback" in verbs(replied)
    feedback = Feedback.objects.get(service_request=replied)
    assert feedback.satisfaction == 5 and feedback.comment == "很及时" and not feedback.disputed
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and "感谢您的评价" in thanks.content.decode()

    again = post_form(client, "portal:feedback", {"satisfaction": "1"}, token)
    assert again.status_code == 410 and "已经评价过了" in again.content.decode()
    assert client.get(reverse("portal:feedback", args=[token])).status_code == 410
    feedback.refresh_from_db()
    assert feedback.satisfaction == 5


def test_disputed_rating_reopens_the_request(client, replied):
    token = token_of(replied)
    response = post_form(
        client,
        "portal:feedback",
        {"satisfaction": "2", "comment": "开庭时间与通知不符", "disputed": "on"},
        token,
    )
    assert response.status_code == 302
    replied.refresh_from_db()
    assert replied.status == RequestStatus.IN_PROGRESS and replied.reopened_count == 1
    assert verbs(replied)[-1] == "disputed"
    assert "异议已转回承办人" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("satisfaction", ["", "0", "6", "五", "3.5"])
def test_invalid_rating_writes_nothing(client, replied, satisfaction):
    response = post_form(
        client, "portal:feedback", {"satisfaction": satisfaction}, token_of(replied)
    )
    assert response.status_code == 422 and "请选择满意度" in response.content.decode()
    assert Feedback.objects.get(service_request=replied).submitted_at is None


def test_overlong_comment_writes_nothing(client, replied):
    response = post_form(
        client, "portal:feedback", {"satisfaction": "4", "comment": "意" * 1001}, token_of(replied)
    )
    assert response.status_code == 422
    assert Feedback.objects.get(service_request=replied).submitted_at is None


def test_unknown_token_is_a_friendly_404(client, replied):
    for token in ("no-such-token", "x" * 65):
        response = client.get(reverse("portal:feedback", args=[token]))
        assert response.status_code == 404
        assert "评价链接无效或已过期" in response.content.decode()
    response = post_form(client, "portal:feedback", {"satisfaction": "5"}, "no-such-token")
    assert response.status_code == 404
    assert client.get(reverse("portal:feedback_thanks", args=["no-such-token"])).status_code == 404


def test_link_of_a_request_no_longer_awaiting_rating_is_gone(client, replied, judge):
    token = token_of(replied)
    post_form(client, "portal:feedback", {"satisfaction": "2", "disputed": "on"}, token)
    # Reopened: the old link no longer rates anything.
    response = client.get(reverse("portal:feedback", args=[token]))
    assert response.status_code == 410


def test_thanks_before_rating_goes_to_the_form(client, replied):
    token = token_of(replied)
    response = client.get(reverse("portal:feedback_thanks", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:feedback", args=[token]
    )
