"""Core's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
the home page, the pagination every list reads, and an address nothing resolves."""

from __future__ import annotations

from urllib.parse import quote

from tests.hostile.cases import HostileCases

CASES = HostileCases(
    query_names=("page",),  # youjie.core.pagination
    unresolvable=("/" + quote("诉" * 3000) + "/",),
    body_ignored={"home": "receptionist"},
)
