"""Lists filtered by priority or status, newest first, read in id order and stopped after the page.

With the status in the middle (``priority, status, -id``) or a deadline after it
(``status, completion_due``) SQLite read every request of the value and sorted them: a court's
"closed" list took 1.3–2.3 s at a million requests, the deputies' list 76–107 ms. The same number
of indexes for a registration to write (docs/performance.md, fifth round).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0008_running_due_postgres")]

    operations = [
        migrations.RemoveIndex(model_name="servicerequest", name="desk_req_priority"),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["priority", "-id"], name="desk_req_priority_id"),
        ),
        migrations.RemoveIndex(model_name="servicerequest", name="desk_req_status_due"),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["status", "-id"], name="desk_req_status_id"),
        ),
    ]
