"""How each background task has fared: its latest run and its running totals."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from talentdev.core.models import TimeStampedModel, unique

# Celery's own tasks (celery.backend_cleanup, chords, …) are not the product's jobs.
PROJECT_TASKS = (
    "people.",
    "objectives.",
    "programs.",
    "coaching.",
    "measurement.",
    "api.",
    "talentdev.",
)


def is_project_task(name: str | None) -> bool:
    """Whether a task is one of the product's jobs, whose runs are recorded."""
    return bool(name) and name.startswith(PROJECT_TASKS)


class JobStatus(TimeStampedModel):
    """One Celery task's latest run and totals: one row per task, however often it runs."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        RETRYING = "retrying", _("Retrying")
        TIMED_OUT = "timed_out", _("Timed out")

    task = models.CharField(_("task"), max_length=200)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_duration = models.FloatField(
        _("last duration"), null=True, blank=True, help_text=_("Seconds.")
    )
    last_outcome = models.CharField(
        _("last outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    last_succeeded_at = models.DateTimeField(_("last succeeded at"), null=True, blank=True)
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("The exception's type and message.")
    )
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    runs = models.PositiveIntegerField(
        _("runs"), default=0, help_text=_("Runs started, each attempt of a retried run counted.")
    )
    failures = models.PositiveIntegerField(
        _("failures"), default=0, help_text=_("Runs that ended failed or timed out.")
    )
    last_worker = models.CharField(_("last worker"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("job status")
        verbose_name_plural = _("job statuses")
        ordering = ["task"]
        constraints = [
            # What lets two workers recording a task's first run at once make one row.
            unique("one_per_task", "task", message=_("This task already has its status."))
        ]

    def __str__(self):
        return self.task
