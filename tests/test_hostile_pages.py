"""Hostile input on every server-rendered page and form: never a 500, and a refused form writes
nothing and says why in Chinese.

The project's ground rule: "Bad input gets a clear message (Chinese on pages; a 4xx with a
machine-readable code in the API) and writes nothing. No input may cause a 500." The API
(/api/v1) has its own sweep; this file covers the pages.

* Routes are read from Django's resolver (recursing into includes), not listed by hand: a new
  page is swept the day it is added. /api/ (swept on its own), /admin/ (Django's own views;
  only its login form is pinned below) and /static/ are left out.
* What the resolver cannot say comes from each app's ``youjie/<app>/tests/hostile.py``
  (tests/hostile/cases.py): the objects of the world, existing values for the route
  parameters, the forms with data they accept, the personas, the query forms. A route whose
  parameter has no existing value, or a route that handles POST without a form entry, fails
  ``test_every_route_and_form_is_covered``, naming the app's module to add it to.
* GET: every route with hostile path values (huge, zero, long Chinese, NUL, traversal, an
  existing object the persona may not see) and hostile query strings, as every app's personas
  and anonymously. A GET that writes anything fails too.
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.template.context import BaseContext
from django.test import Client
from django.test.utils import CaptureQueriesContext, ContextList
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.hostile.cases import (
    HUGE,
    MISSING,
    UPLOAD_LIMIT,
    AppCases,
    Case,
    FormSpec,
    PathValues,
    World,
    app_of,
    client_for,
    combine,
    discover,
    pdf_upload,
)
from tests.hostile.cases import personas as sweep_personas
from tests.hostile.writewatch import WATCH_TABLE, WriteWatch, committed_triggers
from youjie.core.errors import ApplicationError
from youjie.desk.models import ServiceRequest
from youjie.desk.views.intake import RESUBMITTED_MESSAGE
from youjie.portal.tests.hostile import COUNTED, guard

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

APPS: list[AppCases] = discover()
CJK = re.compile(r"[\u3400-\u9fff]")
PERSONAS = sweep_personas(APPS)
SKIPPED_PREFIXES = ("api/", "admin/", "static/")

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


def world_users(found: Iterable[AppCases]) -> list[str]:
    """Every persona fixture an app names (its swept personas and the users it needs)."""
    names: list[str] = []
    for app_cases in found:
        for name in (*app_cases.cases.personas, *app_cases.cases.users):
            if name not in names:
                names.append(name)
    return names


def build_world(
    request: pytest.FixtureRequest, settings: Any, found: list[AppCases], media_root: str
) -> World:
    """The personas, then each app's objects (INSTALLED_APPS order: an app builds on the apps
    before it), with the settings the apps' pages need while swept."""
    settings.YOUJIE_OTP_ENFORCED = False  # leaders and administrators reach the pages
    settings.MEDIA_ROOT = media_root
    for name, value in combine(
        ((app.app, app.cases.page_settings) for app in found), "setting"
    ).items():
        setattr(settings, name, value)
    world = World({name: request.getfixturevalue(name) for name in world_users(found)})
    for app_cases in found:
        if app_cases.cases.build is not None:
            app_cases.cases.build(world)
    return world


@pytest.fixture(scope="module", autouse=True)
def watch_triggers(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The write check's triggers, committed once for the module on SQLite (``committed_triggers``:
    created in each test's transaction they made every rolled-back call re-read the schema)."""
    with django_db_blocker.unblock(), committed_triggers():
        yield


@pytest.fixture
def world(request: pytest.FixtureRequest, settings: Any, tmp_path: Any) -> Iterator[World]:
    built = build_world(request, settings, APPS, str(tmp_path / "media"))
    _WATCH["current"] = WriteWatch(page_tables(), snapshot)  # in the test's transaction
    yield built
    _WATCH.pop("current", None)


# --- routes from the resolver ---------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "desk:action"
    template: str  # "desk/<int:pk>/<slug:action>/"
    converters: dict[str, Any]
    app: str = ""  # the youjie app whose view it is ("youjie.desk"), where its cases belong

    @property
    def params(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.template)

    def url(self, values: dict[str, str]) -> str:
        def put(match: re.Match[str]) -> str:
            return quote(values[match.group(1)], safe="")

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", put, self.template)

    @property
    def cases_module(self) -> str:
        return f"{self.app.replace('.', '/')}/tests/hostile.py" if self.app else "an app"


def enumerate_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(
        entries: Iterable[URLPattern | URLResolver],
        prefix: str,
        namespace: str,
        converters: dict[str, Any],
        urlconf: str,
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
                module = getattr(entry.urlconf_module, "__name__", urlconf)
                walk(entry.url_patterns, template, inner, found, module)
            else:
                name = f"{namespace}{entry.name}" if entry.name else template
                # The app of the view, or of the URLconf that routes to a stock Django view.
                app = app_of(getattr(entry.callback, "__module__", "")) or app_of(urlconf)
                routes.append(Route(name=name, template=template, converters=found, app=app))

    walk(get_resolver().url_patterns, "", "", {}, "")
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
# Addresses that resolve to nothing (each app adds its own under its prefix).
UNRESOLVABLE = [url for app in APPS for url in app.cases.unresolvable]


def existing_path_values(world: World, found: Iterable[AppCases] = APPS) -> PathValues:
    """Existing objects for each route parameter, including ones a persona may not see: each
    app's ``path_values``."""
    return combine(
        (
            (app.app, app.cases.path_values(world))
            for app in found
            if app.cases.path_values is not None
        ),
        "the path values of",
    )


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


def _query_param_names(found: Iterable[AppCases] = APPS) -> list[str]:
    """Every app's query forms' fields and the query parameters it reads without a form."""
    names: set[str] = set()
    for app in found:
        names.update(app.cases.query_names)
        for form_class in app.cases.query_forms:
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


def hostile_queries(world: World, found: Iterable[AppCases] = APPS) -> list[str]:
    """Each hostile value in every parameter at once, then the combinations one value cannot
    make: a period from year 1 to 9999, too many parameters, and each app's own (the deadline
    calculator at the end of its range, repeated parameters, another county's unit …)."""
    queries = [urlencode(dict.fromkeys(QUERY_PARAMS, value)) for value in HOSTILE_QUERY_VALUES]
    dates = ("date_from", "start"), ("date_to", "end")
    combinations: list[list[tuple[str, str]]] = [
        [(name, "0001-01-01") for name in dates[0]] + [(name, "9999-12-31") for name in dates[1]],
        [(f"field{i}", "x") for i in range(600)],  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    ]
    for app in found:
        if app.cases.query_combinations is not None:
            combinations += app.cases.query_combinations(world)
    return queries + [urlencode(pairs) for pairs in combinations]


# --- requests, writes and refusals ----------------------------------------------------------

_tables: list[str] = []


def page_tables() -> list[str]:
    """Every table but ALWAYS_WRITTEN (the search index's too), worked out once."""
    if not _tables:
        _tables.extend(
            name
            for name in sorted(connection.introspection.table_names())
            if name not in ALWAYS_WRITTEN and name != WATCH_TABLE
        )
    return _tables


def snapshot(tables: set[str] | None = None) -> dict[str, list[str]]:
    """Every row of every table (or of ``tables``), as text, by table."""
    rows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in page_tables():
            if tables is not None and table not in tables:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
    return rows


def written(before: dict[str, list[str]], after: dict[str, list[str]]) -> set[str]:
    return {table for table in before if before[table] != after[table]}


# The write check of the world the test built (tests/hostile/writewatch.py): a refused POST is
# judged by the tables it wrote, compared with their rows before it.
_WATCH: dict[str, WriteWatch] = {}


def post_written(post: Callable[[], Any]) -> tuple[Any, set[str]]:
    """``post()``'s response and the tables whose rows it changed (ALWAYS_WRITTEN aside)."""
    watch = _WATCH.get("current")
    if watch is None:  # no world: every table before and after
        before = snapshot()
        response = post()
        return response, written(before, snapshot())
    watch.begin()
    response = post()
    changed = set(watch.changed())
    watch.reset()
    return response, changed


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
            if body is not None:
                response, changed = post_written(
                    lambda: client.post(
                        url, body, content_type=content_type, REMOTE_ADDR=remote_addr
                    )
                )
            else:
                response, changed = post_written(
                    lambda: client.post(url, materialised, REMOTE_ADDR=remote_addr)
                )
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


# A GET that writes is a defect too, except where an app says why (the OTP page enrols).
GET_MAY_WRITE = combine(((app.app, app.cases.get_may_write) for app in APPS), "GET writes of")


# The personas each route's page answers 200 to, in PERSONAS order: worked out once per run
# (who may open a page does not change between tests; every test builds the same world).
_ANSWERED: dict[str, tuple[str, ...]] = {}


def answered_by(world: World, route: Route, url: str) -> tuple[str, ...]:
    if route.name not in _ANSWERED:
        _ANSWERED[route.name] = tuple(
            persona
            for persona in PERSONAS
            if send(client_for(world, persona), "get", url).status == 200
        )
    return _ANSWERED[route.name]


def query_share(
    world: World, route: Route, url: str, persona: str, queries: list[str]
) -> list[str]:
    """The hostile query strings ``persona`` sends to ``route``: the personas the page answers
    take turns, so that every query string reaches every page once, under one of the roles
    that can open it, rather than once per role (the sweep's time grew with roles × pages ×
    queries). A persona the page answers although the record says otherwise sends them all."""
    sharers = answered_by(world, route, url)
    if persona not in sharers:
        return queries
    return queries[sharers.index(persona) :: len(sharers)]


def get_sweep(world: World, persona: str) -> tuple[list[str], int]:
    """Every route with hostile path values and, where the page answers 200 for ``persona``,
    with its share of the hostile query strings (``query_share``). (Where it refuses,
    redirects or is not found, the views decide so before reading the query: sending it there
    would only repeat the refusal.)"""
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
            for query in query_share(world, route, urls[0], persona, queries):
                check(route, f"{urls[0]}?{query}")
    for url in UNRESOLVABLE:
        outcome = send(client, "get", url)
        count += 1
        if outcome.status != 404:
            failures.append(f"{persona}: GET {_short(url)} → {outcome.status}, expected 404")
    return failures, count


def test_the_write_check_names_what_a_post_wrote_and_what_happened_before_it(world: World) -> None:
    """``post_written`` (the form sweeps' check) names a table the call changed, not one a test
    changed before the call, and nothing for a call that changed nothing."""
    from youjie.orgs.models import OrgUnit

    unit = OrgUnit.objects.get(code="BT-BYEB-FY")
    with transaction.atomic():
        OrgUnit.objects.filter(pk=unit.pk).update(name=unit.name + "（改）")  # before the call
        _response, changed = post_written(lambda: None)
        assert changed == set()
        _response, changed = post_written(
            lambda: OrgUnit.objects.filter(pk=unit.pk).update(name=unit.name)
        )
        assert changed == {"orgs_orgunit"}
        transaction.set_rollback(True)


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_with_hostile_paths_and_queries_never_fails(world: World, persona: str) -> None:
    failures, count = get_sweep(world, persona)
    assert count > 100  # the sweep really ran
    assert not failures, f"{len(failures)} of {count} requests:\n" + "\n".join(failures)


# --- forms ----------------------------------------------------------------------------------

OVER_MEMORY_LIMIT = 2 * 1024 * 1024 + 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE + 1 KB


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


def form_specs(world: World, found: Iterable[AppCases] = APPS) -> list[FormSpec]:
    """Every app's forms (``form_specs`` in its tests/hostile.py)."""
    return [
        spec
        for app in found
        if app.cases.form_specs is not None
        for spec in app.cases.form_specs(world)
    ]


def _materialise(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {key: value() if callable(value) else value for key, value in data.items()}
    files = {k: v for k, v in values.items() if isinstance(v, SimpleUploadedFile)}
    return {k: v for k, v in values.items() if k not in files}, files


def _cookie_values(client: Client) -> dict[str, str]:
    return {name: morsel.value for name, morsel in client.cookies.items()}


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
    # One signed-in client for the cases, as good as a fresh one for each: every case is rolled
    # back, so its session row is as it was; a case that changed the client's cookies (a new
    # session, a message cookie) gets the next case a fresh client. (Signing in anew for each
    # case was a fifth of the sweep's time.)
    client = spec.client(world)
    cookies = _cookie_values(client)
    for case in cases:
        outcome = send(client, "post", case.url or spec.url, merged(spec.base, case.overrides))
        if _cookie_values(client) != cookies:
            client = spec.client(world)
            cookies = _cookie_values(client)
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
# Each app names its own (``body_ignored``), with the persona to send them as.
def body_ignored(found: Iterable[AppCases] = APPS) -> dict[str, str]:
    return combine(((app.app, app.cases.body_ignored) for app in found), "body_ignored")


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
    for name, persona in body_ignored().items():
        url = route_urls(routes[name], existing)[0]
        for body in HOSTILE_BODIES:
            outcome = send(client_for(world, persona), "post", url, body)
            if outcome.status >= 500:
                failures.append(f"POST {url} {sorted(body)[:2]} → {outcome.status} {outcome.error}")
    assert not failures, "\n".join(failures)


def coverage_problems(world: World, found: list[AppCases] = APPS) -> list[str]:
    """What keeps the sweep from covering every route: a parameter without existing values, a
    view answering POST without a form entry, a body_ignored entry or a test of its own, and
    cases given by another app than the route's. Each names the app's tests/hostile.py."""
    routes = enumerate_routes()
    owner = {route.name: route.app for route in routes}
    given: dict[str, set[str]] = {}  # route -> the apps that give cases for it
    for app in found:
        cases = app.cases
        named = [name for name, _param in (cases.path_values(world) if cases.path_values else {})]
        named += [spec.route for spec in (cases.form_specs(world) if cases.form_specs else [])]
        named += [*cases.body_ignored, *cases.posts_tested_elsewhere, *cases.get_may_write]
        for name in named:
            given.setdefault(name, set()).add(app.app)
    problems = [
        f"{name}: cases given by {sorted(apps)}, not beside its code in "
        f"{(owner.get(name) or 'its app').replace('.', '/')}/tests/hostile.py"
        for name, apps in sorted(given.items())
        if apps != {owner.get(name)}
    ]
    existing = existing_path_values(world, found)
    problems += [
        f"no existing values for {route.name}:{param} (path_values in {route.cases_module})"
        for route in routes
        for param in route.params
        if (route.name, param) not in existing
    ]
    if problems:
        return problems
    covered = (
        {spec.route for spec in form_specs(world, found)}
        | set(body_ignored(found))
        | {route for app in found for route in app.cases.posts_tested_elsewhere}
    )
    for route in routes:
        url = route_urls(route, existing)[0]
        for persona in ("receptionist", "administrator"):
            outcome = send(client_for(world, persona), "post", url, {})
            if outcome.status != 405 and route.name not in covered:
                problems.append(
                    f"{route.name} ({url}) answers POST with {outcome.status} without hostile "
                    f"cases (form_specs or body_ignored in {route.cases_module})"
                )
                break
    return problems


def test_every_route_and_form_is_covered(world: World) -> None:
    """A new route needs existing objects for its parameters, and a new POST view needs a
    form entry, a body_ignored entry or a test of its own, in its app's tests/hostile.py."""
    assert len(enumerate_routes()) > 40
    problems = coverage_problems(world)
    assert not problems, "\n".join(problems)


def test_every_app_with_pages_has_its_cases_beside_its_code() -> None:
    """Each app's routes take their cases from that app's own module: the modules found are
    the ones of the apps that have routes with parameters or forms."""
    found = {app.app for app in APPS}
    assert {"youjie.desk", "youjie.people", "youjie.portal", "youjie.courtcases"} <= found
    owners = {route.app for route in enumerate_routes() if route.params}
    assert owners <= found, f"apps with routes but no tests/hostile.py: {owners - found}"


# --- the WeChat callback --------------------------------------------------------------------


def _wechat_query(*, timestamp: str | None = None, signature: str | None = None) -> str:
    timestamp = timestamp or str(int(time.time()))
    nonce = "n0nce123"
    token = django_settings.YOUJIE_WECHAT_TOKEN  # the world's (inbound's tests/hostile.py)
    digest = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
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
            response, changed = post_written(
                partial(client.post, f"{url}?{query}", body, content_type="text/xml", **headers)
            )
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
