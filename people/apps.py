from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self):
        from .schedules import install_default_schedules

        post_migrate.connect(install_default_schedules, sender=self)
