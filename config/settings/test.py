"""Tests: fixed keys, fast hashing, immediate huey, no OTP prompts unless a test turns them on."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from config.settings.base import *  # noqa: F403
from config.settings.base import HUEY, VAR_DIR

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
YOUJIE_FIELD_KEYS = ["test-field-key-0123456789abcdef0123456789"]
YOUJIE_LOOKUP_KEY = "test-lookup-key-0123456789abcdef"
# argon2 costs ~200 ms a hash here; tests create many users. Production keeps argon2 first.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 3
YOUJIE_NOTIFY_FILE = str(VAR_DIR / "test-artifacts" / "notifications.log")
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The test organisation has two courts (conftest.org_tree, as the demo's): the public channels
# serve 白云鄂博's unless a test says otherwise.
YOUJIE_PORTAL_COURT_CODE = "BT-BYEB-FY"
YOUJIE_WECHAT_COURT_CODE = "BT-BYEB-FY"
YOUJIE_WARM_UP = False  # tests load what they use; youjie/core/tests/test_warmup.py covers it

# A test run moved in time (YOUJIE_TEST_CLOCK, conftest.py) exports its offset from the real
# clock; the processes the tests start (a worker, a server) run on the same moved clock, so a
# signature or a deadline agrees across them.
_CLOCK_OFFSET = os.environ.get("YOUJIE_TEST_CLOCK_OFFSET", "").strip()
if _CLOCK_OFFSET:
    import time_machine

    time_machine.travel(
        datetime.now(UTC) + timedelta(seconds=float(_CLOCK_OFFSET)), tick=True
    ).start()
