"""Progression checked against an independent reading of its rules.

Hypothesis builds small pathways (every completion rule, steps in order or run alongside,
some skippable, due dates) with a program's competency rule, and one or two learners'
evidence over twelve days: observations by several observers, reflections, coaching
sessions, assessments, assignments debriefed, sign-offs and skips. Progression evaluates at
a few moments while the evidence arrives, as the triggers and the sweep would. After each
evaluation the steps, their times, the enrolment's completion, its competency and every
event written must be what the rules say, worked out here from the stored rows alone: each
rule is applied hour by hour from the moment a step opens, and the first hour it holds is
when the step was done. A decision is never taken back, so evaluating at fewer moments, or
later, must not change it.

Every moment in these scenarios falls on the hour after the learner's enrolment day began,
so walking hour by hour finds the first moment a rule held.
"""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from coaching.models import CoachingSession, Debrief, Observation, Reflection
from coaching.services import (
    coaching_session_record,
    debrief_record,
    observation_log,
    reflection_write,
)
from measurement.models import Assessment
from measurement.services import assessment_record
from programs.models import (
    Assignment,
    Enrolment,
    ProgressEvent,
    Rating,
    Step,
    StepProgress,
    StepSignOff,
)
from programs.progression import progress_evaluate, progress_sweep
from programs.services import assignment_create, assignment_submit_evidence, enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S, E, D = Step.Completion, StepProgress.Status, ProgressEvent.Type, StepSignOff.Decision
ENROLLED = dt.date(2026, 3, 2)
START = dt.datetime.combine(ENROLLED, dt.time.min, tzinfo=dt.UTC)
HOUR = timedelta(hours=1)
SPAN = 12 * 24  # hours of evidence after enrolment
OBSERVERS = 3  # the supervisor, the coach and a colleague


# --- what hypothesis draws -------------------------------------------------------------


@dataclass(frozen=True)
class StepPlan:
    rule: str
    with_previous: bool = False
    skippable: bool = False
    due_days: int | None = None
    due_from: str = Step.DueFrom.UNLOCK
    gate: tuple | None = None  # observations, observers, days, minimum rating
    objectives: tuple = ()  # which of the program's two performance objectives it gathers
    competencies: tuple = ()  # which of the program's two competencies it builds
    min_rank: int | None = None


@dataclass(frozen=True)
class Plan:
    steps: list
    needs_objectives: bool
    min_rank: int | None
    learners: int
    evidence: list  # (hour, learner, kind, *details), in the order it is recorded
    evaluations: list  # (hour, through the sweep)


# On the quarter day, so that moments often coincide: ties are where rules go wrong.
hours = st.integers(0, SPAN // 6).map(lambda quarter: quarter * 6)
days = st.integers(0, SPAN // 24).map(lambda day: day * 24)  # assessments have a day


@st.composite
def step_plans(draw):
    rule = draw(st.sampled_from([*C.values, C.EVIDENCE]))  # gates have the most to get wrong
    fields = {
        "rule": rule,
        "with_previous": draw(st.booleans()),
        "skippable": draw(st.booleans()),
        "due_days": draw(st.none() | st.integers(1, 20)),
        "due_from": draw(st.sampled_from(Step.DueFrom.values)),
    }
    if rule == C.EVIDENCE:
        observations = draw(st.integers(1, 3))
        fields["gate"] = (
            observations,
            draw(st.integers(1, min(observations, OBSERVERS))),
            draw(st.integers(1, 6)),
            draw(st.sampled_from([Rating.APPROACHING, Rating.MEETS, Rating.EXCEEDS])),
        )
        # Mostly an objective to observe; a step naming none can never be met.
        fields["objectives"] = draw(st.sampled_from([(0,), (1,), (0, 1), (0,), ()]))
    if rule == C.ASSESSMENT:
        fields["competencies"] = draw(st.sampled_from([(), (0,), (1,), (0, 1)]))
        fields["min_rank"] = draw(st.none() | st.integers(1, 4))
    return StepPlan(**fields)


assessment_kinds = st.sampled_from([*Assessment.Kind.values, Assessment.Kind.CHECKPOINT])


def _observation(draw, objectives=(0, 1), ratings=Rating.values):
    # Often at the start of a day, so an observation falls exactly on a span's first moment.
    at = draw(hours | days)
    objective = draw(st.sampled_from(objectives or (0, 1)))
    rating = draw(st.sampled_from(ratings))
    return at, "observation", draw(st.integers(0, OBSERVERS - 1)), objective, rating


def _assessment(draw, competencies=(0, 1), ranks=range(1, 5)):
    competency = draw(st.sampled_from(competencies or (0, 1)))
    rank = draw(st.sampled_from(ranks))
    return draw(days), "assessment", competency, rank, draw(assessment_kinds)


def _aimed_at(draw, index, step):
    """Evidence of the kind the step's rule reads, at any moment: before the step opens,
    while it is open, or too late to count."""
    if step.rule == C.EVIDENCE:
        return _observation(draw, step.objectives, range(step.gate[3], 5))
    if step.rule == C.ASSESSMENT:
        return _assessment(draw, step.competencies, range(step.min_rank or 1, 5))
    if step.rule == C.REFLECTION:
        return draw(hours), "reflection", index
    return draw(hours), "session"


def _learner_evidence(draw, learner, steps, min_rank):
    evidence = []
    for index, step in enumerate(steps):
        decisions = [D.SIGNED_OFF] if step.rule in (C.LEARNER, C.SUPERVISOR) else []
        decisions += [D.SKIPPED] if step.skippable else []
        # A person decides a step once: a sign-off where its rule asks for one, or a skip.
        if decisions and draw(st.integers(0, 3)):
            decision = draw(st.sampled_from(decisions))
            evidence.append((draw(hours), "decision", index, decision))
        if step.rule == C.DEBRIEF:
            # Debriefed until one debrief finds every criterion met; then it is closed.
            verdicts = draw(st.sampled_from([(True,), (False, True), (False,), ()]))
            moments = sorted(draw(st.lists(hours, min_size=len(verdicts), max_size=len(verdicts))))
            evidence += [
                (at, "debrief", index, passed) for at, passed in zip(moments, verdicts, strict=True)
            ]
        if step.rule in (C.EVIDENCE, C.ASSESSMENT, C.REFLECTION, C.COACHING):
            for _ in range(draw(st.integers(0, 4))):
                evidence.append(_aimed_at(draw, index, step))
    # What the competency rule reads, and evidence of any kind about anything.
    for _ in range(draw(st.integers(0, 3))):
        evidence.append(_observation(draw, ratings=(Rating.MEETS, Rating.EXCEEDS)))
    for _ in range(draw(st.integers(0, 3))):
        evidence.append(_assessment(draw, ranks=range(min_rank or 1, 5)))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["observation", "assessment", "reflection", "session"]))
        if kind == "observation":
            evidence.append(_observation(draw))
        elif kind == "assessment":
            evidence.append(_assessment(draw))
        elif kind == "reflection":
            evidence.append((draw(hours), kind, draw(st.integers(0, len(steps) - 1))))
        else:
            evidence.append((draw(hours), kind))
    return [(hour, learner, kind, *details) for hour, kind, *details in evidence]


@st.composite
def plans(draw):
    steps = draw(st.lists(step_plans(), min_size=1, max_size=4))
    learners = draw(st.integers(1, 2))
    needs_objectives = draw(st.booleans())
    min_rank = draw(st.none() | st.integers(1, 4))
    evidence = []
    for learner in range(learners):
        evidence += _learner_evidence(draw, learner, steps, min_rank)
    # A moment or two while the evidence arrives, and one after it all, as the sweep would.
    moments = [*draw(st.lists(hours, max_size=2, unique=True)), SPAN + 48]
    return Plan(
        steps=steps,
        needs_objectives=needs_objectives,
        min_rank=min_rank,
        learners=learners,
        # Recorded as it happens: in time order, ties in the order drawn.
        evidence=sorted(evidence, key=lambda item: item[0]),
        evaluations=[(hour, draw(st.booleans())) for hour in sorted(moments)],
    )


# --- the world the plan describes, built through the services --------------------------


@dataclass
class World:
    enrolments: list
    observers: list
    objectives: list
    competencies: list
    steps: list
    assignments: dict  # (learner, step index) -> assignment


def _build(plan: Plan) -> World:
    observers = f.UserFactory.create_batch(OBSERVERS)
    program = f.ProgramFactory(
        competency_needs_objectives=plan.needs_objectives, competency_min_rank=plan.min_rank
    )
    objectives = f.PerformanceObjectiveFactory.create_batch(2, program=program)
    competencies = [f.CompetencyFactory() for _ in range(2)]
    learning = [f.LearningObjectiveFactory(program=program, competency=c) for c in competencies]
    pathway = f.PathwayFactory(program=program)
    steps = []
    for position, spec in enumerate(plan.steps, start=1):
        gate = {}
        if spec.gate:
            count, observers_needed, within_days, rating = spec.gate
            gate = {
                "gate_min_observations": count,
                "gate_min_observers": observers_needed,
                "gate_within_days": within_days,
                "gate_min_rating": rating,
            }
        step = f.StepFactory(
            pathway=pathway,
            position=position,
            completed_by=spec.rule,
            with_previous=spec.with_previous,
            skippable=spec.skippable,
            due_days=spec.due_days,
            due_from=spec.due_from,
            assessment_min_rank=spec.min_rank,
            **gate,
        )
        step.full_clean()
        step.performance_objectives.set([objectives[i] for i in spec.objectives])
        step.learning_objectives.set([learning[i] for i in spec.competencies])
        steps.append(step)
    enrolments = [
        enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=ENROLLED,
            supervisor=observers[0],
            coach=observers[1],
        )
        for _ in range(plan.learners)
    ]
    assignments = {
        (learner, index): assignment_create(
            enrolment=enrolment,
            step=step,
            title="Lead the escalation review",
            brief="Run the weekly escalation review and agree owners.",
            scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            due_on=ENROLLED + timedelta(days=60),
            criteria=[{"description": "Owners named", "performance_objective": objectives[0]}],
            now=START,
        )
        for learner, enrolment in enumerate(enrolments)
        for index, step in enumerate(steps)
        if step.completed_by == C.DEBRIEF
    }
    return World(enrolments, observers, objectives, competencies, steps, assignments)


def _record(world: World, item) -> None:
    hour, learner, kind, *details = item
    at = START + hour * HOUR
    enrolment = world.enrolments[learner]
    if kind == "observation":
        observer, objective, rating = details
        observation_log(
            observer=world.observers[observer],
            enrolment=enrolment,
            performance_objective=world.objectives[objective],
            rating=rating,
            behaviour="Named the missed hand-off.",
            observed_at=at,
            now=at,
        )
    elif kind == "reflection":
        reflection_write(enrolment=enrolment, step=world.steps[details[0]], body="I paused.", at=at)
    elif kind == "session":
        coaching_session_record(
            enrolment=enrolment,
            coach=world.observers[1],
            held_at=at,
            focus="Feedback the same day",
            commitments=[
                {
                    "description": "Same-day feedback",
                    "measure": "hours",
                    "target_value": 24,
                    "target_unit": "hours",
                    "due_on": ENROLLED + timedelta(days=60),
                }
            ],
        )
    elif kind == "assessment":
        competency, rank, assessment_kind = details
        competency = world.competencies[competency]
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=assessment_kind,
            assessed_level=competency.scale.levels.get(rank=rank),
            assessor=enrolment.learner
            if assessment_kind == Assessment.Kind.SELF
            else world.observers[0],
            assessed_on=at.date(),
        )
    elif kind == "debrief":
        index, passed = details
        assignment = assignment_submit_evidence(
            assignment=world.assignments[(learner, index)], evidence="Ran it.", at=at
        )
        criterion = assignment.success_criteria.get()
        debrief_record(
            enrolment=enrolment,
            facilitator=world.observers[0],
            held_at=at,
            what_happened="Ran the review.",
            what_went_well="Owners named.",
            what_to_change="Invite the account lead.",
            lessons="Name owners first.",
            assignment=assignment,
            criteria_verdicts={criterion.pk: passed},
        )
    else:
        # Stored as a sign-off or skip is, whether or not the step is open yet: a decision
        # dated before its step opened is one a person recorded afterwards, backdated.
        index, decision = details
        StepSignOff.objects.create(
            progress=enrolment.progress.get(step=world.steps[index]),
            decision=decision,
            by=enrolment.learner
            if world.steps[index].completed_by == C.LEARNER and decision == D.SIGNED_OFF
            else world.observers[0],
            note=f"{decision} at hour {hour}",
            at=at,
        )


# --- the independent reading of the rules ----------------------------------------------


@dataclass
class Fate:
    """What the rules say of one step at a moment."""

    opened: dt.datetime
    status: str = S.IN_PROGRESS
    done: dt.datetime | None = None


def _rank(assessment) -> int:
    return assessment.assessed_level.rank


def _hours(since, until):
    moment = since
    while moment <= until:
        yield moment
        moment += HOUR


def _gate_met(step, opened, now, observations):
    """The first hour from the step's opening when the span before it held enough
    qualifying observations from enough observers, with what it held then."""
    objectives = {po.pk for po in step.performance_objectives.all()}
    if not objectives:
        return None
    qualifying = [
        (observer, at)
        for observer, objective, rating, at in observations
        if objective in objectives and rating >= step.gate_min_rating
    ]
    span = timedelta(days=step.gate_within_days)
    for moment in _hours(opened, now):
        inside = [(observer, at) for observer, at in qualifying if moment - span <= at <= moment]
        observers = len({observer for observer, _ in inside})
        if len(inside) >= step.gate_min_observations and observers >= step.gate_min_observers:
            return moment, {"observations": len(inside), "observers": observers}
    return None


def _rule_met(step, opened, now, evidence):
    """When the step's own rule was first met since it opened: (moment, actor, detail)."""
    rule = step.completed_by
    if rule == C.EVIDENCE:
        met = _gate_met(step, opened, now, evidence["observations"])
        return met and (met[0], None, met[1])
    moments = []
    if rule == C.REFLECTION:
        moments = [  # written on the step while it is open
            at for step_id, at in evidence["reflections"] if step_id == step.pk and at >= opened
        ]
    elif rule == C.COACHING:
        moments = [at for at in evidence["sessions"] if at >= opened]  # held while open
    elif rule == C.DEBRIEF:
        # The debrief that found every criterion met is the last one its assignment had.
        for assignment in evidence["assignments"]:
            if assignment.step_id == step.pk and assignment.status == Assignment.Status.COMPLETED:
                moments.append(max(d.held_at for d in evidence["debriefs"][assignment.pk]))
    elif rule == C.ASSESSMENT:
        builds = {lo.competency_id for lo in step.learning_objectives.all()}
        moments = [
            dt.datetime.combine(assessment.assessed_on, dt.time.min, tzinfo=dt.UTC)
            for assessment in evidence["assessments"]
            if assessment.kind != Assessment.Kind.SELF
            and (not builds or assessment.competency_id in builds)
            and (step.assessment_min_rank is None or _rank(assessment) >= step.assessment_min_rank)
            and assessment.assessed_on >= opened.date()  # made while the step was open
        ]
    else:  # the learner's or the supervisor's sign-off
        signed = evidence["decisions"].get(step.pk)
        if signed is not None and signed.decision == D.SIGNED_OFF:
            return max(signed.at, opened), signed.by_id, {"note": signed.note}
        return None
    if not moments:
        return None
    return max(min(moments), opened), None, {"evidence": rule}


def _evidence(enrolment):
    """The stored rows progression may read for one enrolment."""
    debriefs = {}
    for debrief in Debrief.objects.filter(enrolment=enrolment, assignment__isnull=False):
        debriefs.setdefault(debrief.assignment_id, []).append(debrief)
    return {
        "observations": list(
            Observation.objects.filter(enrolment=enrolment).values_list(
                "observer_id", "performance_objective_id", "rating", "observed_at"
            )
        ),
        "reflections": list(
            Reflection.objects.filter(enrolment=enrolment).values_list("step_id", "written_at")
        ),
        "sessions": list(
            CoachingSession.objects.filter(enrolment=enrolment).values_list("held_at", flat=True)
        ),
        "assessments": list(
            Assessment.objects.filter(enrolment=enrolment)
            .select_related("assessed_level")
            .order_by("assessed_on", "pk")
        ),
        "assignments": list(
            Assignment.objects.filter(enrolment=enrolment).prefetch_related("success_criteria")
        ),
        "debriefs": debriefs,
        "decisions": {
            sign_off.progress.step_id: sign_off
            for sign_off in StepSignOff.objects.filter(
                progress__enrolment=enrolment
            ).select_related("progress")
        },
    }


def _competent_at(enrolment, start, completed_at, now, evidence):
    """The first hour the program's competency rule held, or None."""
    program = enrolment.program
    needs_level = program.competency_min_rank is not None
    if not program.competency_needs_objectives and not needs_level:
        return completed_at  # finishing the pathway is what counts
    objectives = set(program.performance_objectives.values_list("pk", flat=True))
    competencies = set(program.learning_objectives.values_list("competency_id", flat=True))
    if (program.competency_needs_objectives and not objectives) or (
        needs_level and not competencies
    ):
        return None

    # An objective is also met on the job by a criterion met in the debrief that completed
    # its assignment (that assignment's last debrief).
    judged = [
        (criterion.performance_objective_id, max(d.held_at for d in evidence["debriefs"][a.pk]))
        for a in evidence["assignments"]
        if a.status == Assignment.Status.COMPLETED
        for criterion in a.success_criteria.all()
        if criterion.met
    ]

    def holds(moment):
        if program.competency_needs_objectives:
            seen = {
                objective
                for _observer, objective, rating, at in evidence["observations"]
                if rating >= Rating.MEETS and at <= moment
            } | {objective for objective, at in judged if at <= moment}
            if not objectives <= seen:
                return False
        if needs_level:
            for competency in competencies:
                made = [
                    a
                    for a in evidence["assessments"]  # oldest first
                    if a.competency_id == competency
                    and a.kind != Assessment.Kind.SELF
                    and dt.datetime.combine(a.assessed_on, dt.time.min, tzinfo=dt.UTC) <= moment
                ]
                if not made or _rank(made[-1]) < program.competency_min_rank:
                    return False
        return True

    return next((moment for moment in _hours(start, now) if holds(moment)), None)


def _expected(enrolment, now):
    """Steps, enrolment and events as the rules say they stand at `now`."""
    evidence = _evidence(enrolment)
    steps = list(
        enrolment.pathway.steps.order_by("position").prefetch_related(
            "performance_objectives", "learning_objectives"
        )
    )
    start = dt.datetime.combine(enrolment.enrolled_on, dt.time.min, tzinfo=dt.UTC)
    fates, events = [], []
    for index, step in enumerate(steps):
        if index == 0:
            opened = start
        elif step.with_previous:
            opened = fates[-1].opened  # together with the step before it
        elif all(fate.done is not None for fate in fates):
            opened = max([start, *(fate.done for fate in fates)])  # once all before are done
        else:
            break
        fate = Fate(opened)
        fates.append(fate)
        events.append((E.STEP_UNLOCKED, step.position, S.NOT_STARTED, S.IN_PROGRESS, opened))
        met = _rule_met(step, opened, now, evidence)
        decided = evidence["decisions"].get(step.pk)
        skip = None
        if step.skippable and decided is not None and decided.decision == D.SKIPPED:
            # A skip dated before the step opened takes effect as it opens.
            skip = (max(decided.at, opened), decided.by_id, {"reason": decided.note})
        # Whichever came first decides; the rule met at the moment of a skip completes it.
        if met is not None and skip is not None:
            event("a step's rule was met and it was skipped: the first decides")
        if met is not None and (skip is None or met[0] <= skip[0]):
            fate.status, (fate.done, actor, detail) = S.COMPLETED, met
            event(f"a step completed by {step.completed_by}")
        elif skip is not None:
            fate.status, (fate.done, actor, detail) = S.SKIPPED, skip
            event("a step skipped")
        else:
            continue
        kind = E.STEP_COMPLETED if fate.status == S.COMPLETED else E.STEP_SKIPPED
        events.append((kind, step.position, S.IN_PROGRESS, fate.status, fate.done, actor, detail))
    rows = []
    for index, step in enumerate(steps):
        fate = fates[index] if index < len(fates) else None
        due = None
        if step.due_days and step.due_from == Step.DueFrom.ENROLMENT:
            due = enrolment.enrolled_on + timedelta(days=step.due_days)
        elif step.due_days and fate is not None:
            due = fate.opened.date() + timedelta(days=step.due_days)
        status = fate.status if fate else S.NOT_STARTED
        completed = fate.done if fate and fate.status == S.COMPLETED else None
        rows.append((status, fate and fate.opened, completed, due))
    finished = len(fates) == len(steps) and all(fate.done for fate in fates)
    completed_at = max(fate.done for fate in fates) if finished else None
    if finished:
        event("the enrolment completed")
        events.append(
            (E.ENROLMENT_COMPLETED, None, Enrolment.Status.ACTIVE, "completed", completed_at)
        )
    competent_at = _competent_at(enrolment, start, completed_at, now, evidence)
    if competent_at is not None:
        event("competency reached")
        events.append((E.COMPETENCY_REACHED, None, "", "", competent_at))
        if any(a.assessed_on > competent_at.date() for a in evidence["assessments"]):
            event("competency reached, then assessed again")

    def day(moment):
        return moment and max(moment.date(), enrolment.enrolled_on)

    status = Enrolment.Status.COMPLETED if finished else Enrolment.Status.ACTIVE
    return {
        "steps": rows,
        "enrolment": (status, day(completed_at), day(competent_at)),
        "events": sorted(_padded(change) for change in events),
    }


def _padded(change):
    # Step and enrolment events without an actor or detail have none.
    kind, position, before, after, at, *rest = change
    actor, detail = rest or (None, {})
    return (at, kind, position or 0, before, after, actor or 0, sorted(detail.items()))


def _actual(enrolment):
    enrolment.refresh_from_db()
    rows = StepProgress.objects.filter(enrolment=enrolment).order_by("step__position")
    return {
        "steps": list(rows.values_list("status", "started_at", "completed_at", "due_on")),
        "enrolment": (enrolment.status, enrolment.completed_on, enrolment.competent_on),
        "events": sorted(
            _padded(
                (
                    event.type,
                    event.step.position if event.step else None,
                    event.from_status,
                    event.to_status,
                    event.occurred_at,
                    event.actor_id,
                    event.detail,
                )
            )
            for event in ProgressEvent.objects.filter(enrolment=enrolment).select_related("step")
        ),
    }


# --- the property ---------------------------------------------------------------------


def _play(plan: Plan) -> None:
    # The test's transaction never commits, so the evaluations the services ask for after
    # commit never run: progression runs only at the moments the plan names.
    world = _build(plan)
    pending = list(plan.evidence)
    ids = [enrolment.pk for enrolment in world.enrolments]
    for hour, by_sweep in plan.evaluations:
        now = START + hour * HOUR
        while pending and pending[0][0] <= hour:
            _record(world, pending.pop(0))
        if by_sweep:
            progress_sweep(now=now)
        else:
            progress_evaluate(enrolment_ids=ids, now=now)
        for enrolment in world.enrolments:
            assert _actual(enrolment) == _expected(enrolment, now), f"at hour {hour}"
    assert progress_evaluate(enrolment_ids=ids, now=now) == []  # nothing left to decide


def _plan(*steps, evidence, needs_objectives=False, min_rank=None):
    """One learner's plan, evaluated once after all its evidence, as a late sweep is."""
    return Plan(
        steps=list(steps),
        needs_objectives=needs_objectives,
        min_rank=min_rank,
        learners=1,
        evidence=[(hour, 0, *details) for hour, *details in evidence],
        evaluations=[(SPAN + 48, True)],
    )


MEETS, CHECKPOINT = Rating.MEETS, Assessment.Kind.CHECKPOINT


# Cases where a rule is easy to get wrong, checked on every run beside the generated ones.
@example(  # an observation exactly a span before another still counts
    plan=_plan(
        StepPlan(C.EVIDENCE, gate=(2, 1, 1, MEETS), objectives=(0,)),
        evidence=[(24, "observation", 0, 0, MEETS), (48, "observation", 1, 0, MEETS)],
    )
)
@example(  # met by its rule, then skipped: completed when the rule was met
    plan=_plan(
        StepPlan(C.REFLECTION, skippable=True),
        StepPlan(C.LEARNER),
        evidence=[(12, "reflection", 0), (24, "decision", 0, D.SKIPPED)],
    )
)
@example(  # at the level in every competency, later lower in one: competent from the first
    plan=_plan(
        StepPlan(C.LEARNER),
        min_rank=3,
        evidence=[
            (24, "assessment", 0, 3, CHECKPOINT),
            (24, "assessment", 1, 4, CHECKPOINT),
            (72, "assessment", 0, 2, CHECKPOINT),
        ],
    )
)
@example(  # the step after two run alongside opens when both are done; a reflection
    # written before it opened does not complete it, one written after does
    plan=_plan(
        StepPlan(C.LEARNER),
        StepPlan(C.LEARNER, with_previous=True),
        StepPlan(C.REFLECTION),
        evidence=[
            (6, "decision", 1, D.SIGNED_OFF),
            (12, "reflection", 2),
            (30, "decision", 0, D.SIGNED_OFF),
            (40, "reflection", 2),
        ],
    )
)
@example(  # the second objective is met on the job by the debrief that completed the work
    plan=_plan(
        StepPlan(C.DEBRIEF),
        evidence=[
            (12, "observation", 0, 1, Rating.MEETS),
            (30, "debrief", 0, False),
            (50, "debrief", 0, True),
        ],
        needs_objectives=True,
    )
)
@settings(max_examples=50, deadline=None, database=None)
@given(plan=plans())
def test_progression_decides_what_the_rules_say_on_generated_pathways_and_evidence(plan):
    # Each example builds its own rows and rolls them back, inside the test's transaction.
    with transaction.atomic():
        _play(plan)
        transaction.set_rollback(True)
