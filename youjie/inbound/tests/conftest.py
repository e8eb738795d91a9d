"""Fixtures of the inbound tests: the desk's (party, civil case, lines) plus tokens and WeChat."""

from __future__ import annotations

from typing import Any

import pytest

from youjie.desk.tests.conftest import *  # noqa: F403  (matter_types, party, civil_case, judge_line, fixed_line)
from youjie.orgs.models import OrgUnit
from youjie.orgs.services import api_token_create, org_unit_create

WECHAT_TOKEN = "youjie-wechat-token"
WECHAT_APPID = "wx1234567890abcdef"
WECHAT_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters


@pytest.fixture
def phone_token(court: OrgUnit) -> str:
    """The phone system's token, bound to the Bayan Obo court."""
    _token, key = api_token_create(name="电话系统", org_unit=court)
    return key


@pytest.fixture
def other_court_token(org_tree: None) -> str:
    other = org_unit_create(
        code="BT-SG-FY",
        name="石拐区人民法院",
        kind="court",
        region_id="150205",
        court_code="内0205",
    )
    _token, key = api_token_create(name="石拐电话系统", org_unit=other)
    return key


@pytest.fixture
def wechat_plain(settings: Any) -> None:
    settings.YOUJIE_WECHAT_TOKEN = WECHAT_TOKEN
    settings.YOUJIE_WECHAT_AES_KEY = ""
    settings.YOUJIE_WECHAT_APPID = WECHAT_APPID


@pytest.fixture
def wechat_safe(settings: Any) -> None:
    settings.YOUJIE_WECHAT_TOKEN = WECHAT_TOKEN
    settings.YOUJIE_WECHAT_AES_KEY = WECHAT_AES_KEY
    settings.YOUJIE_WECHAT_APPID = WECHAT_APPID
    settings.YOUJIE_WECHAT_COURT_CODE = "BT-BYEB-FY"
