"""A task that exists only for the tests: it outstays its time limits.

Named like the project's tasks, so its runs are recorded; a test worker imports this module.
"""

import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded


@shared_task(name="talentdev.testing.sleep")
def sleep(seconds, *, past_soft_limit=False):
    """Sleep; with `past_soft_limit`, go on sleeping when the soft limit strikes, so only the
    hard limit stops it."""
    try:
        time.sleep(seconds)
    except SoftTimeLimitExceeded:
        if not past_soft_limit:
            raise
        time.sleep(seconds)
