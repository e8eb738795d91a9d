"""What an official document says, in the order GB/T 9704-2012 places it: the data the
renderer (``gbt9704.render_document``) lays out. Built by the apps that issue documents; checked
when built, so that bad data is refused with a Chinese message before anything is rendered."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from youjie.core.errors import ValidationFailed
from youjie.documents.choices import DocumentFormat
from youjie.documents.numbers import parse_document_number

# --- limits (the renderer is given data that services validated; these stop runaway input) ---
TEXT_MAX = 20_000
SHORT_MAX = 200
BLOCKS_MAX = 2_000
TABLE_ROWS_MAX = 2_000
TABLE_COLUMNS_MAX = 12
LIST_MAX = 50
HEADING_LEVELS = (1, 2, 3, 4)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A heading is numbered here: text that already carries a number would be numbered twice.
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．、]|（\d+）)"
)
_CLASSIFICATIONS = ("绝密", "机密", "秘密")
_URGENCIES = ("特急", "加急")

# --- the data -------------------------------------------------------------------------------


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="document_invalid", fields={"document": [message]})


def _check_text(label: str, value: str, *, limit: int, required: bool = False) -> None:
    if not isinstance(value, str):
        raise _invalid(f"{label}应为文字")
    if required and not value.strip():
        raise _invalid(f"{label}不能为空")
    if len(value) > limit:
        raise _invalid(f"{label}不能超过 {limit} 个字")
    if _CONTROL.search(value):
        raise _invalid(f"{label}含有无法打印的控制字符")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph, indented two characters. A line break in ``text`` starts a new
    paragraph (text typed into a form keeps its paragraphs)."""

    text: str

    def check(self) -> None:
        _check_text("正文段落", self.text, limit=TEXT_MAX)


@dataclass(frozen=True)
class Heading:
    """A heading of level 1–4, numbered here (§7.3.3): 一、 (黑体), （一） (楷体), 1. (仿宋 bold),
    （1） (仿宋). ``after`` is body text run in on the same line (common for levels 2–4)."""

    level: int
    text: str
    after: str = ""

    def check(self) -> None:
        if self.level not in HEADING_LEVELS:
            raise _invalid("标题层次应为 1 至 4")
        _check_text("层次标题", self.text, limit=SHORT_MAX, required=True)
        _check_text("层次标题后的正文", self.after, limit=TEXT_MAX)
        if "\n" in self.text or "\n" in self.after:
            raise _invalid("层次标题不能换行")
        if _NUMBERED.match(self.text):
            raise _invalid(f"层次标题“{self.text[:20]}”不需自带序号，序号由系统按层次编排")


@dataclass(frozen=True)
class Table:
    """A table (a bulletin's figures): a header row repeated on every page, then the rows.
    ``widths`` are relative column widths (equal when empty)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[int, ...] = ()

    def check(self) -> None:
        columns = len(self.header)
        if not 1 <= columns <= TABLE_COLUMNS_MAX:
            raise _invalid(f"表格应有 1 至 {TABLE_COLUMNS_MAX} 列")
        if len(self.rows) > TABLE_ROWS_MAX:
            raise _invalid(f"表格不能超过 {TABLE_ROWS_MAX} 行")
        if any(len(row) != columns for row in self.rows):
            raise _invalid("表格每行的列数应与表头一致")
        if self.widths and (len(self.widths) != columns or min(self.widths) < 1):
            raise _invalid("表格列宽应与列数一致且为正数")
        _check_text("表格标题", self.caption, limit=SHORT_MAX)
        for cell in (*self.header, *(cell for row in self.rows for cell in row)):
            _check_text("表格内容", cell, limit=SHORT_MAX)


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class OfficialDocument:
    """One document: its elements in the order GB/T 9704 places them.

    ``authority`` is the issuing organ's full name: the 文件 format's masthead adds "文件"
    (中共包头市委政法委员会文件), the letter's is the name alone (§7.2.3, §10.1).
    ``title`` may contain line breaks to shape a long title (梯形或菱形, §7.3.1).
    """

    format: DocumentFormat
    authority: str  # 发文机关标志 (without "文件")
    number: str  # 发文字号, e.g. 包政法专督〔2026〕3号
    title: str  # 标题
    addressee: str  # 主送机关, e.g. 各旗县区委政法委
    body: tuple[Block, ...]
    signatory: str  # 发文机关署名
    date: dt.date  # 成文日期
    attachments: tuple[str, ...] = ()  # 附件说明: the attachments' names
    signer: str = ""  # 签发人 (上行文 only; the 发文字号 then moves left)
    copy_number: str = ""  # 份号: six digits
    classification: str = ""  # 密级和保密期限, e.g. 机密★1年
    urgency: str = ""  # 紧急程度: 特急 or 加急
    note: str = ""  # 附注
    copies_to: tuple[str, ...] = ()  # 抄送机关
    printer: str = ""  # 印发机关 (文件 format)
    printed_on: dt.date | None = None  # 印发日期 (文件 format)

    def __post_init__(self) -> None:
        if self.format not in DocumentFormat.values:
            raise _invalid("公文格式应为文件格式或信函格式")
        _check_text("发文机关", self.authority, limit=40, required=True)
        parse_document_number(self.number)
        _check_text("标题", self.title, limit=SHORT_MAX, required=True)
        _check_text("主送机关", self.addressee, limit=SHORT_MAX)
        _check_text("发文机关署名", self.signatory, limit=60, required=True)
        _check_text("签发人", self.signer, limit=40)
        _check_text("附注", self.note, limit=SHORT_MAX)
        _check_text("印发机关", self.printer, limit=60)
        if not isinstance(self.date, dt.date):
            raise _invalid("成文日期应为日期")
        if self.printed_on is not None and not isinstance(self.printed_on, dt.date):
            raise _invalid("印发日期应为日期")
        if self.copy_number and not re.fullmatch(r"[0-9]{6}", self.copy_number):
            raise _invalid("份号应为 6 位阿拉伯数字")
        if self.classification and not self.classification.startswith(_CLASSIFICATIONS):
            raise _invalid("密级应为绝密、机密或秘密")
        _check_text("密级和保密期限", self.classification, limit=20)
        if self.urgency and self.urgency not in _URGENCIES:
            raise _invalid("紧急程度应为特急或加急")
        if not isinstance(self.body, tuple):
            raise _invalid("正文应为段落、层次标题和表格的元组（tuple）")
        if not self.body or len(self.body) > BLOCKS_MAX:
            raise _invalid(f"正文应有 1 至 {BLOCKS_MAX} 个段落")
        for block in self.body:
            if not isinstance(block, Paragraph | Heading | Table):
                raise _invalid("正文只能由段落、层次标题和表格组成")
            block.check()
        for label, names in (("附件", self.attachments), ("抄送机关", self.copies_to)):
            if not isinstance(names, tuple):
                raise _invalid(f"{label}名称应为元组（tuple）")
            if len(names) > LIST_MAX:
                raise _invalid(f"{label}不能超过 {LIST_MAX} 个")
            for name in names:
                _check_text(f"{label}名称", name, limit=SHORT_MAX, required=True)
                if "\n" in name:
                    raise _invalid(f"{label}名称不能换行")

    @property
    def masthead(self) -> str:
        return self.authority + ("文件" if self.format == DocumentFormat.FILE else "")


def chinese_date(value: dt.date) -> str:
    """成文日期 in Arabic numerals without leading zeros (§7.3.5.1): 2026年3月5日."""
    return f"{value.year}年{value.month}月{value.day}日"


def _chinese_numeral(number: int) -> str:
    """一 … 九十九 for heading numbers."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def heading_number(level: int, number: int) -> str:
    return {
        1: f"{_chinese_numeral(number)}、",
        2: f"（{_chinese_numeral(number)}）",
        3: f"{number}.",
        4: f"（{number}）",
    }[level]


def display_width(text: str) -> float:
    """Width in characters of 3号 text: full-width characters 1, half-width ones ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)
