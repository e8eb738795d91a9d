"""The petitions' link on a desk request's page (youjie.core.links): the matter it became, or
"转为信访事项" for whoever may act on the request (DESIGN.md flow 5: a desk request can be
escalated into a petition matter)."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.links import RecordLink, register_record_link
from youjie.core.viewers import Viewer
from youjie.desk.models import ServiceRequest
from youjie.orgs.scoping import scope_queryset
from youjie.petitions.models import PetitionMatter
from youjie.petitions.permissions import can_escalate_request, may_see_petitions


def escalation_link(user: Viewer, service_request: ServiceRequest) -> RecordLink | None:
    may_escalate = can_escalate_request(user, service_request)
    may_see = may_see_petitions(user)
    if not (may_escalate or may_see):
        return None  # neither the matter nor the action is for this viewer: nothing to read
    matters = PetitionMatter.objects.filter(desk_requests=service_request).order_by("id")
    matter = matters.only("pk", "number").first()
    if matter is not None:
        # Escalated once: the number for whoever worked on the request, a link for whoever may
        # see the matter (the court's staff are not in the petitions' scope).
        visible = may_see and scope_queryset(matters, user).exists()
        if not visible and not may_escalate:
            return None
        return RecordLink(
            label=f"信访事项 {matter.number}",
            url=reverse("petitions:detail", args=[matter.pk]) if visible else "",
            note="本诉求已转为信访事项",
            order=50,
        )
    if may_escalate:
        return RecordLink(
            label="转为信访事项",
            url=f"{reverse('petitions:create')}?from_request={service_request.pk}",
            note="涉法涉诉信访问题，转交专项办化解",
            order=50,
        )
    return None


register_record_link("desk.servicerequest", escalation_link)
