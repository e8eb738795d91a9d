"""SMS texts to citizens: the signature, the length rules, and every template in one place.

What the carriers in mainland China require (as the SMS platforms publish it: Alibaba Cloud's
签名规范 and 短信发送规则, Huawei Cloud's 内容长度计算规则):

- A text begins with its sender's signature in 【】: the real name or short name of the sender
  — a court signs as itself, e.g. 【白云鄂博矿区法院】, not with the software's name — of 2 to 12
  characters, Chinese, letters or digits only. One signature per text.
- Its length is the signature, brackets included, plus the body, each character counting one
  (a character outside the BMP takes two UCS-2 units on the air, and is counted so here). Up to
  70 characters is one SMS; a longer text arrives as one long SMS, split and billed in parts of
  67 characters.

Every template below stays within two parts (134 characters) at the longest realistic values
(tests/test_sms_texts.py checks each one): its one free-text field (an excerpt of a reply, a
matter type's name) is shortened to fit or left out, and what is long (a checklist, a whole
answer) goes as a link to the page that shows it. Links end the text, so that a phone does not
take a following "。" into them.

``YOUJIE_SMS_SIGN``, read at call time, is the signature registered with the carrier; when it is
empty, texts are signed with the short name (else the name) of the court they come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

SMS_SINGLE_MAX = 70
SMS_PART_MAX = 67
SMS_TARGET_PARTS = 2
SMS_TARGET_LENGTH = SMS_TARGET_PARTS * SMS_PART_MAX
SIGNATURE_MAX = 12
# A shortened free text shorter than this says nothing useful: the field is left out.
EXCERPT_MIN = 10

_NOT_IN_SIGNATURE = re.compile(r"[^0-9A-Za-z\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")
_TRAILING_PUNCTUATION = "。．.，,；;：:！!？?、 "


def sms_length(text: str) -> int:
    """The length as the carriers count it (UCS-2 units)."""
    return sum(2 if ord(character) > 0xFFFF else 1 for character in text)


def sms_parts(text: str) -> int:
    """How many SMS the text is billed as."""
    length = sms_length(text)
    if length <= SMS_SINGLE_MAX:
        return 1
    return -(-length // SMS_PART_MAX)


def sms_signature(*, name: str, short_name: str = "") -> str:
    """The 【signature】 for texts from the court with this name: ``YOUJIE_SMS_SIGN`` when set,
    else the court's short name (else its name) with what a signature may not hold removed."""
    configured = str(getattr(settings, "YOUJIE_SMS_SIGN", "") or "").strip()
    if configured:
        inner = configured.removeprefix("【").removesuffix("】")
        return f"【{inner}】"
    inner = _NOT_IN_SIGNATURE.sub("", short_name or name)
    return f"【{inner}】" if inner else ""


def sms_signature_problem(configured: str) -> str:
    """What is wrong with a configured ``YOUJIE_SMS_SIGN`` ("" when nothing, or when empty)."""
    inner = configured.strip().removeprefix("【").removesuffix("】")
    if not configured.strip():
        return ""
    if _NOT_IN_SIGNATURE.search(inner):
        return f"{configured!r} holds characters other than Chinese, letters and digits"
    if not 2 <= sms_length(inner) <= SIGNATURE_MAX:
        return f"{configured!r} is {sms_length(inner)} characters, not 2 to {SIGNATURE_MAX}"
    return ""


@dataclass(frozen=True)
class SmsTemplate:
    """``text`` is a ``str.format`` template beginning with ``{signature}``. ``shorten`` names
    its one free-text field, cut to keep the whole within ``SMS_TARGET_LENGTH``; ``shown_as``
    is how that field appears (``"：{}"``), and it is left out whole when too little room is
    left for it."""

    text: str
    shorten: str = ""
    shown_as: str = "{}"


SMS_TEMPLATES: dict[str, SmsTemplate] = {
    "desk.registered": SmsTemplate(
        "{signature}您的诉求已登记，编号{number}。凭编号和手机号可查询办理进度：{track_url}"
    ),
    "desk.replied": SmsTemplate(
        "{signature}诉求{number}已答复{reply}，请查看并评价：{feedback_url}",
        shorten="reply",
        shown_as="：{}",
    ),
    "desk.interim_reply": SmsTemplate(
        "{signature}您的诉求{number}有新进展{progress}，详情请凭编号和手机号查询：{track_url}",
        shorten="progress",
        shown_as="：{}",
    ),
    "desk.checklist": SmsTemplate(
        "{signature}您咨询的{matter_type}一次告知清单（所需材料和办理流程）：{checklist_url}",
        shorten="matter_type",
        shown_as="“{}”",
    ),
    "portal.tracking_code": SmsTemplate(
        "{signature}验证码{code}，用于查询诉求{number}的办理进度，{minutes}分钟内有效。"
        "请勿告诉他人。"
    ),
    # Hearings (youjie.courtcases.hearings): the video link is not in the text; a party reads
    # it on the portal's case page after the phone-code check (``portal_url``).
    "courtcases.hearing_scheduled_online": SmsTemplate(
        "{signature}{case_number}定于{when}在线开庭，请准时登录参加。链接凭案号和手机号查询："
        "{portal_url}"
    ),
    "courtcases.hearing_scheduled_in_person": SmsTemplate(
        "{signature}{case_number}定于{when}{courtroom}开庭，请准时到庭。详情凭案号和手机号查询："
        "{portal_url}",
        shorten="courtroom",
        shown_as="在{}",
    ),
    "courtcases.hearing_reminder_online": SmsTemplate(
        "{signature}提醒：{case_number}将于明天{time}在线开庭，请准时登录参加。"
        "链接凭案号和手机号查询：{portal_url}"
    ),
    "courtcases.hearing_reminder_in_person": SmsTemplate(
        "{signature}提醒：{case_number}将于明天{time}{courtroom}开庭，请准时到庭。"
        "详情凭案号和手机号查询：{portal_url}",
        shorten="courtroom",
        shown_as="在{}",
    ),
    "courtcases.hearing_postponed": SmsTemplate(
        "{signature}{case_number}原定{when}的开庭延期{new_time}。详见：{portal_url}"
    ),
    "courtcases.hearing_cancelled": SmsTemplate(
        "{signature}{case_number}原定{when}的开庭已取消。详见：{portal_url}"
    ),
    # The portal's case progress (网上查询): the code before a party's case is shown.
    "portal.case_code": SmsTemplate(
        "{signature}验证码{code}，用于查询案件{number}的进度，{minutes}分钟内有效。请勿告诉他人。"
    ),
}


def _fit(value: str, room: int) -> str:
    """``value`` on one line without closing punctuation, cut to ``room`` with "…"; empty
    when less than ``EXCERPT_MIN`` fits."""
    value = _SPACE.sub(" ", value).strip().rstrip(_TRAILING_PUNCTUATION)
    if sms_length(value) <= room:
        return value
    if room < EXCERPT_MIN:
        return ""
    cut: list[str] = []
    used = 1  # the "…"
    for character in value:
        used += sms_length(character)
        if used > room:
            break
        cut.append(character)
    return "".join(cut).rstrip(_TRAILING_PUNCTUATION) + "…"


def sms_render(key: str, *, signature: str, **fields: str) -> str:
    """The text of template ``key`` signed with ``signature``; ``fields`` fill it."""
    template = SMS_TEMPLATES[key]
    name = template.shorten
    if not name:
        return template.text.format(signature=signature, **fields)
    free_text = fields.pop(name)
    rest = template.text.format(signature=signature, **fields, **{name: ""})
    room = SMS_TARGET_LENGTH - sms_length(rest) - sms_length(template.shown_as.format(""))
    shown = _fit(free_text, room)
    part = template.shown_as.format(shown) if shown else ""
    return template.text.format(signature=signature, **fields, **{name: part})
