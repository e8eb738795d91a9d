"""Issue 12, item 6: no feedback token, SMS code or other credential reaches the logs."""

from __future__ import annotations

import logging

from youjie.notifications.transports import FileTransport, OutgoingMessage

TOKEN = "Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXc"


def test_the_file_transport_logs_neither_the_link_token_nor_a_code(tmp_path, caplog):
    message = OutgoingMessage(
        message_key="desk:reply:1",
        channel="sms",
        recipient="13912345678",
        subject="",
        body=(
            "答复已发送。请评价："
            f"https://susong.example.gov.cn/portal/feedback/{TOKEN}/ 验证码381204"
        ),
    )
    with caplog.at_level(logging.INFO, logger="youjie.notifications"):
        FileTransport(tmp_path / "notifications.log").send(message)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "desk:reply:1" in logged  # what was sent stays findable by its key
    assert TOKEN not in logged and "381204" not in logged and "13912345678" not in logged
    # The development file itself holds the message: it is the "SMS" a developer reads.
    assert TOKEN in (tmp_path / "notifications.log").read_text(encoding="utf-8")
