"""Learners on a program: where each stands on the pathway, from a plan relative to the clock."""

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from programs.models import Enrolment, StepProgress
from programs.services import (
    enrolment_create,
    enrolment_schedule,
    enrolment_update,
    step_progress_update,
)

from . import clock
from .run import Run


@dataclass(frozen=True)
class Plan:
    """Where one learner stands on a program."""

    learner: str
    supervisor: str
    enrolled: int  # days ago
    done: int  # steps completed, in order
    done_by: timedelta  # how long ago the last completed step finished
    current: bool = True  # the step after them is in progress
    cohort: str | None = None
    coach: str | None = None
    status: str = Enrolment.Status.ACTIVE
    competent: int | None = None  # days ago


def enrol(run: Run, program, plan: Plan, step_days: list[int], cohorts) -> Enrolment:
    """The learner's enrolment as the plan has it, with a due date per step (`step_days`:
    the days each step is given) and their progress along the pathway."""
    learner = run.person(plan.learner)
    people = {
        "supervisor": run.person(plan.supervisor),
        "coach": run.person(plan.coach) if plan.coach else None,
        "cohort": cohorts.get(plan.cohort),
    }
    enrolled_on = run.day(plan.enrolled)
    completed = plan.status == Enrolment.Status.COMPLETED
    days = {
        "completed_on": timezone.localdate(run.ago(plan.done_by)) if completed else None,
        "competent_on": None if plan.competent is None else run.day(plan.competent),
    }
    enrolment = Enrolment.objects.filter(learner=learner, program=program).first()
    if enrolment is None:
        enrolment = enrolment_create(
            learner=learner, program=program, enrolled_on=enrolled_on, **people
        )
    else:
        # All three days in one write: completion may not come before enrolment.
        clock.move(enrolment, enrolled_on=enrolled_on, **days)
    enrolment = enrolment_update(
        enrolment=enrolment, status=plan.status, now=run.now, **people, **days
    )
    enrolment_schedule(enrolment=enrolment, days_per_step=step_days)
    _progress(run, enrolment, plan, step_days)
    return enrolment


def _progress(run: Run, enrolment, plan: Plan, step_days: list[int]) -> None:
    """Complete the first `plan.done` steps, spread over the time since enrolment in
    proportion to the days each is given, and start the next one."""
    rows = list(enrolment.progress.select_related("step").order_by("step__position"))
    start = dt.datetime.combine(enrolment.enrolled_on, dt.time(9, tzinfo=dt.UTC))
    end = run.ago(plan.done_by)
    span, total = end - start, sum(step_days[: plan.done]) or 1
    elapsed = 0
    for index, row in enumerate(rows):
        started = completed = None
        if index < plan.done:
            started = start + span * elapsed / total
            elapsed += step_days[row.step.position - 1]
            completed = start + span * elapsed / total
            status = StepProgress.Status.COMPLETED
        elif index == plan.done and plan.current:
            started, status = end, StepProgress.Status.IN_PROGRESS
        else:
            status = StepProgress.Status.NOT_STARTED
        if row.status != status:
            if status == StepProgress.Status.COMPLETED and row.started_at is None:
                # Started, then finished: the two moments a learner's own clicks would record.
                row = step_progress_update(
                    progress=row, status=StepProgress.Status.IN_PROGRESS, at=started
                )
            row = step_progress_update(progress=row, status=status, at=completed or started)
        clock.move(row, started_at=started, completed_at=completed)
