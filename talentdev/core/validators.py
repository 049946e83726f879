"""Validators shared by services and the forms people type into."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_due_ahead(due_on, now=None) -> None:
    """Work is due today or later, never on a day already gone: assignments, a debrief's
    next actions, a coaching session's commitments. `now` is the moment the past is judged
    from: the present unless a caller replays history. A form field takes it as a validator."""
    if due_on < timezone.localdate(now):
        raise ValidationError(
            _("The due date has passed: choose a day from today."), code="due_passed"
        )


def check_due_ahead(due_on, now=None) -> None:
    """`validate_due_ahead` for a service: the refusal names the `due_on` field, so a form
    shows it beside the date."""
    try:
        validate_due_ahead(due_on, now)
    except ValidationError as error:
        raise ValidationError({"due_on": error}) from None
