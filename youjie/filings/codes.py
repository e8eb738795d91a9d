"""The one-time supplement code (补正码) sent with a supplement notice: only its keyed hash is
stored, bound to the filing's number, so that a code works for its own filing only."""

from __future__ import annotations

from youjie.core.crypto import lookup_hash
from youjie.filings.models import Filing

SUPPLEMENT_CODE_PURPOSE = "filings.supplement_code"
SUPPLEMENT_CODE_DIGITS = 8


def supplement_code_hash(filing: Filing, code: str) -> str:
    return lookup_hash(f"{filing.number}:{code}", purpose=SUPPLEMENT_CODE_PURPOSE)
