"""Who sees which persons and enterprises: the registering unit's subtree, the supervising
office's regions, and (added by courtcases) the parties of a judge's or clerk's cases."""

from youjie.orgs.scoping import ScopeRule, register_scope
from youjie.people.models import Enterprise, Person

register_scope(
    Person,
    ScopeRule(unit_fields=("owner_unit",), region_fields=("region",), user_fields=("created_by",)),
)
register_scope(
    Enterprise,
    ScopeRule(unit_fields=("owner_unit",), region_fields=("region",), user_fields=("created_by",)),
)
