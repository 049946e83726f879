"""The reminder scan moved from people to coaching: point existing schedules at its new name."""

from django.db import migrations

OLD, NEW = "people.tasks.scan_reminders", "coaching.tasks.scan_reminders"


def rename(old, new):
    def run(apps, schema_editor):
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTask.objects.filter(task=old).update(task=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(rename(OLD, NEW), rename(NEW, OLD))]
