"""Writes for assessments, outcome metrics and their measurements."""

from django.db import transaction

from .models import Assessment, Measurement, OutcomeMetric


@transaction.atomic
def assessment_record(
    *,
    enrolment,
    competency,
    kind,
    assessed_level,
    assessor,
    assessed_on,
    learning_objective=None,
    score=None,
    notes="",
) -> Assessment:
    """Record a learning-level assessment of one competency."""
    assessment = Assessment(
        enrolment=enrolment,
        competency=competency,
        kind=kind,
        assessed_level=assessed_level,
        assessor=assessor,
        assessed_on=assessed_on,
        learning_objective=learning_objective,
        score=score,
        notes=notes,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def outcome_metric_create(*, program, performance_objectives=(), **fields) -> OutcomeMetric:
    """Define a business outcome the program should move."""
    metric = OutcomeMetric(program=program, **fields)
    metric.full_clean()
    metric.save()
    if performance_objectives:
        metric.performance_objectives.set(performance_objectives)
    return metric


@transaction.atomic
def measurement_record(
    *,
    metric,
    value,
    measured_at,
    enrolment=None,
    source=Measurement.Source.MANUAL,
    note="",
    recorded_by=None,
) -> Measurement:
    """Record one value of an outcome metric."""
    measurement = Measurement(
        metric=metric,
        value=value,
        measured_at=measured_at,
        enrolment=enrolment,
        source=source,
        note=note,
        recorded_by=recorded_by,
    )
    measurement.full_clean()
    measurement.save()
    return measurement
