"""Court case numbers (案号): parsing and the canonical form.

The form is fixed by the Supreme People's Court's 《关于人民法院案件案号的若干规定》
(法〔2015〕137号): （收案年度）+ 法院代字 + 类型代字 + 案件编号 + "号", e.g.
（2026）内0206民初123号. The court code is the province abbreviation plus the court's number
(内0206 = 白云鄂博矿区人民法院). This module is pure: it imports no model, so that it can be
used anywhere (parsing user input, imports, API).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

FORMAT_MESSAGE = "案号格式不正确，应如（2026）内0206民初123号"
YEAR_MESSAGE = "案号年份不正确"
SEQUENCE_MESSAGE = "案号序号不正确"
MAX_INPUT_LENGTH = 60
MIN_YEAR = 1990

# Type codes (类型代字) from the SPC's 《人民法院案件类型及其代字标准》, the ones a basic or
# intermediate court issues. Unknown codes are rejected: a typo in a case number must not
# silently create a second case.
KNOWN_TYPE_CODES: tuple[str, ...] = (
    # civil
    "民初", "民终", "民申", "民再", "民特", "民辖", "民辖终", "民催", "民监", "民抗", "民他",
    "民撤", "民算", "民诉前调", "民诉前保", "民破", "民强", "民清",
    # enforcement
    "执", "执保", "执异", "执复", "执恢", "执监", "执协", "执他",
    # criminal
    "刑初", "刑终", "刑申", "刑再", "刑更", "刑医", "刑辖", "刑监", "刑抗", "刑他", "刑核",
    # administrative
    "行初", "行终", "行审", "行申", "行再", "行辖", "行监", "行抗", "行他", "行审复",
    "行诉前调",
    # pre-litigation, preservation, compensation, judicial aid, sanctions
    "诉前调", "诉前保", "财保", "赔", "委赔", "法赔", "司救", "司救民", "司救刑", "司救行",
    "司救执", "司救访", "司惩", "司惩复",
)  # fmt: skip
_KNOWN = frozenset(KNOWN_TYPE_CODES)

# First-instance cases (一审) are known by the type code alone: 初 is the first instance of the
# three ordinary trial types (《人民法院案件类型及其代字标准》: 民初 民事一审, 刑初 刑事一审,
# 行初 行政一审). 民特 (special procedure), 民督 and the like are first-instance too but final
# on decision and not open to appeal, so they stay out of 一审服判息诉率 (DOMAIN.md §9).
FIRST_INSTANCE_TYPE_CODES: tuple[str, ...] = ("民初", "刑初", "行初")
# Pre-litigation numbers (诉前调解, 诉前保全) are not cases received for trial: they are left out
# of 旧存/新收/结案 unless a type filter asks for them by name.
PRE_LITIGATION_TYPE_CODES: tuple[str, ...] = (
    "民诉前调", "民诉前保", "行诉前调", "诉前调", "诉前保",
)  # fmt: skip

_OPENING = "（(〔[［【"
_CLOSING = "）)〕]］】"
# Full-width digits become ASCII (what NFKC does, limited to digits and brackets so that
# nothing else in the number is rewritten); all bracket variants become ASCII parentheses.
_TRANSLATION = str.maketrans(
    {
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        **dict.fromkeys(_OPENING, "("),
        **dict.fromkeys(_CLOSING, ")"),
    }
)
_CJK = "\u4e00-\u9fff"
_PATTERN = re.compile(
    rf"\((?P<year>[0-9]{{4}})\)"
    rf"(?P<province>[{_CJK}])(?P<court_digits>[0-9]{{2,4}})"
    rf"(?P<type_code>[{_CJK}]{{1,6}}?)"
    rf"(?P<sequence>[0-9]{{1,9}})号"
)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    type_code: str
    sequence: int

    @property
    def canonical(self) -> str:
        return f"（{self.year}）{self.court_code}{self.type_code}{self.sequence}号"

    def __str__(self) -> str:
        return self.canonical


def normalise_case_number_text(value: str) -> str:
    """Brackets and digits to ASCII, whitespace (including U+3000) removed."""
    return _WHITESPACE.sub("", value.translate(_TRANSLATION))


def parse_case_number(value: str) -> CaseNumber:
    """Parse a case number typed by a person or exported by a court system.

    Raises django.core.exceptions.ValidationError (code ``case_number``) with a Chinese
    message when the value is not a case number this system can route.
    """
    if not isinstance(value, str) or len(value) > MAX_INPUT_LENGTH:
        raise ValidationError(FORMAT_MESSAGE, code="case_number")
    match = _PATTERN.fullmatch(normalise_case_number_text(value))
    if match is None:
        raise ValidationError(FORMAT_MESSAGE, code="case_number")
    year = int(match["year"])
    if not MIN_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError(YEAR_MESSAGE, code="case_number_year")
    type_code = match["type_code"]
    if type_code not in _KNOWN:
        raise ValidationError(
            "未知的案件类型代字：%(code)s", code="case_number_type", params={"code": type_code}
        )
    sequence = int(match["sequence"])
    if sequence < 1:
        raise ValidationError(SEQUENCE_MESSAGE, code="case_number_sequence")
    return CaseNumber(
        year=year,
        court_code=match["province"] + match["court_digits"],
        type_code=type_code,
        sequence=sequence,
    )
