"""Court cases imported from the court's own case system, and case-number parsing.

``parse_case_number`` and ``CaseNumber`` are re-exported lazily, so that importing the
package (e.g. from settings or another app's module level) does not import Django models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from youjie.courtcases.numbers import CaseNumber, parse_case_number

__all__ = ["CaseNumber", "parse_case_number"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from youjie.courtcases import numbers

        return getattr(numbers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
