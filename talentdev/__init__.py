"""talentdev: talent development programs that tie learning to performance and results."""

from .celery import app as celery_app

__all__ = ("celery_app",)
