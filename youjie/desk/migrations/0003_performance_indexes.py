"""Indexes for the desk at a million requests (docs/performance.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courtcases", "0003_import_progress_and_outcome"),
        ("desk", "0002_search_index"),
        ("orgs", "0001_initial"),
        ("people", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # db_index=False on four foreign keys that already lead a composite index
        # (desk_req_assignee_status, desk_req_court_status, desk_req_first_contact,
        # desk_req_requester): every insert maintained four redundant B-trees. Only the index is
        # dropped — Django's AlterField would rebuild the whole table on SQLite.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="servicerequest",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="承办人",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicerequest",
                    name="court",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="orgs.orgunit",
                        verbose_name="受理法院",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicerequest",
                    name="first_contact",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="首接负责：在承办方签收前对诉求负责，签收后仍留存",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="first_contact_requests",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="首接人",
                    ),
                ),
                migrations.AlterField(
                    model_name="servicerequest",
                    name="requester",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="service_requests",
                        to="people.person",
                        verbose_name="诉求人",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "desk_servicerequest_assignee_id_376d3c78"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "desk_servicerequest_assignee_id_376d3c78" ON "desk_servicerequest" ("assignee_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "desk_servicerequest_court_id_4e941297"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "desk_servicerequest_court_id_4e941297" ON "desk_servicerequest" ("court_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "desk_servicerequest_first_contact_id_0ee1f0db"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "desk_servicerequest_first_contact_id_0ee1f0db" ON "desk_servicerequest" ("first_contact_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "desk_servicerequest_requester_id_98656d6b"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "desk_servicerequest_requester_id_98656d6b" ON "desk_servicerequest" ("requester_id")',
                ),
            ],
        ),
        # The desk figures count requests, ratings and visits by these dates.
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["submitted_at"], name="desk_feedback_submitted_at"),
        ),
        migrations.AddIndex(
            model_name="returnvisit",
            index=models.Index(fields=["status", "done_at"], name="desk_visit_status_done_at"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["replied_at"], name="desk_req_replied_at"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["first_responded_at"], name="desk_req_first_responded_at"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["completion_due"], name="desk_req_completion_due"),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(fields=["first_response_due"], name="desk_req_first_response_due"),
        ),
    ]
