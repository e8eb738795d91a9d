"""Reception registers a caller it has no record of, and their request, in one go (issue 12,
item 13): the person through the people app's own service (encryption, duplicates and scope
rules), then the request naming them, in one transaction. If either is refused, neither is
written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db import transaction

from youjie.core.errors import ValidationFailed
from youjie.core.idempotency import idempotent_lookup
from youjie.desk.services.intake import IntakeData, Registration, service_request_register
from youjie.orgs.models import User
from youjie.people import services as people_services

# The people service's field names → the intake's (name and mobile are the requester's).
PERSON_FIELDS = {
    "name": "requester_name",
    "mobile": "requester_mobile",
    "id_number": "id_number",
    "address": "address",
}
PERSON_REFUSED = "人员档案未能登记，诉求也未登记，请检查标注的项目"
PHONE_HAS_A_RECORD = "该手机号码已有人员档案，请在上方选择关联，或在人员档案页登记同号人员"


@dataclass(frozen=True)
class NewPerson:
    """What reception adds to the request's own name and mobile to register the person."""

    id_number: str = ""
    address: str = ""


class _AlreadyRegistered(Exception):
    """A concurrent submission of the same form won: undo this one's person, return its
    request."""

    def __init__(self, registration: Registration) -> None:
        super().__init__()
        self.registration = registration


def _refusal(error: people_services.DuplicatePerson | ValidationFailed) -> ValidationFailed:
    """The person's refusal in the intake's field names. A duplicate says only what the people
    service says: an ID number registered outside the actor's scope is told neutrally, with no
    identifier (issue 12, item 2)."""
    if isinstance(error, people_services.DuplicatePerson):
        if error.match == "phone":
            fields = {"requester_mobile": [PHONE_HAS_A_RECORD]}
        else:
            fields = {"id_number": [error.message]}
        return ValidationFailed(PERSON_REFUSED, code="duplicate_person", fields=fields)
    fields = {}
    for name, messages in error.fields.items():
        fields.setdefault(PERSON_FIELDS.get(name, "__all__"), []).extend(messages)
    return ValidationFailed(PERSON_REFUSED, fields=fields)


def service_request_register_with_person(
    *,
    actor: User,
    data: IntakeData,
    person: NewPerson,
    idempotency_key: str = "",
    idempotency_scope: str = "",
    body_hash: str = "",
) -> Registration:
    """Register a new person (``data``'s requester name and mobile, ``person``'s ID number and
    address) and the request naming them, in one transaction.

    A retry of the same submission (same idempotency key and body) returns the first request
    and registers nobody again. Raises ValidationFailed with the intake's field names when the
    person is refused (an invalid field, or a duplicate), and whatever the request's
    registration raises; in every case nothing is written.
    """
    if data.requester_id is not None:
        raise ValidationFailed(
            "已选择人员档案，不能同时登记新人员档案",
            fields={"requester_id": ["已选择人员档案，不能同时登记新人员档案"]},
        )
    if idempotency_key and idempotent_lookup(
        scope=idempotency_scope, key=idempotency_key, body_hash=body_hash
    ):
        # Submitted before: the registration answers with the first request, writing nothing.
        return service_request_register(
            actor=actor,
            data=data,
            idempotency_key=idempotency_key,
            idempotency_scope=idempotency_scope,
            body_hash=body_hash,
        )
    try:
        with transaction.atomic():
            try:
                registered = people_services.person_create(
                    actor=actor,
                    name=data.requester_name,
                    mobile=data.requester_mobile,
                    id_number=person.id_number,
                    address=person.address,
                )
            except (people_services.DuplicatePerson, ValidationFailed) as exc:
                raise _refusal(exc) from None
            registration = service_request_register(
                actor=actor,
                data=replace(data, requester_id=registered.pk),
                idempotency_key=idempotency_key,
                idempotency_scope=idempotency_scope,
                body_hash=body_hash,
            )
            if not registration.created:
                raise _AlreadyRegistered(registration)
    except _AlreadyRegistered as won:
        return won.registration
    return registration
