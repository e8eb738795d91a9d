"""Attachments: type and size checks before anything is written, scoped download, intake."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from youjie.core.models import Event
from youjie.desk.models import Attachment, ServiceRequest
from youjie.desk.services import IntakeData, service_request_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def registered(receptionist) -> ServiceRequest:
    request, _ = service_request_create(
        actor=receptionist,
        data=IntakeData(
            channel="letter",
            matter_type_code="demand",
            title="来信反映执行问题",
            content="来信反映执行款未到账。",
            requester_name="李四",
            route=False,
        ),
    )
    return request


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_upload_and_download_with_hash_and_event(receptionist, matter_types):
    request = registered(receptionist)
    client = login(receptionist)
    response = client.post(
        f"/desk/{request.pk}/attachments/",
        {"attachment": SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(service_request=request)
    assert attachment.original_name == "来信.pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert Event.objects.filter(subject_id=str(request.pk), verb="attachment_added").exists()
    download = client.get(f"/desk/{request.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download.getvalue() == PDF
    assert "attachment;" in download["Content-Disposition"]
    assert "来信.pdf" in client.get(f"/desk/{request.pk}/").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ" + b"\x00" * 10, "只接受 PDF、JPG、PNG"),
        ("伪装.pdf", b"MZ" + b"\x00" * 10, "附件内容与扩展名不符"),
        ("空.png", b"", "附件为空"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    receptionist, matter_types, name, content, message
):
    request = registered(receptionist)
    response = login(receptionist).post(
        f"/desk/{request.pk}/attachments/", {"attachment": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Event.objects.filter(verb="attachment_added").exists()


def test_oversized_file_is_refused(receptionist, matter_types, settings):
    settings.YOUJIE_MAX_UPLOAD_BYTES = 1024 * 1024
    request = registered(receptionist)
    big = PNG + b"\x00" * (1024 * 1024)
    response = login(receptionist).post(
        f"/desk/{request.pk}/attachments/", {"attachment": SimpleUploadedFile("大图.png", big)}
    )
    assert response.status_code == 422 and "附件不能超过 1 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_download_and_upload_are_scoped(receptionist, other_judge, county_officer, matter_types):
    request = registered(receptionist)
    client = login(receptionist)
    client.post(
        f"/desk/{request.pk}/attachments/", {"attachment": SimpleUploadedFile("a.png", PNG)}
    )
    attachment = Attachment.objects.get()
    for outsider in (other_judge, county_officer):
        other = login(outsider)
        assert other.get(f"/desk/{request.pk}/attachments/{attachment.pk}/").status_code == 404
        upload = other.post(
            f"/desk/{request.pk}/attachments/", {"attachment": SimpleUploadedFile("b.png", PNG)}
        )
        assert upload.status_code == 404
    assert Attachment.objects.count() == 1


def test_letter_registered_with_its_scan(receptionist, matter_types):
    client = login(receptionist)
    page = client.get("/desk/new/")
    key = page.context["form"].initial["submission_key"]
    response = client.post(
        "/desk/new/",
        {
            "submission_key": key,
            "channel": "letter",
            "requester_name": "王五",
            "matter_type": "demand",
            "title": "来信反映问题",
            "content": "来信内容。",
            "attachment": SimpleUploadedFile("来信扫描.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request = ServiceRequest.objects.get()
    assert [a.original_name for a in request.attachments.all()] == ["来信扫描.jpg"]


def test_api_upload_checks_type_and_scope(receptionist, other_judge, matter_types):
    request = registered(receptionist)
    client = login(receptionist)
    ok = client.post(
        f"/api/v1/desk/requests/{request.pk}/attachments",
        {"attachment": SimpleUploadedFile("材料.pdf", PDF)},
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    bad = client.post(
        f"/api/v1/desk/requests/{request.pk}/attachments",
        {"attachment": SimpleUploadedFile("x.pdf", b"MZ\x00\x00")},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "attachment_type"
    outsider = login(other_judge).post(
        f"/api/v1/desk/requests/{request.pk}/attachments",
        {"attachment": SimpleUploadedFile("y.pdf", PDF)},
    )
    assert outsider.status_code == 404
    assert Attachment.objects.count() == 1
