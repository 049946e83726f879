from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Records every run of the project's Celery tasks, wherever they run."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "talentdev.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        from .signals import connect

        # Here rather than in celery.py: a worker sets Django up before it runs a task, and
        # the receivers write through the models, which only exist once Django is set up.
        connect()
