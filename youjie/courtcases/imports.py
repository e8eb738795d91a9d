"""Reading and validating the court's case list (.xlsx or .csv) before anything is written,
and the watched folder's files (``folder_*``: which are there, moving one away when taken).

The file comes from the court's own case system, exported by a person: expect full-width
punctuation, dates as text or as Excel dates, stray spaces, GB18030-encoded CSV from Excel on
Windows. Every problem with a row is reported with its spreadsheet row number (the header is
row 1) and a reason in Chinese; problems with the file as a whole raise ValidationFailed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from youjie.core.errors import ValidationFailed
from youjie.courtcases.choices import CaseStage, PartyRole, SecondInstanceResult
from youjie.courtcases.numbers import parse_case_number
from youjie.orgs.choices import OrgKind
from youjie.orgs.models import OrgUnit, User

MAX_ROWS = 50_000
SHEET_MAX_ROWS = 1_048_576  # Excel's own limit; guards against forged row numbers
MAX_COLUMNS = 64
MAX_PARTIES = 200
ALLOWED_EXTENSIONS = (".xlsx", ".csv")
ZIP_SIGNATURE = b"PK\x03\x04"
MAX_XLSX_EXPANDED_BYTES = 200 * 1024 * 1024

# Header label → normalised field name. Only 案号 is required; a column that is absent leaves
# that field of an existing case unchanged.
COLUMNS: dict[str, str] = {
    "案号": "case_number",
    "案由": "cause",
    "承办庭室": "division",
    "承办法官": "judge",
    "书记员": "clerk",
    "立案日期": "filed_on",
    "裁判日期": "judgment_date",
    "结案日期": "closed_on",
    "阶段": "stage",
    "是否上诉": "appealed",
    "标的额": "amount",
    "当事人": "parties",
    "二审结果": "second_instance_result",
}
DATE_FIELDS = ("filed_on", "judgment_date", "closed_on")
FIELD_LABELS = {name: label for label, name in COLUMNS.items()}

_TRUE = frozenset({"是", "已上诉", "上诉", "y", "yes", "true", "1", "√", "有"})
_FALSE = frozenset({"否", "未上诉", "无", "n", "no", "false", "0", "", "×"})
_STAGES = {
    **{label: value for value, label in CaseStage.choices},
    **{v: v for v in CaseStage.values},
}
_STAGES.update({"立案": CaseStage.FILED, "审理": CaseStage.IN_TRIAL, "结案": CaseStage.CLOSED,
                "执行": CaseStage.ENFORCEMENT, "已裁判": CaseStage.JUDGED})  # fmt: skip
# 二审结果: the labels, the stored values, and the words a court's export may use for them.
_RESULTS = {
    **{label: value for value, label in SecondInstanceResult.choices},
    **{v: v for v in SecondInstanceResult.values},
}
_RESULTS.update({"维持原判": SecondInstanceResult.AFFIRMED, "驳回上诉，维持原判":
                 SecondInstanceResult.AFFIRMED, "发回": SecondInstanceResult.REMANDED,
                 "撤诉": SecondInstanceResult.WITHDRAWN, "撤回": SecondInstanceResult.WITHDRAWN,
                 "按撤回上诉处理": SecondInstanceResult.WITHDRAWN})  # fmt: skip
_ROLES = {
    **{label: value for value, label in PartyRole.choices},
    **{v: v for v in PartyRole.values},
}
_PARTY_SEPARATORS = re.compile(r"[;；\n]+")
_NAME_SEPARATORS = re.compile(r"[、,，]+")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_HEADER_NOISE = re.compile(r"[\s*＊]|[（(]元[)）]$")
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + d): str(d) for d in range(10)})


@dataclass
class Table:
    """The raw cells of the first sheet: column field names and (row number, values)."""

    fields: list[str | None]
    rows: list[tuple[int, Sequence[Any]]]


@dataclass
class ImportContext:
    """What rows are checked against: the importing court, its people and divisions."""

    court: OrgUnit
    users_by_name: dict[str, list[int]] = field(default_factory=dict)
    divisions_by_name: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class ValidationResult:
    total_rows: int
    rows: list[dict[str, Any]]
    errors: list[dict[str, Any]]


# ---------------------------------------------------------------------------- the file


def clean_file_name(file_name: str) -> str:
    """The base name only (browsers on Windows may send a full path), at most 200 chars."""
    name = PureWindowsPath(PurePosixPath(file_name or "").name).name.strip()
    return name[-200:] or "未命名文件"


def file_too_large(limit: int) -> ValidationFailed:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return ValidationFailed(
        f"文件过大：不能超过 {size}",
        code="file_too_large",
        fields={"file": ["文件过大"]},
    )


def check_file(*, file_name: str, content: bytes) -> str:
    """Size, extension and content checks; returns the extension (".xlsx" or ".csv")."""
    limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
    if len(content) > limit:
        raise file_too_large(limit)
    if not content:
        raise ValidationFailed("文件为空", fields={"file": ["文件为空"]})
    extension = PurePosixPath(file_name.lower()).suffix
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationFailed(
            "仅支持 .xlsx 或 .csv 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）",
            fields={"file": ["文件类型不受支持"]},
        )
    if extension == ".xlsx" and not content.startswith(ZIP_SIGNATURE):
        raise ValidationFailed(
            "文件扩展名为 .xlsx，但内容不是 Excel 工作簿", fields={"file": ["文件内容与类型不符"]}
        )
    if extension == ".csv" and (content.startswith(ZIP_SIGNATURE) or b"\x00" in content):
        raise ValidationFailed(
            "文件扩展名为 .csv，但内容不是文本", fields={"file": ["文件内容与类型不符"]}
        )
    return extension


def read_table(*, file_name: str, content: bytes) -> Table:
    extension = check_file(file_name=file_name, content=content)
    if extension == ".xlsx":
        return _xlsx_table(content)
    return _csv_table(content)


def _xlsx_table(content: bytes) -> Table:
    # openpyxl has no type stubs; imported here so that only imports pay for loading it.
    from openpyxl import load_workbook

    unreadable = ValidationFailed(
        "无法读取该 Excel 文件，请确认文件未损坏并另存为 .xlsx 后重试",
        fields={"file": ["无法读取"]},
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable from exc
    if expanded > MAX_XLSX_EXPANDED_BYTES:
        # A small upload that inflates to gigabytes (a "zip bomb") is refused before parsing.
        raise ValidationFailed(
            "Excel 文件解压后内容过大，请删除多余的工作表、格式或空行后重试",
            fields={"file": ["文件内容过大"]},
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise unreadable from exc
    try:
        if not workbook.worksheets:
            raise unreadable
        sheet = workbook.worksheets[0]
        # Exporters often write a wrong <dimension>; read_only would then drop rows past it.
        sheet.reset_dimensions()
        return _table(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except ValidationFailed:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        workbook.close()


def _csv_table(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK/GB18030.
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                "无法识别 CSV 文件的编码，请另存为 UTF-8 编码后重试",
                fields={"file": ["编码无法识别"]},
            ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table(values[:MAX_COLUMNS] for values in reader)
    except csv.Error as exc:
        raise ValidationFailed(
            f"CSV 文件格式不正确（第 {reader.line_num} 行附近）", fields={"file": ["格式不正确"]}
        ) from exc


def _too_many_rows() -> ValidationFailed:
    return ValidationFailed(
        f"数据行数超过上限 {MAX_ROWS} 行，请拆分后分批导入", fields={"file": ["行数过多"]}
    )


def _blank(values: Iterable[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _header_field(value: Any) -> str | None:
    label = _HEADER_NOISE.sub("", str(value if value is not None else "")).lstrip("\ufeff")
    return COLUMNS.get(label)


def _table(raw_rows: Iterable[Sequence[Any]]) -> Table:
    """Row 1 is the header; blank rows are skipped but keep their numbers counted."""
    iterator = iter(raw_rows)
    header = next(iterator, None)
    if header is None or _blank(header):
        raise ValidationFailed(
            "第 1 行应为表头（案号、案由、承办法官……），文件中没有表头",
            fields={"file": ["缺少表头"]},
        )
    fields = [_header_field(value) for value in header]
    if "case_number" not in fields:
        raise ValidationFailed("表头缺少“案号”列", fields={"file": ["缺少“案号”列"]})
    seen: set[str] = set()
    for name in fields:
        if name is not None and name in seen:
            raise ValidationFailed(
                f"表头中“{FIELD_LABELS[name]}”列重复", fields={"file": ["表头列重复"]}
            )
        if name is not None:
            seen.add(name)
    rows: list[tuple[int, Sequence[Any]]] = []
    for number, values in enumerate(iterator, start=2):
        if number > SHEET_MAX_ROWS:
            raise _too_many_rows()
        if _blank(values):
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    return Table(fields=fields, rows=rows)


# ---------------------------------------------------------------------------- the rows


def build_context(*, court: OrgUnit) -> ImportContext:
    """People and divisions of the court's subtree, by name (two queries)."""
    users: dict[str, list[int]] = defaultdict(list)
    people = (
        User.objects.filter(
            org_unit__path__startswith=court.path, is_active=True, is_service_account=False
        )
        .exclude(display_name="")
        .values_list("display_name", "id")
    )
    for name, user_id in people:
        users[name.strip()].append(user_id)
    divisions: dict[str, list[int]] = defaultdict(list)
    units = OrgUnit.objects.filter(
        path__startswith=court.path, kind=OrgKind.DIVISION, is_active=True
    ).values_list("name", "short_name", "id")
    for name, short_name, unit_id in units:
        for label in {name.strip(), short_name.strip()} - {""}:
            divisions[label].append(unit_id)
    return ImportContext(court=court, users_by_name=dict(users), divisions_by_name=dict(divisions))


def validate_table(*, table: Table, context: ImportContext) -> ValidationResult:
    valid: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    first_row_of: dict[str, int] = {}
    for row_number, values in table.rows:
        cells = {
            name: values[index] if index < len(values) else None
            for index, name in enumerate(table.fields)
            if name is not None
        }
        normalised, reasons = validate_row(cells=cells, context=context)
        number = normalised.get("case_number")
        if number is not None and number in first_row_of:
            reasons.append(f"案号与第 {first_row_of[number]} 行重复")
        elif number is not None:
            first_row_of[number] = row_number
        if reasons:
            errors.append(
                {"row": row_number, "case_number": _text(cells.get("case_number"))[:60],
                 "reason": "；".join(reasons)}
            )  # fmt: skip
        else:
            valid.append({"row": row_number, **normalised})
    return ValidationResult(total_rows=len(table.rows), rows=valid, errors=errors)


def validate_row(
    *, cells: dict[str, Any], context: ImportContext
) -> tuple[dict[str, Any], list[str]]:
    """One row's cells → (normalised values, reasons it cannot be imported)."""
    reasons: list[str] = []
    row: dict[str, Any] = {}
    raw_number = _text(cells.get("case_number"))
    if not raw_number:
        reasons.append("案号为空")
    else:
        try:
            number = parse_case_number(raw_number)
        except ValidationError as exc:
            reasons.extend(exc.messages)
        else:
            row.update(case_number=number.canonical, year=number.year,
                       court_code=number.court_code, type_code=number.type_code,
                       sequence=number.sequence)  # fmt: skip
            if number.court_code != context.court.court_code:
                reasons.append(
                    f"案号中的法院代字“{number.court_code}”不是本院（{context.court.court_code}）"
                )
    if "cause" in cells:
        cause = _text(cells["cause"])
        if len(cause) > 100:
            reasons.append("案由超过 100 字")
        row["cause"] = cause[:100]
    if "division" in cells:
        row["division_id"] = _lookup(
            _text(cells["division"]), context.divisions_by_name, "承办庭室", reasons
        )
    if "judge" in cells:
        row["judge_id"] = _lookup(_text(cells["judge"]), context.users_by_name, "承办法官", reasons)
    if "clerk" in cells:
        row["clerk_id"] = _lookup(_text(cells["clerk"]), context.users_by_name, "书记员", reasons)
    for name in DATE_FIELDS:
        if name in cells:
            try:
                value = parse_date_cell(cells[name])
            except ValueError as exc:
                reasons.append(f"{FIELD_LABELS[name]}{exc}")
            else:
                row[name] = value.isoformat() if value else None
    _check_date_order(row, reasons)
    if "stage" in cells:
        stage_text = _text(cells["stage"])
        if stage_text in _STAGES:
            row["stage"] = str(_STAGES[stage_text])
        elif stage_text:
            allowed = "、".join(str(label) for label in CaseStage.labels)
            reasons.append(f"阶段“{stage_text[:20]}”不正确，应为：{allowed}")
    if "appealed" in cells:
        appealed = _text(cells["appealed"]).lower()
        if appealed in _TRUE:
            row["appealed"] = True
        elif appealed in _FALSE:
            row["appealed"] = False
        else:
            reasons.append(f"是否上诉“{appealed[:20]}”不正确，应为“是”或“否”")
    if "second_instance_result" in cells:
        _second_instance_result(_text(cells["second_instance_result"]), row, reasons)
    if "amount" in cells:
        try:
            amount = parse_amount_cell(cells["amount"])
        except ValueError as exc:
            reasons.append(str(exc))
        else:
            row["amount"] = str(amount) if amount is not None else None
    if "parties" in cells:
        try:
            row["parties"] = parse_parties(_text(cells["parties"]))
        except ValueError as exc:
            reasons.append(str(exc))
    return row, reasons


def _second_instance_result(text: str, row: dict[str, Any], reasons: list[str]) -> None:
    """二审结果: blank (not appealed, or no result yet) or one of the five results; a result on a
    row whose 是否上诉 says 否 contradicts itself and is refused."""
    text = text.replace(",", "，")
    if not text:
        row["second_instance_result"] = ""
        return
    result = _RESULTS.get(text)
    if result is None:
        allowed = "、".join(str(label) for label in SecondInstanceResult.labels)
        reasons.append(f"二审结果“{text[:20]}”不正确，应为：{allowed}，或留空")
        return
    if row.get("appealed") is False:
        reasons.append("是否上诉为“否”，却填写了二审结果")
    row["second_instance_result"] = str(result)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(name: str, index: dict[str, list[int]], label: str, reasons: list[str]) -> int | None:
    if not name:
        return None
    found = index.get(name, [])
    if not found:
        reasons.append(f"{label}“{name[:50]}”在本院不存在")
        return None
    if len(found) > 1:
        reasons.append(f"{label}“{name[:50]}”在本院有 {len(found)} 个同名，请先在系统中区分")
        return None
    return found[0]


def parse_date_cell(value: Any) -> dt.date | None:
    """An Excel date, or text such as 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = _text(value).translate(_FULL_WIDTH_DIGITS)
        match = _DATE_TEXT.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
        if match is None:
            raise ValueError(f"“{text[:20]}”不是有效日期，应如 2026-01-05")
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise ValueError(f"“{text[:20]}”不是有效日期") from exc
    if day.year < 1990:
        raise ValueError("早于 1990 年")
    if day > timezone.localdate():
        raise ValueError("晚于今天")
    return day


def _check_date_order(row: dict[str, Any], reasons: list[str]) -> None:
    filed_on = row.get("filed_on")
    for name in ("judgment_date", "closed_on"):
        later = row.get(name)
        if filed_on and later and later < filed_on:  # ISO dates compare as text
            reasons.append(f"{FIELD_LABELS[name]}早于立案日期")


def parse_amount_cell(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("标的额应为数字")
    text = _text(value).translate(_FULL_WIDTH_DIGITS)
    for noise in (",", "，", "元", "¥", "￥", " "):
        text = text.replace(noise, "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(f"标的额“{text[:20]}”不是数字") from exc
    if not amount.is_finite() or amount < 0:
        raise ValueError("标的额应为不小于 0 的数字")
    if amount >= Decimal("1e14"):
        raise ValueError("标的额过大")
    return amount.quantize(Decimal("0.01"))


def parse_parties(text: str) -> list[dict[str, str]]:
    """ "原告:张三;被告:某某公司、李四" → [{"role": "plaintiff", "name": "张三"}, …]."""
    parties: list[dict[str, str]] = []
    for part in _PARTY_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        label, colon, names = part.replace("：", ":").partition(":")
        label = label.strip()
        if not colon or not label:
            raise ValueError(f"当事人“{part[:30]}”格式不正确，应如：原告:张三;被告:某某公司")
        role = _ROLES.get(label)
        if role is None:
            raise ValueError(f"未知的诉讼地位：{label[:20]}")
        for name in _NAME_SEPARATORS.split(names):
            name = name.strip()
            if not name:
                continue
            if len(name) > 200:
                raise ValueError("当事人名称超过 200 字")
            parties.append({"role": str(role), "name": name})
    if len(parties) > MAX_PARTIES:
        raise ValueError(f"当事人超过 {MAX_PARTIES} 个")
    return parties


def iter_batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# ---------------------------------------------------------------------------- the watched folder
# <root>/<法院代字>/incoming/ takes the files; each is moved to processed/ or failed/ with its run's
# id in front of its name once taken (docs/subsystems/case-imports.md, "The watched folder").

INCOMING = "incoming"
PROCESSED = "processed"
FAILED = "failed"
SUBFOLDERS = (INCOMING, PROCESSED, FAILED)
# Written under such a name and renamed when complete; never taken. "~$" is Excel's lock file.
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")
HIDDEN_PREFIXES = (".", "~$")
NAME_MAX_BYTES = 255  # a file name on every file system we meet


@dataclass(frozen=True)
class FolderFile:
    """A file found in a court's incoming/ folder, as it was when looked at."""

    court_code: str
    path: Path
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def key(self) -> str:
        return f"{self.court_code}/{self.path.name}"

    @property
    def signature(self) -> list[int]:
        """Compared with the previous look's: unchanged means nobody is writing it."""
        return [self.size, self.mtime_ns]


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def folder_prepare(root: Path, court_codes: Iterable[str]) -> None:
    """Create the root and every court's three folders, owner-only, where missing, so that
    the court's IT staff find where to put files. Raises OSError when the root is unusable."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for code in court_codes:
        for sub in SUBFOLDERS:
            (root / code / sub).mkdir(mode=0o700, parents=True, exist_ok=True)


def _candidate(name: str) -> bool:
    lowered = name.lower()
    return not lowered.startswith(HIDDEN_PREFIXES) and not lowered.endswith(PARTIAL_SUFFIXES)


def folder_files(root: Path, court_codes: Iterable[str]) -> list[FolderFile]:
    """The regular files of each court's incoming/ folder (symbolic links, sub-folders, hidden
    and partial names are passed over), oldest first."""
    found: list[FolderFile] = []
    for code in court_codes:
        incoming = root / code / INCOMING
        try:
            entries = list(os.scandir(incoming))
        except FileNotFoundError:
            continue
        for entry in entries:
            if not _candidate(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            status = entry.stat(follow_symlinks=False)
            found.append(
                FolderFile(
                    court_code=code,
                    path=Path(entry.path),
                    size=status.st_size,
                    mtime_ns=status.st_mtime_ns,
                )
            )
    return sorted(found, key=lambda file: (file.mtime_ns, file.key))


def folder_read(file: FolderFile, *, limit: int) -> bytes:
    """The file's content, at most ``limit`` + 1 bytes (enough to tell that it is too large)."""
    with file.path.open("rb") as handle:
        return handle.read(limit + 1)


def moved_name(run_id: int, name: str) -> str:
    """``<run id>-<name>``, the name shortened from the front of its stem if the result would
    pass the file system's limit."""
    prefix = f"{run_id}-"
    suffix = PurePosixPath(name).suffix
    stem = name[: len(name) - len(suffix)] if suffix else name
    while stem and len((prefix + stem + suffix).encode("utf-8")) > NAME_MAX_BYTES:
        stem = stem[1:]
    return prefix + stem + suffix


def folder_move(file: FolderFile, *, to: str, run_id: int) -> Path:
    """Move a taken file out of incoming/ into ``to`` (processed/ or failed/) of its court's
    folder, named after its run. The same file system: an atomic rename."""
    target = file.path.parent.parent / to / moved_name(run_id, file.name)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(file.path, target)
    return target
