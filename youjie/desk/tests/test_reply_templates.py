"""Reply templates fit the matter type and the person replying (issue 12, item 14): a judge is
offered the judges' answers about hearings, reception its answers about filing, and each the
templates of their own unit or one above it, the most specific first."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from youjie.desk import selectors, services
from youjie.desk.models import MatterType, ReplyTemplate
from youjie.orgs.models import OrgUnit

from .test_pages_actions import act, client_for, intake

pytestmark = pytest.mark.django_db
CASE = "（2026）内0206民初123号"


@pytest.fixture(autouse=True)
def _no_otp(settings):
    settings.YOUJIE_OTP_ENFORCED = False


@pytest.fixture
def templates(matter_types, court, civil_division):
    contact_judge = MatterType.objects.get(code="contact_judge")
    other_unit = OrgUnit.objects.get(code="150205-ZXB")  # another county's office
    made = {
        "general": ReplyTemplate.objects.create(name="通用答复", body="您好，已收到。"),
        "judge": ReplyTemplate.objects.create(
            name="法官：开庭时间", role="judge", body="{姓名}您好，开庭时间另行通知。"
        ),
        "judge_this_matter": ReplyTemplate.objects.create(
            name="法官：联系法官",
            role="judge",
            matter_type=contact_judge,
            body="{姓名}您好，承办法官已知悉您的诉求{编号}。",
        ),
        "judge_civil_division": ReplyTemplate.objects.create(
            name="法官：民事庭", role="judge", unit=civil_division, body="民事审判庭答复。"
        ),
        "reception": ReplyTemplate.objects.create(
            name="接待：立案材料", role="receptionist", body="{姓名}您好，请携带起诉状。"
        ),
        "reception_court": ReplyTemplate.objects.create(
            name="接待：本院", role="receptionist", unit=court, body="本院诉讼服务中心答复。"
        ),
        "other_unit": ReplyTemplate.objects.create(
            name="他单位模板", unit=other_unit, body="其他单位的答复。"
        ),
        "other_matter": ReplyTemplate.objects.create(
            name="离婚材料",
            matter_type=MatterType.objects.get(code="divorce_filing"),
            body="离婚起诉材料。",
        ),
        "inactive": ReplyTemplate.objects.create(
            name="停用模板", role="judge", body="x", is_active=False
        ),
    }
    return made


def _names(user, service_request) -> list[str]:
    return [
        template.name
        for template in selectors.reply_templates_for(user=user, service_request=service_request)
    ]


def _offered_on_page(client: Client, service_request) -> list[str]:
    html = client.get(reverse("desk:detail", args=[service_request.pk])).content.decode()
    select = re.search(r'<select name="template" id="reply-template".*?</select>', html, re.S)
    assert select is not None, "the reply form offers no templates"
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select.group(0))


def test_judge_and_receptionist_are_offered_their_own_templates(
    receptionist, judge, civil_case, templates
):
    service_request = intake(receptionist, related_case_number=CASE, route=True)
    services.service_request_accept(actor=judge, service_request=service_request)
    # Most specific first: this matter type, then the role (nearest unit first), then general.
    assert _names(judge, service_request) == [
        "法官：联系法官",
        "法官：民事庭",
        "法官：开庭时间",
        "通用答复",
    ]
    assert _names(receptionist, service_request) == ["接待：本院", "接待：立案材料", "通用答复"]
    assert _offered_on_page(client_for(judge), service_request) == _names(judge, service_request)


def test_reception_page_offers_reception_templates_only(receptionist, templates):
    service_request = intake(receptionist)  # registered, reception answers it
    offered = _offered_on_page(client_for(receptionist), service_request)
    assert offered == ["接待：本院", "接待：立案材料", "通用答复"]
    assert not {"法官：开庭时间", "他单位模板", "离婚材料", "停用模板"} & set(offered)


def test_a_template_not_offered_to_the_user_is_refused(receptionist, templates):
    service_request = intake(receptionist)
    client = client_for(receptionist)
    response = act(client, service_request, "reply", template=templates["judge"].pk, body="")
    assert response.status_code == 422
    assert not service_request.replies.exists()
    response = act(client, service_request, "reply", template=templates["reception"].pk, body="")
    assert response.status_code == 302
    assert service_request.replies.get().body == "李四您好，请携带起诉状。"


def test_a_user_without_a_unit_or_roles_gets_the_general_templates_only(
    receptionist, templates, django_user_model
):
    service_request = intake(receptionist)
    nobody = django_user_model.objects.create_user(username="nobody", password="pw-nobody")
    assert _names(nobody, service_request) == ["通用答复"]


def test_admin_edits_role_and_unit(client, administrator, court, matter_types):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    response = client.post(
        reverse("admin:desk_replytemplate_add"),
        {"name": "法官模板", "role": "judge", "unit": str(court.pk), "body": "答复。"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    template = ReplyTemplate.objects.get(name="法官模板")
    assert (template.role, template.unit, template.is_active) == ("judge", court, False)
    response = client.post(
        reverse("admin:desk_replytemplate_add"), {"name": "通用", "role": "", "body": "答复。"}
    )
    assert response.status_code == 302
    assert ReplyTemplate.objects.get(name="通用").role is None  # blank: every role
    listing = client.get(reverse("admin:desk_replytemplate_changelist")).content.decode()
    assert "适用角色" in listing and "适用机构" in listing and "法官" in listing
