"""Configurable rules of the court figures, read from settings at call time.

``YOUJIE_ACCEPTANCE_RATE_SUBTRACT`` (config/settings/base.py, from the environment as a
comma-separated list): what 一审服判息诉率's numerator subtracts from 一审结案 (DOMAIN.md §9):

- ``appealed``: 上诉(含抗诉) — always; the rate is (一审结案 − 上诉) ÷ 一审结案 and 上诉率 is its
  complement;
- ``petitioned``: also the cases whose effective judgment was the subject of 申请再审 or 申诉
  (``CourtCase.petitioned``), as some courts count it. A case both appealed and petitioned is
  subtracted once.

A malformed value raises ImproperlyConfigured; ``youjie.analytics.checks`` makes that fail at
start-up rather than on the first figures page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

APPEALED = "appealed"
PETITIONED = "petitioned"
SUBTRACT_LABELS: dict[str, str] = {APPEALED: "上诉(含抗诉)", PETITIONED: "申请再审或申诉"}


def acceptance_rate_subtracts() -> tuple[str, ...]:
    """The components 一审服判息诉率 subtracts, ``appealed`` first, each once."""
    raw = getattr(settings, "YOUJIE_ACCEPTANCE_RATE_SUBTRACT", [APPEALED])
    if isinstance(raw, str) or not isinstance(raw, list | tuple):
        raise ImproperlyConfigured(
            f"YOUJIE_ACCEPTANCE_RATE_SUBTRACT 应为列表，如 appealed,petitioned；现为 {raw!r}"
        )
    names = [str(name).strip() for name in raw]
    unknown = [name for name in names if name not in SUBTRACT_LABELS]
    if unknown:
        raise ImproperlyConfigured(
            f"YOUJIE_ACCEPTANCE_RATE_SUBTRACT 含未知项 {unknown!r}；可用：appealed、petitioned"
        )
    if APPEALED not in names:
        raise ImproperlyConfigured(
            "YOUJIE_ACCEPTANCE_RATE_SUBTRACT 必须包含 appealed：一审服判息诉率总是扣除上诉案件"
        )
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"YOUJIE_ACCEPTANCE_RATE_SUBTRACT 有重复项：{raw!r}")
    return tuple(name for name in SUBTRACT_LABELS if name in names)
