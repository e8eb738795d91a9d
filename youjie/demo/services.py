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
    short_name: str = "",
) -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    report.add("org_units")
    return org_unit_create(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        region_id=region_id,
        parent=parent,
        court_code=court_code,
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
def seed_organisations(*, report: SeedReport) -> None:
    for code, name, kind, parent in orgdata.REGIONS:
        _region, created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent_id": parent}
        )
        if created:
            report.add("regions")
    city_committee = _unit(
        report,
        code="BT-ZFW",
        name="中共包头市委政法委员会",
        kind=OrgKind.COMMITTEE,
        region_id="150200",
        parent=None,
    )
    _unit(
        report,
        code="BT-ZXB",
        name="包头市涉法涉诉信访化解专项办",
        kind=OrgKind.OFFICE,
        region_id="150200",
        parent=city_committee,
    )
    regions = {code: name for code, name, _k, _p in orgdata.REGIONS}
    for code in orgdata.COUNTY_CODES:
        suffix = "党工委政法委" if code == "150271" else "委政法委"
        committee = _unit(
            report,
            code=f"{code}-ZFW",
            name=f"{regions[code]}{suffix}",
            kind=OrgKind.COMMITTEE,
            region_id=code,
            parent=city_committee,
        )
        _unit(
            report,
            code=f"{code}-ZXB",
            name=f"{regions[code]}专项办",
            kind=OrgKind.OFFICE,
            region_id=code,
            parent=committee,
        )
    court = _unit(
        report,
        code=orgdata.COURT_CODE,
        name="白云鄂博矿区人民法院",
        short_name="白云鄂博矿区法院",  # its SMS signature 【白云鄂博矿区法院】
        kind=OrgKind.COURT,
        region_id="150206",
        parent=None,
        court_code="内0206",
    )
    for code, name in orgdata.COURT_DIVISIONS:
        _unit(report, code=code, name=name, kind=OrgKind.DIVISION, region_id="150206", parent=court)
    for code, name in orgdata.DEPARTMENTS:
        _unit(
            report, code=code, name=name, kind=OrgKind.DEPARTMENT, region_id="150200", parent=None
        )
    _unit(
        report,
        code="150206-TJW",
        name="白云鄂博矿区人民调解委员会",
        kind=OrgKind.MEDIATION,
        region_id="150206",
        parent=None,
    )
    _unit(
        report,
        code="BT-JCY-0206",
        name="白云鄂博矿区人民检察院",
        kind=OrgKind.PROCURATORATE,
        region_id="150206",
        parent=None,
    )
    _unit(
        report,
        code="BT-GA-0206",
        name="白云鄂博矿区公安分局",
        kind=OrgKind.POLICE,
        region_id="150206",
        parent=None,
    )
    _unit(
        report,
        code="BT-SFJ-0206",
        name="白云鄂博矿区司法局",
        kind=OrgKind.JUSTICE,
        region_id="150206",
        parent=None,
    )


@transaction.atomic
def seed_users_and_lines(*, report: SeedReport) -> None:
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    for username, display_name, role, unit_code in orgdata.DEMO_USERS:
        _user(
            report, username=username, display_name=display_name, role=role, unit=units[unit_code]
        )
    court = units[orgdata.COURT_CODE]
    reception_unit = units["BT-BYEB-LAT"]
    if not Line.objects.filter(number=orgdata.FIXED_LINE).exists():
        Line.objects.create(
            number=orgdata.FIXED_LINE,
            kind=LineKind.FIXED,
            label="诉事速办服务专线",
            owner_unit=reception_unit,
        )
        report.add("lines")
    leader = User.objects.get(username="leader")
    if not Line.objects.filter(number=orgdata.DEPUTIES_LINE).exists():
        Line.objects.create(
            number=orgdata.DEPUTIES_LINE,
            kind=LineKind.DEPUTIES,
            label="人大代表、政协委员专用服务热线",
            owner_unit=court,
            owner_user=leader,
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
                report,
                username=f"judge{index:02d}",
                display_name=f"{surname}{given}",
                role=Role.JUDGE,
                unit=units[division_cycle[index % len(division_cycle)]],
            )
        number = f"1390472{index:04d}"
        if not Line.objects.filter(number=number).exists():
            Line.objects.create(
                number=number,
                kind=LineKind.WORK_PHONE,
                label=f"{judge.display_name}工作手机",
                owner_unit=judge.org_unit or court,
                owner_user=judge,
            )
            report.add("lines")


def seed_all(*, report: SeedReport) -> None:
    seed_organisations(report=report)
    seed_users_and_lines(report=report)
    seed_people(report=report)
    seed_court_cases(report=report)
    seed_desk(report=report)


def seed_people(*, report: SeedReport) -> None:
    """Persons through the people services (encrypted IDs and phones); skips what exists."""
    from youjie.demo.peopledata import demo_enterprises, demo_persons
    from youjie.orgs.models import Region
    from youjie.people.identity import id_number_hash
    from youjie.people.models import Enterprise, Person
    from youjie.people.services import enterprise_create, person_create

    reception = User.objects.get(username="reception")
    regions = {region.code: region for region in Region.objects.all()}
    for row in demo_persons():
        if Person.objects.filter(id_number_hash=id_number_hash(str(row["id_number"]))).exists():
            continue
        person_create(
            actor=reception,
            name=str(row["name"]),
            id_number=str(row["id_number"]),
            mobile=str(row["mobile"]),
            region=regions[str(row["region"])],
            is_deputy=bool(row["is_deputy"]),
            is_cppcc_member=bool(row["is_cppcc_member"]),
            is_hardship=bool(row["is_hardship"]),
        )
        report.add("persons")
    for enterprise in demo_enterprises():
        if Enterprise.objects.filter(uscc=enterprise["uscc"]).exists():
            continue
        enterprise_create(
            actor=reception,
            name=enterprise["name"],
            uscc=enterprise["uscc"],
            region=regions["150206"],
        )
        report.add("enterprises")


@transaction.atomic
def seed_court_cases(*, report: SeedReport) -> None:
    from youjie.core.timeline import event_record
    from youjie.courtcases.models import CaseParty, CourtCase
    from youjie.demo.peopledata import CAUSES
    from youjie.people.models import Enterprise, Person

    court = OrgUnit.objects.get(code=orgdata.COURT_CODE)
    persons = list(Person.objects.order_by("id"))
    enterprises = list(Enterprise.objects.order_by("id"))
    judges = {
        unit_code: list(
            User.objects.filter(org_unit__code=unit_code, user_roles__role=Role.JUDGE).order_by(
                "id"
            )
        )
        for _t, _c, unit_code in CAUSES
    }
    judge_li = User.objects.get(username="judge")
    clerk = User.objects.get(username="clerk")
    for index in range(30):
        type_code, cause, unit_code = CAUSES[index % len(CAUSES)]
        sequence = 100 + index
        number = f"（2026）内0206{type_code}{sequence}号"
        if CourtCase.objects.filter(case_number=number).exists():
            continue
        pool = judges[unit_code] or [judge_li]
        judge = judge_li if index in (0, 1, 2, 3, 9) else pool[index % len(pool)]
        case = CourtCase.objects.create(
            case_number=number,
            year=2026,
            court_code="内0206",
            type_code=type_code,
            sequence=sequence,
            court=court,
            division=OrgUnit.objects.get(code=unit_code),
            judge=judge,
            clerk=clerk if judge == judge_li else None,
            cause=cause,
            stage="in_trial" if index % 3 else "filed",
        )
        if persons:
            plaintiff = persons[index % len(persons)]
            CaseParty.objects.create(
                court_case=case, role="plaintiff", name=plaintiff.name, person=plaintiff
            )
        if enterprises and index % 2:
            defendant = enterprises[index % len(enterprises)]
            CaseParty.objects.create(
                court_case=case, role="defendant", name=defendant.name, enterprise=defendant
            )
        elif persons:
            defendant_person = persons[(index + 7) % len(persons)]
            CaseParty.objects.create(
                court_case=case,
                role="defendant",
                name=defendant_person.name,
                person=defendant_person,
            )
        event_record(subject=case, verb="imported", actor="演示数据")
        report.add("court_cases")


def seed_desk(*, report: SeedReport) -> None:
    """Matter types with checklists, reply templates and a handful of requests in every state."""
    from youjie.desk import services as desk_services
    from youjie.desk.catalog import install_default_matter_types
    from youjie.desk.models import ReplyTemplate, ServiceRequest
    from youjie.desk.services import IntakeData
    from youjie.people.models import Person

    created = install_default_matter_types()
    if created:
        report.add("matter_types", created)
    if not ReplyTemplate.objects.exists():
        ReplyTemplate.objects.create(
            name="已联系承办法官",
            body="{姓名}您好，您的诉求（编号{编号}，{事项}）已转承办法官，法官将在期限内与您联系。",
        )
        ReplyTemplate.objects.create(
            name="一次告知已发送",
            body="{姓名}您好，{事项}所需材料和流程已通过短信一次性告知，如有疑问请致电0472-8510389。",
        )
        # Offered to judges only (issue 12, item 14): the hearing is the judge's to tell.
        ReplyTemplate.objects.create(
            name="开庭时间答复（法官）",
            role="judge",
            body="{姓名}您好，您询问的案件定于____年__月__日__时在本院第__法庭开庭，请按时到庭。",
        )
    if ServiceRequest.objects.exists():
        return
    reception = User.objects.get(username="reception")
    judge = User.objects.get(username="judge")
    persons = list(Person.objects.order_by("id")[:6])
    samples = [
        (
            "phone",
            "case_query",
            "询问案件开庭时间",
            "我是（2026）内0206民初100号案件的原告，想问什么时候开庭。",
            "（2026）内0206民初100号",
        ),
        (
            "walk_in",
            "divorce_filing",
            "咨询如何起诉离婚",
            "来访群众询问离婚诉讼需要准备哪些材料、诉讼费多少。",
            "",
        ),
        (
            "phone",
            "enforcement_demand",
            "执行款一直未到账",
            "判决生效已经三个月，执行款到现在还没有到账，请法院尽快处理。",
            "（2026）内0206执105号",
        ),
        (
            "letter",
            "complaint",
            "反映窗口服务问题",
            "来信反映诉讼服务中心窗口工作人员解释不够耐心。",
            "",
        ),
        (
            "portal",
            "filing_consult",
            "网上立案材料咨询",
            "想通过网上立案起诉物业公司，需要提交哪些证据材料？",
            "",
        ),
        (
            "deputies_line",
            "demand",
            "代表反映企业涉诉问题",
            "人大代表反映辖区企业多起买卖合同纠纷案件审理进度较慢。",
            "",
        ),
    ]
    for index, (channel, matter, title, content, case_number) in enumerate(samples):
        person = persons[index] if index < len(persons) else None
        service_request, _created = desk_services.service_request_create(
            actor=reception,
            data=IntakeData(
                channel=channel,
                matter_type_code=matter,
                title=title,
                content=content,
                requester_name=person.name if person else "群众",
                requester_id=person.pk if person else None,
                related_case_number=case_number,
                route=index != 1,
            ),
        )
        report.add("service_requests")
        if index == 1:
            desk_services.service_request_reply(
                actor=reception,
                service_request=service_request,
                body="已当场告知离婚诉讼所需材料、流程和诉讼费标准。",
                on_the_spot=True,
            )
        if index == 0 and service_request.transfer_user == judge:
            desk_services.service_request_accept(actor=judge, service_request=service_request)
