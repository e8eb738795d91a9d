"""Helpers shared by the petitions API schemas: the limits of ids, codes, usernames and lists, the
type of a day, and the name of an optional related row.
"""

from __future__ import annotations

from datetime import date

ID_MAX = 2**63 - 1
CODE_MAX = 32
USERNAME_MAX = 150
MAX_ITEMS = 50
MAX_CAMPAIGN_MATTERS = 500
DateText = date


def _name(value: object) -> str:
    return str(value) if value is not None else ""
