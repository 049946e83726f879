"""Reads for pathways and enrolments: what a learner's pathway looks like today."""

import re
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, Count, F, Prefetch, Q, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from objectives.models import LearningObjective, PerformanceObjective
from people.selectors import person_matches
from talentdev.core.validators import has_control_characters

from .evidence import GateResult, step_gates_evaluate
from .models import (
    Assignment,
    Enrolment,
    Program,
    Step,
    StepProgress,
    StepSignOff,
    SuccessCriterion,
    current_enrolment,
    unfinished_enrolment,
)
from .progression import step_rule_in_words

# Assignments listed with a pathway or a step: the latest due. All of a learner's are on
# their assignments page.
SHOWN_ASSIGNMENTS = 10
# Assignments offered as someone types: enough to pick from, never the whole program.
ASSIGNMENT_SEARCH_LIMIT = 10
# An assignment's number, with or without "#"; more digits than an id holds name nothing.
ASSIGNMENT_NUMBER = re.compile(r"#?(\d{1,18})")


@dataclass
class StepView:
    """One step of a learner's pathway: its progress, rule, objectives and what is missing.

    What a page reads of it several times (its labels, its rule in words) is worked out
    once per view: a pathway page shows every step of several pathways."""

    step: Step
    progress: StepProgress
    gate: GateResult
    is_overdue: bool = False
    learning_objectives: list[LearningObjective] = field(default_factory=list)
    performance_objectives: list[PerformanceObjective] = field(default_factory=list)
    decisions: list[StepSignOff] = field(default_factory=list)  # sign-offs and skips, oldest first

    @property
    def is_done(self) -> bool:
        return self.progress.status in StepProgress.DONE_STATUSES

    @property
    def is_open(self) -> bool:
        """Open for work: unlocked and not done, on an enrolment that is active (a paused
        or ended one moves no further)."""
        return (
            self.progress.status == StepProgress.Status.IN_PROGRESS
            and self.progress.enrolment.status == Enrolment.Status.ACTIVE
        )

    @cached_property
    def rule(self) -> str:
        return step_rule_in_words(self.step)

    @cached_property
    def kind_label(self) -> str:
        return Step.Kind(self.step.kind).label

    @cached_property
    def status_label(self) -> str:
        return StepProgress.Status(self.progress.status).label


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
    def open_steps(self) -> list[StepView]:
        """The steps the learner works on now (none while the enrolment is paused or ended)."""
        return [view for view in self.steps if view.is_open]

    @property
    def overdue(self) -> list[StepView]:
        return [view for view in self.steps if view.is_overdue]

    @property
    def holds_until(self):
        """When the evidence rules' counts first change with time alone (an observation
        leaving a span); None when none will."""
        moments = [view.gate.holds_until for view in self.steps if view.gate.holds_until]
        return min(moments, default=None)


def _latest_assignments(enrolments) -> dict[int, list[Assignment]]:
    """Each enrolment's latest-due assignments (not cancelled), SHOWN_ASSIGNMENTS at most."""
    ranked = (
        Assignment.objects.filter(enrolment__in=[e.pk for e in enrolments])
        .exclude(status=Assignment.Status.CANCELLED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("enrolment_id"),
                order_by=[F("due_on").desc(), F("id").desc()],
            )
        )
    )
    found = {e.pk: [] for e in enrolments}
    for assignment in ranked.filter(rank__lte=SHOWN_ASSIGNMENTS).order_by("-due_on", "-id"):
        found[assignment.enrolment_id].append(assignment)
    return found


def _step_view(progress, gate, today, **shown) -> StepView:
    return StepView(
        step=progress.step,
        progress=progress,
        gate=gate,
        is_overdue=progress.is_overdue_on(today),
        **shown,
    )


def _objectives_by_step(step_ids) -> tuple[dict, dict]:
    """The learning and the performance objectives each step serves, by step id.

    Two plain queries: prefetching the two relations builds a related manager for every
    step, which on a page of many steps costs more than the rows themselves."""
    learning = {pk: [] for pk in step_ids}
    performance = {pk: [] for pk in step_ids}
    for found, model in ((learning, LearningObjective), (performance, PerformanceObjective)):
        for objective in model.objects.filter(steps__in=step_ids).annotate(step_id=F("steps")):
            found[objective.step_id].append(objective)
    return learning, performance


def _decisions_by_progress(rows) -> dict[int, list[StepSignOff]]:
    """The sign-offs and skips of each progress row, oldest first."""
    found = {row.pk: [] for row in rows}
    signed = StepSignOff.objects.filter(progress__in=list(found)).select_related("by")
    for sign_off in signed.order_by("at", "pk"):
        found[sign_off.progress_id].append(sign_off)
    return found


def _decided_gate(row) -> GateResult:
    """The evidence rule of a step already done is not read again: nothing shows it, and
    progression decided the step when it completed or skipped it."""
    return GateResult(
        gated=row.step.is_evidence_gated, met=row.status == StepProgress.Status.COMPLETED
    )


def _pathway_views(enrolments, now) -> list[PathwayView]:
    """The pathway of each enrolment, in a fixed number of queries whatever the number of
    enrolments and steps: their progress with its steps, the steps' objectives (2), the
    sign-offs, the observations for the evidence rules of open steps, the latest
    assignments."""
    today = timezone.localdate(now)
    by_pk = {enrolment.pk: enrolment for enrolment in enrolments}
    rows = list(
        StepProgress.objects.filter(enrolment__in=list(by_pk))
        .select_related("step")
        .order_by("enrolment_id", "step__position")
    )
    for row in rows:
        row.enrolment = by_pk[row.enrolment_id]
    learning, performance = _objectives_by_step({row.step_id for row in rows}) if rows else ({}, {})
    decisions = _decisions_by_progress(rows) if rows else {}
    undecided = [row for row in rows if row.status not in StepProgress.DONE_STATUSES]
    gates = step_gates_evaluate(
        pairs=[(row.enrolment, row.step) for row in undecided],
        now=now,
        objective_ids={pk: [po.pk for po in found] for pk, found in performance.items()},
    )
    assignments = _latest_assignments(enrolments) if enrolments else {}
    views = {
        enrolment.pk: PathwayView(enrolment, assignments=assignments[enrolment.pk])
        for enrolment in enrolments
    }
    for row in rows:
        key = (row.enrolment_id, row.step_id)
        views[row.enrolment_id].steps.append(
            _step_view(
                row,
                gates[key] if key in gates else _decided_gate(row),
                today,
                learning_objectives=learning[row.step_id],
                performance_objectives=performance[row.step_id],
                decisions=decisions[row.pk],
            )
        )
    return list(views.values())


def _pathway_details():
    return Enrolment.objects.select_related("learner", "program", "pathway", "supervisor", "coach")


def pathway_order() -> list:
    """How a learner's pathways are listed: those still under way first, so what is open
    and overdue is at the top; then the latest enrolled."""
    return [Case(When(unfinished_enrolment(), then=0), default=1), "-enrolled_on", "-pk"]


def pathways_for_learner(*, learner, now=None) -> list[PathwayView]:
    """The learner's current enrolments, each with its steps, in a constant number of queries."""
    enrolments = _pathway_details().current().filter(learner=learner).order_by(*pathway_order())
    return _pathway_views(list(enrolments), now or timezone.now())


def pathway_of(enrolment: Enrolment, *, now=None) -> PathwayView:
    """One enrolment's pathway as the people working with the learner read it. The
    enrolment comes with what _pathway_details reads beside it (areas.support's
    get_enrolment_or_404 reads the same), so it is not read again."""
    return _pathway_views([enrolment], now or timezone.now())[0]


@dataclass
class StepDetail:
    """One step of a learner's pathway on its own page: the step view, and the latest
    assignments given on it."""

    view: StepView
    enrolment: Enrolment
    assignments: list[Assignment]

    @property
    def open_assignments(self) -> list[Assignment]:
        """The assignments on the step that still wait for the learner's evidence."""
        return [a for a in self.assignments if a.status in Assignment.OPEN_STATUSES]


def step_detail(progress: StepProgress, *, now=None) -> StepDetail:
    """A step as its page shows it, in a constant number of queries. `progress` comes with
    its step and its enrolment's learner and program loaded (areas.support's
    get_progress_or_404 reads them)."""
    now = now or timezone.now()
    learning, performance = _objectives_by_step({progress.step_id})
    enrolment = progress.enrolment
    gates = step_gates_evaluate(
        pairs=[(enrolment, progress.step)],
        now=now,
        objective_ids={progress.step_id: [po.pk for po in performance[progress.step_id]]},
    )
    view = _step_view(
        progress,
        gates[(enrolment.pk, progress.step_id)],
        timezone.localdate(now),
        learning_objectives=learning[progress.step_id],
        performance_objectives=performance[progress.step_id],
        decisions=_decisions_by_progress([progress])[progress.pk],
    )
    # The page names each and links to it; its criteria are on the assignment's own page.
    assignments = list(
        Assignment.objects.filter(enrolment=enrolment, step=progress.step)
        .exclude(status=Assignment.Status.CANCELLED)
        .order_by("-due_on", "-id")[:SHOWN_ASSIGNMENTS]
    )
    return StepDetail(view=view, enrolment=enrolment, assignments=assignments)


def assignments_due_between(*, first, last):
    """Open assignments due from `first` to `last` (the due-date reminder scan): a range,
    so the scan never reads again the assignments long overdue."""
    return Assignment.objects.filter(
        status__in=Assignment.OPEN_STATUSES, due_on__gte=first, due_on__lte=last
    ).select_related("enrolment__learner")


def withdrawn_enrolments(*, learner, limit: int = 3):
    """The learner's latest withdrawn enrolments, so a learner with no program now reads
    why rather than 'not enrolled yet'."""
    return (
        Enrolment.objects.filter(learner=learner, status=Enrolment.Status.WITHDRAWN)
        .select_related("program")
        .order_by("-updated_at")[:limit]
    )


def assignments_for_learner(*, learner):
    """The learner's assignments in their current enrolments, soonest due first; cancelled
    ones too, so work taken back does not just vanish."""
    return (
        Assignment.objects.filter(enrolment__learner=learner)
        .filter(current_enrolment("enrolment__"))
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


def program_assignments(*, program):
    """The assignments given on a program, each with its learner."""
    return Assignment.objects.filter(enrolment__program=program).select_related(
        "enrolment__learner"
    )


def assignment_number(text: str) -> int | None:
    """The number of the assignment `text` names: typed ("1234", "#1234") or a picked
    suggestion, which starts with it ("#1234 · Lead the review · Sam Lee")."""
    number = ASSIGNMENT_NUMBER.fullmatch(text.split(" ·")[0].strip())
    return int(number[1]) if number else None


def assignments_search(*, program, text: str):
    """The program's assignments matching what is typed, newest first, at most
    ASSIGNMENT_SEARCH_LIMIT: those whose title or learner matches every word, and the one
    a number names."""
    words = text.split(" ·")[0].split()[:4]
    # Control characters name nothing (and PostgreSQL refuses NUL in a query).
    if not words or has_control_characters(text):
        return Assignment.objects.none()
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | person_matches(word, via="enrolment__learner__")
    number = assignment_number(text)
    if number is not None:
        match |= Q(pk=number)
    # A cancelled assignment led to nothing a story could tell.
    found = program_assignments(program=program).exclude(status=Assignment.Status.CANCELLED)
    return found.filter(match).order_by("-id")[:ASSIGNMENT_SEARCH_LIMIT]
