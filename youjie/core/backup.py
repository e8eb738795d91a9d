"""Backup and restore of the database, the attachments and (on request) the keys.

A backup is a folder, owner-only (0700)::

    manifest.json       what is in it: engine, time, migrations, key fingerprints
    database.sqlite3    SQLite: a consistent copy by SQLite's online backup API (the server may
                        keep running)
    database.pgdump     PostgreSQL: ``pg_dump --format=custom`` (pg_dump must be on PATH)
    media.tar           the attachments (MEDIA_ROOT), taken after the database
    keys.env            only with ``--include-keys``: DJANGO_SECRET_KEY, YOUJIE_FIELD_KEYS and
                        YOUJIE_LOOKUP_KEY as they are configured

The personal data in the database is encrypted under YOUJIE_FIELD_KEYS and found by hashes
under YOUJIE_LOOKUP_KEY: a backup is only as good as the keys kept with it — and a backup kept
with its keys holds the personal data readable. So the keys are left out unless asked for, the
manifest records their fingerprints (a hash that does not reveal them), and a restore refuses a
backup that the configured keys cannot read.

Restore replaces the database and the attachments (the previous attachments folder is kept
beside it as ``media.before-restore-<time>``). Stop the server and the worker first.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from youjie.core.errors import ApplicationError

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar"
KEYS_FILE = "keys.env"
FORMAT = 1
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(ApplicationError):
    default_code = "backup_failed"


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    engine: str
    database_bytes: int
    media_files: int
    keys_included: bool


def key_fingerprint(key: str) -> str:
    """A short hash that tells keys apart without revealing them."""
    return hashlib.sha256(f"youjie-key-fingerprint\0{key}".encode()).hexdigest()[:16]


def _key_fingerprints() -> dict[str, Any]:
    return {
        "field": [key_fingerprint(key) for key in settings.YOUJIE_FIELD_KEYS],
        "lookup": key_fingerprint(settings.YOUJIE_LOOKUP_KEY),
    }


def _private_folder(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"备份目录 {folder} 已存在且不为空：请指定新的目录")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def _private(path: Path) -> None:
    if path.exists():
        path.chmod(0o600)


def _postgres_command(
    program: str, alias: str, flags: list[str]
) -> tuple[list[str], dict[str, str]]:
    """``pg_dump``/``pg_restore`` with the connection's host, port, user, password and options
    (Django's own translation of the settings for psql, whose options the two tools share)."""
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            f"未找到 {program}：请安装与数据库服务器主版本相同（或更新）的 PostgreSQL 客户端"
            f"（Debian/Ubuntu：apt-get install postgresql-client），并确保它在 PATH 中"
        )
    connection = connections[alias]
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    return [found, *flags, *args[1:]], {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - the PostgreSQL client found on PATH
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{what}失败：{result.stderr.strip()[-2000:]}")


def _migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _database_backup(alias: str, target: Path) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
    elif connection.vendor == "postgresql":
        command, env = _postgres_command(
            "pg_dump",
            alias,
            ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"],
        )
        _run(command, env, "pg_dump 导出数据库")
    else:  # pragma: no cover - the settings admit only these two
        raise BackupError(f"不支持备份 {connection.vendor} 数据库")
    _private(target)


def _media_backup(target: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w") as archive:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                    count += 1
    _private(target)
    return count


def backup_create(
    *, folder: Path, include_keys: bool = False, alias: str = DEFAULT_DB_ALIAS
) -> BackupResult:
    """Write a backup of the database ``alias``, the attachments and, if asked, the keys."""
    _private_folder(folder)
    vendor = connections[alias].vendor
    database = folder / DATABASE_FILES.get(vendor, "database")
    _database_backup(alias, database)
    media_files = _media_backup(folder / MEDIA_ARCHIVE)
    if include_keys:
        keys = folder / KEYS_FILE
        fd = os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(
                f"DJANGO_SECRET_KEY={settings.SECRET_KEY}\n"
                f"YOUJIE_FIELD_KEYS={','.join(settings.YOUJIE_FIELD_KEYS)}\n"
                f"YOUJIE_LOOKUP_KEY={settings.YOUJIE_LOOKUP_KEY}\n"
            )
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(tz=UTC).isoformat(),
        "engine": vendor,
        "database": database.name,
        "media": MEDIA_ARCHIVE,
        "media_files": media_files,
        "migrations": _migrations(alias),
        "keys": {**_key_fingerprints(), "included": include_keys},
    }
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _private(folder / MANIFEST)
    return BackupResult(
        folder=folder,
        engine=vendor,
        database_bytes=database.stat().st_size,
        media_files=media_files,
        keys_included=include_keys,
    )


@dataclass(frozen=True)
class BackupManifest:
    folder: Path
    data: dict[str, Any]

    @property
    def engine(self) -> str:
        return str(self.data.get("engine", ""))

    @property
    def created_at(self) -> str:
        return str(self.data.get("created_at", ""))


def backup_read(*, folder: Path) -> BackupManifest:
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} 不是有解的备份目录（缺少 manifest.json）") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"无法读取 {path}：{exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} 不是本版本能读取的备份说明")
    database = data.get("database")
    if not isinstance(database, str) or not (folder / Path(database).name).is_file():
        raise BackupError(f"备份目录 {folder} 中缺少数据库文件")
    return BackupManifest(folder=folder, data=data)


def backup_key_problems(manifest: BackupManifest) -> list[str]:
    """Why the configured keys cannot read this backup (empty: they can)."""
    recorded = manifest.data.get("keys")
    if not isinstance(recorded, dict):
        return ["备份说明中没有密钥指纹"]
    configured = _key_fingerprints()
    problems = []
    field = recorded.get("field") or []
    if not field or field[0] not in configured["field"]:
        problems.append(
            "当前配置的 YOUJIE_FIELD_KEYS 中没有备份时用于加密的密钥（指纹 "
            f"{field[0] if field else '?'}）"
        )
    if recorded.get("lookup") != configured["lookup"]:
        problems.append("当前配置的 YOUJIE_LOOKUP_KEY 与备份时不同")
    return problems


def _database_restore(manifest: BackupManifest, alias: str) -> None:
    connection = connections[alias]
    source = manifest.folder / Path(str(manifest.data["database"])).name
    if connection.in_atomic_block:
        raise BackupError("不能在事务中恢复数据库")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        backup = sqlite3.connect(source)
        try:
            backup.backup(connection.connection)
        finally:
            backup.close()
    else:
        command, env = _postgres_command(
            "pg_restore",
            alias,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
            ],
        )
        # pg_restore reads the dump given last and writes to the database named by --dbname.
        database = command.pop()
        connection.close()  # our own open connection would hold locks on the tables
        _run([*command, f"--dbname={database}", str(source)], env, "pg_restore 恢复数据库")


def _media_restore(manifest: BackupManifest, stamp: str) -> Path | None:
    """Replace MEDIA_ROOT by the backup's attachments; the previous folder is kept beside it."""
    archive = manifest.folder / str(manifest.data.get("media", MEDIA_ARCHIVE))
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    incoming = root.parent / f".{root.name}.restoring-{stamp}"
    incoming.mkdir(mode=0o700)
    if archive.is_file():
        with tarfile.open(archive, "r") as tar:
            tar.extractall(incoming, filter="data")  # no absolute paths, links or ../
    kept: Path | None = None
    if root.exists():
        kept = root.parent / f"{root.name}.before-restore-{stamp}"
        root.rename(kept)
    incoming.rename(root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    return kept


@dataclass(frozen=True)
class RestoreResult:
    engine: str
    created_at: str
    previous_media: Path | None


def backup_restore(*, manifest: BackupManifest, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Replace the database ``alias`` and the attachments by the backup's."""
    vendor = connections[alias].vendor
    if manifest.engine != vendor:
        raise BackupError(f"备份来自 {manifest.engine} 数据库，当前配置的是 {vendor}：不能直接恢复")
    problems = backup_key_problems(manifest)
    if problems:
        raise BackupError(
            "当前配置的密钥读不出这份备份中的个人信息："
            + "；".join(problems)
            + "。请先配置备份时的密钥（见备份的 keys.env 或您另行保管的密钥），再恢复。"
        )
    _database_restore(manifest, alias)
    stamp = datetime.now(tz=UTC).strftime("%Y%m%d-%H%M%S")
    previous = _media_restore(manifest, stamp)
    return RestoreResult(engine=vendor, created_at=manifest.created_at, previous_media=previous)
