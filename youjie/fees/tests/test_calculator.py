"""Vectors derived by hand from the text of 《诉讼费用交纳办法》 (LawRefBook/Laws: 行政法规/
诉讼费用交纳办法(2006-12-19).md; DOMAIN.md §4), band edges included. Each expected figure is
worked out in the comment beside it, from the articles, not from the code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from youjie.core.errors import ValidationFailed
from youjie.fees.calculator import (
    AUTHORITATIVE_NOTE,
    FeeEstimate,
    check_per_case_standards,
    estimate,
    parse_amount,
    property_fee,
)
from youjie.fees.choices import FeeType, Rounding

D = Decimal


def fee(kind: str, amount: str | None = None, **options: Any) -> FeeEstimate:
    return estimate(kind=kind, amount=None if amount is None else D(amount), **options)


def lines_add_up(result: FeeEstimate) -> bool:
    low = sum((line.amount for line in result.lines), D(0))
    high = sum(
        (line.amount if line.amount_max is None else line.amount_max for line in result.lines),
        D(0),
    )
    return (low, high) == (result.fee_min, result.fee_max)


# --- Art. 13(1): property cases, 分段累计 -------------------------------------------------------

PROPERTY_VECTORS = [
    # amount, fee, derivation
    ("0.01", "50.00", "不超过1万元的，每件交纳50元"),
    ("1", "50.00", "不超过1万元: 50"),
    ("10000", "50.00", "exactly 1万元 is still 不超过1万元: 50"),
    ("10000.01", "50.00", "50 + 0.01 × 2.5% = 50.00025 → 50.00"),
    ("10000.19", "50.00", "50 + 0.19 × 2.5% = 50.00475 → 50.00"),
    ("10000.20", "50.01", "50 + 0.20 × 2.5% = 50.005 → 50.01 (half up)"),
    ("10040", "51.00", "50 + 40 × 2.5% = 51"),
    ("100000", "2300.00", "50 + 90,000 × 2.5% = 50 + 2,250"),
    ("100000.01", "2300.00", "2,300 + 0.01 × 2% = 2,300.0002"),
    ("200000", "4300.00", "2,300 + 100,000 × 2% = 2,300 + 2,000"),
    ("500000", "8800.00", "4,300 + 300,000 × 1.5% = 4,300 + 4,500"),
    ("1000000", "13800.00", "8,800 + 500,000 × 1% = 8,800 + 5,000"),
    ("2000000", "22800.00", "13,800 + 1,000,000 × 0.9% = 13,800 + 9,000"),
    ("5000000", "46800.00", "22,800 + 3,000,000 × 0.8% = 22,800 + 24,000"),
    ("10000000", "81800.00", "46,800 + 5,000,000 × 0.7% = 46,800 + 35,000"),
    ("20000000", "141800.00", "81,800 + 10,000,000 × 0.6% = 81,800 + 60,000"),
    ("20000000.01", "141800.00", "141,800 + 0.01 × 0.5% = 141,800.00005"),
    ("100000000", "541800.00", "141,800 + 80,000,000 × 0.5% = 141,800 + 400,000"),
    ("10000000000000", "50000041800.00", "141,800 + (10^13 − 2×10^7) × 0.5%"),
]


@pytest.mark.parametrize(("amount", "expected", "derivation"), PROPERTY_VECTORS)
def test_property_cases_by_the_bands(amount: str, expected: str, derivation: str) -> None:
    result = fee("property", amount)
    assert result.acceptance_fee == D(expected), derivation
    assert result.fee_type == FeeType.ACCEPTANCE_FEE and not result.is_range
    assert lines_add_up(result)


def test_one_million_yuan_line_by_line() -> None:
    """1,000,000 yuan: 50 (≤ 1万) + 90,000 × 2.5% = 2,250 + 100,000 × 2% = 2,000 + 300,000 ×
    1.5% = 4,500 + 500,000 × 1% = 5,000; 50 + 2,250 + 2,000 + 4,500 + 5,000 = 13,800."""
    result = fee("property", "1000000")
    assert [(line.label, line.amount, line.basis) for line in result.lines] == [
        ("不超过1万元的部分", D("50.00"), "每件交纳50元"),
        ("超过1万元至10万元的部分", D("2250.00"), "90,000.00元 × 2.5%"),
        ("超过10万元至20万元的部分", D("2000.00"), "100,000.00元 × 2%"),
        ("超过20万元至50万元的部分", D("4500.00"), "300,000.00元 × 1.5%"),
        ("超过50万元至100万元的部分", D("5000.00"), "500,000.00元 × 1%"),
    ]
    assert {line.article for line in result.lines} == {"《诉讼费用交纳办法》第十三条第（一）项"}
    assert result.notes[-1] == AUTHORITATIVE_NOTE


def test_the_exact_fee_is_kept_before_rounding() -> None:
    assert property_fee(D("10000.01")) == D("50.00025")
    assert fee("property", "10000.01").notes[0].startswith("《诉讼费用交纳办法》未规定舍入规则")
    # A figure that needs no rounding says nothing about it.
    assert not any("舍入" in note for note in fee("property", "1000000").notes)


def test_property_without_an_amount_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        fee("property")
    assert refused.value.code == "amount_required"
    assert refused.value.fields == {"amount": ["请填写诉讼请求的金额或者价额"]}


# --- Art. 15, 16: halving ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "article"),
    [
        ({"procedure": "simple"}, "《诉讼费用交纳办法》第十六条"),
        ({"settled": "mediation"}, "《诉讼费用交纳办法》第十五条"),
        ({"settled": "withdrawal"}, "《诉讼费用交纳办法》第十五条"),
    ],
)
def test_simple_procedure_mediation_and_withdrawal_halve_the_fee(
    options: dict[str, str], article: str
) -> None:
    result = fee("property", "1000000", **options)
    assert result.acceptance_fee == D("6900.00")  # 13,800 / 2
    halving = result.lines[-1]
    assert (halving.amount, halving.article) == (D("-6900.00"), article)
    assert halving.basis == "13,800.00元 × 1/2"
    assert lines_add_up(result)


def test_several_halvings_halve_once() -> None:
    result = fee("property", "1000000", procedure="simple", settled="mediation")
    assert result.acceptance_fee == D("6900.00")  # not 3,450
    assert result.lines[-1].article == "《诉讼费用交纳办法》第十五条、第十六条"
    assert "同时符合几项减半情形的，只减半一次。" in result.notes


def test_halving_halves_the_rounded_fee() -> None:
    # Ordinary: 50.005 → 50.01; simple: 50.01 / 2 = 25.005 → 25.01 (half of what the party
    # would otherwise be told, rounded half up).
    assert fee("property", "10000.20", procedure="simple").acceptance_fee == D("25.01")
    assert fee("property", "10000", procedure="simple").acceptance_fee == D("25.00")


# --- Art. 13(2)–(5): per-case fees and their surcharges ----------------------------------------


def test_divorce_without_property_is_the_range() -> None:
    result = fee("divorce")
    assert (result.fee_min, result.fee_max) == (D("50.00"), D("300.00"))
    assert result.is_range and result.acceptance_fee is None
    assert result.lines[0].amount == D("50.00") and result.lines[0].amount_max == D("300.00")
    assert any("第十三条末款" in note and "最低额和最高额" in note for note in result.notes)


@pytest.mark.parametrize(
    ("amount", "low", "high", "derivation"),
    [
        ("200000", "50.00", "300.00", "财产总额不超过20万元的，不另行交纳"),
        ("200000.01", "50.00", "300.00", "0.01 × 0.5% = 0.00005 → 0"),
        ("1000000", "4050.00", "4300.00", "50–300 + 800,000 × 0.5% = 4,000"),
        ("20000000", "99050.00", "99300.00", "50–300 + 19,800,000 × 0.5% = 99,000"),
    ],
)
def test_divorce_with_property(amount: str, low: str, high: str, derivation: str) -> None:
    result = fee("divorce", amount)
    assert (result.fee_min, result.fee_max) == (D(low), D(high)), derivation
    assert lines_add_up(result)


def test_divorce_in_simple_procedure_halves_both_ends() -> None:
    result = fee("divorce", "1000000", procedure="simple")
    assert (result.fee_min, result.fee_max) == (D("2025.00"), D("2150.00"))  # 4,050/2, 4,300/2
    assert lines_add_up(result)


@pytest.mark.parametrize(
    ("amount", "low", "high", "derivation"),
    [
        (None, "100.00", "500.00", "每件交纳100元至500元"),
        ("50000", "100.00", "500.00", "赔偿金额不超过5万元的，不另行交纳"),
        ("100000", "600.00", "1000.00", "100–500 + 50,000 × 1% = 500"),
        ("200000", "1100.00", "1500.00", "100–500 + 500 + 100,000 × 0.5% = 500"),
    ],
)
def test_personality_rights(amount: str | None, low: str, high: str, derivation: str) -> None:
    result = fee("personality", amount)
    assert (result.fee_min, result.fee_max) == (D(low), D(high)), derivation
    assert lines_add_up(result)


def test_other_non_property_cases_ignore_an_amount() -> None:
    result = fee("non_property", "5000")
    assert (result.fee_min, result.fee_max) == (D("50.00"), D("100.00"))
    assert any("已忽略所填金额" in note for note in result.notes)


def test_intellectual_property_with_and_without_an_amount() -> None:
    without = fee("ip")
    assert (without.fee_min, without.fee_max) == (D("500.00"), D("1000.00"))
    assert without.lines[0].article == "《诉讼费用交纳办法》第十三条第（三）项"
    assert fee("ip", "1000000").acceptance_fee == D("13800.00")  # the property table
    assert fee("ip", "1000000", procedure="simple").acceptance_fee == D("6900.00")


def test_labour_disputes_pay_ten_yuan_whatever_the_amount() -> None:
    result = fee("labour", "300000")
    assert result.acceptance_fee == D("10.00")
    assert any("第二十条第一款" in note for note in result.notes)  # 追索劳动报酬: no advance
    assert fee("labour", procedure="simple").acceptance_fee == D("5.00")


def test_administrative_cases() -> None:
    assert fee("administrative").acceptance_fee == D("50.00")
    marked = fee("administrative", administrative_subject="trademark_patent_maritime")
    assert marked.acceptance_fee == D("100.00")
    assert marked.lines[0].article == "《诉讼费用交纳办法》第十三条第（五）项第1目"
    assert marked.administrative_subject == "trademark_patent_maritime"
    assert fee("administrative", procedure="simple").acceptance_fee == D("25.00")
    assert fee("property", "1").administrative_subject is None


# --- Art. 14: application fees ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected", "derivation"),
    [
        ("10000", "50.00", "不超过1万元的，每件交纳50元"),
        ("10000.01", "50.00", "50 + 0.01 × 1.5% = 50.00015"),
        ("500000", "7400.00", "50 + 490,000 × 1.5% = 50 + 7,350"),
        ("5000000", "52400.00", "7,400 + 4,500,000 × 1% = 7,400 + 45,000"),
        ("10000000", "77400.00", "52,400 + 5,000,000 × 0.5% = 52,400 + 25,000"),
        ("20000000", "87400.00", "77,400 + 10,000,000 × 0.1% = 77,400 + 10,000"),
    ],
)
def test_execution(amount: str, expected: str, derivation: str) -> None:
    result = fee("execution", amount)
    assert result.application_fee == D(expected), derivation
    assert result.acceptance_fee is None and result.fee_type == FeeType.APPLICATION_FEE


def test_execution_without_an_amount_is_the_range_and_is_never_halved() -> None:
    result = fee("execution", procedure="simple", settled="mediation")
    assert (result.fee_min, result.fee_max) == (D("50.00"), D("500.00"))
    assert result.lines[0].article == "《诉讼费用交纳办法》第十四条第（一）项第1目"
    assert any("申请费不适用" in note for note in result.notes)


@pytest.mark.parametrize(
    ("amount", "expected", "derivation"),
    [
        (None, "30.00", "不涉及财产数额的，每件交纳30元"),
        ("1000", "30.00", "不超过1000元: 30"),
        ("1000.01", "30.00", "30 + 0.01 × 1% = 30.0001"),
        ("100000", "1020.00", "30 + 99,000 × 1% = 30 + 990"),
        ("500000", "3020.00", "1,020 + 400,000 × 0.5% = 1,020 + 2,000"),
        # DOMAIN.md §4 says the cap is reached at 894,000; by the bands it is 896,000:
        # 1,020 + (x − 100,000) × 0.5% = 5,000 ⇔ x = 896,000. At 894,000: 1,020 + 3,970.
        ("894000", "4990.00", "1,020 + 794,000 × 0.5% = 1,020 + 3,970"),
        ("896000", "5000.00", "1,020 + 796,000 × 0.5% = 5,000: the cap, reached exactly"),
        ("896000.01", "5000.00", "5,000.00005 → capped at 5,000"),
        ("2000000", "5000.00", "1,020 + 9,500 = 10,520 → 最多不超过5000元"),
    ],
)
def test_preservation_and_its_cap(amount: str | None, expected: str, derivation: str) -> None:
    result = fee("preservation", amount)
    assert result.application_fee == D(expected), derivation
    assert lines_add_up(result)


def test_the_preservation_cap_is_a_line_with_its_article() -> None:
    result = fee("preservation", "2000000")
    cap = result.lines[-1]
    assert cap.label == "申请保全措施交纳的费用最多不超过5000元"
    assert cap.amount == D("-5520.00") and cap.article == "《诉讼费用交纳办法》第十四条第（二）项"
    assert "最多不超过" not in fee("preservation", "896000").lines[-1].label


@pytest.mark.parametrize(
    ("amount", "expected", "derivation"),
    [
        ("1000000", "4600.00", "13,800 / 3"),
        ("10000", "16.67", "50 / 3 = 16.666… → 16.67"),
        ("100000", "766.67", "2,300 / 3 = 766.666… → 766.67"),
    ],
)
def test_payment_order_is_a_third_of_the_property_fee(
    amount: str, expected: str, derivation: str
) -> None:
    result = fee("payment_order", amount)
    assert result.application_fee == D(expected), derivation
    assert result.lines[-1].article == "《诉讼费用交纳办法》第十四条第（三）项"
    assert lines_add_up(result)


@pytest.mark.parametrize(
    ("amount", "expected", "derivation"),
    [
        ("1000000", "6900.00", "13,800 / 2"),
        # The cap: half the property fee = 300,000 ⇔ 0.005x + 41,800 = 600,000 ⇔ x = 111,640,000.
        ("111640000", "300000.00", "(0.005 × 111,640,000 + 41,800) / 2 = 300,000"),
        ("200000000", "300000.00", "(1,000,000 + 41,800) / 2 = 520,900 → 最高不超过30万元"),
    ],
)
def test_bankruptcy_is_half_the_property_fee_with_its_cap(
    amount: str, expected: str, derivation: str
) -> None:
    result = fee("bankruptcy", amount)
    assert result.application_fee == D(expected), derivation
    assert lines_add_up(result)


def test_bankruptcy_cap_line() -> None:
    capped = fee("bankruptcy", "200000000").lines[-1]
    assert (capped.label, capped.amount) == ("破产申请费最高不超过30万元", D("-220900.00"))
    assert fee("bankruptcy", "111640000").lines[-1].label == "按照财产案件受理费标准减半交纳"


def test_fixed_application_fees() -> None:
    assert fee("public_summons").application_fee == D("100.00")
    assert fee("arbitration").application_fee == D("400.00")


@pytest.mark.parametrize("kind", ["payment_order", "bankruptcy"])
def test_kinds_computed_on_an_amount_need_one(kind: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        fee(kind)
    assert refused.value.code == "amount_required"


# --- rounding and local standards ---------------------------------------------------------------


def test_whole_yuan_rounding() -> None:
    # 50 + 20 × 2.5% = 50.5 → 51; simple: 51 / 2 = 25.5 → 26.
    assert fee("property", "10020", rounding=Rounding.YUAN).acceptance_fee == D("51")
    simple = fee("property", "10020", rounding=Rounding.YUAN, procedure="simple")
    assert simple.acceptance_fee == D("26")
    assert any("四舍五入到元" in note for note in simple.notes)


def test_a_local_standard_replaces_the_range() -> None:
    result = estimate(kind="divorce", amount=D("1000000"), per_case_standards={"divorce": D(200)})
    assert result.acceptance_fee == D("4200.00")  # 200 + 800,000 × 0.5%
    assert "第十三条末款" in result.lines[0].article
    assert not any("最低额和最高额" in note for note in result.notes)


@pytest.mark.parametrize(
    "standards",
    [{"divorce": D(301)}, {"divorce": D(49)}, {"labour": D(10)}, {"ip": D("600.001")}],
)
def test_a_local_standard_outside_the_range_is_refused(standards: dict[str, Decimal]) -> None:
    with pytest.raises(ValueError, match=r"divorce|labour|ip"):
        check_per_case_standards(standards)


# --- input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1000000", "1000000"),
        ("1,000,000.50", "1000000.50"),
        ("１０００００", "100000"),
        ("１２３，４５６．７８", "123456.78"),
        (" 20000元 ", "20000"),
        ("10000000000000", "10000000000000"),
        ("1.000", "1.000"),
    ],
)
def test_amounts_as_people_write_them(text: str, value: str) -> None:
    assert parse_amount(text) == D(value)


@pytest.mark.parametrize("text", [None, "", "   ", "元"])
def test_a_blank_amount_is_none(text: str | None) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "code", "says"),
    [
        ("-1", "amount_negative", "金额不能为负数"),
        ("－５", "amount_negative", "金额不能为负数"),
        ("0", "amount_invalid", "金额应大于0"),
        ("0.00", "amount_invalid", "金额应大于0"),
        ("abc", "amount_invalid", "请填写以元为单位的数字金额"),
        ("1e3", "amount_invalid", "请填写以元为单位的数字金额"),
        ("NaN", "amount_invalid", "请填写以元为单位的数字金额"),
        ("Infinity", "amount_invalid", "请填写以元为单位的数字金额"),
        ("1.2.3", "amount_invalid", "请填写以元为单位的数字金额"),
        ("١٢٣", "amount_invalid", "请填写以元为单位的数字金额"),
        ("²", "amount_invalid", "请填写以元为单位的数字金额"),
        ("1\x00", "amount_invalid", "请填写以元为单位的数字金额"),
        ("1.001", "amount_too_precise", "最多保留两位小数"),
        ("10000000000000.01", "amount_too_large", "金额超过10万亿元"),
        ("9" * 39, "amount_too_large", "金额超过10万亿元"),
        ("9" * 41, "amount_invalid", "金额不能超过40个字符"),
    ],
)
def test_bad_amounts_are_refused_in_chinese(text: str, code: str, says: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_amount(text)
    assert refused.value.code == code
    assert says in refused.value.message and refused.value.fields == {
        "amount": [refused.value.message]
    }


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"kind": "nope"}, "kind"),
        ({"kind": "property", "procedure": "fast"}, "procedure"),
        ({"kind": "property", "settled": "judgment"}, "settled"),
        ({"kind": "administrative", "administrative_subject": "tax"}, "administrative_subject"),
        ({"kind": "property", "rounding": "jiao"}, "rounding"),
    ],
)
def test_unknown_choices_are_refused(options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        estimate(amount=D(100), **options)
    assert set(refused.value.fields) == {field}


def test_decimal_amounts_are_checked_too() -> None:
    for bad in (D(-1), D("1E+14"), D("NaN"), D("0.001")):
        with pytest.raises(ValidationFailed):
            estimate(kind="property", amount=bad)
