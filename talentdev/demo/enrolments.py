"""Learners on a program, and how they move along its pathway: as people would move them.

A learner is enrolled through the service, and from then on only evidence and people's word
move them: the observations, assessments, reflections and debriefs the evidence modules
record, and the sign-offs and skips of their plan, each given at its time on a step that was
open by then. Progression decides every status, completion and competency from these.
"""

from dataclasses import dataclass
from datetime import timedelta

from programs.models import Enrolment, Step, StepProgress, StepSignOff
from programs.progression import progress_evaluate
from programs.services import enrolment_create, enrolment_update, step_sign_off, step_skip

from . import clock
from .run import Run


@dataclass(frozen=True)
class SignOff:
    """A person's word on one of the learner's steps, `ago` days before the run: done, or
    skipped with `note` as the reason. The learner marks done a step the rule leaves to
    them; the supervisor signs off or skips any other."""

    step: int  # its position on the pathway
    ago: int
    note: str
    skip: bool = False


@dataclass(frozen=True)
class Plan:
    """One learner on a program: who works with them, when they enrolled, what people
    signed off or skipped for them, in order, and when they withdrew, if they did. Where
    they stand follows from this and their evidence."""

    learner: str
    supervisor: str
    enrolled: int  # days ago
    sign_offs: tuple[SignOff, ...] = ()
    cohort: str | None = None
    coach: str | None = None
    withdrew: int | None = None  # days ago


def enrol(run: Run, program, plan: Plan, cohorts) -> Enrolment:
    """The learner's enrolment with the people around them; on a later run, its enrolment
    day and what progression recorded move with the clock."""
    learner = run.person(plan.learner)
    people = {
        "supervisor": run.person(plan.supervisor),
        "coach": run.person(plan.coach) if plan.coach else None,
        "cohort": cohorts.get(plan.cohort),
    }
    enrolled_on = run.day(plan.enrolled)
    enrolment = Enrolment.objects.filter(learner=learner, program=program).first()
    if enrolment is None:
        return enrolment_create(learner=learner, program=program, enrolled_on=enrolled_on, **people)
    _move_history(run, enrolment, enrolled_on)
    return enrolment_update(enrolment=enrolment, **people)


def _move_history(run: Run, enrolment, enrolled_on) -> None:
    # Days move as many days as the enrolment's, so time to competency stays as it was;
    # moments as far as the run's clock, with the evidence they were decided on.
    days = enrolled_on - enrolment.enrolled_on
    # All three days in one write: completion may not come before enrolment.
    clock.move(
        enrolment,
        enrolled_on=enrolled_on,
        **clock.shifted(enrolment, days, "completed_on", "competent_on"),
    )
    for row in enrolment.progress.all():
        clock.move(
            row,
            **clock.shifted(row, run.moved, "started_at", "completed_at"),
            **clock.shifted(row, days, "due_on"),
        )
    for event in enrolment.events.all():
        clock.move(event, **clock.shifted(event, run.moved, "occurred_at"))


def advance(run: Run, built) -> None:
    """Move each learner of a seeded program as far as their plan and evidence take them:
    the plan's sign-offs and skips in order, then progression's verdict as of the run, then
    their withdrawal, if they withdrew. Call it once the program's evidence is recorded."""
    for plan in built.plans:
        enrolment = built.enrolments[plan.learner]
        for sign_off in plan.sign_offs:
            _sign_off(run, enrolment, plan, sign_off)
        progress_evaluate(enrolment_ids=[enrolment.pk], now=run.now)
        enrolment.refresh_from_db()
        if plan.withdrew is not None and enrolment.status != Enrolment.Status.WITHDRAWN:
            enrolment_update(
                enrolment=enrolment,
                status=Enrolment.Status.WITHDRAWN,
                by=run.person(plan.supervisor),
                at=run.ago(timedelta(days=plan.withdrew)),
            )


def _sign_off(run: Run, enrolment, plan: Plan, sign_off: SignOff) -> None:
    at = run.ago(timedelta(days=sign_off.ago))
    decision = StepSignOff.Decision.SKIPPED if sign_off.skip else StepSignOff.Decision.SIGNED_OFF
    row = enrolment.progress.select_related("step").get(step__position=sign_off.step)
    found = row.sign_offs.filter(decision=decision).first()
    if found is not None:
        clock.move(found, at=at)
        return
    # The step opens once the evidence and the sign-offs before it say so.
    progress_evaluate(enrolment_ids=[enrolment.pk], now=run.now)
    row.refresh_from_db()
    if row.status in StepProgress.DONE_STATUSES:
        return  # already done on other evidence (a demo seeded before steps had rules): it stands
    if row.started_at is None or row.started_at > at:
        # The plan disagrees with the evidence: fix the plan, not the history.
        raise ValueError(f"{plan.learner}'s step {sign_off.step} was not open by then")
    supervisor = run.person(plan.supervisor)
    if sign_off.skip:
        step_skip(progress=row, by=supervisor, reason=sign_off.note, at=at)
        return
    own = row.step.completed_by == Step.Completion.LEARNER
    by = run.person(plan.learner) if own else supervisor
    step_sign_off(progress=row, by=by, note=sign_off.note, at=at)
