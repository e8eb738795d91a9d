"""Properties of the calculator over the whole range of amounts (hypothesis): fees never fall as
the amount grows, never go negative, the lines add up to the fee, simple procedure halves a
property case's fee, and the bands agree with the quick formulas of DOMAIN.md §4."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from youjie.fees.calculator import (
    AMOUNT_SUBJECTS,
    CENT,
    MAX_AMOUNT,
    FeeEstimate,
    estimate,
    property_fee,
)
from youjie.fees.choices import FeeKind, Procedure, Rounding, Settlement

amounts = st.decimals(min_value=CENT, max_value=MAX_AMOUNT, places=2)
# Amounts near the band edges, where an off-by-one in "超过…至…" would show.
EDGES = [10**4, 10**5, 2 * 10**5, 5 * 10**5, 10**6, 2 * 10**6, 5 * 10**6, 10**7, 2 * 10**7]
near_edges = st.builds(
    lambda edge, cents: Decimal(edge) + Decimal(cents) / 100,
    st.sampled_from([*EDGES, 1_000, 50_000, 896_000, 111_640_000]),
    st.integers(min_value=-300, max_value=300),
)
any_amount = st.one_of(amounts, near_edges)
kinds_with_amounts = st.sampled_from(sorted(AMOUNT_SUBJECTS))
procedures = st.sampled_from(Procedure.values)
settlements = st.sampled_from([None, *Settlement.values])
roundings = st.sampled_from(Rounding.values)


def lines_total(result: FeeEstimate) -> tuple[Decimal, Decimal]:
    low = sum((line.amount for line in result.lines), Decimal(0))
    high = sum(
        (line.amount if line.amount_max is None else line.amount_max for line in result.lines),
        Decimal(0),
    )
    return low, high


@given(kind=kinds_with_amounts, a=any_amount, b=any_amount, procedure=procedures)
def test_fees_never_fall_as_the_amount_grows(
    kind: str, a: Decimal, b: Decimal, procedure: str
) -> None:
    low, high = sorted((a, b))
    smaller = estimate(kind=kind, amount=low, procedure=procedure)
    larger = estimate(kind=kind, amount=high, procedure=procedure)
    assert smaller.fee_min <= larger.fee_min
    assert smaller.fee_max <= larger.fee_max


@given(
    kind=st.sampled_from(FeeKind.values),
    amount=st.one_of(st.none(), any_amount),
    procedure=procedures,
    settled=settlements,
    rounding=roundings,
)
def test_fees_are_never_negative_and_the_lines_add_up(
    kind: str, amount: Decimal | None, procedure: str, settled: str | None, rounding: str
) -> None:
    if amount is None and kind in (FeeKind.PROPERTY, FeeKind.PAYMENT_ORDER, FeeKind.BANKRUPTCY):
        amount = Decimal(1)
    result = estimate(
        kind=kind, amount=amount, procedure=procedure, settled=settled, rounding=rounding
    )
    assert Decimal(0) < result.fee_min <= result.fee_max
    assert lines_total(result) == (result.fee_min, result.fee_max)
    assert all(line.article.startswith("《诉讼费用交纳办法》第") for line in result.lines)
    if kind == FeeKind.PRESERVATION:
        assert result.fee_max <= 5000
    if kind == FeeKind.BANKRUPTCY:
        assert result.fee_max <= 300_000


@given(amount=any_amount, rounding=roundings)
def test_simple_procedure_is_half_the_ordinary_fee(amount: Decimal, rounding: str) -> None:
    quantum = CENT if rounding == Rounding.FEN else Decimal(1)
    ordinary = estimate(kind="property", amount=amount, rounding=rounding).acceptance_fee
    simple = estimate(kind="property", amount=amount, procedure="simple", rounding=rounding)
    assert ordinary is not None
    assert simple.acceptance_fee == (ordinary / 2).quantize(quantum, rounding=ROUND_HALF_UP)


def quick_formula(x: Decimal) -> Decimal:
    """DOMAIN.md §4's quick formulas for Art. 13(1) (published by third parties, re-derived)."""
    table = [
        (10_000, "0", "50"),
        (100_000, "0.025", "-200"),
        (200_000, "0.02", "300"),
        (500_000, "0.015", "1300"),
        (1_000_000, "0.01", "3800"),
        (2_000_000, "0.009", "4800"),
        (5_000_000, "0.008", "6800"),
        (10_000_000, "0.007", "11800"),
        (20_000_000, "0.006", "21800"),
    ]
    for upper, rate, constant in table:
        if x <= upper:
            return Decimal(rate) * x + Decimal(constant)
    return Decimal("0.005") * x + 41_800


@given(amount=any_amount)
def test_the_bands_agree_with_the_quick_formulas(amount: Decimal) -> None:
    assert property_fee(amount) == quick_formula(amount)
