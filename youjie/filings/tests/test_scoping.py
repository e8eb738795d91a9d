"""Who sees a filing: the staff of the receiving and of the competent court (the court unit or
any of its divisions), nobody else — not the city office, not a mediator, not a third court.
The persons linked to its parties follow (the dossier section)."""

from __future__ import annotations

import pytest
from django.test import Client

from youjie.filings import selectors, services
from youjie.filings.dossier import filings_section
from youjie.filings.models import FilingMaterial, FilingParty
from youjie.filings.tests.support import submit, unit
from youjie.orgs.models import User
from youjie.orgs.scoping import scope_queryset
from youjie.people.models import Person

pytestmark = pytest.mark.usefixtures("frozen")


def test_both_courts_see_a_cross_domain_filing_and_nobody_else(
    receptionist: User,
    judge: User,
    division_head: User,
    court_leader: User,
    qingshan_receptionist: User,
    city_officer: User,
    mediator: User,
    county_officer: User,
) -> None:
    cross = submit(competent="BT-QS-FY")
    local = submit()
    for user in (receptionist, judge, division_head, court_leader):
        assert set(selectors.visible_filings(user=user)) == {cross, local}, user
    assert set(selectors.visible_filings(user=qingshan_receptionist)) == {cross}
    for user in (city_officer, mediator, county_officer):
        assert not selectors.visible_filings(user=user).exists(), user
        assert not scope_queryset(FilingParty.objects.all(), user).exists()
        assert not scope_queryset(FilingMaterial.objects.all(), user).exists()
    assert set(scope_queryset(FilingParty.objects.all(), qingshan_receptionist)) == set(
        cross.parties.all()
    )


def test_outsiders_get_a_404_on_the_pages(
    receptionist: User, qingshan_receptionist: User, city_officer: User, mediator: User
) -> None:
    local = submit()
    material = local.materials.get(kind="complaint")
    for user in (qingshan_receptionist, city_officer, mediator):
        client = Client()
        client.force_login(user)
        for url in (
            f"/filings/{local.pk}/materials/{material.pk}/",
            f"/filings/{local.pk}/ruling.docx",
        ):
            assert client.get(url).status_code in (403, 404), (user, url)
        response = client.post(
            f"/filings/{local.pk}/actions/forward/", {"expected_status": "review"}
        )
        assert response.status_code in (403, 404)
    # Office officers and mediators have no filings pages at all.
    client = Client()
    client.force_login(city_officer)
    assert client.get(f"/filings/{local.pk}/").status_code == 403
    client.force_login(qingshan_receptionist)
    assert client.get(f"/filings/{local.pk}/").status_code == 404


def test_the_dossier_lists_the_persons_filings_within_scope(
    receptionist: User, qingshan_receptionist: User, city_officer: User
) -> None:
    filing = submit()
    case = services.filing_accept(
        actor=receptionist,
        filing=filing,
        data=services.AcceptInput(division=unit("BT-BYEB-MS")),
    )
    party = filing.parties.get(role="plaintiff")
    assert party.person is not None
    person = party.person
    # The court's staff see the person through the filing and the case.
    assert scope_queryset(Person.objects.filter(pk=person.pk), receptionist).exists()
    section = filings_section(receptionist, person)
    assert section is not None
    assert filing.number in section.row_list[0].label
    assert case.case_number in section.row_list[0].detail
    assert filings_section(city_officer, person) is None
    other = filings_section(qingshan_receptionist, person)
    assert other is not None and not other.row_list


def test_a_material_address_with_an_id_past_the_database_range_is_not_found(
    receptionist: User,
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(receptionist)
    huge = "9" * 30
    assert client.get(f"/filings/{huge}/materials/1/").status_code == 404
    assert client.get(f"/filings/1/materials/{huge}/").status_code == 404
