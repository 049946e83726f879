from django.apps import AppConfig


class CoachingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "coaching"

    def ready(self):
        # Steps gated on observations count them through coaching's own counter.
        from . import evidence  # noqa: F401
