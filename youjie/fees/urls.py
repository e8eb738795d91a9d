"""The fee pages, mounted at /fees/: the public calculator and pay page, the provider's notify
endpoint, and the staff pages of notices and reconciliation."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from youjie.fees import views
from youjie.fees.views import notices, pay, reconciliations

app_name = "fees"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calculator, name="calculator"),
    # Public: the pay page a notice's QR code opens, its status part, the relief application.
    path("pay/<str:token>/", pay.pay_page, name="pay"),
    path("pay/<str:token>/status/", pay.pay_status, name="pay_status"),
    path("pay/<str:token>/relief/", pay.relief_apply, name="relief_apply"),
    path("notify/<slug:provider>/", pay.notify, name="notify"),
    # Staff.
    path("notices/", notices.notice_list, name="notice_list"),
    path("cases/<int:case_pk>/issue/", notices.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/print/", notices.notice_print, name="notice_print"),
    path("notices/<int:pk>/phone/", notices.notice_phone, name="notice_phone"),
    path("notices/<int:pk>/counter/", notices.counter_confirm, name="counter_confirm"),
    path("notices/<int:pk>/refunds/", notices.refund_create, name="refund_create"),
    path("notices/<int:pk>/cancel/", notices.notice_cancel, name="notice_cancel"),
    path("reliefs/<int:pk>/decide/", notices.relief_decide, name="relief_decide"),
    path("reliefs/<int:pk>/files/<int:file_pk>/", notices.relief_file, name="relief_file"),
    path("refunds/<int:pk>/refresh/", notices.refund_refresh, name="refund_refresh"),
    path("reconciliations/", reconciliations.reconciliation_list, name="reconciliation_list"),
    path(
        "reconciliations/<int:pk>/",
        reconciliations.reconciliation_detail,
        name="reconciliation_detail",
    ),
]
