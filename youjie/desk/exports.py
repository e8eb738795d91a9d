"""The desk's lists as .xlsx (youjie.exports): my queue, the division's (any division of the
court, as its page offers), the intake queue, overdue, supervised, the deputies' and the search,
each through the selector its page reads, so that the export holds the rows the page shows.

The requester's phone is masked; its full number goes only to whoever may reveal it on the
request's page (``selectors.may_reveal_mobile``: who may act on the request, supervise it or
make its return visit), row by row, and the export's audit entry says so."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from youjie.core.crypto import decrypt_text
from youjie.core.viewers import Viewer
from youjie.desk import selectors
from youjie.desk.choices import Priority
from youjie.desk.forms import DivisionFilterForm, SearchForm
from youjie.desk.models import ServiceRequest
from youjie.desk.permissions import is_desk_staff
from youjie.exports.registry import (
    Column,
    ExportList,
    Kind,
    Selection,
    filters_text,
    invalid_filters,
    register_export,
)
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.scoping import court_of_user

DENIED = "只有法院诉讼服务工作人员可以使用诉事速办"


def may_export_desk(user: Viewer) -> bool:
    """The desk pages' gate (``views.common.desk_staff``)."""
    return bool(is_desk_staff(user) or (isinstance(user, User) and user.is_superuser))


def _for_export(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    # The reveal rule reads the transfer's division; the long content is not exported.
    return requests.select_related("transfer_division").defer("content")


def _mobile(service_request: ServiceRequest) -> str:
    if not service_request.requester_mobile_encrypted:
        return ""
    return decrypt_text(service_request.requester_mobile_encrypted)


def _may_reveal(user: User, service_request: ServiceRequest) -> bool:
    return selectors.may_reveal_mobile(user, service_request)


def _overdue(service_request: ServiceRequest) -> bool:
    return selectors.is_overdue(service_request, timezone.now())


COLUMNS = (
    Column("编号", lambda request: request.number, width=18),
    Column("标题", lambda request: request.title, width=36),
    Column("诉求人", lambda request: request.requester_name, width=10),
    Column(
        "联系电话",
        lambda request: request.requester_mobile_masked,
        width=14,
        kind=Kind.MASKED,
        full=_mobile,
        unmask=is_desk_staff,
        unmask_row=_may_reveal,
    ),
    Column("事项类型", lambda request: request.matter_type.name, width=16),
    Column("渠道", lambda request: request.get_channel_display(), width=10),
    Column("代表委员", lambda request: request.priority == Priority.PRIORITY, width=8),
    Column("状态", lambda request: request.get_status_display(), width=10),
    Column("承办庭室", lambda request: request.division.name if request.division else "", width=14),
    Column("承办人", lambda request: str(request.assignee or ""), width=10),
    Column("登记时间", lambda request: request.created_at, width=17, kind=Kind.DATETIME),
    Column(
        "首次回应期限", lambda request: request.first_response_due, width=17, kind=Kind.DATETIME
    ),
    Column("办结期限", lambda request: request.completion_due, width=17, kind=Kind.DATETIME),
    Column("答复时间", lambda request: request.replied_at, width=17, kind=Kind.DATETIME),
    Column("已超期", _overdue, width=8),
    Column("督办", lambda request: request.is_supervised, width=8),
    Column("重复次数", lambda request: request.repeat_count, width=8, kind=Kind.NUMBER),
)


def _queue(name: str, title: str, build: Callable[[User], QuerySet[ServiceRequest]]) -> ExportList:
    def select(user: User, params: QueryDict) -> Selection:
        return Selection(rows=_for_export(build(user)), filters="全部")

    return register_export(
        ExportList(
            name=f"desk.{name}",
            title=title,
            page=f"desk:{name}",
            may_export=may_export_desk,
            denied_message=DENIED,
            select=select,
            counter="件",
            columns=COLUMNS,
        )
    )


_queue("my_queue", "我的待办诉求", lambda user: selectors.my_queue(user=user))
_queue("intake_queue", "待分派诉求", lambda user: selectors.intake_queue(user=user))
_queue("overdue", "超期诉求", lambda user: selectors.overdue_list(user=user))
_queue("supervised", "督办诉求", lambda user: selectors.supervised_list(user=user))
_queue("priority", "代表委员诉求", lambda user: selectors.priority_list(user=user))


def _court_divisions(user: User) -> QuerySet[OrgUnit]:
    """The divisions the division page offers: those of the user's court (none outside one)."""
    court = court_of_user(user)
    if court is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        kind=OrgKind.DIVISION, is_active=True, path__startswith=court.path
    ).order_by("path")


def _division_queue(user: User, params: QueryDict) -> Selection:
    division = None
    if params.get("division"):
        form = DivisionFilterForm(params, divisions=_court_divisions(user))
        if not form.is_valid():
            raise invalid_filters(form)
        division = form.cleaned_data.get("division")
    division_id = division.pk if division is not None else user.org_unit_id
    rows = selectors.division_queue(user=user, division_id=division_id)
    filters = f"庭室：{division.name}" if division is not None else "本人所在庭室"
    return Selection(rows=_for_export(rows), filters=filters)


register_export(
    ExportList(
        name="desk.division_queue",
        title="本庭诉求",
        page="desk:division_queue",
        may_export=may_export_desk,
        denied_message=DENIED,
        select=_division_queue,
        counter="件",
        columns=COLUMNS,
    )
)


def _search(user: User, params: QueryDict) -> Selection:
    form = SearchForm(params)
    if not form.is_valid():
        raise invalid_filters(form)
    rows = selectors.search(user=user, **form.filters())
    return Selection(rows=_for_export(rows), filters=filters_text(form))


register_export(
    ExportList(
        name="desk.search",
        title="诉求检索结果",
        page="desk:search",
        may_export=may_export_desk,
        denied_message=DENIED,
        select=_search,
        counter="件",
        columns=COLUMNS,
    )
)
