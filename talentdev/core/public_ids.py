"""Giving rows that already exist their public id, in a migration that adds `uuid`.

A field default is computed once for every existing row, so a unique id is added in three
steps: a nullable column, a value for each row, then the unique, required field.
"""

import uuid

from django.db import migrations, models

_BATCH = 2000


def _fill(app_label: str, model_name: str):
    def fill(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        if schema_editor.connection.vendor == "postgresql":
            # One statement for a table of millions, rather than a round trip per row.
            # The table name is the model's own, quoted: no outside input reaches this SQL.
            fill_sql = f"UPDATE {table} SET uuid = gen_random_uuid() WHERE uuid IS NULL"  # noqa: S608
            schema_editor.execute(fill_sql)
            return
        missing = model._default_manager.filter(uuid__isnull=True)
        while ids := list(missing.values_list("pk", flat=True)[:_BATCH]):
            model._default_manager.bulk_update(
                [model(pk=pk, uuid=uuid.uuid4()) for pk in ids], ["uuid"]
            )

    return fill


def add_public_id(app_label: str, model_name: str) -> list:
    """The operations that give `model_name` a `uuid` every row has, unique and stable."""
    return [
        migrations.AddField(model_name, "uuid", models.UUIDField(null=True, editable=False)),
        migrations.RunPython(_fill(app_label, model_name), migrations.RunPython.noop),
        migrations.AlterField(
            model_name,
            "uuid",
            models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
