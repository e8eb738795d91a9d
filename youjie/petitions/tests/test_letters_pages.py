"""The letter pages: the city office drafts and sends a 督办函 (a second submission of the same
page creates nothing twice), the county office reads only its own and replies, the .docx is
downloaded through the documents app (audited), and refusals are shown in Chinese."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from youjie.core.models import AuditEntry
from youjie.petitions.choices import LetterStatus
from youjie.petitions.models import PetitionMatter, SupervisionLetter

from .conftest import NOW, assign, make_matter, unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture(autouse=True)
def _settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_OTP_ENFORCED = False


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shiguai(city_officer: Any, lead_official: Any) -> PetitionMatter:
    return assign(city_officer, make_matter(city_officer, region_code="150205"), lead=lead_official)


def letter_form(matter: PetitionMatter, **overrides: Any) -> dict[str, Any]:
    data = {
        "submission_key": "k" * 32,
        "recipient_unit": str(unit("150205-ZXB").pk),
        "numbers": matter.number,
        "title": "",
        "requirements": "请逐案核查，落实包案责任。",
        "due_on": (NOW.date() + timedelta(days=10)).isoformat(),
        "send_now": "on",
    }
    data.update(overrides)
    return data


def test_the_city_office_drafts_and_sends_and_the_county_office_replies(
    city_officer, county_officer, lead_official
):
    matter = shiguai(city_officer, lead_official)
    city = signed_in(city_officer)
    page = city.get(reverse("petitions:letter_create"))
    assert page.status_code == 200 and "拟制督办函" in page.content.decode()
    response = city.post(reverse("petitions:letter_create"), letter_form(matter))
    letter = SupervisionLetter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:letter_detail", args=[letter.pk])
    assert letter.status == LetterStatus.SENT and letter.number == "包政法专督〔2026〕1号"
    # The same page submitted twice: nothing created twice.
    again = city.post(reverse("petitions:letter_create"), letter_form(matter))
    assert again.status_code == 302 and SupervisionLetter.objects.count() == 1
    detail = city.get(reverse("petitions:letter_detail", args=[letter.pk])).content.decode()
    assert "包政法专督〔2026〕1号" in detail and "下载督办函" in detail

    county = signed_in(county_officer)
    listing = county.get(reverse("petitions:letter_list")).content.decode()
    assert "包政法专督〔2026〕1号" in listing
    download = county.get(reverse("documents:download", args=[letter.document_id]))
    assert download.status_code == 200
    assert download.getvalue()[:2] == b"PK"
    assert AuditEntry.objects.filter(action="document_download").count() == 1
    replied = county.post(
        reverse("petitions:letter_reply", args=[letter.pk]),
        {"reply_text": "已约见信访人，正在落实。", "replied_on": ""},
    )
    assert replied.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.REPLIED and letter.replied_by == county_officer


def test_a_draft_is_sent_from_its_page_and_a_stale_send_is_refused(city_officer, lead_official):
    matter = shiguai(city_officer, lead_official)
    city = signed_in(city_officer)
    city.post(reverse("petitions:letter_create"), letter_form(matter, send_now=""))
    letter = SupervisionLetter.objects.get()
    assert letter.status == LetterStatus.DRAFT
    url = reverse("petitions:letter_send", args=[letter.pk])
    assert city.post(url, {"expected_status": "draft"}).status_code == 302
    stale = city.post(url, {"expected_status": "draft"})
    assert stale.status_code == 422 and "页面内容已过期" in stale.content.decode()
    letter.refresh_from_db()
    assert letter.number == "包政法专督〔2026〕1号"


def test_refusals_are_shown_in_chinese_and_write_nothing(
    city_officer, county_officer, byeb_county_officer, lead_official
):
    matter = shiguai(city_officer, lead_official)
    city = signed_in(city_officer)
    unknown = city.post(
        reverse("petitions:letter_create"), letter_form(matter, numbers="信访〔2026〕999号")
    )
    assert unknown.status_code == 422
    assert "信访〔2026〕999号不存在或无权查看" in unknown.content.decode()
    past = city.post(
        reverse("petitions:letter_create"),
        letter_form(matter, due_on=(NOW.date() - timedelta(days=1)).isoformat()),
    )
    assert past.status_code == 422 and "答复期限不能早于今天" in past.content.decode()
    assert not SupervisionLetter.objects.exists()
    # A county office has no 发文机关代字: the page is not theirs.
    assert signed_in(county_officer).get(reverse("petitions:letter_create")).status_code == 403
    city.post(reverse("petitions:letter_create"), letter_form(matter))
    letter = SupervisionLetter.objects.get()
    # Another county's officer: the letter does not exist for them.
    other = signed_in(byeb_county_officer)
    assert other.get(reverse("petitions:letter_detail", args=[letter.pk])).status_code == 404
    refused = other.post(
        reverse("petitions:letter_reply", args=[letter.pk]), {"reply_text": "答复"}
    )
    assert refused.status_code == 404
    assert other.get(reverse("documents:download", args=[letter.document_id])).status_code == 404
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT


def test_the_list_takes_a_fixed_number_of_queries(
    city_officer, lead_official, django_assert_max_num_queries
):
    matter = shiguai(city_officer, lead_official)
    city = signed_in(city_officer)
    for index in range(3):
        city.post(
            reverse("petitions:letter_create"),
            letter_form(matter, submission_key=f"key{index:030d}", title=f"督办函{index}"),
        )
    assert SupervisionLetter.objects.count() == 3
    with django_assert_max_num_queries(12):
        page = city.get(reverse("petitions:letter_list"), {"status": "sent"})
    assert page.content.decode().count('<td class="number">包政法专督〔2026〕') == 3
