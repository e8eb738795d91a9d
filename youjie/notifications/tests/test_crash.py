"""Done-when: killing the worker mid-send loses no notification and sends none twice.

Real processes, a real gateway and a real database file: the outbox lives in a fresh SQLite
file migrated by `manage.py migrate`; `manage.py send_notifications --loop` runs as a
subprocess with the http_sms transport (configured through environment variables) against
the gateway of gateway.py, which holds the third message while the test SIGKILLs the worker.
A second worker then finishes the job. The database is read directly with sqlite3.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from youjie.notifications.tests.gateway import FakeSmsGateway

pytestmark = pytest.mark.slow

REPO_DIR = Path(__file__).resolve().parents[3]  # where manage.py is
WAIT_LIMIT_SECONDS = 30
MESSAGES = 5
LEASE_SECONDS = 3  # worker 1's lease: how long the killed worker's row stays claimed
SMS_TIMEOUT_SECONDS = 2  # below the lease (system check notifications.W001)

ENQUEUE_SCRIPT = f"""
from django.db import transaction
from youjie.notifications import services
from youjie.notifications.transports import transport_name_for

services._schedule_send_soon = lambda delay_seconds: None  # the worker under test sends
with transaction.atomic():
    for number in range({MESSAGES}):
        services.notification_enqueue(
            channel="sms", recipient=f"1380000000{{number}}", body=f"第{{number + 1}}条通知"
        )
print("sms transport:", transport_name_for("sms"))
"""


def base_env(database: Path, var_dir: Path) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"],  # set by pytest-django
        DATABASE_URL=f"sqlite:///{database}",
        YOUJIE_VAR_DIR=str(var_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [env.get("PYTHONPATH"), str(REPO_DIR)])),
    )
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(REPO_DIR / "manage.py"), *args],
        env=env,
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("outbox-template")
    database = directory / "template.sqlite3"
    manage("migrate", "--noinput", env=base_env(database, directory))
    return database


@pytest.fixture
def database(migrated_database: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "outbox.sqlite3"
    source, target = sqlite3.connect(migrated_database), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return copy


@pytest.fixture
def gateway() -> Iterator[FakeSmsGateway]:
    server = FakeSmsGateway().start()
    try:
        yield server
    finally:
        server.stop()


def rows(database: Path) -> list[tuple[int, str, int, str, str]]:
    connection = sqlite3.connect(database, timeout=20)
    try:
        return connection.execute(
            "SELECT id, status, attempts, message_key, provider_message_id "
            "FROM notifications_notification ORDER BY id"
        ).fetchall()
    finally:
        connection.close()


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as output:
        return subprocess.Popen(
            [
                sys.executable,
                str(REPO_DIR / "manage.py"),
                "send_notifications",
                "--loop",
                "--interval",
                "0.2",
            ],
            env=env,
            cwd=REPO_DIR,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None and process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def wait_until_all_sent(database: Path, worker: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if all(row[1] == "sent" for row in rows(database)):
            return
        assert worker.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.1)
    pytest.fail(f"not all sent within {WAIT_LIMIT_SECONDS} s: {rows(database)}")


def run_crash_scenario(
    *, database: Path, gateway: FakeSmsGateway, tmp_path: Path, hold_mode: str
) -> list[tuple[int, str, int, str, str]]:
    env = base_env(database, tmp_path) | {
        "YOUJIE_NOTIFY_SMS_TRANSPORT": "http_sms",
        "YOUJIE_SMS_GATEWAY_URL": gateway.url,
        "YOUJIE_SMS_GATEWAY_KEY": gateway.key,
        "YOUJIE_SMS_TIMEOUT": str(SMS_TIMEOUT_SECONDS),
        "YOUJIE_NOTIFY_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    enqueued = manage("shell", "-c", ENQUEUE_SCRIPT, env=env)
    assert "sms transport: http_sms" in enqueued.stdout, (
        "the settings must read YOUJIE_NOTIFY_SMS_TRANSPORT and the YOUJIE_SMS_* variables "
        "from the environment: " + enqueued.stdout + enqueued.stderr[-2000:]
    )
    gateway.hold_post = 3
    gateway.hold_mode = hold_mode  # type: ignore[assignment]

    first = second = None
    try:
        first = start_worker(env, tmp_path / "worker-1.log")
        held = gateway.held.wait(WAIT_LIMIT_SECONDS)
        assert held, (tmp_path / "worker-1.log").read_text(errors="replace")[-3000:]
        first.send_signal(signal.SIGKILL)  # mid-send: the third request is in flight
        first.wait(timeout=10)

        statuses = [row[1] for row in rows(database)]
        assert statuses == ["sent", "sent", "sending", "pending", "pending"]
        gateway.release.set()  # the held handler ends; its client is gone

        env["YOUJIE_NOTIFY_LEASE_SECONDS"] = "1"
        second = start_worker(env, tmp_path / "worker-2.log")
        wait_until_all_sent(database, second, tmp_path / "worker-2.log")
    finally:
        gateway.release.set()
        stop(first)
        stop(second)

    final = rows(database)
    assert len(final) == MESSAGES  # none lost
    for _, status, _, message_key, _ in final:
        assert status == "sent"
        assert gateway.count(message_key) == 1, f"{message_key} sent {gateway.count(message_key)}x"
    assert sorted(gateway.msgids()) == sorted(row[3] for row in final)
    return final


def test_a_worker_killed_after_the_gateway_took_the_message(database, gateway, tmp_path):
    final = run_crash_scenario(
        database=database, gateway=gateway, tmp_path=tmp_path, hold_mode="after_record"
    )
    third = final[2]
    assert third[2] == 2  # claimed twice
    assert third[4] == ""  # marked sent from the lookup, not sent again
    assert third[3] in gateway.status_queries
    assert gateway.posts == MESSAGES


def test_a_worker_killed_before_the_gateway_took_the_message(database, gateway, tmp_path):
    final = run_crash_scenario(
        database=database, gateway=gateway, tmp_path=tmp_path, hold_mode="before_record"
    )
    third = final[2]
    assert third[2] == 2
    assert third[4].startswith("gw-")  # the lookup said not_found, so it was sent again
    assert third[3] in gateway.status_queries
    assert gateway.posts == MESSAGES + 1  # the dropped request, then the real one
