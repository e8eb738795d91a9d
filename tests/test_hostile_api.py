"""Hostile input against every operation of /api/v1, driven by the OpenAPI document.

The ground rule: bad input gets a 4xx with a machine-readable code and writes nothing; no input
causes a 500. Rather than listing endpoints by hand (tests/test_bad_input.py does a few), the
operations come from the document the API serves, so an endpoint added tomorrow is attacked too.

For each operation:
- path parameters: 0, -1, 30 nines, 'abc', NUL, 300 characters, …, an id that exists but lies
  outside the caller's scope (it must be answered exactly like an id that does not exist);
- query parameters: per declared type, wrong types, out-of-range numbers, impossible dates,
  unknown enum values, 5,000-character strings, full-text-search operators;
- bodies: per property of the request schema, wrong types, nulls, missing fields, 100k-character
  strings, NUL bytes, lone surrogates, huge numbers, deep nesting; then non-JSON bodies, an empty
  body, JSON the parser chokes on, a body over the size limit, wrong content types; then bodies
  drawn by hypothesis from the schema;
- callers: anonymous, a session (receptionist, division head), a bearer token, X-API-Key.

The values the cases are built from — an in-scope, an out-of-scope and a missing value for
every path parameter, valid values for body properties, a valid file for every upload — come
from each app's ``youjie/<app>/tests/hostile.py`` (``api_build``, ``api_files``;
tests/hostile/cases.py), so that a new app's operations are attacked without editing this file;
``test_every_operation_has_values_for_its_parameters`` names the module a value is missing from.

Every response is checked: status below 500; every 4xx is JSON shaped as the API's one error
format (``youjie/api/urls.py``: {code, message, fields?, extra?}, the messages in Chinese); and a
4xx to a write leaves every table as it was (row counts and contents). Each call runs in a
savepoint rolled back afterwards, so every case starts from the same world and a call that
succeeds does not spoil the next.
"""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from datetime import timezone as dt_timezone
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.hostile.cases import PDF, ApiWorld, combine, discover
from tests.hostile.writewatch import WATCH_TABLE, committed_triggers
from tests.hostile.writewatch import WriteWatch as BaseWriteWatch
from youjie.api.urls import api
from youjie.desk.models import ServiceRequest

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
APPS = discover()


# --- the document -----------------------------------------------------------------------------


SCHEMA: dict[str, Any] = api.get_openapi_schema()


def resolve(node: Any) -> Any:
    """The schema with every ``$ref`` replaced by its target and one-element ``allOf`` merged."""
    if isinstance(node, list):
        return [resolve(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        target = resolve(SCHEMA["components"]["schemas"][name])
        return {**target, **{k: resolve(v) for k, v in node.items() if k != "$ref"}}
    resolved = {key: resolve(value) for key, value in node.items()}
    if "allOf" in resolved and len(resolved["allOf"]) == 1:
        inner = resolved.pop("allOf")[0]
        resolved = {**inner, **resolved}
    return resolved


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # path, query, header
    schema: dict[str, Any]
    required: bool


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    params: tuple[Param, ...]
    content_type: str | None  # of the request body, None without one
    body_schema: dict[str, Any] | None
    public: bool

    @property
    def id(self) -> str:
        return f"{self.method} {self.path.removeprefix(PREFIX)}"

    def of(self, location: str) -> list[Param]:
        return [param for param in self.params if param.location == location]

    def url(self, values: dict[str, Any]) -> str:
        url = self.path
        for param in self.of("path"):
            url = url.replace("{" + param.name + "}", quote(str(values[param.name]), safe=""))
        return url


def operations() -> list[Operation]:
    found = []
    for path, methods in SCHEMA["paths"].items():
        for method, spec in methods.items():
            params = tuple(
                Param(p["name"], p["in"], resolve(p.get("schema", {})), bool(p.get("required")))
                for p in spec.get("parameters", [])
            )
            content = spec.get("requestBody", {}).get("content", {})
            content_type = next(iter(content), None)
            body = resolve(content[content_type]["schema"]) if content_type else None
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    params=params,
                    content_type=content_type,
                    body_schema=body,
                    public=not spec.get("security"),
                )
            )
    return found


OPERATIONS = operations()
BY_ID = {operation.id: operation for operation in OPERATIONS}
JSON_BODY_OPERATIONS = [op.id for op in OPERATIONS if op.content_type == "application/json"]
MULTIPART_OPERATIONS = [op.id for op in OPERATIONS if op.content_type == "multipart/form-data"]


def kind_of(schema: dict[str, Any]) -> str:
    """The one type a parameter or property is declared with (nullable unions unwrapped)."""
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return kind_of(options[0]) if options else "null"
    if "enum" in schema:
        return "enum"
    if schema.get("format") in ("date", "date-time", "binary"):
        return str(schema["format"])
    return str(schema.get("type", "any"))


def unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    if "anyOf" in schema:
        options = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return {**options[0], **{k: v for k, v in schema.items() if k != "anyOf"}}
    return schema


# --- what every response must satisfy ---------------------------------------------------------

ERROR_KEYS = {"code", "message", "fields", "extra"}
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
# Messages are for people, in Simplified Chinese (youjie/core/errors.py), never a parser's English.
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def error_shape_problems(response: Any) -> list[str]:
    """How a 4xx deviates from the API's one error format {code, message, fields?, extra?}."""
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("application/json"):
        return [f"4xx body is not JSON ({content_type!r}: {response.content[:60]!r})"]
    try:
        body = json.loads(response.content)
    except ValueError:
        return [f"4xx body does not parse as JSON: {response.content[:60]!r}"]
    if not isinstance(body, dict):
        return [f"4xx body is not an object: {body!r:.80}"]
    problems = []
    if set(body) - ERROR_KEYS:
        problems.append(f"unexpected keys {sorted(set(body) - ERROR_KEYS)}")
    code = body.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        problems.append(f"code is not a machine-readable string: {code!r}")
    message = body.get("message")
    if not isinstance(message, str) or not CHINESE.search(message):
        problems.append(f"message is not a Chinese sentence: {message!r:.80}")
    fields = body.get("fields", {})
    if not isinstance(fields, dict) or not all(
        isinstance(key, str)
        and isinstance(value, list)
        and value
        and all(isinstance(m, str) and m for m in value)
        for key, value in fields.items()
    ):
        problems.append(f"fields is not {{name: [message, …]}}: {fields!r:.120}")
    else:
        untranslated = [m for value in fields.values() for m in value if not CHINESE.search(m)]
        if untranslated:
            problems.append(f"field message not in Chinese: {untranslated[0]!r:.80}")
    if not isinstance(body.get("extra", {}), dict):
        problems.append(f"extra is not an object: {body.get('extra')!r:.80}")
    return problems


def error_code(response: Any) -> str | None:
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


# Tables a refused call may legitimately write: they record the attempt, not its content.
EXCLUDED_TABLES = {
    # The session middleware may save (and so rewrite) the caller's session on any response.
    "django_session",
    # django-axes records authentication attempts, failed ones above all.
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
    # The audit log records every full view of personal data, whatever the call's outcome.
    "core_auditentry",
    # Rate-limit counters count attempts; a refused attempt must count.
    "portal_ratelimitcounter",
}
# Columns that record the call itself: token authentication stamps the token's last use.
EXCLUDED_COLUMNS = {("orgs_apitoken", "last_used_at")}


_STATEMENTS: list[tuple[str, str]] = []


def _statements() -> list[tuple[str, str]]:
    """(table, SELECT of its columns) for every table, worked out once (introspection is slow)."""
    if not _STATEMENTS:
        tables = set(connection.introspection.table_names())
        model_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
        assert model_tables <= tables, model_tables - tables
        with connection.cursor() as cursor:
            for table in sorted(tables - EXCLUDED_TABLES - {WATCH_TABLE}):
                description = connection.introspection.get_table_description(cursor, table)
                columns = [c.name for c in description if (table, c.name) not in EXCLUDED_COLUMNS]
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                select = f"SELECT {quoted} FROM {connection.ops.quote_name(table)}"
                _STATEMENTS.append((table, select))
    return _STATEMENTS


def database_state(tables: set[str] | None = None) -> dict[str, tuple[int, str]]:
    """(row count, content digest) of every table: every model's (apps.get_models(), with the
    many-to-many tables) and every table outside the ORM (the full-text index), minus the
    exclusions above — or of ``tables`` only. A digest of the rows catches an UPDATE that a row
    count would miss."""
    state = {}
    with connection.cursor() as cursor:
        for table, select in _statements():
            if tables is not None and table not in tables:
                continue
            cursor.execute(select)
            rows = sorted(repr(row) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
            state[table] = (len(rows), digest)
    return state


class WriteWatch(BaseWriteWatch):
    """The sweeps' write check (tests/hostile/writewatch.py) over ``database_state``'s digests."""

    def __init__(self) -> None:
        # The statements are worked out before the watch's own table exists.
        super().__init__([table for table, _select in _statements()], database_state)

    def changes(self, since: dict[str, tuple[int, str]] | None = None) -> str:
        """What was written since the last reset, against ``since`` (the baseline), in words."""
        changed = self.changed(since)
        return state_changes(
            {table: before or (0, "") for table, (before, _after) in changed.items()},
            {table: after for table, (_before, after) in changed.items()},
        )


def state_changes(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> str:
    changed = []
    for table in sorted(set(before) | set(after)):
        old, new = before.get(table, (0, "")), after.get(table, (0, ""))
        if old != new:
            verb = "rows changed" if old[0] == new[0] else f"{old[0]} → {new[0]} rows"
            changed.append(f"{table} ({verb})")
    return ", ".join(changed)


# --- the world --------------------------------------------------------------------------------


World = ApiWorld  # the callers and the values the cases are built from


def _client(**headers: str) -> Client:
    # A 500 comes back as a response (with exc_info) so that one run lists every defect.
    return Client(raise_request_exception=False, headers=headers)


def _session(user: Any, *, enforce_csrf_checks: bool = False) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=enforce_csrf_checks)
    client.force_login(user)
    return client


# The personas the callers are (conftest.py); apps' api_build functions may use them.
API_USERS = ("receptionist", "judge", "division_head")


@pytest.fixture(scope="module", autouse=True)
def watch_triggers(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The write check's triggers, committed once for the module on SQLite (``committed_triggers``:
    created in each test's transaction they made every rolled-back call re-read the schema)."""
    with django_db_blocker.unblock(), committed_triggers():
        yield


@pytest.fixture
def world(request: pytest.FixtureRequest) -> World:
    """Each app's records in the court and in another one (INSTALLED_APPS order: an app builds
    on the apps before it), then the callers: anonymous, two sessions, the court's API token
    as a bearer and as X-API-Key, a session whose CSRF token is checked."""
    world = World({name: request.getfixturevalue(name) for name in API_USERS})
    for app in APPS:
        if app.cases.api_build is not None:
            values = (world.inside, world.outside, world.missing, world.hints)
            before = [dict(mapping) for mapping in values]
            app.cases.api_build(world)
            for earlier, mapping in zip(before, values, strict=True):
                changed = [k for k, v in earlier.items() if mapping.get(k) != v]
                assert not changed, f"{app.app} changes values another app gave: {changed}"
    court_key = world.keys["court"]
    receptionist, division_head = world.users["receptionist"], world.users["division_head"]
    world.clients.update(
        anonymous=_client(),
        receptionist=_session(receptionist),
        division_head=_session(division_head),
        token=_client(Authorization=f"Bearer {court_key}"),
        api_key=_client(**{"X-API-Key": court_key}),
        csrf_enforced=_session(receptionist, enforce_csrf_checks=True),
    )
    world.watch = WriteWatch()  # the same baseline for every call: each is rolled back
    return world


API_FILES = combine(((app.app, app.cases.api_files) for app in APPS), "api_files")


# --- sending cases ----------------------------------------------------------------------------


@dataclass
class Case:
    operation: Operation
    caller: str
    label: str
    url: str
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # WSGI environ overrides

    def __post_init__(self) -> None:
        self.method = self.method or self.operation.method


def server_error(response: Any) -> str:
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return f"{response.status_code}: {response.content[:120]!r}"
    frames = [f for f in traceback.extract_tb(exc_info[2]) if "/youjie/" in f.filename]
    where = f" at {frames[-1].filename.split('/youjie/')[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{response.status_code}: {exc_info[0].__name__}: {str(exc_info[1])[:120]}{where}"


class Probe:
    """Sends cases, each in a savepoint rolled back afterwards, and keeps every broken rule."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.watch: WriteWatch = world.watch
        self.failures: dict[str, list[str]] = {}
        self.sent = 0

    def send(self, case: Case) -> Any:
        client = self.world.clients[case.caller]
        self.watch.begin()
        extra: dict[str, Any] = dict(case.meta)
        if case.body and case.content_type is None:
            extra["CONTENT_TYPE"] = ""  # a body without a Content-Type header
        with transaction.atomic():
            response = client.generic(
                case.method,
                case.url,
                data=case.body,
                content_type=case.content_type or "",
                headers=case.headers,
                **extra,
            )
            problems = self.problems(case, response)
            if case.method in WRITE_METHODS and 400 <= response.status_code < 500:
                changes = self.watch.changes()
                if changes:
                    problems.append(f"a {response.status_code} wrote: {changes}")
            transaction.set_rollback(True)
        self.sent += 1
        for problem in problems:
            # One line per (operation, kind of problem); the first example of each is kept.
            key = f"{case.method} {case.operation.id.split(' ', 1)[1]}: {problem}"
            self.failures.setdefault(key, []).append(f"{case.caller} · {case.label}")
        return response

    @staticmethod
    def problems(case: Case, response: Any) -> list[str]:
        status = response.status_code
        if status >= 500:
            return [f"server error {server_error(response)}"]
        if not (200 <= status < 300 or 400 <= status < 500):
            return [f"unexpected status {status}"]
        if status >= 400:
            return error_shape_problems(response)
        if not case.operation.public and case.caller == "anonymous":
            return [f"anonymous call answered {status}"]
        if not response.get("Content-Type", "").startswith("application/json"):
            return [f"{status} answer is not JSON: {response.get('Content-Type')!r}"]
        return []

    def fail(self, message: str, example: str) -> None:
        self.failures.setdefault(message, []).append(example)

    def report(self) -> str:
        lines = [f"{len(self.failures)} kinds of failure in {self.sent} calls:"]
        for key, examples in sorted(self.failures.items()):
            lines.append(f"  {key}\n      e.g. {examples[0]} ({len(examples)} cases)")
        return "\n".join(lines)


@pytest.fixture
def probe(world: World) -> Probe:
    return Probe(world)


# --- valid and hostile values -----------------------------------------------------------------


def valid_value(schema: dict[str, Any], name: str, hints: dict[str, Any]) -> Any:
    if name in hints:
        return hints[name]
    if "default" in schema:
        return schema["default"]
    schema = unwrap(schema)
    kind = kind_of(schema)
    if kind == "enum":
        return schema["enum"][0]
    if kind == "date":
        return "2026-11-23"
    if kind == "date-time":
        return "2026-11-23T09:00:00+08:00"
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "object":
        return valid_body(schema, hints)
    if kind == "array":
        return []
    return "诉讼服务"


def valid_body(schema: dict[str, Any], hints: dict[str, Any]) -> dict[str, Any]:
    return {
        name: valid_value(prop, name, hints)
        for name, prop in schema.get("properties", {}).items()
        if name in schema.get("required", []) or name in hints
    }


LONE_SURROGATE = "\ud800"
INVALID_UTF8 = "@@invalid-utf-8@@"
HUGE_STRING = "x" * 100_000


def deep(levels: int) -> Any:
    value: Any = "底"
    for _ in range(levels):
        value = {"a": value}
    return value


# Wrong in some way for every declared type: nulls, wrong types, extremes.
ANY_HOSTILE: list[tuple[str, Any]] = [
    ("null", None),
    ("empty list", []),
    ("list", [1, "a", None]),
    ("empty object", {}),
    ("operator object", {"$gt": ""}),
    ("deep object", deep(200)),
    ("true", True),
    ("zero", 0),
    ("minus one", -1),
    ("1e30", 10**30),
    ("-1e30", -(10**30)),
    ("2**63", 2**63),
    ("float", 1.5),
    ("1e308", 1e308),
    ("infinity", float("inf")),
    ("nan", float("nan")),
    ("empty string", ""),
    ("blank string", "   "),
    ("100k string", HUGE_STRING),
    ("NUL", "\x00"),
    ("embedded NUL", "标\x00题"),
    ("lone surrogate", LONE_SURROGATE),
    ("bidi override", "\u202e诉求"),
    ("emoji", "😀" * 60),
    ("markup", "<script>alert(1)</script>"),
    ("sql", "' OR 1=1 --"),
    ("format", "%s%s%n{0}"),
    ("path", "../../etc/passwd"),
    ("fullwidth digits", "１２３"),
    ("arabic digits", "١٢٣"),
    ("impossible date", "2026-13-40"),
    ("impossible datetime", "2026-13-40T25:61:00+08:00"),
    ("naive datetime", "2026-11-23T09:00:00"),
    ("far datetime", "9999-12-31T23:59:59+14:00"),
    ("ancient datetime", "0001-01-01T00:00:00+08:00"),
    ("year one UTC", "0001-01-02T00:00:00+00:00"),
    ("year 1900", "1900-01-01T00:00:00+08:00"),
    ("year 9999 west", "9999-12-31T23:59:59-12:00"),
    ("epoch number", 10**20),
    ("unknown enum", "no_such_value"),
]


def property_mutations(schema: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(property, label, value or MISSING) for every property of an object schema."""
    for name, prop in schema.get("properties", {}).items():
        yield name, "missing", MISSING
        for label, value in ANY_HOSTILE:
            yield name, label, value
        spec = unwrap(prop)
        if "maxLength" in spec:
            yield name, "one over maxLength", "长" * (spec["maxLength"] + 1)
        if "maximum" in spec:
            yield name, "one over maximum", spec["maximum"] + 1
        if "minimum" in spec:
            yield name, "one under minimum", spec["minimum"] - 1


MISSING = object()


def dumps(value: Any) -> bytes:
    """UTF-8 JSON; with \\u escapes where a string holds a lone surrogate (which a client can
    only send escaped)."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("ascii")


def raw_bodies(valid: dict[str, Any]) -> list[tuple[str, bytes, str | None]]:
    """(label, body, content type): bodies no JSON schema describes."""
    first = next(iter(valid), "x").encode()
    duplicate = dumps(valid)[:-1] + b', "%s": null}' % first
    limit = int(settings.YOUJIE_MAX_REQUEST_BODY_BYTES)
    memory = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    fields = {key: "" if value is None else str(value) for key, value in valid.items()}
    form = urlencode(fields).encode()
    return [
        ("empty body", b"", "application/json"),
        ("not JSON", b"{not json", "application/json"),
        ("truncated JSON", dumps(valid)[:-1], "application/json"),
        ("JSON null", b"null", "application/json"),
        ("JSON array", b"[1, 2]", "application/json"),
        ("JSON string", b'"body"', "application/json"),
        ("JSON number", b"123", "application/json"),
        ("NaN literal", b'{"%s": NaN}' % first, "application/json"),
        ("duplicate keys", duplicate if valid else b'{"a": 1, "a": 2}', "application/json"),
        ("5,000-digit integer", b'{"%s": %s}' % (first, b"1" * 5000), "application/json"),
        ("deeply nested array", b"[" * 100_000 + b"]" * 100_000, "application/json"),
        ("deeply nested object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
        ("invalid UTF-8", b'{"%s": "\xff\xfe"}' % first, "application/json"),
        ("UTF-16", json.dumps(valid).encode("utf-16"), "application/json"),
        ("BOM", b"\xef\xbb\xbf" + dumps(valid), "application/json"),
        ("over the memory limit", b'{"%s": "%s"}' % (first, b"x" * memory), "application/json"),
        ("over the size limit", b'{"x": "' + b"x" * limit + b'"}', "application/json"),
        ("text/plain", dumps(valid), "text/plain"),
        ("no content type", dumps(valid), None),
        ("form-urlencoded", form, "application/x-www-form-urlencoded"),
        ("1,000 form fields", form + b"&f=1" * 1000, "application/x-www-form-urlencoded"),
        ("multipart", encode_multipart(BOUNDARY, fields), MULTIPART_CONTENT),
        ("broken multipart", b"--nope\r\n\r\nhello", "multipart/form-data; boundary=nope"),
        ("multipart without boundary", dumps(valid), "multipart/form-data"),
        ("xml", b"<request><title>x</title></request>", "application/xml"),
        ("json with charset", dumps(valid), "application/json; charset=latin-1"),
        ("bogus charset", dumps(valid), "application/json; charset=no-such-charset"),
    ]


# --- the tests --------------------------------------------------------------------------------


def test_the_write_watch_sees_what_a_call_wrote_and_not_what_it_undid(world: World) -> None:
    """The sweeps' write check (WriteWatch) names a table an UPDATE or INSERT changed, and not
    one whose write was rolled back inside the call; an UPDATE to the same values is no change."""
    watch = world.watch
    request = ServiceRequest.objects.first()
    assert request is not None
    with transaction.atomic():
        assert watch.changes() == ""
        ServiceRequest.objects.filter(pk=request.pk).update(title=request.title + "改")
        assert watch.changes() == "desk_servicerequest (rows changed)"
        transaction.set_rollback(True)
    with transaction.atomic():
        with transaction.atomic():
            ServiceRequest.objects.filter(pk=request.pk).update(title="撤回的修改")
            transaction.set_rollback(True)
        assert watch.written() == watch.unwatched
        ServiceRequest.objects.filter(pk=request.pk).update(title=request.title)
        assert "desk_servicerequest" in watch.written()
        assert watch.changes() == ""
        transaction.set_rollback(True)


def test_the_served_document_is_the_one_enumerated(world: World) -> None:
    response = world.clients["anonymous"].get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert {(p, m) for p, ms in served["paths"].items() for m in ms} == {
        (op.path, op.method.lower()) for op in OPERATIONS
    }
    # Every route the API mounts is in the document, so every one is attacked below.
    patterns, _app, _namespace = api.urls
    routes = {
        PREFIX + "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in patterns
        if getattr(pattern, "name", "") not in ("openapi-json", "openapi-view", "api-root")
    }
    assert routes == {op.path for op in OPERATIONS}


HOSTILE_PATH_VALUES: list[tuple[str, Any]] = [
    ("zero", 0),
    ("minus one", -1),
    ("30 nines", "9" * 30),
    ("2**63", 2**63),
    ("letters", "abc"),
    ("NUL", "\x00"),
    ("300 characters", "x" * 300),
    ("percent", "%"),
    ("dot dot", ".."),
    ("traversal", "../../etc/passwd"),
    ("space", " "),
    ("chinese", "保"),
    ("fullwidth digits", "１２"),
]
PATH_CALLERS = ("anonymous", "receptionist", "division_head", "token")


def request_parts(operation: Operation, world: World) -> tuple[bytes, str | None]:
    if operation.content_type == "application/json":
        assert operation.body_schema is not None
        return dumps(valid_body(operation.body_schema, world.hints)), "application/json"
    if operation.content_type == "multipart/form-data":
        return encode_multipart(BOUNDARY, valid_form(operation, world)), MULTIPART_CONTENT
    return b"", None


def valid_form(operation: Operation, world: World) -> dict[str, Any]:
    assert operation.body_schema is not None
    form: dict[str, Any] = {}
    for name, prop in operation.body_schema.get("properties", {}).items():
        if prop.get("format") == "binary":
            form[name] = API_FILES[name]()  # the app's api_files
        else:
            form[name] = valid_value(prop, name, world.hints)
    return form


def test_every_operation_has_values_for_its_parameters(world: World) -> None:
    """A new operation's path parameters need an in-scope value (and, where a record may lie
    outside the caller's scope, an outside and a missing one) and its uploads a valid file,
    from its app's api_build / api_files in youjie/<app>/tests/hostile.py."""
    problems = []
    for operation in OPERATIONS:
        for param in operation.of("path"):
            if param.name not in world.inside:
                problems.append(f"{operation.id}: no in-scope value for {param.name!r}")
            if param.name in world.outside and param.name not in world.missing:
                problems.append(f"{operation.id}: no missing value for {param.name!r}")
        for name, prop in (operation.body_schema or {}).get("properties", {}).items():
            if prop.get("format") == "binary" and name not in API_FILES:
                problems.append(f"{operation.id}: no valid file for the upload {name!r}")
    assert not problems, "\n".join(problems)


def test_hostile_path_parameters(world: World, probe: Probe) -> None:
    """Every path parameter of every operation, for every caller; an existing record outside the
    caller's scope must be answered exactly as a record that does not exist (no leak)."""
    with_path = [op for op in OPERATIONS if op.of("path")]
    assert with_path
    for operation in with_path:
        for param in operation.of("path"):
            for caller in PATH_CALLERS:
                outcomes: dict[str, tuple[int, str | None]] = {}
                values = [*HOSTILE_PATH_VALUES, ("in scope", world.inside[param.name])]
                if param.name in world.outside:
                    values.append(("outside scope", world.outside[param.name]))
                    values.append(("nonexistent", world.missing[param.name]))
                for label, value in values:
                    body, content_type = request_parts(operation, world)
                    case = Case(
                        operation,
                        caller,
                        f"{param.name}={label}",
                        operation.url({**world.inside, param.name: value}),
                        body,
                        content_type,
                    )
                    response = probe.send(case)
                    outcomes[label] = (response.status_code, error_code(response))
                    # The world is right, so that the comparison below means something.
                    reads_in_scope = (label, caller, operation.method) == (
                        "in scope",
                        "receptionist",
                        "GET",
                    )
                    if reads_in_scope and response.status_code != 200:
                        probe.fail(f"{operation.id}: in scope {response.status_code}", caller)
                if "outside scope" in outcomes:
                    outside, missing = outcomes["outside scope"], outcomes["nonexistent"]
                    if outside != missing or 200 <= outside[0] < 300:
                        probe.fail(
                            f"{operation.id}: outside the scope {outside} but nonexistent "
                            f"{missing}",
                            f"{caller} · {param.name}",
                        )
    assert not probe.failures, probe.report()


def hostile_query_values(schema: dict[str, Any]) -> list[tuple[str, str]]:
    values = [
        ("empty", ""),
        ("NUL", "\x00"),
        ("5,000 characters", "x" * 5000),
        ("5,000 chinese", "保" * 5000),
        ("sql", "' OR 1=1 --"),
        ("fts quote", '"'),
        ("fts operators", "NEAR(离婚 OR *) AND ^:"),
        ("percent", "%_"),
        ("lone surrogate escaped", "%ED%A0%80"),
    ]
    kind = kind_of(schema)
    if kind in ("integer", "number"):
        values += [
            ("letters", "abc"),
            ("negative", "-1"),
            ("zero", "0"),
            ("huge", "9" * 30),
            ("huge negative", "-" + "9" * 30),
            ("2**63", str(2**63)),
            ("100,000", "100000"),
            ("decimal", "1.5"),
            ("exponent", "1e3"),
            ("hex", "0x10"),
            ("arabic digits", "١٢"),
            ("fullwidth digits", "１２"),
        ]
    if kind == "boolean":
        values += [("maybe", "maybe"), ("two", "2")]
    if kind in ("date", "date-time", "string"):
        values += [
            ("impossible date", "2026-13-40"),
            ("february 30", "2026-02-30"),
            ("year zero", "0000-01-01"),
            ("year one", "0001-01-01"),
            ("year 9999", "9999-12-31"),
            ("year 10000", "10000-01-01"),
            ("compact", "20261123"),
            ("datetime", "2026-11-23T09:00"),
        ]
    if kind == "enum":
        first_value = str(schema.get("enum", ["x"])[0])
        values += [("unknown", "no_such_value"), ("upper case", first_value.upper())]
    return values


QUERY_CALLERS = ("receptionist", "division_head", "token")


def valid_query(operation: Operation, world: World) -> dict[str, str]:
    hints = {"q": "离婚", "date": "2026-11-23", "start": "2026-11-23", "days": 3} | world.hints
    return {
        param.name: str(valid_value(param.schema, param.name, hints))
        for param in operation.of("query")
        if param.required
    }


def test_hostile_query_parameters(world: World, probe: Probe) -> None:
    with_query = [op for op in OPERATIONS if op.of("query")]
    assert with_query
    for operation in with_query:
        base = valid_query(operation, world)
        url = operation.url(world.inside)
        cases: list[tuple[str, list[tuple[str, str]]]] = [
            ("valid", list(base.items())),
            ("unknown parameter", [*base.items(), ("no_such_parameter", "1")]),
            ("1,000 parameters", [*base.items(), *[("p", "1")] * 1000]),
        ]
        for param in operation.of("query"):
            others = [(k, v) for k, v in base.items() if k != param.name]
            for label, value in hostile_query_values(param.schema):
                cases.append((f"{param.name}={label}", [*others, (param.name, value)]))
            cases.append((f"{param.name} twice", [*others, (param.name, "1"), (param.name, "2")]))
            if param.required:
                cases.append((f"{param.name} missing", others))
        for label, query in cases:
            encoded = "&".join(
                f"{quote(k, safe='')}={v if 'escaped' in label else quote(v, safe='')}"
                for k, v in query
            )
            for caller in QUERY_CALLERS:
                probe.send(Case(operation, caller, label, f"{url}?{encoded}"))
    assert not probe.failures, probe.report()


BODY_CALLERS = ("receptionist", "division_head", "token", "api_key")


def able_callers(world: World, probe: Probe, operation: Operation) -> list[str]:
    """The callers the operation lets through with a valid body: hostile bodies go to them, so
    that they reach the code behind the permission checks (every caller if none gets through)."""
    if operation.id not in world.able:
        body, content_type = request_parts(operation, world)
        url = operation.url(world.inside)
        candidates = ("anonymous", *BODY_CALLERS) if operation.public else BODY_CALLERS
        world.able[operation.id] = [
            caller
            for caller in candidates
            if probe.send(Case(operation, caller, "valid", url, body, content_type)).status_code
            not in (401, 403)
        ] or list(candidates)
    return world.able[operation.id]


def test_hostile_json_properties(world: World, probe: Probe) -> None:
    """Each property of each JSON body, made wrong one at a time, the rest valid."""
    assert JSON_BODY_OPERATIONS
    for operation_id in JSON_BODY_OPERATIONS:
        operation = BY_ID[operation_id]
        assert operation.body_schema is not None
        valid = valid_body(operation.body_schema, world.hints)
        url = operation.url(world.inside)
        able = able_callers(world, probe, operation)
        for index, (name, label, value) in enumerate(property_mutations(operation.body_schema)):
            body = {k: v for k, v in valid.items() if k != name}
            if value is not MISSING:
                body[name] = value
            caller = able[index % len(able)]
            probe.send(
                Case(operation, caller, f"{name}={label}", url, dumps(body), "application/json")
            )
    assert not probe.failures, probe.report()


def test_hostile_raw_bodies_and_content_types(world: World, probe: Probe) -> None:
    """Bodies no schema describes, on every operation that takes a body, for each caller."""
    with_body = [op for op in OPERATIONS if op.content_type]
    assert with_body
    for operation in with_body:
        schema = operation.body_schema or {}
        if operation.content_type == "application/json":
            valid = valid_body(schema, world.hints)
        else:
            valid = dict.fromkeys(schema.get("properties", {}), "x")
        url = operation.url(world.inside)
        for label, body, content_type in raw_bodies(valid):
            callers = ("token",) if label == "over the size limit" else BODY_CALLERS
            for caller in callers:
                probe.send(Case(operation, caller, label, url, body, content_type))
        body, content_type = request_parts(operation, world)
        for label, length in [
            ("negative", "-1"),
            ("letters", "abc"),
            ("half the body", str(len(body) // 2)),
            ("huge", "9" * 30),
        ]:
            for caller in able_callers(world, probe, operation):
                case = Case(operation, caller, f"Content-Length {label}", url, body, content_type)
                case.meta["CONTENT_LENGTH"] = length
                probe.send(case)
    assert not probe.failures, probe.report()


def test_hostile_uploads(world: World, probe: Probe) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert MULTIPART_OPERATIONS
    limit = int(settings.YOUJIE_MAX_UPLOAD_BYTES)
    for operation_id in MULTIPART_OPERATIONS:
        operation = BY_ID[operation_id]
        assert operation.body_schema is not None
        url = operation.url(world.inside)
        valid = valid_form(operation, world)
        files = [n for n, p in operation.body_schema["properties"].items() if p.get("format")]
        texts = [n for n in operation.body_schema["properties"] if n not in files]
        variants: list[tuple[str, dict[str, Any]]] = [("valid", valid)]
        for name in operation.body_schema["properties"]:
            variants.append((f"{name} missing", {k: v for k, v in valid.items() if k != name}))
        for name in files:
            for label, file_name, content in [
                ("empty file", "a.pdf", b""),
                ("NUL in name", "a\x00.pdf", PDF),
                ("300-character name", "名" * 300 + ".pdf", PDF),
                ("traversal name", "../../../etc/passwd.pdf", PDF),
                ("extension only", ".pdf", PDF),
                ("blank name", "   ", PDF),
                ("renamed executable", "a.pdf", b"MZ\x90\x00" + b"\x00" * 64),
                ("binary garbage", "cases.xlsx", b"PK\x03\x04" + b"\xff" * 512),
                ("over the upload limit", "big.pdf", PDF + b"0" * limit),
            ]:
                upload = SimpleUploadedFile(file_name, content, "application/octet-stream")
                variants.append((f"{name}: {label}", {**valid, name: upload}))
            variants.append((f"{name} as text", {**valid, name: "not a file"}))
        for name in texts:
            for label, value in [
                ("NUL", "\x00"),
                ("5,000 characters", "保" * 5000),
                ("empty", ""),
                ("invalid UTF-8", INVALID_UTF8),
            ]:
                variants.append((f"{name}={label}", {**valid, name: value}))
        for index, (label, form) in enumerate(variants):
            for part in form.values():
                if hasattr(part, "seek"):
                    part.seek(0)
            # No client can put undecodable bytes in a str: they are put in after encoding.
            body = encode_multipart(BOUNDARY, form).replace(INVALID_UTF8.encode(), b"\xff\xfe")
            caller = BODY_CALLERS[index % len(BODY_CALLERS)]
            probe.send(Case(operation, caller, label, url, body, MULTIPART_CONTENT))
    assert not probe.failures, probe.report()


def test_wrong_methods(world: World, probe: Probe) -> None:
    """Every path with a method it does not serve: 405, in the API's error format."""
    paths: dict[str, set[str]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, set()).add(operation.method)
    for path, served in paths.items():
        operation = next(op for op in OPERATIONS if op.path == path)
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} - served):
            for caller in ("anonymous", "receptionist", "token"):
                response = probe.send(
                    Case(operation, caller, method, operation.url(world.inside), method=method)
                )
                if response.status_code != 405:
                    probe.fail(f"{method} {path}: {response.status_code}, not 405", caller)
    assert not probe.failures, probe.report()


def test_path_variants(world: World, probe: Probe) -> None:
    """Near misses of every path: a 404 (or the operation itself), in the error format."""
    for operation in OPERATIONS:
        url = operation.url(world.inside)
        body, content_type = request_parts(operation, world)
        for label, variant in [
            ("trailing slash", url + "/"),
            ("double slash", url.replace("/api/v1/", "/api/v1//")),
            ("upper case", PREFIX + url.removeprefix(PREFIX).upper()),
            ("encoded slash", url.replace("/api/v1/", "/api/v1%2F")),
            ("dot segment", url.replace("/api/v1/", "/api/v1/./")),
            ("semicolon", url + ";x=1"),
            ("fragment", url + "#x"),
        ]:
            probe.send(Case(operation, "token", label, variant, body, content_type))
    assert not probe.failures, probe.report()


def test_hostile_credentials(world: World, probe: Probe) -> None:
    """Broken credentials on every operation: 401 with the error format (public operations
    ignore them), never a 500, never a write."""
    key = world.keys["court"]
    headers: list[tuple[str, dict[str, str]]] = [
        ("bearer without token", {"Authorization": "Bearer"}),
        ("bearer empty", {"Authorization": "Bearer "}),
        ("wrong token", {"Authorization": "Bearer yj_not-a-real-token"}),
        ("long token", {"Authorization": "Bearer yj_" + "x" * 10_000}),
        ("NUL token", {"Authorization": f"Bearer {key}\x00"}),
        ("basic", {"Authorization": "Basic dXNlcjpwYXNz"}),
        ("token scheme only", {"Authorization": key}),
        ("api key empty", {"X-API-Key": ""}),
        ("api key wrong", {"X-API-Key": "yj_" + "0" * 40}),
        ("api key NUL", {"X-API-Key": "\x00"}),
    ]
    # Headers any caller may send, echoed or logged by the middleware.
    request_ids = ["x" * 1000, "é" * 10, "a\tb", "<script>", "%0d%0aSet-Cookie: a=b"]
    for operation in OPERATIONS:
        body, content_type = request_parts(operation, world)
        url = operation.url(world.inside)
        for label, header in headers:
            response = probe.send(
                Case(operation, "anonymous", label, url, body, content_type, header)
            )
            if not operation.public and response.status_code not in (401, 413):
                probe.fail(f"{operation.id}: {response.status_code} with {label}", label)
        for request_id in request_ids:
            probe.send(
                Case(
                    operation,
                    "token",
                    f"X-Request-ID {request_id[:12]!r}",
                    url,
                    body,
                    content_type,
                    {"X-Request-ID": request_id},
                )
            )
        if operation.method in WRITE_METHODS:
            case = Case(operation, "csrf_enforced", "no CSRF token", url, body, content_type)
            response = probe.send(case)
            if not operation.public and response.status_code not in (401, 403):
                probe.fail(
                    f"{operation.id}: {response.status_code} for a session write without CSRF",
                    "csrf_enforced",
                )
        if operation.method in WRITE_METHODS or operation.of("header"):
            for label, value in [
                ("empty", ""),
                ("blank", "   "),
                ("101 characters", "k" * 101),
                ("chinese", "键"),
                ("control character", "a\x01b"),
                ("NUL", "\x00"),
            ]:
                probe.send(
                    Case(
                        operation,
                        "token",
                        f"Idempotency-Key {label}",
                        url,
                        body,
                        content_type,
                        {"Idempotency-Key": value},
                    )
                )
    assert not probe.failures, probe.report()


# --- hypothesis: bodies drawn from the schema -------------------------------------------------


# Naive, UTC, Beijing, and the offsets furthest from UTC either way.
ZONES = [None, UTC, *(dt_timezone(timedelta(hours=hours)) for hours in (8, 14, -12))]


def typed_strategy(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values of the declared type, in range and just out of it."""
    if "anyOf" in schema:
        return st.one_of(*[typed_strategy(option) for option in schema["anyOf"]])
    kind = kind_of(schema)
    if kind == "null":
        return st.none()
    if kind == "enum":
        return st.sampled_from(schema["enum"])
    if kind == "date-time":
        return st.datetimes(timezones=st.sampled_from(ZONES)).map(lambda moment: moment.isoformat())
    if kind == "date":
        return st.dates().map(lambda day: day.isoformat())
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        near = st.integers(
            min_value=low - 2 if low is not None else -(2**64),
            max_value=high + 2 if high is not None else 2**64,
        )
        return st.one_of(near, st.integers())
    if kind == "number":
        return st.floats()
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(typed_strategy(schema.get("items", {})), max_size=3)
    if kind == "object":
        return body_strategy(schema, {})
    max_length = schema.get("maxLength", 60)
    return st.text(max_size=max_length + 3)


def body_strategy(schema: dict[str, Any], hints: dict[str, Any]) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))

    def value(name: str, prop: dict[str, Any]) -> st.SearchStrategy[Any]:
        # Mostly valid, so that a body often gets past every field but one or two.
        valid = st.just(valid_value(prop, name, hints))
        return st.one_of(
            valid,
            valid,
            valid,
            typed_strategy(prop),
            st.sampled_from([value for _label, value in ANY_HOSTILE]),
        )

    values = {name: value(name, prop) for name, prop in properties.items()}
    complete = st.fixed_dictionaries(
        {name: values[name] for name in required},
        optional={name: values[name] for name in properties if name not in required}
        | {"unexpected": st.integers()},
    )
    sparse = st.fixed_dictionaries({}, optional=values)
    return st.one_of(complete, complete, sparse)


@pytest.mark.parametrize("operation_id", JSON_BODY_OPERATIONS)
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_json_bodies(world: World, operation_id: str, data: st.DataObject) -> None:
    operation = BY_ID[operation_id]
    assert operation.body_schema is not None
    probe = Probe(world)
    caller = data.draw(st.sampled_from(able_callers(world, probe, operation)), label="caller")
    path_values = {
        param.name: data.draw(
            st.sampled_from(
                [world.inside[param.name]] * 3 + [world.outside.get(param.name, 0), "0", "9" * 30]
            ),
            label=param.name,
        )
        for param in operation.of("path")
    }
    body = data.draw(body_strategy(operation.body_schema, world.hints), label="body")
    headers = {}
    if operation.of("header"):
        headers["Idempotency-Key"] = data.draw(
            st.sampled_from(["fuzz-1", "fuzz-2", ""]), label="Idempotency-Key"
        )
    url = operation.url({**world.inside, **path_values})
    probe.send(Case(operation, caller, "drawn", url, dumps(body), "application/json", headers))
    assert not probe.failures, probe.report()


CREATE = "POST /desk/requests"


@hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_create_replays_with_idempotency_keys(world: World, data: st.DataObject) -> None:
    """A drawn body sent with a key, then replayed: a 201 comes back as 200 with the same id and
    nothing new; the same key with another body is 409 idempotency_key_reused and writes
    nothing; a refusal is refused again the same way and leaves the key unused."""
    operation = BY_ID[CREATE]
    assert operation.body_schema is not None
    caller = data.draw(st.sampled_from(("receptionist", "token")), label="caller")
    client = world.clients[caller]
    body = data.draw(
        st.one_of(
            st.just(valid_body(operation.body_schema, world.hints)),
            body_strategy(operation.body_schema, world.hints),
        ),
        label="body",
    )
    key = data.draw(st.text(alphabet="abcXYZ019-_:.", min_size=1, max_size=100), label="key")
    headers = {"Idempotency-Key": key}

    def post(payload: Any) -> Any:
        return client.post(
            operation.path, dumps(payload), content_type="application/json", headers=headers
        )

    watch = world.watch
    watch.begin()
    with transaction.atomic():
        requests_before = ServiceRequest.objects.count()
        first = post(body)
        assert first.status_code < 500, server_error(first)
        after_first = watch.state()
        watch.reset()
        again = post(body)
        assert again.status_code < 500, server_error(again)
        if first.status_code == 201:
            assert ServiceRequest.objects.count() == requests_before + 1
            assert again.status_code == 200, again.content
            assert again.headers["Idempotent-Replayed"] == "true"
            assert again.json()["id"] == first.json()["id"]
            assert watch.changes(since=after_first) == ""
            other = {**body, "title": "另一件事" if body.get("title") != "另一件事" else "又一件事"}
            reused = post(other)
            assert reused.status_code == 409, reused.content
            assert reused.json()["code"] == "idempotency_key_reused"
            assert error_shape_problems(reused) == []
            assert watch.changes(since=after_first) == ""
        else:
            assert 400 <= first.status_code < 500, first.status_code
            assert error_shape_problems(first) == []
            assert state_changes(watch.baseline, after_first) == ""
            assert (again.status_code, error_code(again)) == (
                first.status_code,
                error_code(first),
            )
            assert watch.changes() == ""
        transaction.set_rollback(True)


# --- regressions: each defect the runs above found, pinned -------------------------------------


def _create(world: World, caller: str, body: Any, **extra: Any) -> Any:
    return world.clients[caller].post(
        f"{PREFIX}/desk/requests", body, content_type="application/json", **extra
    )


def _create_body(world: World, **overrides: Any) -> bytes:
    schema = BY_ID[CREATE].body_schema
    assert schema is not None
    return dumps(valid_body(schema, world.hints) | overrides)


def test_a_call_from_before_the_calendar_is_refused_not_a_500(world: World) -> None:
    """POST /inbound/calls with started_at 0001-01-01T00:00:00+08:00 was a 500: the moment
    is before year 1 in UTC and the database adapter overflowed converting it."""
    schema = BY_ID["POST /inbound/calls"].body_schema
    assert schema is not None
    before = database_state()
    for started_at in ("0001-01-01T00:00:00+08:00", "1999-12-31T23:59:59+08:00"):
        body = valid_body(schema, world.hints) | {"started_at": started_at}
        response = world.clients["token"].post(
            f"{PREFIX}/inbound/calls", dumps(body), content_type="application/json"
        )
        assert response.status_code == 422, response.content
        assert response.json()["fields"] == {"started_at": ["来电时间不能早于2000年"]}
    assert state_changes(before, database_state()) == ""
    body = valid_body(schema, world.hints) | {"started_at": "2000-01-01T00:00:00+08:00"}
    accepted = world.clients["token"].post(
        f"{PREFIX}/inbound/calls", dumps(body), content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.content


def test_a_method_the_path_does_not_serve_is_405_in_the_error_format(world: World) -> None:
    """ninja answered it with text/html ``Method not allowed``."""
    response = world.clients["token"].delete(f"{PREFIX}/desk/requests")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"code": "http_405", "message": "该地址不支持 DELETE 请求"}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    # A route's own answers are untouched.
    assert world.clients["token"].get(f"{PREFIX}/desk/requests").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", LONE_SURROGATE, "应为有效的 Unicode 文本"),
        ("requester_id", 1.5, "必须是整数"),
        ("requester_id", float("inf"), "应为有限数值"),
        ("requester_id", 1e308, "数值过大"),
    ],
)
def test_validation_messages_are_chinese(
    world: World, field: str, value: Any, message: str
) -> None:
    """pydantic's English ("Input should be a valid integer, got a number with a fractional
    part") reached the caller for every error kind the API's table did not name."""
    response = _create(world, "token", _create_body(world, **{field: value}))
    assert response.status_code == 422, response.content
    assert response.json()["fields"][field] == [message]


def test_query_and_datetime_messages_are_chinese(world: World) -> None:
    day = world.clients["token"].get(f"{PREFIX}/workdays/is-workday", {"date": "20261123"})
    assert day.status_code == 422
    assert day.json()["fields"] == {"date": ["日期格式应为 YYYY-MM-DD"]}
    url = f"{PREFIX}/desk/requests/{world.inside['request_id']}/supervise"
    for deadline in ("", None):
        deadline_body = dumps({"reason": "请尽快办理", "new_deadline": deadline})
        response = world.clients["division_head"].post(
            url, deadline_body, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["fields"] == {"new_deadline": ["时间格式不正确"]}


def test_ninja_own_errors_speak_chinese(world: World) -> None:
    """ninja's 400 for an unparsable body and 403 for a session call without its CSRF token
    said "Cannot parse request body" and "CSRF check Failed"."""
    broken = _create(world, "token", "{not json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "http_400"
    assert broken.json()["message"] == "请求体无法解析：应为 UTF-8 编码的 JSON"
    before = database_state()
    no_csrf = _create(world, "csrf_enforced", _create_body(world))
    assert no_csrf.status_code == 403
    assert no_csrf.json()["code"] == "http_403"
    assert no_csrf.json()["message"].startswith("CSRF 校验失败")
    assert state_changes(before, database_state()) == ""


def test_an_invalid_content_length_is_400_not_500(world: World) -> None:
    """Django's request.body reads Content-Length with int(): 'abc' was a 500."""
    for length in ("abc", "-1", "1.5"):
        response = _create(world, "token", _create_body(world), CONTENT_LENGTH=length)
        assert response.status_code == 400, (length, response.status_code)
        assert response.json() == {"code": "http_400", "message": "请求头 Content-Length 无效"}
    assert ServiceRequest.objects.filter(title=world.hints["title"]).count() == 0


def test_a_body_over_the_memory_limit_is_413_payload_too_large(world: World) -> None:
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB) but under the 12 MB the middleware
    refuses was a 400 saying the request was malformed ("请求格式不正确")."""
    size = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    assert size < int(settings.YOUJIE_MAX_REQUEST_BODY_BYTES)
    before = database_state()
    response = _create(world, "token", _create_body(world, content="长" * size))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "上限" in response.json()["message"]
    assert state_changes(before, database_state()) == ""
