"""PostgreSQL only: the running requests by deadline, for the overdue list.

PostgreSQL answered ``overdue_list`` (running, past a deadline, ORDER BY completion_due) by
walking ``desk_req_completion_due`` through every closed request with an early deadline: a
judge's overdue page took 400–880 ms at a million requests (459,173 rows read for 27). This
index holds the ~20,000 running requests only: 7–11 ms. SQLite does not use a partial index
whose condition the query states with bound parameters, and answers the list from
``desk_req_status_due`` in 25–30 ms, so it is not created there (a registration would pay for
it and gain nothing). docs/performance.md, fifth round.
"""

from typing import Any

from django.db import migrations

INDEX = "desk_req_running_due"
# desk.choices.RUNNING_STATUSES when this was written (a migration keeps its own copy).
RUNNING_STATUSES = ("registered", "awaiting_acceptance", "in_progress")


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    statuses = ", ".join(f"'{status}'" for status in RUNNING_STATUSES)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON desk_servicerequest (completion_due, id) "
        f"WHERE status IN ({statuses})"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("desk", "0007_supervised_index")]
    operations = [migrations.RunPython(create, drop)]
