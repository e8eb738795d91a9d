"""Keyset-free, bounded page-number pagination shared by lists (pages and API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

MAX_PAGE_SIZE = 100


@dataclass
class Page:
    items: list[Any]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_bounds(page: int | str | None, size: int) -> tuple[int, int]:
    """The page number (1 to 10,000; anything else is page 1) and the page size (1 to 100)."""
    try:
        number = max(1, min(int(page or 1), 10_000))
    except (TypeError, ValueError):
        number = 1
    return number, max(1, min(size, MAX_PAGE_SIZE))


def paginate(queryset: QuerySet[Any], *, page: int | str | None, size: int = 25) -> Page:
    """Fetch one page plus one extra row to know whether a next page exists (no COUNT(*))."""
    return paginate_with(lambda offset, limit: list(queryset[offset : offset + limit]), page, size)


def paginate_with(
    fetch: Callable[[int, int], list[Any]], page: int | str | None, size: int = 25
) -> Page:
    """``paginate`` over ``fetch(offset, limit)``, for rows read otherwise than by slicing."""
    number, size = page_bounds(page, size)
    rows = fetch((number - 1) * size, size + 1)
    return Page(items=rows[:size], number=number, size=size, has_next=len(rows) > size)
