"""Learner figures kept per program, read by the sponsor pages instead of every learner's
history.

Where a program's learners stand is read from their whole progress history (programs.history):
seconds for a program of thousands, on every view of its dashboard and of the overview. The
job in measurement.refresh counts it at the progress sweep's own pace and keeps the counts in
ProgramFigures; a page reads them while they are fresh (PROGRAM_FIGURES_MAX_AGE) and computes
live otherwise: a program nobody has counted yet, or an installation without a worker. The
counts are kept before privacy, so what may be shown is still decided as the page reads them.
"""

from django.conf import settings
from django.utils import timezone

from .models import ProgramFigures


def fresh_figures(program_ids):
    """The kept figures of those programs (ids or a subquery of them) counted within
    PROGRAM_FIGURES_MAX_AGE; a program without a row here is to be counted live."""
    oldest = timezone.now() - settings.PROGRAM_FIGURES_MAX_AGE
    return ProgramFigures.objects.filter(program_id__in=program_ids, computed_at__gte=oldest)


def kept_figures(program_ids, *, sections: str = "dashboard") -> dict[int, ProgramFigures]:
    """The fresh kept figures of those programs by program id. `sections` names the part to
    read ("dashboard" or "overview"), so the overview of many programs reads only its counts."""
    rows = fresh_figures(program_ids).only("program_id", "computed_at", sections)
    return {row.program_id: row for row in rows}
