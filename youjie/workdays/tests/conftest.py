from __future__ import annotations

from collections.abc import Iterator

import pytest

from youjie.workdays.calendar import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Each test's database changes roll back; the in-process cache must not outlive them.
    clear_calendar_cache()
    yield
    clear_calendar_cache()
