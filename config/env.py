"""Typed readers for environment variables.

Every setting that comes from the environment is read here, once, and a bad value
fails loudly at start-up with the variable's name instead of surfacing later.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class EnvError(RuntimeError):
    """A configuration variable is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise EnvError(f"environment variable {name} is required")
        return default
    return value


def env_optional(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise EnvError(f"environment variable {name} must be a boolean, got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise EnvError(f"environment variable {name} must be an integer, got {value!r}") from exc
    if minimum is not None and number < minimum:
        raise EnvError(f"environment variable {name} must be >= {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of IP addresses or networks (``127.0.0.1, 10.0.0.0/8, ::1``)."""
    networks: list[str] = []
    for part in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError as exc:
            raise EnvError(
                f"environment variable {name} must list IP addresses or networks, got {part!r}"
            ) from exc
    return networks


def public_url(value: str, *, name: str = "YOUJIE_PUBLIC_URL") -> str:
    """``https://host[:port][/prefix]`` without a trailing slash; anything else fails loudly."""
    parsed = urlparse(value.strip())
    if (
        parsed.scheme not in {"http", "https"}
        or not parsed.hostname
        or parsed.query
        or parsed.fragment
        or parsed.username
        or parsed.password
    ):
        raise EnvError(
            f"{name} must be the site's address such as https://susong.example.gov.cn, "
            f"got {value!r}"
        )
    try:
        parsed.port  # noqa: B018  (a port out of range raises here)
    except ValueError as exc:
        raise EnvError(f"{name} has an invalid port: {value!r}") from exc
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path}".rstrip("/")


def public_host(url: str) -> str:
    """The host of a public URL as ALLOWED_HOSTS spells it (``[::1]`` for IPv6)."""
    host = urlparse(url).hostname or ""
    return f"[{host}]" if ":" in host else host


def public_origin(url: str) -> str:
    """``scheme://host[:port]`` of a public URL (CSRF_TRUSTED_ORIGINS, the CSP)."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}"


def env_public_url(name: str, default: str | None = None) -> str:
    """The address people reach the site at; required when no default is given."""
    return public_url(env_str(name, default), name=name)


@dataclass(frozen=True)
class DatabaseConfig:
    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] | None = None


def parse_database_url(url: str) -> DatabaseConfig:
    """Parse ``postgresql://user:pass@host:port/name`` or ``sqlite:///path``."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme in {"postgres", "postgresql", "postgresql+psycopg", "pgsql"}:
        name = unquote(parsed.path.lstrip("/"))
        if not name:
            raise EnvError("DATABASE_URL must name a database")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return DatabaseConfig(
            engine="django.db.backends.postgresql",
            name=name,
            user=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
            host=parsed.hostname or "",
            port=str(parsed.port or ""),
            options=options or None,
        )
    if scheme == "sqlite":
        path = unquote(parsed.path)
        # sqlite:////abs/path is absolute; sqlite:///rel/path is relative to the working folder.
        relative = path.lstrip("/")
        name = "/" + relative if url.startswith("sqlite:////") else relative or ":memory:"
        return DatabaseConfig(engine="django.db.backends.sqlite3", name=name)
    raise EnvError(f"DATABASE_URL scheme {scheme!r} is not supported (postgresql or sqlite)")


def private_directory(path: Path) -> Path:
    """Create ``path`` (and its parents) readable by the owner only; tighten it if it exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    tighten(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only if it is missing; tighten it if it exists.

    SQLite gives its -wal and -shm files the database file's permissions, so creating the
    database file owner-only before SQLite opens it covers all three.
    """
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        tighten(path, 0o600)
    except FileNotFoundError:
        pass  # no such folder: SQLite says so when it opens the database
    return path


def tighten(path: Path, mode: int) -> None:
    """Take group and other permissions off a file or folder of ours (someone else's: left)."""
    status = path.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        path.chmod(mode)


def read_or_create_secret(path: Path, *, nbytes: int = 48, create: bool = True) -> str:
    """Return the secret stored at ``path``, creating it on first use (development only).

    With ``create=False`` a missing secret is returned as "" instead of being generated: a
    database that already holds data encrypted under the lost key must not get a new one.
    """
    private_directory(path.parent)
    if path.exists():
        content = path.read_text(encoding="utf-8").strip()
        if content:
            return content
    if not create:
        return ""
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
