"""The litigation-fee calculator: 《诉讼费用交纳办法》 (State Council Order 481 of 2006-12-19, in
force 2007-04-01; ../shared/DOMAIN.md §4) as pure functions. No database and no settings: the
adapters pass the court's policy (youjie/fees/policy.py) in.

``estimate(kind=…, amount=…, procedure=…, settled=…)`` returns a ``FeeEstimate``: the fee (a
range where the regulation gives one and no local standard is configured), the lines it is
made of — each with the article behind it and the band or formula applied — and notes.

Arithmetic
----------
Amounts are ``Decimal`` yuan with at most two decimals (分), 0 < amount ≤ 10^13 (``MAX_AMOUNT``).
The bands are 分段累计 (Art. 13(1), 13(2) items 1–2, 14(1), 14(2)): each rate applies to the
part of the amount inside its band; "超过A至B的部分" excludes A and includes B (民法典 Art. 1259:
超过 excludes the number, 至/不超过 include it).

Rounding
--------
The 办法 sets no rounding rule (Art. 55 only says that fees are counted in 人民币); DOMAIN.md §4
([C]) asks for amounts kept to the 分 and a configurable rule. The rule here:

1. A fee the regulation states (the table of Art. 13(1), a surcharge, a per-case fee) is
   computed exactly and rounded once, half up (``ROUND_HALF_UP``, 四舍五入), to the 分
   (``Rounding.FEN``, the default: the smallest unit of 人民币) or to whole yuan
   (``Rounding.YUAN``, for a court whose fee notices state whole 元).
2. A fee derived from another — halved (Art. 14(6), 15, 16) or a third (Art. 14(3)) — is
   derived from that rounded fee and rounded again, so that "减半交纳" is exactly half of the
   fee the party would otherwise be told (give or take the last 分); a cap (Art. 14(2), 14(6))
   is applied last.
3. Each line's amount is the change it makes to the rounded running total, so that the lines
   always add up to the fee; a band's line may differ from its own formula by one 分.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models

from youjie.core.errors import ValidationFailed
from youjie.fees.choices import (
    AdministrativeSubject,
    FeeKind,
    FeeType,
    Procedure,
    Rounding,
    Settlement,
)

REGULATION = "《诉讼费用交纳办法》"
MAX_AMOUNT = Decimal(10) ** 13  # 10万亿元: above it the input is a typo, not a claim
MAX_AMOUNT_CHARS = 40
CENT = Decimal("0.01")
QUANTUM = {Rounding.FEN: CENT, Rounding.YUAN: Decimal(1)}
AUTHORITATIVE_NOTE = (
    "本结果依《诉讼费用交纳办法》估算，仅供参考；应交金额以人民法院出具的交纳诉讼费用通知为准。"
)


def cite(provision: str) -> str:
    return f"{REGULATION}{provision}"


# --- the schedules of the regulation ----------------------------------------------------------


@dataclass(frozen=True)
class Band:
    lower: Decimal  # excluded: "超过"
    upper: Decimal | None  # included: "至"; None: no upper end
    rate: Decimal


@dataclass(frozen=True)
class Schedule:
    """分段累计: ``base_fee`` per case for amounts up to ``base_upto`` (0: nothing extra up
    to there), then each band's rate on the part of the amount inside the band."""

    subject: str  # what the amount is, as the article names it in the band's label
    base_fee: Decimal
    base_upto: Decimal
    bands: tuple[Band, ...]


def _bands(*rows: tuple[int, int | None, str]) -> tuple[Band, ...]:
    return tuple(
        Band(Decimal(lower), None if upper is None else Decimal(upper), Decimal(rate))
        for lower, upper, rate in rows
    )


# Art. 13(1): 财产案件根据诉讼请求的金额或者价额，按照下列比例分段累计交纳.
PROPERTY_SCHEDULE = Schedule(
    subject="",
    base_fee=Decimal(50),
    base_upto=Decimal(10_000),
    bands=_bands(
        (10_000, 100_000, "0.025"),
        (100_000, 200_000, "0.02"),
        (200_000, 500_000, "0.015"),
        (500_000, 1_000_000, "0.01"),
        (1_000_000, 2_000_000, "0.009"),
        (2_000_000, 5_000_000, "0.008"),
        (5_000_000, 10_000_000, "0.007"),
        (10_000_000, 20_000_000, "0.006"),
        (20_000_000, None, "0.005"),
    ),
)
# Art. 13(2) item 1: 涉及财产分割，财产总额不超过20万元的，不另行交纳；
# 超过20万元的部分，按照0.5%交纳.
DIVORCE_PROPERTY_SCHEDULE = Schedule(
    subject="财产总额",
    base_fee=Decimal(0),
    base_upto=Decimal(200_000),
    bands=_bands((200_000, None, "0.005")),
)
# Art. 13(2) item 2: 赔偿金额不超过5万元的，不另行交纳；超过5万元至10万元的部分，按照1%交纳；
# 超过10万元的部分，按照0.5%交纳.
PERSONALITY_DAMAGES_SCHEDULE = Schedule(
    subject="赔偿金额",
    base_fee=Decimal(0),
    base_upto=Decimal(50_000),
    bands=_bands((50_000, 100_000, "0.01"), (100_000, None, "0.005")),
)
# Art. 14(1) item 2: 执行金额或者价额不超过1万元的，每件交纳50元；超过1万元至50万元的部分，按照
# 1.5%交纳；超过50万元至500万元的部分，按照1%交纳；超过500万元至1000万元的部分，按照0.5%交纳；
# 超过1000万元的部分，按照0.1%交纳.
EXECUTION_SCHEDULE = Schedule(
    subject="执行金额",
    base_fee=Decimal(50),
    base_upto=Decimal(10_000),
    bands=_bands(
        (10_000, 500_000, "0.015"),
        (500_000, 5_000_000, "0.01"),
        (5_000_000, 10_000_000, "0.005"),
        (10_000_000, None, "0.001"),
    ),
)
# Art. 14(2): 财产数额不超过1000元或者不涉及财产数额的，每件交纳30元；超过1000元至10万元的部分，
# 按照1%交纳；超过10万元的部分，按照0.5%交纳。但是，当事人申请保全措施交纳的费用最多不超过5000元.
PRESERVATION_SCHEDULE = Schedule(
    subject="财产数额",
    base_fee=Decimal(30),
    base_upto=Decimal(1_000),
    bands=_bands((1_000, 100_000, "0.01"), (100_000, None, "0.005")),
)
PRESERVATION_CAP = Decimal(5_000)
# Art. 14(6): 按照财产案件受理费标准减半交纳，但是，最高不超过30万元.
BANKRUPTCY_CAP = Decimal(300_000)

# The per-case ranges a province fixes within (Art. 13, last paragraph: items (二), (三), (六);
# the 管辖权异议 fee of item (六) is not offered by this calculator).
PER_CASE_RANGES: dict[str, tuple[Decimal, Decimal]] = {
    FeeKind.DIVORCE: (Decimal(50), Decimal(300)),
    FeeKind.PERSONALITY: (Decimal(100), Decimal(500)),
    FeeKind.NON_PROPERTY: (Decimal(50), Decimal(100)),
    FeeKind.IP: (Decimal(500), Decimal(1_000)),
}
# Art. 14(1) item 1: 没有执行金额或者价额的，每件交纳50元至500元 (not left to the provinces).
EXECUTION_WITHOUT_AMOUNT = (Decimal(50), Decimal(500))

# What the amount is, for each kind that reads one (the field's label on the page and the API).
AMOUNT_SUBJECTS: dict[str, str] = {
    FeeKind.PROPERTY: "诉讼请求的金额或者价额",
    FeeKind.DIVORCE: "分割的财产总额",
    FeeKind.PERSONALITY: "损害赔偿金额",
    FeeKind.IP: "争议金额或者价额",
    FeeKind.EXECUTION: "执行金额或者价额",
    FeeKind.PRESERVATION: "实际保全的财产数额",
    FeeKind.PAYMENT_ORDER: "支付令请求给付的金额",
    FeeKind.BANKRUPTCY: "破产财产总额",
}
AMOUNT_REQUIRED = frozenset({FeeKind.PROPERTY, FeeKind.PAYMENT_ORDER, FeeKind.BANKRUPTCY})
APPLICATION_FEE_KINDS = frozenset(
    {
        FeeKind.EXECUTION,
        FeeKind.PRESERVATION,
        FeeKind.PAYMENT_ORDER,
        FeeKind.PUBLIC_SUMMONS,
        FeeKind.ARBITRATION,
        FeeKind.BANKRUPTCY,
    }
)


# --- the result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeLine:
    """One step of the computation. ``amount`` is what the line adds to the fee (negative for a
    reduction); on a range, ``amount`` is its effect on the minimum and ``amount_max`` on the
    maximum (None when both are the same)."""

    label: str
    amount: Decimal
    article: str
    basis: str  # the band or formula applied: "90,000.00元 × 2.5%"
    amount_max: Decimal | None = None


@dataclass(frozen=True)
class FeeEstimate:
    kind: str
    amount: Decimal | None
    procedure: str
    settled: str | None
    administrative_subject: str | None  # administrative cases only
    rounding: str
    fee_type: str  # FeeType: 案件受理费 (Art. 13) or 申请费 (Art. 14)
    fee_min: Decimal
    fee_max: Decimal  # equal to fee_min unless the regulation gives a range
    lines: tuple[FeeLine, ...]
    notes: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return str(FeeKind(self.kind).label)

    @property
    def fee_label(self) -> str:
        return str(FeeType(self.fee_type).label)

    @property
    def is_range(self) -> bool:
        return self.fee_min != self.fee_max

    @property
    def acceptance_fee(self) -> Decimal | None:
        """The 案件受理费, where the kind has one and it is a single figure."""
        if self.fee_type != FeeType.ACCEPTANCE_FEE or self.is_range:
            return None
        return self.fee_min

    @property
    def application_fee(self) -> Decimal | None:
        """The 申请费, where the kind has one and it is a single figure."""
        if self.fee_type != FeeType.APPLICATION_FEE or self.is_range:
            return None
        return self.fee_min


# --- input ----------------------------------------------------------------------------------

_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# Digits typed with a Chinese input method (full width) and the separators people write.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_SEPARATORS = re.compile(r"[,\s_']")


def _amount_error(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={"amount": [message]})


def parse_amount(text: str | None) -> Decimal | None:
    """An amount in yuan as people write it ("1,000,000", "１０００００.５", "20000元"); None
    when blank. Anything else — letters, exponents, several dots, a minus sign — is refused
    with a Chinese message (ValidationFailed with code ``amount_*`` and the field ``amount``)."""
    if text is None:
        return None
    if len(text) > MAX_AMOUNT_CHARS:
        raise _amount_error("amount_invalid", f"金额不能超过{MAX_AMOUNT_CHARS}个字符")
    cleaned = _SEPARATORS.sub("", text.translate(_FULL_WIDTH)).removesuffix("元")
    if not cleaned:
        return None
    if cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:]):
        raise _amount_error("amount_negative", "金额不能为负数")
    if not _AMOUNT.fullmatch(cleaned):
        raise _amount_error(
            "amount_invalid", "请填写以元为单位的数字金额，如 1000000 或 1000000.50"
        )
    value = Decimal(cleaned)
    check_amount(value)
    return value


def check_amount(value: Decimal) -> None:
    """Refuse an amount no claim can have: negative, zero, past 10^13 or finer than the 分."""
    if not value.is_finite():
        raise _amount_error("amount_invalid", "请填写以元为单位的数字金额")
    if value < 0:
        raise _amount_error("amount_negative", "金额不能为负数")
    if value == 0:
        raise _amount_error("amount_invalid", "金额应大于0；不涉及金额的请不要填写")
    if value > MAX_AMOUNT:
        raise _amount_error("amount_too_large", "金额超过10万亿元（10¹³元），请核对后重新填写")
    if value != value.quantize(CENT):
        raise _amount_error("amount_too_precise", "金额最多保留两位小数（精确到分）")


def _choice(choices: type[models.TextChoices], value: str, name: str, label: str) -> str:
    if value not in choices.values:
        message = f"{label}不在可选范围内"
        raise ValidationFailed(message, code="invalid_choice", fields={name: [message]})
    return str(value)


def check_per_case_standards(standards: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """A province's per-case figures (Art. 13, last paragraph), each inside its range; a
    ValueError names the first that is not (a configuration error: policy.py's check)."""
    checked: dict[str, Decimal] = {}
    for kind, value in standards.items():
        if kind not in PER_CASE_RANGES:
            allowed = "、".join(sorted(PER_CASE_RANGES))
            raise ValueError(f"{kind!r}: only {allowed} have a per-case range")
        low, high = PER_CASE_RANGES[kind]
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"{kind!r}: {value!r} is not a Decimal amount")
        if not low <= value <= high or value != value.quantize(CENT):
            raise ValueError(f"{kind!r}: {value} is outside {low}–{high} or finer than the 分")
        checked[kind] = value
    return checked


# --- the computation ------------------------------------------------------------------------


def _words(value: Decimal) -> str:
    """10000 → "1万元", 1000 → "1000元": the regulation's own way of naming a band's ends."""
    whole = int(value)
    return f"{whole // 10_000}万元" if whole % 10_000 == 0 else f"{whole}元"


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True)
class _Part:
    label: str
    basis: str
    amount: Decimal  # exact


def schedule_parts(schedule: Schedule, amount: Decimal) -> list[_Part]:
    """The parts of a 分段累计 computation, exact: the per-case base, then each band reached."""
    parts: list[_Part] = []
    if schedule.base_fee:
        parts.append(
            _Part(
                f"{schedule.subject}不超过{_words(schedule.base_upto)}的部分",
                f"每件交纳{_plain(schedule.base_fee)}元",
                schedule.base_fee,
            )
        )
    for band in schedule.bands:
        if amount <= band.lower:
            break
        top = amount if band.upper is None or amount < band.upper else band.upper
        portion = top - band.lower
        upper = f"至{_words(band.upper)}" if band.upper is not None else ""
        parts.append(
            _Part(
                f"{schedule.subject}超过{_words(band.lower)}{upper}的部分",
                f"{money(portion)}元 × {_percent(band.rate)}",
                portion * band.rate,
            )
        )
    return parts


def schedule_fee(schedule: Schedule, amount: Decimal) -> Decimal:
    """The exact (unrounded) fee of a schedule for ``amount``."""
    return sum((part.amount for part in schedule_parts(schedule, amount)), Decimal(0))


def property_fee(amount: Decimal) -> Decimal:
    """Art. 13(1), exact: the fee table every derived fee (支付令, 破产, 知识产权) refers to."""
    return schedule_fee(PROPERTY_SCHEDULE, amount)


@dataclass
class _Tally:
    """The running fee (a minimum and a maximum track, equal unless a range is involved) and
    the lines that built it; see "Rounding" in the module's docstring."""

    quantum: Decimal
    low: Decimal = Decimal(0)
    high: Decimal = Decimal(0)
    lines: list[FeeLine] = field(default_factory=list)
    rounded: bool = False  # whether rounding changed a figure

    def quantize(self, value: Decimal) -> Decimal:
        return value.quantize(self.quantum, rounding=ROUND_HALF_UP)

    def add(
        self, label: str, article: str, basis: str, low: Decimal, high: Decimal | None = None
    ) -> None:
        self.to(label, article, basis, self.low + low, self.high + (low if high is None else high))

    def to(
        self, label: str, article: str, basis: str, low: Decimal, high: Decimal | None = None
    ) -> None:
        """A line that takes the running fee to (low, high)."""
        high = low if high is None else high
        step_low = self.quantize(low) - self.quantize(self.low)
        step_high = self.quantize(high) - self.quantize(self.high)
        self.lines.append(
            FeeLine(
                label=label,
                amount=step_low,
                article=article,
                basis=basis,
                amount_max=None if step_high == step_low else step_high,
            )
        )
        self.low, self.high = low, high

    def settle(self) -> None:
        """Round the running fee: a fee the regulation states has been reached."""
        low, high = self.quantize(self.low), self.quantize(self.high)
        self.rounded = self.rounded or (low, high) != (self.low, self.high)
        self.low, self.high = low, high

    def describe(self) -> str:
        if self.low == self.high:
            return f"{money(self.low)}元"
        return f"{money(self.low)}元至{money(self.high)}元"


@dataclass
class _Work:
    tally: _Tally
    notes: list[str]
    amount: Decimal | None
    standards: dict[str, Decimal]
    administrative_subject: str


def _schedule_lines(work: _Work, schedule: Schedule, amount: Decimal, article: str) -> None:
    for part in schedule_parts(schedule, amount):
        work.tally.add(part.label, article, part.basis, part.amount)


def _per_case(work: _Work, kind: str, article: str) -> None:
    """A per-case fee the regulation gives as a range: the province's figure where one is
    configured, the range otherwise (never a point value the regulation does not give)."""
    low, high = PER_CASE_RANGES[kind]
    label = f"{FeeKind(kind).label}每件"
    standard = work.standards.get(kind)
    if standard is not None:
        basis = f"本地规定的具体标准每件{_plain(standard)}元（法定幅度{low}元至{high}元）"
        work.tally.add(label, f"{article}、第十三条末款", basis, standard)
        return
    work.tally.add(label, article, f"每件交纳{low}元至{high}元", low, high)
    work.notes.append(
        f"{FeeKind(kind).label}每件交纳{low}元至{high}元，具体标准由省、自治区、直辖市人民政府"
        "在此幅度内制定（第十三条末款）；本结果给出幅度的最低额和最高额。"
    )


def _ignore_amount(work: _Work, kind: str, rule: str) -> None:
    if work.amount is not None:
        work.notes.append(f"{FeeKind(kind).label}{rule}，不按金额计算，已忽略所填金额。")


def _require_amount(work: _Work, kind: str) -> Decimal:
    if work.amount is None:
        raise _amount_error("amount_required", f"请填写{AMOUNT_SUBJECTS[kind]}")
    return work.amount


def _property(work: _Work) -> None:
    amount = _require_amount(work, FeeKind.PROPERTY)
    _schedule_lines(work, PROPERTY_SCHEDULE, amount, cite("第十三条第（一）项"))


def _divorce(work: _Work) -> None:
    _per_case(work, FeeKind.DIVORCE, cite("第十三条第（二）项第1目"))
    if work.amount is None:
        return
    if work.amount <= DIVORCE_PROPERTY_SCHEDULE.base_upto:
        work.notes.append(
            "涉及财产分割，财产总额不超过20万元的，不另行交纳（第十三条第（二）项第1目）。"
        )
    article = cite("第十三条第（二）项第1目")
    _schedule_lines(work, DIVORCE_PROPERTY_SCHEDULE, work.amount, article)


def _personality(work: _Work) -> None:
    _per_case(work, FeeKind.PERSONALITY, cite("第十三条第（二）项第2目"))
    if work.amount is None:
        return
    if work.amount <= PERSONALITY_DAMAGES_SCHEDULE.base_upto:
        work.notes.append(
            "涉及损害赔偿，赔偿金额不超过5万元的，不另行交纳（第十三条第（二）项第2目）。"
        )
    article = cite("第十三条第（二）项第2目")
    _schedule_lines(work, PERSONALITY_DAMAGES_SCHEDULE, work.amount, article)


def _non_property(work: _Work) -> None:
    _per_case(work, FeeKind.NON_PROPERTY, cite("第十三条第（二）项第3目"))
    _ignore_amount(work, FeeKind.NON_PROPERTY, "按件交纳")


def _ip(work: _Work) -> None:
    if work.amount is None:
        _per_case(work, FeeKind.IP, cite("第十三条第（三）项"))
        return
    work.notes.append(
        "知识产权民事案件有争议金额或者价额的，按照财产案件的标准交纳（第十三条第（三）项）。"
    )
    article = cite("第十三条第（三）项、第（一）项")
    _schedule_lines(work, PROPERTY_SCHEDULE, work.amount, article)


def _labour(work: _Work) -> None:
    work.tally.add("劳动争议案件每件", cite("第十三条第（四）项"), "每件交纳10元", Decimal(10))
    _ignore_amount(work, FeeKind.LABOUR, "每件交纳10元")
    work.notes.append("追索劳动报酬的案件可以不预交案件受理费（第二十条第一款）。")


def _administrative(work: _Work) -> None:
    if work.administrative_subject == AdministrativeSubject.TRADEMARK_PATENT_MARITIME:
        label, provision, fee = "商标、专利、海事行政案件每件", "第十三条第（五）项第1目", 100
    else:
        label, provision, fee = "其他行政案件每件", "第十三条第（五）项第2目", 50
    work.tally.add(label, cite(provision), f"每件交纳{fee}元", Decimal(fee))
    _ignore_amount(work, FeeKind.ADMINISTRATIVE, "按件交纳")


def _execution(work: _Work) -> None:
    if work.amount is None:
        low, high = EXECUTION_WITHOUT_AMOUNT
        work.tally.add(
            "没有执行金额或者价额的，每件",
            cite("第十四条第（一）项第1目"),
            f"每件交纳{low}元至{high}元",
            low,
            high,
        )
        work.notes.append(
            f"没有执行金额或者价额的，每件交纳{low}元至{high}元（第十四条第（一）项第1目）；"
            "本结果给出幅度的最低额和最高额。"
        )
    else:
        article = cite("第十四条第（一）项第2目")
        _schedule_lines(work, EXECUTION_SCHEDULE, work.amount, article)
    work.notes.append(
        "执行申请费不由申请人预交，执行后交纳（第二十条第二款），由被执行人负担（第三十八条）。"
    )


def _preservation(work: _Work) -> None:
    article = cite("第十四条第（二）项")
    if work.amount is None:
        work.tally.add("不涉及财产数额的，每件", article, "每件交纳30元", Decimal(30))
    else:
        _schedule_lines(work, PRESERVATION_SCHEDULE, work.amount, article)
    work.tally.settle()
    if work.tally.low > PRESERVATION_CAP:
        basis = f"{work.tally.describe()}，超过5000元的按5000元交纳"
        work.tally.to("申请保全措施交纳的费用最多不超过5000元", article, basis, PRESERVATION_CAP)
    work.notes.append(
        "保全申请费由申请人负担，申请人提起诉讼的，可以将该申请费列入诉讼请求（第三十八条第三款）。"
    )


def _payment_order(work: _Work) -> None:
    amount = _require_amount(work, FeeKind.PAYMENT_ORDER)
    article = cite("第十四条第（三）项")
    _schedule_lines(work, PROPERTY_SCHEDULE, amount, cite("第十四条第（三）项、第十三条第（一）项"))
    work.tally.settle()
    basis = f"财产案件受理费{work.tally.describe()} × 1/3"
    work.tally.to("比照财产案件受理费标准的1/3交纳", article, basis, work.tally.low / 3)
    work.notes.append(
        "债务人未提出异议的，申请费由债务人负担；提出异议致使督促程序终结的，由申请人负担（第三十六条）。"
    )


def _public_summons(work: _Work) -> None:
    article = cite("第十四条第（四）项")
    work.tally.add("申请公示催告每件", article, "每件交纳100元", Decimal(100))
    _ignore_amount(work, FeeKind.PUBLIC_SUMMONS, "按件交纳")


def _arbitration(work: _Work) -> None:
    article = cite("第十四条第（五）项")
    label = "申请撤销仲裁裁决或者认定仲裁协议效力每件"
    work.tally.add(label, article, "每件交纳400元", Decimal(400))
    _ignore_amount(work, FeeKind.ARBITRATION, "按件交纳")


def _bankruptcy(work: _Work) -> None:
    amount = _require_amount(work, FeeKind.BANKRUPTCY)
    article = cite("第十四条第（六）项")
    _schedule_lines(work, PROPERTY_SCHEDULE, amount, cite("第十四条第（六）项、第十三条第（一）项"))
    work.tally.settle()
    basis = f"财产案件受理费{work.tally.describe()} × 1/2"
    work.tally.to("按照财产案件受理费标准减半交纳", article, basis, work.tally.low / 2)
    work.tally.settle()
    if work.tally.low > BANKRUPTCY_CAP:
        basis = f"{work.tally.describe()}，超过30万元的按30万元交纳"
        work.tally.to("破产申请费最高不超过30万元", article, basis, BANKRUPTCY_CAP)
    work.notes.append("破产申请费清算后交纳（第二十条第二款），从破产财产中拨付（第四十二条）。")


_COMPUTE: dict[str, Callable[[_Work], None]] = {
    FeeKind.PROPERTY: _property,
    FeeKind.DIVORCE: _divorce,
    FeeKind.PERSONALITY: _personality,
    FeeKind.NON_PROPERTY: _non_property,
    FeeKind.IP: _ip,
    FeeKind.LABOUR: _labour,
    FeeKind.ADMINISTRATIVE: _administrative,
    FeeKind.EXECUTION: _execution,
    FeeKind.PRESERVATION: _preservation,
    FeeKind.PAYMENT_ORDER: _payment_order,
    FeeKind.PUBLIC_SUMMONS: _public_summons,
    FeeKind.ARBITRATION: _arbitration,
    FeeKind.BANKRUPTCY: _bankruptcy,
}


def _halve(work: _Work, procedure: str, settled: str | None) -> None:
    """Art. 15 (调解, 撤诉) and Art. 16 (简易程序) halve the 案件受理费 — once, when several
    apply (DOMAIN.md §4 [C]: courts halve once)."""
    reasons: list[tuple[str, str]] = []
    if settled == Settlement.MEDIATION:
        reasons.append(("以调解方式结案", "第十五条"))
    elif settled == Settlement.WITHDRAWAL:
        reasons.append(("当事人申请撤诉", "第十五条"))
    if procedure == Procedure.SIMPLE:
        reasons.append(("适用简易程序", "第十六条"))
    if not reasons:
        return
    tally = work.tally
    label = f"减半交纳（{'、'.join(reason for reason, _ in reasons)}）"
    article = cite("、".join(provision for _, provision in reasons))
    basis = f"{tally.describe()} × 1/2"
    tally.to(label, article, basis, tally.low / 2, tally.high / 2)
    for reason, provision in reasons:
        work.notes.append(f"{reason}的，减半交纳案件受理费（{provision}）。")
    if len(reasons) > 1:
        work.notes.append("同时符合几项减半情形的，只减半一次。")


def estimate(
    *,
    kind: str,
    amount: Decimal | None,
    procedure: str = Procedure.ORDINARY,
    settled: str | None = None,
    administrative_subject: str = AdministrativeSubject.OTHER,
    rounding: str = Rounding.FEN,
    per_case_standards: Mapping[str, Decimal] | None = None,
) -> FeeEstimate:
    """The fee for ``kind`` (FeeKind) and ``amount`` (yuan, or None where the kind may have
    none), by ``procedure`` (Procedure) and, for a case that ended so, ``settled``
    (Settlement). Bad input raises ValidationFailed with a Chinese message and a code."""
    kind = _choice(FeeKind, kind, "kind", "费用类型")
    procedure = _choice(Procedure, procedure, "procedure", "审理程序")
    settled = _choice(Settlement, settled, "settled", "结案方式") if settled else None
    administrative_subject = _choice(
        AdministrativeSubject, administrative_subject, "administrative_subject", "行政案件类别"
    )
    rounding = _choice(Rounding, rounding, "rounding", "舍入规则")
    if amount is not None:
        check_amount(amount)
    work = _Work(
        tally=_Tally(quantum=QUANTUM[Rounding(rounding)]),
        notes=[],
        amount=amount,
        standards=check_per_case_standards(per_case_standards or {}),
        administrative_subject=administrative_subject,
    )
    _COMPUTE[kind](work)
    work.tally.settle()
    if kind in APPLICATION_FEE_KINDS:
        fee_type = FeeType.APPLICATION_FEE
        if procedure == Procedure.SIMPLE or settled:
            work.notes.append(
                "申请费不适用简易程序、调解或者撤诉减半交纳的规定"
                "（第十五条、第十六条只适用于案件受理费），未减半。"
            )
    else:
        fee_type = FeeType.ACCEPTANCE_FEE
        _halve(work, procedure, settled)
        work.tally.settle()
    if work.tally.rounded:
        unit = "分" if rounding == Rounding.FEN else "元"
        work.notes.append(f"《诉讼费用交纳办法》未规定舍入规则，本结果各项费用四舍五入到{unit}。")
    work.notes.append(AUTHORITATIVE_NOTE)
    return FeeEstimate(
        kind=kind,
        amount=amount,
        procedure=procedure,
        settled=settled,
        administrative_subject=(administrative_subject if kind == FeeKind.ADMINISTRATIVE else None),
        rounding=rounding,
        fee_type=fee_type,
        fee_min=work.tally.low,
        fee_max=work.tally.high,
        lines=tuple(work.tally.lines),
        notes=tuple(work.notes),
    )
