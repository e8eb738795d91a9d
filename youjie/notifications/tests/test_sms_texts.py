"""SMS texts to citizens: signed by the court, and within two SMS parts for the longest
realistic values (issue 12, item 16). Pure: no database.

Length rules as the platforms publish them for mainland China: the signature (with its 【】)
counts, every character counts one; up to 70 characters is one SMS, a longer text is sent as a
long SMS billed in parts of 67 characters.
"""

from __future__ import annotations

import re

import pytest

from youjie.notifications.checks import notification_settings_check
from youjie.notifications.sms import (
    SMS_TARGET_LENGTH,
    SMS_TEMPLATES,
    sms_length,
    sms_parts,
    sms_render,
    sms_signature,
)

# A 40-character public address (a court's site on its provincial court domain).
LONGEST_PUBLIC_URL = "https://ssfw.byebkqfy.baotou.nmgcourt.cn"
# The longest signature the platforms register: 12 characters between the brackets.
LONGEST_SIGNATURE = "【呼和浩特市新城区人民法院】"
LONGEST_NUMBER = "SS20261231-99999"
# A case number with a three-character type word and a five-digit sequence.
LONGEST_CASE_NUMBER = "（2026）内0206民特监99999号"
REPLY = "关于您询问的开庭时间，经与承办法官核实，" * 250  # 5,000 characters, the form's limit

# Each template's fields at their longest realistic values.
LONGEST_VALUES: dict[str, dict[str, str]] = {
    "desk.registered": {
        "number": LONGEST_NUMBER,
        "track_url": f"{LONGEST_PUBLIC_URL}/portal/track/",
    },
    "desk.replied": {
        "number": LONGEST_NUMBER,
        "reply": REPLY,
        # secrets.token_urlsafe(24): 32 characters
        "feedback_url": f"{LONGEST_PUBLIC_URL}/portal/feedback/{'T' * 32}/",
    },
    "desk.interim_reply": {
        "number": LONGEST_NUMBER,
        "progress": REPLY,
        "track_url": f"{LONGEST_PUBLIC_URL}/portal/track/",
    },
    "desk.checklist": {
        "matter_type": "名" * 50,  # MatterType.name's limit
        # MatterType.code's limit (32) and a two-digit version
        "checklist_url": f"{LONGEST_PUBLIC_URL}/portal/checklists/{'c' * 32}/v99/",
    },
    "portal.tracking_code": {"number": LONGEST_NUMBER, "code": "999999", "minutes": "10"},
    # Hearings: the longest case number the courts' type words make, a date of two-digit
    # month and day, a courtroom name at its field's limit (shortened or left out).
    "courtcases.hearing_scheduled_online": {
        "case_number": LONGEST_CASE_NUMBER,
        "when": "2026年12月31日23:59",
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "courtcases.hearing_scheduled_in_person": {
        "case_number": LONGEST_CASE_NUMBER,
        "when": "2026年12月31日23:59",
        "courtroom": "法" * 100,
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "courtcases.hearing_reminder_online": {
        "case_number": LONGEST_CASE_NUMBER,
        "time": "23:59",
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "courtcases.hearing_reminder_in_person": {
        "case_number": LONGEST_CASE_NUMBER,
        "time": "23:59",
        "courtroom": "法" * 100,
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "courtcases.hearing_postponed": {
        "case_number": LONGEST_CASE_NUMBER,
        "when": "12月31日23:59",
        "new_time": "至2026年12月31日23:59",
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "courtcases.hearing_cancelled": {
        "case_number": LONGEST_CASE_NUMBER,
        "when": "12月31日23:59",
        "portal_url": f"{LONGEST_PUBLIC_URL}/portal/cases/",
    },
    "portal.case_code": {"number": LONGEST_CASE_NUMBER, "code": "999999", "minutes": "10"},
}


def test_length_and_parts_follow_the_carriers_rules() -> None:
    assert sms_parts("字" * 70) == 1
    assert sms_parts("字" * 71) == 2
    assert sms_parts("字" * 134) == 2 and SMS_TARGET_LENGTH == 134
    assert sms_parts("字" * 135) == 3
    assert sms_length("【法院】a1，") == 7  # brackets, letters, digits and punctuation: one each
    assert sms_length("𠮷") == 2  # outside the BMP: two UCS-2 units on the air


def test_the_signature_is_the_courts_short_name(settings) -> None:
    settings.YOUJIE_SMS_SIGN = ""
    assert sms_signature(name="白云鄂博矿区人民法院", short_name="白云鄂博矿区法院") == (
        "【白云鄂博矿区法院】"
    )
    assert sms_signature(name="白云鄂博矿区人民法院", short_name="") == "【白云鄂博矿区人民法院】"
    # Only Chinese, letters and digits are allowed in a signature.
    assert sms_signature(name="白云鄂博矿区 人民法院（本院）", short_name="") == (
        "【白云鄂博矿区人民法院本院】"
    )
    settings.YOUJIE_SMS_SIGN = "【包头白云法院】"  # the one registered with the carrier
    assert sms_signature(name="白云鄂博矿区人民法院", short_name="") == "【包头白云法院】"
    settings.YOUJIE_SMS_SIGN = "包头白云法院"
    assert sms_signature(name="白云鄂博矿区人民法院", short_name="") == "【包头白云法院】"


def test_every_template_has_its_longest_values_here() -> None:
    assert set(LONGEST_VALUES) == set(SMS_TEMPLATES)


@pytest.mark.parametrize("key", sorted(SMS_TEMPLATES))
def test_every_template_is_signed_and_within_two_parts_at_its_longest(key: str) -> None:
    text = sms_render(key, signature=LONGEST_SIGNATURE, **LONGEST_VALUES[key])
    assert text.startswith(LONGEST_SIGNATURE)
    assert text.count("【") == 1  # one signature, at the start
    assert sms_parts(text) <= 2, (sms_length(text), text)
    assert "。。" not in text and "，。" not in text and "：。" not in text
    # Links are whole, at the end of the text (a phone would take a following "。" into them).
    for name, value in LONGEST_VALUES[key].items():
        if name.endswith("_url"):
            assert text.endswith(value)


def test_a_long_free_text_is_shortened_and_a_short_one_is_whole() -> None:
    values = dict(LONGEST_VALUES["desk.interim_reply"])
    long_text = sms_render("desk.interim_reply", signature="【白云鄂博矿区法院】", **values)
    assert "…" in long_text and "关于您询问的开庭时间" in long_text
    values["progress"] = "材料已转执行局。"
    short = sms_render("desk.interim_reply", signature="【白云鄂博矿区法院】", **values)
    assert "：材料已转执行局，" in short and "…" not in short


def test_a_free_text_with_too_little_room_is_left_out() -> None:
    text = sms_render("desk.replied", signature=LONGEST_SIGNATURE, **LONGEST_VALUES["desk.replied"])
    assert "关于您询问" not in text  # no room beside a 40-character address: the link says all
    assert re.match(r"^【[^】]+】诉求SS\d{8}-\d{5}已答复，请查看并评价：https://", text)


def signature_check_ids() -> list[str]:
    ids = [message.id or "" for message in notification_settings_check()]
    return [found for found in ids if found in ("notifications.W002", "notifications.W003")]


def test_the_checks_warn_of_a_second_signature_and_a_malformed_one(settings) -> None:
    settings.YOUJIE_SMS_TEMPLATE = "{body}"
    settings.YOUJIE_SMS_SIGN = ""
    assert signature_check_ids() == []
    settings.YOUJIE_SMS_SIGN = "【白云鄂博矿区法院】"
    assert signature_check_ids() == []
    settings.YOUJIE_SMS_TEMPLATE = "{sign}{body}"  # the old default: signed twice
    assert signature_check_ids() == ["notifications.W002"]
    settings.YOUJIE_SMS_TEMPLATE = "{body}"
    for malformed in ("【有 解】", "【法】", "【内蒙古自治区包头市白云鄂博矿区人民法院】"):
        settings.YOUJIE_SMS_SIGN = malformed
        assert signature_check_ids() == ["notifications.W003"]
