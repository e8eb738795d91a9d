"""The base of every API input schema.

No text in an API input may hold a NUL character: PostgreSQL text cannot store one (the insert
or even a lookup fails with a DataError, a 500), and no honest client sends one. SQLite would
store it silently, so only the PostgreSQL pass would see the difference. Every app's input
schemas, query schemas included, derive from ``InputSchema`` so that such input is a 422 with
the field's name on either database.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import field_validator

NUL = "\x00"
NUL_MESSAGE = "不能包含空字符"


class InputSchema(Schema):
    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and NUL in value:
            raise ValueError(NUL_MESSAGE)
        return value
