from django.db import migrations

from talentdev.core.public_ids import add_public_id


class Migration(migrations.Migration):
    dependencies = [
        ("objectives", "0003_competency_public_id"),
    ]

    operations = [
        *add_public_id("objectives", "competencyframework"),
        *add_public_id("objectives", "proficiencyscale"),
        *add_public_id("objectives", "learningobjective"),
        *add_public_id("objectives", "performanceobjective"),
    ]
