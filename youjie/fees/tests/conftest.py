"""Shared fixtures of the fee notice tests: a frozen clock, a court case of the 白云鄂博 court
with its parties, notices issued through the services, and the WeChat Pay stand-in on loopback
with fresh keys (made once per session, in a temporary directory: never committed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from youjie.courtcases.models import CaseParty, CourtCase
from youjie.fees import services
from youjie.fees.models import FeeNotice
from youjie.fees.standin import StandIn, StandInKeys
from youjie.orgs.models import OrgUnit, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, a working day, in the bundled 2026 calendar: a notice issued now is due 2026-11-30.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
NOTIFY_PATH = "/fees/notify/wechatpay/"


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def ticking() -> Iterator[Any]:
    """The clock at NOW but moving: for the tests whose HTTP calls sign timestamps."""
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


def make_case(
    *,
    court_code: str = "BT-BYEB-FY",
    division_code: str = "BT-BYEB-MS",
    sequence: int = 900,
    judge: User | None = None,
) -> CourtCase:
    court = OrgUnit.objects.get(code=court_code)
    number_code = court.court_code or "内0206"
    court_case = CourtCase.objects.create(
        case_number=f"（2026）{number_code}民初{sequence}号",
        year=2026,
        court_code=number_code,
        type_code="民初",
        sequence=sequence,
        court=court,
        division=OrgUnit.objects.get(code=division_code),
        judge=judge,
        cause="买卖合同纠纷",
        amount=Decimal("200000.00"),
    )
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name="张三丰")
    CaseParty.objects.create(court_case=court_case, role="defendant", name="包头市某某稀土有限公司")
    return court_case


@pytest.fixture
def court_case(judge: User) -> CourtCase:
    return make_case(judge=judge)


def issue(
    actor: User,
    court_case: CourtCase,
    *,
    amount: str = "200000",
    phone: str = "13912345678",
    fee_kind: str = "property",
) -> FeeNotice:
    plaintiff = court_case.parties.get(role="plaintiff")
    notice, _created = services.notice_issue(
        actor=actor,
        court_case=court_case,
        data=services.NoticeInput(
            fee_kind=fee_kind, amount=Decimal(amount), party=plaintiff, payer_phone=phone
        ),
    )
    return notice


@pytest.fixture
def notice(receptionist: User, court_case: CourtCase, frozen: Any) -> FeeNotice:
    return issue(receptionist, court_case)


# --- the stand-in -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def standin_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[StandInKeys, Path]:
    directory = tmp_path_factory.mktemp("wechatpay-keys")
    keys = StandInKeys.generate()
    keys.write(directory)
    return keys, directory


@pytest.fixture
def standin(standin_keys: tuple[StandInKeys, Path]) -> Iterator[StandIn]:
    keys, _directory = standin_keys
    server = StandIn(keys).start()
    try:
        yield server
    finally:
        server.stop()


def configure(settings: Any, standin: StandIn, directory: Path, notify_base: str) -> None:
    settings.YOUJIE_PAYMENT = standin.keys.payment_settings(
        directory=directory, base_url=standin.base_url, notify_url=f"{notify_base}{NOTIFY_PATH}"
    )


@pytest.fixture
def payments(settings: Any, standin: StandIn, standin_keys: tuple[StandInKeys, Path]) -> StandIn:
    """Online payment switched on, pointed at the stand-in (notifications are delivered by the
    tests themselves through the test client)."""
    configure(settings, standin, standin_keys[1], "http://testserver")
    return standin


def wechat_headers(headers: dict[str, str]) -> dict[str, str]:
    """The stand-in's notification headers as the test client sends them."""
    return {name: value for name, value in headers.items() if name != "Content-Type"}
