from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self):
        from django.utils.translation import gettext_lazy

        # Connects the sign-in lock-out's log and the reset after a successful sign-in.
        from people import signin  # noqa: F401
        from people.models import User
        from talentdev.core.audit import record_links

        # Permissions and groups give people access: their changes go in the person's history.
        record_links(User.user_permissions, label=gettext_lazy("Permissions"))
        record_links(User.groups, label=gettext_lazy("Groups"))
