"""Which way a change comes in (a page, the admin, the API, a job or a command) and from
whom, for the audit history of HR records.

It lives in a context variable: the audit middleware sets it for a request, Celery's
signals for a task, manage.py for a command, and the API's authentication names its client.
This module loads before Django is set up, so manage.py can use it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PAGE = "page", _("Page")
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    JOB = "job", _("Job")
    COMMAND = "command", _("Command")


SOURCE_LENGTH = 200

# (channel, source); unset outside a request, a task or a command (a test, for one).
_current: ContextVar[tuple[str, str]] = ContextVar("audit_channel", default=("", ""))


def current() -> dict[str, str]:
    """The channel and source a historical row written now records."""
    channel, source = _current.get()
    return {"history_channel": channel, "history_source": source}


@contextmanager
def acting_through(channel: str, source: str = ""):
    """Changes made inside the block come in through `channel`, from `source`."""
    token = _current.set((channel, source[:SOURCE_LENGTH]))
    try:
        yield
    finally:
        _current.reset(token)


def switch_to(channel: str, source: str = ""):
    """Changes from now on come in through `channel`; returns a token for `restore`. Only
    inside an `acting_through` block, or paired with `restore`, so it never outlives it."""
    return _current.set((channel, source[:SOURCE_LENGTH]))


def restore(token) -> None:
    _current.reset(token)


def source_named(source: str) -> None:
    """Name who acts on the current channel once it is known: an API client is known only
    once the API has authenticated it, after the middleware chose the channel."""
    channel, _unnamed = _current.get()
    _current.set((channel, source[:SOURCE_LENGTH]))
