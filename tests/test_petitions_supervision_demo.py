"""The demo's petitions supervision (youjie.demo.services.seed_petition_supervision): three
letters with 包政法专督〔2026〕3号 among them (one answered, one past its deadline), a dispatch
meeting with its tasks, the latest 三日一研究 agenda and the bulletins of the last three working
days; a second load changes nothing. (Here, not in youjie/petitions/tests: no app imports the
demo, the apps contract of pyproject.toml.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine

from youjie.demo.services import SeedReport, seed_all, seed_petition_supervision
from youjie.orgs.models import User
from youjie.petitions import selectors
from youjie.petitions.choices import MeetingKind
from youjie.petitions.models import DailyBulletin, MeetingTask, ReviewMeeting, SupervisionLetter
from youjie.petitions.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_the_demo_supervision_and_a_second_load_changes_nothing():
    seed_all(report=SeedReport())
    letters = {letter.number: letter for letter in SupervisionLetter.objects.all()}
    assert set(letters) == {f"包政法专督〔2026〕{n}号" for n in (1, 2, 3)}
    assert letters["包政法专督〔2026〕1号"].status == "replied"
    overdue = SupervisionLetter.objects.overdue(today=TODAY)
    assert [letter.number for letter in overdue] == ["包政法专督〔2026〕2号"]
    assert all(letter.document_id for letter in letters.values())
    county = User.objects.get(username="county_officer")
    assert {letter.number for letter in selectors.letter_list(user=county)} == {
        "包政法专督〔2026〕1号",
        "包政法专督〔2026〕3号",
    }
    # The demo lead official sees the letter about their matters.
    lead = User.objects.get(username="lead")
    assert [letter.number for letter in selectors.letter_list(user=lead)] == [
        "包政法专督〔2026〕2号"
    ]
    dispatch = ReviewMeeting.objects.get(kind=MeetingKind.DISPATCH)
    assert dispatch.status == "held" and dispatch.matter_minutes.count() == 3
    tasks = sorted(
        (task.status, task.due_on < TODAY) for task in MeetingTask.objects.filter(meeting=dispatch)
    )
    assert tasks == [("done", True), ("open", False), ("open", True)]
    review = ReviewMeeting.objects.get(kind=MeetingKind.THREE_DAY)
    assert review.held_on <= TODAY and len(review.agenda["sections"]) == 6
    days = list(DailyBulletin.objects.order_by("day").values_list("day", "number"))
    assert days == [
        (date(2026, 11, 18), "包政法通〔2026〕1号"),
        (date(2026, 11, 19), "包政法通〔2026〕2号"),
        (date(2026, 11, 20), "包政法通〔2026〕3号"),
    ]
    counts = (
        SupervisionLetter.objects.count(),
        ReviewMeeting.objects.count(),
        MeetingTask.objects.count(),
        DailyBulletin.objects.count(),
    )
    report = SeedReport()
    seed_petition_supervision(report=report)
    seed_all(report=report)
    assert report.created.get("supervision_letters") is None
    assert counts == (
        SupervisionLetter.objects.count(),
        ReviewMeeting.objects.count(),
        MeetingTask.objects.count(),
        DailyBulletin.objects.count(),
    )
