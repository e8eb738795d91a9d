"""Court cases' cases for the hostile-input sweeps (tests/hostile/cases.py says what goes here):
a civil case of the Bayan Obo court (the desk's requests name it), an import awaiting its run,
and in the API world a case and an import of the other court."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile.cases import (
    MISSING,
    UPLOAD_LIMIT,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    World,
    upload,
)
from youjie.courtcases.forms import CaseFilterForm, CaseImportUploadForm
from youjie.courtcases.models import CaseImport, CaseParty, CourtCase
from youjie.courtcases.selectors import importable_courts
from youjie.courtcases.services import case_import_validate
from youjie.courtcases.tests.factories import csv_bytes
from youjie.orgs.models import OrgUnit, User

CASE_NUMBER = "（2026）内0206民初123号"


def _civil_case(
    *, court: OrgUnit, division: OrgUnit, judge: User, court_code: str, sequence: int, cause: str
) -> CourtCase:
    return CourtCase.objects.create(
        case_number=f"（2026）{court_code}民初{sequence}号",
        year=2026,
        court_code=court_code,
        type_code="民初",
        sequence=sequence,
        court=court,
        division=division,
        judge=judge,
        cause=cause,
    )


def _import(actor: User, court: OrgUnit, content: bytes) -> CaseImport:
    return case_import_validate(actor=actor, court=court, file_name="cases.csv", content=content)


# The API sweep's files, as the court's system exports them.
CSV_HEADER = "案号,案由,承办庭室,承办法官,书记员,立案日期,裁判日期,结案日期," + (
    "阶段,是否上诉,标的额,当事人"
)


def _csv(*rows: str) -> bytes:
    return "\n".join([CSV_HEADER, *rows]).encode("utf-8")


def build(world: World) -> None:
    court_case = _civil_case(
        court=world.court,
        division=world.civil_division,
        judge=world.users["judge"],
        court_code="内0206",
        sequence=123,
        cause="民间借贷纠纷",
    )
    party = world.party  # people's
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name=party.name, person=party)
    row = ["（2026）内0206民初200号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    case_import = _import(
        world.users["receptionist"],
        world.court,
        csv_bytes([[*row, "", "", "审理中", "否", "1000", "原告:张三"]]),
    )
    world.put(court_case=court_case, case_import=case_import)


def path_values(world: World) -> PathValues:
    return {
        ("courtcases:detail", "pk"): [str(world.court_case.pk)],
        ("courtcases:import_status", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_run", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_cancel", "pk"): [str(world.case_import.pk)],
    }


def form_specs(world: World) -> list[FormSpec]:
    receptionist = world.users["receptionist"]
    case_row = ["（2026）内0206民初300号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    good_csv = csv_bytes([[*case_row, "", "", "审理中", "否", "1000", "原告:张三"]])
    return [
        FormSpec(
            name="courtcases:import",
            persona="receptionist",
            url="/cases/import/",
            base={"court": str(world.court.pk), "file": upload("cases.csv", good_csv)},
            form=lambda data, files: CaseImportUploadForm(
                data, files, courts=importable_courts(user=receptionist)
            ),
            extra=[
                Case("no file", {"file": MISSING}),
                Case("court not importable", {"court": str(world.civil_division.pk)}),
                Case("empty file", {"file": upload("cases.csv", b"")}),
                Case("executable", {"file": upload("cases.exe", b"MZ\x00\x00")}),
                Case("random bytes as .xlsx", {"file": upload("cases.xlsx", b"PK\x03\x04junk")}),
                Case("header only", {"file": upload("cases.csv", csv_bytes([]))}),
                Case("NUL bytes", {"file": upload("cases.csv", b"\x00" * 100)}),
                Case("not UTF-8", {"file": upload("cases.csv", b"\xff\xfe\xfa" * 30)}),
                Case("one line of 200k chars", {"file": upload("cases.csv", b"a," * 100_000)}),
                Case("past the limit", {"file": upload("cases.csv", b"x" * (UPLOAD_LIMIT + 1))}),
                Case("NUL in the name", {"file": upload("cases.csv\x00.exe", good_csv)}),
            ],
        ),
    ]


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {
        "courtcases.CourtCase": {
            "case_number": "（2026）内0206民初999号",
            "court": world.court.pk,
            "cause": "民间借贷纠纷",
            "stage": world.court_case.stage,
        },
    }


def api_build(world: ApiWorld) -> None:
    """A case of the court with people's party, one of the other court; an import of each."""
    court_case = _civil_case(
        court=world.court,
        division=world.civil_division,
        judge=world.users["judge"],
        court_code="内0206",
        sequence=123,
        cause="民间借贷纠纷",
    )
    party = world.party  # people's
    CaseParty.objects.create(court_case=court_case, role="plaintiff", name=party.name, person=party)
    case_import = _import(
        world.users["receptionist"],
        world.court,
        _csv("（2026）内0206民初1号,民间借贷纠纷,民事审判庭,李敏,,,,,审理中,否,,原告:张三"),
    )
    other_case = _civil_case(
        court=world.other_court,
        division=world.other_division,
        judge=world.other_judge,
        court_code="内0205",
        sequence=7,
        cause="买卖合同纠纷",
    )
    other_import = _import(
        world.other_receptionist,
        world.other_court,
        _csv("（2026）内0205民初8号,买卖合同纠纷,,,,,,,审理中,否,,原告:孙八"),
    )
    world.put(case_number=CASE_NUMBER)
    world.inside.update(case_key=CASE_NUMBER, import_id=case_import.pk)
    world.outside.update(case_key=other_case.case_number, import_id=other_import.pk)
    world.missing.update(case_key="（2026）内0206民初99999号", import_id=10**9)
    world.hints.update(case_number=CASE_NUMBER, import_valid_rows=True, court_code="内0206")


def _upload_csv() -> SimpleUploadedFile:
    row = "（2026）内0206民初2号,离婚纠纷,民事审判庭,李敏,,,,,审理中,否,,原告:张三"
    return SimpleUploadedFile("cases.csv", _csv(row), "text/csv")


CASES = HostileCases(
    users=("receptionist", "judge", "administrator"),
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(CaseFilterForm,),
    # Views without a form: a confirmation button, or pages that ignore a body.
    body_ignored={
        "courtcases:import_run": "administrator",
        "courtcases:import_cancel": "administrator",
        "courtcases:list": "receptionist",
        "courtcases:detail": "receptionist",
        "courtcases:import_status": "receptionist",
    },
    admin_add_data=admin_add_data,
    api_build=api_build,
    api_files={"file": _upload_csv},
)
