"""The desk's output schemas (OutSchema): dicts validated as they are, objects still read."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from youjie.desk.schemas import EventOut, FeedbackOut, OutSchema

AT = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)


def test_a_dict_is_validated_and_converted():
    event = EventOut.model_validate(
        {
            "verb": "registered", "actor": "测试", "from_state": "", "to_state": "registered",
            "reason": "", "data": {"channel": "api"}, "at": "2026-12-04T09:30:00+00:00",
        }
    )  # fmt: skip
    assert event.at == AT  # a string still becomes a datetime
    assert event.model_dump()["data"] == {"channel": "api"}


def test_a_dict_missing_a_field_or_with_a_wrong_type_is_refused():
    with pytest.raises(ValidationError) as missing:
        FeedbackOut.model_validate({"satisfaction": 5, "comment": "", "disputed": False})
    assert missing.value.errors()[0]["loc"] == ("submitted_at",)
    with pytest.raises(ValidationError):
        FeedbackOut.model_validate(
            {"satisfaction": "很好", "comment": "", "disputed": False, "submitted_at": None}
        )


def test_an_object_is_read_by_its_attributes_as_ninja_does():
    feedback = SimpleNamespace(satisfaction=4, comment="答复及时", disputed=False, submitted_at=AT)
    assert FeedbackOut.model_validate(feedback).model_dump() == {
        "satisfaction": 4, "comment": "答复及时", "disputed": False, "submitted_at": AT,
    }  # fmt: skip


def test_an_instance_passes_through_a_containing_schema():
    class Wrapper(OutSchema):
        feedback: FeedbackOut

    inner = FeedbackOut(satisfaction=None, comment="", disputed=True, submitted_at=None)
    assert Wrapper.model_validate({"feedback": inner}).feedback is inner
