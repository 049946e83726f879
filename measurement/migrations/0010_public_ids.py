from django.db import migrations, models

from talentdev.core.public_ids import add_public_id


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0009_outcome_metric_values_count"),
    ]

    operations = [
        *add_public_id("measurement", "assessment"),
        *add_public_id("measurement", "outcomemetric"),
        *add_public_id("measurement", "measurement"),
        *add_public_id("measurement", "sponsorreview"),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(fields=["updated_at", "uuid"], name="assessment_by_change"),
        ),
        migrations.AddIndex(
            model_name="measurement",
            index=models.Index(fields=["updated_at", "uuid"], name="measurement_by_change"),
        ),
    ]
