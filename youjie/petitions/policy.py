"""Configurable rules of the supervision side of the petitions app (督办函, 三日一研究, 每日一通报),
read from settings at call time. A malformed value raises ImproperlyConfigured; the system check
in ``youjie.petitions.checks`` makes that fail at start-up rather than in the periodic task.

Settings (config/settings/base.py):

- ``YOUJIE_PETITIONS_LETTER_PREFIXES``: {office code: 发文机关代字} of the offices that send 督办函
  (包政法专督〔2026〕3号);
- ``YOUJIE_PETITIONS_BULLETIN_OFFICE`` / ``_PREFIX`` / ``_TIME`` / ``_RECIPIENTS`` /
  ``_ISSUER``: the daily bulletin's issuing office, its 代字, the time (Beijing, HH:MM) it is
  generated on each working day, extra e-mail recipients, and the user the periodic task issues
  it as;
- ``YOUJIE_PETITIONS_REVIEW_START`` / ``_TIME`` / ``_OFFICES``: 三日一研究 falls on every third
  working day counted from the start date; its agenda is generated at that time for those offices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from youjie.core.errors import ValidationFailed
from youjie.documents.numbers import document_number

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True)
class SupervisionPolicy:
    letter_prefixes: dict[str, str]
    bulletin_office: str
    bulletin_prefix: str
    bulletin_time: time
    bulletin_recipients: tuple[str, ...]
    bulletin_issuer: str
    review_start: date
    review_time: time
    review_offices: tuple[str, ...]


def _clock(name: str, value: object) -> time:
    match = _CLOCK.fullmatch(str(value).strip())
    if match is None:
        raise ImproperlyConfigured(f"{name} 应为 HH:MM（北京时间），现为 {value!r}")
    return time(int(match.group(1)), int(match.group(2)))


def _prefix(name: str, value: object) -> str:
    text = str(value).strip()
    try:
        document_number(text, 2026, 1)
    except ValidationFailed as exc:  # a prefix the 发文字号 rules refuse
        raise ImproperlyConfigured(f"{name} 的发文机关代字 {value!r} 无效") from exc
    return text


def supervision_policy() -> SupervisionPolicy:
    prefixes = getattr(settings, "YOUJIE_PETITIONS_LETTER_PREFIXES", {}) or {}
    if not isinstance(prefixes, dict):
        raise ImproperlyConfigured(
            "YOUJIE_PETITIONS_LETTER_PREFIXES 应为 {专项办代码: 发文机关代字}"
        )
    letter_prefixes = {
        str(code): _prefix("YOUJIE_PETITIONS_LETTER_PREFIXES", prefix)
        for code, prefix in prefixes.items()
    }
    recipients = tuple(getattr(settings, "YOUJIE_PETITIONS_BULLETIN_RECIPIENTS", ()) or ())
    for address in recipients:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ImproperlyConfigured(
                f"YOUJIE_PETITIONS_BULLETIN_RECIPIENTS 中的 {address!r} 不是电子邮件地址"
            ) from exc
    start_text = str(getattr(settings, "YOUJIE_PETITIONS_REVIEW_START", "2026-01-05"))
    try:
        review_start = date.fromisoformat(start_text.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"YOUJIE_PETITIONS_REVIEW_START 应为 YYYY-MM-DD，现为 {start_text!r}"
        ) from exc
    office = str(getattr(settings, "YOUJIE_PETITIONS_BULLETIN_OFFICE", "BT-ZXB")).strip()
    if not office:
        raise ImproperlyConfigured("YOUJIE_PETITIONS_BULLETIN_OFFICE 不能为空")
    return SupervisionPolicy(
        letter_prefixes=letter_prefixes,
        bulletin_office=office,
        bulletin_prefix=_prefix(
            "YOUJIE_PETITIONS_BULLETIN_PREFIX",
            getattr(settings, "YOUJIE_PETITIONS_BULLETIN_PREFIX", "包政法通"),
        ),
        bulletin_time=_clock(
            "YOUJIE_PETITIONS_BULLETIN_TIME",
            getattr(settings, "YOUJIE_PETITIONS_BULLETIN_TIME", "18:00"),
        ),
        bulletin_recipients=recipients,
        bulletin_issuer=str(getattr(settings, "YOUJIE_PETITIONS_BULLETIN_ISSUER", "")).strip(),
        review_start=review_start,
        review_time=_clock(
            "YOUJIE_PETITIONS_REVIEW_TIME",
            getattr(settings, "YOUJIE_PETITIONS_REVIEW_TIME", "08:30"),
        ),
        review_offices=tuple(
            str(code).strip()
            for code in getattr(settings, "YOUJIE_PETITIONS_REVIEW_OFFICES", ("BT-ZXB",)) or ()
            if str(code).strip()
        ),
    )
