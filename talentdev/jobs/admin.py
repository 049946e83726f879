from django.contrib import admin

from talentdev.core.admin import ReadOnlyAdmin

from .models import JobStatus


@admin.register(JobStatus)
class JobStatusAdmin(ReadOnlyAdmin):
    """Written only by the workers as tasks run."""

    list_display = (
        "task",
        "last_outcome",
        "last_started_at",
        "last_duration",
        "last_succeeded_at",
        "last_error_at",
        "runs",
        "failures",
        "last_worker",
    )
    list_filter = ("last_outcome",)
    search_fields = ("task", "last_error")
