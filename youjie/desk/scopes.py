"""Who sees which service requests (DESIGN.md "Who sees what").

Receptionists and court leaders: their court; a division head: the division; judges and clerks:
what is assigned or routed to them, what came on their lines, their cases' requests, and what
they received first. Office officers see desk figures, not desk content: no region path here.
"""

from youjie.desk.models import ServiceRequest
from youjie.orgs.scoping import ScopeRule, extend_scope, register_scope
from youjie.people.models import Person

register_scope(
    ServiceRequest,
    ScopeRule(
        unit_fields=("court", "division", "transfer_division"),
        user_fields=(
            "assignee",
            "transfer_user",
            "first_contact",
            "line__owner_user",
            "related_case__judge",
            "related_case__clerk",
        ),
    ),
)
extend_scope(Person, user_fields=("service_requests__assignee",))
