"""Finding a case number and a mobile number in a citizen's free text (a WeChat message).

Pure functions, no database: ``services.wechat_message_record`` decides what to do with what
they find.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

from youjie.courtcases import CaseNumber, parse_case_number
from youjie.people.validators import normalize_mobile

# The longest WeChat message kept (and so the most text ever scanned here).
WECHAT_CONTENT_MAX = 2000
# （2026）内0206民初123号 or (2026)内0206民初123号 anywhere in free text; parse_case_number decides.
_CASE_NUMBER_IN_TEXT = re.compile(
    r"[（(〔\[［【]\s*[0-9０-９]{4}\s*[）)〕\]］】][^\s（()）]{2,40}?号"
)
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?(1[3-9][0-9](?:[\s-]?[0-9]){8})(?![0-9])")


def case_number_find(text: str) -> CaseNumber | None:
    """The first well-formed case number written in ``text``, if any."""
    for match in _CASE_NUMBER_IN_TEXT.finditer(text[:WECHAT_CONTENT_MAX]):
        try:
            return parse_case_number(match.group(0))
        except ValidationError:
            continue
    return None


def mobile_find(text: str) -> str:
    """The first mainland mobile number written in ``text`` (full-width digits too), or ""."""
    for match in _MOBILE_IN_TEXT.finditer(unicodedata.normalize("NFKC", text[:WECHAT_CONTENT_MAX])):
        try:
            return normalize_mobile(match.group(1))
        except ValidationError:
            continue
    return ""
