"""Production: every secret must be given explicitly; nothing is generated."""

from __future__ import annotations

from config.env import (
    env_bool,
    env_int,
    env_list,
    env_public_url,
    env_str,
    public_host,
    public_origin,
)
from config.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
YOUJIE_FIELD_KEYS = env_list("YOUJIE_FIELD_KEYS", [])
if not YOUJIE_FIELD_KEYS:
    raise RuntimeError("YOUJIE_FIELD_KEYS is required in production")
YOUJIE_LOOKUP_KEY = env_str("YOUJIE_LOOKUP_KEY")

# Links in SMS and e-mail point here (https://susong.example.gov.cn): required.
YOUJIE_PUBLIC_URL = env_public_url("YOUJIE_PUBLIC_URL")
# The site's own host by default; Django's test client host never.
ALLOWED_HOSTS = [
    host
    for host in env_list("ALLOWED_HOSTS", [public_host(YOUJIE_PUBLIC_URL)])
    if host != "testserver"
]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [public_origin(YOUJIE_PUBLIC_URL)])

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: browsers that reached the site over HTTPS keep to HTTPS for a year. Django sends the
# header only on HTTPS requests (behind the proxy: X-Forwarded-Proto, below); 0 switches it off.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
