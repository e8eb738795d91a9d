"""Hostile input on every server-rendered page and form: never a 500, and a refused form writes
nothing and says why in Chinese.

The project's ground rule: "Bad input gets a clear message (Chinese on pages; a 4xx with a
machine-readable code in the API) and writes nothing. No input may cause a 500." The API
(/api/v1) has its own sweep; this file covers the pages.

* Routes are read from Django's resolver (recursing into includes), not listed by hand: a new
  page is swept the day it is added. /api/ (swept on its own), /admin/ (Django's own views;
  only its login form is pinned below) and /static/ are left out. A route whose parameter has
  no known existing object, or a route that handles POST without a form entry here, fails
  ``test_every_route_and_form_is_covered``.
* GET: every route with hostile path values (huge, zero, long Chinese, NUL, traversal, an
  existing object the persona may not see) and hostile query strings, as seven personas.
  A GET that writes anything fails too.
* POST: every form, one field at a time made hostile on top of data the form accepts (that
  the untouched data is accepted is checked too, so each refusal is the hostile field's doing),
  plus each view's own traps (a stale ``expected_status``, a forged portal form token …). A
  refusal must not be a 500, must write nothing (every table compared, row by row) and must
  say why in Chinese (or be a 4xx).
* Hypothesis types random text into the search boxes, the calendar editor, intake and the
  portal's submit form.
  Each case runs in a savepoint that is rolled back, so cases do not disturb each other and the
  portal's rate-limit counters (database rows, see youjie/portal/services.py) start from zero.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.context import BaseContext
from django.test import Client
from django.test.utils import CaptureQueriesContext, ContextList
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from youjie.analytics.forms import PeriodForm as FiguresPeriodForm
from youjie.core.errors import ApplicationError
from youjie.courtcases.forms import CaseFilterForm, CaseImportUploadForm
from youjie.courtcases.models import CaseImport, CourtCase
from youjie.courtcases.selectors import importable_courts
from youjie.courtcases.services import case_import_validate
from youjie.courtcases.tests.factories import csv_bytes
from youjie.desk import permissions as desk_permissions
from youjie.desk import services as desk_services
from youjie.desk.choices import RequestStatus
from youjie.desk.forms import (
    ChecklistForm,
    DivisionFilterForm,
    IntakeForm,
    LookupForm,
    ReturnVisitForm,
    SearchForm,
)
from youjie.desk.forms import PeriodForm as DeskPeriodForm
from youjie.desk.models import (
    Attachment,
    ClockChange,
    Feedback,
    ReturnVisit,
    ServiceRequest,
)
from youjie.desk.tests.conftest import civil_case, matter_types, party  # noqa: F401
from youjie.desk.views.detail import ACTIONS, _facts, allowed_actions
from youjie.desk.views.intake import RESUBMITTED_MESSAGE, _lines_for
from youjie.orgs.models import OrgUnit, User
from youjie.orgs.views import LoginForm, TokenForm
from youjie.people import services as people_services
from youjie.people.forms import EnterpriseForm, PersonForm
from youjie.people.forms import SearchForm as PeopleSearchForm
from youjie.people.models import Enterprise, Person
from youjie.people.tests.factories import build_resident_id, build_uscc
from youjie.portal import access
from youjie.portal import services as portal_services
from youjie.portal.formguard import form_token_issue
from youjie.portal.forms import CodeForm, FeedbackForm, SubmitForm, TrackForm, WithdrawForm
from youjie.portal.models import TrackingCode
from youjie.workdays.forms import CalendarYearForm, DeadlineCalculatorForm

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HUGE = "9" * 30
CJK = re.compile(r"[\u3400-\u9fff]")
PERSONAS = (
    "anonymous",
    "receptionist",
    "judge",
    "division_head",
    "court_leader",
    "city_officer",
    "administrator",
)
SKIPPED_PREFIXES = ("api/", "admin/", "static/")
WECHAT_TOKEN = "hostile-sweep-token"
TRACKING_CODE = "123456"

# Written whatever a request's outcome, so never counted as a refused form's write:
ALWAYS_WRITTEN = {
    # Login, flash messages and the portal's verified numbers live in the session row.
    "django_session": "the session",
    # django-axes records every failed login by design: that record is the lockout.
    "axes_accessattempt": "failed-login record",
    "axes_accessattemptexpiration": "failed-login record",
    "axes_accessfailurelog": "failed-login record",
    "axes_accesslog": "login record",
}


# --- the world the pages are swept in -------------------------------------------------------


@dataclass
class World:
    users: dict[str, User]
    registered: ServiceRequest
    routed: ServiceRequest
    in_progress: ServiceRequest
    pending_change: ServiceRequest
    change: ClockChange
    paused: ServiceRequest
    replied: ServiceRequest
    feedback_token: str
    closed: ServiceRequest
    visit: ReturnVisit
    attachment: Attachment
    person: Person
    hidden_person: Person  # 石拐区's: the Bayan Obo court's staff may not see it
    enterprise: Enterprise
    court_case: CourtCase
    case_import: CaseImport
    tracking_code: TrackingCode
    civil_division: OrgUnit

    @property
    def requests(self) -> list[ServiceRequest]:
        return [
            self.registered,
            self.routed,
            self.in_progress,
            self.pending_change,
            self.paused,
            self.replied,
            self.closed,
        ]


def _register(actor: User, *, route: bool = True, **overrides: Any) -> ServiceRequest:
    values: dict[str, Any] = {
        "channel": "phone",
        "matter_type_code": "case_query",
        "title": "查询案件进度",
        "content": "询问（2026）内0206民初123号的审理进度。",
        "requester_name": "张三",
        "requester_mobile": "13812345678",
        "related_case_number": "（2026）内0206民初123号",
        "route": route,
    }
    values.update(overrides)
    service_request, _ = desk_services.service_request_create(
        actor=actor, data=desk_services.IntakeData(**values)
    )
    return service_request


def _accepted(receptionist: User, judge: User, **overrides: Any) -> ServiceRequest:
    service_request = _register(receptionist, **overrides)
    desk_services.service_request_accept(actor=judge, service_request=service_request)
    service_request.refresh_from_db()
    return service_request


def _pdf(name: str = "scan.pdf", size: int = 64) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


@pytest.fixture
def world(
    receptionist: User,
    judge: User,
    division_head: User,
    court_leader: User,
    city_officer: User,
    county_officer: User,
    administrator: User,
    civil_case: CourtCase,  # noqa: F811
    civil_division: OrgUnit,
    matter_types: None,  # noqa: F811
    settings: Any,
    tmp_path: Any,
) -> World:
    settings.YOUJIE_OTP_ENFORCED = False  # leaders and administrators reach the pages
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.YOUJIE_PORTAL_RATE_LIMITS = {}
    settings.YOUJIE_NOTIFY_TRANSPORTS = {}
    settings.YOUJIE_WECHAT_TOKEN = WECHAT_TOKEN  # the callback reads its input, not 404
    users = {
        "receptionist": receptionist,
        "judge": judge,
        "division_head": division_head,
        "court_leader": court_leader,
        "city_officer": city_officer,
        "county_officer": county_officer,
        "administrator": administrator,
    }
    registered = _register(
        receptionist, route=False, matter_type_code="contact_judge", related_case_number=""
    )
    routed = _register(receptionist, title="第二件")
    in_progress = _accepted(
        receptionist, judge, title="第三件", matter_type_code="divorce_filing"
    )  # a checklist to send
    pending_change = _accepted(receptionist, judge, title="第四件")
    change = desk_services.clock_change_request(
        actor=judge,
        service_request=pending_change,
        kind=ClockChange.Kind.EXTENSION,
        reason="需要调取卷宗",
        extra_workdays=5,
    )
    paused = _accepted(receptionist, judge, title="第五件")
    pause = desk_services.clock_change_request(
        actor=judge, service_request=paused, kind=ClockChange.Kind.PAUSE, reason="等待补充材料"
    )
    desk_services.clock_change_decide(actor=division_head, change=pause, approve=True)
    replied = _accepted(receptionist, judge, title="第六件")
    desk_services.service_request_reply(
        actor=judge, service_request=replied, body="开庭时间定于12月8日。"
    )
    closed = _accepted(receptionist, judge, title="第七件")
    desk_services.service_request_reply(actor=judge, service_request=closed, body="已答复。")
    closed_token = Feedback.objects.get(service_request=closed).token
    desk_services.feedback_submit(token=closed_token, satisfaction=1, comment="不满意")
    attachment = desk_services.attachment_add(
        actor=judge, service_request=in_progress, uploaded=_pdf()
    )
    person = people_services.person_create(
        actor=receptionist,
        name="孙八",
        id_number=build_resident_id(sequence=77),
        mobile="13600001111",
        address="白云鄂博矿区示例路1号",
    )
    hidden_person = people_services.person_create(
        actor=county_officer, name="钱七", mobile="13700000000"
    )
    enterprise = people_services.enterprise_create(
        actor=receptionist, name="示例有限公司", uscc=build_uscc()
    )
    row = ["（2026）内0206民初200号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    case_import = case_import_validate(
        actor=receptionist,
        court=OrgUnit.objects.get(code="BT-BYEB-FY"),
        file_name="cases.csv",
        content=csv_bytes([[*row, "", "", "审理中", "否", "1000", "原告:张三"]]),
    )
    tracking_code = TrackingCode.objects.create(  # as if sent by SMS (portal:track_code)
        service_request=routed,
        mobile_hash="0" * 64,
        salt="hostile-salt",
        code_hash=portal_services._code_hash("hostile-salt", TRACKING_CODE),
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    world = World(
        users=users,
        registered=registered,
        routed=routed,
        in_progress=in_progress,
        pending_change=pending_change,
        change=change,
        paused=paused,
        replied=replied,
        feedback_token=Feedback.objects.get(service_request=replied).token,
        closed=closed,
        visit=ReturnVisit.objects.get(service_request=closed),
        attachment=attachment,
        person=person,
        hidden_person=hidden_person,
        enterprise=enterprise,
        court_case=civil_case,
        case_import=case_import,
        tracking_code=tracking_code,
        civil_division=civil_division,
    )
    expected = {
        "registered": RequestStatus.REGISTERED,
        "routed": RequestStatus.AWAITING_ACCEPTANCE,
        "in_progress": RequestStatus.IN_PROGRESS,
        "pending_change": RequestStatus.IN_PROGRESS,
        "paused": RequestStatus.PAUSED,
        "replied": RequestStatus.REPLIED,
        "closed": RequestStatus.CLOSED,
    }
    for name, status in expected.items():
        service_request = getattr(world, name)
        service_request.refresh_from_db()
        assert service_request.status == status, name
    return world


def client_for(world: World, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


# --- routes from the resolver ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "desk:action"
    template: str  # "desk/<int:pk>/<slug:action>/"
    converters: dict[str, Any]

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.template)

    def url(self, values: dict[str, str]) -> str:
        def put(match: re.Match[str]) -> str:
            return quote(values[match.group(1)], safe="")

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", put, self.template)


def enumerate_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(
        entries: Iterable[URLPattern | URLResolver],
        prefix: str,
        namespace: str,
        converters: dict[str, Any],
    ) -> None:
        for entry in entries:
            template = prefix + str(entry.pattern)
            if template.startswith(SKIPPED_PREFIXES):
                continue
            # Only path() routes are swept: a regex route would need its own value builder.
            assert isinstance(entry.pattern, RoutePattern), template
            found = {**converters, **entry.pattern.converters}
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, template, inner, found)
            else:
                name = f"{namespace}{entry.name}" if entry.name else template
                routes.append(Route(name=name, template=template, converters=found))

    walk(get_resolver().url_patterns, "", "", {})
    return routes


# Hostile path values; each is used where the parameter's converter matches it (a value the
# converter refuses only reaches the 404 page, which UNRESOLVABLE covers once).
HOSTILE_PATH_VALUES = [
    "0",
    "00000000001",
    HUGE,
    str(2**63),  # one past the largest BIGINT
    "9" * 5000,  # past Python's 4,300-digit int() limit
    "-1",
    "abc",
    "v1",
    "--",
    "_",
    "a" * 3000,
    "诉" * 2000,
    "\x00",
    "SS\x00",
    "..",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "SS20260101-00001",
    "%00",
    "%2e%2e%2f",
]
UNRESOLVABLE = [
    "/desk/-1/",
    "/desk/%00/",
    "/people/..%2f..%2fetc/passwd/",
    "/portal/track/a/b/c/d/",
    "/" + quote("诉" * 3000) + "/",
    "/calendar/-2026/",
]


def existing_path_values(world: World) -> dict[tuple[str, str], list[str]]:
    """Existing objects for each route parameter, including ones a persona may not see."""
    requests = [str(r.pk) for r in world.requests]
    numbers = [r.number for r in world.requests]
    persons = [str(world.person.pk), str(world.hidden_person.pk)]
    return {
        ("desk:return_visit_record", "visit_pk"): [str(world.visit.pk)],
        ("desk:checklist_edit", "code"): ["divorce_filing", "case_query"],
        ("desk:checklist_print", "code"): ["divorce_filing", "case_query"],
        ("desk:detail", "pk"): requests,
        ("desk:attachment_upload", "pk"): requests,
        ("desk:attachment_download", "pk"): [str(world.in_progress.pk), str(world.routed.pk)],
        ("desk:attachment_download", "attachment_pk"): [str(world.attachment.pk)],
        ("desk:action", "pk"): requests,
        ("desk:action", "action"): sorted(ACTIONS),
        ("people:dossier", "pk"): persons,
        ("people:reveal", "pk"): persons,
        ("people:reveal", "field"): ["phone", "id_number", "address"],
        ("people:enterprise_detail", "pk"): [str(world.enterprise.pk)],
        ("courtcases:detail", "pk"): [str(world.court_case.pk)],
        ("courtcases:import_status", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_run", "pk"): [str(world.case_import.pk)],
        ("courtcases:import_cancel", "pk"): [str(world.case_import.pk)],
        ("workdays:year", "year"): ["2026", "1900", "2100"],
        ("workdays:year_edit", "year"): ["2026", "1900", "2100"],
        ("workdays:year_delete", "year"): ["2026", "1900", "2100"],
        ("portal:track_detail", "number"): numbers,
        ("portal:withdraw", "number"): numbers,
        ("portal:checklist", "code"): ["divorce_filing", "case_query"],
        ("portal:checklist", "version"): ["1", "2"],
        ("portal:feedback", "token"): [world.feedback_token],
        ("portal:feedback_thanks", "token"): [world.feedback_token],
    }


def route_urls(route: Route, existing: dict[tuple[str, str], list[str]]) -> list[str]:
    """The route with its first existing value for every parameter, then each parameter in
    turn set to each of its other existing values and to each hostile value it accepts."""
    if not route.params:
        return [route.url({})]
    base = {name: existing[route.name, name][0] for name in route.params}
    urls = [route.url(base)]
    for name in route.params:
        regex = route.converters[name].regex
        for value in [*existing[route.name, name][1:], *HOSTILE_PATH_VALUES]:
            if re.fullmatch(regex, value):
                urls.append(route.url({**base, name: value}))
    return urls


def _query_param_names() -> list[str]:
    names: set[str] = {"page", "v", "next", "echostr", "signature", "timestamp", "nonce"}
    for form_class in (
        SearchForm,
        DeskPeriodForm,
        DivisionFilterForm,
        LookupForm,
        CaseFilterForm,
        DeadlineCalculatorForm,
        FiguresPeriodForm,
        PeopleSearchForm,
    ):
        names.update(form_class.base_fields)
    return sorted(names)


QUERY_PARAMS = _query_param_names()
HOSTILE_QUERY_VALUES = [
    "-1",
    "nope",
    HUGE,
    "9" * 5000,  # past Python's 4,300-digit int() limit
    "²",  # str.isdigit() says yes, int() says no
    "2026-13-40",
    "0001-01-01",
    "9999-12-31",
    "诉" * 2000,
    "\x00",
    '"保全" OR * AND (',
]


def hostile_queries(world: World) -> list[str]:
    """Each hostile value in every parameter at once, then the combinations one value cannot
    make: a period from year 1 to 9999, the deadline calculator at the end of its range,
    repeated parameters, another county's unit, too many parameters."""
    queries = [urlencode(dict.fromkeys(QUERY_PARAMS, value)) for value in HOSTILE_QUERY_VALUES]
    dates = ("date_from", "start"), ("date_to", "end")
    combinations: list[list[tuple[str, str]]] = [
        [(name, "0001-01-01") for name in dates[0]] + [(name, "9999-12-31") for name in dates[1]],
        [("start", "2100-12-31"), ("days", "3650"), ("unit", "workdays"), ("preset", "")],
        [("start", "2100-12-31"), ("days", "3650"), ("unit", "calendar_days"), ("end", "abc")],
        [("page", "-1"), ("page", str(10**12)), ("q", "a"), ("q", "\x00")]
        + [("status", status) for status in RequestStatus.values]
        + [("division", str(world.civil_division.pk)), ("division", HUGE)]
        + [("v", "0"), ("v", "10000")],
        [("division", str(OrgUnit.objects.get(code="150205-ZXB").pk)), ("v", "1")],
        [(f"field{i}", "x") for i in range(600)],  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    ]
    return queries + [urlencode(pairs) for pairs in combinations]


# --- requests, writes and refusals ----------------------------------------------------------

_tables: list[str] = []


def snapshot() -> dict[str, list[str]]:
    """Every row of every table (the search index's too), as text, by table."""
    if not _tables:
        _tables.extend(
            name
            for name in sorted(connection.introspection.table_names())
            if name not in ALWAYS_WRITTEN
        )
    rows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in _tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
    return rows


def written(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {table for table in before if before[table] != after[table]}


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)


def statement_writes(statements: Iterable[str | None]) -> set[str]:
    """Tables that ``statements`` write to, other than ALWAYS_WRITTEN. A statement the
    database refused has no SQL text in Django's capture (None): it wrote nothing."""
    tables = set()
    for sql in statements:
        match = _WRITE.match(sql) if sql else None
        if match and match.group(1) not in ALWAYS_WRITTEN:
            tables.add(match.group(1))
    return tables


@dataclass
class Outcome:
    status: int
    written: set[str]
    texts: list[str]
    body: str
    error: str
    redirect: str


def _collect(value: Any, texts: list[str], depth: int = 0) -> None:
    if isinstance(value, forms.BaseForm):
        if value.is_bound and value.errors:
            for messages in value.errors.values():
                texts.extend(str(message) for message in messages)
    elif isinstance(value, ApplicationError):
        texts.append(value.message)
    elif isinstance(value, dict) and depth < 2:
        for item in value.values():
            _collect(item, texts, depth + 1)
    elif isinstance(value, list | tuple) and depth < 2:
        for item in value[:50]:
            _collect(item, texts, depth + 1)
    elif isinstance(getattr(value, "hint", None), str) and value.hint:
        texts.append(value.hint)  # the caller lookup's message (desk intake)


def refusal_texts(response: Any) -> list[str]:
    """What the page tells the user went wrong: form errors, the ApplicationError shown, the
    view's ``error`` text, flash messages other than success."""
    texts = [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level != message_levels.SUCCESS
    ]
    contexts: Any = response.context
    if contexts is None:
        return texts
    for context in contexts if isinstance(contexts, ContextList) else [contexts]:
        flat: Any = context.flatten() if isinstance(context, BaseContext) else context
        error = flat.get("error")
        if isinstance(error, str) and error:
            texts.append(error)  # a view's own message (the return-visit queue)
        _collect(flat, texts)
    return texts


def send(
    client: Client,
    method: str,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    body: bytes | None = None,
    content_type: str = "",
    remote_addr: str = "10.0.0.1",
) -> Outcome:
    """One request in a savepoint that is rolled back afterwards, with the tables it changed."""
    materialised = {k: v() if callable(v) else v for k, v in (data or {}).items()}
    with transaction.atomic():
        if method == "get":
            # A GET must not even try to write: its statements are enough (and cheaper than
            # two snapshots, which matters over thousands of URLs).
            connection.queries_log.clear()  # it holds 9,000 statements, then stops counting
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, materialised, REMOTE_ADDR=remote_addr)
            changed = statement_writes(query["sql"] for query in queries.captured_queries)
        else:
            before = snapshot()
            if body is not None:
                response = client.post(
                    url, body, content_type=content_type, REMOTE_ADDR=remote_addr
                )
            else:
                response = client.post(url, materialised, REMOTE_ADDR=remote_addr)
            changed = written(before, snapshot())
        transaction.set_rollback(True)
    exc_info = getattr(response, "exc_info", None)
    error = repr(exc_info[1]) if exc_info else ""
    streaming = getattr(response, "streaming", False)
    text = "" if streaming else response.content.decode("utf-8", "replace")
    return Outcome(
        status=response.status_code,
        written=changed,
        texts=refusal_texts(response) if response.status_code < 500 else [],
        body=text,
        error=error,
        redirect=response.get("Location", ""),
    )


_ALERT = re.compile(
    r'<[a-z]+[^>]*(?:role="alert"|class="[^"]*errorlist[^"]*")[^>]*>(.{0,600}?)</[a-z]+>', re.S
)


def alert_texts(body: str) -> list[str]:
    """The text of the page's alerts and error lists (for messages not in a form's errors,
    such as the people page's duplicate warning, or views rendered as partials)."""
    return [re.sub(r"<[^>]+>", "", found) for found in _ALERT.findall(body)]


def refusal_problems(
    outcome: Outcome, may_write: Iterable[str] = (), marker: str = ""
) -> list[str]:
    """Why ``outcome`` is not a proper refusal: 500, a write, or no Chinese message."""
    problems = []
    if outcome.status >= 500:
        problems.append(f"HTTP {outcome.status} {outcome.error}")
        return problems
    wrote = outcome.written - set(may_write)
    if wrote:
        problems.append(f"wrote {sorted(wrote)}")
    texts = outcome.texts + alert_texts(outcome.body)
    said = any(CJK.search(text) for text in texts) or bool(marker and marker in outcome.body)
    if 300 <= outcome.status < 400 and not said:
        problems.append(f"redirected to {outcome.redirect} as if accepted, with no message")
    elif outcome.status < 300 and not said:
        problems.append(f"HTTP {outcome.status} without a Chinese error message")
    elif outcome.status >= 400 and outcome.body.strip() and not CJK.search(outcome.body):
        problems.append(f"HTTP {outcome.status} body without Chinese: {outcome.body[:120]!r}")
    return problems


def _short(url: str) -> str:
    return url if len(url) < 160 else url[:150] + f"…({len(url)} chars)"


# --- the GET sweep --------------------------------------------------------------------------


# A GET that writes is a defect too, except:
GET_MAY_WRITE = {
    "otp_verify": {"otp_totp_totpdevice"},  # the first visit enrols: the device for its QR code
}


def get_sweep(world: World, persona: str) -> tuple[list[str], int]:
    """Every route with hostile path values and, where the page answers 200 for ``persona``,
    with every hostile query string. (Where it refuses, redirects or is not found, the views
    decide so before reading the query: sending it there would only repeat the refusal.)"""
    client = client_for(world, persona)
    existing = existing_path_values(world)
    queries = hostile_queries(world)
    failures: list[str] = []
    count = 0

    def check(route: Route, url: str) -> Outcome:
        nonlocal count
        outcome = send(client, "get", url)
        count += 1
        if outcome.status >= 500:
            failures.append(f"{persona}: GET {_short(url)} → {outcome.status} {outcome.error}")
        elif outcome.written - GET_MAY_WRITE.get(route.name, set()):
            failures.append(f"{persona}: GET {_short(url)} wrote {sorted(outcome.written)}")
        return outcome

    for route in enumerate_routes():
        urls = route_urls(route, existing)
        answered = check(route, urls[0]).status
        for url in urls[1:]:
            check(route, url)
        if answered == 200:
            for query in queries:
                check(route, f"{urls[0]}?{query}")
    for url in UNRESOLVABLE:
        outcome = send(client, "get", url)
        count += 1
        if outcome.status != 404:
            failures.append(f"{persona}: GET {_short(url)} → {outcome.status}, expected 404")
    return failures, count


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_with_hostile_paths_and_queries_never_fails(world: World, persona: str) -> None:
    failures, count = get_sweep(world, persona)
    assert count > 100  # the sweep really ran
    assert not failures, f"{len(failures)} of {count} requests:\n" + "\n".join(failures)


# --- forms ----------------------------------------------------------------------------------

MISSING = object()  # an override that removes the field from the submitted data
OVER_MEMORY_LIMIT = 2 * 1024 * 1024 + 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE + 1 KB


@dataclass
class Case:
    label: str
    overrides: dict[str, Any]
    url: str = ""  # another URL of the same view (a stale object, an unknown field …)


@dataclass
class FormSpec:
    """One form of one view, as one persona, with data the form accepts (``base``)."""

    name: str
    persona: str
    url: str
    base: dict[str, Any]
    # The view's form bound to some data: its fields give the per-field hostile values, and
    # ``base`` must make it valid. None for views that read request.POST/FILES themselves.
    form: Callable[[Any, Any], forms.BaseForm] | None = None
    extra: list[Case] = field(default_factory=list)
    # What the untouched ``base`` does: "writes" (redirect and a row written), "redirects",
    # "renders" (a 2xx page, nothing written), "audits" (a 2xx page and an audit entry).
    control: str = "writes"
    # Tables a refused submission may still write, each with the reason.
    may_write: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Client], None] | None = None  # session state the view needs
    # Where a view shows its refusal outside form errors and alerts (the caller lookup's hint).
    refusal_marker: str = ""
    base_is_valid: bool = True  # False where the form cannot be checked alone (login)

    @property
    def route(self) -> str:
        return self.name.split(" ")[0]

    def client(self, world: World) -> Client:
        client = client_for(world, self.persona)
        if self.setup is not None:
            self.setup(client)
        return client


def hostile_values(form_field: forms.Field) -> list[tuple[str, Any]]:
    """Values ``form_field`` must refuse, whatever the other fields hold."""
    values: list[tuple[str, Any]] = []
    if form_field.required:
        values += [("missing", MISSING), ("blank", "   ")]
    if isinstance(form_field, forms.FileField | forms.BooleanField):
        return values  # files have their own cases; any text is a valid boolean
    if isinstance(form_field, forms.ModelChoiceField):
        values += [("unknown id", HUGE), ("negative", "-1"), ("injection", "1' OR '1'='1")]
    elif isinstance(form_field, forms.ChoiceField):
        values += [("unknown choice", "nope"), ("huge", HUGE), ("NUL", "\x00")]
    elif isinstance(form_field, forms.IntegerField):
        values += [("text", "abc"), ("huge", "9" * 5000), ("fraction", "1.5"), ("NUL", "1\x00")]
        if form_field.min_value is not None:
            values.append(("below minimum", str(form_field.min_value - 1)))
        if form_field.max_value is not None:
            values.append(("above maximum", str(form_field.max_value + 1)))
    elif isinstance(form_field, forms.DateTimeField):
        values += [("impossible", "2026-13-40T25:61"), ("text", "明天上午")]
    elif isinstance(form_field, forms.DateField):
        values += [("impossible", "2026-13-40"), ("text", "明天")]
    elif isinstance(form_field, forms.CharField):
        if form_field.max_length:
            values.append(("one past max_length", "字" * (form_field.max_length + 1)))
        values += [("100k chars", "诉" * 100_000), ("NUL", "内容\x00内容")]
    else:
        raise AssertionError(f"no hostile values for {type(form_field).__name__}")
    return values


def form_cases(spec: FormSpec) -> list[Case]:
    cases: list[Case] = []
    if spec.form is not None:
        fields = spec.form(None, None).fields
        for name, form_field in fields.items():
            cases += [
                Case(f"{name}: {label}", {name: v}) for label, v in hostile_values(form_field)
            ]
        if any(f.required for f in fields.values()):
            cases.append(Case("empty form", dict.fromkeys(spec.base, MISSING)))
    cases += spec.extra
    cases.append(Case("body past the memory limit", {"padding": "x" * OVER_MEMORY_LIMIT}))
    cases.append(Case("600 fields", {f"field{i}": "x" for i in range(600)}))
    return cases


def merged(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    data = {**base, **overrides}
    return {key: value for key, value in data.items() if value is not MISSING}


# The portal takes a rate-limit slot once the form is well-formed, before the desk service or
# the lookup decides: a wrong number, mobile or code is an attempt, and attempts are counted.
COUNTED = {"portal_ratelimitcounter": "an attempt is counted before the service decides"}


def guard(form_name: str, *, age: float = 10.0) -> dict[str, Any]:
    """The portal's form guard: a token issued ``age`` seconds before the request is sent (so
    made when it is sent) and an empty honeypot."""

    def token() -> str:
        return form_token_issue(form_name, issued_at=time.time() - age)

    return {"form_token": token, "website": ""}


def guard_cases(form_name: str) -> list[Case]:
    other = "track" if form_name != "track" else "submit"
    return [
        Case("form token missing", {"form_token": MISSING}),
        Case("form token forged", {"form_token": "abc:def:ghi"}),
        Case("form token of another form", guard(other)),
        Case("form token 5,000 chars", {"form_token": "x" * 5000}),
        Case("sent back at once", guard(form_name, age=0)),
        Case("sent back after three hours", guard(form_name, age=3 * 3600)),
        Case("honeypot filled", {"website": "http://spam.example"}),
    ]


def pdf_upload(name: str = "scan.pdf", size: int = 64) -> Callable[[], SimpleUploadedFile]:
    return lambda: _pdf(name, size)


def upload(name: str, content: bytes) -> Callable[[], SimpleUploadedFile]:
    return lambda: SimpleUploadedFile(name, content)


UPLOAD_CASES = [
    ("empty file", upload("scan.pdf", b"")),
    ("executable", upload("setup.exe", b"MZ" + b"\x00" * 64)),
    ("content not matching the extension", upload("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 8)),
    ("NUL in the name", upload("scan.pdf\x00.exe", b"MZ\x00")),
    ("no extension, 300-char Chinese name", upload("诉" * 300, b"%PDF-1.4")),
]


def _local_input(days: int) -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.strftime("%Y-%m-%dT%H:%M")


def action_specs(world: World) -> list[FormSpec]:
    """One spec per action of the request page, as a persona allowed to use it on a request
    in a state that allows it (found by the page's own rules, so the hostile data reaches the
    form rather than the stale or permission check)."""
    order = ("judge", "receptionist", "division_head", "court_leader", "administrator")
    specs = []
    for action, spec in ACTIONS.items():
        found = None
        for persona in order:
            user = world.users[persona]
            for service_request in world.requests:
                facts = _facts(
                    service_request,
                    list(service_request.clock_changes.all()),
                    desk_permissions.can_act_on(user, service_request),
                )
                if allowed_actions(user, service_request, facts)[action]:
                    found = (persona, user, service_request)
                    break
            if found:
                break
        assert found is not None, f"no persona in the world may use the action {action!r}"
        persona, user, service_request = found
        other = world.routed if service_request.pk != world.routed.pk else world.in_progress
        values: dict[str, dict[str, Any]] = {
            "route": {"division": str(world.civil_division.pk), "reason": "转民事审判庭办理"},
            "decline": {"reason": "不属于本庭室"},
            "reply": {"body": "经核实，开庭时间为12月8日。"},
            "interim_reply": {"body": "正在调取卷宗，请耐心等待。"},
            "clock_change": {"kind": "extension", "reason": "需要调卷", "extra_workdays": "5"},
            "clock_decide": {"change": str(world.change.pk), "decision": "approve", "note": ""},
            "resume": {"reason": "材料已补齐"},
            "supervise": {"reason": "请尽快答复", "new_deadline": _local_input(5)},
            "merge": {"into": other.number, "reason": "重复诉求"},
            "withdraw": {"reason": "诉求人要求撤回"},
        }
        status = service_request.status
        stale = next(s for s in RequestStatus.values if s != status)
        extra = [
            Case("stale expected_status", {"expected_status": stale}),
            Case("expected_status missing", {"expected_status": MISSING}),
            Case("unknown request", {}, url=f"/desk/{HUGE}/{action}/"),
        ]
        if action == "clock_decide":
            extra.append(Case("another change's id", {"change": str(world.change.pk + 1)}))
        if action == "merge":
            extra += [
                Case("into itself", {"into": service_request.number}),
                Case("into an unknown request", {"into": "SS20000101-00001"}),
            ]
        if action == "supervise":
            extra += [
                Case("deadline in the past", {"new_deadline": _local_input(-5)}),
                Case("deadline in year 1", {"new_deadline": "0001-01-01T00:00"}),
                Case("deadline in year 9999", {"new_deadline": "9999-12-31T23:59"}),
            ]

        def build(
            data: Any, files: Any, spec: Any = spec, user: User = user, sr: Any = service_request
        ) -> Any:
            return spec.build(user, sr, data)

        specs.append(
            FormSpec(
                name=f"desk:action {action}",
                persona=persona,
                url=f"/desk/{service_request.pk}/{action}/",
                base={"expected_status": status, **values.get(action, {})},
                form=build,
                extra=extra,
            )
        )
    return specs


def form_specs(world: World) -> list[FormSpec]:
    users = world.users
    receptionist, court = users["receptionist"], OrgUnit.objects.get(code="BT-BYEB-FY")
    case_row = ["（2026）内0206民初300号", "民间借贷纠纷", "民事审判庭", "李敏", "", "2026-01-05"]
    good_csv = csv_bytes([[*case_row, "", "", "审理中", "否", "1000", "原告:张三"]])

    def pending_code(client: Client) -> None:
        session = client.session
        session[access.PENDING_KEY] = {
            "number": world.routed.number,
            "code_id": world.tracking_code.pk,
            "until": time.time() + 600,
        }
        session.save()

    def verified(client: Client) -> None:
        session = client.session
        session[access.VERIFIED_KEY] = {world.routed.number: time.time() + 600}
        session.save()

    def enrolled(client: Client) -> None:
        client.get("/accounts/otp/")  # the first visit creates the (unconfirmed) device

    def otp_token() -> str:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=users["court_leader"])
        return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"

    intake_base = {
        "submission_key": "hostile-sweep-1",
        "channel": "walk_in",
        "requester_mobile": "139 0000 1111",
        "requester_name": "李四",
        "matter_type": "divorce_filing",
        "title": "咨询如何起诉离婚",
        "content": "来访群众询问离婚诉讼需要准备哪些材料。",
        "auto_route": "on",
    }
    return [
        FormSpec(
            name="desk:intake",
            persona="receptionist",
            url="/desk/new/",
            base=intake_base,
            form=lambda data, files: IntakeForm(data, files, lines=_lines_for(receptionist)),
            extra=[
                Case("requester outside the scope", {"requester_id": str(world.hidden_person.pk)}),
                Case("requester id past BIGINT", {"requester_id": str(2**63)}),
                Case("answer on the spot without an answer", {"answer_on_the_spot": "on"}),
                Case("checklist without a mobile", {"send_checklist": "on", **_no_mobile()}),
                Case("resident ID with a wrong check digit", {"id_number": "150206198005171230"}),
                Case("mobile too short", {"requester_mobile": "13812"}),
                Case("malformed case number", {"related_case_number": "（2026）内民初号"}),
                *[Case(f"attachment: {label}", {"attachment": f}) for label, f in UPLOAD_CASES],
                Case("attachment past the limit", {"attachment": pdf_upload(size=UPLOAD_LIMIT)}),
            ],
        ),
        FormSpec(
            name="desk:lookup",
            persona="receptionist",
            url="/desk/lookup/",
            base={"requester_mobile": "13812345678", "id_number": ""},
            form=lambda data, files: LookupForm(data),
            control="renders",
            refusal_marker="号码或证件号无效",
        ),
        *action_specs(world),
        FormSpec(
            name="desk:attachment_upload",
            persona="judge",
            url=f"/desk/{world.in_progress.pk}/attachments/",
            base={"attachment": pdf_upload()},
            extra=[
                Case("no file", {"attachment": MISSING}),
                Case("file under another name", {"attachment": MISSING, "file": pdf_upload()}),
                *[Case(label, {"attachment": f}) for label, f in UPLOAD_CASES],
                Case("past the limit", {"attachment": pdf_upload(size=UPLOAD_LIMIT)}),
                Case("request out of scope", {}, url=f"/desk/{HUGE}/attachments/"),
                Case("ended request", {}, url=f"/desk/{world.closed.pk}/attachments/"),
            ],
        ),
        FormSpec(
            name="desk:return_visit_record",
            persona="receptionist",
            url=f"/desk/return-visits/{world.visit.pk}/",
            base={"result": "resolved", "action": "none", "satisfaction": "4", "note": "已解决"},
            form=lambda data, files: ReturnVisitForm(data),
            extra=[
                Case("resolved yet reopened", {"action": "reopen"}),
                Case("unknown visit", {}, url=f"/desk/return-visits/{HUGE}/"),
            ],
        ),
        FormSpec(
            name="desk:checklist_edit",
            persona="administrator",
            url="/desk/matter-types/divorce_filing/checklist/",
            base={"materials": "起诉状", "steps": "递交材料", "legal_basis": "", "fees": ""},
            form=lambda data, files: ChecklistForm(data),
            extra=[Case("unknown matter type", {}, url="/desk/matter-types/nope/checklist/")],
        ),
        FormSpec(
            name="people:search",
            persona="receptionist",
            url="/people/",
            base={"q": "孙八"},
            form=lambda data, files: PeopleSearchForm(data),
            control="renders",
        ),
        FormSpec(
            name="people:create",
            persona="receptionist",
            url="/people/new/",
            base={
                "name": "周九",
                "id_number": build_resident_id(sequence=88),
                "mobile": "13500002222",
                "address": "白云鄂博矿区示例路2号",
                "region": "150206",
            },
            form=lambda data, files: PersonForm(data),
            extra=[
                Case("known resident ID", {"id_number": build_resident_id(sequence=77)}),
                Case("known mobile", {"id_number": "", "mobile": "13600001111"}),
                Case("resident ID with a wrong check digit", {"id_number": "150206198005171230"}),
                Case("mobile not a mobile", {"mobile": "010-1234"}),
            ],
        ),
        FormSpec(
            name="people:enterprise_create",
            persona="receptionist",
            url="/people/enterprises/new/",
            base={"name": "另一有限公司", "uscc": build_uscc(organization_base="MA0Q0001")},
            form=lambda data, files: EnterpriseForm(data),
            extra=[
                Case("known code", {"uscc": world.enterprise.uscc}),
                Case("wrong check character", {"uscc": build_uscc()[:-1] + "0"}),
            ],
        ),
        FormSpec(
            name="people:reveal",
            persona="receptionist",
            url=f"/people/{world.person.pk}/reveal/phone/",
            base={},
            control="audits",  # every showing of a full number is audited; a refusal is not
            extra=[
                Case("phone id not a number", {"phone_id": "abc"}),
                Case("phone id past BIGINT", {"phone_id": str(2**63)}),
                Case("phone id of 5,000 digits", {"phone_id": "9" * 5000}),
                Case("another person's phone", {"phone_id": str(_phone_of(world.hidden_person))}),
                Case("unknown field", {}, url=f"/people/{world.person.pk}/reveal/password/"),
                Case(
                    "person out of scope", {}, url=f"/people/{world.hidden_person.pk}/reveal/phone/"
                ),
            ],
        ),
        FormSpec(
            name="courtcases:import",
            persona="receptionist",
            url="/cases/import/",
            base={"court": str(court.pk), "file": upload("cases.csv", good_csv)},
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
        FormSpec(
            name="workdays:year_edit",
            persona="administrator",
            url="/calendar/2027/edit/",
            base={"source": "国办发明电〔2026〕1号", "holidays": "2027-01-01 元旦", "workdays": ""},
            form=lambda data, files: CalendarYearForm(data, year=2027),
            extra=[
                Case("impossible date", {"holidays": "2027-13-40 元旦"}),
                Case("another year", {"holidays": "2028-01-01 元旦"}),
                Case("10月32日", {"holidays": "10月32日 国庆节"}),
                Case("reversed range", {"holidays": "2027-10-07至2027-10-01 国庆节"}),
                Case("holiday and workday at once", {"workdays": "2027-01-01"}),
                Case("1,000 lines", {"holidays": "\n".join(["2027-01-01 元旦"] * 1000)}),
                Case("year out of range", {}, url="/calendar/99999/edit/"),
            ],
        ),
        FormSpec(
            name="login",
            persona="anonymous",
            url="/accounts/login/",
            base={"username": "reception", "password": "pw-reception"},
            form=lambda data, files: LoginForm(None, data),
            base_is_valid=False,  # authenticating needs the request (django-axes)
            extra=[Case("wrong password", {"password": "wrong"})],
        ),
        FormSpec(
            name="otp_verify",
            persona="court_leader",
            url="/accounts/otp/",
            base={"token": otp_token},
            form=lambda data, files: TokenForm(data),
            setup=enrolled,
            may_write={
                "otp_totp_totpdevice": "django-otp counts a wrong token on the device (throttling)"
            },
            extra=[Case("wrong token", {"token": "000000"}), Case("letters", {"token": "abcdef"})],
        ),
        FormSpec(
            name="portal:submit",
            persona="anonymous",
            may_write=COUNTED,
            url="/portal/submit/",
            base={
                **guard("submit"),
                "name": "赵敏",
                "mobile": "139 1234 5678",
                "matter_type": "contact_judge",
                "title": "想联系承办法官",
                "content": "我的案件已立案两周，想了解开庭时间安排。",
                "case_number": "",
            },
            form=lambda data, files: SubmitForm(data),
            extra=[
                *guard_cases("submit"),
                Case("mobile not a mobile", {"mobile": "12345"}),
                Case("malformed case number", {"case_number": "（2026）内民初号"}),
            ],
        ),
        FormSpec(
            name="portal:track",
            persona="anonymous",
            may_write=COUNTED,
            url="/portal/track/",
            base={**guard("track"), "number": world.routed.number, "mobile": "13812345678"},
            form=lambda data, files: TrackForm(data),
            control="redirects",
            extra=[
                *guard_cases("track"),
                Case("wrong mobile", {"mobile": "13900000000"}),
                Case("unknown number", {"number": "SS20000101-00001"}),
            ],
        ),
        FormSpec(
            name="portal:track_code",
            persona="anonymous",
            url="/portal/track/code/",
            base={**guard("track_code"), "code": TRACKING_CODE},
            form=lambda data, files: CodeForm(data),
            control="redirects",  # to the request: the code's use is counted like an attempt
            setup=pending_code,
            may_write={
                **COUNTED,
                "portal_trackingcode": "a wrong code counts an attempt (five spend it)",
            },
            extra=[*guard_cases("track_code"), Case("wrong code", {"code": "654321"})],
        ),
        FormSpec(
            name="portal:withdraw",
            persona="anonymous",
            may_write=COUNTED,
            url=f"/portal/track/{world.routed.number}/withdraw/",
            base={**guard("withdraw"), "reason": "问题已解决"},
            form=lambda data, files: WithdrawForm(data),
            setup=verified,
            extra=[
                *guard_cases("withdraw"),
                Case(
                    "request not verified",
                    {},
                    url=f"/portal/track/{world.in_progress.number}/withdraw/",
                ),
            ],
        ),
        FormSpec(
            name="portal:feedback",
            persona="anonymous",
            may_write=COUNTED,
            url=f"/portal/feedback/{world.feedback_token}/",
            base={**guard("feedback"), "satisfaction": "5", "comment": ""},
            form=lambda data, files: FeedbackForm(data),
            extra=[
                *guard_cases("feedback"),
                Case("unknown token", {}, url="/portal/feedback/nope/"),
            ],
        ),
    ]


UPLOAD_LIMIT = 100_000  # YOUJIE_MAX_UPLOAD_BYTES in the world: "past the limit" stays cheap


def _no_mobile() -> dict[str, Any]:
    return {"requester_mobile": MISSING}


def _phone_of(person: Person) -> int:
    phone = person.phones.order_by("id").first()
    assert phone is not None
    return phone.pk


def _materialise(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {key: value() if callable(value) else value for key, value in data.items()}
    files = {k: v for k, v in values.items() if isinstance(v, SimpleUploadedFile)}
    return {k: v for k, v in values.items() if k not in files}, files


def run_form_spec(world: World, spec: FormSpec) -> tuple[list[str], int]:
    failures: list[str] = []
    control_client = spec.client(world)  # before the base is built: it may need the setup
    if spec.form is not None and spec.base_is_valid:
        data, files = _materialise(spec.base)
        form = spec.form(data, files)
        if not form.is_valid():
            failures.append(f"{spec.name}: the base data is invalid: {form.errors.as_data()}")
    control = send(control_client, "post", spec.url, spec.base)
    expected = {
        "writes": 300 <= control.status < 400 and bool(control.written - set(spec.may_write)),
        "redirects": 300 <= control.status < 400,
        "renders": 200 <= control.status < 300 and not control.written,
        "audits": 200 <= control.status < 300 and control.written == {"core_auditentry"},
    }[spec.control]
    if not expected:
        failures.append(
            f"{spec.name}: the untouched form did not {spec.control}: HTTP {control.status} "
            f"{control.error} wrote {sorted(control.written)} said {control.texts[:3]}"
        )
    cases = form_cases(spec)
    for case in cases:
        outcome = send(
            spec.client(world), "post", case.url or spec.url, merged(spec.base, case.overrides)
        )
        if outcome.status == 429:
            failures.append(f"{spec.name} [{case.label}]: rate limited before the form")
        failures += [
            f"{spec.name} [{case.label}]: {problem}"
            for problem in refusal_problems(outcome, spec.may_write, spec.refusal_marker)
        ]
    return failures, len(cases) + 1


def test_every_form_refuses_hostile_input_and_writes_nothing(world: World, settings: Any) -> None:
    settings.YOUJIE_MAX_UPLOAD_BYTES = UPLOAD_LIMIT
    failures: list[str] = []
    total = 0
    specs = form_specs(world)
    for spec in specs:
        found, count = run_form_spec(world, spec)
        failures += found
        total += count
    assert total > 300 and len(specs) > 25  # the sweep really ran
    assert not failures, f"{len(failures)} of {total} submissions:\n" + "\n".join(failures)


# Views that take POST but have nothing in the body to refuse (a confirmation button), and
# views without a method restriction that ignore a body: hostile bodies must not break them.
BODY_IGNORED = {
    "courtcases:import_run": "administrator",
    "courtcases:import_cancel": "administrator",
    "workdays:year_delete": "administrator",
    "logout": "receptionist",
    "home": "receptionist",
    "courtcases:list": "receptionist",
    "courtcases:detail": "receptionist",
    "courtcases:import_status": "receptionist",
    "workdays:index": "receptionist",
    "workdays:year": "receptionist",
}
HOSTILE_BODIES: list[dict[str, Any]] = [
    {},
    {"import_valid_rows": "诉" * 100_000},
    {"import_valid_rows": "\x00", "next": "//evil.example"},
    {"page": "9" * 5000, "year": HUGE},
    {"padding": "x" * OVER_MEMORY_LIMIT},
    {f"field{i}": "x" for i in range(600)},
]


def test_posts_without_a_form_never_fail(world: World) -> None:
    existing = existing_path_values(world)
    routes = {route.name: route for route in enumerate_routes()}
    failures = []
    for name, persona in BODY_IGNORED.items():
        url = route_urls(routes[name], existing)[0]
        for body in HOSTILE_BODIES:
            outcome = send(client_for(world, persona), "post", url, body)
            if outcome.status >= 500:
                failures.append(f"POST {url} {sorted(body)[:2]} → {outcome.status} {outcome.error}")
    assert not failures, "\n".join(failures)


def test_every_route_and_form_is_covered(world: World) -> None:
    """A new route needs existing objects for its parameters, and a new POST view needs an
    entry in ``form_specs`` or BODY_IGNORED (or the WeChat test) before this passes."""
    existing = existing_path_values(world)
    routes = enumerate_routes()
    assert len(routes) > 40
    missing = [
        f"{route.name}:{param}"
        for route in routes
        for param in route.params
        if (route.name, param) not in existing
    ]
    assert not missing, f"add existing values for {missing} to existing_path_values()"
    covered = {spec.route for spec in form_specs(world)} | set(BODY_IGNORED) | {"inbound:wechat"}
    uncovered = []
    for route in routes:
        url = route_urls(route, existing)[0]
        for persona in ("receptionist", "administrator"):
            outcome = send(client_for(world, persona), "post", url, {})
            if outcome.status != 405 and route.name not in covered:
                uncovered.append(f"{route.name} ({url}) answers POST with {outcome.status}")
                break
    assert not uncovered, "POST views without hostile cases:\n" + "\n".join(uncovered)


# --- the WeChat callback --------------------------------------------------------------------


def _wechat_query(*, timestamp: str | None = None, signature: str | None = None) -> str:
    timestamp = timestamp or str(int(time.time()))
    nonce = "n0nce123"
    digest = hashlib.sha1("".join(sorted([WECHAT_TOKEN, timestamp, nonce])).encode()).hexdigest()
    return urlencode({"timestamp": timestamp, "nonce": nonce, "signature": signature or digest})


def _wechat_text(text: str, kind: str = "text") -> bytes:
    return (
        "<xml><ToUserName><![CDATA[gh_1234567890ab]]></ToUserName>"
        "<FromUserName><![CDATA[oUpF8uMuAJO_M2pxb1Q9zNjWeS6o]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>6054768590064713728</MsgId></xml>"
    ).encode()


def test_wechat_callback_refuses_hostile_bodies(world: World) -> None:
    url = "/inbound/wechat/"
    client = client_for(world, "anonymous")
    control = send(client, "post", f"{url}?{_wechat_query()}", body=_wechat_text("联系法官"))
    assert control.status == 200 and "desk_servicerequest" in control.written, control
    entity = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    refused: list[tuple[str, str, bytes, dict[str, Any]]] = [
        ("bad signature", _wechat_query(signature="0" * 40), _wechat_text("x"), {}),
        ("stale timestamp", _wechat_query(timestamp="1"), _wechat_text("x"), {}),
        ("timestamp not a number", _wechat_query(timestamp="abc"), _wechat_text("x"), {}),
        ("no query", "", _wechat_text("x"), {}),
        ("not XML", _wechat_query(), b"{not xml", {}),
        ("empty body", _wechat_query(), b"", {}),
        ("NUL bytes", _wechat_query(), b"<xml>\x00\x00</xml>", {}),
        ("entity expansion", _wechat_query(), f"{entity}<xml>&b;</xml>".encode(), {}),
        ("past the body limit", _wechat_query(), _wechat_text("诉" * 30_000), {}),
        ("an image", _wechat_query(), _wechat_text("", kind="image"), {}),
        ("blank text", _wechat_query(), _wechat_text("   "), {}),
        ("Content-Length not a number", _wechat_query(), b"<xml/>", {"CONTENT_LENGTH": "abc"}),
        ("Content-Length '²'", _wechat_query(), b"<xml/>", {"CONTENT_LENGTH": "²"}),
        (
            "Content-Length of 5,000 digits",
            _wechat_query(),
            b"<xml/>",
            {"CONTENT_LENGTH": "9" * 5000},
        ),
    ]
    failures = []
    for label, query, body, headers in refused:
        with transaction.atomic():
            before = snapshot()
            response = client.post(f"{url}?{query}", body, content_type="text/xml", **headers)
            changed = written(before, snapshot())
            transaction.set_rollback(True)
        text = response.content.decode("utf-8", "replace")
        if response.status_code >= 500 or changed or not CJK.search(text):
            failures.append(f"{label}: HTTP {response.status_code} wrote {sorted(changed)}")
    assert not failures, "\n".join(failures)


# --- random text where people type ----------------------------------------------------------

# Any Unicode text a browser can send (no lone surrogates), control characters included.
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
DATE_TEXT = st.lists(
    st.one_of(
        st.dates().map(date.isoformat),
        st.sampled_from(
            ["至", "-", "～", "月", "日", "年", " ", "\n", "国庆节", "10月1日", "2027-02-30"]
        ),
        st.integers(-1, 10**6).map(str),
        TEXT,
    ),
    max_size=8,
).map("".join)
CASE_NUMBER = st.builds(
    "（{}）{}{}{}号".format,
    st.integers(-5, 10**6),
    st.sampled_from(["内0206", "内0205", "内02", "京", ""]),
    st.sampled_from(["民初", "民终", "执", "刑初", "XX", ""]),
    st.integers(-5, 10**20),
)


def test_search_boxes_and_filters_take_any_text(world: World) -> None:
    clients = {persona: client_for(world, persona) for persona in ("receptionist", "city_officer")}

    @given(
        persona=st.sampled_from(sorted(clients)),
        text=TEXT | CASE_NUMBER,
        day=DATE_TEXT | st.dates().map(date.isoformat),
        number=st.integers(-(10**20), 10**20).map(str) | TEXT,
    )
    @hypothesis_settings(max_examples=40, deadline=None)
    def run(persona: str, text: str, day: str, number: str) -> None:
        client = clients[persona]
        for url, params in (
            ("/desk/search/", {"q": text, "date_from": day, "date_to": day, "page": number}),
            ("/desk/priority/", {"date_from": day, "date_to": text}),
            ("/people/", {"q": text, "page": number}),
            ("/cases/", {"q": text, "year": number, "stage": text, "page": number}),
            ("/calendar/", {"start": day, "days": number, "unit": "workdays"}),
            ("/analytics/desk/", {"start": day, "end": text, "preset": ""}),
            ("/desk/checklists/divorce_filing/", {"v": number}),
        ):
            outcome = send(client, "get", url, params)
            assert outcome.status < 500, (url, params, outcome.error)
            assert not outcome.written, (url, params, outcome.written)

    run()


DAY_2027 = st.dates(date(2027, 1, 1), date(2027, 12, 31))
# Lines of a holiday notice: mostly well-formed (so that some schedules are saved and the
# services run too), some impossible, some anything at all.
NOTICE = st.lists(
    st.one_of(
        st.builds("{} {}".format, DAY_2027, st.sampled_from(["元旦", "国庆节", ""])),
        st.builds("{}至{}".format, DAY_2027, DAY_2027),
        st.builds(lambda day: f"{day.month}月{day.day}日", DAY_2027),
        st.builds("{}月{}日至{}日".format, st.integers(-1, 14), st.integers(-1, 40), st.integers()),
        TEXT,
    ),
    min_size=1,
    max_size=6,
).map("\n".join)


def test_calendar_editor_parses_any_text(world: World) -> None:
    client = client_for(world, "administrator")

    @given(holidays=NOTICE, workdays=NOTICE | st.just(""), source=TEXT)
    @hypothesis_settings(max_examples=40, deadline=None)
    def run(holidays: str, workdays: str, source: str) -> None:
        data = {"source": source, "holidays": holidays, "workdays": workdays}
        outcome = send(client, "post", "/calendar/2027/edit/", data)
        if 300 <= outcome.status < 400:
            assert "workdays_calendaryear" in outcome.written, outcome
        else:
            assert not refusal_problems(outcome), (data, refusal_problems(outcome))

    run()


INTAKE = {
    "submission_key": "hypothesis",
    "channel": "phone",
    "requester_name": "李四",
    "requester_mobile": "13900001111",
    "matter_type": "case_query",
    "title": "查询案件进度",
    "content": "询问案件的审理进度。",
    "auto_route": "on",
}
SUBMIT = {
    "name": "赵敏",
    "mobile": "13912345678",
    "matter_type": "contact_judge",
    "title": "想联系承办法官",
    "content": "想了解开庭时间安排。",
}
TYPED = TEXT | CASE_NUMBER | st.from_regex(r"(\+86)?1[3-9]\d{9}", fullmatch=True)


def test_intake_and_portal_submit_take_any_text(world: World) -> None:
    """Valid submissions with one or two fields replaced by anything: some are refused, some
    registered (and then routed, indexed, checked for repeats) — none fails."""
    staff, public = client_for(world, "receptionist"), client_for(world, "anonymous")
    intake_fields = [*INTAKE, "id_number", "related_case_number", "answer"]
    submit_fields = [*SUBMIT, "case_number"]

    @given(
        intake=st.dictionaries(st.sampled_from(intake_fields), TYPED, min_size=1, max_size=2),
        submit=st.dictionaries(st.sampled_from(submit_fields), TYPED, min_size=1, max_size=2),
    )
    @hypothesis_settings(max_examples=30, deadline=None)
    def run(intake: dict[str, str], submit: dict[str, str]) -> None:
        for client, url, data, may_write in (
            (staff, "/desk/new/", {**INTAKE, **intake}, {}),
            (public, "/portal/submit/", {**guard("submit"), **SUBMIT, **submit}, COUNTED),
        ):
            outcome = send(client, "post", url, data)
            if 300 <= outcome.status < 400:
                assert "desk_servicerequest" in outcome.written, (url, data, outcome)
            else:
                problems = refusal_problems(outcome, may_write)
                assert not problems, (url, data, problems)

    run()


# --- the defects this sweep found, each pinned ----------------------------------------------


@pytest.mark.parametrize("url", ["/desk/search/", "/desk/priority/"])
@pytest.mark.parametrize(
    ("date_from", "date_to"), [("0001-01-01", "0001-01-01"), ("2026-01-01", "9999-12-31")]
)
def test_desk_date_filters_out_of_range_get_a_message(
    world: World, url: str, date_from: str, date_to: str
) -> None:
    """Year 1 and 9999 overflowed datetime (day_start, the day after, UTC): a 500."""
    outcome = send(
        client_for(world, "receptionist"), "get", url, {"date_from": date_from, "date_to": date_to}
    )
    assert outcome.status in (200, 422), outcome.error
    assert "日期应在2000年至2099年之间" in outcome.texts


@pytest.mark.parametrize("version", ["9" * 5000, "²", "٣"])
def test_checklist_print_with_an_unreadable_version_is_404(world: World, version: str) -> None:
    """``"9" * 5000`` and ``"²"`` pass str.isdigit() but not int(): a 500."""
    outcome = send(
        client_for(world, "receptionist"), "get", "/desk/checklists/divorce_filing/", {"v": version}
    )
    assert outcome.status == 404, outcome.error
    assert "清单版本不存在" in outcome.texts


@pytest.mark.parametrize(
    ("length", "says"),
    [("²", "Content-Length 无效"), ("9" * 5000, ""), ("000006", "消息格式无效")],
)
def test_wechat_content_length_is_read_safely(world: World, length: str, says: str) -> None:
    """ "²" passes str.isdigit() but not int(), 5,000 digits pass neither int() nor a length
    check: the callback failed with a 500. (Both are now refused before the view too, by the
    request-size middleware; the view no longer depends on it.) "000006" is a length like any
    other: the six bytes are read and refused as a message."""
    response = client_for(world, "anonymous").post(
        f"/inbound/wechat/?{_wechat_query()}",
        b"<xml/>",
        content_type="text/xml",
        CONTENT_LENGTH=length,
    )
    assert 400 <= response.status_code < 500
    assert says in response.content.decode() and CJK.search(response.content.decode())


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("receptionist", "/desk/new/"),
        ("administrator", "/desk/matter-types/divorce_filing/checklist/"),
        ("receptionist", "/people/new/"),
        ("receptionist", "/people/enterprises/new/"),
        ("receptionist", "/cases/import/"),
        ("court_leader", "/accounts/otp/"),
    ],
)
def test_an_empty_post_gets_the_required_field_errors(world: World, persona: str, url: str) -> None:
    """``Form(request.POST or None)`` left an empty POST unbound: the blank form came back
    with no message at all."""
    outcome = send(client_for(world, persona), "post", url, {})
    assert outcome.status in (200, 422)
    assert "这个字段是必填项。" in outcome.texts, outcome.texts
    assert not outcome.written - {"otp_totp_totpdevice"}  # the OTP page enrols on first visit


def test_no_attachment_on_an_ended_request(world: World, settings: Any) -> None:
    """The page hides the upload once a request has ended; the service took the file anyway."""
    outcome = send(
        client_for(world, "judge"),
        "post",
        f"/desk/{world.closed.pk}/attachments/",
        {"attachment": pdf_upload()},
    )
    assert outcome.status == 409
    assert not outcome.written
    assert any("不能再上传附件" in text for text in outcome.texts), outcome.texts


def test_withdraw_after_the_verification_ran_out_says_why(world: World) -> None:
    outcome = send(
        client_for(world, "anonymous"),
        "post",
        f"/portal/track/{world.routed.number}/withdraw/",
        {**guard("withdraw"), "reason": "问题已解决"},
    )
    assert outcome.redirect == "/portal/track/"
    assert not outcome.written
    assert "请输入诉求编号和手机号码查询（验证有效期30分钟）。" in outcome.texts


def test_a_rate_limited_portal_form_is_a_429_that_writes_nothing(
    world: World, settings: Any
) -> None:
    """The sweep rolls every case back, so the limiter never trips there; here it does, and the
    refusal is a 429 with Retry-After, not a success."""
    settings.YOUJIE_PORTAL_RATE_LIMITS = {"submit_ip": (1, 3600)}
    client = client_for(world, "anonymous")
    data = {**guard("submit"), **SUBMIT}
    first = client.post("/portal/submit/", _materialise(data)[0], REMOTE_ADDR="10.9.9.9")
    assert first.status_code == 302
    outcome = send(client, "post", "/portal/submit/", data, remote_addr="10.9.9.9")
    assert outcome.status == 429
    assert not refusal_problems(outcome, COUNTED)
    assert not outcome.written - set(COUNTED)


def test_a_body_past_the_request_limit_is_a_413_before_it_is_read(world: World) -> None:
    """Every form and endpoint has a size limit: the middleware refuses what the header says."""
    client = client_for(world, "receptionist")
    for url in ("/desk/new/", "/people/new/", "/portal/submit/", "/cases/import/"):
        response = client.post(url, {"title": "x"}, CONTENT_LENGTH=str(13 * 1024 * 1024))
        assert response.status_code == 413, url
        assert "请求内容过大" in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_an_oversized_username_is_refused_before_authentication(world: World, url: str) -> None:
    """Django's login form never checked the username's length: 100,000 characters went on to
    django-axes' failed-login record, a varchar(255) (a 500 on PostgreSQL)."""
    from axes.models import AccessAttempt

    outcome = send(
        client_for(world, "anonymous"), "post", url, {"username": "u" * 100_000, "password": "x"}
    )
    assert outcome.status == 200, outcome.error
    assert any("不超过 150 字符" in text for text in outcome.texts), outcome.texts
    assert not AccessAttempt.objects.exists()  # authenticate() was not reached


def test_a_reused_submission_key_with_other_content_is_refused(world: World) -> None:
    """The intake form's ``submission_key`` is its version field: a double submit returns the
    first request, the same key with other content is refused and writes nothing."""
    client = client_for(world, "receptionist")
    data = {**INTAKE, "submission_key": "reused-key"}
    first = client.post("/desk/new/", data)
    assert first.status_code == 302
    again = send(client, "post", "/desk/new/", data)
    assert again.status == 302 and not again.written
    outcome = send(client, "post", "/desk/new/", {**data, "title": "另一件事"})
    assert outcome.status == 422, outcome.error
    assert not refusal_problems(outcome), refusal_problems(outcome)
    assert RESUBMITTED_MESSAGE in outcome.texts
    # The form shown again carries a new key: submitting it registers the edited request once.
    shown = re.search(r'name="submission_key" value="([0-9a-f]+)"', outcome.body)
    assert shown is not None and shown.group(1) != "reused-key"
    count = ServiceRequest.objects.count()
    edited = {**data, "title": "另一件事", "submission_key": shown.group(1)}
    assert client.post("/desk/new/", edited).status_code == 302
    assert client.post("/desk/new/", edited).status_code == 302  # a double submit: no new row
    assert ServiceRequest.objects.count() == count + 1
