"""Builders for the courtcases tests: users, cases, and spreadsheets in memory."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from youjie.courtcases.models import CaseParty, CourtCase
from youjie.orgs.models import OrgUnit, Region, User, UserRole

HEADER = [
    "案号", "案由", "承办庭室", "承办法官", "书记员", "立案日期", "裁判日期", "结案日期", "阶段",
    "是否上诉", "标的额", "当事人",
]  # fmt: skip


@dataclass
class World:
    city: Region
    shiguai: Region
    byeb: Region
    court: OrgUnit  # 白云鄂博矿区人民法院 内0206
    reception_division: OrgUnit
    civil_division: OrgUnit
    other_court: OrgUnit  # 石拐区人民法院 内0205
    receptionist: User
    court_leader: User
    judge: User  # 李敏
    other_judge: User  # 王强
    clerk: User  # 赵晓
    division_head: User
    city_officer: User
    county_officer: User  # 石拐区: must NOT see the Bayan Obo court's cases
    byeb_officer: User
    administrator: User
    other_receptionist: User  # at the 石拐区 court


def make_user(username: str, role: str, unit: OrgUnit, display_name: str) -> User:
    user = User.objects.create_user(
        username=username, password="pw-" + username, display_name=display_name, org_unit=unit
    )
    UserRole.objects.create(user=user, role=role)
    return user


def make_case(
    world: World,
    number: int,
    *,
    judge: User | None = None,
    type_code: str = "民初",
    cause: str = "民间借贷纠纷",
    court: OrgUnit | None = None,
    year: int = 2026,
) -> CourtCase:
    court = court or world.court
    case = CourtCase.objects.create(
        case_number=f"（{year}）{court.court_code}{type_code}{number}号",
        year=year,
        court_code=court.court_code,
        type_code=type_code,
        sequence=number,
        court=court,
        division=world.civil_division if court == world.court else None,
        judge=judge,
        cause=cause,
    )
    CaseParty.objects.create(court_case=case, role="plaintiff", name="张三")
    return case


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: list[list[Any]], *, encoding: str = "utf-8", header: list[str] | None = None
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
