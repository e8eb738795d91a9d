from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from youjie.courtcases.numbers import KNOWN_TYPE_CODES, CaseNumber, parse_case_number

THIS_YEAR = timezone.localdate().year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2026）内0206民初123号", CaseNumber(2026, "内0206", "民初", 123)),
        ("(2026)内0206民初123号", CaseNumber(2026, "内0206", "民初", 123)),
        ("  (2026)内0206民初123号\u3000", CaseNumber(2026, "内0206", "民初", 123)),
        ("〔2025〕内0206执保5号", CaseNumber(2025, "内0206", "执保", 5)),
        ("[2024]京0105刑终1号", CaseNumber(2024, "京0105", "刑终", 1)),
        ("【2024】冀01行初88号", CaseNumber(2024, "冀01", "行初", 88)),
        ("（２０２６）内０２０６民初１２３号", CaseNumber(2026, "内0206", "民初", 123)),
        ("(2026) 内0206 民初 0123 号", CaseNumber(2026, "内0206", "民初", 123)),
        ("（2026）内0206执1号", CaseNumber(2026, "内0206", "执", 1)),
        ("（2026）内0206司救12号", CaseNumber(2026, "内0206", "司救", 12)),
        ("（2026）内0206诉前调9号", CaseNumber(2026, "内0206", "诉前调", 9)),
        ("（1990）内0206民初1号", CaseNumber(1990, "内0206", "民初", 1)),
    ],
)
def test_parse_accepts_the_spellings_people_type(text: str, expected: CaseNumber) -> None:
    assert parse_case_number(text) == expected


def test_canonical_form_uses_full_width_brackets() -> None:
    number = parse_case_number("(2026)内0206民初0123号")
    assert number.canonical == "（2026）内0206民初123号"
    assert str(number) == number.canonical


def test_package_reexports_lazily() -> None:
    import youjie.courtcases as package

    assert package.parse_case_number is parse_case_number
    with pytest.raises(AttributeError):
        package.does_not_exist  # noqa: B018


def test_importing_the_package_imports_no_models() -> None:
    # The re-export is lazy: importing youjie.courtcases must work before Django is set up.
    code = (
        "import sys, youjie.courtcases as package; package.parse_case_number; "
        "assert 'youjie.courtcases.models' not in sys.modules, 'models imported'"
    )
    root = Path(__file__).resolve().parents[3]
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "案号格式不正确，应如（2026）内0206民初123号"),
        ("2026内0206民初123号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）内0206民初123", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）内0206民初号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）内02060民初1号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）内2民初1号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）N0206民初1号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（26）内0206民初1号", "案号格式不正确，应如（2026）内0206民初123号"),
        ("（2026）内0206民初1号之一", "案号格式不正确，应如（2026）内0206民初123号"),
        ("x" * 500, "案号格式不正确，应如（2026）内0206民初123号"),
        ("（1989）内0206民初1号", "案号年份不正确"),
        (f"（{THIS_YEAR + 2}）内0206民初1号", "案号年份不正确"),
        ("（2026）内0206民出1号", "未知的案件类型代字：民出"),
        ("（2026）内0206民初0号", "案号序号不正确"),
    ],
)
def test_parse_rejects_with_a_chinese_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_case_number(text)
    assert info.value.messages == [message]


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(ValidationError):
        parse_case_number(None)  # type: ignore[arg-type]


provinces = st.sampled_from("京津冀晋蒙内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新")
case_numbers = st.builds(
    CaseNumber,
    year=st.integers(min_value=1990, max_value=THIS_YEAR + 1),
    court_code=st.builds(
        lambda province, digits: province + digits,
        provinces | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.text(alphabet="0123456789", min_size=2, max_size=4),
    ),
    type_code=st.sampled_from(KNOWN_TYPE_CODES),
    sequence=st.integers(min_value=1, max_value=999_999_999),
)


@given(case_numbers)
def test_round_trip_through_the_canonical_form(number: CaseNumber) -> None:
    assert parse_case_number(number.canonical) == number


@given(case_numbers, st.sampled_from(["()", "〔〕", "[]", "［］", "【】"]))
def test_bracket_variants_parse_the_same(number: CaseNumber, brackets: str) -> None:
    text = number.canonical.replace("（", brackets[0]).replace("）", brackets[1])
    assert parse_case_number(text) == number


@given(case_numbers)
def test_full_width_digits_parse_the_same(number: CaseNumber) -> None:
    wide = number.canonical.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert parse_case_number(wide) == number


@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        number = parse_case_number(text)
    except ValidationError as exc:
        assert exc.messages
    else:
        assert parse_case_number(number.canonical) == number
