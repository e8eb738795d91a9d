"""Intake's unique lookups read with ``get()`` or unordered (no ORDER BY to order one row): the
same answers as with ``first()`` for found, unknown and inactive rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from youjie.core.errors import NotFound, ValidationFailed
from youjie.desk.models import MatterType
from youjie.desk.services.intake import _active_matter_type, _existing, _find_requester
from youjie.people.identity import phone_hash
from youjie.people.services import person_create

from .test_api_support import intake

pytestmark = pytest.mark.django_db


def test_an_active_matter_type_is_found_with_its_division_in_one_unordered_query(matter_types):
    expected = MatterType.objects.get(code="divorce_filing")
    with CaptureQueriesContext(connection) as queries:
        found = _active_matter_type("divorce_filing")
        assert found is not None and found.pk == expected.pk
        division = found.default_division  # joined: no query
    assert division is not None and division.pk == expected.default_division_id
    assert len(queries) == 1 and "ORDER BY" not in queries[0]["sql"]


def test_unknown_and_inactive_matter_types_are_none_and_refused(receptionist, matter_types):
    assert _active_matter_type("no_such_type") is None
    MatterType.objects.filter(code="divorce_filing").update(is_active=False)
    assert _active_matter_type("divorce_filing") is None
    with pytest.raises(ValidationFailed) as raised:
        intake(receptionist, matter_type_code="divorce_filing")
    assert "matter_type" in raised.value.fields


def test_the_requester_by_phone_is_the_one_owner_or_nobody(receptionist):
    assert _find_requester("") is None
    assert _find_requester(phone_hash("13800000000")) is None  # nobody
    one = person_create(actor=receptionist, name="张三", mobile="13812345678")
    with CaptureQueriesContext(connection) as queries:
        found = _find_requester(phone_hash("13812345678"))
    assert found is not None and found.pk == one.pk
    assert "ORDER BY" not in queries[0]["sql"]
    person_create(actor=receptionist, name="张三之妻", mobile="13812345678", allow_same_phone=True)
    assert _find_requester(phone_hash("13812345678")) is None  # shared by two: nobody


def test_an_idempotent_retry_answers_with_the_first_request(receptionist, matter_types):
    first = intake(receptionist)
    assert _existing(str(first.pk)).pk == first.pk
    with pytest.raises(NotFound):
        _existing(str(first.pk + 1000))
