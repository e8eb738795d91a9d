"""The demo's work records, coordination requests and aid (seed_petition_records): the demo
liaison sees an answered and an overdue request, aid is in every status, 每案必见 shows met and
unmet petitioners, and loading twice changes nothing. (Here rather than in the petitions app's
tests: no app imports the demo app, tests included.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from youjie.demo.services import SeedReport, seed_all, seed_petition_records
from youjie.orgs.models import User
from youjie.petitions import selectors
from youjie.petitions.models import Aid, CoordinationRequest, WorkRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen() -> Iterator[None]:
    """A Monday in the bundled 2026 calendar, 09:00 in Beijing."""
    with time_machine.travel(
        datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


def test_the_demo_records_and_a_second_load_changes_nothing():
    seed_all(report=SeedReport())
    liaison = User.objects.get(username="liaison")
    requests = list(selectors.coordination_list(user=liaison))
    today = selectors.today_beijing()
    assert sorted((item.status, item.is_overdue(today)) for item in requests) == [
        ("replied", False),
        ("sent", True),
    ]
    assert sorted(Aid.objects.values_list("status", flat=True)) == [
        "applied",
        "approved",
        "paid",
        "refused",
    ]
    judicial = Aid.objects.get(kind="judicial")
    assert judicial.cap_amount is not None and judicial.decision_due_on is not None
    lead = User.objects.get(username="lead")
    unmet = {link.matter.title for link in selectors.petitioners_not_met(user=lead)}
    assert "执行款一年多未到账反复来访" not in unmet
    assert "牧区草场纠纷调解后反悔" in unmet
    counts = (WorkRecord.objects.count(), CoordinationRequest.objects.count(), Aid.objects.count())
    report = SeedReport()
    seed_petition_records(report=report)
    seed_all(report=report)
    assert report.created.get("petition_aids") is None
    assert counts == (
        WorkRecord.objects.count(),
        CoordinationRequest.objects.count(),
        Aid.objects.count(),
    )
