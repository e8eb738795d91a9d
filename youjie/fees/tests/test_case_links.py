"""The court case page's "开具缴费通知书" (youjie/fees/links.py, through youjie.core.links): for
the staff who may issue notices, with how many the case has; nobody else sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.courtcases.models import CourtCase
from youjie.fees.tests.conftest import issue
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


def case_page(user: User, court_case: CourtCase) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("courtcases:detail", args=[court_case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_link_on_the_case_page(
    receptionist: User, judge: User, division_head: User, court_case: CourtCase, frozen: Any
) -> None:
    issue_url = reverse("fees:notice_issue", args=[court_case.pk])
    page = case_page(receptionist, court_case)
    assert f'href="{issue_url}">开具缴费通知书</a>' in page
    assert "按《诉讼费用交纳办法》计算，7日内缴纳" in page
    assert "开具缴费通知书" in case_page(judge, court_case)  # the case's judge issues too
    # A division head sees the case but does not issue notices (fees.permissions).
    assert issue_url not in case_page(division_head, court_case)

    issue(receptionist, court_case)
    assert "本案已开具缴费通知书1份" in case_page(receptionist, court_case)
    client = Client()
    client.force_login(receptionist)
    assert client.get(issue_url).status_code == 200  # the link leads to the issuing page
