"""The court cases' pages, by subject: the cases and their import (``cases``), and hearings
(``hearings``)."""

from youjie.courtcases.views.cases import (
    case_detail,
    case_import,
    case_import_cancel,
    case_import_run,
    case_import_status,
    case_list,
    describe_event,
)
from youjie.courtcases.views.hearings import (
    hearing_attendance,
    hearing_cancel,
    hearing_hold,
    hearing_list,
    hearing_postpone,
    hearing_schedule,
)

__all__ = [
    "case_detail",
    "case_import",
    "case_import_cancel",
    "case_import_run",
    "case_import_status",
    "case_list",
    "describe_event",
    "hearing_attendance",
    "hearing_cancel",
    "hearing_hold",
    "hearing_list",
    "hearing_postpone",
    "hearing_schedule",
]
