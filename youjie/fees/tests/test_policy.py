"""YOUJIE_FEES_POLICY: the rounding rule and a province's per-case figures; a malformed value
is a system check error at start-up (fees.E001), never a failure on a citizen's request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from youjie.fees.checks import fees_policy_check
from youjie.fees.policy import FeesPolicy, fees_policy


def test_the_default_rounds_to_the_fen_and_shows_the_ranges(settings: Any) -> None:
    settings.YOUJIE_FEES_POLICY = None
    assert fees_policy() == FeesPolicy(rounding="fen", per_case_standards={})
    assert fees_policy_check() == []


def test_a_province_fixes_its_per_case_figures(settings: Any) -> None:
    settings.YOUJIE_FEES_POLICY = {"rounding": "yuan", "per_case_standards": {"divorce": 200}}
    policy = fees_policy()
    assert policy.rounding == "yuan"
    assert policy.per_case_standards == {"divorce": Decimal(200)}


@pytest.mark.parametrize(
    "value",
    [
        "fen",
        {"rounding": "jiao"},
        {"unknown": 1},
        {"per_case_standards": ["divorce", 200]},
        {"per_case_standards": {"divorce": "two hundred"}},
        {"per_case_standards": {"divorce": 400}},  # outside 50–300
        {"per_case_standards": {"property": 50}},  # no per-case range
    ],
)
def test_a_malformed_policy_fails_the_check(settings: Any, value: Any) -> None:
    settings.YOUJIE_FEES_POLICY = value
    with pytest.raises(ImproperlyConfigured):
        fees_policy()
    errors = fees_policy_check()
    assert [error.id for error in errors] == ["fees.E001"]
