from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class TalentdevConfig(AppConfig):
    """The project itself as an app: the default job schedules and the demo's commands."""

    name = "talentdev"

    def ready(self):
        from .schedules import install_default_schedules

        # After the schedule tables exist: once per migrate, on the beat app's signal.
        post_migrate.connect(
            install_default_schedules, sender=apps.get_app_config("django_celery_beat")
        )
