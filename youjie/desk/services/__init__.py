"""Writes of the desk. Every state change of a request goes through ``common.transition`` (one
map, one event); a clock change's and a return visit's through one helper each
(``desk.transitions``). Public functions take keyword arguments only; reads are in
``desk.selectors``.

The public functions are re-exported here so that callers write
``from youjie.desk import services`` and ``services.service_request_reply(...)``.
"""

from youjie.desk.services.attachments import attachment_add
from youjie.desk.services.case_query import (
    CodeChecked,
    CodeSent,
    case_query_code_send,
    case_query_code_verify,
)
from youjie.desk.services.feedback import (
    feedback_submit,
    return_visit_record,
)
from youjie.desk.services.intake import (
    IntakeData,
    Registration,
    service_request_create,
    service_request_register,
)
from youjie.desk.services.intake_person import NewPerson, service_request_register_with_person
from youjie.desk.services.matter_types import checklist_publish, checklist_send
from youjie.desk.services.sweeps import (
    desk_close_unrated,
    desk_expire_transfers,
    desk_remind_and_flag_overdue,
)
from youjie.desk.services.workflow import (
    clock_change_decide,
    clock_change_request,
    service_request_accept,
    service_request_decline,
    service_request_interim_reply,
    service_request_merge,
    service_request_reply,
    service_request_resume,
    service_request_route,
    service_request_supervise,
    service_request_withdraw,
)

__all__ = [
    "CodeChecked",
    "CodeSent",
    "IntakeData",
    "NewPerson",
    "Registration",
    "attachment_add",
    "case_query_code_send",
    "case_query_code_verify",
    "checklist_publish",
    "checklist_send",
    "clock_change_decide",
    "clock_change_request",
    "desk_close_unrated",
    "desk_expire_transfers",
    "desk_remind_and_flag_overdue",
    "feedback_submit",
    "return_visit_record",
    "service_request_accept",
    "service_request_create",
    "service_request_decline",
    "service_request_interim_reply",
    "service_request_merge",
    "service_request_register",
    "service_request_register_with_person",
    "service_request_reply",
    "service_request_resume",
    "service_request_route",
    "service_request_supervise",
    "service_request_withdraw",
]
