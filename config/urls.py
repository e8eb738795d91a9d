from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from youjie.api.urls import api
from youjie.core import views as core_views
from youjie.orgs.views import AdminLoginForm

admin.site.site_header = "有解 · 系统配置"
admin.site.site_title = "有解"
admin.site.index_title = "配置管理"
admin.site.login_form = AdminLoginForm  # checks the username's length (youjie.orgs.views)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("youjie.orgs.urls")),
    path("people/", include("youjie.people.urls")),
    path("cases/", include("youjie.courtcases.urls")),
    path("documents/", include("youjie.documents.urls")),
    path("calendar/", include("youjie.workdays.urls")),
    path("desk/", include("youjie.desk.urls")),
    path("petitions/", include("youjie.petitions.urls")),
    path("portal/", include("youjie.portal.urls")),
    path("fees/", include("youjie.fees.urls")),
    path("mediation/", include("youjie.mediation.urls")),
    path("filings/", include("youjie.filings.urls")),
    path("inbound/", include("youjie.inbound.urls")),
    path("analytics/", include("youjie.analytics.urls")),
    path("exports/", include("youjie.exports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "youjie.core.views.bad_request"
handler403 = "youjie.core.views.permission_denied"
handler404 = "youjie.core.views.page_not_found"
handler500 = "youjie.core.views.server_error"
