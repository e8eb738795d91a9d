"""One huey "send soon" kick per window and process, and one at the window's end.

The clock is injected: no test sleeps.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from youjie.notifications import services, tasks
from youjie.notifications.choices import NotificationStatus
from youjie.notifications.models import Notification
from youjie.notifications.services import SendSoonKicks
from youjie.notifications.tests.helpers import enqueue


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeSendSoon:
    """Stands in for the huey task: records what would have been written to huey's storage."""

    def __init__(self, *, immediate: bool = False, failing: bool = False) -> None:
        self.huey = SimpleNamespace(immediate=immediate)
        self.failing = failing
        self.kicks: list[float] = []  # 0.0 = enqueued now, else the delay it was scheduled with

    def __call__(self) -> None:
        if self.failing:
            raise OSError("huey storage unavailable")
        self.kicks.append(0.0)

    def schedule(self, *, delay: float) -> None:
        if self.failing:
            raise OSError("huey storage unavailable")
        self.kicks.append(delay)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(services, "_KICKS", SendSoonKicks(window=1.0, clock=clock))
    return clock


@pytest.fixture
def send_soon(monkeypatch: pytest.MonkeyPatch) -> FakeSendSoon:
    fake = FakeSendSoon()
    monkeypatch.setattr(tasks, "notifications_send_soon", fake)
    return fake


def test_one_kick_now_and_one_at_the_end_of_the_window():
    clock = Clock(50.0)
    kicks = SendSoonKicks(window=1.0, clock=clock)

    assert kicks.plan() == 0.0  # the first notification: a kick now
    clock.now = 50.25
    assert kicks.plan() == pytest.approx(0.75)  # the next: one kick when the window ends
    clock.now = 50.5
    assert kicks.plan() is None  # covered by the kick at 51.0
    clock.now = 50.999
    assert kicks.plan() is None
    clock.now = 51.0  # the window is over: a new one starts with a kick now
    assert kicks.plan() == 0.0
    clock.now = 51.1
    assert kicks.plan() == pytest.approx(0.9)
    clock.now = 60.0
    assert kicks.plan() == 0.0
    assert kicks.plan() == pytest.approx(1.0)  # a second notification of the same instant


def test_a_lone_notification_gets_one_kick_only():
    clock = Clock()
    kicks = SendSoonKicks(window=1.0, clock=clock)
    plans = []
    for _ in range(3):
        plans.append(kicks.plan())
        clock.now += 5
    assert plans == [0.0, 0.0, 0.0]


def test_a_kick_that_could_not_be_enqueued_is_asked_for_again():
    clock = Clock()
    kicks = SendSoonKicks(window=1.0, clock=clock)
    assert kicks.plan() == 0.0
    kicks.failed(0.0)
    assert kicks.plan() == 0.0
    clock.now += 0.5
    delay = kicks.plan()
    assert delay is not None
    assert delay == pytest.approx(0.5)
    kicks.failed(delay)
    clock.now += 0.1
    assert kicks.plan() == pytest.approx(0.4)
    assert kicks.plan() is None


def test_commits_in_a_burst_write_two_kicks(clock, send_soon):
    for at in (0.0, 0.1, 0.2, 0.6, 0.99):
        clock.now = 1000.0 + at
        services._schedule_send_soon(0)
    assert send_soon.kicks == [0.0, pytest.approx(0.9)]

    clock.now = 1001.0
    services._schedule_send_soon(0)
    clock.now = 1001.5
    services._schedule_send_soon(0)
    assert send_soon.kicks == [0.0, pytest.approx(0.9), 0.0, pytest.approx(0.5)]


def test_delayed_kicks_are_scheduled_as_asked_and_do_not_open_a_window(clock, send_soon):
    services._schedule_send_soon(600)
    services._schedule_send_soon(30)
    services._schedule_send_soon(0)
    assert send_soon.kicks == [600, 30, 0.0]


def test_in_immediate_mode_every_kick_runs(clock, monkeypatch):
    fake = FakeSendSoon(immediate=True)
    monkeypatch.setattr(tasks, "notifications_send_soon", fake)
    for _ in range(3):
        services._schedule_send_soon(0)
    assert fake.kicks == [0.0, 0.0, 0.0]


def test_a_failed_kick_is_retried_by_the_next_notification(clock, monkeypatch):
    fake = FakeSendSoon(failing=True)
    monkeypatch.setattr(tasks, "notifications_send_soon", fake)
    with pytest.raises(OSError):
        services._schedule_send_soon(0)
    fake.failing = False
    clock.now += 0.1
    services._schedule_send_soon(0)
    assert fake.kicks == [0.0]


@pytest.mark.django_db
def test_notifications_committed_one_after_the_other_go_out_at_once_in_immediate_mode(
    django_capture_on_commit_callbacks, notify_file
):
    # The test settings run huey in immediate mode, where a delayed kick never runs.
    assert tasks.notifications_send_soon.huey.immediate
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue(body="第一条")
    with django_capture_on_commit_callbacks(execute=True):
        second = enqueue(body="第二条")

    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert {first.pk, second.pk} == set(Notification.objects.values_list("pk", flat=True))
    assert len(notify_file.read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.django_db
def test_notifications_committed_in_a_window_are_covered_by_the_kicks(
    clock, send_soon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(body="第一条")
    clock.now += 0.3
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(body="第二条")
        enqueue(body="第三条")
    clock.now += 0.3
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(body="第四条", delay_seconds=120)

    assert send_soon.kicks == [0.0, pytest.approx(0.7), 120]
