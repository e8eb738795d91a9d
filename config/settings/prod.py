"""Production: every secret must be given explicitly; nothing is generated."""

from __future__ import annotations

from config.env import env_bool, env_list, env_str
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
YOUJIE_FIELD_KEYS = env_list("YOUJIE_FIELD_KEYS", [])
if not YOUJIE_FIELD_KEYS:
    raise RuntimeError("YOUJIE_FIELD_KEYS is required in production")
YOUJIE_LOOKUP_KEY = env_str("YOUJIE_LOOKUP_KEY")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL_REDIRECT else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
