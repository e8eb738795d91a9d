"""信访化解: petition matters (涉法涉诉信访事项), their petitioners, task forces, outcomes and
the campaigns (百日攻坚, 回头看) that take them on.

``status`` of a matter, a campaign and a campaign matter (its follow-up) changes only in the
helpers of ``youjie.petitions.services.common``, which check the maps in
``youjie.petitions.transitions`` and write a timeline event in the same transaction.
docs/subsystems/petitions.md describes the life of a matter.

One module per subject: ``matters`` (a matter, its labels, number counter, petitioners, task
force, evidence and return visits), ``campaigns``, ``records`` (work records, coordination
requests, aid), ``supervision`` (letters, meetings, daily bulletins) and ``common`` (the size
limits). Every model is imported here, so Django registers it; callers write
``from youjie.petitions.models import PetitionMatter``.
"""

from youjie.petitions.models.campaigns import (
    Campaign,
    CampaignMatter,
)
from youjie.petitions.models.common import (
    ATTACHMENT_NAME_MAX,
    HISTORY_MAX,
    MONEY_DIGITS,
    MONEY_PLACES,
    NAME_MAX,
    PLACE_MAX,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from youjie.petitions.models.matters import (
    MatterNumberCounter,
    MatterReturnVisit,
    OutcomeEvidence,
    Petitioner,
    PetitionLabel,
    PetitionMatter,
    PetitionMatterQuerySet,
    TaskForceMember,
    matter_overdue_q,
)
from youjie.petitions.models.records import (
    Aid,
    AidApproval,
    AidWageBase,
    CoordinationRequest,
    WorkRecord,
    WorkRecordAttachment,
    coordination_overdue_q,
)
from youjie.petitions.models.supervision import (
    DailyBulletin,
    DocumentNumberCounter,
    MeetingMatter,
    MeetingTask,
    MeetingTaskQuerySet,
    ReviewMeeting,
    SupervisionLetter,
    SupervisionLetterQuerySet,
)

__all__ = [
    "ATTACHMENT_NAME_MAX",
    "HISTORY_MAX",
    "MONEY_DIGITS",
    "MONEY_PLACES",
    "NAME_MAX",
    "PLACE_MAX",
    "REASON_MAX",
    "TEXT_MAX",
    "TITLE_MAX",
    "Aid",
    "AidApproval",
    "AidWageBase",
    "Campaign",
    "CampaignMatter",
    "CoordinationRequest",
    "DailyBulletin",
    "DocumentNumberCounter",
    "MatterNumberCounter",
    "MatterReturnVisit",
    "MeetingMatter",
    "MeetingTask",
    "MeetingTaskQuerySet",
    "OutcomeEvidence",
    "PetitionLabel",
    "PetitionMatter",
    "PetitionMatterQuerySet",
    "Petitioner",
    "ReviewMeeting",
    "SupervisionLetter",
    "SupervisionLetterQuerySet",
    "TaskForceMember",
    "WorkRecord",
    "WorkRecordAttachment",
    "coordination_overdue_q",
    "matter_overdue_q",
]
