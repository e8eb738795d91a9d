"""Settings shared by every environment. Values come from config.env, read once here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import django_stubs_ext

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_optional,
    env_public_url,
    env_str,
    parse_database_url,
    private_directory,
    private_file,
)

# Lets admin.ModelAdmin[Model] and QuerySet[Model] be subscripted at run time (typing).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The database, the queue, attachments and keys live here: readable by the owner only.
VAR_DIR = private_directory(Path(env_str("YOUJIE_VAR_DIR", str(BASE_DIR / "var"))))

DEBUG = False
SECRET_KEY = env_optional("DJANGO_SECRET_KEY") or ""
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The address people reach the site at: links in SMS and e-mail are built from it. By default
# the address `make run` serves (`manage.py serve --host/--port` sets it for the processes it
# starts); required in production (config/settings/prod.py).
YOUJIE_PUBLIC_URL = env_public_url("YOUJIE_PUBLIC_URL", "http://127.0.0.1:8000")
# Reverse proxies whose X-Forwarded-For names the client (addresses or networks). Empty: the
# header is ignored and the client is the connection's peer — the rate limits, the login
# lock-out and the audit log all take the address from youjie.core.middleware.client_ip.
YOUJIE_TRUSTED_PROXIES = env_networks("YOUJIE_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "django_htmx",
    "template_partials",
    # Third-party apps under Chinese names for the admin (youjie.core.thirdparty).
    "youjie.core.thirdparty.OtpConfig",
    "youjie.core.thirdparty.OtpTotpConfig",
    "youjie.core.thirdparty.AxesConfig",
    "youjie.core.thirdparty.HueyConfig",
    "youjie.core",
    "youjie.workdays",
    "youjie.orgs",
    "youjie.documents",
    "youjie.exports",
    "youjie.people",
    "youjie.courtcases",
    "youjie.fees",
    "youjie.filings",
    "youjie.mediation",
    "youjie.notifications",
    "youjie.desk",
    "youjie.petitions",
    "youjie.inbound",
    "youjie.analytics",
    "youjie.portal",
    "youjie.api",
    "youjie.demo",
]

MIDDLEWARE = [
    # X-Forwarded-Proto believed only from YOUJIE_TRUSTED_PROXIES: before anything reads it.
    "youjie.core.middleware.TrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "youjie.core.middleware.RequestIdMiddleware",
    "youjie.core.middleware.RequestSizeLimitMiddleware",
    "youjie.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "youjie.orgs.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "youjie.core.middleware.AdminNulGuardMiddleware",  # after auth: the error page needs user
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "youjie.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Form widgets (each <option> is a template) through Django's Jinja2 renderer: same markup,
# a fraction of the cost. Pages stay Django templates (docs/decisions/0004).
FORM_RENDERER = "youjie.core.formrenderer.FormRenderer"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "youjie.core.context_processors.site",
                "youjie.core.context_processors.nav",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = env_optional("DATABASE_URL")
    if url:
        config = parse_database_url(url)
    else:
        config = parse_database_url(f"sqlite:///{VAR_DIR / 'youjie.sqlite3'}")
    if config.engine.endswith("sqlite3"):
        if config.name != ":memory:" and not config.name.startswith("file:"):
            private_file(Path(config.name))  # owner-only, and so its -wal and -shm files
        return {
            "ENGINE": config.engine,
            "NAME": config.name,
            "OPTIONS": {
                # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write
                # lock at BEGIN so that two writers queue instead of failing with "locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": env_optional("YOUJIE_TEST_SQLITE_NAME")},
            # Keep the connection between requests: opening one (Django's SQL functions, the
            # PRAGMAs, SQLite reading the schema) cost ~7 M instructions, 15 % of a list page
            # (bench/instructions.sh W2: 48.5 → 41.2 M). WAL readers hold no snapshot between
            # statements, so an idle connection blocks nothing.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0),
        }
    return {
        "ENGINE": config.engine,
        "NAME": config.name,
        "USER": config.user,
        "PASSWORD": config.password,
        "HOST": config.host,
        "PORT": config.port,
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # JIT off unless the URL says otherwise (?options=...): it compiled the desk figures'
        # grouped queries on every request and cost more than it saved (a division head's
        # dashboard at a million requests: 950 → 720 ms; docs/performance.md, fifth round).
        "OPTIONS": {"options": "-c jit=off", **(config.options or {})},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "youjie.orgs.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account+address after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# The same client address as the rate limits: X-Forwarded-For only from a trusted proxy.
AXES_CLIENT_IP_CALLABLE = "youjie.core.middleware.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "youjie.core.staticstorage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
# Attachments hold personal data: owner-only files and folders.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# Size limits for every form and endpoint (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("YOUJIE_MAX_REQUEST_BYTES", 2 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
YOUJIE_MAX_UPLOAD_BYTES = env_int("YOUJIE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024, minimum=1024)
# Whole request bodies above this are refused with 413 before they are read.
YOUJIE_MAX_REQUEST_BODY_BYTES = YOUJIE_MAX_UPLOAD_BYTES + 2 * 1024 * 1024
# An Idempotency-Key is remembered this many days; a retry after that creates anew.
YOUJIE_IDEMPOTENCY_KEY_DAYS = env_int("YOUJIE_IDEMPOTENCY_KEY_DAYS", 30, minimum=1)
# A case import that shows no progress for this long is taken as interrupted (its worker died).
YOUJIE_IMPORT_STALL_MINUTES = env_int("YOUJIE_IMPORT_STALL_MINUTES", 15, minimum=1)
# The watched folder of the courts' case lists, <dir>/<法院代字>/incoming/*.xlsx|*.csv, scanned
# every five minutes (docs/subsystems/case-imports.md). "" switches the scan off: in the
# environment write "off" (an empty variable means the default, as for every variable here).
YOUJIE_CASE_IMPORT_DIR = env_str("YOUJIE_CASE_IMPORT_DIR", str(VAR_DIR / "case-imports"))
if YOUJIE_CASE_IMPORT_DIR.strip().lower() == "off":
    YOUJIE_CASE_IMPORT_DIR = ""
# A pushed or scheduled run that refuses more rows than this notifies the court's administrators
# (one that fails, or refuses every row, always does).
YOUJIE_CASE_IMPORT_NOTICE_REFUSED_ROWS = env_int(
    "YOUJIE_CASE_IMPORT_NOTICE_REFUSED_ROWS", 10, minimum=0
)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The fragment caches (queue rows, the request page's sections: keyed by what they show, so a
# change is never served stale) live in each process's memory. Django's default keeps 300
# entries and then drops a third at once: the bench's pages alone need ~250 (25 rows a list, three
# entries a request page), and a division's day needs more. YOUJIE_CACHE_ENTRIES bounds it (each
# entry is a few KB of HTML: 1,500 is at most ~6 MB a worker).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("YOUJIE_CACHE_ENTRIES", 1_500, minimum=100)},
    }
}

# Channels: in-memory by default, Redis when REDIS_URL is set.
REDIS_URL = env_optional("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS: dict[str, Any] = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Huey: SqliteHuey by default (no server), RedisHuey when REDIS_URL is set.
if REDIS_URL:
    HUEY: dict[str, Any] = {
        "huey_class": "huey.RedisHuey",
        "name": "youjie",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        # SqliteHuey whose consumer holds a lock on the queue: a second one refuses to start.
        "huey_class": "youjie.core.queue.SingleConsumerSqliteHuey",
        "name": "youjie",
        "filename": str(private_file(VAR_DIR / "huey.sqlite3")),
        "immediate": False,
    }

# Personal-data encryption. Keys are secrets; see config/settings/dev.py and prod.py.
YOUJIE_FIELD_KEYS: list[str] = []
YOUJIE_LOOKUP_KEY = ""

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "youjie@localhost")

# Notifications (youjie.notifications): transports per channel, the SMS gateway, retries.
YOUJIE_NOTIFY_TRANSPORTS = {  # values: "file" | "smtp" (email only) | "http_sms" (sms only)
    "sms": env_str("YOUJIE_NOTIFY_SMS_TRANSPORT", "file"),
    "email": env_str("YOUJIE_NOTIFY_EMAIL_TRANSPORT", "file"),
    "wechat": env_str("YOUJIE_NOTIFY_WECHAT_TRANSPORT", "file"),
    "console": env_str("YOUJIE_NOTIFY_CONSOLE_TRANSPORT", "file"),
}
YOUJIE_NOTIFY_FILE = env_str("YOUJIE_NOTIFY_FILE", str(VAR_DIR / "notifications.log"))
YOUJIE_NOTIFY_LEASE_SECONDS = env_int("YOUJIE_NOTIFY_LEASE_SECONDS", 60, minimum=1)
YOUJIE_NOTIFY_MAX_ATTEMPTS = env_int("YOUJIE_NOTIFY_MAX_ATTEMPTS", 6, minimum=1)
# Sent and abandoned messages are deleted after this many days (a daily job).
YOUJIE_NOTIFY_RETENTION_DAYS = env_int("YOUJIE_NOTIFY_RETENTION_DAYS", 180, minimum=1)
YOUJIE_NOTIFY_BACKOFF_SECONDS = (30, 120, 600, 1800, 7200)
YOUJIE_SMS_GATEWAY_URL = env_str("YOUJIE_SMS_GATEWAY_URL", "")
YOUJIE_SMS_GATEWAY_KEY = env_str("YOUJIE_SMS_GATEWAY_KEY", "")  # HMAC secret
# The signature every SMS text begins with, as registered with the carrier
# (e.g. 【白云鄂博矿区法院】); "" = the short name (else the name) of the court the text comes
# from (youjie.notifications.sms).
YOUJIE_SMS_SIGN = env_str("YOUJIE_SMS_SIGN", "")
# What the gateway receives as "content": the text already begins with its signature.
YOUJIE_SMS_TEMPLATE = env_str("YOUJIE_SMS_TEMPLATE", "{body}")
YOUJIE_SMS_TIMEOUT = env_int("YOUJIE_SMS_TIMEOUT", 10, minimum=1)  # keep below the lease

# WeChat official-account callback /inbound/wechat/. No token → switched off (404).
YOUJIE_WECHAT_TOKEN = env_str("YOUJIE_WECHAT_TOKEN", "")
YOUJIE_WECHAT_AES_KEY = env_str("YOUJIE_WECHAT_AES_KEY", "")  # 43 chars → safe mode
YOUJIE_WECHAT_APPID = env_str("YOUJIE_WECHAT_APPID", "")  # required with an AES key
YOUJIE_WECHAT_COURT_CODE = env_str("YOUJIE_WECHAT_COURT_CODE", "")  # "" = the only court
# The court whose litigation-service desk the public portal (/portal/) serves, by its unit code
# (BT-BYEB-FY). "" = the only court: a deployment with several courts (a city's, for
# cross-domain filing) names it, as `make run`'s demo does (config/settings/dev.py).
YOUJIE_PORTAL_COURT_CODE = env_str("YOUJIE_PORTAL_COURT_CODE", "")

# Petitions: a coordination request to a department is answered within this many working days
# unless the sender sets another time limit (1 to 60).
YOUJIE_COORDINATION_WORKDAYS = env_int("YOUJIE_COORDINATION_WORKDAYS", 10, minimum=1)

YOUJIE_SITE_NAME = "有解"
YOUJIE_REQUIRE_OTP_FOR = ["administrator", "court_leader"]
YOUJIE_OTP_ENFORCED = env_bool("YOUJIE_OTP_ENFORCED", True)
# The account reads "有解" in the authenticator app; the admin never shows a device's secret.
OTP_TOTP_ISSUER = YOUJIE_SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "youjie.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
    },
}

# Petitions (信访化解), supervision (issue 13): youjie/petitions/policy.py reads these and
# youjie/petitions/checks.py refuses a malformed one at start-up.
# 发文机关代字 of each office that sends 督办函, by office code: 包政法专督〔2026〕3号.
YOUJIE_PETITIONS_LETTER_PREFIXES: dict[str, str] = {"BT-ZXB": "包政法专督"}
# 每日一通报: issuing office, its 代字, the time (Beijing, HH:MM) it is generated on each working
# day, e-mail addresses that receive it besides the offices' officers, and the username it is
# issued as by the periodic task ("" = the issuing office's first active officer).
YOUJIE_PETITIONS_BULLETIN_OFFICE = env_str("YOUJIE_PETITIONS_BULLETIN_OFFICE", "BT-ZXB")
YOUJIE_PETITIONS_BULLETIN_PREFIX = env_str("YOUJIE_PETITIONS_BULLETIN_PREFIX", "包政法通")
YOUJIE_PETITIONS_BULLETIN_TIME = env_str("YOUJIE_PETITIONS_BULLETIN_TIME", "18:00")
YOUJIE_PETITIONS_BULLETIN_RECIPIENTS = env_list("YOUJIE_PETITIONS_BULLETIN_RECIPIENTS", [])
YOUJIE_PETITIONS_BULLETIN_ISSUER = env_str("YOUJIE_PETITIONS_BULLETIN_ISSUER", "")
# 三日一研究: every third working day counted from this date (YYYY-MM-DD); the agenda is
# generated at this time (Beijing, HH:MM) for these offices (codes).
YOUJIE_PETITIONS_REVIEW_START = env_str("YOUJIE_PETITIONS_REVIEW_START", "2026-01-05")
YOUJIE_PETITIONS_REVIEW_TIME = env_str("YOUJIE_PETITIONS_REVIEW_TIME", "08:30")
YOUJIE_PETITIONS_REVIEW_OFFICES = env_list("YOUJIE_PETITIONS_REVIEW_OFFICES", ["BT-ZXB"])

# Court figures (审判质效, issue 15): what 一审服判息诉率 subtracts from 一审结案 — appealed
# (always), and petitioned (申请再审/申诉) where the court counts it so (DOMAIN.md §9).
# youjie/analytics/policy.py reads it; youjie/analytics/checks.py refuses a malformed value.
YOUJIE_ACCEPTANCE_RATE_SUBTRACT = env_list("YOUJIE_ACCEPTANCE_RATE_SUBTRACT", ["appealed"])

# Fee payment (码上缴费, issue 14 item 4): the provider and its merchant account, read at call
# time by youjie/fees/gateways/config.py; youjie/fees/checks.py refuses a malformed one at
# start-up. No provider (the default): the pay page sends payers to the counter. The keys are
# files outside the repository; `manage.py fees_standin` makes a local stand-in's in var/ and
# prints these variables for the demo.
YOUJIE_PAYMENT: dict[str, Any] = {
    "provider": env_str("YOUJIE_PAYMENT_PROVIDER", ""),  # "" | "wechatpay"
    "mchid": env_str("YOUJIE_PAYMENT_MCHID", ""),
    "appid": env_str("YOUJIE_PAYMENT_APPID", ""),
    "private_key_path": env_str("YOUJIE_PAYMENT_PRIVATE_KEY_PATH", ""),
    "cert_serial_no": env_str("YOUJIE_PAYMENT_CERT_SERIAL_NO", ""),
    "apiv3_key": env_str("YOUJIE_PAYMENT_APIV3_KEY", ""),
    "platform_public_key_path": env_str("YOUJIE_PAYMENT_PLATFORM_PUBLIC_KEY_PATH", ""),
    "platform_public_key_id": env_str("YOUJIE_PAYMENT_PLATFORM_PUBLIC_KEY_ID", ""),
    "base_url": env_str("YOUJIE_PAYMENT_BASE_URL", "https://api.mch.weixin.qq.com"),
    "notify_url": env_str("YOUJIE_PAYMENT_NOTIFY_URL", ""),
    "timeout": env_int("YOUJIE_PAYMENT_TIMEOUT", 10, minimum=1),
    "order_minutes": env_int("YOUJIE_PAYMENT_ORDER_MINUTES", 30, minimum=1),
    "notification_max_age": env_int("YOUJIE_PAYMENT_NOTIFICATION_MAX_AGE", 300, minimum=1),
}

# Exports of the staff lists (issue 15 item 6, youjie/exports, docs/subsystems/exports.md): up to
# YOUJIE_EXPORT_DIRECT_MAX_ROWS rows come back at once; larger lists are written by the worker
# into YOUJIE_EXPORTS_DIR and kept YOUJIE_EXPORT_KEEP_DAYS days for their owner to download; no
# export holds more than YOUJIE_EXPORT_MAX_ROWS rows, and a user runs at most
# YOUJIE_EXPORT_RUNNING_MAX background exports at once. youjie/exports/checks.py refuses a
# direct limit above the overall one.
YOUJIE_EXPORTS_DIR = env_str("YOUJIE_EXPORTS_DIR", str(VAR_DIR / "exports"))
YOUJIE_EXPORT_DIRECT_MAX_ROWS = env_int("YOUJIE_EXPORT_DIRECT_MAX_ROWS", 2_000, minimum=1)
YOUJIE_EXPORT_MAX_ROWS = env_int("YOUJIE_EXPORT_MAX_ROWS", 100_000, minimum=1)
YOUJIE_EXPORT_RUNNING_MAX = env_int("YOUJIE_EXPORT_RUNNING_MAX", 3, minimum=1)
YOUJIE_EXPORT_KEEP_DAYS = env_int("YOUJIE_EXPORT_KEEP_DAYS", 7, minimum=1)
# A background export that shows no progress for this long is taken as interrupted.
YOUJIE_EXPORT_STALL_MINUTES = env_int("YOUJIE_EXPORT_STALL_MINUTES", 30, minimum=1)
