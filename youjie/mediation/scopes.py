"""Who sees which mediations (docs/subsystems/permissions.md):

- the mediator a mediation is assigned to (``mediator``): that mediation, and nothing else of
  their organisation's — another mediator of the same committee sees none of it;
- staff of the delegating court (its receptionists, judges, clerks, division heads and
  leaders, wherever in the court they sit): the court's mediations;
- nobody else: office officers, other courts, department liaisons get a 404.

Sessions, extensions, confirmations and mediation documents follow their mediation.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from youjie.mediation.models import (
    JudicialConfirmation,
    Mediation,
    MediationDocument,
    MediationExtension,
    MediationSession,
)
from youjie.mediation.permissions import staff_court
from youjie.orgs.models import User
from youjie.orgs.scoping import ScopeRule, register_scope


def court_staff_q(prefix: str = "") -> Callable[[User], Q]:
    """The mediations (through ``prefix``) of a court staff member's court; nothing else."""

    def build(user: User) -> Q:
        court = staff_court(user)
        if court is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}court_id": court.pk})

    return build


def _rule(prefix: str) -> ScopeRule:
    return ScopeRule(user_fields=(f"{prefix}mediator",), extra=[court_staff_q(prefix)])


register_scope(Mediation, _rule(""))
for _model in (MediationSession, MediationExtension, JudicialConfirmation, MediationDocument):
    register_scope(_model, _rule("mediation__"))
