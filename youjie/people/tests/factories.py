"""Factories and identifier generators for persons and enterprises (importable by other apps).

Every number made here is synthetic: valid by the standards' check rules, built from counters,
never copied from a real person or company.

    from youjie.people.tests.factories import PersonFactory, build_resident_id, fake_mobile
    person = PersonFactory.create(owner_unit=unit, region_id="150206")  # ID, mobile made up
    person = PersonFactory.create(owner_unit=unit, id_number=build_resident_id(sequence=7))

``owner_unit`` must be given: org factories belong to the orgs app / the global personas.
"""

from __future__ import annotations

import datetime
from typing import Any

from factory.declarations import Sequence
from factory.django import DjangoModelFactory
from factory.faker import Faker

from youjie.core.crypto import encrypt_text
from youjie.people.identity import id_number_hash, phone_hash
from youjie.people.models import Enterprise, Person, PersonPhone
from youjie.people.validators import (
    USCC_CHARSET,
    mask_mobile,
    mask_resident_id,
    organization_code_check_char,
    resident_id_check_char,
    resident_id_gender,
    uscc_check_char,
    validate_resident_id,
)

_EPOCH = datetime.date(1950, 1, 1)


def build_resident_id(
    *,
    address_code: str = "150206",
    birth_date: datetime.date = datetime.date(1980, 5, 17),
    sequence: int = 123,
) -> str:
    """An 18-digit resident ID with a correct check character. ``sequence`` 0..999; its parity
    is the gender (odd = male)."""
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def fake_resident_id(n: int, *, address_code: str = "150206") -> str:
    """The ``n``-th distinct synthetic resident ID (distinct for n < 365_000)."""
    birth_date = _EPOCH + datetime.timedelta(days=n % 20_000)
    return build_resident_id(address_code=address_code, birth_date=birth_date, sequence=n // 20_000)


def fake_mobile(n: int) -> str:
    """The ``n``-th synthetic mobile number, in the 199 segment."""
    return f"199{n % 100_000_000:08d}"


def build_uscc(
    *,
    department: str = "9",
    category: str = "1",
    region_code: str = "150206",
    organization_base: str = "MA0Q0000",
) -> str:
    """A 统一社会信用代码 with correct organisation-code and overall check characters."""
    organization_code = organization_base + organization_code_check_char(organization_base)
    first17 = f"{department}{category}{region_code}{organization_code}"
    return first17 + uscc_check_char(first17)


def fake_uscc(n: int) -> str:
    """The ``n``-th synthetic USCC (organisation base MA + 6 characters from the counter)."""
    digits = []
    value = n
    for _ in range(6):
        value, remainder = divmod(value, len(USCC_CHARSET))
        digits.append(USCC_CHARSET[remainder])
    return build_uscc(organization_base="MA" + "".join(reversed(digits)))


def identity_fields(*, id_number: str = "", address: str = "") -> dict[str, Any]:
    """The stored columns for a clear ID number and address, as person_create writes them."""
    canonical = validate_resident_id(id_number) if id_number else ""
    return {
        "id_number_encrypted": encrypt_text(canonical),
        "id_number_hash": id_number_hash(canonical),
        "id_number_masked": mask_resident_id(canonical) if canonical else "",
        "gender": resident_id_gender(canonical) if canonical else "unknown",
        "address_encrypted": encrypt_text(address),
    }


class PersonFactory(DjangoModelFactory[Person]):
    """A person with encrypted identifiers. Clear inputs: ``id_number``, ``mobile``,
    ``address`` (each may be "")."""

    class Meta:
        model = Person

    name = Faker("name", locale="zh_CN")
    id_number = Sequence(fake_resident_id)
    mobile = Sequence(fake_mobile)
    address = "内蒙古自治区包头市示例路1号"

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        id_number = kwargs.pop("id_number", "")
        mobile = kwargs.pop("mobile", "")
        address = kwargs.pop("address", "")
        kwargs.update(identity_fields(id_number=id_number, address=address))
        person = model_class.objects.create(*args, **kwargs)
        if mobile:
            PersonPhone.objects.create(
                person=person,
                number_encrypted=encrypt_text(mobile),
                number_hash=phone_hash(mobile),
                number_masked=mask_mobile(mobile),
                is_primary=True,
            )
        return person


class EnterpriseFactory(DjangoModelFactory[Enterprise]):
    class Meta:
        model = Enterprise

    name = Sequence(lambda n: f"包头示例稀土材料有限公司{n}")
    uscc = Sequence(fake_uscc)
    legal_representative = Faker("name", locale="zh_CN")
