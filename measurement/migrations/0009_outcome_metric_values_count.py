from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_values(apps, schema_editor):
    """Each metric's count of the values it already has, in one statement."""
    OutcomeMetric = apps.get_model("measurement", "OutcomeMetric")
    Measurement = apps.get_model("measurement", "Measurement")
    live = (
        Measurement.objects.filter(metric=OuterRef("pk"))
        .order_by()
        .values("metric")
        .annotate(n=Count("*"))
        .values("n")
    )
    OutcomeMetric.objects.update(values_count=Coalesce(Subquery(live), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0008_assessment_latest_index_covers"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcomemetric",
            name="values_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, help_text="How many values the metric has."
            ),
        ),
        migrations.RunPython(count_values, migrations.RunPython.noop),
    ]
