"""What operators run with (issue 12, items 6, 7 and 8): the public address links are built
from, DEBUG only on request, production's security headers, and files only the owner reads."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import Client

from tests.settings_process import settings_of

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "YOUJIE_FIELD_KEYS": "k1,k2",
    "YOUJIE_LOOKUP_KEY": "lookup",
    "YOUJIE_PUBLIC_URL": "https://susong.example.gov.cn",
}


def values(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


# --- Item 7: `make run` shows the pages a visitor may see --------------------------------------


def test_development_runs_without_debug_unless_a_developer_asks(tmp_path):
    names = ["DEBUG"]
    default = settings_of("config.settings.dev", names, YOUJIE_VAR_DIR=str(tmp_path))
    assert values(default)["DEBUG"] is False
    asked = settings_of(
        "config.settings.dev", names, YOUJIE_VAR_DIR=str(tmp_path), DJANGO_DEBUG="1"
    )
    assert values(asked)["DEBUG"] is True


def test_a_refused_csrf_token_is_a_chinese_page(receptionist):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "reception", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html and "CSRF verification failed" not in html


def test_the_500_page_needs_neither_the_database_nor_the_user(judge, monkeypatch):
    """A crash while the database is away: the error page must not ask it for the user again."""
    from django.contrib.auth import middleware as auth_middleware
    from django.db import OperationalError

    client = Client(raise_request_exception=False)
    client.force_login(judge)

    def database_away(request: Any) -> Any:
        raise OperationalError("database is locked")

    monkeypatch.setattr(auth_middleware, "get_user", database_away)
    response = client.get("/desk/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统暂时出错" in html and "<html" in html


# --- Item 6: links in messages -----------------------------------------------------------------


def test_the_public_address_defaults_to_make_runs_address(tmp_path):
    result = settings_of("config.settings.dev", ["YOUJIE_PUBLIC_URL"], YOUJIE_VAR_DIR=str(tmp_path))
    assert values(result)["YOUJIE_PUBLIC_URL"] == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "bad", ["susong.example.gov.cn", "ftp://susong.example.gov.cn", "https://", "https://a/b?c=1"]
)
def test_a_malformed_public_address_fails_loudly(tmp_path, bad):
    result = settings_of(
        "config.settings.dev",
        ["YOUJIE_PUBLIC_URL"],
        YOUJIE_VAR_DIR=str(tmp_path),
        YOUJIE_PUBLIC_URL=bad,
    )
    assert result.returncode != 0 and "YOUJIE_PUBLIC_URL" in result.stderr


# --- Item 8: production ------------------------------------------------------------------------


def test_production_requires_its_public_address(tmp_path):
    env = {key: value for key, value in PRODUCTION.items() if key != "YOUJIE_PUBLIC_URL"}
    missing = settings_of("config.settings.prod", ["DEBUG"], YOUJIE_VAR_DIR=str(tmp_path), **env)
    assert missing.returncode != 0 and "YOUJIE_PUBLIC_URL" in missing.stderr


def test_production_security_defaults(tmp_path):
    names = [
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "YOUJIE_TRUSTED_PROXIES",
        "FILE_UPLOAD_PERMISSIONS",
        "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
    ]
    loaded = values(
        settings_of("config.settings.prod", names, YOUJIE_VAR_DIR=str(tmp_path), **PRODUCTION)
    )
    assert loaded["DEBUG"] is False
    assert loaded["SECURE_HSTS_SECONDS"] >= 31536000  # sent only on HTTPS requests
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["ALLOWED_HOSTS"] == ["susong.example.gov.cn"]
    assert "testserver" not in loaded["ALLOWED_HOSTS"]
    assert loaded["CSRF_TRUSTED_ORIGINS"] == ["https://susong.example.gov.cn"]
    assert loaded["YOUJIE_TRUSTED_PROXIES"] == []
    assert loaded["FILE_UPLOAD_PERMISSIONS"] == 0o600
    assert loaded["FILE_UPLOAD_DIRECTORY_PERMISSIONS"] == 0o700
    listed = values(
        settings_of(
            "config.settings.prod",
            ["ALLOWED_HOSTS"],
            YOUJIE_VAR_DIR=str(tmp_path),
            ALLOWED_HOSTS="susong.example.gov.cn,testserver",
            **PRODUCTION,
        )
    )
    assert listed["ALLOWED_HOSTS"] == ["susong.example.gov.cn"]


def test_websockets_may_connect_only_to_the_site_itself(client, settings):
    settings.YOUJIE_PUBLIC_URL = "https://susong.example.gov.cn"
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["connect-src"] == ["'self'", "wss://susong.example.gov.cn"]
    settings.YOUJIE_PUBLIC_URL = "http://127.0.0.1:8000"
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "connect-src 'self' ws://127.0.0.1:8000;" in policy
    assert " ws: " not in f"{policy} " and " wss: " not in f"{policy} "


def test_uploaded_files_are_owner_only(tmp_path, settings):
    storage = FileSystemStorage(
        location=tmp_path / "media",
        file_permissions_mode=settings.FILE_UPLOAD_PERMISSIONS,
        directory_permissions_mode=settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS,
    )
    name = storage.save("desk/2026/12/诉状.pdf", ContentFile(b"%PDF-1.4"))
    assert stat.S_IMODE((tmp_path / "media" / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "media" / "desk" / "2026").stat().st_mode) == 0o700


def test_the_sqlite_database_and_var_are_owner_only(tmp_path):
    var = tmp_path / "var"
    code = (
        "import django; django.setup(); "
        "from django.db import connection; "
        "connection.cursor().execute('CREATE TABLE t (x int)'); "
        "from django.core.files.storage import default_storage; "
        "from django.core.files.base import ContentFile; "
        "print(default_storage.save('desk/a.txt', ContentFile(b'x')))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "YOUJIE_", "DATABASE_URL"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", YOUJIE_VAR_DIR=str(var))
    result = subprocess.run(
        ["/bin/sh", "-c", f'umask 022 && exec "{sys.executable}" -c "{code}"'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    for path in [var / "youjie.sqlite3", var / "youjie.sqlite3-wal", var / "media" / "desk"]:
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode & 0o077 == 0, (path, oct(mode))
    assert (var / "youjie.sqlite3").exists()
