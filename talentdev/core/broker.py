"""Enqueueing a task from a page, a service or a scan, with a circuit breaker.

Every job works from the database and runs on a schedule, so a task that cannot be
enqueued is caught up by the next run: an enqueue may fail, but it must fail fast. The
first failure marks the broker down for BROKER_RETRY_AFTER seconds, and every enqueue in
that time is skipped at once, so a scan creating a thousand notifications during an outage
costs one connection attempt, not a thousand.
"""

import logging
import threading
import time

from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)


class _Breaker:
    def __init__(self):
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return time.monotonic() < self._down_until

    def trip(self):
        with self._lock:
            self._down_until = time.monotonic() + settings.BROKER_RETRY_AFTER

    def reset(self):
        with self._lock:
            self._down_until = 0.0


breaker = _Breaker()


def enqueue(task_name: str, *, args=(), **options) -> bool:
    """Send the task by name; False (logged, never raised) when the broker is down."""
    if breaker.open:
        logger.info("broker marked down: %s not enqueued; its schedule catches up", task_name)
        return False
    try:
        # No retries here: a broker that does not answer at once is down for this purpose.
        current_app.send_task(task_name, args=args, retry=False, **options)
    except Exception:
        breaker.trip()
        logger.exception(
            "could not enqueue %s; broker marked down for %ss, the schedule catches up",
            task_name,
            settings.BROKER_RETRY_AFTER,
        )
        return False
    return True
