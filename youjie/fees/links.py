"""The fees' link on a court case's page (youjie.core.links): "开具缴费通知书" for the staff who
may issue notices (fees sits above courtcases in the layers, so the case page cannot name it),
with how many notices the case has."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.links import RecordLink, register_record_link
from youjie.core.viewers import Viewer
from youjie.courtcases.models import CourtCase
from youjie.fees.choices import NoticeStatus
from youjie.fees.models import FeeNotice
from youjie.fees.permissions import can_issue_notice


def fee_notice_link(user: Viewer, court_case: CourtCase) -> RecordLink | None:
    # Asked by the case page, which fetched the case through the user's scope; the issue page
    # checks both again.
    if not can_issue_notice(user):
        return None
    notices = FeeNotice.objects.filter(court_case=court_case).exclude(status=NoticeStatus.CANCELLED)
    count = notices.count()
    return RecordLink(
        label="开具缴费通知书",
        url=reverse("fees:notice_issue", args=[court_case.pk]),
        note=f"本案已开具缴费通知书{count}份" if count else "按《诉讼费用交纳办法》计算，7日内缴纳",
        order=30,
    )


register_record_link("courtcases.courtcase", fee_notice_link)
