"""The one error vocabulary. Pages and the API each map these in exactly one place.

Messages are user-facing Simplified Chinese; ``code`` is machine-readable and stable.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    status_code = 400
    default_code = "application_error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.extra = extra or {}
        self.fields = fields or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        if self.extra:
            body["extra"] = self.extra
        return body


class ValidationFailed(ApplicationError):
    status_code = 422
    default_code = "validation_failed"


class NotFound(ApplicationError):
    status_code = 404
    default_code = "not_found"

    def __init__(self, message: str = "记录不存在或无权查看", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class PermissionDenied(ApplicationError):
    status_code = 403
    default_code = "permission_denied"

    def __init__(self, message: str = "没有执行此操作的权限", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)


class InvalidTransition(ApplicationError):
    status_code = 409
    default_code = "invalid_transition"


class Conflict(ApplicationError):
    status_code = 409
    default_code = "conflict"


def validation_error_to_fields(error: Any) -> dict[str, list[str]]:
    """Flatten a Django ValidationError into {field: [messages]}."""
    if hasattr(error, "message_dict"):
        return {key: [str(m) for m in msgs] for key, msgs in error.message_dict.items()}
    return {"__all__": [str(m) for m in getattr(error, "messages", [str(error)])]}
