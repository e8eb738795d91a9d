"""Structured (JSON lines) log output with the request id attached, credentials redacted."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

from youjie.core.requestcontext import current_request_id

# Paths whose last part is a credential: the citizen's feedback link (/portal/feedback/<token>/).
# uvicorn's access log and Django's "Not Found: <path>" warnings write request paths.
CREDENTIAL_PATHS = re.compile(r"(/portal/feedback/)[^/\s?#\"']+")
REDACTED = "[已隐去]"


def redact(text: str) -> str:
    return CREDENTIAL_PATHS.sub(rf"\1{REDACTED}", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = current_request_id()
        if request_id:
            payload["request_id"] = request_id
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False)
