"""Thin Celery tasks around the sponsor review rollups."""

from celery import shared_task
from django.db import OperationalError

from .rollups import sponsor_reviews_roll_up


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def roll_up_sponsor_reviews():
    """Last week's review for every active program; re-running updates the same reviews."""
    return sponsor_reviews_roll_up()
