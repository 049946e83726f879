from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "programs"

    def ready(self):
        # Sponsors see a program's results: who was made one, or no longer is, is history.
        from django.utils.translation import gettext_lazy

        from programs.models import Program
        from talentdev.core.audit import record_links

        record_links(Program.sponsors, label=gettext_lazy("Sponsors"))
