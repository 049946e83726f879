from django.db import migrations, models

from talentdev.core.public_ids import add_public_id


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0007_event_step_statistics"),
    ]

    operations = [
        *add_public_id("programs", "program"),
        *add_public_id("programs", "pathway"),
        *add_public_id("programs", "step"),
        *add_public_id("programs", "cohort"),
        *add_public_id("programs", "enrolment"),
        *add_public_id("programs", "stepprogress"),
        *add_public_id("programs", "assignment"),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["updated_at", "uuid"], name="enrolment_by_change"),
        ),
        migrations.AddIndex(
            model_name="stepprogress",
            index=models.Index(fields=["updated_at", "uuid"], name="progress_by_change"),
        ),
        migrations.AddIndex(
            model_name="progressevent",
            index=models.Index(fields=["recorded_at", "id"], name="event_by_record"),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["updated_at", "uuid"], name="assignment_by_change"),
        ),
    ]
