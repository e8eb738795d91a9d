"""The transition maps: which state may follow which (docs/subsystems/petitions.md)."""

from __future__ import annotations

import pytest

from youjie.core.errors import InvalidTransition
from youjie.petitions.choices import CampaignStatus, FollowUpStatus, MatterStatus
from youjie.petitions.transitions import (
    CAMPAIGN_TRANSITIONS,
    FOLLOW_UP_TRANSITIONS,
    MATTER_TRANSITIONS,
)

S = MatterStatus


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.REGISTERED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.RESOLVED),
        (S.RESOLVED, S.SETTLED),
        (S.RESOLVED, S.IN_PROGRESS),
        (S.SETTLED, S.IN_PROGRESS),
        (S.REGISTERED, S.TERMINATED),
        (S.IN_PROGRESS, S.TERMINATED),
        (S.RESOLVED, S.TERMINATED),
    ],
)
def test_the_matter_moves_the_design_allows(source, target):
    assert MATTER_TRANSITIONS.can(source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.REGISTERED, S.RESOLVED),  # no resolution before responsibility is assigned
        (S.IN_PROGRESS, S.SETTLED),  # 心了 only after 事了
        (S.REGISTERED, S.SETTLED),
        (S.SETTLED, S.TERMINATED),
        (S.TERMINATED, S.IN_PROGRESS),  # 依法终结 is final: no further counting
        (S.TERMINATED, S.RESOLVED),
    ],
)
def test_the_matter_refuses_other_moves_in_chinese(source, target):
    assert not MATTER_TRANSITIONS.can(source, target)
    with pytest.raises(InvalidTransition) as refused:
        MATTER_TRANSITIONS.check(source, target)
    assert refused.value.message.startswith("信访事项当前状态")


def test_every_matter_state_is_in_the_map():
    assert set(MATTER_TRANSITIONS.allowed) == set(S.values)
    assert MATTER_TRANSITIONS.allowed[S.TERMINATED] == frozenset()


def test_campaign_and_follow_up_maps():
    assert CAMPAIGN_TRANSITIONS.can(CampaignStatus.DRAFT, CampaignStatus.ACTIVE)
    assert CAMPAIGN_TRANSITIONS.can(CampaignStatus.ACTIVE, CampaignStatus.CLOSED)
    assert not CAMPAIGN_TRANSITIONS.can(CampaignStatus.CLOSED, CampaignStatus.ACTIVE)
    assert FOLLOW_UP_TRANSITIONS.can(FollowUpStatus.PENDING, FollowUpStatus.REOPENED)
    assert FOLLOW_UP_TRANSITIONS.can(FollowUpStatus.REOPENED, FollowUpStatus.PENDING)
    assert not FOLLOW_UP_TRANSITIONS.can(FollowUpStatus.STABLE, FollowUpStatus.REOPENED)
    assert not FOLLOW_UP_TRANSITIONS.can(FollowUpStatus.PENDING, FollowUpStatus.PENDING)
