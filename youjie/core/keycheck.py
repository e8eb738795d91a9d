"""Do the configured keys read this database? A canary value, and the checks that read it.

Personal data is encrypted under ``YOUJIE_FIELD_KEYS`` and found by hashes under
``YOUJIE_LOOKUP_KEY`` (youjie.core.crypto). A database restored without its keys, or started
with keys generated anew, would show nothing readable and write new data under other keys. So
the first migrate stores a known text encrypted and hashed under the keys (``KeyCanary``), and
every start reads it back:

- core.E001: no key configured at all (in development: var/field_key or var/lookup_key is
  missing while the database holds data, and config/settings/dev.py made no new one);
- core.E002: the field keys cannot decrypt the canary;
- core.E003: the lookup key hashes the canary differently.

The checks are tagged ``database``: they run in ``manage.py serve``, ``migrate`` and
``check --database default``. Each ``migrate`` re-encrypts the canary under the first field key
once it reads it, so that rotating keys (listing the new key first) keeps it readable.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections

from youjie.core.crypto import decrypt_text, encrypt_text, lookup_hash, rotate_text
from youjie.core.models import KeyCanary

CANARY_TEXT = "有解 youjie: 密钥校验"
CANARY_PURPOSE = "core.key_canary"
KEY_HINT = (
    "开发环境：从备份恢复 var/field_key 与 var/lookup_key（manage.py backup --include-keys 的 "
    "keys.env 中有其值）；生产环境：设置写入这些数据时所用的 YOUJIE_FIELD_KEYS 与 "
    "YOUJIE_LOOKUP_KEY。不要生成新密钥：新密钥读不出已有的个人信息。"
)


def keys_configured() -> bool:
    return bool(list(getattr(settings, "YOUJIE_FIELD_KEYS", []) or [])) and bool(
        getattr(settings, "YOUJIE_LOOKUP_KEY", "")
    )


def _canary_table_exists(alias: str) -> bool:
    return KeyCanary._meta.db_table in connections[alias].introspection.table_names()


def key_canary_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write the canary under the configured keys if there is none; re-encrypt a readable one
    under the first key (after a rotation). A canary the keys cannot read is left for the
    check to report."""
    if not keys_configured() or not _canary_table_exists(using):
        return
    canary = KeyCanary.objects.using(using).order_by("id").first()
    if canary is None:
        KeyCanary.objects.using(using).create(
            encrypted=encrypt_text(CANARY_TEXT),
            lookup=lookup_hash(CANARY_TEXT, purpose=CANARY_PURPOSE),
        )
        return
    try:
        rotated = rotate_text(canary.encrypted)
    except Exception:  # noqa: BLE001 - unreadable: reported by key_canary_check
        return
    if rotated != canary.encrypted:
        canary.encrypted = rotated
        canary.save(using=using, update_fields=["encrypted"])


def key_canary_problems(*, using: str = DEFAULT_DB_ALIAS) -> list[checks.CheckMessage]:
    """What is wrong between the configured keys and the database ``using`` (empty: nothing)."""
    if not keys_configured():
        return [
            checks.Error(
                "未配置个人信息加密密钥（YOUJIE_FIELD_KEYS / YOUJIE_LOOKUP_KEY）。",
                hint=KEY_HINT,
                id="core.E001",
            )
        ]
    if not _canary_table_exists(using):
        return []  # a new database: the first migrate writes the canary
    canary = KeyCanary.objects.using(using).order_by("id").first()
    if canary is None:
        return []
    problems: list[checks.CheckMessage] = []
    try:
        readable = decrypt_text(canary.encrypted) == CANARY_TEXT
    except RuntimeError:
        readable = False
    if not readable:
        problems.append(
            checks.Error(
                "数据库中的个人信息无法解密：当前配置的 YOUJIE_FIELD_KEYS 不是写入这些数据时"
                "所用的密钥（例如只恢复了数据库而没有恢复密钥），已停止启动。",
                hint=KEY_HINT,
                id="core.E002",
            )
        )
    if lookup_hash(CANARY_TEXT, purpose=CANARY_PURPOSE) != canary.lookup:
        problems.append(
            checks.Error(
                "当前的 YOUJIE_LOOKUP_KEY 与写入数据库时所用的不同：按身份证号、手机号查找将"
                "找不到已有的人员，已停止启动。",
                hint=KEY_HINT,
                id="core.E003",
            )
        )
    return problems


def keys_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """System check (tag ``database``): see the module's docstring."""
    if not databases:
        return [] if keys_configured() else key_canary_problems()
    problems: list[checks.CheckMessage] = []
    for alias in databases:
        problems.extend(key_canary_problems(using=alias))
    return problems
