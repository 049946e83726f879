"""The people search's index, on PostgreSQL: trigrams of each name, username, email and
employee ID, as people.selectors.person_matches compares them (upper-cased). It finds a
word anywhere in them, or at their start, without reading every person.

PostgreSQL only, so the model does not declare it: SQLite has no trigram index, and the
demo's few people are read whole.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "person_search_trgm"
COLUMNS = ("first_name", "last_name", "username", "email", "employee_id")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    expressions = ", ".join(f'UPPER("{column}"::text) gin_trgm_ops' for column in COLUMNS)
    schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "people_user" USING gin ({expressions})')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_notification_email_error"),
    ]

    operations = [
        # A no-op on any database but PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
