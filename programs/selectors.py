"""Reads for pathways and enrolments: what a learner's pathway looks like today."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from objectives.models import LearningObjective, PerformanceObjective
from talentdev.core.access import is_hr_admin

from .audit import design_audit, program_design_load
from .evidence import GateResult, step_gates_evaluate
from .models import (
    Assignment,
    Enrolment,
    Pathway,
    Program,
    Step,
    StepProgress,
    SuccessCriterion,
    current_enrolment,
)


@dataclass
class StepView:
    """One step as the learner sees it: its progress, its objectives, what is missing."""

    step: Step
    progress: StepProgress
    gate: GateResult
    is_next: bool = False
    is_overdue: bool = False

    @property
    def is_done(self) -> bool:
        return self.progress.status in (
            StepProgress.Status.COMPLETED,
            StepProgress.Status.SKIPPED,
        )


@dataclass
class PathwayView:
    """An enrolment with its steps in order and the learner's progress along them."""

    enrolment: Enrolment
    steps: list[StepView] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(view.is_done for view in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    @property
    def next_step(self) -> StepView | None:
        return next((view for view in self.steps if view.is_next), None)

    @property
    def overdue(self) -> list[StepView]:
        return [view for view in self.steps if view.is_overdue]


def pathways_for_learner(*, learner, now=None) -> list[PathwayView]:
    """The learner's current enrolments, each with its steps, in a constant number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    enrolments = list(
        Enrolment.objects.current()
        .filter(learner=learner)
        .select_related("program", "pathway", "supervisor", "coach")
        .prefetch_related(
            Prefetch(
                "progress",
                queryset=StepProgress.objects.select_related("step")
                .prefetch_related("step__learning_objectives", "step__performance_objectives")
                .order_by("step__position"),
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=Assignment.Status.CANCELLED)
                .annotate(criteria_count=Count("success_criteria"))
                .order_by("due_on"),
            ),
        )
        .order_by("-enrolled_on")
    )
    pairs = [(e, progress.step) for e in enrolments for progress in e.progress.all()]
    gates = step_gates_evaluate(pairs=pairs, now=now)
    views = []
    for enrolment in enrolments:
        view = PathwayView(enrolment=enrolment, assignments=list(enrolment.assignments.all()))
        for progress in enrolment.progress.all():
            view.steps.append(
                StepView(
                    step=progress.step,
                    progress=progress,
                    gate=gates[(enrolment.pk, progress.step_id)],
                    is_overdue=bool(
                        progress.due_on
                        and progress.due_on < today
                        and progress.status
                        not in (StepProgress.Status.COMPLETED, StepProgress.Status.SKIPPED)
                    ),
                )
            )
        upcoming = next((s for s in view.steps if not s.is_done), None)
        if upcoming is not None and enrolment.status == Enrolment.Status.ACTIVE:
            upcoming.is_next = True
        views.append(view)
    return views


def assignments_due_by(*, day):
    """Open assignments due on or before `day` (the due-date reminder scan)."""
    return Assignment.objects.filter(
        status__in=[Assignment.Status.ASSIGNED, Assignment.Status.IN_PROGRESS], due_on__lte=day
    ).select_related("enrolment__learner")


def assignments_for_learner(*, learner):
    """The learner's assignments in their current enrolments, soonest due first."""
    return (
        Assignment.objects.filter(enrolment__learner=learner)
        .filter(current_enrolment("enrolment__"))
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("enrolment__program", "step")
        .annotate(criteria_count=Count("success_criteria"))
        .order_by("due_on", "id")
    )


def _per_program(queryset, **annotation):
    """A correlated subquery giving one count per program row (0 when there is none).

    Subqueries rather than joins: counting objectives, enrolments and versions through joins
    would multiply the rows by each other before counting.
    """
    rows = (
        queryset.filter(program=OuterRef("pk")).order_by().values("program").annotate(**annotation)
    )
    (name,) = annotation
    return Coalesce(Subquery(rows.values(name)[:1]), 0, output_field=IntegerField())


def _latest_pathway_field(pathways, field):
    return Subquery(pathways.filter(program=OuterRef("pk")).order_by("-version").values(field)[:1])


def programs_designed_by(*, user):
    """The programs a person designs (every program for an HR admin), with how big each is
    and where its pathway versions stand."""
    programs = Program.objects.visible_to(user)
    if not is_hr_admin(user):
        programs = programs.filter(owner=user)
    pathways = Pathway.objects.all()
    return (
        programs.select_related("owner")
        .annotate(
            performance_count=_per_program(PerformanceObjective.objects.all(), n=Count("pk")),
            learning_count=_per_program(LearningObjective.objects.all(), n=Count("pk")),
            learners=_per_program(Enrolment.objects.current(), n=Count("pk")),
            latest_version=_latest_pathway_field(pathways, "version"),
            latest_status=_latest_pathway_field(pathways, "status"),
            published_version=_latest_pathway_field(
                pathways.filter(status=Pathway.Status.PUBLISHED), "version"
            ),
        )
        .order_by("name")
    )


def program_design_page(*, program):
    """The designer's program page: the design with the audit's findings on each record,
    the learning objectives that support nothing, and each pathway version's learners."""
    design = program_design_load(program=program)
    design_audit(design)
    versions = (
        Pathway.objects.filter(program=program)
        .annotate(learners=Count("enrolments", filter=current_enrolment("enrolments__")))
        .order_by("-version")
    )
    orphans = [
        lo
        for lo in design.learning_objectives
        if "learning_objective_without_performance" in lo.finding_codes
    ]
    return {
        "objectives": design.performance_objectives,
        "orphans": orphans,
        "pathway": design.pathway,
        "versions": versions,
        "metrics": design.outcome_metrics,
        "findings": len(design.findings),
    }


def pathway_latest(*, program) -> Pathway | None:
    """The newest version of the program's pathway: the one a designer works on."""
    return program.pathways.order_by("-version").first()


def pathway_draft(*, program) -> Pathway | None:
    """The program's draft pathway version, if its newest version is still a draft."""
    pathway = pathway_latest(program=program)
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


def pathway_published(*, program) -> Pathway | None:
    """The version new learners are enrolled on."""
    return program.pathways.filter(status=Pathway.Status.PUBLISHED).first()


def program_roster(*, program):
    """Everyone enrolled on the program, withdrawn too, by name (page it: it can be long)."""
    return (
        Enrolment.objects.filter(program=program)
        .select_related("learner", "supervisor", "coach", "cohort", "pathway")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def assignment_details():
    """Assignments with their learner, program, supervisor, step and success criteria (each
    with its performance objective): an assignment's page reads them all."""
    return Assignment.objects.select_related(
        "enrolment__learner", "enrolment__program", "enrolment__supervisor", "step"
    ).prefetch_related(
        Prefetch(
            "success_criteria",
            queryset=SuccessCriterion.objects.select_related("performance_objective"),
        )
    )


def programs_taken_part_in(*, user):
    """The programs a person takes part in, in any role: the ones they may see."""
    return Program.objects.visible_to(user).select_related("owner")
