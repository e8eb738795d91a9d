"""PostgreSQL only: each division's open requests by id, for the division queue.

PostgreSQL answered the division queue (``selectors.DivisionListing``) by reading every open
request of the division through ``desk_req_division_status`` (division, status, id: the four
open statuses are four ranges, in no common id order), joining each to its matter type,
division and assignee and sorting them for the 26 newest: 1,593 rows and ~15 ms for the
benchmark's division head at a million requests. Over this index the queue walks the
division's open requests newest first and stops after the page (0.3 ms). It holds the open
requests only (~7,000 of a million).

SQLite does not use a partial index whose condition the query states with bound parameters
(migration 0008), and walks the division's ids in order already, so it is not created there:
a registration would pay for it and gain nothing. Created through the schema editor, as
``AddIndex`` would, but on PostgreSQL only.
"""

from typing import Any

from django.db import migrations, models

INDEX = "desk_req_division_open"
# desk.choices.OPEN_STATUSES when this was written (a migration keeps its own copy).
OPEN_STATUSES = ("registered", "awaiting_acceptance", "in_progress", "paused")


def _index() -> models.Index:
    return models.Index(
        fields=["division", "-id"], name=INDEX, condition=models.Q(status__in=OPEN_STATUSES)
    )


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("desk", "ServiceRequest"), _index())


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("desk", "ServiceRequest"), _index())


class Migration(migrations.Migration):
    dependencies = [("desk", "0013_reply_template_mediator_role")]
    operations = [migrations.RunPython(create, drop)]
