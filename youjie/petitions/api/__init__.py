"""/api/v1/petitions: 信访化解 over HTTP — matters (list, get, create, assign, resolve),
campaigns (list, get, create, add matters, progress), the work on a matter (work records, 每案必见,
coordination requests, aid) and supervision (letters, meetings, daily bulletins).

Thin adapters: parse, fetch through the scoped selectors (404 outside the caller's scope, never
403), call one service, answer with the updated record. Errors follow the API's one format
{code, message, fields, extra}: 422 ``validation_failed`` / ``stale``, 403
``permission_denied``, 404 ``not_found``, 409 ``invalid_transition`` / ``conflict`` /
``idempotency_key_reused``. Creates take an ``Idempotency-Key`` header as the desk's do.

One module per subject, each registering its endpoints on the one ``router`` of ``common``:
``matters``, ``campaigns``, ``records`` (P2) and ``supervision`` (P3). They are imported in that
order (the order of the paths in the OpenAPI document); ``youjie/api/urls.py`` mounts
``router``.
"""

from youjie.petitions.api.common import router
from youjie.petitions.api.matters import (
    matter_assign,
    matter_create,
    matter_get,
    matter_list,
    matter_resolve,
)

# isort: split
# Imported after ``matters``: the endpoints register in the order of the document.
from youjie.petitions.api.campaigns import (
    campaign_add_matters,
    campaign_create,
    campaign_get,
    campaign_list,
    campaign_progress,
)
from youjie.petitions.api.records import (
    aid_approve,
    aid_cap_approval,
    aid_create,
    aid_funds_arrived,
    aid_get,
    aid_list,
    aid_pay,
    aid_refuse,
    coordination_create,
    coordination_get,
    coordination_list,
    coordination_reply,
    petitioners_not_met,
    work_record_attachment,
    work_record_create,
    work_record_list,
)
from youjie.petitions.api.supervision import (
    bulletin_get,
    bulletin_issue,
    bulletin_list,
    letter_create,
    letter_get,
    letter_list,
    letter_reply,
    letter_send,
    meeting_create,
    meeting_get,
    meeting_hold,
    meeting_list,
    meeting_minute,
    meeting_task,
    meeting_task_done,
    review_generate,
)

__all__ = [
    "aid_approve",
    "aid_cap_approval",
    "aid_create",
    "aid_funds_arrived",
    "aid_get",
    "aid_list",
    "aid_pay",
    "aid_refuse",
    "bulletin_get",
    "bulletin_issue",
    "bulletin_list",
    "campaign_add_matters",
    "campaign_create",
    "campaign_get",
    "campaign_list",
    "campaign_progress",
    "coordination_create",
    "coordination_get",
    "coordination_list",
    "coordination_reply",
    "letter_create",
    "letter_get",
    "letter_list",
    "letter_reply",
    "letter_send",
    "matter_assign",
    "matter_create",
    "matter_get",
    "matter_list",
    "matter_resolve",
    "meeting_create",
    "meeting_get",
    "meeting_hold",
    "meeting_list",
    "meeting_minute",
    "meeting_task",
    "meeting_task_done",
    "petitioners_not_met",
    "review_generate",
    "router",
    "work_record_attachment",
    "work_record_create",
    "work_record_list",
]
