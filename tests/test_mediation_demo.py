"""The mediation demo (youjie/demo/services.py ``seed_mediation``): on the three filings in review
whose parties consented, a mediation under way with a session tomorrow, one agreed with its
judicial confirmation applied for, one failed with its filing back in review; loading it again
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from youjie.demo.services import (
    SeedReport,
    seed_filings,
    seed_mediation,
    seed_organisations,
    seed_users_and_lines,
)
from youjie.filings.choices import FilingStatus
from youjie.mediation import selectors
from youjie.mediation.models import JudicialConfirmation, Mediation, MediationSession
from youjie.mediation.tests.support import NOW, TODAY, local_day
from youjie.orgs.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the demo filings' complaints
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_demo_has_each_stage_and_loads_twice_without_change():
    report = SeedReport()
    for step in (seed_organisations, seed_users_and_lines, seed_filings):
        step(report=report)
    seed_mediation(report=report)
    assert report.created["mediations"] == 3
    by_submitter = {m.filing.submitter_name: m for m in Mediation.objects.select_related("filing")}
    assert by_submitter["乔文斌"].status == "accepted"
    session = MediationSession.objects.get(mediation=by_submitter["乔文斌"])
    assert local_day(session.scheduled_at) == TODAY + timedelta(days=1)
    assert by_submitter["白玉兰"].status == "agreed"
    assert JudicialConfirmation.objects.get().mediation == by_submitter["白玉兰"]
    failed = by_submitter["郝建军"]
    assert failed.status == "failed" and failed.filing.status == FilingStatus.REVIEW
    again = SeedReport()
    seed_mediation(report=again)
    assert again.created == {}
    mediator = User.objects.get(username="mediator")
    assert selectors.mediation_list(user=mediator).count() == 3
    reception = User.objects.get(username="reception")
    assert selectors.mediation_list(user=reception).count() == 3
