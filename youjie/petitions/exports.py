"""The petitions lists as .xlsx (youjie.exports): the matter list (信访事项清单) and the aid list
(救助台账), with their pages' forms and selectors, so that an export holds the rows the page
shows, within the user's scope.

Petitioners and aid recipients appear by name with the masked ID number; the full number only
for a role that may see full personal data (``people.permissions.can_view_full_personal_data``),
and the export's audit entry says so. No phone, no address (DESIGN.md: exports carry the same
scope and masking as the list they come from). The audit actions keep the names these exports
had before the registry (``petitions_export``, ``export_aid_list``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import QueryDict

from youjie.core.crypto import decrypt_text
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    filters_text,
    invalid_filters,
    register_export,
)
from youjie.orgs.models import User
from youjie.people.models import Person
from youjie.people.permissions import can_view_full_personal_data
from youjie.petitions import selectors
from youjie.petitions.forms import AidFilterForm, MatterFilterForm
from youjie.petitions.models import PetitionMatter
from youjie.petitions.permissions import may_see_aid_list, may_see_petitions


def _name(value: object) -> str:
    return str(value) if value is not None else ""


def _full_name(user: User | None) -> str:
    return user.get_full_name() if user is not None else ""


def _id_number(person: Person) -> str:
    return decrypt_text(person.id_number_encrypted) if person.id_number_encrypted else ""


def _person(person: Person, id_number: Callable[[Person], str]) -> str:
    number = id_number(person)
    return f"{person.name}（{number}）" if number else person.name


def _petitioners(matter: PetitionMatter, id_number: Callable[[Person], str]) -> str:
    # Prefetched with the matter (selectors.matters_for_export).
    return "、".join(_person(link.person, id_number) for link in matter.petitioner_links.all())


def _masked_id(person: Person) -> str:
    return person.id_number_masked


# --- the matter list ----------------------------------------------------------------------------


def _matters(user: User, params: QueryDict) -> Selection:
    form = MatterFilterForm(params, user=user)
    if not form.is_valid():
        raise invalid_filters(form)
    rows = selectors.matters_for_export(selectors.matter_list(user=user, **form.filters()))
    return Selection(rows=rows, filters=filters_text(form))


def _labels(matter: PetitionMatter) -> str:
    return "、".join(label.name for label in matter.labels.all())  # prefetched


def _clock_text(matter: PetitionMatter) -> str:
    return selectors.clock_state(matter, selectors.clock_today()).text


def _clock_article(matter: PetitionMatter) -> str:
    return selectors.clock_state(matter, selectors.clock_today()).article


register_export(
    ExportList(
        name="petitions.matters",
        title="信访事项清单",
        page="petitions:list",
        may_export=may_see_petitions,
        denied_message="只有专项办、包案领导、承办人员和政法单位负责人可以使用信访化解",
        select=_matters,
        counter="件",
        audit_action="petitions_export",
        columns=(
            Column("编号", lambda matter: matter.number, width=20),
            Column("事项名称", lambda matter: matter.title, width=36),
            Column(
                "信访人（身份证号）",
                lambda matter: _petitioners(matter, _masked_id),
                width=36,
                kind=Kind.MASKED,
                full=lambda matter: _petitioners(matter, _id_number),
                unmask=can_view_full_personal_data,
            ),
            Column("属地", lambda matter: _name(matter.region), width=14),
            Column("责任单位", lambda matter: _name(matter.responsible_unit), width=24),
            Column("承办单位", lambda matter: _name(matter.handling_unit), width=24),
            Column("包案领导", lambda matter: _full_name(matter.lead_official), width=10),
            Column("承办人", lambda matter: _full_name(matter.handler), width=10),
            Column("类别", lambda matter: matter.get_category_display(), width=14),
            Column("来源", lambda matter: matter.get_origin_display(), width=12),
            Column("标签", _labels, width=16),
            Column("状态", lambda matter: matter.get_status_display(), width=14),
            Column("收到日期", lambda matter: matter.received_on, width=12, kind=Kind.DATE),
            Column("受理日期", lambda matter: matter.accepted_on, width=12, kind=Kind.DATE),
            Column("时限", _clock_text, width=30),
            Column("时限依据", _clock_article, width=30),
            Column(
                "化解方式",
                lambda matter: matter.get_outcome_type_display() if matter.outcome_type else "",
                width=16,
            ),
            Column("事了日期", lambda matter: matter.matter_resolved_on, width=12, kind=Kind.DATE),
            Column("心了日期", lambda matter: matter.heart_resolved_on, width=12, kind=Kind.DATE),
        ),
    )
)


# --- the aid list (P2) --------------------------------------------------------------------------


def _aid(user: User, params: QueryDict) -> Selection:
    form = AidFilterForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    data = form.cleaned_data
    rows = selectors.aid_list(
        user=user,
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        overdue=bool(data.get("overdue")),
    )
    return Selection(rows=rows, filters=filters_text(form))


register_export(
    ExportList(
        name="petitions.aid",
        title="救助台账",
        page="petitions:aid_list",
        may_export=may_see_aid_list,
        denied_message="救助台账供专项办工作人员使用",
        select=_aid,
        counter="条",
        audit_action="export_aid_list",
        columns=(
            Column("事项编号", lambda aid: aid.matter.number, width=20),
            Column(
                "救助对象（身份证号）",
                lambda aid: _person(aid.person, _masked_id),
                width=24,
                kind=Kind.MASKED,
                full=lambda aid: _person(aid.person, _id_number),
                unmask=can_view_full_personal_data,
            ),
            Column("属地", lambda aid: _name(aid.matter.region), width=14),
            Column("救助类型", lambda aid: aid.get_kind_display(), width=14),
            Column(
                "关联案件",
                lambda aid: aid.court_case.case_number if aid.court_case else "",
                width=26,
            ),
            Column("申请日期", lambda aid: aid.applied_on, width=12, kind=Kind.DATE),
            Column("申请金额（元）", lambda aid: aid.amount, width=14, kind=Kind.DECIMAL),
            Column("救助上限（元）", lambda aid: aid.cap_amount, width=14, kind=Kind.DECIMAL),
            Column("核定金额（元）", lambda aid: aid.approved_amount, width=14, kind=Kind.DECIMAL),
            Column("状态", lambda aid: aid.get_status_display(), width=10),
            Column("审批期限", lambda aid: aid.decision_due_on, width=12, kind=Kind.DATE),
            Column("审批日期", lambda aid: aid.decided_on, width=12, kind=Kind.DATE),
            Column("资金到位日期", lambda aid: aid.funds_arrived_on, width=12, kind=Kind.DATE),
            Column("发放期限", lambda aid: aid.payment_due_on, width=12, kind=Kind.DATE),
            Column("发放日期", lambda aid: aid.paid_on, width=12, kind=Kind.DATE),
        ),
    )
)
