"""Field-level encryption and keyed lookup hashes for personal data.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under keys derived from the
configured secrets; the first key encrypts, all keys decrypt, so keys can be rotated.
Exact lookup uses HMAC-SHA256 under a separate key, so the hash reveals nothing without it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, info: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"youjie-field-v1", info=info)
    return hkdf.derive(secret.encode("utf-8"))


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("YOUJIE_FIELD_KEYS is not configured")
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(key, b"encryption"))) for key in keys]
    )


def encrypt_text(value: str) -> str:
    if value == "":
        return ""
    token = _fernet(tuple(settings.YOUJIE_FIELD_KEYS)).encrypt(value.encode("utf-8"))
    return token.decode("ascii")


def decrypt_text(token: str) -> str:
    if token == "":
        return ""
    try:
        return _fernet(tuple(settings.YOUJIE_FIELD_KEYS)).decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise RuntimeError("personal data could not be decrypted with the configured keys") from exc


def rotate_text(token: str) -> str:
    if token == "":
        return ""
    return _fernet(tuple(settings.YOUJIE_FIELD_KEYS)).rotate(token.encode("ascii")).decode("ascii")


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash of a normalised value, for exact-match lookup without decrypting."""
    if value == "":
        return ""
    key = _derive(settings.YOUJIE_LOOKUP_KEY, purpose.encode("utf-8"))
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
