"""The transition maps of the petitions app (docs/subsystems/petitions.md, "States").

Each entity's ``status`` is assigned in one helper that checks its map and writes the event:
``services.common.matter_status_set`` (a matter), ``services.common.campaign_status_set`` (a
campaign), ``services.common.follow_up_status_set`` (a matter's follow-up in a campaign).
tests/test_status_writes.py holds every module to that.
"""

from __future__ import annotations

from youjie.core.transitions import TransitionMap
from youjie.petitions.choices import (
    AidStatus,
    CampaignStatus,
    CoordinationStatus,
    FollowUpStatus,
    LetterStatus,
    MeetingStatus,
    MeetingTaskStatus,
)
from youjie.petitions.choices import MatterStatus as S

MATTER_TRANSITIONS = TransitionMap.build(
    "信访事项",
    {
        # Registered: responsibility (双包案) not yet assigned.
        S.REGISTERED: [S.IN_PROGRESS, S.TERMINATED],
        # Lead official and responsible unit assigned: handled.
        S.IN_PROGRESS: [S.RESOLVED, S.TERMINATED],
        # 事了: the outcome is recorded with its evidence. A return visit confirming 心了 makes
        # it 事心双解; a relapse (回头看) sends it back to handling.
        S.RESOLVED: [S.SETTLED, S.IN_PROGRESS, S.TERMINATED],
        S.SETTLED: [S.IN_PROGRESS],
        # 依法终结: no further counting; re-opened only as a new matter on new facts.
        S.TERMINATED: [],
    },
    dict(S.choices),
)

CAMPAIGN_TRANSITIONS = TransitionMap.build(
    "专项行动",
    {
        CampaignStatus.DRAFT: [CampaignStatus.ACTIVE, CampaignStatus.CLOSED],
        CampaignStatus.ACTIVE: [CampaignStatus.CLOSED],
        CampaignStatus.CLOSED: [],
    },
    dict(CampaignStatus.choices),
)

# A matter's follow-up in one campaign: confirmed stable once, or reopened; a reopened matter
# that is resolved again starts a new follow-up period (back to pending).
FOLLOW_UP_TRANSITIONS = TransitionMap.build(
    "回头看",
    {
        FollowUpStatus.PENDING: [FollowUpStatus.STABLE, FollowUpStatus.REOPENED],
        FollowUpStatus.REOPENED: [FollowUpStatus.PENDING],
        FollowUpStatus.STABLE: [],
    },
    dict(FollowUpStatus.choices),
)

# A coordination request to a department: answered once. Overdue is computed from its last day
# (``models.coordination_overdue_q``), never a state. Changed only in
# ``services.coordination.coordination_status_set``.
COORDINATION_TRANSITIONS = TransitionMap.build(
    "协调函",
    {
        CoordinationStatus.SENT: [CoordinationStatus.REPLIED],
        CoordinationStatus.REPLIED: [],
    },
    dict(CoordinationStatus.choices),
)

# Aid (DOMAIN.md §8: 申请 → 审批 → 发放): approved then paid, or refused. Changed only in
# ``services.aid.aid_status_set``.
AID_TRANSITIONS = TransitionMap.build(
    "救助",
    {
        AidStatus.APPLIED: [AidStatus.APPROVED, AidStatus.REFUSED],
        AidStatus.APPROVED: [AidStatus.PAID],
        AidStatus.PAID: [],
        AidStatus.REFUSED: [],
    },
    dict(AidStatus.choices),
)

# --- supervision letters, meetings (issue 13 items 5–6) --------------------------------------
# A supervision letter: drafted, sent (numbered and issued), replied. Changed only in
# ``services.letters.letter_status_set``; overdue (sent, past the deadline) is computed.
LETTER_TRANSITIONS = TransitionMap.build(
    "督办函",
    {
        LetterStatus.DRAFT: [LetterStatus.SENT],
        LetterStatus.SENT: [LetterStatus.REPLIED],
        LetterStatus.REPLIED: [],
    },
    dict(LetterStatus.choices),
)

# A dispatch meeting or a three-day review: scheduled (its agenda generated), then held.
# Changed only in ``services.meetings.meeting_status_set``.
MEETING_TRANSITIONS = TransitionMap.build(
    "会议",
    {MeetingStatus.SCHEDULED: [MeetingStatus.HELD], MeetingStatus.HELD: []},
    dict(MeetingStatus.choices),
)

# A meeting's task: open until done. Changed only in ``services.meetings.meeting_task_status_set``;
# overdue (open, past the deadline) is computed.
MEETING_TASK_TRANSITIONS = TransitionMap.build(
    "会议交办任务",
    {MeetingTaskStatus.OPEN: [MeetingTaskStatus.DONE], MeetingTaskStatus.DONE: []},
    dict(MeetingTaskStatus.choices),
)
