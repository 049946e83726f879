"""Observer calibration kept per program and period, read by the designer's page instead of
aggregating a quarter of a program's ratings on every view.

The sponsor figures' job (measurement.refresh) counts each period's rows with the program's
other figures and keeps them here, in the page's order; the page reads a page of them while
they are fresh (PROGRAM_FIGURES_MAX_AGE), as the sponsor pages read theirs, and computes live
otherwise: a program nobody has counted yet, one with no ratings in the period, or an
installation without a worker.
"""

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .calibration import (
    CALIBRATION_COLUMNS,
    PERIODS,
    Calibration,
    calibration_keep_period,
    calibration_row,
    calibration_rows,
    calibration_since,
)
from .models import KeptCalibrationRow


def calibration_keep(*, program, computed_at) -> None:
    """Count the program's calibration over each period as of `computed_at` and keep it in
    place of the earlier one, in the database without a round trip of its rows.

    The caller holds a transaction, and a lock on the program's kept figures, so that two
    counts at once leave one set of rows (measurement.refresh)."""
    KeptCalibrationRow.objects.filter(program=program).delete()
    for days in PERIODS:
        calibration_keep_period(program=program, days=days, computed_at=computed_at)


def calibration_page(*, program, days: int, offset: int, limit: int) -> Calibration:
    """The rows from `offset` on (at most `limit`) of the program's calibration over the last
    `days`, kept ones while fresh, else counted now; `as_of` says when they were counted."""
    kept = _kept(program=program, days=days, offset=offset, limit=limit)
    if kept is not None:
        return kept
    now = timezone.now()
    live = calibration_rows(
        program=program, since=calibration_since(days, now=now), offset=offset, limit=limit
    )
    return Calibration(rows=live.rows, found=live.found, as_of=now)


def _kept(*, program, days, offset, limit) -> Calibration | None:
    """The kept rows asked for, or None when none are fresh. The first row comes along, so
    a page past the end still tells how many there are, in the same single range read."""
    oldest = timezone.now() - settings.PROGRAM_FIGURES_MAX_AGE
    fetched = list(
        KeptCalibrationRow.objects.filter(program=program, days=days, computed_at__gte=oldest)
        .filter(Q(rank__gte=offset, rank__lt=offset + limit) | Q(rank=0))
        .order_by("rank")
        .values(*CALIBRATION_COLUMNS, "rank", "found", "computed_at")
    )
    if not fetched:
        return None
    first = fetched[0]
    rows = [
        calibration_row({key: row[key] for key in CALIBRATION_COLUMNS})
        for row in fetched
        if row["rank"] >= offset
    ]
    return Calibration(rows=rows, found=first["found"], as_of=first["computed_at"])
