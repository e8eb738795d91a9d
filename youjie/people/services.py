"""Writes for persons and enterprises.

Personal identifiers are validated and normalised first (``validators``), then stored three
ways: a Fernet token (``*_encrypted``), a keyed hash of the canonical form for exact lookup
(``*_hash``) and a masked form for display (``*_masked``). Clear values never reach the
database, the timeline or the logs.

A resident ID identifies one person: registering it twice is refused (409, with the existing
record). A phone number may be shared within a family: a phone-only match is refused unless the
caller confirms with ``allow_same_phone=True``.

Duplicates are told within the caller's scope only (issue 12, item 2): an ID number registered
outside it is refused with a neutral "may already be registered, ask 立案庭" and no identifier
(neither the person's id nor the registering unit); a phone known only outside it answers as an
unknown number does. An enterprise's USCC registered outside the scope is refused the same way,
without the enterprise's id or name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from youjie.core.crypto import decrypt_text, encrypt_text
from youjie.core.errors import ApplicationError, ValidationFailed
from youjie.core.timeline import event_record
from youjie.core.viewers import Viewer
from youjie.orgs.models import OrgUnit, Region, User
from youjie.orgs.scoping import scope_queryset
from youjie.people.choices import Gender
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Enterprise, Person, PersonPhone
from youjie.people.validators import (
    mask_mobile,
    mask_resident_id,
    normalize_mobile,
    resident_id_gender,
    validate_resident_id,
    validate_uscc,
)

NAME_MAX_LENGTH = 50
ADDRESS_MAX_LENGTH = 200
HARDSHIP_NOTE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
ENTERPRISE_NAME_MAX_LENGTH = 200
LEGAL_REPRESENTATIVE_MAX_LENGTH = 50


class DuplicatePerson(ApplicationError):
    """The resident ID (or, unconfirmed, the phone) already belongs to a registered person.

    ``match`` is "id_number" or "phone"; ``person_ids`` are the existing persons the actor may
    see (empty when the ID number is registered only outside the actor's scope).
    """

    status_code = 409
    default_code = "duplicate_person"

    def __init__(self, message: str, *, person_ids: list[int], match: str) -> None:
        super().__init__(message, extra={"person_ids": person_ids, "match": match})
        self.person_ids = person_ids
        self.match = match


class DuplicateEnterprise(ApplicationError):
    status_code = 409
    default_code = "duplicate_enterprise"

    def __init__(self, message: str, *, enterprise_ids: list[int]) -> None:
        super().__init__(message, extra={"enterprise_ids": enterprise_ids})
        self.enterprise_ids = enterprise_ids


class PersonChanges(TypedDict, total=False):
    """Fields ``person_update`` may change; a key that is absent is left as it is."""

    name: str
    id_number: str  # "" removes the number
    address: str
    region: Region | None
    owner_unit: OrgUnit
    is_deputy: bool
    is_cppcc_member: bool
    is_hardship: bool
    hardship_note: str
    note: str


class EnterpriseChanges(TypedDict, total=False):
    name: str
    legal_representative: str
    region: Region | None
    contact_person: Person | None


# --- field cleaning, collecting every error before raising --------------------------------

Errors = dict[str, list[str]]


def _add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _validated(errors: Errors, field: str, check: Callable[[str], str], value: str) -> str:
    """``check(value)`` for a non-blank value; "" for a blank one or after recording an error."""
    if not value or not value.strip():
        return ""
    try:
        return check(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)
        return ""


def _text(errors: Errors, field: str, label: str, value: str, *, max_length: int) -> str:
    cleaned = " ".join((value or "").split())
    if len(cleaned) > max_length:
        _add_error(errors, field, f"{label}不能超过{max_length}个字，当前为{len(cleaned)}个字")
    return cleaned


def _required_text(errors: Errors, field: str, label: str, value: str, *, max_length: int) -> str:
    cleaned = _text(errors, field, label, value, max_length=max_length)
    if not cleaned:
        _add_error(errors, field, f"{label}不能为空")
    return cleaned


def _long_text(errors: Errors, field: str, label: str, value: str, *, max_length: int) -> str:
    """Free text keeps its line breaks; only the ends are trimmed."""
    cleaned = (value or "").strip()
    if len(cleaned) > max_length:
        _add_error(errors, field, f"{label}不能超过{max_length}个字，当前为{len(cleaned)}个字")
    return cleaned


def _raise_if_errors(errors: Errors, message: str) -> None:
    if errors:
        raise ValidationFailed(message, fields=errors)


# --- duplicates ------------------------------------------------------------------------------


def _duplicate_by_id_number(hash_value: str, *, exclude_pk: int | None = None) -> list[int]:
    if not hash_value:
        return []
    rows = Person.objects.filter(id_number_hash=hash_value)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return list(rows.values_list("pk", flat=True))


def _duplicate_by_phone(hash_value: str, *, exclude_pk: int | None = None) -> list[int]:
    if not hash_value:
        return []
    rows = PersonPhone.objects.filter(number_hash=hash_value)
    if exclude_pk is not None:
        rows = rows.exclude(person_id=exclude_pk)
    return sorted(set(rows.values_list("person_id", flat=True)))


OUT_OF_SCOPE_ID_NUMBER_MESSAGE = "该身份证号可能已在其他单位登记，请联系立案庭核实，不能重复登记"


def _in_scope(person_ids: list[int], actor: Viewer) -> list[int]:
    if not person_ids:
        return []
    rows = scope_queryset(Person.objects.filter(pk__in=person_ids), actor)
    return sorted(rows.values_list("pk", flat=True))


def _id_number_taken(existing: list[int], actor: Viewer) -> DuplicatePerson:
    visible = _in_scope(existing, actor)
    if visible:
        return DuplicatePerson(
            "该身份证号已登记，请使用已有档案", person_ids=visible, match="id_number"
        )
    # The number is unique system-wide, so it cannot be registered again; but who holds it,
    # and where, is not this actor's to know.
    return DuplicatePerson(OUT_OF_SCOPE_ID_NUMBER_MESSAGE, person_ids=[], match="id_number")


def _ensure_id_number_free(
    hash_value: str, *, actor: Viewer, exclude_pk: int | None = None
) -> None:
    existing = _duplicate_by_id_number(hash_value, exclude_pk=exclude_pk)
    if existing:
        raise _id_number_taken(existing, actor)


def _ensure_phone_free(hash_value: str, *, actor: Viewer, exclude_pk: int | None = None) -> None:
    # A phone may be shared: one known only outside the actor's scope answers as unknown.
    existing = _in_scope(_duplicate_by_phone(hash_value, exclude_pk=exclude_pk), actor)
    if existing:
        raise DuplicatePerson(
            "该手机号码已登记在其他人员名下；如确为不同人员，请确认后仍然新建",
            person_ids=existing,
            match="phone",
        )


def _set_id_number(person: Person, canonical: str) -> None:
    person.id_number_encrypted = encrypt_text(canonical)
    person.id_number_hash = id_number_hash(canonical)
    person.id_number_masked = mask_resident_id(canonical) if canonical else ""
    person.gender = resident_id_gender(canonical) if canonical else Gender.UNKNOWN


def _save_person_guarded(person: Person, *, actor: Viewer, **save_kwargs: Any) -> None:
    """Save, turning a lost race on the unique ID hash into the same 409 as the check."""
    try:
        with transaction.atomic():
            person.save(**save_kwargs)
    except IntegrityError:
        existing = _duplicate_by_id_number(person.id_number_hash, exclude_pk=person.pk)
        if existing:
            raise _id_number_taken(existing, actor) from None
        raise


# --- persons ---------------------------------------------------------------------------------


def person_create(
    *,
    actor: User,
    name: str,
    id_number: str = "",
    mobile: str = "",
    address: str = "",
    region: Region | None = None,
    owner_unit: OrgUnit | None = None,
    is_deputy: bool = False,
    is_cppcc_member: bool = False,
    is_hardship: bool = False,
    hardship_note: str = "",
    note: str = "",
    allow_same_phone: bool = False,
) -> Person:
    """Register a person. Raises ValidationFailed (422) listing every invalid field, or
    DuplicatePerson (409) when the ID (or, without ``allow_same_phone``, the phone) is known.
    """
    errors: Errors = {}
    clean_name = _required_text(errors, "name", "姓名", name, max_length=NAME_MAX_LENGTH)
    canonical_id = _validated(errors, "id_number", validate_resident_id, id_number)
    canonical_mobile = _validated(errors, "mobile", normalize_mobile, mobile)
    clean_address = _text(errors, "address", "住址", address, max_length=ADDRESS_MAX_LENGTH)
    clean_hardship = _text(
        errors, "hardship_note", "困难情况", hardship_note, max_length=HARDSHIP_NOTE_MAX_LENGTH
    )
    clean_note = _long_text(errors, "note", "备注", note, max_length=NOTE_MAX_LENGTH)
    unit = owner_unit or actor.org_unit
    if unit is None:
        _add_error(errors, "owner_unit", "登记人未分配机构，无法确定登记机构")
    _raise_if_errors(errors, "人员信息有误，请检查标注的项目")
    assert unit is not None  # for the type checker: an error was raised above otherwise

    mobile_hash = phone_hash(canonical_mobile) if canonical_mobile else ""
    with transaction.atomic():
        person = Person(
            name=clean_name,
            address_encrypted=encrypt_text(clean_address),
            region=region,
            owner_unit=unit,
            created_by=actor,
            is_deputy=is_deputy,
            is_cppcc_member=is_cppcc_member,
            is_hardship=is_hardship,
            hardship_note=clean_hardship,
            note=clean_note,
        )
        _set_id_number(person, canonical_id)
        _ensure_id_number_free(person.id_number_hash, actor=actor)
        if not allow_same_phone:
            _ensure_phone_free(mobile_hash, actor=actor)
        _save_person_guarded(person, actor=actor)
        if canonical_mobile:
            PersonPhone.objects.create(
                person=person,
                number_encrypted=encrypt_text(canonical_mobile),
                number_hash=mobile_hash,
                number_masked=mask_mobile(canonical_mobile),
                is_primary=True,
            )
        event_record(
            subject=person,
            verb="created",
            actor=actor,
            data={
                "owner_unit": unit.code,
                "region": region.pk if region else None,
                "with_id_number": bool(canonical_id),
                "with_phone": bool(canonical_mobile),
                "same_phone_confirmed": bool(allow_same_phone and canonical_mobile),
            },
        )
    return person


def person_update(*, actor: User, person: Person, **changes: Unpack[PersonChanges]) -> Person:
    """Change the given fields. The timeline records which fields changed, never their values
    for personal data (ID number, address)."""
    errors: Errors = {}
    updates: dict[str, Any] = {}
    if "name" in changes:
        updates["name"] = _required_text(
            errors, "name", "姓名", changes["name"], max_length=NAME_MAX_LENGTH
        )
    canonical_id: str | None = None
    if "id_number" in changes:
        canonical_id = _validated(errors, "id_number", validate_resident_id, changes["id_number"])
    if "address" in changes:
        updates["address"] = _text(
            errors, "address", "住址", changes["address"], max_length=ADDRESS_MAX_LENGTH
        )
    if "hardship_note" in changes:
        updates["hardship_note"] = _text(
            errors,
            "hardship_note",
            "困难情况",
            changes["hardship_note"],
            max_length=HARDSHIP_NOTE_MAX_LENGTH,
        )
    if "note" in changes:
        updates["note"] = _long_text(
            errors, "note", "备注", changes["note"], max_length=NOTE_MAX_LENGTH
        )
    for key in ("region", "owner_unit", "is_deputy", "is_cppcc_member", "is_hardship"):
        if key in changes:
            updates[key] = changes[key]
    _raise_if_errors(errors, "人员信息有误，请检查标注的项目")

    changed: list[str] = []
    update_fields: list[str] = []
    with transaction.atomic():
        if canonical_id is not None and id_number_hash(canonical_id) != person.id_number_hash:
            _set_id_number(person, canonical_id)
            _ensure_id_number_free(person.id_number_hash, actor=actor, exclude_pk=person.pk)
            changed.append("id_number")
            update_fields += [
                "id_number_encrypted",
                "id_number_hash",
                "id_number_masked",
                "gender",
            ]
        new_address = updates.pop("address", None)
        if new_address is not None and new_address != decrypt_text(person.address_encrypted):
            person.address_encrypted = encrypt_text(new_address)
            changed.append("address")
            update_fields.append("address_encrypted")
        for key, value in updates.items():
            if getattr(person, key) != value:
                setattr(person, key, value)
                changed.append(key)
                update_fields.append(key)
        if not changed:
            return person
        update_fields.append("updated_at")
        _save_person_guarded(person, actor=actor, update_fields=update_fields)
        event_record(subject=person, verb="updated", actor=actor, data={"fields": changed})
    return person


def person_add_phone(
    *,
    actor: User,
    person: Person,
    mobile: str,
    is_primary: bool = False,
    allow_same_phone: bool = False,
) -> PersonPhone:
    """Add a mobile number to ``person``. A number already on another person needs
    ``allow_same_phone=True`` (family members share phones)."""
    try:
        canonical = normalize_mobile(mobile)
    except ValidationError as exc:
        raise ValidationFailed("手机号码有误", fields={"mobile": exc.messages}) from None
    hash_value = phone_hash(canonical)
    with transaction.atomic():
        if person.phones.filter(number_hash=hash_value).exists():
            raise ValidationFailed(
                "该号码已登记在此人员名下", fields={"mobile": ["该号码已登记在此人员名下"]}
            )
        if not allow_same_phone:
            _ensure_phone_free(hash_value, actor=actor, exclude_pk=person.pk)
        is_first = not person.phones.exists()
        if is_primary and not is_first:
            person.phones.filter(is_primary=True).update(is_primary=False)
        phone = PersonPhone.objects.create(
            person=person,
            number_encrypted=encrypt_text(canonical),
            number_hash=hash_value,
            number_masked=mask_mobile(canonical),
            is_primary=is_primary or is_first,
        )
        event_record(
            subject=person,
            verb="phone_added",
            actor=actor,
            data={"phone": phone.number_masked, "is_primary": phone.is_primary},
        )
    return phone


# --- enterprises -----------------------------------------------------------------------------

OUT_OF_SCOPE_USCC_MESSAGE = "该统一社会信用代码可能已在其他单位登记，请联系立案庭核实，不能重复登记"


def _uscc_taken(existing: list[int], actor: Viewer) -> DuplicateEnterprise:
    """A USCC is unique system-wide, so a known one is refused; but as for persons (issue 12,
    item 2), the existing record is named only to an actor who may see it. Outside the actor's
    scope the answer is neutral: no id, no name, no registering unit."""
    visible = scope_queryset(Enterprise.objects.filter(pk__in=existing), actor).order_by("pk")
    found = list(visible.values_list("pk", "name"))
    if found:
        return DuplicateEnterprise(
            f"该统一社会信用代码已登记：{found[0][1]}，请使用已有记录",
            enterprise_ids=[pk for pk, _ in found],
        )
    return DuplicateEnterprise(OUT_OF_SCOPE_USCC_MESSAGE, enterprise_ids=[])


def enterprise_create(
    *,
    actor: User,
    name: str,
    uscc: str,
    legal_representative: str = "",
    region: Region | None = None,
    owner_unit: OrgUnit | None = None,
    contact_person: Person | None = None,
) -> Enterprise:
    """Register an enterprise by its 统一社会信用代码; a known code is refused (409), naming
    the existing record only if the actor may see it."""
    errors: Errors = {}
    clean_name = _required_text(
        errors, "name", "企业名称", name, max_length=ENTERPRISE_NAME_MAX_LENGTH
    )
    canonical_uscc = _validated(errors, "uscc", validate_uscc, uscc)
    if not (uscc or "").strip():
        _add_error(errors, "uscc", "统一社会信用代码不能为空")
    clean_representative = _text(
        errors,
        "legal_representative",
        "法定代表人",
        legal_representative,
        max_length=LEGAL_REPRESENTATIVE_MAX_LENGTH,
    )
    unit = owner_unit or actor.org_unit
    if unit is None:
        _add_error(errors, "owner_unit", "登记人未分配机构，无法确定登记机构")
    _raise_if_errors(errors, "企业信息有误，请检查标注的项目")
    assert unit is not None

    with transaction.atomic():
        existing = list(Enterprise.objects.filter(uscc=canonical_uscc).values_list("pk", flat=True))
        if existing:
            raise _uscc_taken(existing, actor)
        enterprise = Enterprise(
            name=clean_name,
            uscc=canonical_uscc,
            legal_representative=clean_representative,
            region=region,
            owner_unit=unit,
            created_by=actor,
            contact_person=contact_person,
        )
        try:
            with transaction.atomic():
                enterprise.save()
        except IntegrityError:
            ids = list(Enterprise.objects.filter(uscc=canonical_uscc).values_list("pk", flat=True))
            if ids:
                raise _uscc_taken(ids, actor) from None
            raise
        event_record(
            subject=enterprise,
            verb="created",
            actor=actor,
            data={"owner_unit": unit.code, "uscc": canonical_uscc},
        )
    return enterprise


def enterprise_update(
    *, actor: User, enterprise: Enterprise, **changes: Unpack[EnterpriseChanges]
) -> Enterprise:
    """Change name, legal representative, region or contact person. The USCC is the
    enterprise's identity and does not change."""
    errors: Errors = {}
    updates: dict[str, Any] = {}
    if "name" in changes:
        updates["name"] = _required_text(
            errors, "name", "企业名称", changes["name"], max_length=ENTERPRISE_NAME_MAX_LENGTH
        )
    if "legal_representative" in changes:
        updates["legal_representative"] = _text(
            errors,
            "legal_representative",
            "法定代表人",
            changes["legal_representative"],
            max_length=LEGAL_REPRESENTATIVE_MAX_LENGTH,
        )
    for key in ("region", "contact_person"):
        if key in changes:
            updates[key] = changes[key]
    _raise_if_errors(errors, "企业信息有误，请检查标注的项目")
    changed = [key for key, value in updates.items() if getattr(enterprise, key) != value]
    if not changed:
        return enterprise
    with transaction.atomic():
        for key in changed:
            setattr(enterprise, key, updates[key])
        enterprise.save(update_fields=[*changed, "updated_at"])
        event_record(subject=enterprise, verb="updated", actor=actor, data={"fields": changed})
    return enterprise
