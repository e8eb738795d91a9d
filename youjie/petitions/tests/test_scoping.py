"""Who sees which matters (youjie/petitions/scopes.py): the county officer of 石拐区 (150205)
only that region's, the city officer all, a lead official and a handler only theirs, a unit
leader their unit's, a liaison nothing; the petitioners and the campaign figures follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from youjie.core.errors import NotFound
from youjie.orgs.models import User
from youjie.orgs.scoping import scope_queryset
from youjie.people.models import Person
from youjie.petitions import selectors, services
from youjie.petitions.models import Petitioner, PetitionMatter, TaskForceMember
from youjie.petitions.services import TaskForceInput

from .conftest import make_matter, make_person, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@dataclass
class Matters:
    shiguai: PetitionMatter  # 150205, lead: lead_official, responsible: the procuratorate
    bayan_obo: PetitionMatter  # 150206, lead: other lead, handler: case_handler, the court
    donghe: PetitionMatter  # 150202, lead: other lead, the police
    other_lead: User


@pytest.fixture
def matters(city_officer, lead_official, case_handler) -> Matters:
    other_lead = make_user("lead2", "lead_official", "150206-ZFW", "郑强")

    def made(region_code, name, lead, responsible, handler=None):
        matter = make_matter(
            city_officer,
            region_code=region_code,
            title=f"{name}的事项",
            petitioner=make_person(city_officer, name),
        )
        return services.matter_assign(
            actor=city_officer,
            matter=matter,
            lead_official=lead,
            responsible_unit=unit(responsible),
            handler=handler,
        )

    return Matters(
        shiguai=made("150205", "石拐群众", lead_official, "BT-JCY-0206"),
        bayan_obo=made("150206", "矿区群众", other_lead, "BT-BYEB-FY", case_handler),
        donghe=made("150202", "东河群众", other_lead, "BT-GA-0206"),
        other_lead=other_lead,
    )


def titles(user) -> set[str]:
    return {matter.title for matter in selectors.matter_list(user=user)}


def test_the_county_officer_sees_only_their_region(county_officer, matters):
    assert titles(county_officer) == {"石拐群众的事项"}
    assert selectors.matter_get(user=county_officer, pk=matters.shiguai.pk) == matters.shiguai
    for other in (matters.bayan_obo, matters.donghe):
        with pytest.raises(NotFound):
            selectors.matter_get(user=county_officer, pk=other.pk)


def test_another_county_officer_sees_only_theirs(byeb_county_officer, matters):
    assert titles(byeb_county_officer) == {"矿区群众的事项"}


def test_the_city_officer_sees_every_matter(city_officer, matters):
    assert titles(city_officer) == {"石拐群众的事项", "矿区群众的事项", "东河群众的事项"}


def test_a_lead_official_sees_only_the_matters_they_lead(lead_official, matters):
    assert titles(lead_official) == {"石拐群众的事项"}
    assert titles(matters.other_lead) == {"矿区群众的事项", "东河群众的事项"}
    assert (
        list(
            selectors.matters_of_lead_official(
                user=lead_official, lead_official_id=matters.other_lead.pk
            )
        )
        == []
    )


def test_a_handler_sees_what_they_handle_and_their_task_forces(city_officer, case_handler, matters):
    assert titles(case_handler) == {"矿区群众的事项"}
    services.matter_assign(
        actor=city_officer,
        matter=matters.donghe,
        task_force=[TaskForceInput(user=case_handler, duty="调查核实")],
    )
    assert titles(case_handler) == {"矿区群众的事项", "东河群众的事项"}
    # No duplicate rows through the task force (a reverse relation).
    assert selectors.matter_list(user=case_handler).count() == 2


def test_a_unit_leader_sees_the_matters_of_their_unit(court_leader, matters):
    assert titles(court_leader) == {"矿区群众的事项"}


@pytest.mark.parametrize("persona", ["department_liaison", "receptionist", "judge"])
def test_liaisons_and_desk_staff_see_no_matter(request, persona, matters):
    user = request.getfixturevalue(persona)
    assert titles(user) == set()
    with pytest.raises(NotFound):
        selectors.matter_get(user=user, pk=matters.shiguai.pk)


def test_anonymous_sees_nothing(matters):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.matter_list(user=AnonymousUser()).count() == 0


def test_the_records_of_a_matter_follow_it(county_officer, matters):
    petitioners = scope_queryset(Petitioner.objects.all(), county_officer)
    assert {link.matter_id for link in petitioners} == {matters.shiguai.pk}
    assert scope_queryset(TaskForceMember.objects.all(), county_officer).count() == 0


def test_the_county_officer_sees_the_petitioners_of_their_matters(
    county_officer, lead_official, matters
):
    visible = set(
        scope_queryset(Person.objects.all(), county_officer).values_list("name", flat=True)
    )
    assert "石拐群众" in visible
    assert "矿区群众" not in visible and "东河群众" not in visible
    led = set(scope_queryset(Person.objects.all(), lead_official).values_list("name", flat=True))
    assert led == {"石拐群众"}


def test_campaign_figures_count_only_what_the_user_may_see(
    city_officer, county_officer, department_liaison, lead_official, matters
):
    action = services.campaign_create(
        actor=city_officer,
        name="百日攻坚",
        kind="hundred_days",
        issuing_office=unit("BT-ZXB"),
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 9),
    )
    services.campaign_add_matters(
        actor=city_officer,
        campaign=action,
        matters=[matters.shiguai, matters.bayan_obo, matters.donghe],
    )
    city = selectors.campaign_progress_by_region(user=city_officer, campaign=action)
    assert [(row.key, row.total, row.in_progress, row.resolved) for row in city] == [
        ("150202", 1, 1, 0),
        ("150205", 1, 1, 0),
        ("150206", 1, 1, 0),
    ]
    county = selectors.campaign_progress_by_region(user=county_officer, campaign=action)
    assert [(row.key, row.name, row.total) for row in county] == [("150205", "石拐区", 1)]
    by_unit = selectors.campaign_progress_by_unit(user=county_officer, campaign=action)
    assert [(row.name, row.total) for row in by_unit] == [("白云鄂博矿区人民检察院", 1)]
    # The county officer sees the city's campaign because one of their matters is in it.
    assert list(selectors.campaign_list(user=county_officer)) == [action]
    assert list(selectors.campaign_list(user=department_liaison)) == []
    assert selectors.matter_figures(user=county_officer).total == 1
    assert selectors.matter_figures(user=city_officer).total == 3
    lead_rows = selectors.campaign_matter_list(user=lead_official, campaign=action)
    assert [row.matter_id for row in lead_rows] == [matters.shiguai.pk]


def test_the_list_is_one_query_whatever_its_length(county_officer, matters):
    """The matters with their related rows: one query. The user's roles, unit and the scope's
    regions are read once for the user object (the first listing, below) and kept on it."""
    with CaptureQueriesContext(connection) as first:
        list(selectors.matter_list(user=county_officer))
    assert any("orgs_region" in query["sql"] for query in first.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.matter_list(user=county_officer))
        for row in rows:
            seen = (
                row.region.name,
                row.county_office.name,
                row.lead_official,
                row.responsible_unit,
            )
            assert all(seen)
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == 1, statements
    assert "petitions_petitionmatter" in statements[0]


def test_the_regions_sum_to_the_campaign_figures_for_every_viewer(
    city_officer, county_officer, lead_official, matters
):
    """The dashboard and the campaign page total the regions' figures instead of a second
    aggregate (every matter has one 属地): the same figures, for each viewer's scope."""
    action = services.campaign_create(
        actor=city_officer,
        name="百日攻坚",
        kind="hundred_days",
        issuing_office=unit("BT-ZXB"),
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 9),
    )
    services.campaign_add_matters(
        actor=city_officer,
        campaign=action,
        matters=[matters.shiguai, matters.bayan_obo, matters.donghe],
    )
    totals = {}
    for viewer in (city_officer, county_officer, lead_official):
        by_region = selectors.campaign_progress_by_region(user=viewer, campaign=action)
        # The pages read both breakdowns from one grouped statement: the same rows.
        progress = selectors.campaign_progress(user=viewer, campaign=action)
        assert progress.by_region == by_region
        assert progress.by_unit == selectors.campaign_progress_by_unit(user=viewer, campaign=action)
        summed = selectors.figures_sum(by_region)
        assert summed == selectors.campaign_figures(user=viewer, campaign=action)
        assert selectors.campaign_burndown(
            user=viewer, campaign=action, total=summed.total
        ) == selectors.campaign_burndown(user=viewer, campaign=action)
        totals[viewer.username] = (summed.total, summed.in_progress)
    assert totals == {
        city_officer.username: (3, 3),
        county_officer.username: (1, 1),
        lead_official.username: (1, 1),
    }


def test_the_dashboard_opens_on_the_active_campaign_with_the_most_matters(city_officer, matters):
    """Of the active campaigns, the one taking on the most matters, even when a newer one (with
    fewer matters, or none) has begun since; a campaign in preparation only when none is active."""

    def campaign(name, starts_on, taken_on):
        made = services.campaign_create(
            actor=city_officer,
            name=name,
            kind="hundred_days",
            issuing_office=unit("BT-ZXB"),
            starts_on=starts_on,
            ends_on=date(2026, 12, 20),
        )
        if taken_on:
            services.campaign_add_matters(actor=city_officer, campaign=made, matters=taken_on)
        return made

    draft = campaign("筹备中", date(2026, 10, 1), [])
    assert selectors.campaign_open_for_user(user=city_officer) == draft
    big = campaign("百日攻坚", date(2026, 9, 1), [matters.shiguai, matters.bayan_obo])
    small = campaign("回头看", date(2026, 10, 1), [matters.donghe])
    empty = campaign("空行动", date(2026, 11, 1), [])
    for started in (small, empty, big):
        services.campaign_start(actor=city_officer, campaign=started)
    assert selectors.campaign_open_for_user(user=city_officer) == big
