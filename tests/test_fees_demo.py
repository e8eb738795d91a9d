"""The fees demo (youjie/demo/services.py ``seed_fees``): on the 白云鄂博 court's demo cases,
a notice in each state the staff list filters by; loading it again changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from youjie.demo.services import (
    SeedReport,
    seed_court_cases,
    seed_fees,
    seed_organisations,
    seed_people,
    seed_users_and_lines,
)
from youjie.fees import selectors
from youjie.fees.choices import NoticeFilter, NoticeStatus
from youjie.fees.models import FeeNotice, Refund, ReliefApplication
from youjie.fees.tests.conftest import NOW
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_each_state_once_and_loads_twice_without_change(
    settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    with time_machine.travel(NOW, tick=False):
        report = SeedReport()
        for step in (seed_organisations, seed_users_and_lines, seed_people, seed_court_cases):
            step(report=report)
        seed_fees(report=report)
        assert report.created["fee_notices"] == 5
        again = SeedReport()
        seed_fees(report=again)
        assert again.created == {}
    statuses = sorted(FeeNotice.objects.values_list("status", flat=True))
    assert statuses == sorted(
        [NoticeStatus.PAID, NoticeStatus.PAID, NoticeStatus.ISSUED, NoticeStatus.ISSUED,
         NoticeStatus.OVERDUE]
    )  # fmt: skip
    assert Refund.objects.get().status == "succeeded"
    assert ReliefApplication.objects.get().status == "pending"
    reception = User.objects.get(username="reception")
    for state in NoticeFilter.values:
        assert selectors.notice_list(user=reception, state=state).exists(), state
