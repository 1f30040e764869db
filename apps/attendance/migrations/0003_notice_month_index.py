"""A covering index for the notices' month aggregates, on PostgreSQL only.

The monthly notice aggregates a month of everyone's results (≈150k rows at 5,000 staff) grouped by
unit, by person and by day. This index holds every column those queries read, so once the table
spans several months a notice reads the month as an index-only scan of a narrow index instead of
fetching the wide rows (reasons, explanation) from the heap. Its leading (day, unit) also serves a
single unit's notice.

It lives here rather than in `DailyResult.Meta.indexes` because SQLite has no INCLUDE: Django would
warn (models.W040) on every check of a SQLite database, and `check --fail-level WARNING` is part
of the deployment tests. On SQLite the existing (day, unit) index serves.
"""

from django.db import migrations

INDEX = "attendance_result_month"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON attendance_dailyresult (day, unit_id, person_id) "
        "INCLUDE (status, is_workday, is_late, is_early, missing_in, missing_out, "
        "absence_days, leave_days, away_days)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_default_flows_schedule_rules")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
