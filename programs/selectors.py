"""Reads for pathways and enrolments: what a learner's pathway looks like today."""

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Prefetch, Q, When, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.utils import timezone

from people.selectors import person_matches

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
    """One step of a learner's pathway: its progress, rule, objectives and what is missing."""

    step: Step
    progress: StepProgress
    gate: GateResult
    is_overdue: bool = False

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

    @property
    def rule(self) -> str:
        return step_rule_in_words(self.step)

    @property
    def decisions(self) -> list[StepSignOff]:
        """Who signed the step off or skipped it, and why (prefetched)."""
        return list(self.progress.sign_offs.all())


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


def _progress_rows():
    return (
        StepProgress.objects.select_related("step")
        .prefetch_related(
            "step__learning_objectives",
            "step__performance_objectives",
            Prefetch("sign_offs", queryset=StepSignOff.objects.select_related("by").order_by("at")),
        )
        .order_by("step__position")
    )


# What a pathway view reads of its enrolment, beside the progress along the steps.
PATHWAY_RELATIONS = ("learner", "program", "pathway", "supervisor", "coach")


def _with_pathway(enrolments):
    return enrolments.select_related(*PATHWAY_RELATIONS).prefetch_related(
        Prefetch("progress", queryset=_progress_rows()),
    )


def _latest_assignments(enrolments) -> dict[int, list[Assignment]]:
    """Each enrolment's latest-due assignments (not cancelled), SHOWN_ASSIGNMENTS at most."""
    given = Assignment.objects.exclude(status=Assignment.Status.CANCELLED)
    if len(enrolments) == 1:
        # One learner's pathway: a plain LIMIT gives the same rows, built faster.
        (enrolment,) = enrolments
        latest = given.filter(enrolment=enrolment).order_by("-due_on", "-id")
        return {enrolment.pk: list(latest[:SHOWN_ASSIGNMENTS])}
    ranked = given.filter(enrolment__in=[e.pk for e in enrolments]).annotate(
        rank=Window(
            RowNumber(),
            partition_by=F("enrolment_id"),
            order_by=[F("due_on").desc(), F("id").desc()],
        )
    )
    found = {e.pk: [] for e in enrolments}
    for assignment in ranked.filter(rank__lte=SHOWN_ASSIGNMENTS).order_by("-due_on", "-id"):
        found[assignment.enrolment_id].append(assignment)
    return found


def _step_view(progress, gate, today) -> StepView:
    return StepView(
        step=progress.step, progress=progress, gate=gate, is_overdue=progress.is_overdue_on(today)
    )


def _pathway_views(enrolments, now) -> list[PathwayView]:
    today = timezone.localdate(now)
    pairs = [(e, progress.step) for e in enrolments for progress in e.progress.all()]
    gates = step_gates_evaluate(pairs=pairs, now=now)
    assignments = _latest_assignments(enrolments) if enrolments else {}
    views = []
    for enrolment in enrolments:
        view = PathwayView(enrolment=enrolment, assignments=assignments[enrolment.pk])
        for progress in enrolment.progress.all():
            view.steps.append(_step_view(progress, gates[(enrolment.pk, progress.step_id)], today))
        views.append(view)
    return views


def pathways_for_learner(*, learner, now=None) -> list[PathwayView]:
    """The learner's current enrolments, each with its steps, in a constant number of queries."""
    enrolments = _with_pathway(Enrolment.objects.current().filter(learner=learner))
    # Pathways still under way first, so what is open and overdue is at the top.
    unfinished = Case(When(unfinished_enrolment(), then=0), default=1)
    ordered = enrolments.order_by(unfinished, "-enrolled_on")
    return _pathway_views(list(ordered), now or timezone.now())


def pathway_of(enrolment: Enrolment, *, now=None) -> PathwayView:
    """One enrolment's pathway as the people working with the learner read it. An
    enrolment read with its PATHWAY_RELATIONS is used as it is (only its progress is
    read); another is read again with them."""
    loaded = all(Enrolment._meta.get_field(name).is_cached(enrolment) for name in PATHWAY_RELATIONS)
    if loaded:
        prefetch_related_objects([enrolment], Prefetch("progress", queryset=_progress_rows()))
        enrolments = [enrolment]
    else:
        enrolments = list(_with_pathway(Enrolment.objects.filter(pk=enrolment.pk)))
    return _pathway_views(enrolments, now or timezone.now())[0]


@dataclass
class StepDetail:
    """One step of a learner's pathway on its own page: the step view, and the assignments
    given on it with their success criteria."""

    view: StepView
    enrolment: Enrolment
    assignments: list[Assignment]

    @property
    def open_assignments(self) -> list[Assignment]:
        """The assignments on the step that still wait for the learner's evidence."""
        return [a for a in self.assignments if a.status in Assignment.OPEN_STATUSES]


def step_detail(progress: StepProgress, *, now=None) -> StepDetail:
    """A step as its page shows it, in a constant number of queries."""
    now = now or timezone.now()
    progress = (
        _progress_rows()
        .select_related("enrolment__program", "enrolment__learner")
        .get(pk=progress.pk)
    )
    enrolment = progress.enrolment
    gates = step_gates_evaluate(pairs=[(enrolment, progress.step)], now=now)
    view = _step_view(progress, gates[(enrolment.pk, progress.step_id)], timezone.localdate(now))
    assignments = list(
        assignment_details()
        .filter(enrolment=enrolment, step=progress.step)
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
    """The programs a person takes part in, in any role: the ones they may see, by name
    (page it: an HR admin sees every program)."""
    return Program.objects.visible_to(user).order_by("name", "pk")


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
    if not words:
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
