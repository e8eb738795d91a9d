"""/api/v1/people: scoped search and registration of persons and enterprises.

Output never carries a full ID number, phone number or address: integrations that need one
identify by sending it (lookup by hash), they do not read it back. Errors follow the API's one
format {code, message, fields, extra}: 422 for invalid input, 409 ``duplicate_person`` /
``duplicate_enterprise`` with the existing ids in ``extra``, 404 outside the caller's scope. A
duplicate held only outside the caller's scope is told without any id ("可能已在其他单位登记，请联系
立案庭核实", ``person_ids`` or ``enterprise_ids`` empty, no name); a phone known only there
answers as an unknown one.
A created person's answer carries ``warnings``: remarks that did not stop the registration (an ID
number whose birth date is before 1900 or gives an age over 120:
``validators.resident_id_warnings``).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from youjie.core.errors import ValidationFailed
from youjie.core.schemas import InputSchema
from youjie.orgs.models import Region, User
from youjie.people import selectors, services
from youjie.people.models import Enterprise, Person
from youjie.people.validators import resident_id_warnings

router = Router(tags=["人员"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "the API authenticates every call"
    return user


def _region(code: str | None, field: str = "region_code") -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(pk=code).first()
    if region is None:
        raise ValidationFailed("区划代码不存在", fields={field: [f"区划代码{code}不存在"]})
    return region


class PersonOut(Schema):
    id: int
    name: str
    id_number_masked: str = Field(description="脱敏身份证号：前6位和后4位")
    gender: str
    phones_masked: list[str] = Field(description="脱敏手机号码，主要号码在前")
    region_code: str | None
    region_name: str | None
    owner_unit_code: str
    is_deputy: bool
    is_cppcc_member: bool
    is_hardship: bool


def _person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        name=person.name,
        id_number_masked=person.id_number_masked,
        gender=person.gender,
        phones_masked=[
            phone.number_masked
            for phone in sorted(person.phones.all(), key=lambda p: (not p.is_primary, p.pk))
        ],
        region_code=person.region_id,
        region_name=person.region.name if person.region else None,
        owner_unit_code=person.owner_unit.code,
        is_deputy=person.is_deputy,
        is_cppcc_member=person.is_cppcc_member,
        is_hardship=person.is_hardship,
    )


class PersonCreatedOut(PersonOut):
    warnings: list[str] = Field(
        description="非阻断提示：数据已保存，但建议核对（如身份证号中的出生日期早于1900年）"
    )


class PersonQuery(InputSchema):
    q: str = Field("", max_length=selectors.QUERY_MAX_LENGTH, description="姓名、身份证号或手机号")
    limit: int = Field(50, ge=1, le=selectors.SEARCH_LIMIT_MAX)


class PersonIn(InputSchema):
    name: str = Field(max_length=50)
    id_number: str = Field("", max_length=32, description="18位（或15位旧号）居民身份证号")
    mobile: str = Field("", max_length=32, description="手机号码，可带+86")
    address: str = Field("", max_length=200)
    region_code: str | None = Field(None, max_length=12, description="GB/T 2260 区划代码")
    is_deputy: bool = False
    is_cppcc_member: bool = False
    is_hardship: bool = False
    hardship_note: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)
    allow_same_phone: bool = Field(
        False, description="手机号码已属于他人时，确认为不同人员仍然新建（身份证号重复不可绕过）"
    )


@router.get("", response=list[PersonOut], summary="查询人员（范围内，脱敏）")
def person_list(request: HttpRequest, filters: Query[PersonQuery]) -> list[PersonOut]:
    persons = selectors.person_search(user=_user(request), query=filters.q, limit=filters.limit)
    return [_person_out(person) for person in persons]


@router.post("", response={201: PersonCreatedOut}, summary="登记人员")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonCreatedOut]:
    user = _user(request)
    person = services.person_create(
        actor=user,
        name=payload.name,
        id_number=payload.id_number,
        mobile=payload.mobile,
        address=payload.address,
        region=_region(payload.region_code),
        is_deputy=payload.is_deputy,
        is_cppcc_member=payload.is_cppcc_member,
        is_hardship=payload.is_hardship,
        hardship_note=payload.hardship_note,
        note=payload.note,
        allow_same_phone=payload.allow_same_phone,
    )
    created = _person_out(selectors.access_person(user=user, person_id=person.pk))
    warnings = resident_id_warnings(payload.id_number) if payload.id_number else []
    return Status(201, PersonCreatedOut(**created.model_dump(), warnings=warnings))


@router.get("/{int:person_id}", response=PersonOut, summary="人员详情（脱敏）")
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    return _person_out(selectors.access_person(user=_user(request), person_id=person_id))


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    legal_representative: str
    region_code: str | None
    owner_unit_code: str
    contact_person_id: int | None


def _enterprise_out(enterprise: Enterprise) -> EnterpriseOut:
    return EnterpriseOut(
        id=enterprise.pk,
        name=enterprise.name,
        uscc=enterprise.uscc,
        legal_representative=enterprise.legal_representative,
        region_code=enterprise.region_id,
        owner_unit_code=enterprise.owner_unit.code,
        contact_person_id=enterprise.contact_person_id,
    )


class EnterpriseIn(InputSchema):
    name: str = Field(max_length=200)
    uscc: str = Field(max_length=32, description="统一社会信用代码（GB 32100）")
    legal_representative: str = Field("", max_length=50)
    region_code: str | None = Field(None, max_length=12)


@router.post("/enterprises", response={201: EnterpriseOut}, summary="登记企业")
def enterprise_create(request: HttpRequest, payload: EnterpriseIn) -> Status[EnterpriseOut]:
    enterprise = services.enterprise_create(
        actor=_user(request),
        name=payload.name,
        uscc=payload.uscc,
        legal_representative=payload.legal_representative,
        region=_region(payload.region_code),
    )
    return Status(201, _enterprise_out(enterprise))


@router.get("/enterprises/{int:enterprise_id}", response=EnterpriseOut, summary="企业详情")
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> EnterpriseOut:
    enterprise = selectors.access_enterprise(user=_user(request), enterprise_id=enterprise_id)
    return _enterprise_out(enterprise)
