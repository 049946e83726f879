from django.db import migrations

from talentdev.core.public_ids import add_public_id


class Migration(migrations.Migration):
    dependencies = [
        ("objectives", "0002_initial"),
    ]

    operations = add_public_id("objectives", "competency")
