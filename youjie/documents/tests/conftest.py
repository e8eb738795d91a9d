"""The documents tests' world: the root personas (a 石拐区 county officer, a 白云鄂博矿区 one, the
city officer), documents stored under a temporary media root, and an organisation unit as the
subject of documents, seen by those who work in it (a stand-in for the petitions app's
registration: ``register_document_access``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from youjie.documents import permissions
from youjie.orgs.models import OrgUnit


@pytest.fixture(autouse=True)
def _media_and_second_factor(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False


def works_in(user: Any, unit: OrgUnit) -> bool:
    return getattr(user, "org_unit_id", None) == unit.pk


@pytest.fixture
def unit_documents(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Documents about an organisation unit are seen by its members (for these tests only)."""
    registry: dict[Any, Any] = permissions._ACCESS
    monkeypatch.setitem(registry, OrgUnit, works_in)
    yield


@pytest.fixture
def shiguai_office(org_tree: None) -> OrgUnit:
    return OrgUnit.objects.get(code="150205-ZXB")
