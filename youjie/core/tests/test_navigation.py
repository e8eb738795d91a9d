"""The navigation comes from the registry (youjie.core.navigation): each persona sees exactly the
links base.html showed before the registry (the same labels, addresses, order and rules), plus
the entries the apps added since through their own navigation modules (审判质效, 信访化解,
协调联动, 网上立案, 诉前调解, 诉讼费, 庭审安排, 化解攻坚统计, 数据大屏)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from youjie.core import navigation
from youjie.core.context_processors import nav
from youjie.core.navigation import NavEntry, entries_for, register_nav_entry

pytestmark = pytest.mark.django_db

HOME = ("首页", "home")
DESK = [("诉事速办", "desk:my_queue"), ("登记诉求", "desk:intake")]
FIGURES = ("办理统计", "analytics:desk")
EVERYONE = [
    ("人员查询", "people:search"),
    ("法院案件", "courtcases:list"),
    ("工作日历", "workdays:index"),
]
ADMIN = ("系统配置", "admin:index")
# Added by apps after the registry: the court figures (court leader, division head), the
# petitions dashboard (petitions staff and court leaders), the liaison's coordination page.
COURT = ("审判质效", "analytics:court")
# The offices' campaign figures and the two big screens (issue 15): the court hall's for a court
# leader and the hall's receptionist, the office's for an office officer.
CAMPAIGN = ("化解攻坚统计", "analytics:campaign")
SCREEN = ("数据大屏", "analytics:screen")
SCREEN_CITY = ("数据大屏", "analytics:screen_city")
PETITIONS = ("信访化解", "petitions:dashboard")
COORDINATION = ("协调联动", "petitions:coordination")
# The court's filing and mediation desks and its fee notices (issue 14), for the court's staff.
FILINGS = ("网上立案", "filings:list")
MEDIATION = ("诉前调解", "mediation:list")
FEES = ("诉讼费", "fees:notice_list")
HEARINGS = ("庭审安排", "courtcases:hearings")
COURT_STAFF = [*DESK, FILINGS, MEDIATION]
COURT_EVERYONE = [*EVERYONE[:2], FEES, HEARINGS, EVERYONE[2]]

# Before the registry, base.html showed: 首页; the desk's two links to desk staff; 办理统计 to
# whoever may see the desk figures (desk staff, a city-office officer); the people, cases and
# calendar links to everybody signed in; 系统配置 to staff accounts.
EXPECTED = {
    "receptionist": [HOME, *COURT_STAFF, FIGURES, SCREEN, *COURT_EVERYONE],
    "judge": [HOME, *COURT_STAFF, FIGURES, *COURT_EVERYONE],
    "division_head": [HOME, *COURT_STAFF, FIGURES, COURT, PETITIONS, *COURT_EVERYONE],
    "court_leader": [HOME, *COURT_STAFF, FIGURES, COURT, SCREEN, PETITIONS, *COURT_EVERYONE],
    "city_officer": [HOME, FIGURES, CAMPAIGN, SCREEN_CITY, PETITIONS, *EVERYONE],
    "county_officer": [HOME, CAMPAIGN, SCREEN_CITY, PETITIONS, *EVERYONE],
    "byeb_county_officer": [HOME, CAMPAIGN, SCREEN_CITY, PETITIONS, *EVERYONE],
    "case_handler": [HOME, PETITIONS, *EVERYONE],
    "lead_official": [HOME, PETITIONS, *EVERYONE],
    "department_liaison": [HOME, COORDINATION, *EVERYONE],
    "administrator": [HOME, *EVERYONE, ADMIN],
}
NAV = re.compile(r'<nav id="main-nav">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)">([^<]*)</a>')


@pytest.fixture(autouse=True)
def _no_otp(settings: Any) -> None:
    settings.YOUJIE_OTP_ENFORCED = False  # leaders and administrators reach the home page


def shown_links(client: Client) -> list[tuple[str, str]]:
    html = client.get(reverse("home")).content.decode()
    found = NAV.search(html)
    assert found is not None, "no navigation on the home page"
    return LINK.findall(found.group(1))


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_sees_the_links_it_saw_before(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))
    expected = [(reverse(url_name), label) for label, url_name in EXPECTED[persona]]
    assert shown_links(client) == expected


def test_anonymous_visitors_get_no_navigation(client: Client, org_tree: None) -> None:
    html = client.get(reverse("login")).content.decode()
    assert 'id="main-nav"' not in html
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert nav(request) == {"nav_entries": []}


def test_every_app_registers_from_its_own_navigation_module() -> None:
    """The entries come from <app>/navigation.py modules found by autodiscovery (a new app's
    module is found the same way: tests/test_new_app_checklist.py), not from a list."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    with_module = {
        config.name
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "navigation")
    }
    assert with_module == {
        "youjie.core",
        "youjie.desk",
        "youjie.analytics",
        "youjie.people",
        "youjie.courtcases",
        "youjie.workdays",
        "youjie.petitions",
        "youjie.fees",
        "youjie.filings",
        "youjie.mediation",
    }
    assert [(entry.label, entry.url_name) for entry in navigation.registered()] == [
        HOME,
        *COURT_STAFF,
        FIGURES,
        COURT,
        CAMPAIGN,
        SCREEN,
        SCREEN_CITY,
        PETITIONS,
        COORDINATION,
        *COURT_EVERYONE,
        ADMIN,
    ]


def test_registering_twice_keeps_one_entry_and_a_predicate_decides(
    receptionist: Any, administrator: Any
) -> None:
    before = navigation.registered()

    def staff_only(user: Any) -> bool:
        return bool(user.is_staff)

    try:
        entry = register_nav_entry(label="测试", url_name="home", order=999, visible=staff_only)
        again = register_nav_entry(label="测试", url_name="home", order=999, visible=staff_only)
        assert isinstance(entry, NavEntry) and again == entry
        assert [e for e in navigation.registered() if e.label == "测试"] == [entry]
        assert [e.label for e in entries_for(administrator)][-1] == "测试"
        assert "测试" not in [e.label for e in entries_for(receptionist)]
    finally:
        navigation.unregister_nav_entry(label="测试", url_name="home")
    assert navigation.registered() == before


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_on_a_phone_and_its_links_lead_to_the_pages(
    live_server: Any, phone_page: Any, receptionist: Any
) -> None:
    """In Chromium, at a phone's width: the ☰ button opens the navigation from the registry, in
    its order, and a link leads to its page."""
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "reception")
    page.fill("#id_password", "pw-reception")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    nav = page.locator("#main-nav")
    assert not nav.is_visible()  # folded away on a phone
    page.click("#nav-toggle")
    assert nav.is_visible()
    labels = [text.strip() for text in nav.locator("a").all_inner_texts()]
    assert labels == [label for label, _ in EXPECTED["receptionist"]]
    nav.get_by_role("link", name="人员查询").click()
    page.wait_for_url(f"{live_server.url}/people/")
