import django.utils.timezone
from django.db import migrations, models

from talentdev.core.public_ids import add_public_id


def _joined_is_created(apps, schema_editor):
    # A person's record was created when they joined; the field is new, the fact is not.
    apps.get_model("people", "User").objects.update(created_at=models.F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_person_by_name_index"),
    ]

    operations = [
        *add_public_id("people", "orgunit"),
        *add_public_id("people", "jobrole"),
        *add_public_id("people", "user"),
        migrations.AddField(
            model_name="user",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, editable=False
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="user",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, editable=False),
        ),
        migrations.RunPython(_joined_is_created, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["updated_at", "uuid"], name="person_by_change"),
        ),
    ]
