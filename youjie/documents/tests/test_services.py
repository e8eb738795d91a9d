"""Issuing a document: rendered, hashed, stored owner-only and recorded in one transaction."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from youjie.core.errors import ValidationFailed
from youjie.core.models import Event
from youjie.core.timeline import timeline_for
from youjie.documents import services
from youjie.documents.choices import DocumentFormat, DocumentKind
from youjie.documents.gbt9704 import render_document
from youjie.documents.models import DOCX_CONTENT_TYPE, IssuedDocument
from youjie.documents.permissions import may_see_issued_document
from youjie.documents.selectors import issued_documents_for
from youjie.documents.services import document_issue, download_name
from youjie.documents.tests.factories import bulletin, letter
from youjie.orgs.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_issue_records_the_sha256_of_the_stored_bytes(
    city_officer: User, shiguai_office: OrgUnit
) -> None:
    document = letter()
    issued = document_issue(
        actor=city_officer,
        document=document,
        kind=DocumentKind.LETTER,
        subject=shiguai_office,
        inputs={"letter_id": 7, "matters": [1, 2, 3]},
    )
    issued.refresh_from_db()
    with issued.file.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == issued.sha256
    assert issued.size == len(content)
    assert content == render_document(document)  # the document as rendered, unchanged
    assert content[:2] == b"PK"  # a .docx is a zip package
    assert issued.kind == DocumentKind.LETTER
    assert issued.format == DocumentFormat.LETTER
    assert issued.number == "包政法专督〔2026〕3号"
    assert issued.title == "关于督促办理王某某涉法涉诉信访事项的函"
    assert issued.issued_by == city_officer
    assert issued.subject_id == str(shiguai_office.pk)
    assert issued.subject_type is not None
    assert issued.subject_type.model_class() is OrgUnit
    assert issued.inputs == {"letter_id": 7, "matters": [1, 2, 3]}
    assert issued.content_type == DOCX_CONTENT_TYPE
    assert issued.file_name == "包政法专督〔2026〕3号关于督促办理王某某涉法涉诉信访事项的函.docx"


def test_the_file_is_stored_under_the_media_root_readable_by_its_owner_only(
    city_officer: User,
) -> None:
    issued = document_issue(actor=city_officer, document=bulletin(), kind=DocumentKind.BULLETIN)
    path = Path(issued.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "documents")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_issue_writes_an_event_on_the_subject_in_the_same_transaction(
    city_officer: User, shiguai_office: OrgUnit
) -> None:
    issued = document_issue(
        actor=city_officer, document=letter(), kind=DocumentKind.LETTER, subject=shiguai_office
    )
    (event,) = timeline_for(shiguai_office)
    assert event.verb == "document_issued"
    assert event.actor == city_officer
    assert event.data == {
        "document_id": issued.pk,
        "kind": "letter",
        "number": "包政法专督〔2026〕3号",
        "title": "关于督促办理王某某涉法涉诉信访事项的函",
        "sha256": issued.sha256,
    }


def test_a_failed_event_leaves_no_record(
    city_officer: User, shiguai_office: OrgUnit, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("timeline unavailable")

    monkeypatch.setattr(services, "event_record", broken)
    with pytest.raises(RuntimeError):
        document_issue(
            actor=city_officer, document=letter(), kind=DocumentKind.LETTER, subject=shiguai_office
        )
    assert not IssuedDocument.objects.exists()


def test_without_a_subject_no_event_is_written(city_officer: User) -> None:
    issued = document_issue(actor=city_officer, document=bulletin(), kind=DocumentKind.BULLETIN)
    assert issued.subject_type is None
    assert issued.subject_id == ""
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kind": "memo"}, "document_kind"),
        ({"inputs": {"when": object()}}, "document_inputs"),
        ({"inputs": {"ids": list(range(10_000))}}, "document_inputs"),
        ({"inputs": ["not", "a", "mapping"]}, "document_inputs"),
        ({"subject": OrgUnit(code="unsaved")}, "document_subject"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(
    city_officer: User, changes: dict[str, Any], code: str
) -> None:
    arguments: dict[str, Any] = {"kind": DocumentKind.LETTER, "subject": None, **changes}
    with pytest.raises(ValidationFailed) as caught:
        document_issue(actor=city_officer, document=letter(), **arguments)
    assert caught.value.code == code
    assert not IssuedDocument.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "documents").exists()


def test_documents_for_a_subject_newest_first(
    city_officer: User, shiguai_office: OrgUnit, court: OrgUnit
) -> None:
    first = document_issue(
        actor=city_officer, document=letter(), kind=DocumentKind.LETTER, subject=shiguai_office
    )
    second = document_issue(
        actor=city_officer,
        document=letter(number="包政法专督〔2026〕4号"),
        kind=DocumentKind.LETTER,
        subject=shiguai_office,
    )
    document_issue(actor=city_officer, document=letter(), kind=DocumentKind.LETTER, subject=court)
    assert list(issued_documents_for(shiguai_office)) == [second, first]
    assert [d.number for d in issued_documents_for(court)] == ["包政法专督〔2026〕3号"]


def test_download_name_is_safe() -> None:
    name = download_name(letter(title='关于/督办\\"事项"的函'))
    assert name == "包政法专督〔2026〕3号关于督办事项的函.docx"
    assert len(download_name(letter(title="长" * 200))) <= services.FILE_NAME_MAX


def test_who_may_see_a_document(
    county_officer: User, byeb_county_officer: User, shiguai_office: OrgUnit, unit_documents: None
) -> None:
    see = may_see_issued_document
    issuer = byeb_county_officer.pk
    assert see(county_officer, issued_by_id=issuer, subject=shiguai_office, has_subject=True)
    assert not see(
        byeb_county_officer, issued_by_id=issuer, subject=shiguai_office, has_subject=True
    )
    # The subject is gone: nobody but a superuser reaches the document through it.
    assert not see(county_officer, issued_by_id=issuer, subject=None, has_subject=True)
    # No subject: the issuer only.
    assert see(byeb_county_officer, issued_by_id=issuer, subject=None, has_subject=False)
    assert not see(county_officer, issued_by_id=issuer, subject=None, has_subject=False)
    # A subject whose app registered no access rule: nobody.
    region = shiguai_office.region
    assert not see(county_officer, issued_by_id=county_officer.pk, subject=region, has_subject=True)
