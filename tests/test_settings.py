"""Configuration: one typed env layer; production refuses to start without its secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import EnvError, env_bool, env_int, parse_database_url
from tests.settings_process import settings_of

ROOT = Path(__file__).resolve().parents[1]


def run_settings(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    return settings_of(module, [], **env)


def test_production_requires_explicit_secrets(tmp_path):
    missing = run_settings("config.settings.prod", YOUJIE_VAR_DIR=str(tmp_path))
    assert missing.returncode != 0
    assert "DJANGO_SECRET_KEY" in missing.stderr
    given = run_settings(
        "config.settings.prod",
        YOUJIE_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="x" * 50,
        YOUJIE_FIELD_KEYS="k1,k2",
        YOUJIE_LOOKUP_KEY="lookup",
        YOUJIE_PUBLIC_URL="https://susong.example.gov.cn",
    )
    assert given.returncode == 0, given.stderr
    assert not (tmp_path / "secret_key").exists()  # production never generates secrets


def test_development_generates_secrets_once_into_var(tmp_path):
    first = run_settings("config.settings.dev", YOUJIE_VAR_DIR=str(tmp_path))
    assert first.returncode == 0, first.stderr
    secret = (tmp_path / "secret_key").read_text()
    assert (tmp_path / "field_key").exists() and (tmp_path / "lookup_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    run_settings("config.settings.dev", YOUJIE_VAR_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == secret


def test_env_readers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(EnvError, match="X_BOOL"):
        env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "-3")
    with pytest.raises(EnvError, match=">= 0"):
        env_int("X_INT", 1, minimum=0)
    with pytest.raises(EnvError):
        parse_database_url("mysql://u@h/db")


def test_database_urls():
    pg = parse_database_url("postgresql://user:p%40ss@db.example:5433/youjie?sslmode=require")
    assert (pg.engine, pg.name, pg.user, pg.password, pg.host, pg.port) == (
        "django.db.backends.postgresql",
        "youjie",
        "user",
        "p@ss",
        "db.example",
        "5433",
    )
    assert pg.options == {"sslmode": "require"}
    assert parse_database_url("sqlite:////tmp/x.sqlite3").name == "/tmp/x.sqlite3"


def postgres_options(tmp_path: Path, url: str) -> dict[str, str]:
    code = (
        "import importlib, json; s = importlib.import_module('config.settings.dev'); "
        "print(json.dumps(s.DATABASES['default']['OPTIONS']))"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DATABASE_URL=url, YOUJIE_VAR_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    options: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return options


def test_postgres_connections_run_without_jit_unless_the_url_says_otherwise(tmp_path):
    plain = postgres_options(tmp_path, "postgresql://u@db.example/youjie?sslmode=require")
    assert plain == {"options": "-c jit=off", "sslmode": "require"}
    chosen = postgres_options(tmp_path, "postgresql://u@db.example/youjie?options=-c%20jit%3Don")
    assert chosen == {"options": "-c jit=on"}
