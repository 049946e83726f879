"""The Celery app: Redis in production, a local filesystem transport when REDIS_URL is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentdev.settings")

app = Celery("talentdev")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
