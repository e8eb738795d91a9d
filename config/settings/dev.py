"""Development and `make run`: secrets are generated into var/ on first run so that `make run`
needs nothing. DEBUG (Django's technical error pages, with the URL configuration) only when a
developer asks for it with DJANGO_DEBUG=1: visitors of `make run` see the Chinese error pages."""

from __future__ import annotations

from pathlib import Path

from config.env import (
    env_bool,
    env_list,
    env_optional,
    public_host,
    read_or_create_secret,
)
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, DATABASES, VAR_DIR, YOUJIE_PUBLIC_URL

DEBUG = env_bool("DJANGO_DEBUG", False)

# The demo's city has two courts (青山区's for cross-domain filing): its desk, portal and WeChat
# account are 白云鄂博矿区人民法院's (youjie/demo/orgdata.py COURT_CODE).
YOUJIE_PORTAL_COURT_CODE = env_optional("YOUJIE_PORTAL_COURT_CODE") or "BT-BYEB-FY"
YOUJIE_WECHAT_COURT_CODE = env_optional("YOUJIE_WECHAT_COURT_CODE") or "BT-BYEB-FY"


def _database_holds_data() -> bool:
    """The default SQLite database has been written to (a server database: see core.E002)."""
    database = DATABASES["default"]
    if not str(database["ENGINE"]).endswith("sqlite3"):
        return False
    path = Path(str(database["NAME"]))
    return path.is_file() and path.stat().st_size > 0


# The personal-data keys are generated only for a new database. A database that holds data
# keeps the keys it was written with: if var/field_key or var/lookup_key is missing then, no new
# key is made (it could not read the data, and would encrypt new data under another key); the
# system check core.E001 stops the start and says which file to restore.
_NEW_KEYS_ALLOWED = not _database_holds_data()

SECRET_KEY = env_optional("DJANGO_SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret_key")
YOUJIE_FIELD_KEYS = env_list("YOUJIE_FIELD_KEYS", []) or [
    key for key in [read_or_create_secret(VAR_DIR / "field_key", create=_NEW_KEYS_ALLOWED)] if key
]
YOUJIE_LOOKUP_KEY = env_optional("YOUJIE_LOOKUP_KEY") or read_or_create_secret(
    VAR_DIR / "lookup_key", create=_NEW_KEYS_ALLOWED
)

# The host of the public address is served too (`HOST=0.0.0.0 make run` reached by its name).
if not env_optional("ALLOWED_HOSTS") and public_host(YOUJIE_PUBLIC_URL) not in ALLOWED_HOSTS:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, public_host(YOUJIE_PUBLIC_URL)]
