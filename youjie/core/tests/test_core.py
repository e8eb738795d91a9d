from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction

from youjie.core.crypto import decrypt_text, encrypt_text, lookup_hash
from youjie.core.errors import InvalidTransition
from youjie.core.models import Event, TickClaim
from youjie.core.ticks import claim_tick, tick_label
from youjie.core.timeline import event_record, timeline_for
from youjie.core.transitions import TransitionMap


def test_encryption_round_trip_and_keyed_hash(settings):
    token = encrypt_text("150206199001011234")
    assert "150206" not in token
    assert decrypt_text(token) == "150206199001011234"
    first = lookup_hash("13800000000", purpose="mobile")
    assert first == lookup_hash("13800000000", purpose="mobile")
    assert first != lookup_hash("13800000000", purpose="resident_id")
    settings.YOUJIE_LOOKUP_KEY = "another-key"
    assert lookup_hash("13800000000", purpose="mobile") != first


def test_key_rotation_keeps_old_tokens_readable(settings):
    old = encrypt_text("秘密")
    settings.YOUJIE_FIELD_KEYS = ["new-key-0123456789", *settings.YOUJIE_FIELD_KEYS]
    assert decrypt_text(old) == "秘密"


@pytest.mark.django_db(transaction=True)
def test_events_are_append_only_and_need_a_transaction():
    region = TickClaim.objects.create(job="subject", tick="1")
    with pytest.raises(RuntimeError):
        event_record(subject=region, verb="touched")
    with transaction.atomic():
        event = event_record(subject=region, verb="touched", reason="测试", actor="电话系统")
    assert [e.verb for e in timeline_for(region)] == ["touched"]
    assert event.actor_label == "电话系统"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(verb="changed")
    with pytest.raises(TypeError):
        Event.objects.all().delete()


def test_transition_map_names_both_states_in_chinese():
    states = TransitionMap.build(
        "诉求",
        {"registered": ["replied"]},
        {"registered": "已登记", "replied": "已答复", "closed": "已办结"},
    )
    states.check("registered", "replied")
    with pytest.raises(InvalidTransition) as info:
        states.check("registered", "closed")
    assert "已登记" in info.value.message and "已办结" in info.value.message


@pytest.mark.django_db
def test_a_tick_is_claimed_once():
    moment = datetime(2026, 11, 28, 10, 7, 30, tzinfo=UTC)
    assert tick_label(moment, minutes=15) == "2026-11-28T18:00"
    assert claim_tick("bulletin", moment=moment)
    assert not claim_tick("bulletin", moment=moment)
    assert claim_tick("reminders", moment=moment)


@pytest.mark.django_db
def test_oversized_bodies_are_refused_before_they_are_read(client, settings):
    settings.YOUJIE_MAX_REQUEST_BODY_BYTES = 1024
    body = b"x" * 2048
    api = client.post("/api/v1/desk/requests", data=body, content_type="application/json")
    assert api.status_code == 413 and api.json()["code"] == "payload_too_large"
    page = client.post("/portal/submit/", data=body, content_type="application/octet-stream")
    assert page.status_code == 413 and "请求内容过大" in page.content.decode()
