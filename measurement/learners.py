"""Reads for a learner's own measurement: their objectives' evidence and self-assessment."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber

from coaching.models import Feedback, Observation
from objectives.models import (
    BehaviouralIndicator,
    Competency,
    LearningObjective,
    PerformanceObjective,
)
from programs.evidence import ask
from programs.models import Assignment, Enrolment, Rating, SuccessCriterion, current_enrolment

from .models import Assessment

# The objectives page shows this many of each objective's newest observations and assessments
# of each competency; the rest is a link away, so a long history never loads whole.
LATEST = 3


@dataclass
class Observed:
    """One of the newest observations of an objective, with the feedback on it."""

    observation: Observation
    feedback: list = field(default_factory=list)


@dataclass
class ObjectiveEvidence:
    """A performance objective with the learner's evidence against it."""

    objective: object
    latest: list = field(default_factory=list)  # the newest observations (Observed)
    met_at: object = None  # when it was first met on the job, as competency counts it
    # The newest completed assignments whose debrief met it ({"pk", "title"}), and how many
    # there are in all: the rest are on the objective's own page.
    met_in: list = field(default_factory=list)
    met_in_count: int = 0
    observed: int = 0  # how many observations there are in all
    with_feedback: int = 0  # how many of them came with feedback

    @property
    def latest_rating(self) -> str:
        """The rating of the newest observation in words; empty before the first."""
        return Rating(self.latest[0].observation.rating).label if self.latest else ""

    @property
    def met_in_more(self) -> int:
        """How many of the assignments that met it are not listed with it."""
        return self.met_in_count - len(self.met_in)


def _newest(queryset, *partition, order_by):
    """The LATEST rows of each partition of `queryset`, newest first by `order_by`."""
    return queryset.annotate(
        recency=Window(RowNumber(), partition_by=[F(name) for name in partition], order_by=order_by)
    ).filter(recency__lte=LATEST)


def _met_in_debriefs(enrolments):
    """The completed assignments of these enrolments with a success criterion met in their
    debrief, once per assignment and performance objective: when an objective counts as met
    on the job through a debrief (coaching's "competency.objectives" answer)."""
    return (
        SuccessCriterion.objects.filter(
            assignment__enrolment__in=enrolments,
            assignment__status=Assignment.Status.COMPLETED,
            met=True,
        )
        .values("assignment__enrolment_id", "performance_objective_id", "assignment_id")
        .annotate(title=Max("assignment__title"), submitted=Max("assignment__submitted_at"))
    )


def _newest_debriefs_meeting(enrolments) -> dict:
    """For each (enrolment id, performance objective id): the LATEST newest assignments whose
    debrief met it, as {"pk", "title"}, and how many there are in all, in one query."""
    partition = [F("assignment__enrolment_id"), F("performance_objective_id")]
    ranked = (
        _met_in_debriefs(enrolments)
        .annotate(
            recency=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[F("submitted").desc(), F("assignment_id").desc()],
            ),
            total=Window(Count("*"), partition_by=partition),
        )
        .filter(recency__lte=LATEST)
        .order_by("recency")
    )
    found = {}
    for row in ranked:
        key = (row["assignment__enrolment_id"], row["performance_objective_id"])
        shown, _total = found.get(key, ([], row["total"]))
        shown.append({"pk": row["assignment_id"], "title": row["title"]})
        found[key] = (shown, row["total"])
    return found


def debriefs_meeting(*, learner, objective):
    """The learner's completed assignments, in the programs they are on, whose debrief met
    the performance objective (a success criterion tied to it met), newest first: a
    queryset to page."""
    return (
        Assignment.objects.filter(
            current_enrolment("enrolment__"),
            enrolment__learner=learner,
            status=Assignment.Status.COMPLETED,
            success_criteria__performance_objective=objective,
            success_criteria__met=True,
        )
        .distinct()
        .order_by("-submitted_at", "-pk")
    )


def objectives_for_learner(*, learner):
    """Per current enrolment: each learning objective (the why) with the performance objectives
    derived from it (the what) and the learner's evidence: per objective the counts from the
    database and the newest few observations with their feedback; per competency the newest
    few assessments."""
    enrolments = list(Enrolment.objects.current().filter(learner=learner).select_related("program"))
    program_ids = [e.program_id for e in enrolments]
    learning = list(
        LearningObjective.objects.filter(program_id__in=program_ids)
        .select_related("competency")
        .order_by("id")
    )
    # Read plainly rather than prefetched: a prefetch builds a related manager per objective.
    derived = {lo.pk: [] for lo in learning}
    for po in PerformanceObjective.objects.filter(learning_objectives__in=learning).annotate(
        supported=F("learning_objectives")
    ):
        derived[po.supported].append(po)
    mine = Observation.objects.filter(learner=learner, enrolment__in=enrolments)
    counts = {
        row["performance_objective_id"]: row
        for row in mine.order_by()
        .values("performance_objective_id")
        .annotate(observed=Count("pk"), with_feedback=Count("feedback"))
    }
    observations = (
        _newest(
            mine,
            "performance_objective_id",
            order_by=[F("observed_at").desc(), F("pk").desc()],
        )
        .select_related("observer")
        .order_by("-observed_at", "-pk")
    )
    assessments = (
        _newest(
            Assessment.objects.filter(enrolment__in=enrolments),
            "enrolment_id",
            "competency_id",
            order_by=[F("assessed_on").desc(), F("pk").desc()],
        )
        .select_related("assessed_level")
        .order_by("assessed_on", "pk")
    )
    met = ask("competency.objectives", enrolment_ids=[e.pk for e in enrolments])
    judged = _newest_debriefs_meeting(enrolments)
    by_objective, by_competency = {}, {}
    shown = [Observed(observation) for observation in observations]
    for seen in shown:
        by_objective.setdefault(seen.observation.performance_objective_id, []).append(seen)
    if shown:
        given = {seen.observation.pk: seen.feedback for seen in shown}
        for feedback in Feedback.objects.filter(observation__in=list(given)).select_related(
            "giver"
        ):
            given[feedback.observation_id].append(feedback)
    for assessment in assessments:
        by_competency.setdefault((assessment.enrolment_id, assessment.competency_id), []).append(
            assessment
        )
    result = []
    for enrolment in enrolments:
        items = []
        for lo in learning:
            if lo.program_id != enrolment.program_id:
                continue
            items.append(
                {
                    "learning": lo,
                    "assessments": by_competency.get((enrolment.pk, lo.competency_id), []),
                    "performance": [
                        ObjectiveEvidence(
                            po,
                            latest=by_objective.get(po.pk, []),
                            met_at=met.get(enrolment.pk, {}).get(po.pk),
                            met_in=judged.get((enrolment.pk, po.pk), ([], 0))[0],
                            met_in_count=judged.get((enrolment.pk, po.pk), ([], 0))[1],
                            observed=counts.get(po.pk, {}).get("observed", 0),
                            with_feedback=counts.get(po.pk, {}).get("with_feedback", 0),
                        )
                        for po in derived[lo.pk]
                    ],
                }
            )
        result.append({"enrolment": enrolment, "objectives": items})
    return result


def self_assessment_choice(*, learner, competency_pk: str = "") -> dict:
    """The competencies a learner may rate themselves on (those their current programs
    build), the one asked for (else the first) and the enrolment the rating belongs to."""
    enrolments = Enrolment.objects.current().filter(learner=learner)
    # A program builds a few competencies: read them once, for the choice and the list.
    competencies = list(
        Competency.objects.filter(learning_objectives__program__enrolments__in=enrolments)
        .distinct()
        .order_by("code")
    )
    chosen = next((c for c in competencies if str(c.pk) == competency_pk), None)
    competency = chosen or next(iter(competencies), None)
    enrolment = (
        enrolments.filter(program__learning_objectives__competency=competency).first()
        if competency
        else None
    )
    return {"competencies": competencies, "competency": competency, "enrolment": enrolment}


def self_assessment_levels(*, learner, competency, levels) -> dict:
    """Each level of the competency's scale with its observable behaviours, and the
    learner's past assessments of it, newest first: a queryset to page."""
    by_level = {}
    for indicator in BehaviouralIndicator.objects.filter(competency=competency):
        by_level.setdefault(indicator.level_id, []).append(indicator.description)
    history = (
        Assessment.objects.filter(enrolment__learner=learner, competency=competency)
        .select_related("assessed_level")
        .order_by("-assessed_on", "-pk")
    )
    return {
        "levels": [(level, by_level.get(level.pk, [])) for level in levels],
        "history": history,
    }


def step_assessments(progress, *, limit: int = 10, learning_objectives=None) -> list[Assessment]:
    """The learner's latest assessments in the competencies a step builds (in any, when it
    names none): the evidence of a step an assessment completes.

    `learning_objectives` are the step's, when the caller has read them; otherwise
    `progress` comes with them prefetched.
    """
    if learning_objectives is None:
        learning_objectives = progress.step.learning_objectives.all()
    competencies = {lo.competency_id for lo in learning_objectives}
    # A self-assessment never completes a step: it is the learner's view, not evidence.
    assessments = Assessment.objects.filter(enrolment_id=progress.enrolment_id).exclude(
        kind=Assessment.Kind.SELF
    )
    if competencies:
        assessments = assessments.filter(competency_id__in=competencies)
    return list(
        assessments.select_related("competency", "assessed_level", "assessor").order_by(
            "-assessed_on", "-pk"
        )[:limit]
    )


def latest_assessments(*, enrolment, limit: int = 10) -> list[Assessment]:
    """The learner's latest assessments on one enrolment, of every kind, newest first."""
    return list(
        Assessment.objects.filter(enrolment=enrolment)
        .select_related("competency", "assessed_level", "assessor")
        .order_by("-assessed_on", "-pk")[:limit]
    )
