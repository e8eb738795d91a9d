"""Loading the demo data. Every step is idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from youjie.demo import orgdata
from youjie.orgs.choices import LineKind, OrgKind, Role
from youjie.orgs.models import Line, OrgUnit, Region, User, UserRole
from youjie.orgs.services import org_unit_create


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + count


def _unit(
    report: SeedReport,
    *,
    code: str,
    name: str,
    kind: str,
    region_id: str,
    parent: OrgUnit | None,
    court_code: str = "",
) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    report.add("org_units")
    return org_unit_create(
        code=code, name=name, kind=kind, region_id=region_id, parent=parent, court_code=court_code
    )


def _user(
    report: SeedReport, *, username: str, display_name: str, role: str, unit: OrgUnit
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username,
            password=orgdata.DEMO_PASSWORD,
            display_name=display_name,
            org_unit=unit,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        report.add("users")
    UserRole.objects.get_or_create(user=user, role=role)
    return user


@transaction.atomic
def seed_organisations(report: SeedReport) -> None:
    for code, name, kind, parent in orgdata.REGIONS:
        _region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent_id": parent}
        )
        if created:
            report.add("regions")
    city_committee = _unit(
        report, code="BT-ZFW", name="中共包头市委政法委员会", kind=OrgKind.COMMITTEE,
        region_id="150200", parent=None,
    )
    _unit(
        report, code="BT-ZXB", name="包头市涉法涉诉信访化解专项办", kind=OrgKind.OFFICE,
        region_id="150200", parent=city_committee,
    )
    regions = {code: name for code, name, _k, _p in orgdata.REGIONS}
    for code in orgdata.COUNTY_CODES:
        suffix = "党工委政法委" if code == "150271" else "委政法委"
        committee = _unit(
            report, code=f"{code}-ZFW", name=f"{regions[code]}{suffix}", kind=OrgKind.COMMITTEE,
            region_id=code, parent=city_committee,
        )
        _unit(
            report, code=f"{code}-ZXB", name=f"{regions[code]}专项办", kind=OrgKind.OFFICE,
            region_id=code, parent=committee,
        )
    court = _unit(
        report, code=orgdata.COURT_CODE, name="白云鄂博矿区人民法院", kind=OrgKind.COURT,
        region_id="150206", parent=None, court_code="内0206",
    )
    for code, name in orgdata.COURT_DIVISIONS:
        _unit(report, code=code, name=name, kind=OrgKind.DIVISION, region_id="150206", parent=court)
    for code, name in orgdata.DEPARTMENTS:
        _unit(report, code=code, name=name, kind=OrgKind.DEPARTMENT, region_id="150200", parent=None)
    _unit(
        report, code="150206-TJW", name="白云鄂博矿区人民调解委员会", kind=OrgKind.MEDIATION,
        region_id="150206", parent=None,
    )
    _unit(
        report, code="BT-JCY-0206", name="白云鄂博矿区人民检察院", kind=OrgKind.PROCURATORATE,
        region_id="150206", parent=None,
    )
    _unit(
        report, code="BT-GA-0206", name="白云鄂博矿区公安分局", kind=OrgKind.POLICE,
        region_id="150206", parent=None,
    )
    _unit(
        report, code="BT-SFJ-0206", name="白云鄂博矿区司法局", kind=OrgKind.JUSTICE,
        region_id="150206", parent=None,
    )


@transaction.atomic
def seed_users_and_lines(report: SeedReport) -> None:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    for username, display_name, role, unit_code in orgdata.DEMO_USERS:
        _user(report, username=username, display_name=display_name, role=role, unit=units[unit_code])
    court = units[orgdata.COURT_CODE]
    reception_unit = units["BT-BYEB-LAT"]
    if not Line.objects.filter(number=orgdata.FIXED_LINE).exists():
        Line.objects.create(
            number=orgdata.FIXED_LINE, kind=LineKind.FIXED, label="诉事速办服务专线",
            owner_unit=reception_unit,
        )
        report.add("lines")
    leader = User.objects.get(username="leader")
    if not Line.objects.filter(number=orgdata.DEPUTIES_LINE).exists():
        Line.objects.create(
            number=orgdata.DEPUTIES_LINE, kind=LineKind.DEPUTIES, label="人大代表、政协委员专用服务热线",
            owner_unit=court, owner_user=leader,
        )
        report.add("lines")
    division_cycle = ["BT-BYEB-MS", "BT-BYEB-MS", "BT-BYEB-XS", "BT-BYEB-ZX", "BT-BYEB-LAT"]
    for index in range(1, 33):
        if index == 1:
            judge = User.objects.get(username="judge")
        else:
            surname = orgdata.JUDGE_SURNAMES[index % len(orgdata.JUDGE_SURNAMES)]
            given = orgdata.JUDGE_GIVEN[(index * 7) % len(orgdata.JUDGE_GIVEN)]
            judge = _user(
                report, username=f"judge{index:02d}", display_name=f"{surname}{given}",
                role=Role.JUDGE, unit=units[division_cycle[index % len(division_cycle)]],
            )
        number = f"1390472{index:04d}"
        if not Line.objects.filter(number=number).exists():
            Line.objects.create(
                number=number, kind=LineKind.WORK_PHONE, label=f"{judge.display_name}工作手机",
                owner_unit=judge.org_unit or court, owner_user=judge,
            )
            report.add("lines")


def seed_all(report: SeedReport) -> None:
    seed_organisations(report)
    seed_users_and_lines(report)
