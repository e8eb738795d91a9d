"""发文字号: 发文机关代字〔年份〕序号号, no "第", no leading zeros (GB/T 9704-2012 §7.2.4)."""

from __future__ import annotations

from typing import Any

import pytest

from youjie.core.errors import ValidationFailed
from youjie.documents.numbers import DocumentNumber, document_number, parse_document_number


@pytest.mark.parametrize(
    ("prefix", "year", "sequence", "expected"),
    [
        ("包政法专督", 2026, 3, "包政法专督〔2026〕3号"),
        ("X政法", 2026, 18, "X政法〔2026〕18号"),
        ("包政法通", 2026, 100, "包政法通〔2026〕100号"),
    ],
)
def test_document_number_is_written_as_the_standard_says(
    prefix: str, year: int, sequence: int, expected: str
) -> None:
    assert document_number(prefix, year, sequence) == expected


def test_document_number_never_emits_leading_zeros() -> None:
    for sequence in (1, 9, 10, 99, 101):
        text = document_number("包政法专督", 2026, sequence)
        assert text.endswith(f"〕{sequence}号")
        assert "〕0" not in text


@pytest.mark.parametrize(
    ("prefix", "year", "sequence"),
    [
        ("", 2026, 3),  # no 发文机关代字
        ("包政法 专督", 2026, 3),  # whitespace
        ("包政法〔专督", 2026, 3),  # a bracket in the prefix
        ("包政法第", 2026, 3),  # "第"
        ("包" * 21, 2026, 3),  # too long
        ("包政法专督", 26, 3),  # a two-digit year
        ("包政法专督", 10000, 3),
        ("包政法专督", 2026, 0),
        ("包政法专督", 2026, -3),
        ("包政法专督", 2026, 10**9),
        ("包政法专督", True, 3),  # bool is an int to Python
        ("包政法专督", 2026, True),
        ("包政法专督", "2026", 3),
        ("包政法专督", 2026, 3.0),
        (None, 2026, 3),
    ],
)
def test_document_number_rejects_bad_input(prefix: Any, year: Any, sequence: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        document_number(prefix, year, sequence)
    assert caught.value.code == "document_number"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.message)


def test_parse_reads_a_number_in_the_standard_form() -> None:
    assert parse_document_number(" 包政法专督〔2026〕3号 ") == DocumentNumber("包政法专督", 2026, 3)
    assert str(parse_document_number("X政法〔2026〕18号")) == "X政法〔2026〕18号"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("包政法专督〔2026〕第3号", "第"),
        ("包政法专督〔2026〕03号", "虚位"),
        ("包政法专督【2026】3号", "〔年份〕"),
        ("包政法专督[2026]3号", "〔年份〕"),
        ("包政法专督(2026)3号", "〔年份〕"),
        ("包政法专督（2026）3号", "〔年份〕"),
        ("包政法专督〔26〕3号", "〔年份〕"),
        ("包政法专督〔2026〕3", "〔年份〕"),
        ("〔2026〕3号", "〔年份〕"),
        ("包政法专督〔2026〕〔2026〕3号", "括号"),
        ("", "〔年份〕"),
        ("包政法专督〔2026〕3号\x00", "〔年份〕"),
    ],
)
def test_parse_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_document_number(text)
    assert says in caught.value.message
