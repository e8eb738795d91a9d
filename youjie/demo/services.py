"""Loading the demo data. Every step is idempotent: running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

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
    qingshan_court = _unit(
        report,
        code=orgdata.QINGSHAN_COURT_CODE,
        name="包头市青山区人民法院",
        short_name="青山区法院",
        kind=OrgKind.COURT,
        region_id="150204",
        parent=None,
        court_code="内0204",
    )
    for code, name in orgdata.QINGSHAN_DIVISIONS:
        _unit(
            report,
            code=code,
            name=name,
            kind=OrgKind.DIVISION,
            region_id="150204",
            parent=qingshan_court,
        )
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
    # 青山区's, to which its court delegates pre-litigation mediation (a court delegates within
    # its region: youjie.mediation.selectors).
    _unit(
        report,
        code="150204-TJW",
        name="青山区人民调解委员会",
        kind=OrgKind.MEDIATION,
        region_id="150204",
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
    seed_court_history(report=report)
    seed_desk(report=report)
    seed_desk_history(report=report)
    seed_petitions(report=report)
    seed_petition_records(report=report)
    seed_petition_supervision(report=report)
    seed_filings(report=report)
    seed_fees(report=report)
    seed_mediation(report=report)
    seed_hearings(report=report)
    seed_scheduled_case_import(report=report)
    seed_analytics(report=report)  # last: the figures over every court case seeded above


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


@transaction.atomic
def seed_court_history(*, report: SeedReport) -> None:
    """A year and a half of generated cases at the demo court (youjie.demo.courtdata), so that
    the court figures' 同比 are real figures; skips the case numbers that exist."""
    from django.utils import timezone

    from youjie.core.timeline import event_record
    from youjie.courtcases.models import CourtCase
    from youjie.demo.courtdata import court_history

    court = OrgUnit.objects.get(code=orgdata.COURT_CODE)
    history = court_history(timezone.localdate())
    numbers = [case.case_number for case in history]
    existing = set(
        CourtCase.objects.filter(case_number__in=numbers).values_list("case_number", flat=True)
    )
    units = {unit.code: unit for unit in OrgUnit.objects.filter(parent=court)}
    judges = {
        code: list(User.objects.filter(org_unit=unit, user_roles__role=Role.JUDGE).order_by("id"))
        for code, unit in units.items()
    }

    def judge_of(division_code: str, index: int) -> User | None:
        pool = judges[division_code]
        return pool[index % len(pool)] if pool else None

    def stage_of(type_code: str, closed: bool) -> str:
        if closed:
            return "closed"
        return "enforcement" if type_code == "执" else "in_trial"

    new = [
        CourtCase(
            case_number=case.case_number,
            year=case.filed_on.year,
            court_code=court.court_code,
            type_code=case.type_code,
            sequence=case.sequence,
            court=court,
            division=units[case.division_code],
            judge=judge_of(case.division_code, case.judge_index),
            cause=case.cause,
            stage=stage_of(case.type_code, case.closed_on is not None),
            filed_on=case.filed_on,
            closed_on=case.closed_on,
            appealed=case.appealed,
            petitioned=case.petitioned,
            second_instance_result=case.second_instance_result,
        )
        for case in history
        if case.case_number not in existing
    ]
    CourtCase.objects.bulk_create(new, batch_size=500)
    for court_case in CourtCase.objects.filter(case_number__in=[c.case_number for c in new]):
        event_record(subject=court_case, verb="imported", actor="演示数据")
    report.add("court_history_cases", len(new))


def seed_desk_history(*, report: SeedReport) -> None:
    """A year and a half of answered requests at the demo court's desk (youjie.demo.deskdata),
    so that the desk figures' 同比 are real figures: numbered, with the deadlines of their
    matter type, assigned to a judge of the type's division, indexed for search, each with one
    timeline entry; ratings and return visits as generated. Once: skipped when the desk holds
    requests from before the history's last day."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from youjie.core.timeline import event_record
    from youjie.demo.deskdata import RECENT, desk_history
    from youjie.desk.deadlines import compute_deadlines
    from youjie.desk.models import Feedback, MatterType, ReturnVisit, ServiceRequest
    from youjie.desk.services.common import next_request_number, reindex

    today = timezone.localdate()
    last_day = today - timedelta(days=RECENT)
    if ServiceRequest.objects.filter(created_at__date__lte=last_day).exists():
        return
    court = OrgUnit.objects.get(code=orgdata.COURT_CODE)
    kinds = {kind.code: kind for kind in MatterType.objects.select_related("default_division")}
    visitor = User.objects.get(username="reception")
    judges: dict[int | None, list[User]] = {}
    made = 0
    with transaction.atomic():
        for item in desk_history(today):
            kind = kinds[item.matter_type]
            division = kind.default_division
            if division is None or division.parent_id != court.pk:
                division = OrgUnit.objects.get(code="BT-BYEB-MS")
            pool = judges.get(division.pk)
            if pool is None:
                pool = judges[division.pk] = list(
                    User.objects.filter(org_unit=division, user_roles__role=Role.JUDGE)
                    .order_by("id")
                    .distinct()
                )
            due = compute_deadlines(
                matter_type=kind, priority="normal", received_at=item.created_at
            )
            responded = item.created_at + (due.first_response_due - item.created_at) * (
                item.response_share
            )
            replied = item.created_at + (due.completion_due - item.created_at) * item.reply_share
            replied = max(replied, responded)
            rated_at = replied + timedelta(days=1)
            service_request = ServiceRequest.objects.create(
                number=next_request_number(day=timezone.localtime(item.created_at).date()),
                channel=item.channel,
                requester_name=item.requester_name,
                matter_type=kind,
                category=kind.category,
                title=item.title,
                content=item.content,
                court=court,
                division=division,
                assignee=pool[item.judge_index % len(pool)] if pool else None,
                status="closed" if item.closed else "replied",
                first_response_due=due.first_response_due,
                completion_due=due.completion_due,
            )
            ServiceRequest.objects.filter(pk=service_request.pk).update(
                created_at=item.created_at,
                updated_at=replied,
                first_responded_at=responded,
                replied_at=replied,
                closed_at=rated_at if item.closed else None,
            )
            if item.satisfaction is not None:
                Feedback.objects.create(
                    service_request=service_request,
                    token=f"demo-history-{service_request.pk}",
                    satisfaction=item.satisfaction,
                    submitted_at=rated_at,
                )
            if item.visit_result is not None:
                ReturnVisit.objects.create(
                    service_request=service_request,
                    reason="sample",
                    status="done",
                    visitor=visitor,
                    result=item.visit_result,
                    action="none",
                    done_at=replied + timedelta(days=5),
                )
            reindex(service_request=service_request, replies=[])
            event_record(subject=service_request, verb="imported", actor="演示数据")
            made += 1
    report.add("desk_history_requests", made)


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


@transaction.atomic
def seed_petitions(*, report: SeedReport) -> None:
    """信访化解: a 百日攻坚 campaign over 26 matters across the districts and banners at every
    stage, a 回头看 campaign that reopens two, two matters just registered; the county lead
    officials and handlers they need (youjie/demo/petitionsdata.py). Through the services;
    nothing when the demo's first matter exists."""
    from youjie.demo import petitionsdata as data
    from youjie.petitions import services as petitions
    from youjie.petitions.choices import FollowUpStatus
    from youjie.petitions.models import CampaignMatter, PetitionLabel, PetitionMatter
    from youjie.workdays.calendar import SHANGHAI

    if PetitionMatter.objects.filter(title=data.MATTERS[0].title).exists():
        return
    from django.utils import timezone

    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    city_officer = User.objects.get(username="city_officer")
    county_officer = User.objects.get(username="county_officer")
    staff = {"150206": (User.objects.get(username="lead"), User.objects.get(username="handler"))}
    for code, (
        (lead_name, lead_display),
        (handler_name, handler_display),
    ) in data.COUNTY_STAFF.items():
        unit = units[f"{code}-ZFW"]
        staff[code] = (
            _user(
                report,
                username=lead_name,
                display_name=lead_display,
                role=Role.LEAD_OFFICIAL,
                unit=unit,
            ),
            _user(
                report,
                username=handler_name,
                display_name=handler_display,
                role=Role.CASE_HANDLER,
                unit=unit,
            ),
        )
    regions = {region.code: region for region in Region.objects.filter(code__in=data.REGIONS)}
    labels = {label.code: label for label in PetitionLabel.objects.all()}
    calendar = data.Calendar(timezone.localtime(timezone.now(), SHANGHAI).date())
    today = calendar.today

    def register(index: int, item: data.DemoMatter, actor: User) -> PetitionMatter:
        received = calendar.received(index, item.stage)
        clocks = item.stage in ("progress", "overdue", "new")
        persons = [
            person_create_for_demo(actor, row, regions[item.region])
            for row in data.petitioner_rows(index, item.petitioners, item.region)
        ]
        matter = petitions.matter_create(
            actor=actor,
            title=item.title,
            region=regions[item.region],
            category=item.category,
            origin=item.origin,
            core_demand=item.core_demand,
            root_cause=item.root_cause,
            prior_handling=item.prior_handling,
            received_on=received,
            accepted_on=received + timedelta(days=3) if item.stage != "new" else None,
            statutory_clocks=clocks,
            petitioners=persons,
            labels=[labels[code] for code in item.labels],
        )
        report.add("petition_matters")
        if clocks and item.stage != "new":
            petitions.matter_update(
                actor=actor, matter=matter, notified_on=received + timedelta(days=5)
            )
        return matter

    hundred_days = petitions.campaign_create(
        actor=city_officer,
        name=f"{calendar.campaign_start.year}年涉法涉诉信访积案化解百日攻坚专项行动",
        kind="hundred_days",
        issuing_office=units["BT-ZXB"],
        starts_on=calendar.campaign_start,
        ends_on=calendar.campaign_end,
        goals="全市26件涉法涉诉信访骨头案、钉子案全部明确包案领导和责任单位，一案一专班，"
        "百日内实现事心双解、案结事了，并经回头看确认稳定。",
        follow_up_days=30,
    )
    petitions.campaign_start(actor=city_officer, campaign=hundred_days)
    report.add("petition_campaigns")
    matters: list[tuple[int, data.DemoMatter, PetitionMatter]] = []
    for index, item in enumerate(data.MATTERS):
        matter = register(index, item, city_officer)
        lead, handler = staff[item.region]
        responsible = units[data.responsible_unit_code(item)]
        task_force = [
            petitions.TaskForceInput(user=handler, role="head", duty="统筹化解、约访信访人"),
            petitions.TaskForceInput(
                name="张明",
                unit=units["BT-XFJ"],
                duty="信访部门协调",
            ),
        ]
        if item.region == "150205" and index % 2 == 0:
            # 白云鄂博矿区's handler helps 石拐区 with a mining matter.
            task_force.append(petitions.TaskForceInput(user=staff["150206"][1], duty="协助核查"))
        matter = petitions.matter_assign(
            actor=city_officer,
            matter=matter,
            lead_official=lead,
            responsible_unit=responsible,
            handling_unit=responsible,
            handler=handler,
            task_force=task_force,
        )
        matters.append((index, item, matter))
    # Taken on when the campaign began (recorded after the fact), so that the follow-up periods
    # of the matters resolved early have run out and the 回头看 can confirm them stable.
    # (Those received during the campaign are taken on today.)
    from_start = [m for _i, _d, m in matters if m.received_on <= calendar.campaign_start]
    petitions.campaign_add_matters(
        actor=city_officer,
        campaign=hundred_days,
        matters=from_start,
        added_on=calendar.campaign_start,
    )
    later = [m for _i, _d, m in matters if m.received_on > calendar.campaign_start]
    if later:
        petitions.campaign_add_matters(actor=city_officer, campaign=hundred_days, matters=later)
    for index, item, matter in matters:
        lead, handler = staff[item.region]
        if item.stage in ("resolved", "settled", "reopened"):
            resolved_on = calendar.resolved(index)
            petitions.matter_resolve(
                actor=handler,
                matter=matter,
                outcome_type=item.outcome,
                summary=data.SUMMARIES[item.outcome],
                resolved_on=resolved_on,
                evidence=[
                    petitions.EvidenceInput(kind=kind, description=text, dated_on=resolved_on)
                    for kind, text in data.EVIDENCE[item.outcome]
                ],
            )
            if item.stage in ("settled", "reopened"):
                petitions.matter_return_visit_record(
                    actor=handler,
                    matter=matter,
                    visited_on=resolved_on + timedelta(days=3),
                    method="in_person",
                    note="上门回访，信访人表示问题已解决、心结已解开，不再信访。",
                    heart_resolved=True,
                )
        elif item.stage == "terminated":
            petitions.matter_terminate(
                actor=city_officer,
                matter=matter,
                terminated_on=today - timedelta(days=20),
                authority="内蒙古自治区党委政法委",
                basis="经复查、复核，原处理意见正确，已穷尽法律程序，依法终结。",
                handed_over_to=f"{data.REGIONS[item.region]}党委、政府及所在社区",
                handed_over_on=today - timedelta(days=18),
            )

    # 回头看 in the hundred days: the settled matters whose follow-up period has run out held.
    settled = {m.pk for _i, item, m in matters if item.stage == "settled"}
    due_rows = CampaignMatter.objects.filter(
        campaign=hundred_days,
        matter_id__in=settled,
        status=FollowUpStatus.PENDING,
        follow_up_due_on__lte=today,
    ).order_by("id")
    for row in due_rows:
        petitions.followup_confirm_stable(
            actor=city_officer,
            campaign_matter=row,
            note="回头看期满回访：协议已履行，信访人未再信访，确认稳定。",
        )
    look_back = petitions.campaign_create(
        actor=city_officer,
        name=f"{today.year}年涉法涉诉信访积案化解“回头看”",
        kind="look_back",
        issuing_office=units["BT-ZXB"],
        starts_on=today - timedelta(days=15),
        ends_on=today + timedelta(days=45),
        goals="对已化解事项逐案回访，确认稳定；反弹的重新交办、重新包案。",
        follow_up_days=30,
    )
    petitions.campaign_start(actor=city_officer, campaign=look_back)
    report.add("petition_campaigns")
    looked_at = [m for _i, item, m in matters if item.stage in ("settled", "reopened")]
    rows = petitions.campaign_add_matters(actor=city_officer, campaign=look_back, matters=looked_at)
    reopened = {m.pk for _i, item, m in matters if item.stage == "reopened"}
    for row in rows:
        if row.matter_id in reopened:
            petitions.followup_reopen(
                actor=city_officer,
                campaign_matter=row,
                reason="回头看回访发现信访人再次到市信访，原和解协议未完全履行，重新交办、重新包案。",
            )
    for index, item in enumerate(data.NEW_MATTERS, start=len(data.MATTERS)):
        actor = county_officer if item.region == "150205" else city_officer
        register(index, item, actor)
    # P2: work records, coordination requests and aid on these matters.
    # P3: supervision letters (包政法专督〔2026〕3号 …), meetings and past bulletins:
    # seed_petition_supervision.


@transaction.atomic
def seed_petition_records(*, report: SeedReport) -> None:
    """Work records (核查 and 约访, so that 每案必见 shows one petitioner met and others not),
    coordination requests to 住建 (the demo liaison's department: one answered, one overdue)
    and aid in each status (国家司法救助 applied, 临时救助 approved, 低保 paid, 民政救助 refused)
    on seed_petitions' matters, through the services. Nothing when those matters are not there
    or the records were loaded already."""
    from decimal import Decimal

    from django.utils import timezone

    from youjie.courtcases.models import CourtCase
    from youjie.demo import petitionsdata as data
    from youjie.petitions import services as petitions
    from youjie.petitions.models import AidWageBase, PetitionMatter, WorkRecord
    from youjie.workdays.calendar import SHANGHAI

    titles = {
        "judicial": "执行款一年多未到账反复来访",  # 白云鄂博矿区: the demo lead and handler
        "grassland": "牧区草场纠纷调解后反悔",  # 白云鄂博矿区, reopened by the 回头看
        "traffic": "交通事故赔偿案件执行难",  # 昆都仑区
        "compensation": "国家赔偿申请被驳回后信访",  # 石拐区
    }
    found = {m.title: m for m in PetitionMatter.objects.filter(title__in=titles.values())}
    if len(found) < len(titles) or not data.MATTERS:
        return
    matters = {key: found[title] for key, title in titles.items()}
    if WorkRecord.objects.filter(matter=matters["judicial"]).exists():
        return
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    city_officer = User.objects.get(username="city_officer")
    handler = User.objects.get(username="handler")
    liaison = User.objects.get(username="liaison")
    housing = OrgUnit.objects.get(code="BT-ZJJ")

    def first_petitioner(matter: PetitionMatter) -> Any:
        return matter.petitioners.order_by("petitioner_links__id").first()

    def day(offset: int, matter: PetitionMatter) -> date:
        """``offset`` days ago, never before the matter was received."""
        return max(today - timedelta(days=offset), matter.received_on)

    # 每案必见: the lead official has met the first matter's petitioner, not the second's.
    judicial = matters["judicial"]
    petitions.work_record_create(
        actor=handler,
        matter=judicial,
        kind="file_review",
        held_on=day(6, judicial),
        place="白云鄂博矿区人民法院执行局",
        participants=[handler],
        findings="调阅执行卷宗：执行款已于去年划扣到账，因另案冻结未能发放；冻结裁定已到期未续。",
    )
    petitions.work_record_create(
        actor=handler,
        matter=judicial,
        kind="appointment",
        held_on=day(3, judicial),
        place="矿区委政法委信访接待室",
        participants=[handler],
        lead_official_present=True,
        petitioners_met=[first_petitioner(judicial)],
        findings="包案领导带案约访，听取信访人诉求，说明执行款被另案冻结的原因和解冻程序。",
        law_explanation="依照民事诉讼法关于执行异议的规定，告知可就冻结提出执行异议。",
        counselling="信访人因家庭困难情绪激动，耐心疏导，承诺十个工作日内答复解冻进展。",
        attitude="mostly_accepts",
    )
    grassland = matters["grassland"]
    petitions.work_record_create(
        actor=handler,
        matter=grassland,
        kind="site_visit",
        held_on=day(4, grassland),
        place="白云鄂博矿区牧区争议草场",
        participants=[handler],
        findings="会同苏木、嘎查干部实地踏勘争议草场界线，界桩两处缺失，需重新测绘。",
    )
    report.add("petition_work_records", 3)

    # Coordination with 住建 (the demo liaison): one answered, one overdue.
    answered = petitions.coordination_request_send(
        actor=handler,
        matter=judicial,
        department=housing,
        request_text="请协助核查被执行人名下房产的网签备案及抵押登记情况，以便处置财产、发放执行款。",
        workdays=10,
        sent_on=day(6, judicial),
    )
    petitions.coordination_request_reply(
        actor=liaison,
        coordination=answered,
        reply_text="经查，被执行人名下有住房一套，已办理抵押登记（抵押权人为某银行），无网签限制。",
        replied_on=day(1, judicial),
    )
    petitions.coordination_request_send(
        actor=handler,
        matter=grassland,
        department=housing,
        request_text="请提供争议草场周边牧民定居点建设规划及用地批复情况。",
        workdays=10,
        sent_on=day(25, grassland),
    )
    report.add("petition_coordination_requests", 2)

    # Aid in each status; 国家司法救助 on the base of the previous year.
    AidWageBase.objects.get_or_create(
        year=today.year - 1,
        defaults={
            "monthly_wage": Decimal("8650.00"),
            "source": "演示数据：请按自治区统计部门公布的上一年度职工月平均工资录入",
        },
    )
    court_cases = CourtCase.objects.filter(court__code=orgdata.COURT_CODE, type_code="执")
    court_case = court_cases.order_by("id").first()
    if court_case is not None:
        petitions.matter_update(actor=city_officer, matter=judicial, court_cases=[court_case])
        petitions.aid_apply(
            actor=handler,
            matter=judicial,
            person=first_petitioner(judicial),
            kind="judicial",
            court_case=court_case,
            amount=Decimal("60000.00"),
            reason="执行款长期无法到位，信访人患病无力就医，家庭生活陷入困境。",
            applied_on=day(3, judicial),
        )
    temporary = petitions.aid_apply(
        actor=handler,
        matter=grassland,
        person=first_petitioner(grassland),
        kind="temporary",
        amount=Decimal("5000.00"),
        reason="冬季草料短缺，牲畜越冬困难。",
        applied_on=day(8, grassland),
    )
    petitions.aid_approve(
        actor=city_officer,
        aid=temporary,
        approved_amount=Decimal("3000.00"),
        opinion="符合临时救助条件，按标准核定。",
        decided_on=day(5, grassland),
    )
    traffic = matters["traffic"]
    subsistence = petitions.aid_apply(
        actor=city_officer,
        matter=traffic,
        person=first_petitioner(traffic),
        kind="subsistence",
        amount=Decimal("7200.00"),
        reason="交通事故致残丧失劳动能力，家庭人均收入低于当地低保标准。",
        applied_on=day(10, traffic),
    )
    petitions.aid_approve(
        actor=city_officer,
        aid=subsistence,
        approved_amount=Decimal("7200.00"),
        opinion="经民政部门核对家庭经济状况，符合低保条件。",
        decided_on=day(7, traffic),
    )
    petitions.aid_pay(
        actor=city_officer,
        aid=subsistence,
        funds_arrived_on=day(5, traffic),
        paid_on=day(4, traffic),
    )
    compensation = matters["compensation"]
    civil = petitions.aid_apply(
        actor=city_officer,
        matter=compensation,
        person=first_petitioner(compensation),
        kind="civil_affairs",
        amount=Decimal("10000.00"),
        reason="信访人称羁押期间失去工作，生活困难。",
        applied_on=day(9, compensation),
    )
    petitions.aid_refuse(
        actor=city_officer,
        aid=civil,
        opinion="经核查，信访人家庭有稳定收入来源，不符合民政救助条件；已告知可申请就业援助。",
        decided_on=day(6, compensation),
    )
    report.add("petition_aids", 4 if court_case is not None else 3)


def person_create_for_demo(actor: User, row: dict[str, str], region: Region) -> Any:
    """A generated petitioner, through the people services (encrypted ID and phone)."""
    from youjie.people.identity import id_number_hash
    from youjie.people.models import Person
    from youjie.people.services import person_create

    existing = Person.objects.filter(id_number_hash=id_number_hash(row["id_number"])).first()
    if existing is not None:
        return existing
    return person_create(
        actor=actor,
        name=row["name"],
        id_number=row["id_number"],
        mobile=row["mobile"],
        region=region,
    )


@transaction.atomic
def seed_petition_supervision(*, report: SeedReport) -> None:
    """Supervision on seed_petitions' matters, through the services: three 督办函 of the city
    office (包政法专督〔YYYY〕1号 to 石拐区专项办, answered; 2号 to 白云鄂博矿区专项办, past its
    deadline and unanswered; 3号 to 石拐区专项办, just sent), a dispatch meeting held a week ago
    that took three matters one by one and gave tasks (one done, one overdue, one open), the
    latest 三日一研究 agenda, and the daily bulletins of the last three working days. Nothing
    when the demo matters are not there or the city office has sent letters already."""
    from django.utils import timezone

    from youjie.petitions import services as petitions
    from youjie.petitions.models import PetitionMatter, SupervisionLetter
    from youjie.workdays.calendar import SHANGHAI, is_workday

    office = OrgUnit.objects.filter(code="BT-ZXB").first()
    if office is None or SupervisionLetter.objects.filter(issuing_office=office).exists():
        return
    counted = PetitionMatter.objects.counted().exclude(title__startswith="新收")

    def open_matters(region: str) -> list[PetitionMatter]:
        return list(counted.open().filter(region_id=region).order_by("id"))

    shiguai, byeb = open_matters("150205"), open_matters("150206")
    if not shiguai or not byeb:
        return
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    city_officer = User.objects.get(username="city_officer")
    county_officer = User.objects.get(username="county_officer")
    lead, handler = User.objects.get(username="lead"), User.objects.get(username="handler")
    units = {
        unit.code: unit for unit in OrgUnit.objects.filter(code__in=("150205-ZXB", "150206-ZXB"))
    }

    def letter(to: str, matters: list[PetitionMatter], sent: int, due: int, text: str) -> Any:
        drafted = petitions.letter_create(
            actor=city_officer,
            recipient_unit=units[to],
            matters=matters,
            requirements=text,
            due_on=today - timedelta(days=sent - due),
            drafted_on=today - timedelta(days=sent),
        )
        report.add("supervision_letters")
        return petitions.letter_send(
            actor=city_officer, letter=drafted, sent_on=today - timedelta(days=sent)
        )

    answered = letter(
        "150205-ZXB",
        shiguai[:2],
        sent=25,
        due=10,
        text="请石拐区委政法委牵头，逐案明确包案领导和专班，十日内完成核查并书面报送化解方案。",
    )
    petitions.letter_reply(
        actor=county_officer,
        letter=answered,
        reply_text="已逐案明确包案领导和专班，完成核查；化解方案已报市专项办，正在落实。",
        replied_on=today - timedelta(days=17),
    )
    letter(
        "150206-ZXB",
        byeb[:2],
        sent=20,
        due=10,
        text="执行款长期未到位、调解后反悔的问题久拖未决，请白云鄂博矿区提级督办，限期报送办理情况。",
    )
    letter(
        "150205-ZXB",
        shiguai[-1:],
        sent=2,
        due=10,
        text="请落实“每案必见”，包案领导当面约见信访人，释法说理，十日内书面报送约见和化解情况。",
    )

    held_on = today - timedelta(days=7)
    meeting = petitions.meeting_create(
        actor=city_officer,
        title="全市涉法涉诉信访积案化解调度会",
        held_on=held_on,
        chair=city_officer,
        attendees="市委政法委分管领导，各旗县区委政法委、专项办负责人，市直政法单位分管领导",
    )
    minutes = (
        "逐案解剖：执行款因另案冻结未发放，冻结裁定已到期，责成法院限期解冻发放。",
        "逐案解剖：调解协议履行不到位，由属地牵头重新组织调解，必要时启动司法救助。",
        "逐案解剖：信访人诉求部分合理，由包案领导带案下访，释法说理。",
    )
    taken = [*byeb[:2], shiguai[0]]
    for matter, minute in zip(taken, minutes, strict=False):
        petitions.meeting_matter_record(
            actor=city_officer, meeting=meeting, matter=matter, minute=minute
        )
    done = petitions.meeting_task_create(
        actor=city_officer,
        meeting=meeting,
        matter=byeb[0],
        description="协调法院解除冻结，三日内发放执行款",
        owner=lead,
        due_on=held_on + timedelta(days=3),
    )
    petitions.meeting_task_complete(
        actor=lead,
        task=done,
        note="冻结已解除，执行款已发放到位。",
        done_on=held_on + timedelta(days=2),
    )
    petitions.meeting_task_create(
        actor=city_officer,
        meeting=meeting,
        matter=byeb[-1],
        description="重新组织调解，形成书面调解协议",
        owner=handler,
        due_on=held_on + timedelta(days=5),
    )
    petitions.meeting_task_create(
        actor=city_officer,
        meeting=meeting,
        matter=shiguai[0],
        description="包案领导带案下访，当面听取诉求",
        owner=county_officer,
        due_on=today + timedelta(days=5),
    )
    petitions.meeting_hold(
        actor=city_officer, meeting=meeting, summary="逐案研究3件，交办任务3项。"
    )
    report.add("petition_meetings")

    for back in range(10):
        day = today - timedelta(days=back)
        if petitions.review_day_is_due(day):
            petitions.review_agenda_generate(office=office, day=day)
            report.add("petition_meetings")
            break

    days: list[date] = []
    day = today - timedelta(days=1)
    while len(days) < 3 and day > today - timedelta(days=20):
        if is_workday(day):
            days.append(day)
        day -= timedelta(days=1)
    for day in reversed(days):
        petitions.bulletin_issue(day=day)
        report.add("daily_bulletins")


def seed_filings(*, report: SeedReport) -> None:
    """网上立案/跨域立案 at 白云鄂博 (youjie/demo/filingsdata.py): a filing in every state, one
    from 青山区 forwarded into review, one for 青山区 waiting for the form check, and three in
    review with consent to mediation. Through the services; a filing whose submitter is already
    on file is skipped, so a second run changes nothing."""
    from datetime import datetime as _datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from youjie.demo import filingsdata as data
    from youjie.filings import services as filings
    from youjie.filings.models import Filing

    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__startswith="BT-")}
    staff = {
        "BT-BYEB-FY": User.objects.get(username="reception"),
        "BT-QS-FY": User.objects.get(username="qs_reception"),
    }
    judge = User.objects.filter(username="judge").first()
    pdf = b"%PDF-1.4\n% demo complaint\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for item in data.FILINGS:
        if Filing.objects.filter(submitter_name=item.submitter, cause=item.cause).exists():
            continue
        company = item.defendant_is_company or any(
            w in item.defendant for w in ("公司", "店", "队")
        )
        parties = [
            filings.PartyInput("plaintiff", "person", item.submitter, item.plaintiff_id),
            filings.PartyInput(
                "defendant",
                "enterprise" if company else "person",
                item.defendant,
                item.defendant_id,
            ),
        ]
        receiver = staff[item.receiving]
        received_at: _datetime | None = (
            timezone.now() - timedelta(days=item.days_ago) if item.days_ago else None
        )
        filing, _created = filings.filing_submit(
            actor=receiver,
            received_at=received_at,
            data=filings.FilingInput(
                receiving_court=units[item.receiving],
                competent_court=units[item.competent],
                case_kind=item.case_kind,
                procedure="simple",
                cause=item.cause,
                claims=f"请求依法处理{item.cause}，判令被告承担相应责任。",
                amount=item.amount or None,
                facts_and_reasons=f"原告{item.submitter}与被告{item.defendant}因{item.cause}"
                "发生争议，协商未果，特诉至法院。",
                submitter_kind="party",
                submitter_name=item.submitter,
                submitter_phone="139" + item.plaintiff_id[-8:-4] + item.plaintiff_id[6:10],
                mediation_consent=item.mediation_consent,
                parties=parties,
                materials=[
                    filings.MaterialInput(
                        "complaint", "起诉状", SimpleUploadedFile("起诉状.pdf", pdf)
                    ),
                    filings.MaterialInput("evidence", "证据材料清单"),
                ],
                channel="counter",
            ),
        )
        report.add("filings")
        competent_staff = staff[item.competent]
        if item.stage == "supplement":
            filings.filing_request_supplement(
                actor=competent_staff, filing=filing, items=list(data.SUPPLEMENT_ITEMS)
            )
        elif item.stage == "accepted":
            filings.filing_accept(
                actor=competent_staff,
                filing=filing,
                data=filings.AcceptInput(
                    division=units["BT-BYEB-MS"], judge=judge, procedure="simple"
                ),
            )
        elif item.stage == "refused":
            filings.filing_refuse(actor=competent_staff, filing=filing, reason=data.REFUSAL_REASON)
        elif item.stage == "withdrawn":
            filings.filing_withdraw(filing=filing, actor=competent_staff, reason="原告书面申请撤回")
        elif item.stage == "forwarded":
            filings.filing_forward(actor=receiver, filing=filing, note="身份、材料形式核对无误")


def seed_mediation(*, report: SeedReport) -> None:
    """诉前调解 at 白云鄂博 (youjie/demo/mediationdata.py) on the filings in review whose parties
    consented: one under way with an online session tomorrow, one agreed with its judicial
    confirmation applied for, one failed (its filing back in review). Through the services; a
    filing that already has its mediation is skipped, so a second run changes nothing."""
    from datetime import datetime as _datetime

    from django.utils import timezone

    from youjie.demo import filingsdata
    from youjie.demo import mediationdata as data
    from youjie.filings.models import Filing
    from youjie.mediation import services as mediation_services
    from youjie.mediation.models import Mediation
    from youjie.workdays.calendar import SHANGHAI

    reception = User.objects.get(username="reception")
    mediator = User.objects.get(username=data.MEDIATOR)
    organisation = OrgUnit.objects.get(code=data.ORGANISATION_CODE)
    today = timezone.localtime(timezone.now(), SHANGHAI).date()
    for item in data.MEDIATIONS:
        assert item.submitter in filingsdata.MEDIATION_DEMO_FILINGS, item.submitter
        filing = (
            Filing.objects.filter(submitter_name=item.submitter, mediation_consent=True)
            .order_by("id")
            .first()
        )
        if filing is None or Mediation.objects.filter(filing=filing).exists():
            continue
        if filing.status != "review":
            continue
        mediation = mediation_services.mediation_delegate(
            actor=reception,
            filing=filing,
            mode="delegated",
            organisation=organisation,
            mediator=mediator,
            note=item.note,
        )
        mediation_services.mediation_accept(actor=mediator, mediation=mediation)
        report.add("mediations")
        if item.stage == "under_way":
            tomorrow = _datetime.combine(
                today + timedelta(days=1), _datetime.min.time(), tzinfo=SHANGHAI
            ).replace(hour=data.SESSION_HOUR)
            mediation_services.session_schedule(
                actor=mediator,
                mediation=mediation,
                kind="online",
                scheduled_at=tomorrow,
                video_url=data.SESSION_LINK,
            )
            report.add("mediation_sessions")
        elif item.stage == "agreed":
            mediation_services.mediation_agree(
                actor=mediator, mediation=mediation, agreement=data.AGREEMENT, agreed_on=today
            )
            mediation_services.confirmation_apply(
                actor=mediator, mediation=mediation, applicants=data.APPLICANTS, applied_on=today
            )
            report.add("judicial_confirmations")
        elif item.stage == "failed":
            mediation_services.mediation_fail(
                actor=mediator, mediation=mediation, reason=data.FAILURE_REASON
            )


def seed_fees(*, report: SeedReport) -> None:
    """Fee notices on the demo cases of the 白云鄂博 court through the fees services: paid at the
    counter, unpaid, overdue, refunded and one with a relief application pending. A case that
    has a notice already is skipped (``seed_demo`` twice changes nothing)."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from youjie.courtcases.models import CourtCase
    from youjie.demo.feesdata import DEMO_NOTICES, PROOF_PDF
    from youjie.fees import services as fees
    from youjie.fees.choices import PayerKind, RefundReason, ReliefKind
    from youjie.fees.models import FeeNotice

    reception = User.objects.get(username="reception")
    for item in DEMO_NOTICES:
        court_case = CourtCase.objects.filter(case_number=item.case_number).first()
        if court_case is None or FeeNotice.objects.filter(court_case=court_case).exists():
            continue
        notice, _created = fees.notice_issue(
            actor=reception,
            court_case=court_case,
            data=fees.NoticeInput(
                fee_kind="property",
                amount=Decimal(item.claim_amount),
                party=court_case.parties.filter(role="plaintiff").first(),
                payer_phone=item.phone,
            ),
        )
        report.add("fee_notices")
        if item.outcome in ("paid", "refunded"):
            fees.counter_payment_confirm(
                actor=reception,
                notice=notice,
                amount=notice.amount_due,
                receipt_number=f"DEMO-{notice.sequence:05d}",
                paid_on=fees.today(),
            )
        if item.outcome == "refunded":
            fees.refund_request(
                actor=reception,
                notice=notice,
                amount=(notice.amount_due / 2).quantize(Decimal("0.01")),
                reason=RefundReason.WITHDRAWAL,
                effective_on=fees.today(),
                bank_reference=f"DEMO-BOC-{notice.sequence:05d}",
            )
        elif item.outcome == "overdue":
            # Demo only: the notice is dated ten days back, so that its 7 日 have run out.
            issued = notice.issued_at - timedelta(days=10)
            due_on = fees.notice_due_on(fees.local_date(issued))
            FeeNotice.objects.filter(pk=notice.pk).update(issued_at=issued, due_on=due_on)
            notice.refresh_from_db()
            fees.fee_notice_mark_overdue(notice=notice, actor="演示数据")
        elif item.outcome == "relief_pending":
            fees.relief_apply(
                notice=notice,
                kind=ReliefKind.DEFER,
                applicant_name=notice.payer_name,
                applicant_kind=PayerKind.PERSON,
                reasons="交通事故受害人，住院治疗期间无收入，申请缓交至判决后",
                requested_until=notice.due_on + timedelta(days=90),
                files=[SimpleUploadedFile("住院证明.pdf", PROOF_PDF, "application/pdf")],
            )


def seed_hearings(*, report: SeedReport) -> None:
    """互联网+庭审 at 白云鄂博 (youjie/demo/hearingsdata.py): through the hearing services, as
    judge 李敏; a case that already has a hearing is skipped, so a second run changes nothing.
    The held one is scheduled "three days before its day" (the service's ``now``) and held
    now, so that every step is the services' own."""
    from datetime import datetime as _datetime
    from datetime import timedelta as _timedelta

    from django.utils import timezone

    from youjie.courtcases.hearings import (
        ParticipantInput,
        hearing_attendance_record,
        hearing_hold,
        hearing_postpone,
        hearing_schedule,
    )
    from youjie.courtcases.models import CourtCase, Hearing
    from youjie.demo.hearingsdata import DEMO_HEARINGS
    from youjie.workdays.calendar import SHANGHAI

    judge = User.objects.filter(username="judge").first()
    if judge is None:
        return
    today = timezone.localtime(timezone.now(), SHANGHAI).date()

    def at(days: int, time: tuple[int, int]) -> _datetime:
        day = today + _timedelta(days=days)
        return _datetime(day.year, day.month, day.day, *time, tzinfo=SHANGHAI)

    for row in DEMO_HEARINGS:
        court_case = (
            CourtCase.objects.select_related("court").filter(case_number=row["case_number"]).first()
        )
        if court_case is None or Hearing.objects.filter(court_case=court_case).exists():
            continue
        when = at(row["days"], row["time"])
        hearing = hearing_schedule(
            actor=judge,
            court_case=court_case,
            hearing_kind="online" if row["plan"] == "online" else "in_person",
            hearing_at=when,
            hearing_link=row.get("link", ""),
            courtroom=row.get("courtroom", ""),
            others=[
                ParticipantInput(role=role, name=name, mobile=mobile)
                for role, name, mobile in row["others"]
            ],
            now=when - _timedelta(days=3) if row["plan"] == "held" else None,
        )
        report.add("hearings")
        if row["plan"] == "held":
            hearing = hearing_hold(actor=judge, hearing=hearing)
            participants = list(hearing.participants.order_by("id"))
            hearing_attendance_record(
                actor=judge,
                hearing=hearing,
                attendance={
                    participant.pk: value
                    for participant, value in zip(participants, row["attendance"], strict=False)
                }
                | {p.pk: "present" for p in participants[len(row["attendance"]) :]},
            )
        elif row["plan"] == "postponed":
            hearing_postpone(
                actor=judge,
                hearing=hearing,
                reason=row["reason"],
                new_hearing_at=at(row["new_days"], row["time"]),
            )
            report.add("hearings")


def seed_analytics(*, report: SeedReport) -> None:
    """The court figures' and the desk figures' day tables rebuilt from every court case and
    desk request the demo holds, so that the 审判质效 and 诉事速办统计 pages and the API show
    figures at once (the periodic refresh keeps the tables current afterwards). Idempotent: the
    same cases give the same tables; reported the first time only."""
    from youjie.analytics.models import FigureRefresh
    from youjie.analytics.services import court_figures_rebuild, desk_figures_rebuild

    first = not FigureRefresh.objects.filter(rebuilt_at__isnull=False).exists()
    result = court_figures_rebuild()
    desk = desk_figures_rebuild()
    if first:
        report.add("court_figure_days", result.rows)
        report.add("desk_figure_days", desk.rows)


def seed_scheduled_case_import(*, report: SeedReport) -> None:
    """One run of the watched folder at 白云鄂博 (docs/subsystems/case-imports.md), made by the
    import services as the periodic scan makes it (validate, then run with the valid rows): the
    court's list of twenty of its cases, unchanged, and two rows its system got wrong (refused,
    each with its reason), so that /cases/import/runs/ shows a scheduled run and its report.
    No case changes. Once: skipped when the court has a scheduled run already."""
    import csv as _csv
    import io as _io

    from django.utils import timezone

    from youjie.courtcases.models import CaseImport, CourtCase, ImportSource
    from youjie.courtcases.services import case_import_run, case_import_validate

    court = OrgUnit.objects.filter(code=orgdata.COURT_CODE).first()
    if court is None or not court.court_code:
        return
    if CaseImport.objects.filter(court=court, source=ImportSource.FOLDER).exists():
        return
    cases = list(
        CourtCase.objects.filter(court=court)
        .order_by("-year", "-sequence")
        .values_list("case_number", "cause")[:20]
    )
    if not cases:
        return
    buffer = _io.StringIO()
    writer = _csv.writer(buffer)
    # 阶段 left blank on the good rows leaves each case's stage as it is.
    writer.writerow(["案号", "案由", "阶段"])
    writer.writerows([number, cause, ""] for number, cause in cases)
    writer.writerow(["（2026）内0205民初1号", "买卖合同纠纷", ""])  # another court's number
    writer.writerow([f"（2026）{court.court_code}民初9999号", "民间借贷纠纷", "审理终结"])
    today = timezone.localdate()
    case_import = case_import_validate(
        actor=None,
        court=court,
        file_name=f"{court.court_code}-案件清单-{today:%Y%m%d}.csv",
        content=buffer.getvalue().encode("utf-8"),
        source=ImportSource.FOLDER,
    )
    case_import_run(actor=None, case_import=case_import, import_valid_rows=True)
    report.add("scheduled case imports")
