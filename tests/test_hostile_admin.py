"""Hostile input on every Django admin page (/admin/), as the administrator: never a 500, and a
refused add form writes nothing and says why in Chinese.

The project's ground rule: "Bad input gets a clear message (Chinese on pages) and writes
nothing. No input may cause a 500." tests/test_hostile_pages.py sweeps the staff pages and only
pins the admin's login form; this file sweeps the admin itself.

* The ModelAdmins are read from ``admin.site._registry``, not listed by hand: a new admin is
  swept the day it is registered. The rows its pages open and the data its add form accepts
  come from its app's ``youjie/<app>/tests/hostile.py`` (``admin_rows``, ``admin_add_data``;
  tests/hostile/cases.py): an admin whose model has no row fails
  ``test_every_model_admin_has_an_object``, one whose add form has no data fails the add sweep.
* The administrator is the demo's: a superuser with the ``administrator`` role
  (youjie.demo.services), who passes the TOTP second factor with a confirmed device, as the
  login would leave the session (the second factor stays enforced).
* GET: every changelist with hostile query strings (unknown filters, bad ordering and pages, a
  5,000-character search, NUL, impossible dates for the date hierarchy, junk in every list
  filter); the add, change, history and delete pages of an existing object and of ids that do
  not exist. Django's admin answers a bad filter with a redirect to ``?e=1``: that is fine.
  A GET must not write either.
* POST: every add form the administrator may use, with all fields empty, then one field at a
  time made hostile on top of data the form accepts (that the untouched data is accepted is
  checked too, so each refusal is the hostile field's doing). A refusal must not be a 500,
  must write nothing (row counts of every model) and must show an error in Chinese.
  Each request runs in a savepoint that is rolled back, so cases do not disturb each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import ModelAdmin
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.hostile.cases import HUGE, World, combine
from tests.test_hostile_pages import (
    APPS,
    CJK,
    alert_texts,
    refusal_texts,
    statement_writes,
    world,  # noqa: F401  (the fixture admin_world builds on)
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Written whatever a request's outcome, so never counted as a refused form's write:
ALWAYS_WRITTEN = {
    # The login, the second factor and the admin's flash messages live in the session row.
    "sessions.session",
    # django-axes records every login by design (the failed ones are the lockout); the sweep's
    # force_login writes one, outside the compared requests.
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    # Reading personal data is audited by design (youjie.core.audit, called from the people and
    # inbound selectors), whether or not the form on the page is then accepted.
    "core.auditentry",
}
ADMIN_URL = "/admin/"


# --- the world and the administrator ------------------------------------------------------


@pytest.fixture
def admin_world(world: World, settings: Any) -> World:  # noqa: F811
    """test_hostile_pages' world, the administrator as the login leaves them, and each app's
    rows for the admins its world leaves empty (``admin_rows``)."""
    settings.YOUJIE_OTP_ENFORCED = True  # the sweep passes the real second factor
    administrator = world.users["administrator"]
    administrator.is_superuser = True  # as youjie.demo.services seeds administrators
    administrator.save(update_fields=["is_superuser"])
    TOTPDevice.objects.create(user=administrator, name="手机", confirmed=True)
    for app in APPS:
        if app.cases.admin_rows is not None:
            app.cases.admin_rows(world)
    return world


def admin_client(sweep: World) -> Client:
    """The administrator, logged in and past the TOTP second factor."""
    administrator = sweep.users["administrator"]
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    device = TOTPDevice.objects.get(user=administrator, confirmed=True)  # from admin_world
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login() stores
    session.save()
    index = client.get(ADMIN_URL)
    assert index.status_code == 200, "the administrator did not reach the admin index"
    return client


def model_admins() -> list[tuple[type[Model], ModelAdmin[Any]]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def admin_url(model: type[Model], suffix: str = "") -> str:
    return f"{ADMIN_URL}{model._meta.app_label}/{model._meta.model_name}/{suffix}"


def administrator_request(sweep: World) -> Any:
    request = RequestFactory().get(ADMIN_URL)
    request.user = sweep.users["administrator"]
    return request


# --- requests and writes ------------------------------------------------------------------


_counted: list[tuple[str, str]] = []  # (model label, quoted table)


def row_counts() -> dict[str, int]:
    """Rows of every model (auto-created many-to-many tables too) but ALWAYS_WRITTEN, in one
    statement (two per POST, hundreds of POSTs)."""
    if not _counted:
        quote_name = connection.ops.quote_name
        _counted.extend(
            (model._meta.label_lower, quote_name(model._meta.db_table))
            for model in apps.get_models(include_auto_created=True)
            if model._meta.label_lower not in ALWAYS_WRITTEN and model._meta.managed
        )
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for _, table in _counted)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {label: count for (label, _), count in zip(_counted, row, strict=True)}


def _always_written_tables() -> set[str]:
    """ALWAYS_WRITTEN's tables, for the statements a GET runs."""
    return {apps.get_model(label)._meta.db_table for label in ALWAYS_WRITTEN}


@dataclass
class Outcome:
    status: int
    written: list[str]
    body: str
    texts: list[str]
    error: str
    redirect: str


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Outcome:
    """One request in a savepoint that is rolled back afterwards, with what it wrote."""
    with transaction.atomic():
        if method == "get":
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            writes = statement_writes(q["sql"] for q in queries.captured_queries)
            written = sorted(writes - _always_written_tables())
        else:
            before = row_counts()
            response = client.post(url, data or {})
            after = row_counts()
            written = sorted(label for label in before if before[label] != after[label])
        transaction.set_rollback(True)
    exc_info = getattr(response, "exc_info", None)
    body = response.content.decode("utf-8", "replace")
    return Outcome(
        status=response.status_code,
        written=written,
        body=body,
        texts=admin_errors(response) if response.status_code < 500 else [],
        error=repr(exc_info[1]) if exc_info else "",
        redirect=response.get("Location", ""),
    )


def admin_errors(response: Any) -> list[str]:
    """The errors the page shows: the admin's error list (form and inlines), a plain form's
    errors (the token page), flash messages."""
    texts = refusal_texts(response)
    context = response.context
    if context is None:
        return texts
    for errors in context.get("errors") or []:  # django.contrib.admin.helpers.AdminErrorList
        texts.extend(str(message) for message in errors)
    form = context.get("form")
    if isinstance(form, forms.BaseForm) and form.is_bound:
        texts.extend(str(message) for messages in form.errors.values() for message in messages)
    return texts


def _short(text: str) -> str:
    return text if len(text) < 160 else text[:150] + f"…({len(text)} chars)"


def get_problems(client: Client, url: str) -> list[str]:
    outcome = send(client, "get", url)
    problems = []
    if outcome.status >= 500:
        problems.append(f"GET {_short(url)}: HTTP {outcome.status} {outcome.error}")
    if outcome.written:
        problems.append(f"GET {_short(url)}: wrote {outcome.written}")
    if outcome.status in (301, 302) and "/login/" in outcome.redirect:
        problems.append(f"GET {_short(url)}: sent to the login page, the sweep is not logged in")
    return problems


# --- GET: changelists, add and change pages -----------------------------------------------

BAD_DATES = ["0", "1", "9999", "-1", "abc", HUGE, "99999", "13", "32", "2026-02-30", "\x00"]


def list_filter_params(model_admin: ModelAdmin[Any], request: Any) -> list[str]:
    """The query parameters the changelist's filters read (``status__exact``, ``year`` …)."""
    changelist = model_admin.get_changelist_instance(request)
    names: list[str] = []
    for spec in changelist.filter_specs:
        names.extend(name for name in spec.expected_parameters() if name)
    return names


def hostile_changelist_queries(model_admin: ModelAdmin[Any], request: Any) -> list[str]:
    queries = [
        "foo=bar",
        "o=999",
        "o=abc",
        "o=1.-2.x",
        f"o={HUGE}",
        "p=-1",
        "p=abc",
        f"p={10**12}",
        "p=%00",
        urlencode({"q": "案" * 5000}),
        urlencode({"q": "a\x00b"}),
        urlencode({"q": "%_\\'\"<script>"}),
        "all=1&_changelist_filters=%00",
        "e=1",
        "_to_field=password",
        "_popup=1&_to_field=id",
        "q=a&q=b&p=1&p=2",
    ]
    for name in list_filter_params(model_admin, request):
        for value in ("zz-无此选项", "\x00", HUGE, "-1", "abc", "a" * 5000):
            queries.append(urlencode({name: value}))
    field = model_admin.date_hierarchy
    if field:
        for part in ("year", "month", "day"):
            for value in BAD_DATES:
                queries.append(urlencode({f"{field}__{part}": value}))
        queries.append(
            urlencode({f"{field}__year": "2026", f"{field}__month": "2"})
            + "&"
            + urlencode({f"{field}__day": "30"})
        )
        queries.append(
            urlencode({f"{field}__year": "9999", f"{field}__month": "12"})
            + "&"
            + urlencode({f"{field}__day": "31"})
        )
    return queries


def hostile_object_ids() -> list[str]:
    return ["0", HUGE, "abc", quote("\x00"), "-1", quote("案" * 200)]


def test_every_model_admin_has_an_object(admin_world: World) -> None:
    registry = model_admins()
    assert len(registry) >= 20, [model._meta.label for model, _ in registry]
    missing = [model._meta.label for model, _ in registry if not model._default_manager.exists()]
    assert not missing, (
        f"no row to open the change page of: {missing} (admin_rows in the app's tests/hostile.py)"
    )


def test_changelists_take_hostile_queries(admin_world: World) -> None:
    client = admin_client(admin_world)
    request = administrator_request(admin_world)
    problems: list[str] = []
    sent = 0
    for model, model_admin in model_admins():
        base = admin_url(model)
        plain = send(client, "get", base)
        assert plain.status == 200, (
            f"{base}: the administrator cannot see the list ({plain.status})"
        )
        for query in hostile_changelist_queries(model_admin, request):
            problems.extend(get_problems(client, f"{base}?{query}"))
            sent += 1
    assert sent > 300
    assert not problems, "\n".join(problems)


def test_add_change_and_missing_object_pages(admin_world: World) -> None:
    client = admin_client(admin_world)
    request = administrator_request(admin_world)
    problems: list[str] = []
    for model, model_admin in model_admins():
        existing = model._default_manager.order_by("pk").first()
        assert existing is not None, model._meta.label
        change = admin_url(model, f"{quote(str(existing.pk))}/change/")
        page = send(client, "get", change)
        assert page.status == 200, f"{change}: HTTP {page.status} {page.error}"
        urls = [admin_url(model, f"{quote(str(existing.pk))}/history/")]
        if model_admin.has_add_permission(request):
            added = send(client, "get", admin_url(model, "add/"))
            assert added.status == 200, f"{model._meta.label} add page: {added.status}"
            urls.append(admin_url(model, "add/?_popup=1&_to_field=%00"))
            urls.append(admin_url(model, "add/?" + urlencode({"_changelist_filters": "a" * 5000})))
        for pk in hostile_object_ids():
            urls.extend(
                admin_url(model, f"{pk}/{suffix}")
                for suffix in ("change/", "history/", "delete/", "")
            )
        for url in urls:
            problems.extend(get_problems(client, url))
    assert not problems, "\n".join(problems)


# --- POST: add forms ----------------------------------------------------------------------


def valid_add_data(sweep: World) -> dict[str, dict[str, Any]]:
    """Data each add form accepts, by model label (inline management forms are added): each
    app's ``admin_add_data``."""
    return combine(
        (
            (app.app, app.cases.admin_add_data(sweep))
            for app in APPS
            if app.cases.admin_add_data is not None
        ),
        "the admin add data of",
    )


def form_and_formsets(outcome_context: Any) -> tuple[forms.BaseForm, list[Any]]:
    context = outcome_context
    if "adminform" in context:
        return context["adminform"].form, [
            f.formset for f in context.get("inline_admin_formsets", [])
        ]
    return context["form"], []


def management_data(formsets: list[Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for formset in formsets:
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def hostile_values(field: forms.Field) -> list[tuple[str, Any]]:
    values: list[tuple[str, Any]] = [("NUL", "a\x00b"), ("10万字", "案" * 100_000)]
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        values += [("无效选项", "zz-无此选项"), ("巨大编号", HUGE), ("负数", "-1")]
    if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
        values += [
            ("不存在的日期", "2026-02-30"),
            ("超大年份", "99999-01-01"),
            ("零年", "0000-01-01"),
        ]
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        values += [("巨大数", HUGE), ("科学记数", "1e400"), ("NaN", "NaN"), ("负数", "-1")]
    return values


@dataclass
class AddForm:
    label: str
    url: str
    valid: dict[str, Any]
    fields: dict[str, forms.Field]


def add_forms(sweep: World, client: Client) -> list[AddForm]:
    request = administrator_request(sweep)
    data = valid_add_data(sweep)
    found = []
    for model, model_admin in model_admins():
        if not model_admin.has_add_permission(request):
            continue
        url = admin_url(model, "add/")
        response = client.get(url)
        assert response.status_code == 200, url
        form, formsets = form_and_formsets(response.context)
        label = model._meta.label
        assert label in data, (
            f"{label}: no valid data for its add form (admin_add_data in the tests/hostile.py "
            "of the app it belongs to, or that registers it)"
        )
        valid = {**initial_data(form), **management_data(formsets), **data[label]}
        fields = dict(form.fields)
        found.append(AddForm(label=label, url=url, valid=valid, fields=fields))
    return found


def initial_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the add page's form holds before anyone types (the fields' defaults)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.MultipleChoiceField):
            data[name] = list(value or [])
        elif value is not None and not isinstance(field.widget, forms.MultiWidget):
            data[name] = value
    return data


def refusal_problems(case: str, outcome: Outcome) -> list[str]:
    if outcome.status >= 500:
        return [f"{case}: HTTP {outcome.status} {outcome.error}"]
    problems = []
    if outcome.written:
        problems.append(f"{case}: wrote {outcome.written}")
    texts = outcome.texts + alert_texts(outcome.body)
    said = any(CJK.search(text) for text in texts)
    if outcome.status == 200 and "errorlist" not in outcome.body:
        problems.append(f"{case}: HTTP 200 without an error note")
    elif outcome.status < 400 and not said:
        problems.append(
            f"{case}: HTTP {outcome.status} without a Chinese error ({outcome.redirect})"
        )
    elif outcome.status >= 400 and not CJK.search(outcome.body):
        problems.append(f"{case}: HTTP {outcome.status} without Chinese")
    return problems


# Fields where -1 is a valid value (a TOTP device's start time and clock drift, django_otp).
NEGATIVE_ALLOWED = {pair for app in APPS for pair in app.cases.admin_negative_allowed}


def test_add_forms_refuse_hostile_input_and_write_nothing(admin_world: World) -> None:
    client = admin_client(admin_world)
    specs = add_forms(admin_world, client)
    assert len(specs) >= 8, [spec.label for spec in specs]
    problems: list[str] = []
    cases = 0
    for spec in specs:
        accepted = send(client, "post", spec.url, spec.valid)
        assert accepted.status in (200, 302) and accepted.written, (  # the token page is a 200
            f"{spec.label}: the valid data is refused ({accepted.status}): "
            f"{accepted.texts or alert_texts(accepted.body)} {accepted.error}"
        )
        empty = {k: v for k, v in spec.valid.items() if k.endswith("_FORMS")}
        problems.extend(
            refusal_problems(f"{spec.label} empty", send(client, "post", spec.url, empty))
        )
        cases += 1
        for name, field in spec.fields.items():
            if isinstance(field, forms.BooleanField | forms.FileField) or field.disabled:
                continue
            for what, value in hostile_values(field):
                if isinstance(field.widget, forms.MultiWidget):  # date and time inputs
                    data = {**spec.valid, f"{name}_0": value, f"{name}_1": value}
                else:
                    data = {**spec.valid, name: value}
                if name in ("password1", "password2"):
                    data.update(password1=value, password2=value)
                outcome = send(client, "post", spec.url, data)
                cases += 1
                if (spec.label, name) in NEGATIVE_ALLOWED and what == "负数":
                    assert outcome.status < 500, f"{spec.label}.{name}: {outcome.error}"
                    continue
                if name in ("password1", "password2") and what == "10万字":
                    # Django sets no upper limit on a password's length (the hash has a fixed
                    # size): accepted, but it must not fail.
                    assert outcome.status < 500, f"{spec.label}.{name}: {outcome.error}"
                    continue
                problems.extend(refusal_problems(f"{spec.label}.{name} {what}", outcome))
    assert cases > 100
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "query",
    [
        f"created_at__year={HUGE}",  # OverflowError in datetime()
        "created_at__year=9999&created_at__month=12&created_at__day=31",  # the next day overflows
        "created_at__year=9999",  # the next year overflows
        "created_at__year=1",  # 0001-01-01 in Asia/Shanghai is before year 1 in UTC
    ],
)
def test_an_impossible_date_hierarchy_date_is_a_bad_filter(admin_world: World, query: str) -> None:
    """Was a 500 (youjie.core.admin.BoundedDateChangeList): now Django's ?e=1 redirect."""
    client = admin_client(admin_world)
    for url in ("/admin/notifications/notification/", "/admin/axes/accesslog/"):
        field = "attempt_time" if "axes" in url else "created_at"
        response = client.get(f"{url}?{query.replace('created_at', field)}")
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].endswith("?e=1")
        shown = client.get(response["Location"])
        assert shown.status_code == 200 and CJK.search(shown.content.decode())


def test_a_negative_amount_is_refused_in_the_court_case_admin(admin_world: World) -> None:
    """Was accepted (the import refuses it): youjie.courtcases.admin.CourtCaseAdminForm."""
    client = admin_client(admin_world)
    spec = next(s for s in add_forms(admin_world, client) if s.label == "courtcases.CourtCase")
    outcome = send(client, "post", spec.url, {**spec.valid, "amount": "-0.01"})
    assert outcome.status == 200 and not outcome.written
    assert "标的额应为不小于 0 的数字" in outcome.texts


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orgs/region/%00/change/",  # a text primary key
        "/admin/desk/servicerequest/?status__exact=%00",  # a list filter
        "/admin/orgs/orgunit/?q=a%00b",
    ],
)
def test_a_nul_in_an_admin_url_is_a_400_in_chinese(admin_world: World, url: str) -> None:
    """Was a 500 on PostgreSQL (youjie.core.middleware.AdminNulGuardMiddleware)."""
    response = admin_client(admin_world).get(url)
    assert response.status_code == 400
    assert "不能包含空字符" in response.content.decode()


def test_hostile_ids_in_a_many_to_many_select_are_refused(admin_world: World) -> None:
    """``permissions=999…9`` was a 500 (youjie.core.admin.BoundedModelMultipleChoiceField)."""
    client = admin_client(admin_world)
    for pk in (HUGE, "-1", "abc"):
        outcome = send(client, "post", "/admin/auth/group/add/", {"name": "组", "permissions": pk})
        assert outcome.status == 200 and not outcome.written, (pk, outcome.error)
        assert any(pk in text and CJK.search(text) for text in outcome.texts), outcome.texts


def test_an_empty_token_form_shows_the_required_fields(admin_world: World) -> None:
    """An empty POST showed the blank form without a word (youjie.orgs.admin.add_view)."""
    outcome = send(admin_client(admin_world), "post", "/admin/orgs/apitoken/add/", {})
    assert outcome.status == 200 and not outcome.written
    assert "这个字段是必填项。" in outcome.texts
