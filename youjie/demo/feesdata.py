"""Demo fee notices (码上缴费) on the demo court cases of the 白云鄂博 court: one of each state the
staff list filters by — paid at the counter, unpaid, overdue, paid and partly refunded (撤诉:
half the acceptance fee back, Art. 15), and unpaid with a relief application under review."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoNotice:
    case_number: str
    claim_amount: str  # yuan: a property case (Art. 13(1))
    outcome: str  # "paid" | "unpaid" | "overdue" | "refunded" | "relief_pending"
    phone: str


DEMO_NOTICES = (
    DemoNotice("（2026）内0206民初100号", "150000", "paid", "13804720001"),
    DemoNotice("（2026）内0206民初101号", "80000", "unpaid", "13804720002"),
    DemoNotice("（2026）内0206民初102号", "30000", "overdue", "13804720003"),
    DemoNotice("（2026）内0206民初104号", "500000", "refunded", "13804720004"),
    DemoNotice("（2026）内0206民初103号", "60000", "relief_pending", "13804720005"),
)
# A minimal PDF as the demo relief application's proof of hardship.
PROOF_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
