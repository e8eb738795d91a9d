"""The download: to those who may see the document's subject, with a Chinese file name, audited."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.models import AuditEntry
from youjie.documents.choices import DocumentKind
from youjie.documents.models import DOCX_CONTENT_TYPE, IssuedDocument
from youjie.documents.services import document_issue
from youjie.documents.tests.factories import bulletin, letter
from youjie.orgs.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def issued_letter(city_officer: User, shiguai_office: OrgUnit) -> IssuedDocument:
    return document_issue(
        actor=city_officer, document=letter(), kind=DocumentKind.LETTER, subject=shiguai_office
    )


def url(document: IssuedDocument) -> str:
    return reverse("documents:download", args=[document.pk])


def test_a_user_who_may_see_the_subject_downloads_it_and_is_audited(
    county_officer: User, issued_letter: IssuedDocument, unit_documents: None
) -> None:
    response = client_for(county_officer).get(url(issued_letter))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with issued_letter.file.open("rb") as stored:
        assert content == stored.read()
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    # The Chinese name as RFC 5987 encodes it (UTF-8, percent-escaped).
    expected = quote("包政法专督〔2026〕3号关于督促办理王某某涉法涉诉信访事项的函.docx")
    assert f"filename*=utf-8''{expected}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    (entry,) = AuditEntry.objects.all()
    assert entry.action == "document_download"
    assert entry.actor == county_officer
    assert (entry.subject_type, entry.subject_id) == (
        "documents.issueddocument",
        str(issued_letter.pk),
    )
    assert "包政法专督〔2026〕3号" in entry.purpose


def test_a_user_who_may_not_see_the_subject_gets_404_and_nothing_is_audited(
    byeb_county_officer: User, issued_letter: IssuedDocument, unit_documents: None
) -> None:
    response = client_for(byeb_county_officer).get(url(issued_letter))
    assert response.status_code == 404
    assert "公文不存在或无权查看" in response.content.decode()
    assert not AuditEntry.objects.exists()


def test_without_an_access_rule_for_the_subject_nobody_downloads(
    county_officer: User, city_officer: User, issued_letter: IssuedDocument
) -> None:
    # No app registered document access for organisation units: not even the issuer.
    for user in (county_officer, city_officer):
        assert client_for(user).get(url(issued_letter)).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_superuser_downloads_any_document(
    administrator: User, issued_letter: IssuedDocument
) -> None:
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    assert client_for(administrator).get(url(issued_letter)).status_code == 200
    assert AuditEntry.objects.filter(actor=administrator).count() == 1


def test_a_document_without_subject_is_the_issuers(
    city_officer: User, county_officer: User
) -> None:
    issued = document_issue(actor=city_officer, document=bulletin(), kind=DocumentKind.BULLETIN)
    assert client_for(county_officer).get(url(issued)).status_code == 404
    assert client_for(city_officer).get(url(issued)).status_code == 200


def test_anonymous_is_sent_to_log_in(issued_letter: IssuedDocument, unit_documents: None) -> None:
    response = client_for(None).get(url(issued_letter))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not AuditEntry.objects.exists()


def test_unknown_document_and_post_are_refused(
    county_officer: User, issued_letter: IssuedDocument, unit_documents: None
) -> None:
    client = client_for(county_officer)
    assert client.get(reverse("documents:download", args=[10**9])).status_code == 404
    assert client.get("/documents/99999999999999999999999/download/").status_code == 404
    assert client.post(url(issued_letter)).status_code == 405
    assert not AuditEntry.objects.exists()


def test_a_missing_file_is_a_clear_404(
    county_officer: User, issued_letter: IssuedDocument, unit_documents: None
) -> None:
    Path(issued_letter.file.path).unlink()
    response = client_for(county_officer).get(url(issued_letter))
    assert response.status_code == 404
    assert "公文文件已不存在" in response.content.decode()
    assert not AuditEntry.objects.exists()
