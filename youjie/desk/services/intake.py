"""Intake: every channel creates a request here (DESIGN.md flows 1–3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from youjie.core.crypto import decrypt_text, encrypt_text
from youjie.core.errors import NotFound, ValidationFailed
from youjie.core.idempotency import idempotent_lookup, idempotent_store
from youjie.core.models import Event
from youjie.core.textsearch import segment
from youjie.core.timeline import event_build, events_record
from youjie.courtcases import parse_case_number
from youjie.courtcases.models import CourtCase
from youjie.desk.choices import Channel, Priority, RequestCategory, RequestStatus, RoutingRule
from youjie.desk.deadlines import compute_deadlines
from youjie.desk.models import CONTENT_MAX, TITLE_MAX, MatterType, ServiceRequest
from youjie.desk.policy import desk_policy
from youjie.desk.search import search_index_write, search_words
from youjie.desk.services.common import (
    next_request_number,
    notify_requester,
    portal_link,
    transition_apply,
)
from youjie.desk.services.workflow import routing_assign, routing_notify
from youjie.orgs.choices import LineKind, OrgKind
from youjie.orgs.models import Line, OrgUnit, User
from youjie.orgs.scoping import court_of_user, nearest_unit, scope_queryset, user_scope
from youjie.people.identity import phone_hash
from youjie.people.models import Person, PersonPhone
from youjie.people.validators import mask_mobile, normalize_mobile


@dataclass
class IntakeData:
    channel: str
    matter_type_code: str
    title: str
    content: str
    requester_name: str
    requester_mobile: str = ""
    requester_id: int | None = None
    line_number: str = ""
    related_case_number: str = ""
    court_code: str = ""
    received_at: datetime | None = None
    route: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Cleaned:
    matter_type: MatterType
    title: str
    content: str
    requester_name: str
    mobile: str
    requester: Person | None
    line: Line | None
    related_case: CourtCase | None
    court: OrgUnit
    received_at: datetime
    unmatched_case_number: str = ""


def _is_staff(actor: User | None) -> bool:
    """A staff member registering (not an integration's service account, not a public channel)."""
    return actor is not None and not actor.is_service_account


def _clean(*, actor: User | None, data: IntakeData) -> _Cleaned:
    errors: dict[str, list[str]] = {}
    if data.channel not in _CHANNELS:
        errors["channel"] = ["未知的渠道"]
    matter_type = _active_matter_type(data.matter_type_code)
    if matter_type is None:
        errors["matter_type"] = [f"未知或已停用的事项类型：{data.matter_type_code[:32]}"]
    title = data.title.strip()
    content = data.content.strip()
    name = data.requester_name.strip()
    if not title:
        errors["title"] = ["标题不能为空"]
    elif len(title) > TITLE_MAX:
        errors["title"] = [f"标题不能超过{TITLE_MAX}字"]
    if not content:
        errors["content"] = ["内容不能为空"]
    elif len(content) > CONTENT_MAX:
        errors["content"] = [f"内容不能超过{CONTENT_MAX}字"]
    if not name:
        errors["requester_name"] = ["诉求人姓名不能为空"]
    elif len(name) > 50:
        errors["requester_name"] = ["姓名不能超过50字"]
    mobile = ""
    if data.requester_mobile.strip():
        try:
            mobile = normalize_mobile(data.requester_mobile)
        except ValidationError as exc:
            errors["requester_mobile"] = [str(m) for m in exc.messages]
    requester: Person | None = None
    if data.requester_id is not None:
        try:
            requester = Person.objects.get(pk=data.requester_id)
        except Person.DoesNotExist:
            errors["requester_id"] = ["人员档案不存在"]
    line: Line | None = None
    if data.line_number:
        try:  # ``number`` is unique
            line = Line.objects.select_related("owner_user", "owner_unit").get(
                number=data.line_number.strip()[:20], is_active=True
            )
        except Line.DoesNotExist:
            line = None
        if line is not None and actor is not None and not _line_in_scope(line, actor):
            line = None  # another court's line answers exactly as an unknown one (issue 12)
        if line is None:
            errors["line"] = ["未登记的线路号码"]
    related_case: CourtCase | None = None
    unmatched_case_number = ""
    raw_case_number = data.related_case_number.strip()[:40]
    if raw_case_number:
        case_errors: list[str] = []
        try:
            parsed = parse_case_number(raw_case_number)
        except ValidationError as exc:
            case_errors = [str(m) for m in exc.messages]
        else:
            cases = CourtCase.objects.select_related("court", "division", "judge")
            if actor is not None:
                # Staff and integrations name cases within their scope only: a case outside it
                # answers exactly as an unknown number (issue 12, item 2).
                cases = scope_queryset(cases, actor)
            elif data.court_code:
                # A public channel for one court does not link (and show the judge of) another
                # court's case.
                cases = cases.filter(court__code=data.court_code)
            related_case = cases.filter(case_number=parsed.canonical).first()
            if related_case is None:
                case_errors = [f"未找到案件：{parsed.canonical}"]
        if case_errors and actor is not None:
            errors["related_case_number"] = case_errors
        elif case_errors:
            # A citizen's mistyped or unknown case number (portal, WeChat) must not block the
            # request: it is kept in the content for the staff member who routes it. Staff and
            # integrations get a field error instead.
            unmatched_case_number = raw_case_number
    court = _resolve_court(actor=actor, data=data, line=line, related_case=related_case)
    if court is None:
        errors.setdefault("court", ["无法确定受理法院"])
    if errors:
        raise ValidationFailed("诉求登记信息有误", fields=errors)
    assert matter_type is not None and court is not None
    return _Cleaned(
        matter_type=matter_type,
        title=title,
        content=content,
        requester_name=name,
        mobile=mobile,
        requester=requester,
        line=line,
        related_case=related_case,
        court=court,
        received_at=data.received_at or timezone.now(),
        unmatched_case_number=unmatched_case_number,
    )


def _line_in_scope(line: Line, actor: User) -> bool:
    """The actor's own line, or a line of a unit within the actor's scope."""
    if line.owner_user_id == actor.pk:
        return True
    scope = user_scope(actor)
    return scope.everything or any(
        line.owner_unit.path.startswith(path) for path in scope.unit_paths
    )


def _resolve_court(
    *, actor: User | None, data: IntakeData, line: Line | None, related_case: CourtCase | None
) -> OrgUnit | None:
    if data.court_code:
        try:  # ``code`` is unique
            return OrgUnit.objects.get(code=data.court_code, kind=OrgKind.COURT)
        except OrgUnit.DoesNotExist:
            return None
    if related_case is not None:
        return related_case.court
    if line is not None:
        return nearest_unit(line.owner_unit, OrgKind.COURT)
    court = court_of_user(actor) if actor is not None else None
    if court is not None:
        return court
    # Public channels of a single-court deployment: the only court.
    courts = list(OrgUnit.objects.filter(kind=OrgKind.COURT, is_active=True)[:2])
    return courts[0] if len(courts) == 1 else None


_CHANNELS = frozenset(Channel.values)  # Channel.values builds a new list on every use
# What repeat detection compares, per earlier request of the same requester.
_REPEAT_COLUMNS = ("id", "title", "content", "related_case_id", "matter_type_id", "repeat_of_id")


def _active_matter_type(code: str) -> MatterType | None:
    """The active matter type with its default division (what routing by matter type needs)."""
    # ``code`` is unique: ``get()``, not ``first()`` (whose ORDER BY sort_order, code would be
    # compiled to order one row).
    try:
        return MatterType.objects.select_related("default_division").get(code=code, is_active=True)
    except MatterType.DoesNotExist:
        return None


def _find_requester(mobile_hash: str) -> Person | None:
    """The one person with this phone on file (none if nobody or several share it)."""
    if not mobile_hash:
        return None
    # A person has a number once (unique person, number_hash): two phone rows are two people.
    # Read from the phones with their person joined (one statement, no subquery), unordered:
    # only whether there is exactly one matters, not which comes first.
    phones = list(
        PersonPhone.objects.select_related("person")
        .only("person")
        .filter(number_hash=mobile_hash)[:2]
    )
    return phones[0].person if len(phones) == 1 else None


def _is_priority(*, channel: str, line: Line | None, person: Person | None) -> bool:
    """Deputies and CPPCC members, or anyone on their dedicated line, get the priority line."""
    if channel == Channel.DEPUTIES_LINE:
        return True
    if line is not None and line.kind == LineKind.DEPUTIES:
        return True
    return bool(person and (person.is_deputy or person.is_cppcc_member))


def _similarity(words: set[str], other: str) -> float:
    other_words = set(segment(other))
    if not words or not other_words:
        return 0.0
    return len(words & other_words) / len(words | other_words)


def _find_repeat(service_request: ServiceRequest, *, words: list[str]) -> ServiceRequest | None:
    """The earliest similar request of the same requester (ID/person or phone) in the window.

    ``service_request`` is not saved yet; ``words`` are its title's and content's words."""
    policy = desk_policy()
    since = timezone.now() - timedelta(days=policy.repeat_window_days)
    if service_request.requester_id is not None:
        earlier = ServiceRequest.objects.filter(
            created_at__gte=since, requester_id=service_request.requester_id
        )
    elif service_request.requester_mobile_hash:
        earlier = ServiceRequest.objects.filter(
            created_at__gte=since, requester_mobile_hash=service_request.requester_mobile_hash
        )
    else:
        return None
    candidates = earlier.order_by("id").values_list(*_REPEAT_COLUMNS)[:50]
    own_words = set(words)
    for candidate_id, title, content, related_case_id, matter_type_id, repeat_of_id in candidates:
        same_case = (
            related_case_id is not None
            and related_case_id == service_request.related_case_id
            and matter_type_id == service_request.matter_type_id
        )
        if same_case or _similarity(own_words, f"{title} {content}") >= policy.repeat_similarity:
            # A repeat of a repeat counts against the first request.
            return ServiceRequest.objects.get(pk=repeat_of_id or candidate_id)
    return None


def _route_target(
    service_request: ServiceRequest,
) -> tuple[OrgUnit | None, User | None, str]:
    """Routing: related case → its judge and division; line → its owner; matter type → division."""
    case = service_request.related_case
    if case is not None and (case.judge_id or case.division_id):
        return case.division, case.judge, RoutingRule.CASE
    line = service_request.line
    if line is not None and line.owner_user_id is not None:
        owner = line.owner_user
        division = owner.org_unit if owner is not None else line.owner_unit
        return division, owner, RoutingRule.LINE
    default_division = service_request.matter_type.default_division
    if default_division is not None:
        return default_division, None, RoutingRule.MATTER_TYPE
    return None, None, ""


def _primary_mobile(person: Person) -> str:
    phone = person.phones.order_by("-is_primary", "id").first()
    return decrypt_text(phone.number_encrypted) if phone is not None else ""


@dataclass
class _Routing:
    user: User | None
    reason: str
    data: dict[str, str]


@dataclass
class _Plan:
    """A registration decided before its transaction opens: only the writes are left."""

    service_request: ServiceRequest  # complete but for its number; not saved
    registered_data: dict[str, Any]
    mobile: str  # the requester's, in clear: the SMS goes to it
    words: list[str]  # for the search index
    repeat: ServiceRequest | None
    routing: _Routing | None


def _plan(*, actor: User | None, data: IntakeData, cleaned: _Cleaned) -> _Plan:
    """Every read and all the CPU work of a registration (requester, deadlines, encryption,
    repeat detection, routing, segmentation), done before the transaction: on SQLite the
    transaction holds the database's one write lock (BEGIN IMMEDIATE) until it commits."""
    mobile_hash = phone_hash(cleaned.mobile) if cleaned.mobile else ""
    requester = cleaned.requester or _find_requester(mobile_hash)
    if not cleaned.mobile and requester is not None:
        # A known person's registered phone receives the number, the answer and the feedback link.
        cleaned.mobile = _primary_mobile(requester)
        mobile_hash = phone_hash(cleaned.mobile) if cleaned.mobile else ""
    priority = (
        Priority.PRIORITY
        if _is_priority(channel=data.channel, line=cleaned.line, person=requester)
        else Priority.NORMAL
    )
    deadlines = compute_deadlines(
        matter_type=cleaned.matter_type, priority=priority, received_at=cleaned.received_at
    )
    if cleaned.unmatched_case_number:
        note = f"（所述案号：{cleaned.unmatched_case_number}，未在案件库中找到）"
        cleaned.content = f"{cleaned.content}\n{note}"
    staff = actor if _is_staff(actor) else None
    service_request = ServiceRequest(
        channel=data.channel,
        line=cleaned.line,
        requester=requester,
        requester_name=cleaned.requester_name,
        requester_mobile_encrypted=encrypt_text(cleaned.mobile),
        requester_mobile_hash=mobile_hash,
        requester_mobile_masked=mask_mobile(cleaned.mobile) if cleaned.mobile else "",
        matter_type=cleaned.matter_type,
        category=cleaned.matter_type.category,
        title=cleaned.title,
        content=cleaned.content,
        related_case=cleaned.related_case,
        court=cleaned.court,
        first_contact=staff,
        status=RequestStatus.REGISTERED,
        priority=priority,
        # In UTC, as the database gives them back: the API answers a create from this object.
        first_response_due=deadlines.first_response_due.astimezone(UTC),
        completion_due=deadlines.completion_due.astimezone(UTC),
        calendar_warning=deadlines.warning,
        created_by=staff,
    )
    words = search_words(title=service_request.title, content=service_request.content)
    repeat = _find_repeat(service_request, words=words)
    service_request.repeat_of = repeat
    routing = None
    if data.route:
        division, user, rule = _route_target(service_request)
        if division is not None or user is not None:
            # Inserted already routed (one INSERT, not INSERT + UPDATE); both events are written.
            transition_apply(
                service_request=service_request, to_status=RequestStatus.AWAITING_ACCEPTANCE
            )
            routing = _Routing(
                user=user,
                reason=f"自动分派（{RoutingRule(rule).label}）",
                data=routing_assign(
                    service_request=service_request, division=division, user=user, rule=rule
                ),
            )
    return _Plan(
        service_request=service_request,
        registered_data={
            "channel": data.channel,
            "line": cleaned.line.number if cleaned.line else "",
            "priority": priority,
            "first_response_due": deadlines.first_response_due.isoformat(),
            "completion_due": deadlines.completion_due.isoformat(),
        },
        mobile=cleaned.mobile,
        words=words,
        repeat=repeat,
        routing=routing,
    )


def _write(*, actor: User | None, data: IntakeData, plan: _Plan) -> list[Event]:
    """The registration's writes, in the caller's transaction; returns the events written."""
    service_request = plan.service_request
    service_request.number = next_request_number()
    service_request.save(force_insert=True)
    events = [
        event_build(
            subject=service_request,
            verb="registered",
            actor=actor if _is_staff(actor) else f"{Channel(data.channel).label}",
            to_state=RequestStatus.REGISTERED,
            data=plan.registered_data,
        )
    ]
    repeat = plan.repeat
    if repeat is not None:
        ServiceRequest.objects.filter(pk=repeat.pk).update(repeat_count=F("repeat_count") + 1)
        events.append(
            event_build(
                subject=service_request,
                verb="flagged_repeat",
                actor="系统",
                data={"repeat_of": repeat.number, "repeat_count": repeat.repeat_count + 1},
            )
        )
    routing = plan.routing
    if routing is not None:
        events.append(
            event_build(
                subject=service_request,
                verb="routed",
                actor=actor,
                from_state=RequestStatus.REGISTERED,
                to_state=RequestStatus.AWAITING_ACCEPTANCE,
                reason=routing.reason,
                data=routing.data,
            )
        )
    events_record(events)
    search_index_write(request_id=service_request.pk, words=plan.words)
    # A missed call is the court's item to call back, not something the caller registered.
    if service_request.category != RequestCategory.CALLBACK:
        notify_requester(
            service_request=service_request,
            template="desk.registered",
            fields={"number": service_request.number, "track_url": portal_link("/portal/track/")},
            key="registered",
            mobile=plan.mobile,
        )
    if routing is not None:
        routing_notify(service_request=service_request, user=routing.user)
    return events


@dataclass(frozen=True)
class Registration:
    service_request: ServiceRequest
    created: bool
    # The events this call wrote, in order (empty when an idempotent retry created nothing).
    events: list[Event]


def service_request_register(
    *,
    actor: User | None,
    data: IntakeData,
    idempotency_key: str = "",
    idempotency_scope: str = "",
    body_hash: str = "",
) -> Registration:
    """Register a request from any channel.

    With an idempotency key, a retry with the same key and body returns the first request and
    creates nothing; the same key with a different body is refused (409).
    """
    if idempotency_key:
        earlier = idempotent_lookup(
            scope=idempotency_scope, key=idempotency_key, body_hash=body_hash
        )
        if earlier is not None:
            return Registration(_existing(earlier.result_id), created=False, events=[])
    cleaned = _clean(actor=actor, data=data)
    plan = _plan(actor=actor, data=data, cleaned=cleaned)
    try:
        with transaction.atomic():
            events = _write(actor=actor, data=data, plan=plan)
            if idempotency_key:
                idempotent_store(
                    scope=idempotency_scope,
                    key=idempotency_key,
                    body_hash=body_hash,
                    result=plan.service_request,
                )
    except IntegrityError:
        # A concurrent retry with the same key won the race: return what it created.
        if not idempotency_key:
            raise
        earlier = idempotent_lookup(
            scope=idempotency_scope, key=idempotency_key, body_hash=body_hash
        )
        if earlier is None:
            raise
        return Registration(_existing(earlier.result_id), created=False, events=[])
    return Registration(plan.service_request, created=True, events=events)


def service_request_create(
    *,
    actor: User | None,
    data: IntakeData,
    idempotency_key: str = "",
    idempotency_scope: str = "",
    body_hash: str = "",
) -> tuple[ServiceRequest, bool]:
    """``service_request_register`` for callers that need the request only: (request, created)."""
    registration = service_request_register(
        actor=actor,
        data=data,
        idempotency_key=idempotency_key,
        idempotency_scope=idempotency_scope,
        body_hash=body_hash,
    )
    return registration.service_request, registration.created


def _existing(result_id: str) -> ServiceRequest:
    try:
        return ServiceRequest.objects.get(pk=int(result_id))
    except ServiceRequest.DoesNotExist:
        raise NotFound() from None


__all__ = [
    "IntakeData",
    "Registration",
    "service_request_create",
    "service_request_register",
]
