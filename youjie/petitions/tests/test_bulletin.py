"""每日一通报: the counts by region and by unit on a known data set, kept as issued (later
changes rewrite nothing), one a day, refused for a future date, delivered through the outbox,
issued by the periodic task at the set time on working days, in a constant number of queries."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from youjie.core.errors import PermissionDenied, ValidationFailed
from youjie.core.timeline import timeline_for
from youjie.documents.models import IssuedDocument
from youjie.notifications.models import Notification
from youjie.orgs.models import User
from youjie.petitions import selectors, services, tasks
from youjie.petitions.checks import petitions_supervision_settings_check
from youjie.petitions.models import DailyBulletin, PetitionMatter
from youjie.petitions.services import EvidenceInput

from .conftest import SHANGHAI, assign, make_matter, unit

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 23)  # a Monday


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _bulletin_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_PETITIONS_BULLETIN_TIME = "18:00"
    settings.YOUJIE_PETITIONS_BULLETIN_RECIPIENTS = ["bulletin@example.cn"]


def resolve(actor: User, matter: PetitionMatter, on: date) -> PetitionMatter:
    return services.matter_resolve(
        actor=actor,
        matter=matter,
        outcome_type="solved",
        summary="双方达成和解，履行完毕",
        resolved_on=on,
        evidence=[EvidenceInput("agreement", "和解协议书", on)],
    )


@pytest.fixture
def known_data(city_officer: User, lead_official: User) -> dict[str, PetitionMatter]:
    """石拐区: one overdue (no written notice 15 days after receipt), one resolved, one
    registered today; 白云鄂博矿区: one in progress, one terminated by law (not counted)."""
    matters: dict[str, PetitionMatter] = {}
    with time_machine.travel(at(11, 2), tick=False):
        matters["overdue"] = assign(
            city_officer,
            make_matter(city_officer, region_code="150205", received_on=date(2026, 11, 2)),
            lead=lead_official,
        )
    with time_machine.travel(at(11, 20), tick=False):
        for key, region_code in (("resolved", "150205"), ("byeb", "150206"), ("ended", "150206")):
            matters[key] = assign(
                city_officer,
                make_matter(city_officer, region_code=region_code, received_on=date(2026, 11, 20)),
                lead=lead_official,
            )
        resolve(lead_official, matters["resolved"], date(2026, 11, 20))
        services.matter_terminate(
            actor=city_officer,
            matter=matters["ended"],
            terminated_on=date(2026, 11, 20),
            authority="内蒙古自治区党委政法委",
            basis="已穷尽法律程序",
            handed_over_to="白云鄂博矿区委、区政府",
            handed_over_on=date(2026, 11, 20),
        )
    with time_machine.travel(at(11, 23, 10), tick=False):
        matters["today"] = make_matter(
            city_officer, region_code="150205", received_on=date(2026, 11, 23)
        )
    return matters


def test_the_bulletin_counts_by_region_and_unit_and_ranks_them(
    city_officer, county_officer, known_data
):
    with time_machine.travel(at(11, 23, 18), tick=False):
        bulletin = services.bulletin_issue(actor=city_officer)
    figures = bulletin.figures
    assert (bulletin.day, bulletin.number) == (DAY, "包政法通〔2026〕1号")
    assert figures["totals"] == {
        "total": 4,
        "resolved": 1,
        "settled": 0,
        "in_progress": 3,
        "overdue": 1,
        "progress_today": 1,
        "rate": "25.0",
    }
    regions = {row["name"]: row for row in figures["regions"]}
    assert set(regions) == {"石拐区", "白云鄂博矿区"}
    shiguai, byeb = regions["石拐区"], regions["白云鄂博矿区"]
    assert (shiguai["total"], shiguai["resolved"], shiguai["in_progress"]) == (3, 1, 2)
    assert (shiguai["progress_today"], shiguai["overdue"], shiguai["rate"]) == (1, 1, "33.3")
    assert (byeb["total"], byeb["resolved"], byeb["in_progress"], byeb["overdue"]) == (1, 0, 1, 0)
    assert (shiguai["rank"], byeb["rank"]) == (1, 2)
    units = {row["name"]: row["total"] for row in figures["units"]}
    assert units == {"白云鄂博矿区人民法院": 3, "未明确责任单位": 1}
    assert figures["as_of"] == "2026-11-23T18:00:00+08:00"

    assert bulletin.document is not None
    docx = Document(io.BytesIO(bulletin.document.file.open("rb").read()))
    texts = [paragraph.text.strip() for paragraph in docx.paragraphs]
    assert "中共包头市委政法委员会文件" in texts
    assert "包政法通〔2026〕1号" in texts
    assert "2026年11月23日" in texts
    assert any("纳入统计的涉法涉诉信访事项4件，已化解1件" in text for text in texts)
    region_table = [[cell.text for cell in row.cells] for row in docx.tables[0].rows]
    assert region_table[0] == [
        "排名",
        "地区",
        "总数",
        "已化解",
        "办理中",
        "当日进展",
        "超期",
        "化解率",
    ]
    assert region_table[1] == ["1", "石拐区", "3", "1", "2", "1", "1", "33.3%"]
    # Every office officer and the configured address get it through the outbox, once.
    recipients = Notification.objects.filter(
        subject_type="petitions.dailybulletin", subject_id=str(bulletin.pk)
    )
    assert recipients.count() == 3  # the city officer, the 石拐区 officer, bulletin@example.cn
    assert all("包政法通〔2026〕1号" in note.subject for note in recipients)
    assert [event.verb for event in timeline_for(bulletin)] == ["document_issued", "issued"]
    # Every office officer reads it (it is addressed to all counties).
    assert list(selectors.bulletin_list(user=county_officer)) == [bulletin]


def test_the_bulletin_is_kept_as_issued_whatever_changes_later(
    city_officer, lead_official, known_data
):
    with time_machine.travel(at(11, 23, 18), tick=False):
        bulletin = services.bulletin_issue()
    document = bulletin.document
    assert document is not None
    snapshot = dict(bulletin.figures)
    # The next day: the overdue matter is resolved, a new matter arrives, the day is re-issued.
    with time_machine.travel(at(11, 24, 10), tick=False):
        resolve(lead_official, known_data["overdue"], date(2026, 11, 24))
        make_matter(city_officer, region_code="150206", received_on=date(2026, 11, 24))
        again = services.bulletin_issue(actor=city_officer, day=DAY)
    assert again.pk == bulletin.pk and again.number == bulletin.number
    again.refresh_from_db()
    assert again.figures == snapshot and again.document_id == document.pk
    assert IssuedDocument.objects.filter(kind="bulletin").count() == 1
    assert DailyBulletin.objects.count() == 1
    with time_machine.travel(at(11, 24, 18), tick=False):
        next_day = services.bulletin_issue()
    assert next_day.number == "包政法通〔2026〕2号"
    assert next_day.figures["totals"]["resolved"] == 2 and next_day.figures["totals"]["total"] == 5
    bulletin.refresh_from_db()
    assert bulletin.figures["totals"]["resolved"] == 1


def test_a_bulletin_for_a_future_date_is_refused_and_nothing_is_written(
    city_officer, county_officer
):
    with time_machine.travel(at(11, 23, 18), tick=False):
        with pytest.raises(ValidationFailed) as future:
            services.bulletin_issue(actor=city_officer, day=date(2026, 11, 24))
        with pytest.raises(PermissionDenied):
            services.bulletin_issue(actor=county_officer)
    assert future.value.code == "bulletin_future"
    assert future.value.message == "不能生成未来日期（2026年11月24日）的通报"
    assert not DailyBulletin.objects.exists() and not IssuedDocument.objects.exists()
    assert not Notification.objects.exists()


def test_the_periodic_task_issues_it_at_the_set_time_on_working_days_only(city_officer):
    with time_machine.travel(at(11, 23, 17, 55), tick=False):
        assert tasks.petitions_daily_bulletin.call_local() == ""
    saturday = datetime(2026, 11, 28, 18, 30, tzinfo=SHANGHAI)
    with time_machine.travel(saturday, tick=False):
        assert tasks.petitions_daily_bulletin.call_local() == ""
    with time_machine.travel(at(11, 23, 18, 5), tick=False):
        assert tasks.petitions_daily_bulletin.call_local() == "包政法通〔2026〕1号"
        assert tasks.petitions_daily_bulletin.call_local() is None  # the same tick, claimed
    with time_machine.travel(at(11, 23, 18, 10), tick=False):
        assert tasks.petitions_daily_bulletin.call_local() == ""  # issued already
    bulletin = DailyBulletin.objects.get()
    assert bulletin.generated_by is None and bulletin.document is not None
    assert bulletin.document.issued_by == city_officer  # the office's first officer signs
    assert [event.actor_label for event in timeline_for(bulletin)][-1] == "系统"


def test_the_figures_take_the_same_few_queries_whatever_the_number_of_matters(
    city_officer, lead_official
):
    office = unit("BT-ZXB")
    now = at(11, 23, 18)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.bulletin_figures(office=office, day=DAY, now=now)
        return len(captured.captured_queries)

    with time_machine.travel(at(11, 20), tick=False):
        make_matter(city_officer, region_code="150205", received_on=date(2026, 11, 20))
        few = queries()
        for region_code in ("150205", "150206", "150203", "150204") * 3:
            assign(
                city_officer,
                make_matter(city_officer, region_code=region_code, received_on=date(2026, 11, 20)),
                lead=lead_official,
            )
    assert queries() == few <= 5


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("YOUJIE_PETITIONS_BULLETIN_TIME", "25:00", "HH:MM"),
        ("YOUJIE_PETITIONS_BULLETIN_PREFIX", "包政法〔通〕", "发文机关代字"),
        ("YOUJIE_PETITIONS_REVIEW_START", "2026-02-30", "YYYY-MM-DD"),
        ("YOUJIE_PETITIONS_BULLETIN_RECIPIENTS", ["not-an-address"], "电子邮件地址"),
        ("YOUJIE_PETITIONS_LETTER_PREFIXES", {"BT-ZXB": "第3号"}, "发文机关代字"),
    ],
)
def test_a_malformed_setting_fails_the_system_check(settings, name, value, says):
    assert petitions_supervision_settings_check() == []
    setattr(settings, name, value)
    (error,) = petitions_supervision_settings_check()
    assert error.id == "petitions.E001" and says in error.msg
