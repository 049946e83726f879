"""Reads for designing a program: the designer's home and program page, pathway versions,
a new step's defaults, the roster and who lacks the observers a step needs."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from objectives.models import LearningObjective, PerformanceObjective
from talentdev.core.access import is_hr_admin

from .audit import design_audit, program_design_load
from .models import Enrolment, Pathway, Program, Step, StepProgress
from .progression import competency_rule_in_words, step_rule_in_words
from .rules import ids_working_with


def _count_per(queryset, *, of: str = "program", **annotation):
    """A correlated subquery giving one count per row of what `of` names (a program, a
    pathway version), 0 when there is none.

    Subqueries rather than joins: counting objectives, enrolments and versions through joins
    would multiply the rows by each other before counting, and grouping whole rows to count
    costs more than counting beside each. COUNT(*) rather than a column's count: PostgreSQL
    then counts from the index on the program alone (an index-only scan), without reading
    each row.
    """
    rows = queryset.filter(**{of: OuterRef("pk")}).order_by().values(of).annotate(**annotation)
    (name,) = annotation
    return Coalesce(Subquery(rows.values(name)[:1]), 0, output_field=IntegerField())


def _latest_pathway_field(pathways, field):
    return Subquery(pathways.filter(program=OuterRef("pk")).order_by("-version").values(field)[:1])


def programs_designed_by(*, user):
    """The programs a person designs (every program for an HR admin: page it), by name,
    with how big each is and where its pathway versions stand."""
    programs = Program.objects.visible_to(user)
    if not is_hr_admin(user):
        programs = programs.filter(owner=user)
    pathways = Pathway.objects.all()
    return (
        programs.select_related("owner")
        .annotate(
            performance_count=_count_per(PerformanceObjective.objects.all(), n=Count("*")),
            learning_count=_count_per(LearningObjective.objects.all(), n=Count("*")),
            learners=_count_per(Enrolment.objects.current(), n=Count("*")),
            latest_version=_latest_pathway_field(pathways, "version"),
            latest_status=_latest_pathway_field(pathways, "status"),
            published_version=_latest_pathway_field(
                pathways.filter(status=Pathway.Status.PUBLISHED), "version"
            ),
        )
        .order_by("name", "pk")
    )


def program_design_page(*, program):
    """The designer's program page: the design with the audit's findings on each record,
    the learning objectives that support nothing, and each pathway version's learners."""
    design = program_design_load(program=program)
    design_audit(design)
    versions = (
        Pathway.objects.filter(program=program)
        .annotate(learners=_count_per(Enrolment.objects.current(), of="pathway", n=Count("*")))
        .order_by("-version")
    )
    orphans = [
        lo
        for lo in design.learning_objectives
        if "learning_objective_without_performance" in lo.finding_codes
    ]
    steps = []
    if design.pathway is not None:
        steps = [(step, step_rule_in_words(step)) for step in design.pathway.steps.all()]
    return {
        "objectives": design.performance_objectives,
        "orphans": orphans,
        "pathway": design.pathway,
        "steps": steps,  # each with what completes it, in words
        "competency_rule": competency_rule_in_words(program),
        "versions": versions,
        "metrics": design.outcome_metrics,
        "findings": len(design.findings),
    }


def pathway_latest(*, program) -> Pathway | None:
    """The newest version of the program's pathway: the one a designer works on."""
    return program.pathways.order_by("-version").first()


def pathway_draft(*, program, latest: Pathway | None = None) -> Pathway | None:
    """The program's draft pathway version, if its newest version is still a draft. Pass
    `latest` (pathway_latest) when it is already read."""
    pathway = latest or pathway_latest(program=program)
    return pathway if pathway is not None and pathway.is_editable else None


def step_defaults(*, program, serves: str = "") -> dict:
    """What a new step starts with: as hard as the last step (difficulty should not fall
    along the way) and, with `serves` naming a performance objective, that objective and
    the learning objectives behind it ticked."""
    difficulty = (
        Step.objects.filter(pathway__program=program)
        .order_by("-pathway__version", "-position")
        .values_list("difficulty", flat=True)
        .first()
    )
    initial = {"difficulty": difficulty or 1}
    objective = (
        program.performance_objectives.filter(pk=serves)
        .prefetch_related("learning_objectives")
        .first()
        if serves.isdigit()
        else None
    )
    if objective is not None:
        initial["performance_objectives"] = [objective]
        initial["learning_objectives"] = list(objective.learning_objectives.all())
    return initial


def pathway_versions(*, program) -> list[Pathway]:
    """The program's pathway versions, newest first (a program has a handful)."""
    return list(program.pathways.all())


def pathway_published(*, versions) -> Pathway | None:
    """Of a program's versions, the one new learners are enrolled on (there is one at most)."""
    return next((p for p in versions if p.status == Pathway.Status.PUBLISHED), None)


@dataclass(frozen=True)
class ObserverShortfall:
    """A learner who cannot meet a step's evidence gate: it needs observations from more
    different people than work with them."""

    step: Step
    enrolment: Enrolment
    observers: int  # the people who can observe the learner


def observer_shortfalls(*, enrolments) -> list[ObserverShortfall]:
    """Each learner's steps still to do whose gate needs more observers than they have
    (supervisor, coach and line manager, told apart by person), by learner and step. The
    enrolments come with their learner; one query, however many there are."""
    # A learner on a break still needs their observers; one who has left needs none.
    still_on = (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)
    by_id = {e.pk: e for e in enrolments if e.status in still_on}
    rows = (
        StepProgress.objects.filter(
            enrolment_id__in=by_id,
            step__completed_by=Step.Completion.EVIDENCE,
            step__gate_min_observers__gt=1,
        )
        .exclude(status__in=StepProgress.DONE_STATUSES)
        .select_related("step")
        .order_by("enrolment_id", "step__position")
    )
    shortfalls = []
    for row in rows:
        enrolment = by_id[row.enrolment_id]
        observers = len(ids_working_with(enrolment))
        if observers < row.step.gate_min_observers:
            shortfalls.append(ObserverShortfall(row.step, enrolment, observers))
    return shortfalls


def program_roster(*, program):
    """Everyone enrolled on the program, withdrawn too, by name (page it: it can be long),
    each with the people and cohort around them; `roster_with_versions` gives a page of it
    their pathway versions."""
    name = ("first_name", "last_name", "username")
    return (
        Enrolment.objects.filter(program=program)
        .select_related("learner", "supervisor", "coach", "cohort")
        # Only what the list shows: sorting a long program's enrolments by name carries
        # every column read along.
        .only(
            "status",
            "learner",
            "pathway",
            "cohort__name",
            *(
                f"{person}__{field}"
                for person in ("learner", "supervisor", "coach")
                for field in name
            ),
        )
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def roster_with_versions(enrolments, *, versions) -> list[Enrolment]:
    """Roster rows, each with its pathway from the program's `versions`: joined into the
    roster's query, the pathways made PostgreSQL spend longer planning it than running it."""
    by_id = {pathway.pk: pathway for pathway in versions}
    rows = list(enrolments)
    for enrolment in rows:
        enrolment.pathway = by_id[enrolment.pathway_id]
    return rows
