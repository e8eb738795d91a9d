"""Reads of the public portal. Nothing here is scoped to a user: callers prove their right to
see a request, or a court case or filing, first (number + mobile, a lawyer's licence number,
and an SMS code where a gateway is configured)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from youjie.core.crypto import decrypt_text
from youjie.core.errors import NotFound
from youjie.core.models import Event
from youjie.core.timeline import subject_key
from youjie.courtcases.choices import HearingKind, HearingStatus
from youjie.courtcases.models import CourtCase, Hearing
from youjie.courtcases.numbers import parse_case_number
from youjie.desk.choices import ReplyKind, RequestStatus
from youjie.desk.models import ChecklistVersion, Feedback, MatterType, Reply, ServiceRequest
from youjie.documents.selectors import issued_documents_for
from youjie.fees.selectors import PartyFeeNotice, party_fee_notices
from youjie.filings.choices import FilingStatus, SubmitterKind
from youjie.filings.models import Filing, FilingParty
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit
from youjie.people.identity import phone_hash
from youjie.people.models import PersonPhone

DEFAULT_HOTLINE = "0472-8510389"

# name → (limit, window seconds). Names say what is counted and per what.
DEFAULT_RATE_LIMITS: dict[str, tuple[int, int]] = {
    "submit_ip": (5, 3600),
    "submit_mobile": (3, 3600),
    "track_ip": (20, 600),
    # Per request number, from any address: guessing the mobile of a known number (issue 12).
    "track_number": (10, 3600),
    "feedback_ip": (10, 3600),
    "withdraw_ip": (5, 3600),
    "sms_code_mobile_minute": (1, 60),
    "sms_code_mobile_hour": (5, 3600),
    "sms_code_ip": (10, 3600),
    # Case progress (网上查询): per address, and per case or filing number from any address
    # (guessing which phone is a party's of a known case).
    "case_query_ip": (20, 600),
    "case_query_number": (10, 3600),
    # The fee calculator (youjie.fees: /fees/ and /api/v1/fees/estimate), per address.
    "fee_estimate_ip": (120, 60),
}

# What a citizen reads for each status: plain words rather than the desk's internal terms.
PUBLIC_STATUS_LABELS: dict[str, str] = {
    RequestStatus.REGISTERED: "已受理，正在分派",
    RequestStatus.AWAITING_ACCEPTANCE: "已转承办部门",
    RequestStatus.IN_PROGRESS: "办理中",
    RequestStatus.PAUSED: "暂停计时（等待补充材料或其他机关）",
    RequestStatus.REPLIED: "已答复，待您评价",
    RequestStatus.CLOSED: "已办结",
    RequestStatus.MERGED: "已与其他诉求合并办理",
    RequestStatus.WITHDRAWN: "已撤回",
}
WITHDRAWABLE_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.AWAITING_ACCEPTANCE,
    RequestStatus.IN_PROGRESS,
)


# The steps of a request's timeline its requester sees, in their words. Everything else stays
# inside the court: who handled it, declined transfers, 督办, reminders, overdue marks, return-
# visit planning and the reasons staff gave. "{division}" is the division's name, never a person.
PUBLIC_STEP_LABELS: dict[str, str] = {
    "registered": "诉求已受理登记",
    "routed": "已转交{division}办理",
    "transferred": "已转交{division}办理",
    "accepted": "承办部门已签收，正在办理",
    "checklist_sent": "已向您发送一次告知清单",
    "interim_reply": "法院作出阶段性回复",
    "replied": "法院已答复",
    "replied_on_the_spot": "法院已当场答复",
    "paused": "暂停计时（等待补充材料或其他机关）",
    "resumed": "恢复计时，继续办理",
    "extended": "办理期限已延长",
    "merged": "已与其他诉求合并办理",
    "withdrawn": "您已撤回诉求",
    "feedback_received": "收到您的评价",
    "disputed": "您对答复有异议，已转回继续办理",
    "reopened_by_return_visit": "回访后重新办理",
    "closed": "已办结",
    "closed_by_feedback": "已办结",
    "closed_feedback_window": "评价期满，已办结",
}
SATISFACTION_LABELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}


def public_status_label(status: str) -> str:
    return PUBLIC_STATUS_LABELS.get(status) or RequestStatus(status).label


@dataclass(frozen=True)
class RateRule:
    name: str
    limit: int
    seconds: int


def rate_limit_rules() -> dict[str, RateRule]:
    """The effective rules: defaults overridden by settings; a malformed value fails loudly."""
    configured = getattr(settings, "YOUJIE_PORTAL_RATE_LIMITS", None) or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured(
            "YOUJIE_PORTAL_RATE_LIMITS must be a dict of name → (limit, seconds)"
        )
    rules: dict[str, RateRule] = {}
    for name, value in {**DEFAULT_RATE_LIMITS, **configured}.items():
        try:
            limit, seconds = value
            limit, seconds = int(limit), int(seconds)
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"YOUJIE_PORTAL_RATE_LIMITS[{name!r}] = {value!r}: expected (limit, seconds)"
            ) from exc
        if limit < 1 or seconds < 1 or len(name) > 40:
            raise ImproperlyConfigured(
                f"YOUJIE_PORTAL_RATE_LIMITS[{name!r}] = {value!r}: limit and seconds must be ≥ 1"
            )
        rules[name] = RateRule(name=name, limit=limit, seconds=seconds)
    return rules


def sms_gateway_configured() -> bool:
    """Tracking asks for an SMS code only where a real SMS gateway delivers it."""
    transports: Any = getattr(settings, "YOUJIE_NOTIFY_TRANSPORTS", None) or {}
    return isinstance(transports, dict) and transports.get("sms") == "http_sms"


def portal_court() -> OrgUnit | None:
    """The court the portal serves: ``YOUJIE_PORTAL_COURT_CODE``, else the only court."""
    code = getattr(settings, "YOUJIE_PORTAL_COURT_CODE", "") or ""
    courts = OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True)
    if code:
        return courts.filter(code=code).first()
    found = list(courts.order_by("id")[:2])
    return found[0] if len(found) == 1 else None


def portal_court_code() -> str:
    """Passed to intake; empty lets the desk pick the only court of the deployment."""
    return str(getattr(settings, "YOUJIE_PORTAL_COURT_CODE", "") or "")


def portal_hotline() -> str:
    return str(getattr(settings, "YOUJIE_PORTAL_HOTLINE", "") or DEFAULT_HOTLINE)


def public_matter_types() -> QuerySet[MatterType]:
    """Matter types a citizen may choose, with ``has_checklist`` for the 一次告知 link."""
    return (
        MatterType.objects.filter(is_public=True, is_active=True)
        .annotate(has_checklist=Exists(ChecklistVersion.objects.filter(matter_type=OuterRef("pk"))))
        .order_by("sort_order", "code")
    )


@dataclass
class ChecklistPage:
    checklist: ChecklistVersion
    current_version: int

    @property
    def is_current(self) -> bool:
        return self.checklist.version == self.current_version


def checklist_get(*, code: str, version: int | None = None) -> ChecklistPage:
    """A public matter type's checklist, current or one published version (the SMS links one)."""
    matter_type = MatterType.objects.filter(code=code[:32], is_public=True).first()
    if matter_type is None:
        raise NotFound("未找到该事项的一次告知清单")
    versions = ChecklistVersion.objects.filter(matter_type=matter_type).select_related(
        "matter_type"
    )
    current = versions.order_by("-version").first()
    if current is None:
        raise NotFound("该事项尚未发布一次告知清单")
    checklist = current if version is None else versions.filter(version=version).first()
    if checklist is None:
        raise NotFound("未找到该版本的一次告知清单")
    return ChecklistPage(checklist=checklist, current_version=current.version)


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    label: str


def public_steps(*, service_request: ServiceRequest) -> list[PublicStep]:
    """The request's history as its requester may read it (``PUBLIC_STEP_LABELS``)."""
    subject_type, subject_id = subject_key(service_request)
    events = (
        Event.objects.filter(
            subject_type=subject_type, subject_id=subject_id, verb__in=list(PUBLIC_STEP_LABELS)
        )
        .order_by("id")
        .values_list("verb", "data", "created_at")
    )
    steps = []
    for verb, data, at in events:
        division = data.get("division") if isinstance(data, dict) else ""
        label = PUBLIC_STEP_LABELS[verb].format(division=division or "承办部门")
        steps.append(PublicStep(at=at, label=label))
    return steps


@dataclass
class TrackedRequest:
    service_request: ServiceRequest
    status_label: str
    replies: list[Reply]
    feedback_token: str  # non-empty while a rating is awaited
    can_withdraw: bool
    steps: list[PublicStep]
    rating: Feedback | None  # the rating given, once given
    rating_label: str


def tracked_request(*, number: str) -> TrackedRequest | None:
    """What the requester sees once verified: status, deadlines, the public steps, replies,
    the rating awaited or given."""
    found = (
        ServiceRequest.objects.select_related("matter_type", "division", "merged_into")
        .filter(number=number[:20])
        .first()
    )
    if found is None:
        return None
    replies = list(Reply.objects.filter(service_request=found).order_by("id"))
    feedback = Feedback.objects.filter(service_request=found).first()
    token = ""
    if found.status == RequestStatus.REPLIED and feedback and feedback.submitted_at is None:
        token = feedback.token
    rating = feedback if feedback is not None and feedback.submitted_at is not None else None
    return TrackedRequest(
        service_request=found,
        status_label=public_status_label(found.status),
        replies=replies,
        feedback_token=token,
        can_withdraw=found.status in WITHDRAWABLE_STATUSES,
        steps=public_steps(service_request=found),
        rating=rating,
        rating_label=SATISFACTION_LABELS.get(rating.satisfaction or 0, "") if rating else "",
    )


def requester_mobile(*, number: str) -> str:
    """The mobile a request was submitted with, to fill the tracking form on the device that
    submitted it (views check that first, ``access.submitted_recently``)."""
    found = ServiceRequest.objects.filter(number=number[:20]).values_list(
        "requester_mobile_encrypted", flat=True
    )
    encrypted = found.first()
    return decrypt_text(encrypted) if encrypted else ""


def latest_answer(*, service_request: ServiceRequest) -> Reply | None:
    """The answer a rating is about: the latest one that is not an interim reply."""
    return (
        Reply.objects.filter(service_request=service_request)
        .exclude(kind=ReplyKind.INTERIM)
        .order_by("-id")
        .first()
    )


def feedback_by_token(*, token: str) -> Feedback | None:
    if not token or len(token) > 64:
        return None
    return (
        Feedback.objects.select_related("service_request", "service_request__matter_type")
        .filter(token=token)
        .first()
    )


# --- Case progress for parties (网上查询) ------------------------------------------------------

FILING_NUMBER_PATTERN = re.compile(r"^网立\d{4}-\d{6}$")
LICENCE_PATTERN = re.compile(r"^\d{17}$")

# A filing's steps as a party reads them, by the state each event moved it to.
PUBLIC_FILING_STATES: dict[str, str] = {
    FilingStatus.RECEIVED: "协作法院已收到立案申请，正在核对材料",
    FilingStatus.REVIEW: "立案申请正在审查",
    FilingStatus.SUPPLEMENT: "法院通知补正材料",
    FilingStatus.MEDIATION: "已转诉前调解",
    FilingStatus.ACCEPTED: "法院已登记立案",
    FilingStatus.REFUSED: "法院决定不予受理",
    FilingStatus.WITHDRAWN: "立案申请已撤回",
    FilingStatus.TREATED_WITHDRAWN: "未按期交纳诉讼费用，按撤诉处理",
    FilingStatus.SETTLED: "调解结案",
}
PUBLIC_HEARING_STATUS: dict[str, str] = {
    HearingStatus.SCHEDULED: "待开庭",
    HearingStatus.HELD: "已开庭",
    HearingStatus.POSTPONED: "已延期",
    HearingStatus.CANCELLED: "已取消",
}


def case_key_normalise(raw: str) -> str:
    """The canonical case number or filing number for what a person typed; "" when it is
    neither (a malformed number, before any lookup)."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw[:60]))
    if FILING_NUMBER_PATTERN.match(text):
        return text
    try:
        return parse_case_number(raw[:60]).canonical
    except ValidationError:
        return ""


@dataclass(frozen=True)
class CaseSubject:
    """What a party asks about: a court case (with the filing it came from, if any), or a
    filing that has no court case yet."""

    court_case: CourtCase | None
    filing: Filing | None

    @property
    def key(self) -> str:
        """The number the verification is remembered by (the case's once there is one)."""
        if self.court_case is not None:
            return self.court_case.case_number
        assert self.filing is not None
        return self.filing.number


def case_subject_find(*, key: str) -> CaseSubject | None:
    """The court case or filing named by a canonical number (``case_key_normalise``)."""
    if not key:
        return None
    if FILING_NUMBER_PATTERN.match(key):
        filing = (
            Filing.objects.select_related("court_case", "competent_court", "receiving_court")
            .filter(number=key)
            .first()
        )
        if filing is None:
            return None
        return CaseSubject(court_case=filing.court_case, filing=filing)
    court_case = (
        CourtCase.objects.select_related("court", "division", "judge")
        .filter(case_number=key[:40])
        .first()
    )
    if court_case is None:
        return None
    filing = (
        Filing.objects.select_related("competent_court", "receiving_court")
        .filter(court_case=court_case)
        .first()
    )
    return CaseSubject(court_case=court_case, filing=filing)


def case_identity_check(*, subject: CaseSubject, mobile: str, lawyer_licence: str | None) -> bool:
    """Whether the caller is a party of the case or its lawyer, by what is on file:

    - the mobile must be a phone of a person named as a party of the court case (matched by
      its keyed hash, youjie.people.identity.phone_hash), or the filing's submitter phone;
    - a lawyer (``lawyer_licence`` given) must also give the licence number the filing names
      (``Filing.lawyer_licence_number``) or an agent's on one of its parties;
    - a filing submitted by a lawyer does not let its submitter phone in without the licence
      (choosing "party" cannot skip the lawyer's check).

    One answer for every way of failing: the caller is told nothing of which (views)."""
    digest = phone_hash(mobile)
    party_phone = subject.court_case is not None and (
        PersonPhone.objects.filter(
            number_hash=digest, person__case_parties__court_case=subject.court_case
        ).exists()
    )
    filing = subject.filing
    submitter_phone = filing is not None and constant_time_compare(
        filing.submitter_phone_hash, digest
    )
    if lawyer_licence is None:
        by_lawyer = filing is not None and filing.submitter_kind == SubmitterKind.LAWYER
        return party_phone or (submitter_phone and not by_lawyer)
    if not (party_phone or submitter_phone) or filing is None:
        return False
    licences = {filing.lawyer_licence_number} | set(
        FilingParty.objects.filter(filing=filing).values_list("agent_licence_number", flat=True)
    )
    licences.discard("")
    return any(constant_time_compare(lawyer_licence, licence) for licence in licences)


@dataclass(frozen=True)
class PublicHearing:
    at: datetime
    kind_label: str
    status_label: str
    is_online: bool
    link: str  # only for a hearing still to come
    courtroom: str
    duration_minutes: int


@dataclass(frozen=True)
class PublicDocument:
    title: str
    number: str
    issued_at: datetime


@dataclass
class CaseProgress:
    key: str
    court_case: CourtCase | None
    filing: Filing | None
    stage_label: str
    court_name: str
    division_name: str
    judge_name: str
    filing_status_label: str
    filing_steps: list[PublicStep]
    supplement_items: list[str]
    decision: str
    hearings: list[PublicHearing]
    documents: list[PublicDocument]
    # The case's 缴费通知书 (youjie.fees: status, amount due, last day, the pay page if unpaid).
    fee_notices: list[PartyFeeNotice]

    @property
    def shown(self) -> list[str]:
        """What the page shows, for the audit record."""
        parts = ["stage", "court", "judge"] if self.court_case is not None else []
        if self.filing is not None:
            parts += ["filing_status", "filing_steps"]
        fees = ["fees"] if self.fee_notices else []
        return [*parts, "hearings", "documents", *fees]


def _filing_steps(filing: Filing) -> list[PublicStep]:
    subject_type, subject_id = subject_key(filing)
    events = (
        Event.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .exclude(to_state="")
        .order_by("id")
        .values_list("to_state", "created_at")
    )
    steps = [PublicStep(at=filing.submitted_at, label="提交立案申请")]
    for state, at in events:
        label = PUBLIC_FILING_STATES.get(state)
        if label and (not steps or steps[-1].label != label):
            steps.append(PublicStep(at=at, label=label))
    return steps


def _decision(filing: Filing) -> str:
    if filing.status == FilingStatus.ACCEPTED and filing.court_case is not None:
        return f"已登记立案，案号{filing.court_case.case_number}"
    if filing.status == FilingStatus.REFUSED:
        return "不予受理" + (f"：{filing.refusal_reason}" if filing.refusal_reason else "")
    return ""


def _public_hearings(court_case: CourtCase, now: datetime) -> list[PublicHearing]:
    found = Hearing.objects.filter(court_case=court_case).order_by("scheduled_at", "id")
    return [
        PublicHearing(
            at=hearing.scheduled_at,
            kind_label=hearing.get_kind_display(),
            status_label=PUBLIC_HEARING_STATUS.get(hearing.status, hearing.get_status_display()),
            is_online=hearing.kind == HearingKind.ONLINE,
            link=hearing.hearing_link
            if hearing.status == HearingStatus.SCHEDULED
            and hearing.scheduled_at + timedelta(minutes=hearing.duration_minutes) > now
            else "",
            courtroom=hearing.courtroom,
            duration_minutes=hearing.duration_minutes,
        )
        for hearing in found
    ]


def _documents(subjects: list[Any]) -> list[PublicDocument]:
    documents: list[PublicDocument] = []
    for subject in subjects:
        documents += [
            PublicDocument(
                title=document.title, number=document.number, issued_at=document.issued_at
            )
            for document in issued_documents_for(subject)
        ]
    return sorted(documents, key=lambda document: document.issued_at)


def case_progress(*, subject: CaseSubject, now: datetime | None = None) -> CaseProgress:
    """What a verified party sees: the case's stage, court, division and judge (name only), the
    filing's status and steps (for a filing without a case: supplement items, decision), the
    hearings (an online one's link while it is to come), the documents issued, the fee notices
    (``youjie.fees.selectors.party_fee_notices``)."""
    now = now or timezone.now()
    court_case, filing = subject.court_case, subject.filing
    judge = court_case.judge if court_case is not None else None
    return CaseProgress(
        key=subject.key,
        court_case=court_case,
        filing=filing,
        stage_label=court_case.get_stage_display() if court_case is not None else "",
        court_name=(court_case.court.name if court_case is not None else "")
        or (filing.competent_court.name if filing is not None else ""),
        division_name=court_case.division.name
        if court_case is not None and court_case.division is not None
        else "",
        judge_name=(judge.display_name or judge.get_full_name()) if judge is not None else "",
        filing_status_label=filing.get_status_display() if filing is not None else "",
        filing_steps=_filing_steps(filing) if filing is not None else [],
        supplement_items=[str(item) for item in filing.supplement_items]
        if filing is not None
        and filing.status == FilingStatus.SUPPLEMENT
        and isinstance(filing.supplement_items, list)
        else [],
        decision=_decision(filing) if filing is not None else "",
        hearings=_public_hearings(court_case, now) if court_case is not None else [],
        documents=_documents([s for s in (court_case, filing) if s is not None]),
        fee_notices=party_fee_notices(court_case=court_case) if court_case is not None else [],
    )
