"""Reads for persons and enterprises, always within the user's scope.

Identifiers are looked up by the keyed hash of their canonical form: an ID number or a mobile
number in any spelling (full-width, spaces, +86, legacy 15 digits) finds the same row, and no
query ever compares clear personal data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from youjie.core.audit import audit_record
from youjie.core.crypto import decrypt_text
from youjie.core.errors import NotFound, PermissionDenied, ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.orgs.models import User
from youjie.orgs.scoping import access, can_see, scope_queryset
from youjie.people.dossier import DossierSection, dossier_sections
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Enterprise, Person, PersonPhone
from youjie.people.permissions import can_view_full_personal_data
from youjie.people.validators import normalize_mobile, validate_resident_id, validate_uscc

QUERY_MAX_LENGTH = 50
SEARCH_LIMIT_MAX = 200


class QueryKind(StrEnum):
    EMPTY = "empty"
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    NAME = "name"
    INVALID_NUMBER = "invalid_number"


QUERY_KIND_LABELS = {
    QueryKind.EMPTY: "最近登记",
    QueryKind.ID_NUMBER: "按身份证号精确查找",
    QueryKind.MOBILE: "按手机号码精确查找",
    QueryKind.NAME: "按姓名查找",
    QueryKind.INVALID_NUMBER: "不是有效的身份证号或手机号码",
}

_NUMBER_LIKE = re.compile(r"^\+?[0-9]+[0-9Xx]?$")
_QUERY_NOISE = re.compile(r"[\s\-()（）]")


def classify_person_query(query: str) -> tuple[QueryKind, str]:
    """What a search box entry is, and its canonical form: an ID number, a mobile or a name.

    Digit strings are never matched against names: a number that is neither a valid ID nor a
    valid mobile is reported as such rather than silently finding nothing.
    """
    text = " ".join((query or "").split())
    if not text:
        return QueryKind.EMPTY, ""
    compact = _QUERY_NOISE.sub("", unicodedata.normalize("NFKC", text))
    if not _NUMBER_LIKE.match(compact):
        return QueryKind.NAME, text
    if len(compact) in (15, 18):
        try:
            return QueryKind.ID_NUMBER, validate_resident_id(compact)
        except ValidationError:
            pass  # "0086" + 11 digits is 15 characters too
    try:
        return QueryKind.MOBILE, normalize_mobile(compact)
    except ValidationError:
        return QueryKind.INVALID_NUMBER, ""


def _phones_prefetch() -> Prefetch[Any]:
    return Prefetch("phones", queryset=PersonPhone.objects.order_by("-is_primary", "id"))


def visible_persons(*, user: Viewer) -> QuerySet[Person]:
    """Every person ``user`` may see, with what a list row shows loaded up front."""
    base = Person.objects.select_related("region", "owner_unit").prefetch_related(
        _phones_prefetch()
    )
    return scope_queryset(base, user)


def access_person(*, user: Viewer, person_id: int) -> Person:
    """The person with ``person_id`` if ``user`` may see them, else NotFound (404)."""
    return access(visible_persons(user=user), user, pk=person_id)


def person_search_queryset(*, user: Viewer, query: str) -> QuerySet[Person]:
    """Scoped persons matching ``query`` (ID number, mobile or name fragment), newest first.

    An empty query lists the most recently registered persons in scope.
    """
    if len(query or "") > QUERY_MAX_LENGTH:
        raise ValidationFailed(
            f"查询内容不能超过{QUERY_MAX_LENGTH}个字",
            fields={"q": [f"查询内容不能超过{QUERY_MAX_LENGTH}个字"]},
        )
    kind, value = classify_person_query(query)
    persons = visible_persons(user=user).order_by("-id")
    if kind is QueryKind.ID_NUMBER:
        return persons.filter(id_number_hash=id_number_hash(value))
    if kind is QueryKind.MOBILE:
        holders = PersonPhone.objects.filter(number_hash=phone_hash(value)).values("person_id")
        return persons.filter(pk__in=holders)
    if kind is QueryKind.NAME:
        return persons.filter(name__icontains=value)
    if kind is QueryKind.EMPTY:
        return persons
    return persons.none()


def person_search(*, user: Viewer, query: str, limit: int = 50) -> list[Person]:
    limit = max(1, min(limit, SEARCH_LIMIT_MAX))
    return list(person_search_queryset(user=user, query=query)[:limit])


def person_find_by_mobile(*, user: Viewer, mobile: str) -> list[Person]:
    """Persons in scope holding ``mobile`` (a phone may be shared in a family).

    An invalid or non-mobile number (a landline, a withheld caller id) finds nobody.
    """
    try:
        canonical = normalize_mobile(mobile)
    except ValidationError:
        return []
    holders = PersonPhone.objects.filter(number_hash=phone_hash(canonical)).values("person_id")
    return list(visible_persons(user=user).filter(pk__in=holders).order_by("-id"))


def person_find_by_id_number(*, user: Viewer, id_number: str) -> Person | None:
    """The person in scope with this resident ID (18 or legacy 15 digits), or None."""
    try:
        canonical = validate_resident_id(id_number)
    except ValidationError:
        return None
    return visible_persons(user=user).filter(id_number_hash=id_number_hash(canonical)).first()


# --- revealing full personal data --------------------------------------------------------

REVEAL_ACTIONS = {
    "id_number": "view_full_id_number",
    "phone": "view_full_phone",
    "address": "view_full_address",
}


def person_reveal(
    *,
    user: User,
    person: Person,
    field: str,
    phone: PersonPhone | None = None,
    purpose: str = "",
) -> str:
    """The full, decrypted ``field`` ("id_number", "phone" or "address") of ``person``.

    Only roles in ``permissions.FULL_DATA_ROLES`` may; every showing writes an audit entry
    (DESIGN.md: "every view of a full ID number is logged"). For "phone", ``phone`` picks the
    number (it must belong to ``person``); without it the primary number is shown.
    """
    action = REVEAL_ACTIONS.get(field)
    if action is None:
        raise NotFound("没有这一项个人信息")
    if not can_view_full_personal_data(user):
        raise PermissionDenied("您的角色无权查看完整的个人信息")
    if not can_see(person, user):
        raise NotFound()
    audit_fields = [field]
    if field == "id_number":
        value = decrypt_text(person.id_number_encrypted)
    elif field == "address":
        value = decrypt_text(person.address_encrypted)
    else:
        if phone is None:
            phone = person.phones.order_by("-is_primary", "id").first()
        elif phone.person_id != person.pk:
            raise NotFound("没有这一号码")
        value = decrypt_text(phone.number_encrypted) if phone is not None else ""
        if phone is not None:
            audit_fields = [f"phone:{phone.pk}"]
    audit_record(actor=user, action=action, subject=person, fields=audit_fields, purpose=purpose)
    return value


# --- the dossier (一人一档) ------------------------------------------------------------------


EVENT_VERB_LABELS = {
    "created": "登记",
    "updated": "修改信息",
    "phone_added": "添加联系电话",
}


@dataclass(frozen=True)
class TimelineEntry:
    event: Event
    label: str


def timeline_entries(subject: Person | Enterprise) -> list[TimelineEntry]:
    """The subject's timeline with Chinese labels for the verbs this app writes."""
    return [
        TimelineEntry(event=event, label=EVENT_VERB_LABELS.get(event.verb, event.verb))
        for event in timeline_for(subject)
    ]


@dataclass
class Dossier:
    person: Person
    phones: list[PersonPhone]
    sections: list[DossierSection]
    events: list[TimelineEntry]
    can_view_full_data: bool
    flags: list[str] = field(default_factory=list)


def dossier_for(*, user: Viewer, person: Person) -> Dossier:
    """Everything about ``person`` that ``user`` may see: masked identity, phones, flags, the
    sections other apps register (``youjie.people.dossier``) and the timeline."""
    if not can_see(person, user):
        raise NotFound()
    return Dossier(
        person=person,
        # Sorted here so that the prefetched list from ``visible_persons`` is used as it is.
        phones=sorted(person.phones.all(), key=lambda phone: (not phone.is_primary, phone.pk)),
        sections=dossier_sections(user=user, person=person),
        events=timeline_entries(person),
        can_view_full_data=can_view_full_personal_data(user),
        flags=person.flag_labels,
    )


# --- enterprises -------------------------------------------------------------------------


def visible_enterprises(*, user: Viewer) -> QuerySet[Enterprise]:
    base = Enterprise.objects.select_related("region", "owner_unit", "contact_person")
    return scope_queryset(base, user)


def access_enterprise(*, user: Viewer, enterprise_id: int) -> Enterprise:
    return access(visible_enterprises(user=user), user, pk=enterprise_id)


def enterprise_find_by_uscc(*, user: Viewer, uscc: str) -> Enterprise | None:
    try:
        canonical = validate_uscc(uscc)
    except ValidationError:
        return None
    return visible_enterprises(user=user).filter(uscc=canonical).first()


@dataclass(frozen=True)
class DuplicateOffer:
    """One existing record a registration collided with, within the user's scope. Records
    outside it are never offered, not even by their registering unit (issue 12, item 2)."""

    person_id: int
    person: Person
    owner_unit_name: str


def duplicate_offers(*, user: Viewer, person_ids: list[int]) -> list[DuplicateOffer]:
    visible = visible_persons(user=user).filter(pk__in=person_ids).order_by("pk")
    return [
        DuplicateOffer(person_id=person.pk, person=person, owner_unit_name=person.owner_unit.name)
        for person in visible
    ]
