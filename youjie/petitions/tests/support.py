"""Shared fixtures of the petitions page and API tests: two matters in two counties and the
city's campaign over both, made through the services at a frozen Monday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from conftest import make_user
from youjie.orgs.models import User
from youjie.people.services import person_create
from youjie.petitions import services
from youjie.petitions.models import Campaign, PetitionMatter

from .conftest import make_matter, region, unit

# A resident ID with a valid check digit (people's tests build the same way).
ID_NUMBER = "150205198001010019"


@dataclass
class World:
    shiguai: PetitionMatter  # 150205: the county officer's region; lead: other_lead
    bayan_obo: PetitionMatter  # 150206: lead: lead_official, handler: case_handler
    campaign: Campaign
    other_lead: User


@pytest.fixture
def world(city_officer: User, lead_official: User, case_handler: User) -> World:
    other_lead = make_user("lead2", "lead_official", "150205-ZFW", "郑强")
    petitioner = person_create(
        actor=city_officer, name="石拐群众", id_number=ID_NUMBER, region=region("150205")
    )
    shiguai = make_matter(
        city_officer, region_code="150205", title="石拐借贷纠纷", petitioner=petitioner
    )
    shiguai = services.matter_assign(
        actor=city_officer,
        matter=shiguai,
        lead_official=other_lead,
        responsible_unit=unit("150205-ZFW"),
    )
    bayan_obo = make_matter(city_officer, region_code="150206", title="矿区执行款未到位")
    bayan_obo = services.matter_assign(
        actor=city_officer,
        matter=bayan_obo,
        lead_official=lead_official,
        responsible_unit=unit("BT-BYEB-FY"),
        handler=case_handler,
    )
    campaign = services.campaign_create(
        actor=city_officer,
        name="2026年百日攻坚",
        kind="hundred_days",
        issuing_office=unit("BT-ZXB"),
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 9),
    )
    services.campaign_add_matters(
        actor=city_officer, campaign=campaign, matters=[shiguai, bayan_obo]
    )
    return World(shiguai, bayan_obo, campaign, other_lead)


@pytest.fixture
def no_otp(settings: Any) -> None:
    settings.YOUJIE_OTP_ENFORCED = False
