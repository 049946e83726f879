"""Reads for pathways and enrolments: what a learner's pathway looks like today."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils import timezone

from .evidence import GateResult, step_gates_evaluate
from .models import (
    Assignment,
    Enrolment,
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
        return self.progress.status in StepProgress.DONE_STATUSES


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
                        and progress.status not in StepProgress.DONE_STATUSES
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
        status__in=Assignment.OPEN_STATUSES, due_on__lte=day
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
