"""Validators shared by services and the forms people type into."""

import re
from datetime import UTC, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.db.models import Q
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


# Dates people type are kept to years a talent programme can mean: a mistyped 9999 would
# otherwise be stored, sort as the newest of everything and break the pages that move it
# into a viewer's time zone.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
# A date-time is judged as the moment it is, in UTC, not in the zone of whoever typed it:
# then the forms that take it and the charts that read it (within_sane_years) agree on
# every moment, whoever typed it and whoever reads it, and any moment taken moves into any
# time zone without leaving the calendar.
SANE_FROM = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
SANE_UNTIL = datetime(LATEST_YEAR + 1, 1, 1, tzinfo=UTC)

# Control characters have no place in what people type (PostgreSQL refuses NUL outright),
# the C1 ones (\x80-\x9f, text decoded with the wrong character set) included; tab, line
# feed, carriage return and Unicode's line and paragraph separators are kept where text runs
# over several lines.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What breaks a line among the characters a one-line field refuses, named apart so the
# refusal says so: line feed, carriage return, vertical tab, form feed and Unicode's line and
# paragraph separators. (NEL, U+0085, is nearly always a "…" read in the wrong character set,
# and the file, group and record separators show as nothing: refused as control characters.)
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\u2028\u2029]")


def is_sane_date(value) -> bool:
    """Whether a date lies within the years EARLIEST_YEAR to LATEST_YEAR, or a date-time
    with a time zone from SANE_FROM to before SANE_UNTIL."""
    if isinstance(value, datetime) and not timezone.is_naive(value):
        return SANE_FROM <= value < SANE_UNTIL
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def validate_sane_date(value) -> None:
    """A date or date-time within the years EARLIEST_YEAR to LATEST_YEAR (is_sane_date)."""
    if value is None or is_sane_date(value):
        return
    if isinstance(value, datetime) and EARLIEST_YEAR - 1 <= value.year <= LATEST_YEAR + 1:
        # In the year next to a bound, where the year typed and the year in UTC may differ:
        # the bound is named to the minute.
        raise ValidationError(
            _("Enter a time from 1 Jan %(first)d, 00:00 UTC to 31 Dec %(last)d, 23:59 UTC."),
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
            code="date_out_of_range",
        )
    raise ValidationError(
        _("Enter a date between the years %(first)d and %(last)d."),
        params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        code="date_out_of_range",
    )


def within_sane_years(field: str) -> Q:
    """Rows whose date-time `field` lies where is_sane_date puts the moments forms take.
    Charts read through it, so a time stored out of that range (before the bound, or by
    other means) neither breaks them in a viewer's time zone nor becomes their newest month."""
    return Q(**{f"{field}__gte": SANE_FROM, f"{field}__lt": SANE_UNTIL})


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """Whether `text` holds a control character; with `multiline`, tabs and line breaks
    are allowed."""
    return bool((_CONTROL_BUT_LINE_BREAKS if multiline else _CONTROL).search(text))


def validate_single_line_text(value) -> None:
    """Text on one line: no control character at all, tabs and line breaks included."""
    if not value:
        return
    if _LINE_BREAKS.search(value) and not has_control_characters(_LINE_BREAKS.sub("", value)):
        raise ValidationError(
            _("Keep this text on one line: remove the line breaks."), code="line_breaks"
        )
    if has_control_characters(value):
        raise ValidationError(
            _("Remove the invisible control characters (such as NUL) from this text."),
            code="control_characters",
        )


def validate_multiline_text(value) -> None:
    """Text over several lines: tabs and line breaks, but no other control character."""
    if value and has_control_characters(value, multiline=True):
        raise ValidationError(
            _("Remove the invisible control characters (such as NUL) from this text."),
            code="control_characters",
        )


def check_decimal_fits(value: Decimal, *, max_digits: int, decimal_places: int) -> None:
    """`value` fits a decimal column of `max_digits` digits, `decimal_places` of them after
    the point: the database refuses a larger one with an error, not a message."""
    DecimalValidator(max_digits, decimal_places)(value)


def check_fits_column(value: Decimal, field) -> None:
    """`value` fits the model's DecimalField `field` (e.g. Measurement._meta.get_field(…))."""
    check_decimal_fits(value, max_digits=field.max_digits, decimal_places=field.decimal_places)
