"""Who sees which mediation (youjie/mediation/scopes.py): the assigned mediator, the staff of
the delegating court; not another mediator of the same committee, not another court, not the
office — on the lists, the pages and the API, a 404 as for a mediation that does not exist."""

from __future__ import annotations

import pytest
from django.test import Client

from youjie.core.errors import NotFound
from youjie.mediation import selectors
from youjie.mediation.tests.support import accepted, delegate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def world(receptionist, judge, division_head, court_leader, mediator, other_mediator):
    mine = accepted(receptionist, mediator, serial=1)
    theirs = delegate(receptionist, other_mediator, serial=2)
    return mine, theirs


def test_a_mediator_sees_only_their_own(world, mediator, other_mediator):
    mine, theirs = world
    assert list(selectors.mediation_list(user=mediator)) == [mine]
    assert list(selectors.mediation_list(user=other_mediator)) == [theirs]
    with pytest.raises(NotFound):
        selectors.mediation_get(user=other_mediator, pk=mine.pk)


def test_the_courts_staff_see_the_courts_mediations(
    world, receptionist, judge, division_head, court_leader
):
    mine, theirs = world
    for staff in (receptionist, judge, division_head, court_leader):
        assert set(selectors.mediation_list(user=staff)) == {mine, theirs}, staff


def test_nobody_else_sees_them(world, city_officer, qingshan_receptionist, department_liaison):
    mine, _ = world
    for outsider in (city_officer, qingshan_receptionist, department_liaison):
        assert not selectors.mediation_list(user=outsider).exists()
        with pytest.raises(NotFound):
            selectors.mediation_get(user=outsider, pk=mine.pk)


@pytest.mark.parametrize("persona", ["other_mediator", "city_officer", "qingshan_receptionist"])
def test_outside_the_scope_the_page_and_the_api_answer_as_for_a_missing_one(
    world, request, persona
):
    mine, _ = world
    client = Client()
    client.force_login(request.getfixturevalue(persona))
    for url in (f"/mediation/{mine.pk}/", f"/api/v1/mediation/mediations/{mine.pk}"):
        seen, missing = client.get(url), client.get(url.replace(str(mine.pk), "999999"))
        assert seen.status_code == missing.status_code == 404, url
    posted = client.post(f"/mediation/{mine.pk}/actions/fail/", {"reason": "x"})
    assert posted.status_code == 404
    api = client.post(
        f"/api/v1/mediation/mediations/{mine.pk}/fail",
        {"reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    mine.refresh_from_db()
    assert mine.status == "accepted"


def test_the_list_page_is_for_mediators_and_court_staff(world, city_officer, mediator):
    client = Client()
    client.force_login(city_officer)
    assert client.get("/mediation/").status_code == 403
    client.force_login(mediator)
    page = client.get("/mediation/")
    assert page.status_code == 200
    mine, theirs = world
    assert mine.number in page.content.decode() and theirs.number not in page.content.decode()
