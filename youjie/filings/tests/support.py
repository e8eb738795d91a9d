"""Shared helpers of the filings tests: a frozen clock on a working Monday, valid identity
numbers, files, and filings made through the services (never by hand)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from youjie.filings import services
from youjie.filings.models import Filing
from youjie.notifications.models import Notification
from youjie.orgs.models import OrgUnit, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, a working day, in the bundled 2026 calendar.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()

# Valid check characters (GB 11643, GB 32100).
PLAINTIFF_ID = "15020619850312002X"
DEFENDANT_ID = "150204199001010033"
OTHER_ID = "150206197005050044"
COMPANY_USCC = "91150206MA0N2X3K1L"
SUBMITTER_PHONE = "13912345678"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def pdf(name: str = "起诉状.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def parties(**overrides: Any) -> list[services.PartyInput]:
    return [
        services.PartyInput(
            role="plaintiff",
            kind="person",
            name="张晓明",
            id_number=PLAINTIFF_ID,
            phone="13800001111",
            address="白云鄂博矿区友谊大街1号",
            **overrides,
        ),
        services.PartyInput(role="defendant", kind="person", name="李大力", id_number=DEFENDANT_ID),
        services.PartyInput(
            role="defendant", kind="enterprise", name="包头市某矿业有限公司", id_number=COMPANY_USCC
        ),
    ]


def filing_input(
    *,
    receiving: str = "BT-BYEB-FY",
    competent: str = "BT-BYEB-FY",
    materials: list[services.MaterialInput] | None = None,
    **overrides: Any,
) -> services.FilingInput:
    values: dict[str, Any] = {
        "receiving_court": unit(receiving),
        "competent_court": unit(competent),
        "case_kind": "civil_first",
        "procedure": "simple",
        "cause": "民间借贷纠纷",
        "claims": "判令被告偿还借款本金50000元及利息",
        "amount": "50000.00",
        "facts_and_reasons": "2025年3月被告向原告借款50000元，约定半年归还，至今未还。",
        "submitter_kind": "party",
        "submitter_name": "张晓明",
        "submitter_phone": SUBMITTER_PHONE,
        "parties": parties(),
        "materials": materials
        if materials is not None
        else [
            services.MaterialInput(kind="complaint", title="起诉状", file=pdf()),
            services.MaterialInput(kind="evidence", title="借条"),
        ],
    }
    values.update(overrides)
    return services.FilingInput(**values)


def submit(actor: User | None = None, **overrides: Any) -> Filing:
    filing, _created = services.filing_submit(actor=actor, data=filing_input(**overrides))
    return filing


def sms_bodies(filing: Filing) -> list[str]:
    return list(
        Notification.objects.filter(subject_id=str(filing.pk), channel="sms")
        .order_by("id")
        .values_list("body", flat=True)
    )


def verbs(filing: Filing) -> list[str]:
    from youjie.core.timeline import timeline_for

    return list(timeline_for(filing).order_by("id").values_list("verb", flat=True))
