"""发文字号 (document numbers): 发文机关代字 + 〔年份〕 + 序号 + 号 (GB/T 9704-2012 §7.2.4).

The year is written in full inside 六角括号 〔〕; the sequence number has no "第" and no leading
zeros: 包政法专督〔2026〕3号, never 〔2026〕第3号, [2026]3号, 【2026】03号 (DOMAIN.md §11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from youjie.core.errors import ValidationFailed

PREFIX_MAX = 20
MIN_YEAR = 1949
MAX_YEAR = 2999
MAX_SEQUENCE = 999_999
# Brackets of every shape, "第", whitespace and controls cannot be part of 发文机关代字.
_PREFIX_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f〔〕\[\]【】()（）{}<>〈〉《》第]")
_NUMBER = re.compile(r"(?P<prefix>.{1,20}?)〔(?P<year>[0-9]{4})〕(?P<sequence>[1-9][0-9]{0,5})号")
EXAMPLE = "包政法专督〔2026〕3号"


@dataclass(frozen=True)
class DocumentNumber:
    prefix: str  # 发文机关代字, e.g. 包政法专督
    year: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.sequence}号"


def _refuse(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="document_number", fields={"number": [message]})


def _check_prefix(prefix: str) -> None:
    if not prefix or len(prefix) > PREFIX_MAX:
        raise _refuse(f"发文机关代字应为 1 至 {PREFIX_MAX} 个字")
    if _PREFIX_FORBIDDEN.search(prefix):
        raise _refuse("发文机关代字不能含空格、括号或“第”字")


def document_number(prefix: str, year: int, sequence: int) -> str:
    """The 发文字号 text: ``document_number("包政法专督", 2026, 3)`` is 包政法专督〔2026〕3号."""
    if not isinstance(prefix, str):
        raise _refuse("发文机关代字应为文字")
    _check_prefix(prefix)
    # bool is an int to Python; True is no year and no sequence number.
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise _refuse(f"年份应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的四位数")
    if isinstance(sequence, bool) or not isinstance(sequence, int):
        raise _refuse("序号应为正整数")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise _refuse(f"序号应为 1 至 {MAX_SEQUENCE} 之间的整数")
    return str(DocumentNumber(prefix=prefix, year=year, sequence=sequence))


def parse_document_number(text: str) -> DocumentNumber:
    """The parts of a 发文字号 written exactly in the standard's form, or ValidationFailed saying
    what is wrong (wrong brackets, "第", a leading zero …)."""
    value = text.strip() if isinstance(text, str) else ""
    match = _NUMBER.fullmatch(value)
    if match is None:
        if value and ("第" in value or re.search(r"[〕\]】)）]0", value)):
            raise _refuse(f"发文字号的序号不加“第”字、不编虚位（如 {EXAMPLE}）")
        raise _refuse(f"发文字号格式应为 发文机关代字〔年份〕序号号，如 {EXAMPLE}")
    prefix = match.group("prefix")
    _check_prefix(prefix)
    year = int(match.group("year"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _refuse(f"年份应为 {MIN_YEAR} 至 {MAX_YEAR} 之间的四位数")
    return DocumentNumber(prefix=prefix, year=year, sequence=int(match.group("sequence")))
