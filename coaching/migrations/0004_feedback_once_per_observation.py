"""Feedback is given once per observation: a second one contradicted the first."""

from django.db import migrations, models
from django.db.models import Count


def refuse_repeated_feedback(apps, schema_editor):
    # Feedback is evidence and is never deleted here: observations that already carry more
    # than one are named, to be settled by a person before the rule can hold.
    Feedback = apps.get_model("coaching", "Feedback")
    repeated = list(
        Feedback.objects.values("observation_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("observation_id", flat=True)[:20]
    )
    if repeated:
        raise RuntimeError(
            "These observations have more than one feedback; keep one each before migrating: "
            + ", ".join(map(str, repeated))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0003_reminder_scan_task_moved"),
    ]

    operations = [
        migrations.RunPython(refuse_repeated_feedback, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.UniqueConstraint(
                fields=("observation",),
                name="coaching_feedback_one_per_observation",
                violation_error_message="This observation already has its feedback.",
            ),
        ),
    ]
