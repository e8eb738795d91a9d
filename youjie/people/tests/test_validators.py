"""Identity validators: fixed examples and properties (DOMAIN.md §10). Pure: no database.

All numbers are synthetic, built with the check rules; none belongs to a real person.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from youjie.people.tests.factories import build_resident_id, build_uscc
from youjie.people.validators import (
    USCC_CHARSET,
    mask_mobile,
    mask_resident_id,
    normalize_mobile,
    organization_code_check_char,
    resident_id_birth_date,
    resident_id_check_char,
    resident_id_gender,
    resident_id_warnings,
    upgrade_resident_id,
    uscc_check_char,
    validate_resident_id,
    validate_uscc,
)

TODAY = datetime.date(2026, 3, 15)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def message_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(excinfo.value.messages)


# --- resident ID: fixed examples ----------------------------------------------------------


def test_check_character_table_covers_every_remainder() -> None:
    # Each remainder 0..10 maps as in GB 11643: 1 0 X 9 8 7 6 5 4 3 2.
    seen = {}
    for sequence in range(1000):
        first17 = f"15020619800517{sequence:03d}"
        total = sum(
            int(d) * w
            for d, w in zip(
                first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True
            )
        )
        seen[total % 11] = resident_id_check_char(first17)
    assert seen == dict(enumerate("10X98765432"))


def test_valid_id_round_trips() -> None:
    number = build_resident_id(
        address_code="150206", birth_date=datetime.date(1980, 5, 17), sequence=123
    )
    assert validate_resident_id(number, today=TODAY) == number
    assert resident_id_birth_date(number) == datetime.date(1980, 5, 17)
    assert resident_id_gender(number) == "male"  # 123: odd
    assert mask_resident_id(number) == number[:6] + "********" + number[-4:]
    assert len(mask_resident_id(number)) == 18


def test_even_sequence_is_female() -> None:
    assert resident_id_gender(build_resident_id(sequence=124)) == "female"


def test_lower_case_x_full_width_and_spaces_are_normalised() -> None:
    number = next(
        build_resident_id(sequence=s)
        for s in range(1000)
        if build_resident_id(sequence=s)[-1] == "X"
    )
    assert validate_resident_id(number.lower(), today=TODAY) == number
    assert validate_resident_id(number.translate(FULL_WIDTH), today=TODAY) == number
    spaced = f" {number[:6]} {number[6:14]} {number[14:]} "
    assert validate_resident_id(spaced, today=TODAY) == number


def test_wrong_check_character_names_the_right_one() -> None:
    number = build_resident_id()
    wrong = "0" if number[-1] != "0" else "1"
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number[:17] + wrong, today=TODAY)
    assert message_of(excinfo) == f"身份证号校验位错误，应为{number[-1]}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "身份证号不能为空"),
        ("1502061980051712", "身份证号应为18位（旧证为15位），当前为16位"),
        ("15020619800517A23X", "身份证号前17位应全部为数字"),
        ("15020619800517123A", "身份证号最后一位应为数字或X"),
        ("15020619800517123٣", "身份证号最后一位应为数字或X"),  # Arabic-Indic digit
        ("150206198A05171234", "身份证号前17位应全部为数字"),
    ],
)
def test_shape_errors_are_in_chinese(value: str, expected: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(value, today=TODAY)
    assert message_of(excinfo) == expected


def test_impossible_date_is_rejected() -> None:
    first17 = "15020619990231123"  # 31 February
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(first17 + resident_id_check_char(first17), today=TODAY)
    assert "出生日期19990231不是有效日期" in message_of(excinfo)


def test_future_dates_are_rejected() -> None:
    future = build_resident_id(birth_date=datetime.date(2026, 3, 16))
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(future, today=TODAY)
    assert "晚于今天" in message_of(excinfo)
    assert validate_resident_id(build_resident_id(birth_date=TODAY), today=TODAY)


@pytest.mark.parametrize(
    ("number", "born"),
    [
        # GB 11643-1999's own examples (its section on the check character).
        ("11010519491231002X", datetime.date(1949, 12, 31)),
        ("440524188001010014", datetime.date(1880, 1, 1)),
    ],
)
def test_the_standards_sample_numbers_validate(number: str, born: datetime.date) -> None:
    assert validate_resident_id(number, today=TODAY) == number
    assert validate_resident_id(number.lower(), today=TODAY) == number
    assert resident_id_birth_date(number) == born


def test_a_birth_long_ago_warns_instead_of_refusing() -> None:
    sample = "440524188001010014"  # born 1 January 1880
    assert validate_resident_id(sample, today=TODAY) == sample
    assert resident_id_warnings(sample, today=TODAY) == [
        "身份证号中的出生日期为1880年01月01日，早于1900年，请与证件核对"
    ]
    old = build_resident_id(birth_date=datetime.date(1899, 12, 31))
    assert validate_resident_id(old, today=TODAY) == old
    assert "早于1900年" in resident_id_warnings(old, today=TODAY)[0]
    # Over 120 years old although born after 1900: the age rule.
    aged = build_resident_id(birth_date=datetime.date(1905, 3, 14))
    assert validate_resident_id(aged, today=TODAY) == aged
    assert resident_id_warnings(aged, today=TODAY) == [
        "按身份证号中的出生日期（1905年03月14日）推算，年龄为121岁，超过120岁，请与证件核对"
    ]
    legacy = "150206050314123"  # 15 digits: born 1905-03-14
    assert resident_id_warnings(legacy, today=TODAY) == resident_id_warnings(aged, today=TODAY)


def test_plausible_and_invalid_numbers_give_no_warning() -> None:
    assert resident_id_warnings("11010519491231002X", today=TODAY) == []
    assert (
        resident_id_warnings(build_resident_id(birth_date=datetime.date(1906, 3, 15)), today=TODAY)
        == []
    )  # exactly 120
    assert resident_id_warnings("", today=TODAY) == []
    assert resident_id_warnings("440524188001010015", today=TODAY) == []  # wrong check: an error
    assert resident_id_warnings("not a number" * 10, today=TODAY) == []


def test_address_code_must_start_with_1_to_8() -> None:
    number = build_resident_id(address_code="950206")
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number, today=TODAY)
    assert "地址码950206无效" in message_of(excinfo)


def test_legacy_15_digit_number_is_upgraded_to_18() -> None:
    legacy = "150206800517123"  # 1980-05-17, sequence 123
    upgraded = validate_resident_id(legacy, today=TODAY)
    assert upgraded == build_resident_id(birth_date=datetime.date(1980, 5, 17), sequence=123)
    assert upgraded == upgrade_resident_id(legacy)
    assert resident_id_birth_date(legacy) == datetime.date(1980, 5, 17)
    assert resident_id_gender(legacy) == "male"


def test_legacy_15_digit_number_with_bad_date_is_rejected() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id("150206801317123", today=TODAY)  # month 13
    assert "出生日期19801317不是有效日期" in message_of(excinfo)


# --- resident ID: properties --------------------------------------------------------------

address_codes = st.builds(
    lambda first, rest: f"{first}{rest:05d}",
    st.sampled_from("12345678"),
    st.integers(min_value=0, max_value=99_999),
)
birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
valid_ids = st.builds(
    lambda a, b, s: build_resident_id(address_code=a, birth_date=b, sequence=s),
    address_codes,
    birth_dates,
    sequences,
)


@given(valid_ids, st.booleans(), st.booleans(), st.booleans())
def test_every_valid_id_is_accepted_in_any_spelling(
    number: str, full_width: bool, lower: bool, spaced: bool
) -> None:
    spelling = number
    if full_width:
        spelling = spelling.translate(FULL_WIDTH)
    if lower:
        spelling = spelling.lower()
    if spaced:
        spelling = f" {spelling[:6]} {spelling[6:]}\t"
    assert validate_resident_id(spelling, today=TODAY) == number
    assert validate_resident_id(number, today=TODAY) == number  # idempotent


@given(valid_ids, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_in_the_first_17_is_rejected(
    number: str, position: int, delta: int
) -> None:
    changed_digit = str((int(number[position]) + delta) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_resident_id(changed, today=TODAY)


@given(valid_ids, st.sampled_from("0123456789X"))
def test_any_other_check_character_is_rejected(number: str, check: str) -> None:
    assume(check != number[-1])
    with pytest.raises(ValidationError):
        validate_resident_id(number[:17] + check, today=TODAY)


@given(
    address_codes,
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)),
    sequences,
)
def test_legacy_numbers_upgrade_consistently(
    address: str, born: datetime.date, sequence: int
) -> None:
    legacy = f"{address}{born:%y%m%d}{sequence:03d}"
    upgraded = validate_resident_id(legacy, today=TODAY)
    assert upgraded == build_resident_id(address_code=address, birth_date=born, sequence=sequence)
    assert resident_id_birth_date(upgraded) == born
    assert resident_id_gender(upgraded) == resident_id_gender(legacy)


@given(valid_ids)
def test_mask_keeps_only_the_ends(number: str) -> None:
    masked = mask_resident_id(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert set(masked[6:14]) == {"*"}


# --- USCC: fixed examples ----------------------------------------------------------------


def test_valid_uscc_round_trips_and_normalises() -> None:
    code = build_uscc(
        department="9", category="1", region_code="150206", organization_base="MA0Q0000"
    )
    assert validate_uscc(code) == code
    assert validate_uscc(" " + code.lower() + " ") == code
    full_width = code.translate(
        str.maketrans(USCC_CHARSET, "".join(chr(ord(c) + 0xFEE0) for c in USCC_CHARSET))
    )
    assert validate_uscc(full_width) == code


def test_organization_code_check_examples() -> None:
    # Σ = 3·1 + 7·2 + … computed by hand for "12345678": 3+14+27+40+25+48+28+16 = 201;
    # 201 mod 11 = 3; 11 − 3 = 8.
    assert organization_code_check_char("12345678") == "8"
    # 10 → X and 11 → 0.
    results = {organization_code_check_char(f"{n:08d}") for n in range(200)}
    assert "X" in results and "0" in results


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "统一社会信用代码不能为空"),
        ("91150206MA0Q0000", "统一社会信用代码应为18位，当前为16位"),
        ("91150206MA0Q0I00XX", "统一社会信用代码含有不允许的字符：I（不使用I、O、S、V、Z）"),
    ],
)
def test_uscc_shape_errors(value: str, expected: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(value)
    assert message_of(excinfo) == expected


def test_uscc_wrong_check_character_names_the_right_one() -> None:
    code = build_uscc()
    wrong = "0" if code[-1] != "0" else "1"
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(code[:17] + wrong)
    assert message_of(excinfo) == f"统一社会信用代码校验位错误，应为{code[-1]}"


def test_uscc_with_bad_organization_code_is_rejected_even_if_overall_check_fits() -> None:
    code = build_uscc()
    org_check = code[16]
    bad_org_check = "1" if org_check != "1" else "2"
    first17 = code[:16] + bad_org_check
    forged = first17 + uscc_check_char(first17)  # overall check recomputed to match
    with pytest.raises(ValidationError) as excinfo:
        validate_uscc(forged)
    assert "组织机构代码" in message_of(excinfo)
    assert f"第17位应为{org_check}" in message_of(excinfo)


# --- USCC: properties --------------------------------------------------------------------

uscc_chars = st.sampled_from(USCC_CHARSET)
valid_usccs = st.builds(
    lambda department, category, region, base: build_uscc(
        department=department, category=category, region_code=region, organization_base=base
    ),
    st.sampled_from("123456789ANY"),
    st.sampled_from("123459"),
    st.integers(min_value=110000, max_value=829999).map(str),
    st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8),
)


@given(valid_usccs, st.booleans())
def test_every_valid_uscc_is_accepted(code: str, lower: bool) -> None:
    assert validate_uscc(code.lower() if lower else code) == code


@given(valid_usccs, st.integers(min_value=0, max_value=16), uscc_chars)
def test_any_single_character_change_in_the_first_17_is_rejected(
    code: str, position: int, replacement: str
) -> None:
    assume(replacement != code[position])
    with pytest.raises(ValidationError):
        validate_uscc(code[:position] + replacement + code[position + 1 :])


# --- mobile numbers ------------------------------------------------------------------------


def test_mobile_examples() -> None:
    assert normalize_mobile("13800138000") == "13800138000"
    assert normalize_mobile("+86 138-0013-8000") == "13800138000"
    assert normalize_mobile("0086 13800138000") == "13800138000"
    assert normalize_mobile("8613800138000") == "13800138000"
    assert normalize_mobile("１３８００１３８０００") == "13800138000"
    assert normalize_mobile("(+86) 138 0013 8000") == "13800138000"
    assert mask_mobile("13812345678") == "138****5678"


@pytest.mark.parametrize(
    "value",
    ["12345678901", "1380013800", "138001380001", "23800138000", "0471-1234567", "12368", "abc"],
)
def test_invalid_mobiles_are_rejected_with_chinese_message(value: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile(value)
    assert message_of(excinfo).startswith("手机号码应为11位")


def test_empty_mobile_message() -> None:
    with pytest.raises(ValidationError) as excinfo:
        normalize_mobile("  ")
    assert message_of(excinfo) == "手机号码不能为空"


valid_mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(min_value=0, max_value=999_999_999),
)


@given(
    valid_mobiles,
    st.sampled_from(["", "+86", "+86 ", "0086", "0086 ", "86", "(+86)"]),
    st.lists(st.sampled_from(["", " ", "-", "  "]), min_size=11, max_size=11),
    st.booleans(),
)
def test_formatting_noise_in_same_digits_out(
    mobile: str, prefix: str, separators: list[str], full_width: bool
) -> None:
    noisy = prefix + "".join(digit + sep for digit, sep in zip(mobile, separators, strict=True))
    if full_width:
        noisy = noisy.translate(FULL_WIDTH)
    assert normalize_mobile(noisy) == mobile
    assert normalize_mobile(mobile) == mobile  # idempotent
    masked = mask_mobile(mobile)
    assert masked[:3] == mobile[:3] and masked[-4:] == mobile[-4:] and masked[3:7] == "****"


@given(st.text(alphabet="0123456789", min_size=1, max_size=16))
def test_only_1_3to9_plus_9_digits_survive(digits: str) -> None:
    try:
        result = normalize_mobile(digits)
    except ValidationError:
        return
    assert len(result) == 11 and result[0] == "1" and result[1] in "3456789"
    assert digits.endswith(result)
