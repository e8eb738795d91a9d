"""The petitions app's cases for the hostile-input sweeps (tests/hostile/cases.py says what goes
here).

The world (``build``) holds, made through the services: an open matter of 白云鄂博矿区 (in
progress, accepted a week ago: every action on it is allowed), one of 石拐区 (the county
officer's), a spare one ready to enter a campaign, a matter resolved two months ago in an active
campaign whose follow-up period has ended (return visit, confirm stable, reopen), and a campaign
in preparation (start, close). The pages sweep posts every form of the matter list, the matter
page, registration and the campaign pages as the city officer, who may use them all.

P2 and P3 add their specs below their headings (``form_specs`` concatenates the lists).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import time_machine
from django.utils import timezone

from conftest import make_user
from tests.hostile.cases import (
    HUGE,
    MISSING,
    UPLOAD_CASES,
    UPLOAD_LIMIT,
    ApiWorld,
    Case,
    FormSpec,
    HostileCases,
    PathValues,
    Query,
    World,
    pdf_upload,
)
from youjie.orgs.models import OrgUnit, Region, User
from youjie.people.services import person_create
from youjie.petitions import services
from youjie.petitions.choices import MatterStatus
from youjie.petitions.forms import (
    CampaignActionForm,
    CampaignAddMattersForm,
    CampaignCreateForm,
    CampaignFilterForm,
    MatterCreateForm,
    MatterFilterForm,
)
from youjie.petitions.models import CampaignMatter, PetitionMatter
from youjie.petitions.tests import hostile_records as records
from youjie.petitions.tests import hostile_supervision as supervision
from youjie.petitions.views.matters import ACTIONS
from youjie.workdays.calendar import SHANGHAI


def _today() -> date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


def _day(offset: int) -> str:
    return (_today() + timedelta(days=offset)).isoformat()


def _matter(
    actor: User, region_code: str, title: str, *, received_on: date, lead: User, handler: User
) -> PetitionMatter:
    person = person_create(
        actor=actor, name=f"{title[:4]}信访人", region=Region.objects.get(pk=region_code)
    )
    matter = services.matter_create(
        actor=actor,
        title=title,
        region=Region.objects.get(pk=region_code),
        category="court_enforcement",
        origin="visit",
        core_demand="要求尽快执行到位",
        received_on=received_on,
        accepted_on=received_on + timedelta(days=2),
        petitioners=[person],
    )
    return services.matter_assign(
        actor=actor,
        matter=matter,
        lead_official=lead,
        responsible_unit=OrgUnit.objects.get(code="BT-BYEB-FY"),
        handler=handler,
    )


# --- the world ------------------------------------------------------------------------------


def build(world: World) -> None:
    city = world.users["city_officer"]
    lead, handler = world.users["lead_official"], world.users["case_handler"]
    today = _today()
    office = OrgUnit.objects.get(code="BT-ZXB")
    open_matter = _matter(
        city,
        "150206",
        "执行款长期未到位",
        received_on=today - timedelta(days=10),
        lead=lead,
        handler=handler,
    )
    county = _matter(
        city,
        "150205",
        "石拐区林地纠纷",
        received_on=today - timedelta(days=10),
        lead=lead,
        handler=handler,
    )
    spare = _matter(
        city,
        "150206",
        "尚未纳入专项行动",
        received_on=today - timedelta(days=9),
        lead=lead,
        handler=handler,
    )
    # Two months ago: a campaign took a matter on, and it was resolved; its 10-day follow-up
    # period has ended by now.
    past = timezone.now() - timedelta(days=60)
    with time_machine.travel(past, tick=False):
        then = _today()
        campaign = services.campaign_create(
            actor=city,
            name="百日攻坚（检查用）",
            kind="hundred_days",
            issuing_office=office,
            starts_on=then - timedelta(days=1),
            ends_on=then + timedelta(days=99),
            follow_up_days=10,
        )
        services.campaign_start(actor=city, campaign=campaign)
        resolved = _matter(
            city,
            "150206",
            "已化解的事项",
            received_on=then - timedelta(days=20),
            lead=lead,
            handler=handler,
        )
        services.campaign_add_matters(
            actor=city, campaign=campaign, matters=[resolved, open_matter, county]
        )
        services.matter_resolve(
            actor=handler,
            matter=resolved,
            outcome_type="solved",
            summary="达成执行和解并履行完毕",
            resolved_on=then - timedelta(days=1),
            evidence=[
                services.EvidenceInput("agreement", "执行和解协议", then - timedelta(days=1))
            ],
        )
    for matter in (open_matter, county, spare, resolved):
        matter.refresh_from_db()
    draft = services.campaign_create(
        actor=city,
        name="回头看（筹备中）",
        kind="look_back",
        issuing_office=office,
        starts_on=today,
        ends_on=today + timedelta(days=60),
    )
    world.put(
        petition_open=open_matter,
        petition_county=county,
        petition_spare=spare,
        petition_resolved=resolved,
        petition_follow_up=CampaignMatter.objects.get(campaign=campaign, matter=resolved),
        petition_campaign=campaign,
        petition_draft=draft,
    )
    records.build(world)  # P2: work records, coordination requests, aid
    supervision.build(world)  # P3: letters, meetings, bulletins


# --- the pages sweep ------------------------------------------------------------------------


def path_values(world: World) -> PathValues:
    matters = [
        str(m.pk) for m in (world.petition_open, world.petition_resolved, world.petition_county)
    ]
    campaigns = [str(world.petition_campaign.pk), str(world.petition_draft.pk)]
    return (
        records.path_values(world)
        | supervision.path_values(world)
        | {
            ("petitions:detail", "pk"): matters,
            ("petitions:action", "pk"): matters,
            ("petitions:action", "action"): sorted(ACTIONS),
            ("petitions:campaign_detail", "pk"): campaigns,
            ("petitions:campaign_add", "pk"): campaigns,
            ("petitions:campaign_action", "pk"): [campaigns[1], campaigns[0]],
            ("petitions:campaign_action", "action"): ["start", "close"],
        }
    )


def query_combinations(world: World) -> list[Query]:
    """Every status and group at once, another county's region and a 30-digit campaign; a
    desk request to escalate that the persona may or may not act on."""
    statuses = [*MatterStatus.values, "counted", "open", "done"]
    return [
        [("status", status) for status in statuses]
        + [("region", "150205"), ("region", "150206"), ("campaign", HUGE), ("lead", "-1")],
        [("from_request", HUGE), ("page", str(10**12))],
        [("from_request", "1"), ("overdue", "on"), ("not_met", "on")],
    ]


def action_specs(world: World) -> list[FormSpec]:
    """One spec per action of the matter page, as the city officer, on a matter in a state
    that allows it (checked with the page's own rules)."""
    from youjie.petitions.views.matters import _facts, allowed_actions

    city = world.users["city_officer"]
    handler = world.users["case_handler"]
    open_matter, resolved = world.petition_open, world.petition_resolved
    row = world.petition_follow_up
    values: dict[str, tuple[PetitionMatter, dict[str, Any]]] = {
        "edit": (
            open_matter,
            {
                "title": "执行款长期未到位（已核实）",
                "category": "court_enforcement",
                "core_demand": "要求尽快执行到位",
                "root_cause": "被执行人转移财产",
                "prior_handling": "",
                "accepted_on": _day(-8),
                "notified_on": _day(-5),
                "court_case_numbers": "",
            },
        ),
        "assign": (open_matter, {"task_force_head": str(handler.pk)}),
        "extend": (
            open_matter,
            {
                "days": "15",
                "reason": "需要调取外地卷宗",
                "approved_by": "李主任",
                "told_on": _day(-1),
            },
        ),
        "evidence": (
            open_matter,
            {"kind": "commitment", "description": "息诉罢访承诺书", "dated_on": _day(-1)},
        ),
        "resolve": (
            open_matter,
            {
                "outcome_type": "solved",
                "summary": "达成执行和解",
                "resolved_on": _day(-1),
                "evidence_kind": "agreement",
                "evidence_description": "执行和解协议",
                "evidence_dated_on": _day(-1),
            },
        ),
        "return_visit": (
            resolved,
            {
                "visited_on": _day(-1),
                "method": "phone",
                "note": "信访人表示满意",
                "heart_resolved": "on",
            },
        ),
        "terminate": (
            open_matter,
            {
                "terminated_on": _day(-1),
                "authority": "内蒙古自治区党委政法委",
                "basis": "已穷尽法律程序",
                "handed_over_to": "白云鄂博矿区党委、政府",
                "handed_over_on": _day(-1),
            },
        ),
        "followup_confirm": (resolved, {"campaign_matter": str(row.pk), "note": ""}),
        "followup_reopen": (resolved, {"campaign_matter": str(row.pk), "reason": "信访人再次来访"}),
    }
    specs = []
    for action in ACTIONS:
        matter, data = values[action]
        assert allowed_actions(city, matter, _facts(matter))[action], action
        stale = next(s for s in MatterStatus.values if s != matter.status)
        extra = [
            Case("stale expected_status", {"expected_status": stale}),
            Case("expected_status missing", {"expected_status": MISSING}),
            Case("unknown matter", {}, url=f"/petitions/{HUGE}/actions/{action}/"),
        ]
        if action == "evidence":
            extra += [Case(f"file: {label}", {"file": f}) for label, f in UPLOAD_CASES]
            extra.append(Case("file past the limit", {"file": pdf_upload(size=UPLOAD_LIMIT)}))
        if action == "resolve":
            extra += [
                Case("evidence the outcome does not need", {"evidence_kind": "other"}),
                Case("evidence without its date", {"evidence_dated_on": MISSING}),
                Case("resolved before receipt", {"resolved_on": "2001-01-01"}),
            ]
            extra += [Case(f"file: {label}", {"evidence_file": f}) for label, f in UPLOAD_CASES]
        if action == "extend":
            extra.append(Case("told before acceptance", {"told_on": "2001-01-01"}))
        if action == "edit":
            extra.append(
                Case("an unknown case number", {"court_case_numbers": "（2026）内0206民初99999号"})
            )
            extra.append(Case("a malformed case number", {"court_case_numbers": "（2026）民初号"}))
        if action == "terminate":
            extra.append(Case("handed over before termination", {"handed_over_on": "2001-01-01"}))

        def build_form(data: Any, files: Any, action: str = action, matter: Any = matter) -> Any:
            form = ACTIONS[action].form
            return form(data, files, matter=matter)

        specs.append(
            FormSpec(
                name=f"petitions:action {action}",
                persona="city_officer",
                url=f"/petitions/{matter.pk}/actions/{action}/",
                base={"expected_status": matter.status, **data},
                form=build_form,
                extra=extra,
            )
        )
    return specs


def form_specs(world: World) -> list[FormSpec]:
    city = world.users["city_officer"]
    registration = {
        "submission_key": "hostile-petitions-1",
        "title": "不服执行裁定反复来访",
        "region": "150206",
        "category": "court_enforcement",
        "origin": "visit",
        "received_on": _day(-3),
        "core_demand": "要求恢复执行",
        "statutory_clocks": "on",
        "petitioner_name": "郝保平",
    }
    campaign = world.petition_campaign
    draft = world.petition_draft
    return [
        *action_specs(world),
        FormSpec(
            name="petitions:create",
            persona="city_officer",
            url="/petitions/new/",
            base=registration,
            form=lambda data, files: MatterCreateForm(data, user=city),
            extra=[
                Case("a person outside the scope", {"person": "999999999"}),
                Case("an invalid ID number", {"petitioner_id_number": "150206198005171230"}),
                Case("received in the future", {"received_on": _day(30)}),
                Case("accepted before received", {"accepted_on": "2001-01-01"}),
                Case("a region of another office", {"region": "110101"}),
            ],
        ),
        FormSpec(
            name="petitions:campaign_create",
            persona="city_officer",
            url="/petitions/campaigns/new/",
            base={
                "submission_key": "hostile-campaign-1",
                "name": "回头看（检查）",
                "kind": "look_back",
                "starts_on": _day(0),
                "ends_on": _day(60),
                "goals": "",
                "follow_up_days": "30",
            },
            form=lambda data, files: CampaignCreateForm(data),
            extra=[Case("ends before it starts", {"ends_on": _day(-10)})],
        ),
        FormSpec(
            name="petitions:campaign_add",
            persona="city_officer",
            url=f"/petitions/campaigns/{campaign.pk}/matters/",
            base={"numbers": world.petition_spare.number},
            form=lambda data, files: CampaignAddMattersForm(data),
            extra=[
                Case("already in the campaign", {"numbers": world.petition_open.number}),
                Case("unknown number", {"numbers": "信访〔2099〕1号"}),
                Case(
                    "501 numbers", {"numbers": "\n".join(f"信访〔2026〕{n}号" for n in range(501))}
                ),
                Case("unknown campaign", {}, url=f"/petitions/campaigns/{HUGE}/matters/"),
            ],
        ),
        *(
            FormSpec(
                name=f"petitions:campaign_action {action}",
                persona="city_officer",
                url=f"/petitions/campaigns/{draft.pk}/actions/{action}/",
                base={"expected_status": "draft", "reason": ""},
                form=lambda data, files: CampaignActionForm(data, campaign=draft),
                extra=[
                    Case("stale expected_status", {"expected_status": "active"}),
                    Case(
                        "unknown campaign", {}, url=f"/petitions/campaigns/{HUGE}/actions/{action}/"
                    ),
                ],
            )
            for action in ("start", "close")
        ),
        # P2: work records, coordination requests, aid.
        *records.form_specs(world),
        # P3: supervision letters, meetings, bulletins.
        *supervision.form_specs(world),
    ]


# --- the admin sweep ------------------------------------------------------------------------


def admin_rows(world: World) -> None:
    services.campaign_create(
        actor=world.users["city_officer"],
        name="2026年涉法涉诉信访积案化解百日攻坚",
        kind="hundred_days",
        issuing_office=OrgUnit.objects.get(code="BT-ZXB"),
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 9),
        goals="积案清零",
    )


def admin_add_data(world: World) -> dict[str, dict[str, Any]]:
    return {
        "petitions.PetitionLabel": {
            "code": "hostile-check",
            "name": "测试标签",
            "definition": "用于检查新增表单的标签定义。",
            "is_active": "on",
            "sort_order": "100",
        },
        **records.admin_add_data(world),
    }


# --- the API sweep --------------------------------------------------------------------------


def api_build(world: ApiWorld) -> None:
    """A matter the receptionist escalated from a desk request (so the caller sees it) in a
    campaign; another county's matter and campaign the callers do not see."""
    from youjie.desk.catalog import install_default_matter_types
    from youjie.desk.tests.test_api_support import intake

    receptionist = world.users["receptionist"]
    city = make_user("pet_api_city", "office_officer", "BT-ZXB", "赵市办")
    county = make_user("pet_api_county", "office_officer", "150205-ZXB", "钱县办")
    lead = make_user("pet_api_lead", "lead_official", "150206-ZFW", "孙包案")
    install_default_matter_types()
    requester = person_create(
        actor=receptionist, name="周信访", region=Region.objects.get(pk="150206")
    )
    service_request = intake(receptionist, requester_id=requester.pk, requester_name="周信访")
    inside = services.matter_escalate_from_request(
        actor=receptionist, service_request=service_request, category="court_enforcement"
    )
    services.matter_assign(
        actor=city,
        matter=inside,
        lead_official=lead,
        responsible_unit=OrgUnit.objects.get(code="BT-BYEB-FY"),
    )
    today = _today()
    campaign = services.campaign_create(
        actor=city,
        name="接口检查专项行动",
        kind="other",
        issuing_office=OrgUnit.objects.get(code="BT-ZXB"),
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    services.campaign_add_matters(actor=city, campaign=campaign, matters=[inside])
    outside = _matter(
        county,
        "150205",
        "石拐区的事项",
        received_on=today - timedelta(days=5),
        lead=lead,
        handler=lead,
    )
    other_campaign = services.campaign_create(
        actor=county,
        name="石拐区专项行动",
        kind="other",
        issuing_office=OrgUnit.objects.get(code="150205-ZXB"),
        starts_on=today,
        ends_on=today + timedelta(days=30),
    )
    services.campaign_add_matters(actor=county, campaign=other_campaign, matters=[outside])
    world.inside.update(matter_id=inside.pk, campaign_id=campaign.pk)
    world.outside.update(matter_id=outside.pk, campaign_id=other_campaign.pk)
    world.missing.update(matter_id=10**9, campaign_id=10**9)
    world.hints.update(
        region="150206",
        category="court_enforcement",
        origin="visit",
        core_demand="要求执行到位",
        received_on=(today - timedelta(days=3)).isoformat(),
        outcome_type="solved",
        summary="达成和解",
        resolved_on=(today - timedelta(days=1)).isoformat(),
        matter_ids=[inside.pk],
    )
    records.api_build(world)  # P2: work records, coordination requests, aid
    supervision.api_build(world)  # P3: letters, meetings, bulletins


CASES = HostileCases(
    personas=("city_officer", "county_officer", *records.PERSONAS),
    users=("city_officer", "lead_official", "case_handler", *records.USERS, *supervision.USERS),
    page_settings=supervision.PAGE_SETTINGS,
    build=build,
    path_values=path_values,
    form_specs=form_specs,
    query_forms=(
        MatterFilterForm,
        CampaignFilterForm,
        *records.QUERY_FORMS,
        *supervision.QUERY_FORMS,
    ),
    query_names=("from_request", "page"),
    query_combinations=query_combinations,
    unresolvable=(
        "/petitions/-1/",
        "/petitions/%00/",
        "/petitions/campaigns/-1/",
        *records.UNRESOLVABLE,
        *supervision.UNRESOLVABLE,
    ),
    # The export records who exported what (the audit log), on a GET; the work page keeps the
    # viewer's figures (youjie.core.snapshots: computed when missing, marked as viewed).
    get_may_write={
        "petitions:export": frozenset({"core_auditentry"}),
        "petitions:dashboard": frozenset({"core_figuresnapshot"}),
        **records.GET_MAY_WRITE,
    },
    admin_rows=admin_rows,
    admin_add_data=admin_add_data,
    api_build=api_build,
)
