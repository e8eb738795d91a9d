"""Shared helpers of the petitions tests: a frozen clock, persons, matters made through the
services (never by hand), and the organisation units they name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.models import Person
from youjie.people.services import person_create
from youjie.petitions import services
from youjie.petitions.models import PetitionMatter

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, a working day, in the bundled 2026 calendar.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_person(actor: User, name: str = "张三") -> Person:
    return person_create(actor=actor, name=name)


def make_matter(
    actor: User,
    *,
    region_code: str = "150205",
    petitioner: Person | None = None,
    title: str = "不服民事判决反复信访",
    received_on: date = date(2026, 11, 2),
    **overrides: Any,
) -> PetitionMatter:
    values: dict[str, Any] = {
        "title": title,
        "region": region(region_code),
        "category": "court_judgment",
        "origin": "visit",
        "core_demand": "要求重新审理借贷纠纷并赔偿损失",
        "received_on": received_on,
        "petitioners": [petitioner or make_person(actor)],
    }
    values.update(overrides)
    return services.matter_create(actor=actor, **values)


def assign(
    actor: User,
    matter: PetitionMatter,
    *,
    lead: User,
    handler: User | None = None,
    responsible: str = "BT-BYEB-FY",
) -> PetitionMatter:
    return services.matter_assign(
        actor=actor,
        matter=matter,
        lead_official=lead,
        responsible_unit=unit(responsible),
        handler=handler,
    )
