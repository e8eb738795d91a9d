"""Admin of the fees app, read-only: the fee notices (amounts, masked phones, status) with their
orders and refunds, and the payment notifications received (the audit of what the provider
sent and what became of it). Every change goes through ``youjie.fees.services`` (one transition
map per entity, one event per change), so nothing is edited here; the payer's phone is shown
masked only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from youjie.fees.models import FeeNotice, PaymentNotification, PaymentOrder, Refund


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OrderInline(ReadOnlyAdminMixin, admin.TabularInline[PaymentOrder, FeeNotice]):
    model = PaymentOrder
    fields = ("out_trade_no", "provider", "amount", "status", "transaction_id", "paid_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "支付订单（只读）"


class RefundInline(ReadOnlyAdminMixin, admin.TabularInline[Refund, FeeNotice]):
    model = Refund
    fields = ("out_refund_no", "method", "amount", "reason", "due_on", "status")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "退费（只读）"


@admin.register(FeeNotice)
class FeeNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[FeeNotice]):
    list_display = (
        "number",
        "court_case",
        "payer_name",
        "payer_phone_masked",
        "total_amount",
        "amount_due",
        "paid_amount",
        "refunded_amount",
        "due_on",
        "status",
    )
    list_filter = ("status", "court")
    search_fields = ("number", "court_case__case_number")
    list_select_related = ("court_case",)
    ordering = ("-id",)
    fields = (
        "number",
        "court",
        "court_case",
        "payer_name",
        "payer_role",
        "payer_kind",
        "payer_phone_masked",
        "fee_kind",
        "procedure",
        "claim_amount",
        "total_amount",
        "amount_due",
        "paid_amount",
        "refunded_amount",
        "issued_at",
        "issued_by",
        "due_on",
        "status",
        "paid_at",
    )
    readonly_fields = fields
    inlines = (OrderInline, RefundInline)


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[PaymentNotification]):
    list_display = (
        "received_at",
        "provider",
        "notification_id",
        "outcome",
        "out_trade_no",
        "amount_fen",
        "reason",
    )
    list_filter = ("outcome", "provider")
    search_fields = ("notification_id", "out_trade_no", "transaction_id")
    ordering = ("-id",)
    fields = (
        "received_at",
        "provider",
        "notification_id",
        "event_type",
        "outcome",
        "reason",
        "order",
        "out_trade_no",
        "transaction_id",
        "amount_fen",
        "signature_serial",
        "signed_at",
        "remote_address",
        "body",
    )
    readonly_fields = fields
