"""The code stays on Django's public paths (CONVENTIONS rule 16, issue "One way through Django").

Parses every module of the project (tests and migrations aside) and fails on:
- an import of a private Django name (``from django… import _x``, a ``django.…._module``) or of
  the ORM's and the handlers' internals (``django.db.models.sql``, ``get_related_populators``,
  ``django.core.handlers`` …);
- a raw cursor outside the modules that hold SQL the ORM cannot express (listed below, each
  with its reason);
- HTML built in Python (``mark_safe``, ``format_html``, ``SafeString``): markup lives in templates.

Documented model API with a leading underscore (``_meta``, ``_default_manager``, ``_state``) is
public by Django's documentation and allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("youjie", "config")

# Modules that may open a cursor, and why the ORM cannot say what they say.
RAW_SQL_ALLOWED = {
    # The full-text index: an FTS5 virtual table (SQLite) and a tsvector table without a model
    # (PostgreSQL); MATCH / @@ and the planner statistics in pg_stats have no ORM expression.
    "youjie/desk/search.py",
}
INTERNAL_MODULES = (
    "django.db.models.sql",
    "django.core.handlers",
    "django.db.backends.base",
    "django.template.base",
)
INTERNAL_NAMES = {"get_related_populators", "RelatedPopulator", "ModelIterable", "ASGIHandler"}
HTML_IN_PYTHON = {"mark_safe", "format_html", "format_html_join", "SafeString", "SafeText"}


def project_modules() -> list[Path]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            found.append(path)
    return found


def offences(path: Path) -> list[str]:
    relative = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text("utf-8"), filename=relative)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("django"):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.append(f"{relative}:{node.lineno} imports the private module {node.module}")
            if node.module.startswith(INTERNAL_MODULES):
                found.append(f"{relative}:{node.lineno} imports Django internals {node.module}")
            for alias in node.names:
                if alias.name.startswith("_") or alias.name in INTERNAL_NAMES:
                    found.append(f"{relative}:{node.lineno} imports {node.module}.{alias.name}")
                if alias.name in HTML_IN_PYTHON:
                    found.append(f"{relative}:{node.lineno} builds HTML in Python ({alias.name})")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("django") and (
                    any(part.startswith("_") for part in alias.name.split("."))
                    or alias.name.startswith(INTERNAL_MODULES)
                ):
                    found.append(f"{relative}:{node.lineno} imports {alias.name}")
        elif isinstance(node, ast.Attribute):
            if node.attr == "cursor" and relative not in RAW_SQL_ALLOWED:
                found.append(f"{relative}:{node.lineno} opens a raw cursor")
            if node.attr in HTML_IN_PYTHON | {"get_compiler", "get_related_populators"}:
                found.append(f"{relative}:{node.lineno} uses {node.attr}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"raw", "extra"}
        ):
            # QuerySet.raw() / .extra(): SQL by hand where the ORM should speak.
            found.append(f"{relative}:{node.lineno} uses QuerySet.{node.func.attr}()")
    return found


def test_every_module_stays_on_djangos_public_paths():
    problems = [problem for path in project_modules() for problem in offences(path)]
    assert problems == []


def test_the_check_finds_what_it_forbids():
    """The scanner is not vacuous: each kind of offence in a module is reported."""
    module = ROOT / "youjie" / "zz_scanner_probe.py"
    module.write_text(
        "from django.db.models.query import get_related_populators\n"
        "from django.utils.safestring import mark_safe\n"
        "from django.db import connection\n"
        "from django.db.models.sql.compiler import SQLCompiler\n"
        "def f(qs):\n"
        "    with connection.cursor() as c:\n"
        "        c.execute('SELECT 1')\n"
        "    return qs.extra(where=['1=1'])\n",
        "utf-8",
    )
    try:
        found = " | ".join(offences(module))
    finally:
        module.unlink()
    assert "get_related_populators" in found
    assert "builds HTML in Python (mark_safe)" in found
    assert "opens a raw cursor" in found
    assert "Django internals django.db.models.sql.compiler" in found
    assert "QuerySet.extra()" in found
