"""Reads of the fees app. Every fetch for a user goes through the scope (youjie/fees/scopes.py):
a notice outside it is a 404, never a 403. The public pay page finds its notice by the token's
keyed hash only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from youjie.core.audit import audit_record
from youjie.core.crypto import decrypt_text, lookup_hash
from youjie.core.errors import NotFound, PermissionDenied
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.core.viewers import Viewer
from youjie.courtcases.choices import PartyRole
from youjie.courtcases.models import CourtCase
from youjie.fees.choices import (
    FeeType,
    NoticeFilter,
    NoticeStatus,
    OrderStatus,
    RefundStatus,
    ReliefStatus,
)
from youjie.fees.models import (
    FeeNotice,
    PaymentOrder,
    Reconciliation,
    Refund,
    ReliefApplication,
)
from youjie.fees.permissions import can_view_payer_phone
from youjie.orgs.models import User
from youjie.orgs.scoping import access, scope_queryset
from youjie.workdays.calendar import SHANGHAI

MAX_ID = 2**31 - 1
TOKEN_PURPOSE = "fees.notice.token"
TOKEN_MAX = 100
REFUND_SOON_DAYS = 3


def _today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def _notices() -> QuerySet[FeeNotice]:
    return FeeNotice.objects.select_related("court_case", "court")


def _pending_relief() -> Exists:
    return Exists(
        ReliefApplication.objects.filter(notice=OuterRef("pk"), status=ReliefStatus.PENDING)
    )


def fee_notices_overdue_unpaid(*, on: date | None = None) -> QuerySet[FeeNotice]:
    """Notices past their last day (before ``on``, today), unpaid, without a relief
    application under review: the ones to mark overdue. A granted relief has already moved the
    notice's last day (缓交) or given it a new period for the reduced amount (减交); a 免交 has
    relieved it. The filings app reads this to treat such an accepted filing as withdrawn."""
    on = on or _today()
    return FeeNotice.objects.filter(status=NoticeStatus.ISSUED, due_on__lt=on).filter(
        ~_pending_relief()
    )


def notice_list(
    *, user: Viewer, state: str = "", search: str = "", court_case_id: int | None = None
) -> QuerySet[FeeNotice]:
    """The notices ``user`` may see, newest first, by ``state`` (NoticeFilter) and a search
    for a notice or case number or the payer's name."""
    queryset = scope_queryset(_notices(), user)
    if state == NoticeFilter.UNPAID:
        queryset = queryset.filter(status=NoticeStatus.ISSUED)
    elif state == NoticeFilter.OVERDUE:
        queryset = queryset.filter(status=NoticeStatus.OVERDUE)
    elif state == NoticeFilter.PAID:
        queryset = queryset.filter(status=NoticeStatus.PAID)
    elif state == NoticeFilter.REFUNDED:
        queryset = queryset.filter(
            Exists(Refund.objects.filter(notice=OuterRef("pk"), status=RefundStatus.SUCCEEDED))
        )
    elif state == NoticeFilter.RELIEF_PENDING:
        queryset = queryset.filter(_pending_relief())
    text = search.strip()
    if text:
        queryset = queryset.filter(
            Q(number__icontains=text)
            | Q(court_case__case_number__icontains=text)
            | Q(payer_name__icontains=text)
        )
    if court_case_id is not None:
        queryset = queryset.filter(court_case_id=court_case_id)
    return queryset.order_by("-id")


def notice_get(*, user: Viewer, pk: int) -> FeeNotice:
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    return access(_notices(), user, pk=pk)


def notice_by_token(*, token: str) -> FeeNotice:
    """The notice a pay page's token opens, or NotFound (the same for any wrong token)."""
    if not token or len(token) > TOKEN_MAX or not token.isascii():
        raise NotFound("缴费链接无效或已失效")
    notice = _notices().filter(token_hash=lookup_hash(token, purpose=TOKEN_PURPOSE)).first()
    if notice is None:
        raise NotFound("缴费链接无效或已失效")
    return notice


def open_order(*, notice: FeeNotice) -> PaymentOrder | None:
    """The newest order still waiting for payment, if any."""
    return notice.orders.filter(status=OrderStatus.CREATED).order_by("-id").first()


def paid_order(*, notice: FeeNotice) -> PaymentOrder | None:
    return notice.orders.filter(status=OrderStatus.PAID).first()


@dataclass(frozen=True)
class NoticeDetail:
    orders: list[PaymentOrder]
    refunds: list[Refund]
    reliefs: list[ReliefApplication]
    events: list[Event]
    case_notices: int


def notice_detail(*, user: Viewer, notice: FeeNotice) -> NoticeDetail:
    return NoticeDetail(
        orders=list(notice.orders.order_by("-id")[:20]),
        refunds=list(notice.refunds.select_related("requested_by").order_by("-id")),
        reliefs=list(
            notice.relief_applications.prefetch_related("attachments")
            .select_related("decided_by")
            .order_by("-id")
        ),
        events=list(timeline_for(notice)[:200]),
        case_notices=scope_queryset(FeeNotice.objects.all(), user)
        .filter(court_case_id=notice.court_case_id)
        .count(),
    )


def payer_phone_reveal(*, user: User, notice: FeeNotice) -> str:
    """The payer's full phone number, for calling them about the fee; each showing audited."""
    if not can_view_payer_phone(user):
        raise PermissionDenied("您无权查看交费人的完整电话")
    if not notice.payer_phone_encrypted:
        raise NotFound("该通知书未留电话")
    value = decrypt_text(notice.payer_phone_encrypted)
    audit_record(
        actor=user,
        action="view_full_phone",
        subject=notice,
        fields=["payer_phone"],
        purpose="诉讼费缴纳联系",
    )
    return value


def refunds_due_soon(*, user: Viewer, on: date | None = None) -> QuerySet[Refund]:
    """Refunds not yet paid whose 15 日 (Art. 53) end within ``REFUND_SOON_DAYS`` days, or have
    ended: the staff page lists them first."""
    on = on or _today()
    return (
        scope_queryset(Refund.objects.select_related("notice", "notice__court_case"), user)
        .filter(status=RefundStatus.REQUESTED, due_on__lte=on + timedelta(days=REFUND_SOON_DAYS))
        .order_by("due_on", "id")
    )


def relief_get(*, user: Viewer, pk: int) -> ReliefApplication:
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    return access(ReliefApplication.objects.select_related("notice", "notice__court"), user, pk=pk)


def refund_get(*, user: Viewer, pk: int) -> Refund:
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    return access(Refund.objects.select_related("notice", "order"), user, pk=pk)


def reconciliation_list(*, user: Viewer) -> QuerySet[Reconciliation]:
    return scope_queryset(
        Reconciliation.objects.select_related("court", "uploaded_by").defer("content"), user
    ).order_by("-statement_date", "-id")


def reconciliation_get(*, user: Viewer, pk: int) -> Reconciliation:
    if not 0 < pk <= MAX_ID:
        raise NotFound()
    return access(Reconciliation.objects.select_related("court", "uploaded_by"), user, pk=pk)


def notice_counts(*, user: Viewer) -> dict[str, Any]:
    """Figures for the staff page's head and the home panel."""
    visible = scope_queryset(FeeNotice.objects.all(), user)
    return {
        "unpaid": visible.filter(status=NoticeStatus.ISSUED).count(),
        "overdue": visible.filter(status=NoticeStatus.OVERDUE).count(),
        "relief_pending": visible.filter(_pending_relief()).count(),
    }


# --- a party's own view (网上查询) ---------------------------------------------------------------


@dataclass(frozen=True)
class PartyFeeNotice:
    """A notice as a verified party of its case reads it: no payer's name or phone, only what
    is due, by when, its state, and the pay page while it can be paid."""

    number: str
    fee_label: str  # 案件受理费 / 申请费
    payer_role_label: str  # whose notice it is, by role (原告), never by name
    amount_due: Decimal
    paid_amount: Decimal
    outstanding: Decimal
    due_on: date
    issued_at: datetime
    paid_at: datetime | None
    status: str
    status_label: str
    pay_url: str  # the public pay page (/fees/pay/<token>/) while unpaid; else ""


def party_fee_notices(*, court_case: CourtCase) -> list[PartyFeeNotice]:
    """The fee notices of ``court_case`` for a party of it, oldest first (one query).

    Not scoped to a user: the caller has verified that the visitor is a party of the case or
    its lawyer (the portal's case progress, the desk's case-query answer), the same check that
    opens the case itself. The pay link is the one printed on the notice as its QR code, so it
    is shown only while the notice can be paid online (issued, something outstanding)."""
    notices = FeeNotice.objects.filter(court_case=court_case).order_by("issued_at", "id")
    found = []
    for notice in notices:
        payable = notice.status == NoticeStatus.ISSUED and notice.outstanding > 0
        found.append(
            PartyFeeNotice(
                number=notice.number,
                fee_label=str(FeeType(notice.fee_type).label)
                if notice.fee_type in FeeType.values
                else notice.fee_type,
                payer_role_label=str(PartyRole(notice.payer_role).label)
                if notice.payer_role in PartyRole.values
                else "",
                amount_due=notice.amount_due,
                paid_amount=notice.paid_amount,
                outstanding=notice.outstanding,
                due_on=notice.due_on,
                issued_at=notice.issued_at,
                paid_at=notice.paid_at,
                status=notice.status,
                status_label=notice.get_status_display(),
                pay_url=reverse("fees:pay", args=[decrypt_text(notice.token_encrypted)])
                if payable
                else "",
            )
        )
    return found
