"""Named personas shared by every app's tests (CONVENTIONS.md rule 11).

The organisation tree is the demo one of 包头市 (youjie.demo.services.seed_organisations):
a receptionist and a judge at the Bayan Obo court, a division head, a city-office officer,
a county-office officer of 石拐区 (150205) who must NOT see 白云鄂博矿区 (150206) records.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from youjie.orgs.models import OrgUnit, User, UserRole

# Shared CI machines are noisy: a property test must fail on a wrong result, never on a slow run.
hypothesis_settings.register_profile(
    "youjie", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("youjie")


def pytest_configure(config: pytest.Config) -> None:
    """``YOUJIE_TEST_CLOCK=2026-12-08T01:00:00+00:00`` runs the whole suite as if started then
    (the clock ticks on from there), so that "passes at any hour" can be shown on demand
    (CONVENTIONS rule 17; `make test-clocks`). Unset: the real time."""
    start = os.environ.get("YOUJIE_TEST_CLOCK", "").strip()
    if not start:
        return
    import time_machine

    destination = datetime.fromisoformat(start)
    if destination.tzinfo is None:
        destination = destination.replace(tzinfo=UTC)
    # The processes tests start (workers, servers) move by the same offset (settings/test.py).
    os.environ["YOUJIE_TEST_CLOCK_OFFSET"] = str((destination - datetime.now(UTC)).total_seconds())
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def make_user(username: str, role: str, unit_code: str, display_name: str = "") -> User:
    unit = OrgUnit.objects.get(code=unit_code)
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        display_name=display_name or username,
        org_unit=unit,
    )
    UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def org_tree(db: Any) -> None:
    from youjie.demo.services import SeedReport, seed_organisations

    seed_organisations(report=SeedReport())


@pytest.fixture
def court(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="BT-BYEB-FY")


@pytest.fixture
def qingshan_court(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="BT-QS-FY")


@pytest.fixture
def civil_division(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="BT-BYEB-MS")


@pytest.fixture
def receptionist(org_tree: None) -> User:
    return make_user("reception", "receptionist", "BT-BYEB-LAT", "王丽")


@pytest.fixture
def judge(org_tree: None) -> User:
    return make_user("judge_li", "judge", "BT-BYEB-MS", "李敏")


@pytest.fixture
def other_judge(org_tree: None) -> User:
    return make_user("judge_wang", "judge", "BT-BYEB-MS", "王强")


@pytest.fixture
def division_head(org_tree: None) -> User:
    return make_user("divhead", "division_head", "BT-BYEB-MS", "张建国")


@pytest.fixture
def court_leader(org_tree: None) -> User:
    return make_user("leader", "court_leader", "BT-BYEB-FY", "刘志强")


@pytest.fixture
def city_officer(org_tree: None) -> User:
    return make_user("city_officer", "office_officer", "BT-ZXB", "陈华")


@pytest.fixture
def county_officer(org_tree: None) -> User:
    """Officer of the 石拐区 office: must not see 白云鄂博矿区 or other counties' records."""
    return make_user("county_officer", "office_officer", "150205-ZXB", "孙立")


@pytest.fixture
def byeb_county_officer(org_tree: None) -> User:
    return make_user("byeb_officer", "office_officer", "150206-ZXB", "马力")


@pytest.fixture
def case_handler(org_tree: None) -> User:
    """承办人 of the 白云鄂博矿区 political-legal committee (the demo's "handler")."""
    return make_user("handler", "case_handler", "150206-ZFW", "周平")


@pytest.fixture
def lead_official(org_tree: None) -> User:
    """包案领导 of the 白云鄂博矿区 political-legal committee (the demo's "lead")."""
    return make_user("lead", "lead_official", "150206-ZFW", "吴刚")


@pytest.fixture
def department_liaison(org_tree: None) -> User:
    """联络员 of the city's housing bureau (住建): sees no petition matter, only coordination."""
    return make_user("liaison", "department_liaison", "BT-ZJJ", "郑洁")


@pytest.fixture
def mediator(org_tree: None) -> User:
    """调解员 of the 白云鄂博矿区 people's mediation committee: sees only their own mediations."""
    return make_user("mediator", "mediator", "150206-TJW", "高秀兰")


@pytest.fixture
def other_mediator(org_tree: None) -> User:
    """Another 调解员 of the same committee: sees none of 高秀兰's mediations."""
    return make_user("mediator_zhao", "mediator", "150206-TJW", "赵明")


@pytest.fixture
def qingshan_receptionist(org_tree: None) -> User:
    """立案庭 receptionist of the 青山区 court (the other court of cross-domain filings)."""
    return make_user("qs_reception", "receptionist", "BT-QS-LAT", "韩雪")


@pytest.fixture
def administrator(org_tree: None) -> User:
    user = make_user("admin", "administrator", "BT-ZFW", "管理员")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Debian Chromium for one test.

    Function-scoped on purpose: Playwright's sync API runs an event loop in this thread while it
    is open, which would break later tests that use asgiref's async_to_sync (WebSocket tests).
    """
    from pathlib import Path

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/run (it installs chromium and fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    # The ORM calls made by the test itself (fixtures, assertions) are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield instance
            finally:
                instance.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page (the staff pages must be usable on a phone)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    """Each test starts with empty caches: fragments are keyed by row ids and event ids, which
    a rolled-back test hands out again to the next one (SQLite reuses them)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
