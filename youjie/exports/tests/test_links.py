"""Every list page carries its "导出 Excel" link with the page's own query string (its page
number left out) and the way to 我的导出."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from youjie.people.services import person_create
from youjie.petitions import services as petitions_services
from youjie.petitions.tests.conftest import make_matter, make_person

from .conftest import client_for

pytestmark = pytest.mark.django_db

PAGES = [
    # (persona, page, query, the export address it must link to)
    ("receptionist", "courtcases:list", "year=2026&page=2", "courtcases.cases.xlsx?year=2026"),
    ("receptionist", "courtcases:hearings", "days=7", "courtcases.hearings.xlsx?days=7"),
    ("receptionist", "desk:my_queue", "", "desk.my_queue.xlsx"),
    ("receptionist", "desk:division_queue", "", "desk.division_queue.xlsx"),
    ("receptionist", "desk:intake_queue", "", "desk.intake_queue.xlsx"),
    ("receptionist", "desk:overdue", "", "desk.overdue.xlsx"),
    ("receptionist", "desk:supervised", "", "desk.supervised.xlsx"),
    ("receptionist", "desk:priority", "", "desk.priority.xlsx"),
    (
        "receptionist",
        "desk:search",
        "status=registered&page=1",
        "desk.search.xlsx?status=registered",
    ),
    ("receptionist", "filings:list", "queue=all", "filings.filings.xlsx?queue=all"),
    ("mediator", "mediation:list", "status=open", "mediation.mediations.xlsx?status=open"),
    ("receptionist", "fees:notice_list", "state=unpaid", "fees.notices.xlsx?state=unpaid"),
    ("receptionist", "people:search", "q=张三", "people.persons.xlsx?q=%E5%BC%A0%E4%B8%89"),
]


@pytest.mark.parametrize(("persona", "page", "query", "link"), PAGES)
def test_the_list_page_links_to_its_export(request, persona, page, query, link):
    user = request.getfixturevalue(persona)
    if page == "people:search":  # the link comes with results
        person_create(actor=user, name="张三")
    response = client_for(user).get(f"{reverse(page)}?{query}" if query else reverse(page))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert f'href="/exports/{link}' in body, body[:2000]
    assert "page=" not in body.split(f'href="/exports/{link}', 1)[1].split('"', 1)[0]
    assert 'href="/exports/">我的导出' in body


def test_the_petitions_lists_link_to_their_exports(city_officer, county_officer):
    person = make_person(city_officer, "张三")
    matter = make_matter(city_officer, region_code="150205", petitioner=person)
    petitions_services.aid_apply(
        actor=city_officer,
        matter=matter,
        person=person,
        kind="temporary",
        amount=Decimal("3000.00"),
        reason="家庭生活困难，申请临时救助。",
    )
    client = client_for(county_officer)
    body = html.unescape(client.get(reverse("petitions:list"), {"status": "open"}).content.decode())
    assert 'href="/exports/petitions.matters.xlsx?status=open"' in body
    aid = html.unescape(
        client.get(reverse("petitions:aid_list"), {"kind": "temporary"}).content.decode()
    )
    assert 'href="/exports/petitions.aid.xlsx?kind=temporary"' in aid
