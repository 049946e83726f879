from django.db import migrations, models

from talentdev.core.public_ids import add_public_id


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0010_kept_calibration_rows"),
    ]

    operations = [
        *add_public_id("coaching", "observation"),
        *add_public_id("coaching", "feedbackwindow"),
        *add_public_id("coaching", "feedback"),
        *add_public_id("coaching", "debrief"),
        *add_public_id("coaching", "coachingsession"),
        migrations.AddIndex(
            model_name="observation",
            index=models.Index(fields=["updated_at", "uuid"], name="observation_by_change"),
        ),
        migrations.AddIndex(
            model_name="feedbackwindow",
            index=models.Index(fields=["updated_at", "uuid"], name="window_by_change"),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["updated_at", "uuid"], name="feedback_by_change"),
        ),
    ]
