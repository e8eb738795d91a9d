"""Writes of the filings app, by subject (the modules of this package):

- ``submission``: ``filing_submit`` (portal, counter, API), the input checks, the numbering;
- ``checking``: the receiving court's ``filing_forward``, supplements asked and provided;
- ``decisions``: ``filing_accept``, ``filing_refuse``, ``filing_withdraw``,
  ``filing_treat_as_withdrawn``;
- ``common``: ``filing_status_set``, the one place that changes ``Filing.status``.
"""

from youjie.core.idempotency import Idempotency, run_once
from youjie.filings.services.checking import (
    SupplementRequested,
    filing_forward,
    filing_request_supplement,
    filing_supplement_provide,
)
from youjie.filings.services.common import filing_status_set
from youjie.filings.services.decisions import (
    TYPE_CODES,
    AcceptInput,
    fee_notice_possible,
    filing_accept,
    filing_refuse,
    filing_treat_as_withdrawn,
    filing_withdraw,
)
from youjie.filings.services.submission import (
    AMOUNT_MAX,
    FilingInput,
    MaterialInput,
    PartyInput,
    filing_number,
    filing_submit,
)

__all__ = [
    "AMOUNT_MAX",
    "TYPE_CODES",
    "AcceptInput",
    "FilingInput",
    "Idempotency",
    "MaterialInput",
    "PartyInput",
    "SupplementRequested",
    "fee_notice_possible",
    "filing_accept",
    "filing_forward",
    "filing_number",
    "filing_refuse",
    "filing_request_supplement",
    "filing_status_set",
    "filing_submit",
    "filing_supplement_provide",
    "filing_treat_as_withdrawn",
    "filing_withdraw",
    "run_once",
]
