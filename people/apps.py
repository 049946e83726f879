from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self):
        # Connects the sign-in lock-out's log and the reset after a successful sign-in.
        from people import signin  # noqa: F401
