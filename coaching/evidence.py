"""What coaching's records say about a learner's progress, registered with programs.

Observations answer the evidence gate; observations at Meets and criteria met in debriefs
answer whether each performance objective has been met on the job; debriefs, reflections
and coaching sessions complete the steps whose rule names them. Each answer covers many
learners in one query.
"""

from django.db.models import Max, Min, Q

from programs.evidence import EvidenceCheck, OpenStep, evidence_answers
from programs.models import Assignment, Rating, SuccessCriterion

from .models import CoachingSession, Debrief, Observation, Reflection


@evidence_answers("observations")
def qualifying_observations(*, checks: list[EvidenceCheck]) -> dict:
    """For each check, the observations of the enrolment against its objectives rated
    `min_rating` or better between `since` and `until`: (observer id, moment), oldest first.

    Answers every check in one query; each check reads only its own span.
    """
    matching = Q(pk__in=[])
    for check in checks:
        matching |= Q(
            enrolment_id=check.enrolment_id,
            performance_objective_id__in=check.performance_objective_ids,
            rating__gte=check.min_rating,
            observed_at__gte=check.since,
            observed_at__lte=check.until,
        )
    rows = (
        Observation.objects.filter(matching)
        .order_by("observed_at", "pk")
        .values_list(
            "enrolment_id", "performance_objective_id", "rating", "observer_id", "observed_at"
        )
    )
    by_enrolment = {}
    for row in rows:
        by_enrolment.setdefault(row[0], []).append(row[1:])
    answers = {}
    for check in checks:
        objectives = set(check.performance_objective_ids)
        answers[check.key] = [
            (observer_id, at)
            for objective_id, rating, observer_id, at in by_enrolment.get(check.enrolment_id, [])
            if objective_id in objectives
            and rating >= check.min_rating
            and check.since <= at <= check.until
        ]
    return answers


def _first_per_step(rows, open_steps: list[OpenStep]) -> dict:
    wanted = {item.key for item in open_steps}
    return {
        (row["enrolment_id"], row["step_id"]): row["at"]
        for row in rows
        if (row["enrolment_id"], row["step_id"]) in wanted
    }


@evidence_answers("step.debrief")
def debriefed(*, open_steps: list[OpenStep]) -> dict:
    """An on-the-job step is done when its assignment is debriefed as completed."""
    rows = (
        Debrief.objects.filter(
            assignment__step_id__in={item.step.pk for item in open_steps},
            assignment__enrolment_id__in={item.enrolment_id for item in open_steps},
            assignment__status=Assignment.Status.COMPLETED,
        )
        .values("assignment__enrolment_id", "assignment__step_id")
        .annotate(at=Max("held_at"))
    )
    return _first_per_step(
        (
            {
                "enrolment_id": row["assignment__enrolment_id"],
                "step_id": row["assignment__step_id"],
                "at": row["at"],
            }
            for row in rows
        ),
        open_steps,
    )


@evidence_answers("step.reflection")
def reflected(*, open_steps: list[OpenStep]) -> dict:
    """A reflection step is done with the first reflection the learner writes on it while
    it is open; one written ahead, about a step still locked, stays in the journal only."""
    written = {}
    for enrolment_id, step_id, written_at in Reflection.objects.filter(
        step_id__in={item.step.pk for item in open_steps},
        enrolment_id__in={item.enrolment_id for item in open_steps},
    ).values_list("enrolment_id", "step_id", "written_at"):
        written.setdefault((enrolment_id, step_id), []).append(written_at)
    answers = {}
    for item in open_steps:
        after = [at for at in written.get(item.key, []) if at >= item.since]
        if after:
            answers[item.key] = min(after)
    return answers


@evidence_answers("step.coaching")
def coached(*, open_steps: list[OpenStep]) -> dict:
    """A coaching step is done with the first session held while it is open."""
    held = {}
    for enrolment_id, held_at in CoachingSession.objects.filter(
        enrolment_id__in={item.enrolment_id for item in open_steps}
    ).values_list("enrolment_id", "held_at"):
        held.setdefault(enrolment_id, []).append(held_at)
    answers = {}
    for item in open_steps:
        after = sorted(at for at in held.get(item.enrolment_id, []) if at >= item.since)
        if after:
            answers[item.key] = after[0]
    return answers


@evidence_answers("competency.objectives")
def objectives_met_on_the_job(*, enrolment_ids) -> dict:
    """For each enrolment, when each performance objective was first met on the job: observed
    at Meets or better, or a success criterion tied to it met in the debrief that completed
    its assignment (the latest debrief of a completed assignment)."""
    met = {}

    def record(enrolment_id, objective_id, at):
        seen = met.setdefault(enrolment_id, {})
        if at is not None and (objective_id not in seen or at < seen[objective_id]):
            seen[objective_id] = at

    for row in (
        Observation.objects.filter(enrolment_id__in=enrolment_ids, rating__gte=Rating.MEETS)
        .values("enrolment_id", "performance_objective_id")
        .annotate(at=Min("observed_at"))
    ):
        record(row["enrolment_id"], row["performance_objective_id"], row["at"])
    for row in (
        SuccessCriterion.objects.filter(
            assignment__enrolment_id__in=enrolment_ids,
            assignment__status=Assignment.Status.COMPLETED,
            met=True,
        )
        .values("assignment_id", "assignment__enrolment_id", "performance_objective_id")
        .annotate(at=Max("assignment__debriefs__held_at"))
    ):
        record(row["assignment__enrolment_id"], row["performance_objective_id"], row["at"])
    return met
