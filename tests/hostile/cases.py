"""The hostile-input sweeps' vocabulary, and how they find each app's cases.

The three sweeps (tests/test_hostile_pages.py, test_hostile_api.py, test_hostile_admin.py) read
the routes, the OpenAPI operations and the ModelAdmins from Django itself, so that nothing is
listed by hand. What they cannot read — an existing object for every route parameter, data each
form accepts, which persona may use it, the rows an admin page needs — comes from the apps: every
installed ``youjie.<app>`` may have a module ``youjie/<app>/tests/hostile.py`` with

    CASES = HostileCases(...)

and discover() imports it. A new app puts its cases beside its code; no sweep and no other app
is edited. Each sweep has a coverage test that fails, naming the app's module, while a route,
form, parameter or admin of the app has no cases.

The apps are visited in INSTALLED_APPS order, which is also the order in which they stand on
one another (core, workdays, orgs, people, courtcases, …): an app's ``build`` may use what the
apps before it put in the world (the court case the desk's requests name, say).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, TypeVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.module_loading import module_has_submodule

HUGE = "9" * 30
MISSING: Any = object()  # an override that removes the field from the submitted data
# YOUJIE_MAX_UPLOAD_BYTES while the form sweep runs: "past the limit" stays cheap.
UPLOAD_LIMIT = 100_000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- the world the pages and the admin are swept in -----------------------------------------


class World:
    """The personas (``users``, by fixture name) and the objects the apps' ``build`` functions
    made, read as attributes: ``world.routed`` is what the desk put under "routed"."""

    def __init__(self, users: dict[str, Any]) -> None:
        self.users = users
        self.objects: dict[str, Any] = {}
        # persona → the key of a session signed in once (``client_for``).
        self.sessions: dict[str, str] = {}

    def put(self, **objects: Any) -> None:
        clash = sorted(set(objects) & set(self.objects))
        assert not clash, f"two apps put {clash} in the world"
        self.objects.update(objects)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return f"World({sorted(self.users)}, {sorted(self.objects)})"


def client_for(world: World, persona: str, *, fresh: bool = False) -> Client:
    """A client signed in as ``persona`` (or not signed in, "anonymous"); a 500 comes back as
    a response, so that one run lists every defect.

    A persona signs in once per world and each new client carries that session's cookie: a
    sign-in (the session row, django-axes' records, ``last_login``) was ~10 ms, an eighth of the
    form sweep. The sweeps send each request in a savepoint they roll back, so a request leaves
    the shared session row as it found it. ``fresh``: a session of the client's own, for a case
    whose setup writes session state outside those savepoints."""
    client = Client(raise_request_exception=False)
    if persona == "anonymous":
        return client
    key = world.sessions.get(persona)
    if fresh or key is None or not SessionStore().exists(key):
        client.force_login(world.users[persona])
        if not fresh:
            world.sessions[persona] = client.session.session_key or ""
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


# --- forms ----------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    overrides: dict[str, Any]
    url: str = ""  # another URL of the same view (a stale object, an unknown field …)


@dataclass
class FormSpec:
    """One form of one view, as one persona, with data the form accepts (``base``)."""

    name: str  # the route's name, then anything that tells specs apart ("desk:action reply")
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
        client = client_for(world, self.persona, fresh=self.setup is not None)
        if self.setup is not None:
            self.setup(client)
        return client


def pdf(name: str = "scan.pdf", size: int = 64) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def pdf_upload(name: str = "scan.pdf", size: int = 64) -> Callable[[], SimpleUploadedFile]:
    return lambda: pdf(name, size)


def upload(name: str, content: bytes) -> Callable[[], SimpleUploadedFile]:
    return lambda: SimpleUploadedFile(name, content)


# Files every upload field must refuse (each built afresh: a sent file is consumed).
UPLOAD_CASES = [
    ("empty file", upload("scan.pdf", b"")),
    ("executable", upload("setup.exe", b"MZ" + b"\x00" * 64)),
    ("content not matching the extension", upload("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 8)),
    ("NUL in the name", upload("scan.pdf\x00.exe", b"MZ\x00")),
    ("no extension, 300-char Chinese name", upload("诉" * 300, b"%PDF-1.4")),
]


# --- the API sweep's world ------------------------------------------------------------------


class ApiWorld(World):
    """The callers and the values the API cases are built from. The apps' ``api_build``
    functions fill ``inside``, ``outside``, ``missing`` and ``hints`` and may ``put`` objects
    for the apps after them. (A plain class with a short repr: hypothesis prints a fixture with
    every falsifying example.)"""

    def __init__(self, users: dict[str, Any]) -> None:
        super().__init__(users)
        self.clients: dict[str, Client] = {}
        self.inside: dict[str, Any] = {}  # a valid, in-scope value for every path parameter
        self.outside: dict[str, Any] = {}  # an existing record outside the callers' scope
        self.missing: dict[str, Any] = {}  # a well-formed value naming nothing
        self.hints: dict[str, Any] = {}  # valid values by property name: bodies that get far
        self.keys: dict[str, str] = {}
        self.able: dict[str, list[str]] = {}  # the sweep's: see able_callers()
        self.watch: Any = None  # the sweep's WriteWatch (tests/test_hostile_api.py)

    def __repr__(self) -> str:
        return "World()"


# --- what an app gives the sweeps -----------------------------------------------------------

PathValues = dict[tuple[str, str], list[str]]
Query = list[tuple[str, str]]


@dataclass(frozen=True)
class HostileCases:
    """One app's cases for the three hostile-input sweeps (``CASES`` in
    ``youjie/<app>/tests/hostile.py``). Every field is optional: an app gives what it has."""

    # -- the world (pages and admin sweeps) --
    # Personas every page is swept as (GET), by the name of their fixture in the root
    # conftest.py; the sweep runs as the union over all apps, plus "anonymous".
    personas: tuple[str, ...] = ()
    # Other persona fixtures the app's build, forms or path values need in ``world.users``.
    users: tuple[str, ...] = ()
    # Settings the app's pages need while swept (a token the WeChat callback checks …).
    page_settings: Mapping[str, Any] = field(default_factory=dict)
    # Makes the app's objects and puts them in the world (``world.put(routed=…)``).
    build: Callable[[World], None] | None = None

    # -- the pages sweep (tests/test_hostile_pages.py) --
    # Existing values for every parameter of every route of the app, {(route, parameter):
    # [values]}: the first is used while the others are tried; include objects a persona may
    # not see (another county's person) so that a leak shows.
    path_values: Callable[[World], PathValues] | None = None
    # One FormSpec per form (per POST view) of the app, with data the form accepts.
    form_specs: Callable[[World], list[FormSpec]] | None = None
    # Forms read from the query string: their fields get the hostile query values.
    query_forms: tuple[type[forms.Form], ...] = ()
    # Query parameters the app's views read without a form.
    query_names: tuple[str, ...] = ()
    # Query strings one hostile value cannot make (a period from year 1 to 9999 …).
    query_combinations: Callable[[World], list[Query]] | None = None
    # Addresses under the app's prefix that must not resolve (a 404, never a 500).
    unresolvable: tuple[str, ...] = ()
    # Views that take POST but have nothing to refuse, {route: persona}: hostile bodies are
    # sent to them as that persona.
    body_ignored: Mapping[str, str] = field(default_factory=dict)
    # POST views swept by a test of their own, {route: that test}.
    posts_tested_elsewhere: Mapping[str, str] = field(default_factory=dict)
    # Tables a GET of a route may write, {route: tables} (a GET writes nothing otherwise).
    get_may_write: Mapping[str, frozenset[str]] = field(default_factory=dict)

    # -- the admin sweep (tests/test_hostile_admin.py) --
    # Makes a row for each of the app's ModelAdmins that the world leaves empty.
    admin_rows: Callable[[World], None] | None = None
    # Data each of the app's admin add forms accepts, {model label: data}.
    admin_add_data: Callable[[World], dict[str, dict[str, Any]]] | None = None
    # (model label, field) pairs where a negative number is a valid value.
    admin_negative_allowed: frozenset[tuple[str, str]] = frozenset()

    # -- the API sweep (tests/test_hostile_api.py) --
    # Makes the app's records (in scope and in the other court) and fills the world's
    # ``inside``/``outside``/``missing`` path values and ``hints``.
    api_build: Callable[[ApiWorld], None] | None = None
    # A valid file for each upload property of the app's operations, by property name.
    api_files: Mapping[str, Callable[[], SimpleUploadedFile]] = field(default_factory=dict)


@dataclass(frozen=True)
class AppCases:
    app: str  # "youjie.desk"
    cases: HostileCases

    @property
    def module(self) -> str:
        return f"{self.app}.tests.hostile"

    @property
    def path(self) -> str:
        return self.module.replace(".", "/") + ".py"


def discover() -> list[AppCases]:
    """Every installed youjie app's ``tests/hostile.py`` CASES, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("youjie."):
            continue
        if not module_has_submodule(config.module, "tests"):
            continue
        if not module_has_submodule(import_module(f"{config.name}.tests"), "hostile"):
            continue
        module = import_module(f"{config.name}.tests.hostile")
        cases = getattr(module, "CASES", None)
        assert isinstance(cases, HostileCases), f"{module.__name__}.CASES is not a HostileCases"
        found.append(AppCases(app=config.name, cases=cases))
    return found


def app_of(module_name: str) -> str:
    """The installed youjie app a module belongs to ("" for Django's and third parties')."""
    matches = [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("youjie.")
        and (module_name == config.name or module_name.startswith(config.name + "."))
    ]
    return max(matches, key=len, default="")


K = TypeVar("K")
V = TypeVar("V")


def combine(parts: Iterable[tuple[str, Mapping[K, V]]], what: str) -> dict[K, V]:
    """The apps' mappings as one; two apps giving one key two values is an error."""
    result: dict[K, V] = {}
    owners: dict[K, str] = {}
    for owner, part in parts:
        for key, value in part.items():
            assert key not in result or result[key] == value, (
                f"{what} {key!r} is given by both {owners[key]} and {owner}"
            )
            result[key] = value
            owners.setdefault(key, owner)
    return result


def personas(found: Iterable[AppCases]) -> tuple[str, ...]:
    """The GET sweep's personas: "anonymous", then each app's, in order, once."""
    names = ["anonymous"]
    for app_cases in found:
        names += [name for name in app_cases.cases.personas if name not in names]
    return tuple(names)
