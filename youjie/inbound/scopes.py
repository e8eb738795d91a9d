"""Who sees which call events: the line's owner, and staff whose scope covers the line's unit."""

from youjie.inbound.models import CallEvent
from youjie.orgs.scoping import ScopeRule, register_scope

register_scope(
    CallEvent,
    ScopeRule(unit_fields=("line__owner_unit",), user_fields=("line__owner_user",)),
)
