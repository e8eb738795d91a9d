"""Identity and format validation shared by forms, the API and imports.

Each ``validate_*``/``normalize_*`` function returns the normalised value or raises
``django.core.exceptions.ValidationError`` with a Chinese message that names the field and what
is wrong. The rules are those of ../shared/DOMAIN.md §10:

- 居民身份证号, GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character.
- 统一社会信用代码, GB 32100-2015: 18 characters, MOD 31 check character, with the embedded
  组织机构代码 (GB 11714) carrying its own MOD 11 check character.
- Mainland mobile numbers: ``^1[3-9]\\d{9}$`` after removing a +86 / 0086 / 86 prefix and
  formatting noise. Carrier segments are deliberately not hard-coded: they change.

A resident ID is refused only for what makes it impossible (shape, address code, a birth date
that does not exist or lies in the future, the check character). What is merely implausible — a
birth before 1900 or an age over 120 — is accepted: GB 11643-1999's own example 440524188001010014
was born in 1880, and a clerk must be able to register the person holding such a card.
``resident_id_warnings`` names those cases so that forms and the API can show a non-blocking
message beside the accepted value.

Legacy 15-digit resident IDs (issued before 1999) are *upgraded* to their 18-digit form (insert
"19" before the two-digit year, compute the check character), the conversion GB 11643-1999
prescribes. One canonical form means one lookup hash, so the same person registered once with
the old number and once with the new one is recognised as a duplicate, and a search with either
form finds them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

# --- 居民身份证号 (GB 11643-1999) -----------------------------------------------------------

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
RESIDENT_ID_CHECK_CHARS = "10X98765432"
# Plausibility, not validity: outside these a number is accepted with a warning.
RESIDENT_ID_PLAUSIBLE_BIRTH_FROM = datetime.date(1900, 1, 1)
RESIDENT_ID_PLAUSIBLE_MAX_AGE = 120

_ID_NOISE = re.compile(r"[\s\-]")
_DIGITS17 = re.compile(r"^[0-9]{17}$")
_DIGITS15 = re.compile(r"^[0-9]{15}$")


def _nfkc_compact(value: str) -> str:
    """Full-width → half-width (NFKC) and drop spaces and hyphens (people type them)."""
    return _ID_NOISE.sub("", unicodedata.normalize("NFKC", value or ""))


def resident_id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an 18-digit resident ID."""
    if not _DIGITS17.match(first17):
        raise ValueError("first17 must be 17 ASCII digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    )
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else timezone.localdate()


def _check_birth_date(yyyymmdd: str, today: datetime.date) -> datetime.date:
    try:
        born = datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise ValidationError(
            f"身份证号中的出生日期{yyyymmdd}不是有效日期", code="resident_id_birth_date"
        ) from None
    if born > today:
        raise ValidationError(
            f"身份证号中的出生日期{born:%Y年%m月%d日}晚于今天", code="resident_id_birth_date"
        )
    return born


def _check_address_code(value: str) -> None:
    # Province codes run from 11 (北京) to 82 (澳门); we only check the leading digit so that
    # numbers from since-renamed divisions are still accepted.
    if value[0] not in "12345678":
        raise ValidationError(
            f"身份证号前6位地址码{value[:6]}无效，应以1至8开头", code="resident_id_address"
        )


def upgrade_resident_id(id15: str) -> str:
    """Convert a valid legacy 15-digit ID to 18 digits (GB 11643-1999 conversion)."""
    if not _DIGITS15.match(id15):
        raise ValueError("id15 must be 15 ASCII digits")
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + resident_id_check_char(first17)


def validate_resident_id(value: str, *, today: datetime.date | None = None) -> str:
    """Validate a 居民身份证号 and return its canonical 18-character form.

    Full-width characters are folded (NFKC), spaces and hyphens dropped, a lower-case x made
    upper-case. A 15-digit legacy number is validated (date 19YYMMDD) and upgraded to 18.
    """
    normalised = _nfkc_compact(value).upper()
    if not normalised:
        raise ValidationError("身份证号不能为空", code="resident_id_required")
    current = _today(today)
    if len(normalised) == 15:
        if not _DIGITS15.match(normalised):
            raise ValidationError("15位身份证号应全部为数字", code="resident_id_characters")
        _check_address_code(normalised)
        _check_birth_date("19" + normalised[6:12], current)
        return upgrade_resident_id(normalised)
    if len(normalised) != 18:
        raise ValidationError(
            f"身份证号应为18位（旧证为15位），当前为{len(normalised)}位", code="resident_id_length"
        )
    first17, check = normalised[:17], normalised[17]
    if not _DIGITS17.match(first17):
        raise ValidationError("身份证号前17位应全部为数字", code="resident_id_characters")
    if check not in "0123456789X":
        raise ValidationError("身份证号最后一位应为数字或X", code="resident_id_characters")
    _check_address_code(normalised)
    _check_birth_date(normalised[6:14], current)
    expected = resident_id_check_char(first17)
    if check != expected:
        raise ValidationError(f"身份证号校验位错误，应为{expected}", code="resident_id_check")
    return normalised


def _age_on(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def resident_id_warnings(value: str, *, today: datetime.date | None = None) -> list[str]:
    """Non-blocking remarks on a resident ID that ``validate_resident_id`` accepts: a birth
    before 1900, or an age over 120. Empty for a plausible number, and for an invalid one (the
    validator's error says what is wrong with it)."""
    current = _today(today)
    try:
        canonical = validate_resident_id(value, today=current)
    except ValidationError:
        return []
    born = resident_id_birth_date(canonical)
    if born < RESIDENT_ID_PLAUSIBLE_BIRTH_FROM:
        return [f"身份证号中的出生日期为{born:%Y年%m月%d日}，早于1900年，请与证件核对"]
    age = _age_on(born, current)
    if age > RESIDENT_ID_PLAUSIBLE_MAX_AGE:
        return [
            f"按身份证号中的出生日期（{born:%Y年%m月%d日}）推算，年龄为{age}岁，"
            f"超过{RESIDENT_ID_PLAUSIBLE_MAX_AGE}岁，请与证件核对"
        ]
    return []


def resident_id_birth_date(id_number: str) -> datetime.date:
    """Birth date of a validated (18-digit canonical, or legacy 15-digit) resident ID."""
    digits = id_number if len(id_number) == 18 else upgrade_resident_id(id_number)
    return datetime.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))


def resident_id_gender(id_number: str) -> str:
    """ "male" or "female": the last digit of the sequence number is odd for men."""
    sequence_digit = id_number[16] if len(id_number) == 18 else id_number[14]
    return "male" if int(sequence_digit) % 2 == 1 else "female"


def mask_resident_id(id_number: str) -> str:
    """First 6 and last 4 characters; the birth date and sequence are hidden."""
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


# --- 统一社会信用代码 (GB 32100-2015) with 组织机构代码 (GB 11714) ---------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANIZATION_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # values 0..35


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given."""
    if len(first17) != 17 or any(char not in USCC_CHARSET for char in first17):
        raise ValueError("first17 must be 17 characters of the USCC charset")
    total = sum(
        USCC_CHARSET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def organization_code_check_char(first8: str) -> str:
    """The 9th character of a 组织机构代码 whose first 8 characters are given (GB 11714)."""
    if len(first8) != 8 or any(char not in _ORGANIZATION_CODE_ALPHABET for char in first8):
        raise ValueError("first8 must be 8 characters 0-9 or A-Z")
    total = sum(
        _ORGANIZATION_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first8, ORGANIZATION_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(value: str) -> str:
    """Validate a 统一社会信用代码 and return it upper-case without spaces."""
    normalised = _nfkc_compact(value).upper()
    if not normalised:
        raise ValidationError("统一社会信用代码不能为空", code="uscc_required")
    if len(normalised) != 18:
        raise ValidationError(
            f"统一社会信用代码应为18位，当前为{len(normalised)}位", code="uscc_length"
        )
    bad = sorted({char for char in normalised if char not in USCC_CHARSET})
    if bad:
        raise ValidationError(
            f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用I、O、S、V、Z）",
            code="uscc_characters",
        )
    organization_code = normalised[8:17]
    expected_org = organization_code_check_char(organization_code[:8])
    if organization_code[8] != expected_org:
        raise ValidationError(
            f"统一社会信用代码第9至17位（组织机构代码）校验位错误，第17位应为{expected_org}",
            code="uscc_organization_code_check",
        )
    expected = uscc_check_char(normalised[:17])
    if normalised[17] != expected:
        raise ValidationError(f"统一社会信用代码校验位错误，应为{expected}", code="uscc_check")
    return normalised


# --- Mobile numbers -------------------------------------------------------------------------

MOBILE_PATTERN = re.compile(r"^1[3-9][0-9]{9}$")
_PHONE_NOISE = re.compile(r"[\s\-()（）.]")
MOBILE_ERROR = "手机号码应为11位数字，以13至19开头（可带+86前缀）"


def normalize_mobile(value: str) -> str:
    """Return the 11-digit mainland mobile number, or raise ValidationError."""
    compact = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", value or ""))
    if not compact:
        raise ValidationError("手机号码不能为空", code="mobile_required")
    if compact.startswith("+86"):
        compact = compact[3:]
    elif compact.startswith("0086"):
        compact = compact[4:]
    elif compact.startswith("86") and len(compact) == 13:
        compact = compact[2:]
    if not MOBILE_PATTERN.match(compact):
        raise ValidationError(MOBILE_ERROR, code="mobile_invalid")
    return compact


def mask_mobile(mobile: str) -> str:
    """138****5678: the first 3 and last 4 digits."""
    if len(mobile) < 8:
        return "*" * len(mobile)
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]
