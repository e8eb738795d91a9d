"""Who sees which court cases, and the persons named in them.

A court's receptionists and leaders see the court's subtree, a division head the division,
judges and clerks the cases assigned to them, an office officer the cases of their regions.
"""

from youjie.courtcases.models import CourtCase, Hearing
from youjie.orgs.scoping import ScopeRule, extend_scope, register_scope
from youjie.people.models import Enterprise, Person

register_scope(
    CourtCase,
    ScopeRule(
        unit_fields=("court", "division"),
        region_fields=("court__region",),
        user_fields=("judge", "clerk"),
    ),
)
# A hearing is seen by whoever sees its court case (the same paths, through the case).
register_scope(
    Hearing,
    ScopeRule(
        unit_fields=("court_case__court", "court_case__division"),
        region_fields=("court_case__court__region",),
        user_fields=("court_case__judge", "court_case__clerk"),
    ),
)
extend_scope(
    Person, user_fields=("case_parties__court_case__judge", "case_parties__court_case__clerk")
)
extend_scope(
    Enterprise, user_fields=("case_parties__court_case__judge", "case_parties__court_case__clerk")
)
