"""Writes of the petitions app (信访化解). Public functions take keyword arguments only, are
named ``<entity>_<verb>``, check their input before writing (a Chinese message naming each bad
field, nothing written), run in one transaction and write their timeline events there. A
status changes only in the three helpers of ``common`` (one per entity).

Callers write ``from youjie.petitions import services`` and ``services.matter_resolve(...)``.
Reads are in ``youjie.petitions.selectors``.
"""

from youjie.core.idempotency import Idempotency, run_once
from youjie.petitions.services.aid import (
    aid_apply,
    aid_approve,
    aid_cap_exceed_approve,
    aid_funds_arrive,
    aid_pay,
    aid_refuse,
)
from youjie.petitions.services.bulletins import (
    bulletin_issue,
    bulletin_issue_if_due,
)
from youjie.petitions.services.campaigns import (
    campaign_add_matters,
    campaign_close,
    campaign_create,
    campaign_start,
    followup_confirm_stable,
    followup_reopen,
)
from youjie.petitions.services.common import matter_progress_touch
from youjie.petitions.services.coordination import (
    coordination_request_reply,
    coordination_request_send,
)
from youjie.petitions.services.letters import (
    letter_create,
    letter_reply,
    letter_send,
)
from youjie.petitions.services.matters import (
    MatterChanges,
    PetitionerInput,
    TaskForceInput,
    county_office_for,
    matter_assign,
    matter_create,
    matter_escalate_from_request,
    matter_extend,
    matter_update,
)
from youjie.petitions.services.meetings import (
    meeting_create,
    meeting_hold,
    meeting_matter_record,
    meeting_task_complete,
    meeting_task_create,
    review_agenda_generate,
    review_agendas_generate_if_due,
    review_day_is_due,
    review_next_day,
)
from youjie.petitions.services.outcomes import (
    EvidenceInput,
    matter_heart_confirm,
    matter_resolve,
    matter_return_visit_record,
    matter_terminate,
    missing_evidence,
    outcome_evidence_add,
)
from youjie.petitions.services.records import work_record_attachment_add, work_record_create
from youjie.petitions.services.registration import (
    NewPetitioner,
    campaign_register,
    matter_register,
)

__all__ = [
    "EvidenceInput",
    "Idempotency",
    "MatterChanges",
    "NewPetitioner",
    "PetitionerInput",
    "TaskForceInput",
    "aid_apply",
    "aid_approve",
    "aid_cap_exceed_approve",
    "aid_funds_arrive",
    "aid_pay",
    "aid_refuse",
    "bulletin_issue",
    "bulletin_issue_if_due",
    "campaign_add_matters",
    "campaign_close",
    "campaign_create",
    "campaign_register",
    "campaign_start",
    "coordination_request_reply",
    "coordination_request_send",
    "county_office_for",
    "followup_confirm_stable",
    "followup_reopen",
    "letter_create",
    "letter_reply",
    "letter_send",
    "matter_assign",
    "matter_create",
    "matter_escalate_from_request",
    "matter_extend",
    "matter_heart_confirm",
    "matter_progress_touch",
    "matter_register",
    "matter_resolve",
    "matter_return_visit_record",
    "matter_terminate",
    "matter_update",
    "meeting_create",
    "meeting_hold",
    "meeting_matter_record",
    "meeting_task_complete",
    "meeting_task_create",
    "missing_evidence",
    "outcome_evidence_add",
    "review_agenda_generate",
    "review_agendas_generate_if_due",
    "review_day_is_due",
    "review_next_day",
    "run_once",
    "work_record_attachment_add",
    "work_record_create",
]
