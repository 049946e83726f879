"""Counting every program's learner figures again, for the sponsor pages to read
(measurement.figures), and its observer calibration, for the designer's page
(coaching.kept_calibration). Run by a periodic job; running it twice at once, or again, keeps
the same rows per program with the newest counts."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.kept_calibration import calibration_keep
from programs.models import Program

from .dashboard import learner_sections
from .models import OutcomeMetric, ProgramFigures
from .overview import overview_counts


def refresh_program_figures(*, program_ids=None) -> int:
    """Count the figures and the calibration of every program (or of `program_ids`) and keep
    them; returns how many programs were counted. The overview's counts come from one grouped
    pass over all of them, the dashboard's sections and the calibration program by program."""
    programs = Program.objects.order_by("pk")
    if program_ids is not None:
        programs = programs.filter(pk__in=program_ids)
    programs = list(programs)
    ids = [program.pk for program in programs]
    counted_at = timezone.now()  # each count reads the history up to at least this moment
    counts = overview_counts(ids) if ids else {}
    metrics = {}
    for metric in OutcomeMetric.objects.filter(program_id__in=ids).order_by("name", "pk"):
        metrics.setdefault(metric.program_id, []).append(metric.pk)
    kept = 0
    for program in programs:
        row = ProgramFigures(
            program=program,
            computed_at=counted_at,
            overview=counts[program.pk],
            dashboard=learner_sections(program=program, metric_ids=metrics.get(program.pk, [])),
        )
        try:
            with transaction.atomic():
                # Writing the figures' row locks it until commit: a second count of the same
                # program waits here, then replaces the calibration this one keeps. Counted
                # in the database as it is kept, the calibration is as of the same instant.
                ProgramFigures.objects.bulk_create(
                    [row],
                    update_conflicts=True,
                    unique_fields=["program"],
                    update_fields=["computed_at", "overview", "dashboard"],
                )
                calibration_keep(program=program, computed_at=counted_at)
        except IntegrityError:
            continue  # the program was deleted while it was being counted
        kept += 1
    return kept
