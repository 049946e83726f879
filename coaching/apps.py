from django.apps import AppConfig


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"

    def ready(self):
        # Progression asks coaching's records through the answers it registers.
        from . import evidence  # noqa: F401
