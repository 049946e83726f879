"""Progression under concurrent writers (PostgreSQL): evidence saved at the same moment by
two requests, and two evaluations or sweeps of the same learners at once, decide each
change once."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from coaching.services import observation_log
from programs.models import Enrolment, ProgressEvent, Step, StepProgress, StepSignOff
from programs.progression import progress_evaluate, progress_sweep
from programs.services import enrolment_create
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

C, S, E = Step.Completion, StepProgress.Status, ProgressEvent.Type


def _at_once(*calls):
    """Run each call on its own thread and database connection, released together by a
    barrier; returns their results and raises what any raised."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            return call(barrier)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [future.result(timeout=60) for future in [pool.submit(run, c) for c in calls]]


def _program(*rules):
    program = f.ProgramFactory(competency_needs_objectives=False)
    pathway = f.PathwayFactory(program=program)
    for position, (rule, fields) in enumerate(rules, start=1):
        f.StepFactory(pathway=pathway, position=position, completed_by=rule, **fields)
    return program


def _events(enrolment, type_, position):
    return ProgressEvent.objects.filter(enrolment=enrolment, type=type_, step__position=position)


def test_two_observations_saved_at_once_that_meet_the_gate_complete_the_step_once(caplog):
    gate = {
        "gate_min_observations": 2,
        "gate_min_rating": 3,
        "gate_min_observers": 2,
        "gate_within_days": 30,
    }
    program = _program((C.EVIDENCE, gate), (C.LEARNER, {}))
    objective = f.PerformanceObjectiveFactory(program=program)
    program.pathways.get().steps.get(position=1).performance_objectives.add(objective)
    supervisor, coach = f.UserFactory(), f.UserFactory()
    # committed at once: progression opens the first step after commit, as in a request
    enrolment = enrolment_create(
        learner=f.UserFactory(),
        program=program,
        enrolled_on=timezone.localdate() - timedelta(days=10),
        supervisor=supervisor,
        coach=coach,
    )
    assert _events(enrolment, E.STEP_UNLOCKED, 1).count() == 1

    def observe(observer):
        def call(barrier):
            with transaction.atomic():
                observation_log(
                    observer=observer,
                    enrolment=enrolment,
                    performance_objective=objective,
                    rating=3,
                    behaviour="Named the missed hand-off.",
                )
                # Both saved, neither committed: they commit together and each commit
                # starts its own evaluation of the same learner.
                barrier.wait(timeout=30)

        return call

    _at_once(observe(supervisor), observe(coach))
    first, second = enrolment.progress.order_by("step__position")
    assert (first.status, second.status) == (S.COMPLETED, S.IN_PROGRESS)
    assert _events(enrolment, E.STEP_COMPLETED, 1).count() == 1
    assert _events(enrolment, E.STEP_UNLOCKED, 2).count() == 1
    assert enrolment.observations.count() == 2
    # neither evaluation after commit failed (it would log and leave the work to the sweep)
    assert not [r for r in caplog.records if r.name == "programs.progression"]


def _learners_with_work_waiting(count):
    """Enrolments whose first step the learner has marked done, with the evaluation that
    would have followed not yet run: each has a step to complete, one to open, a pathway to
    complete and competency to reach."""
    program = _program((C.LEARNER, {}), (C.LEARNER, {"with_previous": True}))
    for _ in range(count):
        enrolment = enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=timezone.localdate() - timedelta(days=10),
            supervisor=f.UserFactory(),
        )
        for row in enrolment.progress.all():
            # stored directly: the sign-off service would evaluate as soon as it commits
            StepSignOff.objects.create(
                progress=row,
                decision=StepSignOff.Decision.SIGNED_OFF,
                by=enrolment.learner,
                note="Done.",
                at=timezone.now() - timedelta(days=1),
            )
    return program


def _each_decided_once(program, count):
    enrolments = Enrolment.objects.filter(program=program)
    assert enrolments.filter(status=Enrolment.Status.COMPLETED).count() == count
    assert enrolments.filter(competent_on__isnull=False).count() == count
    events = ProgressEvent.objects.filter(enrolment__program=program)
    # per learner: two steps unlocked (on enrolment) and completed, the pathway, competency
    assert events.count() == 6 * count
    for type_ in (E.STEP_COMPLETED, E.ENROLMENT_COMPLETED, E.COMPETENCY_REACHED):
        per_enrolment = set(events.filter(type=type_).values_list("enrolment_id", "step_id"))
        assert events.filter(type=type_).count() == len(per_enrolment)


def test_two_evaluations_of_the_same_learners_at_once_write_each_event_once():
    program = _learners_with_work_waiting(12)
    ids = list(Enrolment.objects.filter(program=program).values_list("pk", flat=True))

    def evaluate(barrier):
        barrier.wait(timeout=30)
        return progress_evaluate(enrolment_ids=ids)

    written = _at_once(evaluate, evaluate)
    # one evaluation found the work; the other, queued behind its locks, found none left
    assert sorted(len(events) for events in written) == [0, 12 * 4]
    _each_decided_once(program, 12)


def test_two_sweeps_at_once_write_each_event_once():
    program = _learners_with_work_waiting(25)

    def sweep(barrier):
        barrier.wait(timeout=30)
        return progress_sweep(batch=7)  # several batches, so the two interleave

    swept = _at_once(sweep, sweep)
    # each learner was evaluated by one sweep at least; one the other had finished is
    # no longer waiting when it is reached
    assert sum(swept) >= 25
    _each_decided_once(program, 25)
