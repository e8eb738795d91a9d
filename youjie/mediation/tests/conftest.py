"""Fixtures of the mediation tests: the clock frozen on a working Tuesday before the National
Day holiday, uploads kept out of the project's media folder."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from youjie.mediation.tests.support import NOW


@pytest.fixture
def frozen() -> Iterator[Any]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
