"""Reads of the filings app, scoped (``scopes``): the queues by role, a filing for its page,
the overdue list (先行立案), the full personal data shown on request (audited), and the
submitter's access to the public supplement page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from youjie.core.audit import audit_record
from youjie.core.crypto import decrypt_text
from youjie.core.errors import NotFound, PermissionDenied
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.filings.choices import FilingStatus
from youjie.filings.codes import supplement_code_hash
from youjie.filings.models import Filing, FilingMaterial, FilingParty
from youjie.filings.permissions import court_of
from youjie.orgs.choices import OrgKind, Role
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import access, scope_queryset
from youjie.people.identity import phone_hash
from youjie.people.permissions import can_view_full_personal_data
from youjie.workdays.calendar import SHANGHAI

# The queues of the filings page (``filing_queue``): what waits at my court, by step.
QUEUES: dict[str, str] = {
    "check": "待协作核对",
    "review": "待审查",
    "overdue": "超期未决（先行立案）",
    "supplement": "待补正",
    "decided": "近期决定",
    "all": "全部",
}
DECIDED_STATUSES = (
    FilingStatus.ACCEPTED,
    FilingStatus.REFUSED,
    FilingStatus.WITHDRAWN,
    FilingStatus.TREATED_WITHDRAWN,
    FilingStatus.SETTLED,
)
SEARCH_MAX = 50


def clock_today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def visible_filings(*, user: Viewer) -> QuerySet[Filing]:
    return scope_queryset(Filing.objects.all(), user)


def filing_get(*, user: Viewer, pk: int) -> Filing:
    """The filing if ``user`` may see it; NotFound (404) otherwise, as for a missing one."""
    queryset = Filing.objects.select_related(
        "receiving_court", "competent_court", "court_case", "decided_by"
    )
    return access(queryset, user, pk=pk)


def filing_get_by_number(*, user: Viewer, number: str) -> Filing:
    queryset = Filing.objects.select_related("receiving_court", "competent_court", "court_case")
    return access(queryset, user, number=number)


def filing_queue(
    *,
    user: Viewer,
    queue: str = "",
    search: str = "",
    case_kind: str = "",
    cross_domain: bool | None = None,
) -> QuerySet[Filing]:
    """A queue of the filings page, at the user's court: 待协作核对 (received here for a form
    check), 待审查 (in review here, earliest decision first), 超期未决 (past their decision day),
    待补正, 近期决定; "all" is every filing the user may see."""
    filings = visible_filings(user=user).select_related("receiving_court", "competent_court")
    court = court_of(user)
    today = clock_today()
    if queue and queue != "all":
        if court is None:
            return filings.none()
        if queue == "check":
            filings = filings.filter(receiving_court=court, status=FilingStatus.RECEIVED)
        elif queue == "review":
            filings = filings.filter(competent_court=court, status=FilingStatus.REVIEW)
        elif queue == "overdue":
            filings = filings.filter(
                competent_court=court, status=FilingStatus.REVIEW, decision_due__lt=today
            )
        elif queue == "supplement":
            filings = filings.filter(
                Q(receiving_court=court) | Q(competent_court=court),
                status=FilingStatus.SUPPLEMENT,
            )
        elif queue == "decided":
            filings = filings.filter(competent_court=court, status__in=DECIDED_STATUSES)
    text = search.strip()[:SEARCH_MAX]
    if text:
        filings = filings.filter(
            Q(number__icontains=text)
            | Q(submitter_name__icontains=text)
            | Q(cause__icontains=text)
            | Q(parties__name__icontains=text)
        ).distinct()
    if case_kind:
        filings = filings.filter(case_kind=case_kind)
    if cross_domain is not None:
        filings = filings.filter(cross_domain=cross_domain)
    if queue in ("review", "overdue", "check"):
        return filings.order_by("decision_due", "submitted_at", "id")
    if queue == "decided":
        return filings.order_by("-decided_at", "-id")
    return filings.order_by("-submitted_at", "-id")


def queue_counts(*, user: Viewer) -> dict[str, int]:
    """How many filings wait in each of the user's queues (the tabs and the home panel)."""
    return {
        name: filing_queue(user=user, queue=name).count()
        for name in ("check", "review", "overdue", "supplement")
    }


def is_overdue(filing: Filing, today: date | None = None) -> bool:
    """In review past its decision day: the court must file first (先行立案, 登记立案规定
    Art. 8 ¶2)."""
    return (
        filing.status == FilingStatus.REVIEW
        and filing.decision_due is not None
        and filing.decision_due < (today or clock_today())
    )


@dataclass(frozen=True)
class FilingDetail:
    parties: list[FilingParty]
    materials: list[FilingMaterial]
    events: list[Event]
    overdue: bool


def filing_detail(*, filing: Filing) -> FilingDetail:
    return FilingDetail(
        parties=list(filing.parties.select_related("person", "enterprise").order_by("id")),
        materials=list(filing.materials.order_by("supplement_round", "id")),
        events=list(timeline_for(filing).select_related("actor").order_by("id")),
        overdue=is_overdue(filing),
    )


# The largest id a database integer column holds: a bigger one in a URL is simply not found
# (SQLite raises OverflowError on binding it, PostgreSQL a DataError).
LARGEST_ID = 2**63 - 1


def material_get(*, user: Viewer, filing_pk: int, pk: int) -> FilingMaterial:
    if not (0 < filing_pk <= LARGEST_ID and 0 < pk <= LARGEST_ID):
        raise NotFound()
    return access(FilingMaterial.objects.select_related("filing"), user, pk=pk, filing_id=filing_pk)


def divisions_of(court: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(parent=court, kind=OrgKind.DIVISION, is_active=True).order_by(
        "code"
    )


def judges_of(court: OrgUnit) -> QuerySet[User]:
    return (
        User.objects.filter(
            is_active=True,
            org_unit__parent=court,
            org_unit__kind=OrgKind.DIVISION,
            user_roles__role=Role.JUDGE,
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__code", "username")
    )


def courts() -> QuerySet[OrgUnit]:
    """The courts a filing may be made at or for."""
    return (
        OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True)
        .exclude(court_code="")
        .order_by("court_code")
    )


# --- personal data shown in full -----------------------------------------------------------

REVEAL_FIELDS = {
    "id_number": ("id_number_encrypted", "view_full_id_number"),
    "phone": ("phone_encrypted", "view_full_phone"),
    "address": ("address_encrypted", "view_full_address"),
}


def filing_party_reveal(*, user: User, party: FilingParty, field: str) -> str:
    """A party's full ID number, phone or address, for roles that need them (people's
    FULL_DATA_ROLES), within the scope; every showing writes an audit entry."""
    names = REVEAL_FIELDS.get(field)
    if names is None:
        raise NotFound("没有这一项个人信息")
    if not can_view_full_personal_data(user):
        raise PermissionDenied("您的角色无权查看完整的个人信息")
    visible = access(FilingParty.objects.all(), user, pk=party.pk)
    value = decrypt_text(str(getattr(visible, names[0])))
    audit_record(
        actor=user,
        action=names[1],
        subject=visible.filing,
        fields=[f"party:{visible.pk}:{field}"],
        purpose="立案审查核对当事人信息",
    )
    return value


def filing_submitter_phone_reveal(*, user: User, filing: Filing) -> str:
    if not can_view_full_personal_data(user):
        raise PermissionDenied("您的角色无权查看完整的个人信息")
    visible = access(Filing.objects.all(), user, pk=filing.pk)
    audit_record(
        actor=user,
        action="view_full_phone",
        subject=visible,
        fields=["submitter_phone"],
        purpose="立案审查联系提交人",
    )
    return decrypt_text(visible.submitter_phone_encrypted)


# --- the submitter (public pages) ------------------------------------------------------------


def filing_for_supplement(*, number: str, mobile: str, code: str) -> Filing:
    """The filing awaiting a supplement whose number, submitter phone and one-time code all
    match; NotFound with one message whatever did not (nothing tells which)."""
    filing = (
        Filing.objects.select_related("receiving_court", "competent_court")
        .filter(number=number, status=FilingStatus.SUPPLEMENT)
        .first()
    )
    if (
        filing is None
        or not filing.supplement_code_hash
        or not constant_time_compare(filing.submitter_phone_hash, phone_hash(mobile))
        or not constant_time_compare(
            filing.supplement_code_hash, supplement_code_hash(filing, code)
        )
    ):
        raise NotFound("编号、手机号码或补正码不正确，或该申请无需补正")
    return filing
