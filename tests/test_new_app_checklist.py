"""docs/how-to-add-an-app.md, followed for a throwaway app: the import contracts, the navigation
and the hostile-input sweeps cover it without another app's file being touched.

The app is made in a copy of the project in a temporary directory (its ``youjie`` package gets
``youjie/zz_throwaway/``), so that the working tree never holds it, not even for the minute this
test runs, and nothing is left behind whatever happens. In the copy the checklist is followed
as a developer would: the app's own files (views, a form, a template, urls, permissions, the
navigation entry, the hostile cases), then the three project lines outside any app —
INSTALLED_APPS, the URL include, the app's layer in the import contract. Then:

(a) ``lint-imports`` (a subprocess) refuses the app until it is placed in a layer, accepts it
    once placed, and refuses a forbidden import in it (inside the app and between apps);
(b) the navigation lists its link for the persona its rule admits, and not for another;
(c) the pages sweep's coverage logic sees its routes and its form and takes their cases from
    its own tests/hostile.py, and fails, naming that module, without them (a pytest subprocess
    with the copy's settings, so the app is really installed);
(d) no file of another app changed: every file of the copy is compared by hash with what it was
    before the app was added, and only the app's new files and those three project lines differ.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
APP = "zz_throwaway"
COPIED = ["youjie", "tests", "config", "templates", "static"]
COPIED_FILES = ["conftest.py", "pytest.ini", "pyproject.toml", "manage.py"]
# What the checklist changes outside the app: step 2 (settings, urls) and step 3 (the layer).
PROJECT_LINES = {"config/settings/base.py", "config/urls.py", "pyproject.toml"}

# The app, as the checklist's skeleton has it (no models: nothing to migrate).
APP_FILES = {
    "__init__.py": "",
    "apps.py": """
from django.apps import AppConfig


class ThrowawayConfig(AppConfig):
    name = "youjie.zz_throwaway"
    label = "zz_throwaway"
    verbose_name = "临时应用"
""",
    "permissions.py": '''
"""Pure rules: only administrators use the throwaway app."""

from __future__ import annotations

from typing import TypeGuard

from youjie.core.viewers import Viewer
from youjie.orgs.choices import Role
from youjie.orgs.models import User


def may_use_notes(user: Viewer) -> TypeGuard[User]:
    return isinstance(user, User) and user.has_role(Role.ADMINISTRATOR)
''',
    "forms.py": """
from django import forms


class NoteForm(forms.Form):
    text = forms.CharField(label="内容", max_length=50)
""",
    "views.py": """
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from youjie.zz_throwaway.forms import NoteForm
from youjie.zz_throwaway.permissions import may_use_notes


@login_required
def note(request: HttpRequest) -> HttpResponse:
    if not may_use_notes(request.user):
        raise Http404
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            messages.success(request, "已记下")
            return redirect("zz_throwaway:note")
        return render(request, "zz_throwaway/note.html", {"form": form}, status=422)
    return render(request, "zz_throwaway/note.html", {"form": form})


@login_required
@require_GET
def detail(request: HttpRequest, number: int) -> HttpResponse:
    if not may_use_notes(request.user) or not 1 <= number <= 10:
        raise Http404
    return render(request, "zz_throwaway/note.html", {"form": NoteForm(), "number": number})
""",
    "urls.py": """
from django.urls import path

from youjie.zz_throwaway import views

app_name = "zz_throwaway"
urlpatterns = [
    path("", views.note, name="note"),
    path("<int:number>/", views.detail, name="detail"),
]
""",
    "templates/zz_throwaway/note.html": """{% extends "base.html" %}
{% block title %}临时应用{% endblock %}
{% block content %}
<form method="post">{% csrf_token %}{{ form }}<button type="submit">记下</button></form>
{% endblock %}
""",
    "navigation.py": """
from youjie.core.navigation import register_nav_entry
from youjie.zz_throwaway.permissions import may_use_notes

register_nav_entry(label="临时应用", url_name="zz_throwaway:note", order=80, visible=may_use_notes)
""",
    "tests/__init__.py": "",
    "tests/hostile.py": """
from tests.hostile.cases import Case, FormSpec, HostileCases, World
from youjie.zz_throwaway.forms import NoteForm


def form_specs(world: World) -> list[FormSpec]:
    return [
        FormSpec(
            name="zz_throwaway:note",
            persona="administrator",
            url="/zz-throwaway/",
            base={"text": "开庭前联系当事人"},
            form=lambda data, files: NoteForm(data),
            control="redirects",
            extra=[Case("an address of another view", {}, url="/zz-throwaway/1/")],
        )
    ]


CASES = HostileCases(
    users=("administrator",),
    path_values=lambda world: {("zz_throwaway:detail", "number"): ["1", "10", "11"]},
    form_specs=form_specs,
    unresolvable=("/zz-throwaway/x/",),
)
""",
}

# Run by pytest inside the copy, with the app installed (its settings are the copy's).
PROBE = """
from importlib import import_module

import pytest

from tests.hostile.cases import AppCases, HostileCases
from tests.test_hostile_pages import (
    APPS,
    client_for,
    coverage_problems,
    enumerate_routes,
    existing_path_values,
    form_specs,
    route_urls,
    run_form_spec,
    send,
    world,  # noqa: F401
)
from youjie.core.navigation import entries_for

pytestmark = pytest.mark.django_db
APP = "youjie.zz_throwaway"
MODULE = "youjie/zz_throwaway/tests/hostile.py"


def test_the_navigation_lists_the_app_for_the_persona_its_rule_admits(world):
    assert "临时应用" in [entry.label for entry in entries_for(world.users["administrator"])]
    assert "临时应用" not in [entry.label for entry in entries_for(world.users["receptionist"])]
    html = client_for(world, "administrator").get("/").content.decode()
    assert '<a href="/zz-throwaway/">临时应用</a>' in html
    assert "临时应用" not in client_for(world, "receptionist").get("/").content.decode()


def test_the_pages_sweep_takes_the_app_cases_from_its_own_module(world, settings):
    mine = [app for app in APPS if app.app == APP]
    assert len(mine) == 1
    assert mine[0].cases is import_module(f"{APP}.tests.hostile").CASES
    routes = {route.name: route for route in enumerate_routes()}
    assert routes["zz_throwaway:note"].app == APP
    assert routes["zz_throwaway:detail"].cases_module == MODULE
    assert coverage_problems(world) == []
    print("COVERED", sorted(name for name in routes if name.startswith("zz_throwaway:")))

    # Without its cases, the coverage test fails and names the app's module.
    bare = [app if app.app != APP else AppCases(APP, HostileCases()) for app in APPS]
    problems = coverage_problems(world, bare)
    assert problems == [
        f"no existing values for zz_throwaway:detail:number (path_values in {MODULE})"
    ], problems
    paths_only = HostileCases(path_values=mine[0].cases.path_values)
    bare = [app if app.app != APP else AppCases(APP, paths_only) for app in APPS]
    problems = coverage_problems(world, bare)
    assert len(problems) == 1 and problems[0].startswith("zz_throwaway:note (/zz-throwaway/)")
    assert MODULE in problems[0], problems

    # Its form is swept from its own spec, and its route with its own path values.
    settings.YOUJIE_MAX_UPLOAD_BYTES = 100_000
    specs = [spec for spec in form_specs(world) if spec.route.startswith("zz_throwaway:")]
    assert [spec.name for spec in specs] == ["zz_throwaway:note"]
    failures, count = run_form_spec(world, specs[0])
    assert not failures and count > 8, failures
    urls = route_urls(routes["zz_throwaway:detail"], existing_path_values(world))
    assert urls[:3] == ["/zz-throwaway/1/", "/zz-throwaway/10/", "/zz-throwaway/11/"]
    client = client_for(world, "administrator")
    for url in urls:
        outcome = send(client, "get", url)
        assert outcome.status < 500 and not outcome.written, (url, outcome.status)
    print("SWEPT", count, "form cases and", len(urls), "addresses")
"""


def digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` (but caches and runtime files), by path, with its hash."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or "__pycache__" in relative:
            continue
        if relative.startswith(("var/", ".hypothesis/")):  # runtime files, not code
            continue
        found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env.pop("YOUJIE_TEST_SQLITE_NAME", None)  # an in-memory SQLite database of its own
    env["PYTHONPATH"] = str(cwd)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def lint_imports(copy: Path) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).parent / "lint-imports"
    return run([str(binary), "--no-cache", "--config", "pyproject.toml"], copy)


@pytest.fixture
def copy() -> Iterator[Path]:
    """The project, copied into a directory that is removed afterwards, failure or not."""
    with tempfile.TemporaryDirectory(prefix="youjie-new-app-") as directory:
        target = Path(directory) / "project"
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "var", ".import_linter_cache")
        for name in COPIED:
            shutil.copytree(ROOT / name, target / name, ignore=ignore)
        for name in COPIED_FILES:
            shutil.copy2(ROOT / name, target / name)
        yield target


def test_a_new_app_by_the_checklist_is_covered_without_touching_another_app(copy: Path) -> None:
    (copy / "tests" / "throwaway_probe.py").write_text(PROBE, encoding="utf-8")
    before = digest(copy)

    # Step 1: the app's own files.
    app = copy / "youjie" / APP
    for name, text in APP_FILES.items():
        (app / name).parent.mkdir(parents=True, exist_ok=True)
        (app / name).write_text(text.lstrip("\n"), encoding="utf-8")
    # Step 2: INSTALLED_APPS (after the apps it stands on) and the URL include.
    edit(
        copy / "config/settings/base.py",
        '    "youjie.desk",\n',
        f'    "youjie.desk",\n    "youjie.{APP}",\n',
    )
    edit(
        copy / "config/urls.py",
        '    path("admin/", admin.site.urls),\n',
        f'    path("zz-throwaway/", include("youjie.{APP}.urls")),\n'
        '    path("admin/", admin.site.urls),\n',
    )

    # (a) Not yet placed in a layer: the exhaustive contract refuses it and says so.
    unplaced = lint_imports(copy)
    assert unplaced.returncode != 0, unplaced.stdout
    assert "not listed as layers" in unplaced.stdout and f"youjie.{APP}" in unplaced.stdout
    # Step 3: placed beside the desk (it stands on orgs and core only).
    edit(copy / "pyproject.toml", '    "desk",\n', f'    "desk | {APP}",\n')
    placed = lint_imports(copy)
    assert placed.returncode == 0, placed.stdout + placed.stderr
    assert "0 broken" in placed.stdout
    # A forbidden import in it breaks a contract: a service importing a view (inside the app)
    # and a domain app importing an adapter (between apps).
    for name, text, expected in (
        (
            "services.py",
            "from youjie.zz_throwaway import views  # noqa: F401\n",
            f"youjie.{APP}.services is not allowed to import youjie.{APP}.views",
        ),
        (
            "selectors.py",
            "import youjie.portal.selectors  # noqa: F401\n",
            f"youjie.{APP} is not allowed to import youjie.portal",
        ),
    ):
        (app / name).write_text(text, encoding="utf-8")
        broken = lint_imports(copy)
        (app / name).unlink()
        assert broken.returncode != 0 and expected in broken.stdout, broken.stdout

    # (b) and (c): in a pytest run of the copy, where the app is installed.
    probe = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/throwaway_probe.py",
            "-p",
            "no:cacheprovider",
            "-s",
        ],
        copy,
    )
    assert probe.returncode == 0, probe.stdout[-6000:] + probe.stderr[-3000:]
    assert "2 passed" in probe.stdout, probe.stdout[-3000:]

    # (d) Only the app's own new files and the three project lines changed.
    after = digest(copy)
    changed = {path for path in before.keys() & after.keys() if before[path] != after[path]}
    removed = before.keys() - after.keys()
    added = after.keys() - before.keys()
    assert changed == PROJECT_LINES, changed
    assert not removed, removed
    assert added and all(path.startswith(f"youjie/{APP}/") for path in added), added
    assert added == {f"youjie/{APP}/{name}" for name in APP_FILES}, added
