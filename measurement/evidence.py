"""What assessments say about a learner's progress, registered with programs: whether a step
an assessment completes is done, and each competency's latest assessed level."""

import datetime as dt

from programs.evidence import OpenStep, evidence_answers

from .models import Assessment


def _moment(day: dt.date) -> dt.datetime:
    # An assessment has a day, not a time: it counts from the start of that day (UTC).
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


@evidence_answers("step.assessment")
def assessed(*, open_steps: list[OpenStep]) -> dict:
    """A step an assessment completes is done with the first assessment, made while it is
    open, of a competency it builds (of any, when it names none) at or above its level.

    Only an assessor's assessment counts, as for competency: a learner's rating of
    themselves does not complete their baseline or checkpoint.
    """
    rows = (
        Assessment.objects.filter(enrolment_id__in={item.enrolment_id for item in open_steps})
        .exclude(kind=Assessment.Kind.SELF)
        .values_list("enrolment_id", "competency_id", "assessed_level__rank", "assessed_on")
    )
    by_enrolment = {}
    for enrolment_id, competency_id, rank, day in rows:
        by_enrolment.setdefault(enrolment_id, []).append((competency_id, rank, day))
    answers = {}
    for item in open_steps:
        step = item.step
        competencies = {lo.competency_id for lo in step.learning_objectives.all()}
        days = sorted(
            day
            for competency_id, rank, day in by_enrolment.get(item.enrolment_id, [])
            if (not competencies or competency_id in competencies)
            and (step.assessment_min_rank is None or rank >= step.assessment_min_rank)
            and day >= item.since.date()
        )
        if days:
            answers[item.key] = _moment(days[0])
    return answers


@evidence_answers("competency.assessments")
def levels_assessed(*, enrolment_ids) -> dict:
    """For each enrolment, each competency's baseline and checkpoint levels: (rank, moment),
    oldest first, so the level at any moment is the last one made by then."""
    rows = (
        Assessment.objects.filter(
            enrolment_id__in=enrolment_ids,
            kind__in=[Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT],
        )
        .order_by("enrolment_id", "competency_id", "assessed_on", "id")
        .values_list("enrolment_id", "competency_id", "assessed_level__rank", "assessed_on")
    )
    levels = {}
    for enrolment_id, competency_id, rank, day in rows:
        levels.setdefault(enrolment_id, {}).setdefault(competency_id, []).append(
            (rank, _moment(day))
        )
    return levels
