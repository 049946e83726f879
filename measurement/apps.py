from django.apps import AppConfig


class MeasurementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "measurement"

    def ready(self):
        # Steps an assessment completes, and competency, ask measurement's own answers.
        from . import evidence  # noqa: F401
