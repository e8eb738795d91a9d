"""Registering a matter from a page or the API: its petitioners may be registered with it (a
person not yet on file), and a create carrying an idempotency key is done once.

``matter_register`` and ``campaign_register`` wrap ``matter_create`` and ``campaign_create``:
the same checks and events, with the new persons written in the same transaction (a refused
matter leaves no person behind) and the key stored beside what it created.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from youjie.core.idempotency import Idempotency, run_once
from youjie.courtcases.models import CourtCase
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.models import Person
from youjie.people.services import person_create
from youjie.petitions.models import Campaign, PetitionLabel, PetitionMatter
from youjie.petitions.services.campaigns import campaign_create
from youjie.petitions.services.matters import PetitionerInput, matter_create


@dataclass(frozen=True)
class NewPetitioner:
    """A petitioner not yet on file: registered (people.services.person_create) with the matter."""

    name: str
    id_number: str = ""
    mobile: str = ""
    role: str = "petitioner"


def matter_register(
    *,
    actor: User,
    title: str,
    region: Region,
    category: str,
    origin: str,
    core_demand: str,
    received_on: date,
    petitioners: Sequence[Person | PetitionerInput] = (),
    new_petitioners: Sequence[NewPetitioner] = (),
    root_cause: str = "",
    prior_handling: str = "",
    labels: Sequence[PetitionLabel] = (),
    court_cases: Sequence[CourtCase] = (),
    accepted_on: date | None = None,
    statutory_clocks: bool = True,
    idempotency: Idempotency | None = None,
) -> tuple[PetitionMatter, bool]:
    """``matter_create`` with petitioners registered on the way (in the petitioner's region,
    owned by the actor's unit), all in one transaction: (matter, created)."""

    def create() -> PetitionMatter:
        inputs: list[Person | PetitionerInput] = list(petitioners)
        for new in new_petitioners:
            person = person_create(
                actor=actor,
                name=new.name,
                id_number=new.id_number,
                mobile=new.mobile,
                region=region,
            )
            inputs.append(PetitionerInput(person, new.role))
        return matter_create(
            actor=actor,
            title=title,
            region=region,
            category=category,
            origin=origin,
            core_demand=core_demand,
            received_on=received_on,
            petitioners=inputs,
            root_cause=root_cause,
            prior_handling=prior_handling,
            labels=labels,
            court_cases=court_cases,
            accepted_on=accepted_on,
            statutory_clocks=statutory_clocks,
        )

    return run_once(model=PetitionMatter, idempotency=idempotency, create=create)


def campaign_register(
    *,
    actor: User,
    name: str,
    kind: str,
    issuing_office: OrgUnit,
    starts_on: date,
    ends_on: date,
    goals: str = "",
    follow_up_days: int = 30,
    idempotency: Idempotency | None = None,
) -> tuple[Campaign, bool]:
    """``campaign_create``, done once per idempotency key: (campaign, created)."""

    def create() -> Campaign:
        return campaign_create(
            actor=actor,
            name=name,
            kind=kind,
            issuing_office=issuing_office,
            starts_on=starts_on,
            ends_on=ends_on,
            goals=goals,
            follow_up_days=follow_up_days,
        )

    return run_once(model=Campaign, idempotency=idempotency, create=create)
