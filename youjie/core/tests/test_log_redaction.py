"""Issue 12, item 6: credentials in request paths never reach the logs (uvicorn's access log,
Django's "Not Found: …" warnings), whichever logger writes them."""

from __future__ import annotations

import json
import logging

import pytest

from youjie.core.logging import JsonFormatter

TOKEN = "Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc"


def _format(message: str, *args: object) -> str:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, message, args, None)
    return str(json.loads(JsonFormatter().format(record))["message"])


@pytest.mark.parametrize(
    ("message", "args"),
    [
        ("Not Found: %s", (f"/portal/feedback/{TOKEN}/",)),
        ("Gone: %s", (f"/portal/feedback/{TOKEN}/thanks/",)),
        (
            '%s - "%s %s HTTP/%s" %d',
            ("10.0.0.1:5555", "POST", f"/portal/feedback/{TOKEN}/?x=1", "1.1", 302),
        ),
        ("GET %s", (f"https://susong.example.gov.cn/portal/feedback/{TOKEN}",)),
    ],
)
def test_a_feedback_token_in_a_path_is_redacted(message, args):
    formatted = _format(message, *args)
    assert TOKEN not in formatted
    assert "/portal/feedback/" in formatted  # what happened is still readable


def test_other_messages_are_unchanged():
    assert _format("case import %s failed", 42) == "case import 42 failed"
