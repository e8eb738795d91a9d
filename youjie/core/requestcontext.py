"""Per-request values (request id, client address) for logs and audit entries."""

from __future__ import annotations

from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def current_request_id() -> str:
    return _request_id.get()


def current_ip() -> str | None:
    return _client_ip.get()


def set_request_context(*, request_id: str, ip: str | None) -> None:
    _request_id.set(request_id)
    _client_ip.set(ip)
