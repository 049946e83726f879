"""Thin Celery tasks around the sponsor review rollups."""

from celery import shared_task

from people.tasks import RETRY

from .refresh import refresh_program_figures as count_program_figures
from .rollups import sponsor_reviews_roll_up


# Weekly, over every active program: the longest job, and the longest limit (the broker's
# visibility timeout in settings is longer than this plus the longest retry countdown).
@shared_task(acks_late=True, soft_time_limit=900, time_limit=960, **RETRY)
def roll_up_sponsor_reviews():
    """Last week's review for every active program; re-running updates the same reviews."""
    return sponsor_reviews_roll_up()


# Every 15 minutes; counting every program of a company of 50,000 takes about 25 seconds.
@shared_task(acks_late=True, soft_time_limit=600, time_limit=660, **RETRY)
def refresh_program_figures():
    """Count every program's learner figures for the sponsor pages; returns how many."""
    return count_program_figures()
