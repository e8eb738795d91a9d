"""Who sees which rows of the court figures' day table: as the court cases they sum up
(``courtcases.scopes``): a court's leaders the court, a division head the division (a judge
their own rows, though judges are not given court figures: DOMAIN.md §9). Clerks are not a
dimension of the table; they are not given court figures either."""

from youjie.analytics.models import CourtFigureDay
from youjie.orgs.scoping import ScopeRule, register_scope

register_scope(
    CourtFigureDay,
    ScopeRule(
        unit_fields=("court", "division"),
        region_fields=("court__region",),
        user_fields=("judge",),
    ),
)
