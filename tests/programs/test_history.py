"""Where enrolments stood at a moment, read from the progress history."""

import datetime as dt
import zoneinfo
from datetime import timedelta

import pytest

from coaching.services import reflection_write
from programs.history import enrolments_at, progress_at, step_counts_at
from programs.models import Enrolment, ProgressEvent
from programs.services import enrolment_create, enrolment_update
from tests import factories as f

pytestmark = pytest.mark.django_db

ENROLLED = dt.date(2026, 10, 1)
FIRST_INSTANT = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
TICK = timedelta(microseconds=1)


def _status(enrolment, at):
    return enrolments_at(at, Enrolment.objects.filter(pk=enrolment.pk)).get().status_then


def test_the_status_at_a_moment_is_the_one_the_latest_change_before_it_set():
    enrolment = f.EnrolmentFactory(enrolled_on=ENROLLED)
    paused, resumed, withdrawn = (FIRST_INSTANT + timedelta(days=d) for d in (10, 20, 30))
    enrolment_update(enrolment=enrolment, status="paused", at=paused)
    enrolment_update(enrolment=enrolment, status="active", at=resumed)
    enrolment_update(enrolment=enrolment, status="withdrawn", at=withdrawn)

    assert _status(enrolment, paused) == "active"  # a change counts strictly after it
    assert _status(enrolment, paused + TICK) == "paused"
    assert _status(enrolment, resumed + timedelta(days=1)) == "active"
    assert _status(enrolment, withdrawn + TICK) == "withdrawn"
    assert _status(enrolment, withdrawn + timedelta(days=365)) == "withdrawn"


def test_a_pathway_finished_by_evidence_from_inside_a_pause_stays_completed(
    django_capture_on_commit_callbacks,
):
    program = f.ProgramFactory(competency_needs_objectives=False)
    step = f.StepFactory(
        pathway=f.PathwayFactory(program=program), position=1, completed_by="reflection"
    )
    enrolled = dt.date.today() - timedelta(days=10)  # noqa: DTZ011 - a day, not a moment
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            learner=f.UserFactory(), program=program, enrolled_on=enrolled, supervisor=None
        )
    start = dt.datetime.combine(enrolled, dt.time.min, tzinfo=dt.UTC)
    paused, written, resumed = (start + timedelta(days=d) for d in (2, 3, 4))
    enrolment_update(enrolment=enrolment, status="paused", at=paused)
    reflection_write(enrolment=enrolment, step=step, body="Thought it through.", at=written)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_update(enrolment=enrolment, status="active", at=resumed)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"  # dated by the reflection, inside the pause
    assert _status(enrolment, resumed + timedelta(days=1)) == "completed"
    assert _status(enrolment, written + TICK) == "completed"
    assert _status(enrolment, written) == "paused"


def test_an_enrolment_counts_from_the_start_of_its_first_day_in_utc():
    f.EnrolmentFactory(enrolled_on=ENROLLED)
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")  # 13 hours ahead of UTC in October
    for at, begun in [
        (FIRST_INSTANT - timedelta(minutes=1), False),
        (FIRST_INSTANT, False),
        (FIRST_INSTANT + TICK, True),
        # 1 October in Auckland, still 30 September in UTC
        (dt.datetime(2026, 10, 1, 12, 30, tzinfo=auckland), False),
        (dt.datetime(2026, 10, 1, 13, 30, tzinfo=auckland), True),
    ]:
        assert enrolments_at(at).exists() is begun, at


def _learner_and_leaver_on_two_steps(done_at):
    """A pathway of two steps, a learner who completed the first at `done_at` and a leaver
    on it too: (pathway, steps, learner, leaver), the steps' progress started at
    FIRST_INSTANT."""
    pathway = f.PathwayFactory()
    steps = [f.StepFactory(pathway=pathway, position=i) for i in (1, 2)]
    learner, leaver = (
        f.EnrolmentFactory(program=pathway.program, pathway=pathway, enrolled_on=ENROLLED)
        for _ in range(2)
    )
    f.StepProgressFactory(
        enrolment=learner,
        step=steps[0],
        status="completed",
        completed_at=done_at,
        started_at=FIRST_INSTANT,
    )
    return pathway, steps, learner, leaver


def test_steps_count_as_completed_from_their_completion_and_only_for_current_learners():
    done_at = FIRST_INSTANT + timedelta(days=5)
    _, (first, second), learner, leaver = _learner_and_leaver_on_two_steps(done_at)
    opened = {"started_at": FIRST_INSTANT}
    f.StepProgressFactory(enrolment=learner, step=second, status="skipped", **opened)
    # the leaver completed the same step earlier, then withdrew
    f.StepProgressFactory(
        enrolment=leaver, step=first, status="completed", completed_at=FIRST_INSTANT, **opened
    )
    f.StepProgressFactory(enrolment=leaver, step=second, status="in_progress", **opened)
    enrolment_update(enrolment=leaver, status="withdrawn", at=done_at + timedelta(days=1))

    def completed(at):
        rows = progress_at(at, Enrolment.objects.all()).order_by("enrolment_id", "step__position")
        return [(row.enrolment_id, row.step_id, row.completed_then) for row in rows]

    assert completed(done_at) == [
        (learner.pk, first.pk, False),
        (learner.pk, second.pk, False),  # skipped: not completed
        (leaver.pk, first.pk, True),
        (leaver.pk, second.pk, False),
    ]
    assert completed(done_at + TICK)[0] == (learner.pk, first.pk, True)
    assert completed(done_at + timedelta(days=2)) == [
        (learner.pk, first.pk, True),
        (learner.pk, second.pk, False),
    ]


def test_step_counts_by_program_are_the_progress_counted_and_a_step_completed_twice_counts_once():
    done_at = FIRST_INSTANT + timedelta(days=5)
    pathway, (first, second), learner, leaver = _learner_and_leaver_on_two_steps(done_at)
    opened = {"started_at": FIRST_INSTANT}
    f.StepProgressFactory(enrolment=learner, step=second, status="in_progress", **opened)
    # reopened and completed again: still one step completed
    ProgressEvent.objects.create(
        enrolment=learner,
        step=first,
        type=ProgressEvent.Type.STEP_COMPLETED,
        occurred_at=done_at + timedelta(days=1),
        cause=ProgressEvent.Cause.PERSON,
    )
    f.StepProgressFactory(
        enrolment=leaver, step=first, status="completed", completed_at=FIRST_INSTANT, **opened
    )
    enrolment_update(enrolment=leaver, status="withdrawn", at=done_at + timedelta(days=3))
    other_program = f.EnrolmentFactory(enrolled_on=ENROLLED).program

    def counted(at, enrolments=None):
        enrolments = Enrolment.objects.all() if enrolments is None else enrolments
        progress = progress_at(at, enrolments)
        by_progress = {}
        for row in progress.select_related("enrolment"):
            done, total = by_progress.get(row.enrolment.program_id, (0, 0))
            by_progress[row.enrolment.program_id] = (done + row.completed_then, total + 1)
        assert step_counts_at(at, enrolments) == by_progress
        return by_progress

    program = pathway.program.pk
    assert counted(done_at) == {program: (1, 3)}  # only the leaver's step was done by then
    assert counted(done_at + TICK) == {program: (2, 3)}
    assert counted(done_at + timedelta(days=2)) == {program: (2, 3)}
    assert counted(done_at + timedelta(days=4)) == {program: (1, 2)}  # the leaver left
    assert counted(FIRST_INSTANT - TICK) == {}  # nobody had begun
    # an enrolment with no steps, and no enrolments at all, count nothing
    assert counted(done_at, Enrolment.objects.filter(program_id=other_program)) == {}
    assert counted(done_at, Enrolment.objects.none()) == {}


def test_competency_counts_from_the_moment_it_was_reached():
    enrolment = f.EnrolmentFactory(enrolled_on=ENROLLED, competent_on=dt.date(2026, 10, 20))
    f.EnrolmentFactory(enrolled_on=ENROLLED)  # never reached
    reached = dt.datetime(2026, 10, 20, 12, tzinfo=dt.UTC)  # recorded at noon of its day
    for at, expected in [(reached, set()), (reached + TICK, {enrolment.pk})]:
        rows = enrolments_at(at).filter(competent_then=True)
        assert set(rows.values_list("pk", flat=True)) == expected
