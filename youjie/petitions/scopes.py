"""Who sees which petition matters, and what hangs off them (DESIGN.md "Who sees what").

- Office officers: the matters of their region and its sub-regions (属地): the city office
  (region 150200) sees every matter of the city, a county office only its own region's.
- The lead official, the handler, the task force's members and whoever registered the matter:
  that matter.
- Unit leaders (院领导: their court; 庭长: their division): the matters whose responsible or
  handling unit lies in that subtree (指导 and 直接 responsibility).
- Nobody else: receptionists, judges, clerks and department liaisons see no matter here
  (a liaison sees the coordination requests addressed to them, added later).

The records of a matter (petitioner links, task force, evidence, return visits, campaign rows)
follow it through ``matter__…`` paths. Persons named as petitioners become visible to whoever
sees the matter (the dossier, 一人一档), and campaigns to whoever sees one of their matters or
the region of their issuing office.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from youjie.documents.permissions import register_document_access
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import User
from youjie.orgs.scoping import (
    ScopeRule,
    can_see,
    extend_scope,
    nearest_unit,
    register_scope,
    user_scope,
)
from youjie.people.models import Person
from youjie.petitions.models import (
    Aid,
    AidApproval,
    Campaign,
    CampaignMatter,
    CoordinationRequest,
    DailyBulletin,
    MatterReturnVisit,
    MeetingMatter,
    MeetingTask,
    OutcomeEvidence,
    Petitioner,
    PetitionMatter,
    ReviewMeeting,
    SupervisionLetter,
    TaskForceMember,
    WorkRecord,
    WorkRecordAttachment,
)

MATTER_USER_FIELDS = ("lead_official", "handler", "task_force_members__user", "created_by")
# The same people, with the task force (a reverse relation) left out: its members come through
# ``task_force_q``, a ``matter IN (SELECT matter_id …)`` subquery that duplicates no row.
MATTER_SINGLE_USER_FIELDS = ("lead_official", "handler", "created_by")


def _unit_leader_paths(user: User) -> list[str]:
    unit = user.org_unit
    if unit is None:
        return []
    paths = []
    if user.has_role(Role.COURT_LEADER):
        court = nearest_unit(unit, OrgKind.COURT) or unit
        paths.append(court.path)
    if user.has_role(Role.DIVISION_HEAD):
        paths.append(unit.path)
    return [path for path in paths if path]


def unit_leader_q(prefix: str = "") -> Callable[[User], Q]:
    """Matters (through ``prefix``) whose responsible or handling unit is in a unit leader's
    subtree; nothing for anyone else."""

    def build(user: User) -> Q:
        q = Q(pk__in=[])
        for path in _unit_leader_paths(user):
            q |= Q(**{f"{prefix}responsible_unit__path__startswith": path})
            q |= Q(**{f"{prefix}handling_unit__path__startswith": path})
        return q

    return build


def task_force_q(prefix: str = "") -> Callable[[User], Q]:
    """Matters (through ``prefix``) whose task force (一案一专班) counts ``user`` as a member."""

    def build(user: User) -> Q:
        matters = TaskForceMember.objects.filter(user_id=user.pk).values("matter_id")
        return Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}in": matters})

    return build


def _matter_rule(prefix: str) -> ScopeRule:
    """Every filter of a matter's rule is single-valued (the task force through a subquery):
    the dashboard's aggregates filter the matters directly instead of through
    ``pk IN (SELECT … LEFT JOIN task force …)``, one semi-join per statement (issue 13: the
    city dashboard over 10,000 matters)."""
    return ScopeRule(
        region_fields=(f"{prefix}region",),
        user_fields=tuple(f"{prefix}{name}" for name in MATTER_SINGLE_USER_FIELDS),
        extra=[unit_leader_q(prefix), task_force_q(prefix)],
        extra_single_valued=True,
    )


register_scope(PetitionMatter, _matter_rule(""))
for _model in (Petitioner, TaskForceMember, OutcomeEvidence, MatterReturnVisit, CampaignMatter):
    register_scope(_model, _matter_rule("matter__"))

register_scope(
    Campaign,
    ScopeRule(
        region_fields=("issuing_office__region", "campaign_matters__matter__region"),
        user_fields=tuple(f"campaign_matters__matter__{name}" for name in MATTER_USER_FIELDS),
        extra=[unit_leader_q("campaign_matters__matter__")],
        multi_valued=True,
    ),
)


def _petitioners_of_visible_matters(user: User) -> Q:
    """The petitioners of the matters an office officer's region or a unit leader's unit
    holds, wherever the petitioners live."""
    q = unit_leader_q("petitioner_links__matter__")(user)
    regions = user_scope(user).region_codes
    if regions:
        q |= Q(petitioner_links__matter__region__in=sorted(regions))
    return q


extend_scope(
    Person,
    user_fields=tuple(f"petitioner_links__matter__{name}" for name in MATTER_USER_FIELDS),
    extra=_petitioners_of_visible_matters,
)


# --- work records, coordination requests, aid (issue 13 item 4) ------------------------------
# They follow their matter; a coordination request is also seen by the department it is
# addressed to (its liaisons: ``unit_fields``), and by the liaison it names, who see nothing else
# of the matter.
for _record_model in (WorkRecord, Aid):
    register_scope(_record_model, _matter_rule("matter__"))
register_scope(WorkRecordAttachment, _matter_rule("record__matter__"))
register_scope(AidApproval, _matter_rule("aid__matter__"))

_coordination_matter_rule = _matter_rule("matter__")
register_scope(
    CoordinationRequest,
    ScopeRule(
        unit_fields=("department",),
        region_fields=_coordination_matter_rule.region_fields,
        user_fields=(*_coordination_matter_rule.user_fields, "liaison"),
        extra=_coordination_matter_rule.extra,
        multi_valued=True,
    ),
)


# --- supervision letters, meetings, the daily bulletin (P3: issue 13 items 5–7) ---------------
# A 督办函: the offices over the recipient's region (a county office sees those addressed to its
# county) or the sender's (the city office sees all it sent), the recipient unit's leaders, and
# those who work on a matter it names (lead official, handler, task force, registrar).
register_scope(
    SupervisionLetter,
    ScopeRule(
        unit_fields=("recipient_unit",),
        region_fields=("recipient_unit__region", "issuing_office__region"),
        user_fields=tuple(f"matters__{name}" for name in MATTER_USER_FIELDS),
        multi_valued=True,
    ),
)
# A meeting: the offices over its office's region, its chair and the owners of its tasks.
register_scope(
    ReviewMeeting,
    ScopeRule(
        region_fields=("office__region",),
        user_fields=("chair", "tasks__owner"),
        multi_valued=True,
    ),
)
# A minute follows its matter; a task its matter, and its owner sees it.
register_scope(MeetingMatter, _matter_rule("matter__"))
_task_matter_rule = _matter_rule("matter__")
register_scope(
    MeetingTask,
    ScopeRule(
        region_fields=_task_matter_rule.region_fields,
        user_fields=(*_task_matter_rule.user_fields, "owner"),
        extra=_task_matter_rule.extra,
        multi_valued=True,
    ),
)
# The daily bulletin is addressed to every political-legal committee, office and unit (各旗县区委
# 政法委、专项办，市直各政法单位): their staff read every day's (figures only, no personal data);
# government departments' liaisons and integration accounts do not.
BULLETIN_READER_KINDS = (
    OrgKind.COMMITTEE,
    OrgKind.OFFICE,
    OrgKind.COURT,
    OrgKind.DIVISION,
    OrgKind.PROCURATORATE,
    OrgKind.POLICE,
    OrgKind.JUSTICE,
)


def _bulletin_readers(user: User) -> Q:
    unit = user.org_unit
    if unit is None or unit.kind not in BULLETIN_READER_KINDS or user.has_role(Role.INTEGRATION):
        return Q(pk__in=[])
    return Q(pk__isnull=False)  # every row (an empty Q() would vanish when OR-ed)


register_scope(
    DailyBulletin,
    ScopeRule(region_fields=("office__region",), extra=[_bulletin_readers]),
)
# Their issued documents (.docx) are seen by whoever sees the letter or the bulletin.
register_document_access(SupervisionLetter, lambda user, letter: can_see(letter, user))
register_document_access(DailyBulletin, lambda user, bulletin: can_see(bulletin, user))
