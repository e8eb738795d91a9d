"""Helpers of the mediation tests: a frozen clock, filings made through the filings service
(``filing_submit``, never by hand), and a mediation taken to a given stage through the
services."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from youjie.filings.models import Filing
from youjie.filings.services import FilingInput, MaterialInput, PartyInput, filing_submit
from youjie.mediation import services
from youjie.mediation.models import Mediation
from youjie.orgs.models import OrgUnit, User
from youjie.people.validators import resident_id_check_char

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Tuesday before the National Day holiday (10-01…10-07; 10-10, a Saturday, is worked).
NOW = datetime(2026, 9, 29, 9, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMITTER_MOBILE = "13904721234"
DEFENDANT_MOBILE = "13704725678"


def resident_id(serial: int) -> str:
    first17 = f"15020619800517{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_filing(
    *,
    court_code: str = "BT-BYEB-FY",
    consent: bool = True,
    cause: str = "民间借贷纠纷",
    serial: int = 1,
    submitter_mobile: str = SUBMITTER_MOBILE,
    defendant_mobile: str = DEFENDANT_MOBILE,
) -> Filing:
    """A filing made at its competent court (so it starts in review), with the submitter's and
    the defendant's mobiles."""
    court = unit(court_code)
    filing, _ = filing_submit(
        actor=None,
        data=FilingInput(
            receiving_court=court,
            competent_court=court,
            case_kind="civil_first",
            cause=cause,
            claims="判令被告归还借款50000元及利息",
            facts_and_reasons="2025年3月被告向原告借款50000元，约定一年内归还，至今未还。",
            submitter_kind="party",
            submitter_name="王建华",
            submitter_phone=submitter_mobile,
            parties=[
                PartyInput(
                    role="plaintiff",
                    kind="person",
                    name="王建华",
                    id_number=resident_id(serial),
                    phone=submitter_mobile,
                ),
                PartyInput(role="defendant", kind="person", name="李强", phone=defendant_mobile),
            ],
            materials=[
                MaterialInput(
                    kind="complaint",
                    title="起诉状",
                    file=SimpleUploadedFile("complaint.pdf", PDF, content_type="application/pdf"),
                )
            ],
            amount="50000",
            mediation_consent=consent,
        ),
    )
    return filing


def delegate(
    actor: User, mediator: User, filing: Filing | None = None, *, serial: int = 1
) -> Mediation:
    return services.mediation_delegate(
        actor=actor,
        filing=filing or make_filing(serial=serial),
        mode="delegated",
        organisation=unit("150206-TJW"),
        mediator=mediator,
        note="当事人同意诉前调解",
    )


def accepted(actor: User, mediator: User, *, serial: int = 1) -> Mediation:
    mediation = delegate(actor, mediator, serial=serial)
    return services.mediation_accept(actor=mediator, mediation=mediation)


def tomorrow_at(hour: int, now: datetime = NOW) -> datetime:
    day = now.astimezone(SHANGHAI).date() + timedelta(days=1)
    return datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI).replace(hour=hour)


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()
