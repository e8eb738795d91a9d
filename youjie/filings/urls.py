"""The filings pages (网上立案), mounted at /filings/: the staff's queues, counter form and
filing pages, and the public filing and supplement pages under apply/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from youjie.filings.views import detail, public, queues

app_name = "filings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queues.filing_list, name="list"),
    path("new/", queues.filing_counter, name="counter"),
    path("<int:pk>/", detail.filing_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", detail.filing_action, name="action"),
    path("<int:pk>/materials/<int:material_pk>/", detail.material_download, name="material"),
    path("<int:pk>/ruling.docx", detail.ruling_download, name="ruling"),
    path("<int:pk>/reveal/", detail.party_reveal, name="reveal"),
    # Public (no login): filing, its done page, the supplement.
    path("apply/", public.apply, name="apply"),
    path("apply/done/", public.apply_done, name="apply_done"),
    path("apply/<str:number>/supplement/", public.supplement, name="supplement"),
    path("apply/<str:number>/supplement/done/", public.supplement_done, name="supplement_done"),
]
