"""Issue 12, item 10: backup and restore (database, attachments, what to do with the keys), and a
database whose encrypted fields the configured keys cannot read stops the start."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from youjie.core.models import AuditEntry, KeyCanary, TickClaim

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(tmp_path, media, capsys):
    TickClaim.objects.create(job="before-backup", tick="1")
    AuditEntry.objects.create(action="reveal", subject_type="people.person", subject_id="7")
    stored = default_storage.save("desk/2026/12/诉状.pdf", ContentFile(b"%PDF-1.4 original"))
    target = tmp_path / "backup"

    call_command("backup", "--output", str(target))
    out = capsys.readouterr().out
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == connection.vendor
    assert (target / manifest["database"]).stat().st_size > 0
    assert (target / "media.tar").exists()
    # The keys are not in the backup unless asked for, and the operator is told what to keep.
    assert not (target / "keys.env").exists()
    assert "YOUJIE_FIELD_KEYS" in out and "YOUJIE_LOOKUP_KEY" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o700

    # Life goes on after the backup: rows change, an attachment is lost.
    TickClaim.objects.filter(job="before-backup").delete()
    TickClaim.objects.create(job="after-backup", tick="1")
    default_storage.delete(stored)
    default_storage.save("desk/2026/12/later.pdf", ContentFile(b"later"))

    call_command("restore", str(target), "--yes")
    assert list(TickClaim.objects.values_list("job", flat=True)) == ["before-backup"]
    assert AuditEntry.objects.filter(subject_id="7").count() == 1
    assert (media / stored).read_bytes() == b"%PDF-1.4 original"
    assert not (media / "desk/2026/12/later.pdf").exists()
    assert KeyCanary.objects.count() == 1
    call_command("check", "--database", "default")  # the keys read the restored data


@pytest.mark.django_db(transaction=True)
def test_keys_go_into_the_backup_only_when_asked(tmp_path, media, settings):
    target = tmp_path / "with-keys"
    call_command("backup", "--output", str(target), "--include-keys")
    keys = (target / "keys.env").read_text(encoding="utf-8")
    assert f"YOUJIE_LOOKUP_KEY={settings.YOUJIE_LOOKUP_KEY}" in keys
    assert f"YOUJIE_FIELD_KEYS={','.join(settings.YOUJIE_FIELD_KEYS)}" in keys
    assert stat.S_IMODE((target / "keys.env").stat().st_mode) == 0o600


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_made_under_other_keys(tmp_path, media, settings):
    target = tmp_path / "backup"
    call_command("backup", "--output", str(target))
    TickClaim.objects.create(job="kept", tick="1")
    settings.YOUJIE_FIELD_KEYS = ["another-field-key-0123456789abcdef"]
    with pytest.raises(CommandError, match="密钥"):
        call_command("restore", str(target), "--yes")
    assert TickClaim.objects.filter(job="kept").exists()  # nothing was touched


def test_restore_of_a_missing_or_foreign_folder_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match=r"manifest\.json"):
        call_command("restore", str(tmp_path), "--yes")


def test_a_database_the_keys_cannot_read_stops_the_start(db, settings, monkeypatch):
    assert KeyCanary.objects.count() == 1  # written by the first migrate
    call_command("check", "--database", "default")
    settings.YOUJIE_FIELD_KEYS = ["a-new-key-generated-by-mistake-0123"]
    with pytest.raises(SystemCheckError, match=r"core\.E002"):
        call_command("check", "--database", "default")
    started: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    monkeypatch.setenv("YOUJIE_PUBLIC_URL", "http://127.0.0.1:8000")
    with pytest.raises(SystemCheckError, match="无法解密"):
        call_command("serve", "--no-worker")
    assert started == []


def test_a_changed_lookup_key_stops_the_start_too(db, settings):
    settings.YOUJIE_LOOKUP_KEY = "another-lookup-key"
    with pytest.raises(SystemCheckError, match="YOUJIE_LOOKUP_KEY"):
        call_command("check", "--database", "default")


def test_development_does_not_generate_keys_over_an_existing_database(tmp_path):
    """A restored (or kept) database without its var/field_key: stop, do not make a new key."""
    var = tmp_path / "var"
    var.mkdir()
    (var / "youjie.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "YOUJIE_", "DATABASE_URL"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", YOUJIE_VAR_DIR=str(var))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "var/field_key" in result.stderr or "field_key" in result.stderr
    assert not (var / "field_key").exists() and not (var / "lookup_key").exists()
