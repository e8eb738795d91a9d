"""Flows 5 and 6 of DESIGN.md end to end (issue 13, "Done when", first point), through the API
(force-logged-in sessions, as test_api.py) on a frozen November 2026 clock: the city office opens
a 回头看 campaign over 26 matters in four counties, each assigned its lead official, responsible
unit and task force; two supervision letters are sent and answered; the 三日一研究 agenda of the
third working day lists the matters without progress; matters are resolved with the evidence
their outcome needs (one refused first, naming what is missing); the day's bulletin counts by
region what the data holds; after the follow-up period one matter is confirmed stable and one
reopened. Every step's events, statuses and outbox messages are asserted.

Two steps have no API endpoint and go through the pages (Django test client POSTs to the page's
form, the way a user does): starting the campaign and the 回头看 follow-up actions."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_user
from youjie.core.timeline import timeline_for
from youjie.notifications.models import Notification
from youjie.orgs.models import User
from youjie.petitions import services, tasks
from youjie.petitions.models import (
    Campaign,
    CampaignMatter,
    DailyBulletin,
    PetitionMatter,
    ReviewMeeting,
    SupervisionLetter,
)

from .conftest import SHANGHAI

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
API = "/api/v1/petitions"

# Four county offices (youjie.demo.orgdata.REGIONS): code -> how many of the 26 matters.
COUNTIES = {"150202": 6, "150203": 6, "150205": 7, "150206": 7}
OLD = date(2026, 10, 9)  # received long before: the 15-day written notice is overdue
NEW = date(2026, 11, 2)  # received on the campaign's first day: no clock runs out in the test


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=SHANGHAI)


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any], status: int = 200) -> Any:
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def verbs(subject: Any) -> list[str]:
    return [event.verb for event in timeline_for(subject)]


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False
    # 三日一研究 counted from the campaign's first day: 11-02, 11-05, 11-10, ...
    settings.YOUJIE_PETITIONS_REVIEW_START = "2026-11-02"
    settings.YOUJIE_PETITIONS_REVIEW_TIME = "08:30"
    settings.YOUJIE_PETITIONS_REVIEW_OFFICES = ["BT-ZXB"]
    settings.YOUJIE_PETITIONS_BULLETIN_TIME = "18:00"
    settings.YOUJIE_PETITIONS_BULLETIN_RECIPIENTS = ["bulletin@example.cn"]


def test_flows_5_and_6_a_look_back_campaign_from_opening_to_follow_up(
    city_officer: User,
    county_officer: User,
    byeb_county_officer: User,
    lead_official: User,
    case_handler: User,
) -> None:
    city = as_user(city_officer)
    leads = {code: make_user(f"lead_{code}", "lead_official", f"{code}-ZFW") for code in COUNTIES}
    leads["150206"] = lead_official
    handlers = {
        code: make_user(f"handler_{code}", "case_handler", f"{code}-ZFW") for code in COUNTIES
    }
    handlers["150206"] = case_handler
    officers = {
        "150202": make_user("officer_150202", "office_officer", "150202-ZXB"),
        "150203": make_user("officer_150203", "office_officer", "150203-ZXB"),
        "150205": county_officer,
        "150206": byeb_county_officer,
    }

    # --- 1. Monday 11-02: the campaign, 26 matters, their responsibility, admission ---------
    with time_machine.travel(at(11, 2), tick=False):
        body = post(
            city,
            f"{API}/campaigns",
            {
                "name": "2026年涉法涉诉信访积案回头看",
                "kind": "look_back",
                "starts_on": "2026-11-02",
                "ends_on": "2026-12-31",
                "goals": "26件积案全部化解、案结事了",
                "follow_up_days": 10,
            },
            status=201,
        )
        campaign = Campaign.objects.get(pk=body["id"])
        # No start endpoint in the API: the campaign page's 启动 form.
        started = city.post(
            reverse("petitions:campaign_action", args=[campaign.pk, "start"]),
            {"expected_status": "draft"},
        )
        assert started.status_code == 302, started.content.decode()
        campaign.refresh_from_db()
        assert campaign.status == "active"

        matters: dict[str, list[PetitionMatter]] = {code: [] for code in COUNTIES}
        for code, count in COUNTIES.items():
            for index in range(count):
                created = post(
                    city,
                    f"{API}/matters",
                    {
                        "title": f"{code}积案{index + 1}",
                        "region": code,
                        "category": "court_judgment",
                        "origin": "visit",
                        "core_demand": "要求重新审理并赔偿损失",
                        "received_on": (OLD if index % 2 == 0 else NEW).isoformat(),
                        "labels": ["bone"],
                        "new_petitioners": [{"name": f"信访人{code}{index + 1}"}],
                    },
                    status=201,
                )
                assert created["status"] == "registered"
                assigned = post(
                    city,
                    f"{API}/matters/{created['id']}/assign",
                    {
                        "expected_status": "registered",
                        "lead_official": leads[code].username,
                        "responsible_unit": f"{code}-ZFW",
                        "handler": handlers[code].username,
                        "task_force": [
                            {"username": handlers[code].username, "role": "head"},
                            {"name": "刘调解", "unit_code": f"{code}-ZFW", "duty": "调解"},
                        ],
                    },
                )
                assert assigned["status"] == "in_progress"
                assert len(assigned["task_force"]) == 2
                matters[code].append(PetitionMatter.objects.get(pk=created["id"]))
        everything = [matter for code in COUNTIES for matter in matters[code]]
        assert len(everything) == 26
        added = post(
            city,
            f"{API}/campaigns/{campaign.pk}/matters",
            {"matter_ids": [matter.pk for matter in everything]},
        )
        assert added["added"] == 26

    assert verbs(campaign) == ["created", "started", "matters_added"]
    for matter in everything:
        assert verbs(matter) == ["registered", "assigned", "handling_started", "added_to_campaign"]
        matter.refresh_from_db()
        assert matter.status == "in_progress"
        assert matter.lead_official_id is not None and matter.responsible_unit_id is not None
        assert matter.task_force_members.count() == 2
        # The assignment tells the lead official and the handler through the outbox.
        sent_to = set(
            Notification.objects.filter(
                subject_type="petitions.petitionmatter", subject_id=str(matter.pk)
            ).values_list("subject", flat=True)
        )
        assert sent_to == {f"包案通知：{matter.number}", f"承办通知：{matter.number}"}
    assert CampaignMatter.objects.filter(campaign=campaign).count() == 26

    # --- 2. Wednesday 11-04: two supervision letters; Thursday 11-05: the first answered ----
    with time_machine.travel(at(11, 4), tick=False):
        letters = []
        for code, due in (("150205", "2026-11-12"), ("150206", "2026-11-09")):
            body = post(
                city,
                f"{API}/letters",
                {
                    "recipient_unit": f"{code}-ZXB",
                    "matter_ids": [matter.pk for matter in matters[code]],
                    "requirements": "请逐案核查，落实包案责任，限期书面报告化解进展。",
                    "due_on": due,
                    "send": True,
                },
                status=201,
            )
            assert body["status"] == "sent"
            letters.append(SupervisionLetter.objects.get(pk=body["id"]))
    first, second = letters
    assert [letter.number for letter in letters] == [
        "包政法专督〔2026〕1号",
        "包政法专督〔2026〕2号",
    ]

    with time_machine.travel(at(11, 5), tick=False):
        # The county officer sees only the letter sent to his office, and answers it.
        seen = as_user(county_officer).get(f"{API}/letters").json()["items"]
        assert [item["id"] for item in seen] == [first.pk]
        replied = post(
            as_user(county_officer),
            f"{API}/letters/{first.pk}/reply",
            {"reply_text": "已逐案核查，包案领导均已约见信访人。"},
        )
        assert replied["status"] == "replied"
        # 东河区: the first three matters get a verification visit (progress).
        for matter in matters["150202"][:3]:
            post(
                as_user(leads["150202"]),
                f"{API}/matters/{matter.pk}/work-records",
                {
                    "kind": "site_visit",
                    "held_on": "2026-11-05",
                    "findings": "实地走访，核实诉求",
                    "lead_official_present": True,
                },
                status=201,
            )

    # --- 3. Tuesday 11-10, the third working day after the last review: the agenda ----------
    assert not services.review_day_is_due(date(2026, 11, 9))
    assert services.review_day_is_due(date(2026, 11, 10))
    with time_machine.travel(at(11, 10), tick=False):
        assert tasks.petitions_review_agenda.call_local() == 1
    meeting = ReviewMeeting.objects.get(kind="three_day", held_on=date(2026, 11, 10))
    sections = {section["key"]: section for section in meeting.agenda["sections"]}
    progressed = {m.pk for m in matters["150205"]} | {m.pk for m in matters["150202"][:3]}
    stalled = {matter.pk for matter in everything if matter.pk not in progressed}
    assert len(stalled) == 16
    assert {item["id"] for item in sections["stalled"]["items"]} == stalled
    assert sections["stalled"]["count"] == 16
    assert [item["id"] for item in sections["overdue_letters"]["items"]] == [second.pk]
    assert verbs(meeting) == ["agenda_generated"]
    with time_machine.travel(at(11, 10, 10), tick=False):
        shown = city.get(f"{API}/meetings/{meeting.pk}")
        assert shown.status_code == 200, shown.content.decode()

    # --- 2 (cont.) Wednesday 11-11: the second letter answered late; 4. progress, outcomes -
    with time_machine.travel(at(11, 11), tick=False):
        assert (
            post(
                as_user(byeb_county_officer),
                f"{API}/letters/{second.pk}/reply",
                {"reply_text": "逾期原因已说明，正在逐案推进。"},
            )["status"]
            == "replied"
        )
        for code in COUNTIES:
            post(
                as_user(leads[code]),
                f"{API}/matters/{matters[code][-1].pk}/work-records",
                {
                    "kind": "appointment",
                    "held_on": "2026-11-11",
                    "findings": "包案领导约见信访人，释法明理",
                    "lead_official_present": True,
                    "attitude": "mostly_accepts",
                },
                status=201,
            )

        # One resolution without its evidence is refused, saying what is missing.
        refused_matter = matters["150202"][0]
        url = f"{API}/matters/{refused_matter.pk}/resolve"
        refused = as_user(leads["150202"]).post(
            url,
            json.dumps(
                {"outcome_type": "solved", "summary": "达成和解", "resolved_on": "2026-11-11"}
            ),
            content_type="application/json",
        )
        assert (refused.status_code, refused.json()["code"]) == (422, "evidence_missing")
        assert "调解/和解协议" in refused.json()["message"]
        refused_matter.refresh_from_db()
        assert refused_matter.status == "in_progress" and not refused_matter.evidence.exists()

        # Each outcome with the evidence its type needs; two matters per county resolved.
        outcomes = [
            ("solved", [("agreement", "和解协议书")]),
            ("educated", [("commitment", "息诉罢访承诺书")]),
            ("aided", [("aid_paid", "司法救助金发放凭证"), ("commitment", "息诉罢访承诺书")]),
            ("handled_by_law", [("handling_opinion", "处理意见书")]),
        ]
        resolved: list[PetitionMatter] = []
        for position, code in enumerate(COUNTIES):
            for matter in matters[code][:2]:
                outcome, evidence = outcomes[(position + len(resolved)) % len(outcomes)]
                body = post(
                    as_user(leads[code]),
                    f"{API}/matters/{matter.pk}/resolve",
                    {
                        "expected_status": "in_progress",
                        "outcome_type": outcome,
                        "summary": "按三到位一处理化解到位",
                        "resolved_on": "2026-11-11",
                        "evidence": [
                            {"kind": kind, "description": text, "dated_on": "2026-11-10"}
                            for kind, text in evidence
                        ],
                    },
                )
                assert body["status"] == "resolved"
                assert body["campaigns"][0]["follow_up_due_on"] == "2026-11-23"
                resolved.append(matter)

    # --- 5. Thursday 11-12 at 18:00: the day's bulletin, its counts equal the data -----------
    with time_machine.travel(at(11, 12, 18), tick=False):
        body = post(city, f"{API}/bulletins", {}, status=201)
    bulletin = DailyBulletin.objects.get(pk=body["id"])
    assert bulletin.day == date(2026, 11, 12)
    resolved_ids = {matter.pk for matter in resolved}
    regions = {row["key"]: row for row in bulletin.figures["regions"]}
    assert set(regions) == set(COUNTIES)
    for code, count in COUNTIES.items():
        open_old = [
            matter
            for matter in matters[code]
            if matter.pk not in resolved_ids and matter.received_on == OLD
        ]
        expected = {"total": count, "resolved": 2, "in_progress": count - 2}
        assert {key: regions[code][key] for key in expected} == expected, code
        assert regions[code]["overdue"] == len(open_old), code
        assert PetitionMatter.objects.filter(region_id=code, status="resolved").count() == 2
    assert bulletin.figures["totals"]["total"] == 26
    assert bulletin.figures["totals"]["resolved"] == 8
    assert bulletin.figures["totals"]["overdue"] == sum(
        1 for m in everything if m.pk not in resolved_ids and m.received_on == OLD
    )
    assert verbs(bulletin) == ["document_issued", "issued"]
    assert (
        Notification.objects.filter(
            subject_type="petitions.dailybulletin", subject_id=str(bulletin.pk)
        ).count()
        == len(officers) + 2
    )  # the county officers, the city officer, the address

    # --- 6. Tuesday 11-24, after the follow-up period: one stable, one reopened (pages) -----
    stable, relapsed = matters["150206"][0], matters["150206"][1]
    lead = as_user(lead_official)
    with time_machine.travel(at(11, 24), tick=False):
        row = CampaignMatter.objects.get(campaign=campaign, matter=stable)
        # The follow-up actions are page forms only (no API endpoint); the city office acts.
        confirmed = city.post(
            reverse("petitions:action", args=[stable.pk, "followup_confirm"]),
            {"expected_status": "resolved", "campaign_matter": row.pk, "note": "回访稳定"},
        )
        assert confirmed.status_code == 302, confirmed.content.decode()
        relapse_row = CampaignMatter.objects.get(campaign=campaign, matter=relapsed)
        no_reason = city.post(
            reverse("petitions:action", args=[relapsed.pk, "followup_reopen"]),
            {"expected_status": "resolved", "campaign_matter": relapse_row.pk, "reason": ""},
        )
        assert no_reason.status_code == 422
        reopened = city.post(
            reverse("petitions:action", args=[relapsed.pk, "followup_reopen"]),
            {
                "expected_status": "resolved",
                "campaign_matter": relapse_row.pk,
                "reason": "信访人再次赴京上访，和解协议未履行",
            },
        )
        assert reopened.status_code == 302, reopened.content.decode()
        assert lead.get(f"{API}/matters/{relapsed.pk}").json()["status"] == "in_progress"

    # --- 7. The statuses and events the flow implies -----------------------------------------
    row.refresh_from_db()
    relapse_row.refresh_from_db()
    assert (row.status, row.confirmed_on) == ("stable", date(2026, 11, 24))
    assert (relapse_row.status, relapse_row.reopen_reason) == (
        "reopened",
        "信访人再次赴京上访，和解协议未履行",
    )
    stable.refresh_from_db()
    relapsed.refresh_from_db()
    assert stable.status == "resolved"
    assert (relapsed.status, relapsed.reopened_count, relapsed.outcome_type) == (
        "in_progress",
        1,
        "",
    )
    assert verbs(row) == ["follow_up_started", "follow_up_confirmed_stable"]
    assert verbs(relapse_row) == ["follow_up_started", "follow_up_reopened"]
    opening = ["registered", "assigned", "handling_started", "added_to_campaign"]
    letter_sent = ["supervision_letter_sent"]
    assert verbs(stable) == [
        *opening,
        *letter_sent,
        "supervision_letter_replied",
        "resolved",
        "follow_up_confirmed_stable",
    ]
    # The evidence given with the resolution is named by its event (no event of its own).
    resolution = timeline_for(stable).get(verb="resolved")
    assert sorted(resolution.data["evidence"]) == sorted(
        stable.evidence.values_list("pk", flat=True)
    )
    assert stable.evidence.exists()
    assert verbs(relapsed)[-2:] == ["resolved", "reopened"]
    assert verbs(relapsed)[:5] == [*opening, *letter_sent]
    reopening = timeline_for(relapsed).last()
    assert reopening is not None and reopening.reason == "信访人再次赴京上访，和解协议未履行"
    # 石拐区 matters carry the first letter, answered on 11-05.
    shiguai_progressed = matters["150205"][2]
    assert verbs(shiguai_progressed) == [
        *opening,
        "supervision_letter_sent",
        "supervision_letter_replied",
    ]
    dongh_progressed = matters["150202"][2]
    assert verbs(dongh_progressed) == [*opening, "work_record_added"]
    untouched = matters["150203"][2]
    assert verbs(untouched) == opening
    assert PetitionMatter.objects.get(pk=untouched.pk).status == "in_progress"
    statuses = Counter(
        PetitionMatter.objects.filter(pk__in=[m.pk for m in everything]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {"resolved": 7, "in_progress": 19}
    for letter in letters:
        letter.refresh_from_db()
        assert letter.status == "replied"
        assert verbs(letter) == ["created", "sent", "document_issued", "replied"]
        assert letter.document is not None and letter.document.number == letter.number
    assert verbs(campaign) == ["created", "started", "matters_added"]

    # The outbox: each letter told its recipient office's officer, each reply told the sender.
    for letter, officer in ((first, county_officer), (second, byeb_county_officer)):
        notes = Notification.objects.filter(
            subject_type="petitions.supervisionletter", subject_id=str(letter.pk)
        )
        assert set(notes.values_list("dedupe_key", flat=True)) == {
            f"petitions:letter:{letter.pk}:sent:{officer.pk}",
            f"petitions:letter:{letter.pk}:replied:{city_officer.pk}",
        }
        assert all(letter.number in note.subject for note in notes)
    # The reopened matter's lead official and handler were told.
    reopen_notes = Notification.objects.filter(
        subject_type="petitions.petitionmatter",
        subject_id=str(relapsed.pk),
        subject=f"重新交办：{relapsed.number}",
    )
    assert reopen_notes.count() == 2
