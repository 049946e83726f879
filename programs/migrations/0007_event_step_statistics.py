"""How many distinct (enrolment, step) pairs the progress history holds, on PostgreSQL.

The sponsor rollup matches every step of the current learners to its completion
(programs.history.step_counts_at). Without this statistic the planner takes the steps
completed to be a fifth of what they are, matches them through a hash that overflows to disk
and is twice as slow; with it, it reads the steps and their completions side by side in the
same order from their two indexes.

PostgreSQL only, so the model does not declare it: SQLite has no extended statistics.
"""

from django.db import migrations

STATISTICS = "event_enrolment_step"
TABLE = "programs_progressevent"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE STATISTICS "{STATISTICS}" (ndistinct) ON enrolment_id, step_id FROM "{TABLE}"'
    )
    # Gathered now rather than at the next automatic analyse.
    schema_editor.execute(f'ANALYZE "{TABLE}"')


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP STATISTICS IF EXISTS "{STATISTICS}"')


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0006_event_type_time_covers_enrolment"),
    ]

    operations = [
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
