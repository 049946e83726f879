"""Building blocks of a program's design: the program, its objectives, pathway, metrics, cohorts.

Each finds its row by a natural key and brings it up to date through the services, or
creates it; published pathways are left as they are, as the product requires of anything
learners already stand on.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from measurement.models import OutcomeMetric
from measurement.services import outcome_metric_create, outcome_metric_update
from objectives.models import LearningObjective, PerformanceObjective
from objectives.services import (
    learning_objective_create,
    learning_objective_update,
    performance_objective_create,
    performance_objective_update,
)
from programs.models import Assignment, Cohort, Enrolment, Pathway, Program, Step
from programs.services import (
    cohort_create,
    cohort_update,
    pathway_create,
    pathway_publish,
    program_create,
    program_update,
    step_add,
)

from . import clock
from .enrolments import Plan
from .run import Run


@dataclass(frozen=True)
class StepSpec:
    kind: str
    title: str
    description: str
    difficulty: int
    effort_hours: float
    days: int  # calendar days a learner is given for the step, from when it opens
    learning: tuple[str, ...] = ()  # keys of the program's learning objectives
    performance: tuple[str, ...] = ()  # keys of its performance objectives
    gate: dict | None = None
    completed_by: str = Step.Completion.LEARNER  # the rule that completes it
    min_rank: int | None = None  # the level an assessment must reach to complete it
    with_previous: bool = False  # opens together with the step before it
    skippable: bool = False  # the supervisor may skip it, with a reason


@dataclass
class Built:
    """What a program's seed built, by the keys its evidence and the reviews refer to."""

    program: Program
    pathway: Pathway
    learning: dict[str, LearningObjective]
    performance: dict[str, PerformanceObjective]
    metrics: dict[str, OutcomeMetric]
    enrolments: dict[str, Enrolment] = field(default_factory=dict)  # by learner's username
    plans: list[Plan] = field(default_factory=list)  # how each learner moves along
    assignments: dict[str, Assignment] = field(default_factory=dict)


def program(run: Run, slug, *, starts, **fields) -> Program:
    """The program, owned by the HR admin and sponsored by the sponsor, `starts` days ago."""
    owner, sponsors = run.person("hradmin"), [run.person("sponsor")]
    fields |= {"framework": run.framework, "starts_on": run.day(starts)}
    found = Program.objects.filter(slug=slug).first()
    if found is None:
        return program_create(owner=owner, sponsors=sponsors, slug=slug, **fields)
    return program_update(program=found, owner=owner, sponsors=sponsors, **fields)


def learning_objective(run: Run, program, code, statement, bloom, method) -> LearningObjective:
    found = LearningObjective.objects.filter(program=program, statement=statement).first()
    fields = {
        "competency": run.competencies[code],
        "bloom_level": bloom,
        "assessment_method": method,
    }
    if found is None:
        return learning_objective_create(program=program, statement=statement, **fields)
    return learning_objective_update(objective=found, **fields)


def performance_objective(program, statement, *, supports, **fields) -> PerformanceObjective:
    found = PerformanceObjective.objects.filter(program=program, statement=statement).first()
    if found is None:
        return performance_objective_create(
            program=program, learning_objectives=supports, statement=statement, **fields
        )
    return performance_objective_update(objective=found, learning_objectives=supports, **fields)


def pathway(run: Run, program, steps, los, pos, *, published) -> Pathway:
    """Version 1 of the program's pathway, built and published once, `published` days ago."""
    published_at = run.ago(timedelta(days=published))
    found = program.pathways.filter(version=1).first()
    if found is not None:
        return clock.move(found, published_at=published_at)
    draft = pathway_create(program=program, change_note="First version.")
    for spec in steps:
        step(draft, spec, los, pos)
    return pathway_publish(pathway=draft, at=published_at)


def step(pathway, spec: StepSpec, los, pos):
    return step_add(
        pathway=pathway,
        learning_objectives=[los[key] for key in spec.learning],
        performance_objectives=[pos[key] for key in spec.performance],
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        difficulty=spec.difficulty,
        expected_duration=timedelta(hours=spec.effort_hours),
        completed_by=spec.completed_by,
        assessment_min_rank=spec.min_rank,
        with_previous=spec.with_previous,
        skippable=spec.skippable,
        due_days=spec.days,
        **(spec.gate or {}),
    )


def metric(program, name, *, moves, **fields) -> OutcomeMetric:
    """An outcome metric moved by the performance objectives in `moves`."""
    found = OutcomeMetric.objects.filter(program=program, name=name).first()
    if found is None:
        return outcome_metric_create(
            program=program, name=name, performance_objectives=moves, **fields
        )
    return outcome_metric_update(metric=found, performance_objectives=moves, **fields)


def cohort(run: Run, program, name, starts) -> Cohort:
    """A cohort starting `starts` days ago."""
    found = Cohort.objects.filter(program=program, name=name).first()
    if found is None:
        return cohort_create(program=program, name=name, starts_on=run.day(starts))
    return cohort_update(cohort=found, starts_on=run.day(starts))
