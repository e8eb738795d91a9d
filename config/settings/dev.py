"""Development: secrets are generated into var/ on first run so that `make run` needs nothing."""

from __future__ import annotations

from config.env import env_bool, env_list, env_optional, read_or_create_secret
from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_optional("DJANGO_SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret_key")
YOUJIE_FIELD_KEYS = env_list("YOUJIE_FIELD_KEYS", []) or [
    read_or_create_secret(VAR_DIR / "field_key")
]
YOUJIE_LOOKUP_KEY = env_optional("YOUJIE_LOOKUP_KEY") or read_or_create_secret(
    VAR_DIR / "lookup_key"
)
