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

from .models import Measurement
from .services import values_counted

REQUIRED_COLUMNS = ("metric", "measured_at", "value")
OPTIONAL_COLUMNS = ("employee_id", "note")
MAX_ROWS = 50_000


def _moment(text: str):
    """A date-time (a bare date means noon) in the current time zone, or None."""
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(
                day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone()
            )
    except ValueError:  # well formed but impossible, e.g. 2026-02-30
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


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
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
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
    for line, row in enumerate(reader, start=2):  # line 1 is the header
        if line - 1 > MAX_ROWS:
            raise ValidationError(_("Import at most %(n)d rows at a time.") % {"n": MAX_ROWS})
        problems = []
        metric = metrics.get((row.get("metric") or "").strip().casefold())
        if metric is None:
            problems.append(
                _("no metric named “%(name)s” in this program") % {"name": row.get("metric")}
            )
        moment = _moment((row.get("measured_at") or "").strip())
        if moment is None:
            problems.append(_("“%(v)s” is not a date") % {"v": row.get("measured_at")})
        try:
            value = Decimal((row.get("value") or "").strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problems.append(_("“%(v)s” is not a number") % {"v": row.get("value")})
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
