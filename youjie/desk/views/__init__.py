"""The desk's staff pages (诉事速办), split by subject: queues, intake, the request page and its
actions, return visits, matter types. ``urls.py`` imports them from here."""

from youjie.desk.views.attachments import attachment_download, attachment_upload
from youjie.desk.views.case_query import case_query_check, case_query_code
from youjie.desk.views.detail import action, detail, reveal_mobile
from youjie.desk.views.intake import intake, lookup
from youjie.desk.views.matter_types import checklist_edit, checklist_print, matter_types
from youjie.desk.views.queues import (
    division_queue,
    intake_queue,
    my_queue,
    overdue,
    priority,
    search,
    supervised,
)
from youjie.desk.views.return_visits import return_visit_record, return_visits

__all__ = [
    "action",
    "attachment_download",
    "attachment_upload",
    "case_query_check",
    "case_query_code",
    "checklist_edit",
    "checklist_print",
    "detail",
    "division_queue",
    "intake",
    "intake_queue",
    "lookup",
    "matter_types",
    "my_queue",
    "overdue",
    "priority",
    "return_visit_record",
    "return_visits",
    "reveal_mobile",
    "search",
    "supervised",
]
