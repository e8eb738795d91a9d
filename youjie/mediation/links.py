"""The mediation's link on a filing's page (youjie.core.links): "委派调解" for the competent
court's staff while a consenting filing is in review, or the mediation it went to."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.links import RecordLink, register_record_link
from youjie.core.viewers import Viewer
from youjie.filings.choices import FilingStatus
from youjie.filings.models import Filing
from youjie.mediation.models import Mediation
from youjie.mediation.permissions import can_delegate
from youjie.orgs.scoping import scope_queryset


def mediation_link(user: Viewer, filing: Filing) -> RecordLink | None:
    mediation = Mediation.objects.filter(filing=filing).only("pk", "status").first()
    if mediation is not None:
        visible = scope_queryset(Mediation.objects.filter(pk=mediation.pk), user).exists()
        return RecordLink(
            label=f"诉前调解（{mediation.get_status_display()}）",
            url=reverse("mediation:detail", args=[mediation.pk]) if visible else "",
            note="本案已委派诉前调解",
            order=40,
        )
    if (
        filing.mediation_consent
        and filing.status == FilingStatus.REVIEW
        and can_delegate(user, filing.competent_court)
    ):
        return RecordLink(
            label="委派调解",
            url=reverse("mediation:delegate", args=[filing.pk]),
            note="当事人同意诉前调解：委派调解组织或由法官主持调解",
            order=40,
        )
    return None


register_record_link("filings.filing", mediation_link)
