"""The person search as .xlsx (youjie.exports): the page's name search (or the most recently
registered), within the user's scope. ID numbers and phones are masked unless the role may see
full personal data (``permissions.can_view_full_personal_data``, as the dossier's reveal), and
the export's audit entry says which went out in full.

A search by ID number or phone is not exported: it finds one person, and its number would stand
in the download's address (the page posts such searches to keep numbers out of addresses)."""

from __future__ import annotations

from django.http import QueryDict

from youjie.core.crypto import decrypt_text
from youjie.core.errors import ValidationFailed
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    invalid_filters,
    register_export,
    signed_in,
)
from youjie.orgs.models import User
from youjie.people import selectors
from youjie.people.forms import SearchForm
from youjie.people.models import Person, PersonPhone
from youjie.people.permissions import can_view_full_personal_data
from youjie.people.selectors import QueryKind


def _persons(user: User, params: QueryDict) -> Selection:
    form = SearchForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    query = form.cleaned_data["q"]
    kind, _ = selectors.classify_person_query(query)
    if kind is not QueryKind.NAME and kind is not QueryKind.EMPTY:
        raise ValidationFailed(
            "按身份证号或手机号码查找的结果不提供导出（号码不应出现在下载地址中），请在页面上查看",
            fields={"q": ["只能按姓名导出"]},
        )
    rows = selectors.person_search_queryset(user=user, query=query)
    filters = f"姓名含“{query}”" if kind is QueryKind.NAME else "全部（最近登记在先）"
    return Selection(rows=rows, filters=filters)


def _primary_phone(person: Person) -> PersonPhone | None:
    phones = list(person.phones.all())  # prefetched in order: the primary first
    return phones[0] if phones else None


def _phone_masked(person: Person) -> str:
    phone = _primary_phone(person)
    return phone.number_masked if phone is not None else ""


def _phone(person: Person) -> str:
    phone = _primary_phone(person)
    return decrypt_text(phone.number_encrypted) if phone is not None else ""


def _id_number(person: Person) -> str:
    return decrypt_text(person.id_number_encrypted) if person.id_number_encrypted else ""


register_export(
    ExportList(
        name="people.persons",
        title="人员查询结果",
        page="people:search",
        may_export=signed_in,
        select=_persons,
        counter="人",
        columns=(
            Column("姓名", lambda person: person.name, width=12),
            Column(
                "身份证号",
                lambda person: person.id_number_masked,
                width=22,
                kind=Kind.MASKED,
                full=_id_number,
                unmask=can_view_full_personal_data,
            ),
            Column(
                "手机号码",
                _phone_masked,
                width=14,
                kind=Kind.MASKED,
                full=_phone,
                unmask=can_view_full_personal_data,
            ),
            Column("性别", lambda person: person.get_gender_display(), width=6),
            Column(
                "所在区划", lambda person: person.region.name if person.region else "", width=14
            ),
            Column("登记机构", lambda person: person.owner_unit.name, width=20),
            Column("标识", lambda person: "、".join(person.flag_labels), width=16),
            Column("登记时间", lambda person: person.created_at, width=17, kind=Kind.DATETIME),
        ),
    )
)
