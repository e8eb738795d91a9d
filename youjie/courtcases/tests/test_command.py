from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from youjie.courtcases.choices import ImportStatus
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.tests.factories import World, csv_bytes, xlsx_bytes
from youjie.courtcases.tests.test_imports import BAD_JUDGE, GOOD_1, GOOD_2


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_court_cases", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_a_clean_file(world: World, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes([GOOD_1, GOOD_2]))
    out, _ = _run(str(path), "--court", "内0206")
    assert "新增 2 件" in out
    assert CourtCase.objects.count() == 2


def test_bad_rows_are_printed_and_nothing_is_written(world: World, tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    rows = [[str(c) if c is not None else "" for c in row] for row in (GOOD_2, BAD_JUDGE)]
    path.write_bytes(csv_bytes(rows))
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_court_cases", str(path), "--court", "内0206", stderr=err)
    assert "--import-valid-rows" in str(info.value)
    assert "第 3 行" in err.getvalue() and "承办法官“不存在”在本院不存在" in err.getvalue()
    assert CourtCase.objects.count() == 0
    assert CaseImport.objects.get().status == ImportStatus.CANCELLED

    out, _ = _run(str(path), "--court", "内0206", "--import-valid-rows")
    assert "新增 1 件" in out
    assert CourtCase.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--court", "内9999"], "找不到法院代字"),
        (["--court", "内0206"], "文件不存在"),
    ],
)
def test_bad_arguments(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as info:
        call_command("import_court_cases", "/nonexistent/cases.xlsx", *args)
    assert message in str(info.value)


def test_unreadable_file(world: World, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"hello")
    with pytest.raises(CommandError) as info:
        call_command("import_court_cases", str(path), "--court", "内0206")
    assert "不是 Excel 工作簿" in str(info.value)
