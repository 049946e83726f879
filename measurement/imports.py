"""CSV import of measurements: all rows or none, each bad row named by its line number."""

import csv
import io
from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from programs.models import Enrolment
from talentdev.core.audit import bulk_history
from talentdev.core.validators import check_fits_column, has_control_characters, validate_sane_date

from .models import Measurement
from .services import values_counted

REQUIRED_COLUMNS = ("metric", "measured_at", "value")
OPTIONAL_COLUMNS = ("employee_id", "note")
MAX_ROWS = 50_000
VALUE_COLUMN = Measurement._meta.get_field("value")


def _moment(text: str, now):
    """A date-time in the current time zone, or None. A bare date means its noon, so that a
    day stays the same day wherever it is read; today's noon, still ahead, means now."""
    try:
        day = parse_date(text)
        if day is not None:
            noon = datetime(
                day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone()
            )
            return min(noon, now) if day == timezone.localdate(now) else noon
        moment = parse_datetime(text)
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _records(reader):
    """Each row with its line number; a file the CSV reader cannot read (a cell longer than
    its limit, a broken quote) is refused naming the line it stopped at."""
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as error:
            raise ValidationError(
                _("Line %(line)d: this is not readable as CSV (%(why)s).")
                # DictReader's own line_num moves only past rows it read whole.
                % {"line": reader.reader.line_num, "why": error}
            ) from error
        yield reader.line_num, row


def _cell_problems(row) -> list[str]:
    """Cells holding control characters, which no value, name or note has."""
    return [
        _("the %(column)s holds invisible control characters") % {"column": column}
        for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        if isinstance(row.get(column), str) and has_control_characters(row[column])
    ]


def _value_problem(text: str) -> tuple[Decimal | None, str | None]:
    """The value in a cell, or why it is not one: a finite number that fits the column."""
    try:
        value = Decimal(text)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return None, _("“%(v)s” is not a number") % {"v": text}
    try:
        check_fits_column(value, VALUE_COLUMN)
    except ValidationError as error:
        return None, _("“%(v)s” is too large or too precise for a value: %(why)s") % {
            "v": text,
            "why": " ".join(error.messages),
        }
    return value, None


def measurements_import(*, program, upload, recorded_by) -> int:
    """Read a CSV of measurements for the program's metrics and save them all, or none.

    Columns: metric (its name), measured_at (date or date-time), value, and optionally
    employee_id (a learner's value rather than the program's) and note.
    """
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not UTF-8 text; save it as CSV (UTF-8).")) from error
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise ValidationError(
            _("Line 1: this is not readable as CSV (%(why)s).") % {"why": error}
        ) from error
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("The header must name the columns %(cols)s; missing: %(missing)s.")
            % {"cols": ", ".join(REQUIRED_COLUMNS), "missing": ", ".join(missing)}
        )
    metrics = {m.name.casefold(): m for m in program.outcome_metrics.all()}
    enrolments = {
        e.learner.employee_id: e
        for e in Enrolment.objects.filter(program=program)
        .exclude(learner__employee_id="")
        .select_related("learner")
    }
    rows, errors = [], []
    now = timezone.now()
    for count, (line, row) in enumerate(_records(reader), start=1):
        if count > MAX_ROWS:
            raise ValidationError(_("Import at most %(n)d rows at a time.") % {"n": MAX_ROWS})
        problems = _cell_problems(row)
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        metric = metrics.get((row.get("metric") or "").strip().casefold())
        if metric is None:
            problems.append(
                _("no metric named “%(name)s” in this program") % {"name": row.get("metric")}
            )
        moment = _moment((row.get("measured_at") or "").strip(), now)
        if moment is None:
            problems.append(_("“%(v)s” is not a date") % {"v": row.get("measured_at")})
        else:
            try:
                validate_sane_date(moment)
            except ValidationError as refused:
                # The form's own words: near a bound they name it to the minute, in UTC.
                problems.append(
                    _("“%(v)s” is out of range (%(why)s)")
                    % {"v": row.get("measured_at"), "why": refused.messages[0].rstrip(".")}
                )
            else:
                if Measurement.is_in_future(moment, now):
                    problems.append(_("“%(v)s” is in the future") % {"v": row.get("measured_at")})
        value, value_problem = _value_problem((row.get("value") or "").strip())
        if value_problem:
            problems.append(value_problem)
        employee_id = (row.get("employee_id") or "").strip()
        enrolment = None
        if employee_id:
            enrolment = enrolments.get(employee_id)
            if enrolment is None:
                problems.append(
                    _("nobody with employee ID %(id)s is enrolled in this program")
                    % {"id": employee_id}
                )
        if problems:
            errors.append(
                _("Line %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        rows.append(
            Measurement(
                metric=metric,
                enrolment=enrolment,
                measured_at=moment,
                value=value,
                note=(row.get("note") or "").strip()[:300],
                source=Measurement.Source.IMPORT,
                recorded_by=recorded_by,
            )
        )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("The file has no rows to import."))
    with transaction.atomic():
        Measurement.objects.bulk_create(rows, batch_size=1000)
        bulk_history(Measurement, rows, update=False)
        values_counted(Counter(row.metric_id for row in rows))
    return len(rows)
