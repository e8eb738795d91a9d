"""The fees card on the staff home page: notices unpaid, overdue, relief to decide."""

from __future__ import annotations

from django.urls import reverse

from youjie.core.panels import Panel, PanelFigure, register_panel
from youjie.core.viewers import Viewer
from youjie.fees.permissions import may_see_fees
from youjie.fees.selectors import notice_counts


def fees_panel(user: Viewer) -> Panel | None:
    if not may_see_fees(user):
        return None
    counts = notice_counts(user=user)
    if not any(counts.values()):
        return None
    url = reverse("fees:notice_list")
    return Panel(
        title="诉讼费",
        url=url,
        text="缴费通知书、退费和诉讼费救助申请",
        order=65,
        figures=(
            PanelFigure("待缴费", str(counts["unpaid"]), "件", f"{url}?state=unpaid"),
            PanelFigure("逾期未缴", str(counts["overdue"]), "件", f"{url}?state=overdue"),
            PanelFigure(
                "救助待审查", str(counts["relief_pending"]), "件", f"{url}?state=relief_pending"
            ),
        ),
    )


register_panel(fees_panel)
