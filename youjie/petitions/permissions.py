"""Pure rules: who may do what with petition matters and campaigns. Who may *see* a record is
``youjie.petitions.scopes`` (and ``youjie.orgs.scoping``); these rules are asked about records
the user can already see.

- Office officers (专项办干部) run the work: the city office over the whole city, a county office
  over its region (属地). They register matters, assign responsibility, run campaigns, confirm
  follow-ups and record 依法终结.
- The lead official (包案领导), the handler (承办人) and the task force's members work on their
  matters: update the facts, record outcomes, return visits and extensions.
- Unit leaders (院领导, 庭长) of the responsible or handling unit see their unit's matters (指导/
  直接 responsibility) but act through the people assigned.
- Department liaisons answer the coordination requests addressed to their department (below).
"""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import can_act_on
from youjie.orgs.choices import Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import user_scope
from youjie.petitions.models import (
    Aid,
    Campaign,
    CoordinationRequest,
    MeetingTask,
    PetitionMatter,
    SupervisionLetter,
    TaskForceMember,
)

PETITION_ROLES = (
    Role.OFFICE_OFFICER,
    Role.CASE_HANDLER,
    Role.LEAD_OFFICIAL,
    Role.COURT_LEADER,
    Role.DIVISION_HEAD,
)
# Roles that see the matters of their unit's subtree as responsible or handling unit.
UNIT_LEADER_ROLES = (Role.COURT_LEADER, Role.DIVISION_HEAD)


def may_see_petitions(user: Viewer) -> TypeGuard[User]:
    """Whether the petitions pages are for ``user`` at all (the navigation asks this)."""
    return isinstance(user, User) and (user.is_superuser or user.has_role(*PETITION_ROLES))


def is_office_officer(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and (user.is_superuser or user.has_role(Role.OFFICE_OFFICER))


def covers_region(user: Viewer, region_code: str) -> bool:
    """An office officer's region (属地) and its sub-regions; the city office covers them all."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.has_role(Role.OFFICE_OFFICER) and region_code in user_scope(user).region_codes


def can_register_matter(user: Viewer, region_code: str) -> TypeGuard[User]:
    return is_office_officer(user) and covers_region(user, region_code)


def can_manage_matter(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    """Assign, admit to a campaign, confirm a follow-up, terminate: the office over its region."""
    return is_office_officer(user) and covers_region(user, matter.region_id)


def is_matter_worker(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    """The lead official, the handler or a member of the matter's task force."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.pk in (matter.lead_official_id, matter.handler_id):
        return True
    return TaskForceMember.objects.filter(matter_id=matter.pk, user_id=user.pk).exists()


def can_work_on_matter(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    """Update the facts, record evidence, an outcome, a return visit or an extension."""
    return can_manage_matter(user, matter) or is_matter_worker(user, matter)


def can_escalate_request(user: Viewer, service_request: ServiceRequest) -> TypeGuard[User]:
    """A desk request becomes a petition matter at the hands of whoever may act on it."""
    return can_act_on(user, service_request)


def can_create_campaign(user: Viewer, issuing_office: OrgUnit) -> TypeGuard[User]:
    """An office officer issues campaigns from an office of their region (their own, or, for
    the city office, any below it)."""
    return is_office_officer(user) and covers_region(user, issuing_office.region_id)


def can_manage_campaign(user: Viewer, campaign: Campaign) -> TypeGuard[User]:
    """Start, close and admit matters: the officers over the issuing office's region."""
    return is_office_officer(user) and covers_region(user, campaign.issuing_office.region_id)


# --- work records, coordination requests, aid (issue 13 item 4) ------------------------------
# The matter's people record work, send coordination requests and apply for aid; the office
# over the matter's region (the 审核小组 the political-legal committee convenes, DOMAIN.md §8)
# decides aid and records its payment; an amount above the 国家司法救助 cap needs the special
# approval of an office one level above the matter's region (the city office for a county's
# matter); a department's liaisons answer the requests addressed to their department.


def can_record_work(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    return can_work_on_matter(user, matter)


def can_request_coordination(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    return can_work_on_matter(user, matter)


def is_department_liaison(user: Viewer) -> TypeGuard[User]:
    return (
        isinstance(user, User)
        and user.is_active
        and user.has_role(Role.DEPARTMENT_LIAISON)
        and user.org_unit is not None
    )


def can_reply_coordination(user: Viewer, coordination: CoordinationRequest) -> TypeGuard[User]:
    """A liaison of the department the request is addressed to (their unit or one below it)."""
    if not is_department_liaison(user):
        return False
    unit = user.org_unit
    department = coordination.department
    return unit is not None and bool(unit.path) and unit.path.startswith(department.path)


def may_see_coordination(user: Viewer) -> TypeGuard[User]:
    """The coordination page: liaisons (their department's requests) and the petitions staff."""
    return is_department_liaison(user) or may_see_petitions(user)


def can_apply_aid(user: Viewer, matter: PetitionMatter) -> TypeGuard[User]:
    return can_work_on_matter(user, matter)


def can_decide_aid(user: Viewer, aid: Aid) -> TypeGuard[User]:
    """Approve, refuse, record the funds' arrival and the payment: the office over the region."""
    return can_manage_matter(user, aid.matter)


def can_approve_aid_over_cap(user: Viewer, aid: Aid) -> TypeGuard[User]:
    """The special approval (特批) of an amount above the cap: an office officer whose region
    lies above the matter's (the city office for a county's matter), never the matter's own
    county office."""
    if not is_office_officer(user):
        return False
    if user.is_superuser:
        return True
    unit = user.org_unit
    if unit is None or unit.region_id == aid.matter.region_id:
        return False
    return covers_region(user, aid.matter.region_id)


def may_see_aid_list(user: Viewer) -> TypeGuard[User]:
    """The aid list and its export: office officers (their region's aid)."""
    return is_office_officer(user)


# --- pages (P1b) ------------------------------------------------------------------------------

CITY_REGION_KINDS = ("city",)


def is_city_office_officer(user: Viewer) -> TypeGuard[User]:
    """An officer of the city's 专项办 (市专项办): the office whose region is the city itself."""
    if not is_office_officer(user):
        return False
    if user.is_superuser:
        return True
    unit = user.org_unit
    return unit is not None and unit.kind == "office" and unit.region.kind in CITY_REGION_KINDS


def may_create_campaigns(user: Viewer) -> TypeGuard[User]:
    """The campaign form is the city office's (百日攻坚 and 回头看 are launched city-wide); the
    service checks the issuing office again (``can_create_campaign``)."""
    return is_city_office_officer(user)


def may_register_matters(user: Viewer) -> TypeGuard[User]:
    """The registration form is for office officers (the service checks the region)."""
    return is_office_officer(user)


# --- supervision letters, meetings, the daily bulletin (P3: issue 13 items 5–7) ---------------
# The recipient unit of a 督办函 answers it through its office officers and unit leaders, in the
# unit or a unit under it (a letter to 石拐区委政法委 is answered by 石拐区专项办 under it).
LETTER_RECIPIENT_ROLES = (Role.OFFICE_OFFICER, Role.COURT_LEADER)


def is_own_office(user: Viewer, office: OrgUnit) -> TypeGuard[User]:
    """An office officer of ``office`` itself (superusers: any office)."""
    return is_office_officer(user) and (user.is_superuser or user.org_unit_id == office.pk)


def can_send_letters(user: Viewer, office: OrgUnit) -> TypeGuard[User]:
    """Draft and send 督办函 in the name of ``office``: its own officers."""
    return is_own_office(user, office)


def can_reply_letter(user: Viewer, letter: SupervisionLetter) -> TypeGuard[User]:
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    unit = user.org_unit
    recipient = letter.recipient_unit
    return (
        unit is not None
        and bool(recipient.path)
        and unit.path.startswith(recipient.path)
        and user.has_role(*LETTER_RECIPIENT_ROLES)
    )


def can_run_meetings(user: Viewer, office: OrgUnit) -> TypeGuard[User]:
    """Hold dispatch meetings and the three-day review of ``office``, record their minutes and
    tasks: the office's own officers."""
    return is_own_office(user, office)


def can_complete_task(user: Viewer, task: MeetingTask) -> TypeGuard[User]:
    """A meeting's task is reported done by its owner or by the office that set it."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.pk == task.owner_id or can_run_meetings(user, task.meeting.office)


def can_issue_bulletin(user: Viewer, office: OrgUnit) -> TypeGuard[User]:
    """Generate the daily bulletin by hand (the periodic task does it at the set time): the
    officers over the issuing office's region (the city office)."""
    return is_office_officer(user) and covers_region(user, office.region_id)
