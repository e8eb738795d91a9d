"""A 案件查询 by WeChat (issue 14, item 2): the automatic answer tells nothing of the case — not
its judge, division or stage, not even whether the number is a case of the court — and the
request reaches the desk "身份未核验", where it waits for the same party check as the portal's
网上查询 (youjie/desk/casequery.py) before anyone answers it with the case's details."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.models import Event
from youjie.courtcases.models import CourtCase
from youjie.desk import services as desk_services
from youjie.desk.models import ServiceRequest
from youjie.orgs.models import User

from .test_wechat import message_xml, plain_post, read_reply

pytestmark = pytest.mark.django_db

STRANGER_TEXT = "（2026）内0206民初123号的法官是谁？开庭了吗？我的电话13900001111"
UNKNOWN_TEXT = "（2026）内0206民初999号的法官是谁？开庭了吗？我的电话13900001111"


def test_the_automatic_answer_tells_nothing_and_the_desk_waits_for_the_check(
    wechat_plain: Any, judge: User, civil_case: CourtCase, matter_types: None
) -> None:
    known = read_reply(plain_post(message_xml(text=STRANGER_TEXT, msg_id=71)))["Content"]
    unknown = read_reply(plain_post(message_xml(text=UNKNOWN_TEXT, msg_id=72)))["Content"]
    request, other = ServiceRequest.objects.order_by("id")
    # The same words for a case of the court and for no case; nothing of the case in them.
    assert known == f"您的诉求已登记，编号{request.number}，可凭编号和手机号查询进度。"
    assert unknown == known.replace(request.number, other.number)
    for detail in ("李敏", "民事审判庭", civil_case.get_stage_display()):
        assert detail not in known

    # On the desk: the judge it was routed to accepts it; the case's details wait for the check.
    assert request.matter_type.code == "case_query" and request.related_case == civil_case
    desk_services.service_request_accept(actor=judge, service_request=request)
    client = Client()
    client.force_login(judge)
    page = client.get(reverse("desk:detail", args=[request.pk])).content.decode()
    assert "身份未核验" in page and 'id="case-query-check"' in page
    assert 'id="case-query-answer"' not in page
    # The sender's phone is no party's: the check refuses it, and says so on the timeline.
    refused = client.post(
        reverse("desk:case_query_check", args=[request.pk]),
        {"identity": "party", "mobile": "", "lawyer_licence": ""},
    )
    assert refused.status_code == 422 and 'id="case-query-answer"' not in refused.content.decode()
    assert Event.objects.filter(subject_id=str(request.pk), verb="case_query_check_failed").exists()
