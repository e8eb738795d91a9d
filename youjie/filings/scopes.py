"""Who sees which filings: the staff of the receiving court and of the competent court (the
court unit or any of its divisions), nobody else (DOMAIN.md §6: 就近受理、管辖权属不变 — both
courts hold the file). The city office and mediators see none; a court's integration account
sees its court's by its unit subtree.

A filing's parties and materials follow it, and the persons linked to its parties become
visible to both courts' staff (the dossier, 一人一档).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from youjie.filings.models import Filing, FilingMaterial, FilingParty
from youjie.filings.permissions import COURT_STAFF_ROLES, court_of
from youjie.orgs.models import User
from youjie.orgs.scoping import ScopeRule, extend_scope, register_scope
from youjie.people.models import Enterprise, Person

NOTHING = Q(pk__in=[])


def _court_staff_q(prefix: str) -> Callable[[User], Q]:
    def build(user: User) -> Q:
        court = court_of(user)
        if court is None or not user.has_role(*COURT_STAFF_ROLES):
            return NOTHING
        return Q(**{f"{prefix}receiving_court": court}) | Q(**{f"{prefix}competent_court": court})

    return build


def _rule(prefix: str) -> ScopeRule:
    return ScopeRule(
        unit_fields=(f"{prefix}receiving_court", f"{prefix}competent_court"),
        extra=[_court_staff_q(prefix)],
    )


register_scope(Filing, _rule(""))
register_scope(FilingParty, _rule("filing__"))
register_scope(FilingMaterial, _rule("filing__"))

extend_scope(Person, extra=_court_staff_q("filing_parties__filing__"))
extend_scope(Enterprise, extra=_court_staff_q("filing_parties__filing__"))
