"""The pathway page keeps each program's section rendered while what it shows holds still:
a view after any change to what a section shows shows the change, and one after none
reads no more than the page's version."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core.cache.backends import locmem
from django.urls import reverse
from django.utils import timezone

from coaching.models import Commitment, DebriefAction
from coaching.services import coaching_session_record, debrief_record, observation_log
from measurement.models import Assessment
from objectives.services import learning_objective_update, performance_objective_update
from people.services import person_update
from programs.models import Enrolment, Step, StepProgress
from programs.services import (
    assignment_create,
    assignment_submit_evidence,
    assignment_update,
    program_update,
    step_sign_off,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status
# The page's version (one query) besides the session, the person and the navigation.
QUERIES_KEPT = 4


class World:
    """A learner on a program of three steps: one their observations complete (open), one
    they mark done (open alongside it), one their supervisor signs off (due yesterday).
    Competency needs the performance objective met and level 3 in the competency."""

    def __init__(self, capture):
        self.program = f.ProgramFactory(name="Leading teams", competency_min_rank=3)
        pathway = f.PathwayFactory(program=self.program)
        self.why = f.LearningObjectiveFactory(program=self.program, statement="Why it lands")
        self.what = f.PerformanceObjectiveFactory(
            program=self.program, statement="Feedback within a day"
        )
        self.competency = self.why.competency
        self.supervisor = f.UserFactory(first_name="Sam", last_name="Lee")
        self.learner = f.UserFactory(first_name="Ada", last_name="Byron")
        self.enrolment = f.EnrolmentFactory(
            learner=self.learner,
            program=self.program,
            pathway=pathway,
            supervisor=self.supervisor,
            enrolled_on=timezone.localdate() - timedelta(days=10),
        )
        gated = f.StepFactory(
            pathway=pathway,
            position=1,
            title="Give feedback on the job",
            gate_min_observations=3,
            gate_min_rating=3,
            gate_min_observers=1,
            gate_within_days=60,
            completed_by=C.EVIDENCE,
        )
        gated.learning_objectives.add(self.why)
        gated.performance_objectives.add(self.what)
        read = f.StepFactory(
            pathway=pathway, position=2, title="Read", completed_by=C.LEARNER, with_previous=True
        )
        signed = f.StepFactory(
            pathway=pathway, position=3, title="Checkpoint", completed_by=C.SUPERVISOR
        )
        opened = timezone.now() - timedelta(days=10)
        self.gated, self.read = (
            f.StepProgressFactory(
                enrolment=self.enrolment, step=step, status=S.IN_PROGRESS, started_at=opened
            )
            for step in (gated, read)
        )
        self.signed = f.StepProgressFactory(
            enrolment=self.enrolment, step=signed, due_on=timezone.localdate() + timedelta(days=1)
        )
        self.capture = capture

    def observe(self, **fields):
        with self.capture(execute=True):
            return observation_log(
                enrolment=self.enrolment,
                observer=self.supervisor,
                performance_objective=self.what,
                rating=fields.pop("rating", 3),
                behaviour="Named the hand-off.",
                **fields,
            )


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    return World(django_capture_on_commit_callbacks)


def _page(client, world):
    client.force_login(world.learner)
    return client.get(reverse("learn:home")).text


def test_a_second_view_reads_only_the_pages_version(client, world, django_assert_num_queries):
    first = _page(client, world)
    with django_assert_num_queries(QUERIES_KEPT):
        second = client.get(reverse("learn:home")).text
    section = first.index('<section class="mb-5"')
    assert second[section:] == first[section:]
    assert "Give feedback on the job" in second


def _assign(world, title="Lead the review"):
    return assignment_create(
        enrolment=world.enrolment,
        title=title,
        brief="Run it.",
        scenario_kind="customer_escalation",
        due_on=timezone.localdate() + timedelta(days=20),
        criteria=[{"description": "Owners named", "performance_objective": world.what}],
    )


def _sign_off_reading(world):
    with world.capture(execute=True):
        step_sign_off(progress=world.read, by=world.learner, note="Read the guide twice.")


def _hold_session(world):
    coaching_session_record(
        enrolment=world.enrolment,
        coach=world.supervisor,
        held_at=timezone.now() - timedelta(hours=1),
        focus="Same-day feedback",
        commitments=[
            {
                "description": "Give feedback daily",
                "measure": "days",
                "target_value": 5,
                "target_unit": "days",
                "due_on": timezone.localdate() + timedelta(days=7),
            }
        ],
    )


def _debrief(world, actions=()):
    debrief_record(
        enrolment=world.enrolment,
        facilitator=world.supervisor,
        held_at=timezone.now() - timedelta(hours=1),
        what_happened="Ran it.",
        what_went_well="Clear owners.",
        what_to_change="Shorter.",
        lessons="Name owners early.",
        actions=actions,
    )


def _action(world):
    return {
        "description": "Send the notes",
        "owner": world.learner,
        "due_on": timezone.localdate() + timedelta(days=2),
    }


# (what changes, what the next view shows)
CHANGES = {
    "an observation counts toward the open step": (
        lambda w: w.observe(),
        "2 more observations rated meets or better in the last 60 days (1 of 3 so far).",
    ),
    "the learner marks a step done": (_sign_off_reading, "Read the guide twice."),
    "an assignment is given": (lambda w: _assign(w), "Lead the review"),
    "an assignment is renamed": (
        lambda w: assignment_update(assignment=_assign(w), title="Lead the retro"),
        "Lead the retro",
    ),
    "a coaching session is held": (_hold_session, "Same-day feedback"),
    "a commitment is kept": (
        lambda w: (
            _hold_session(w),
            Commitment.objects.update(status=Commitment.Status.KEPT, updated_at=timezone.now()),
        ),
        "Kept",
    ),
    "a debrief is held": (lambda w: _debrief(w, [_action(w)]), "Send the notes"),
    "a debrief's action is done": (
        lambda w: (
            _debrief(w, [_action(w)]),
            [
                (setattr(action, "done_at", timezone.now()), action.save())
                for action in DebriefAction.objects.all()
            ],
        ),
        '<span class="badge text-bg-success">Done</span>',
    ),
    "an assessment reaches the level": (
        lambda w: f.AssessmentFactory(
            enrolment=w.enrolment,
            competency=w.competency,
            kind=Assessment.Kind.CHECKPOINT,
            assessed_level=w.competency.scale.levels.get(rank=2),
            assessed_on=timezone.localdate(),
        ),
        "(level 2 so far)",
    ),
    "the performance objective is reworded": (
        lambda w: performance_objective_update(
            objective=w.what, statement="Feedback within a working day"
        ),
        "Feedback within a working day",
    ),
    "the learning objective is reworded": (
        lambda w: learning_objective_update(objective=w.why, statement="Why timing matters"),
        "Why timing matters",
    ),
    "the program is renamed": (
        lambda w: program_update(program=w.program, name="Leading people"),
        "Leading people",
    ),
    "the supervisor's name changes": (
        lambda w: person_update(person=w.supervisor, last_name="Lee-Park"),
        "Supervisor: Sam Lee-Park",
    ),
    "the name of who signed a step off changes": (
        lambda w: (_sign_off_reading(w), person_update(person=w.learner, last_name="Lovelace")),
        "by Ada Lovelace",
    ),
    "the competency is renamed": (
        lambda w: (
            type(w.competency)
            .objects.filter(pk=w.competency.pk)
            .update(name="Coaching on the job", updated_at=timezone.now())
        ),
        "Coaching on the job",
    ),
    "the enrolment is paused": (
        lambda w: Enrolment.objects.filter(pk=w.enrolment.pk).update(status="paused"),
        "· Paused",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_next_view_shows_any_change_to_what_a_section_shows(client, world, change):
    act, shown = CHANGES[change]
    assert shown not in _page(client, world)
    act(world)
    assert shown in _page(client, world)


def test_a_step_due_today_is_overdue_the_next_day(client, world, monkeypatch):
    assert "Overdue:" not in _page(client, world)
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "<strong>Overdue:</strong> Checkpoint" in _page(client, world)


def test_a_section_counting_recent_observations_is_kept_only_until_one_leaves_the_span(
    client, world, monkeypatch, settings
):
    # The process's own cache, whose clock the test can move (Redis keeps real time).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    world.observe(observed_at=timezone.now() - timedelta(days=60) + timedelta(minutes=10))
    assert "(1 of 3 so far)" in _page(client, world)
    # Eleven minutes on, the observation is older than the step's 60 days.
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(locmem.time, "time", lambda: later.timestamp())
    assert "(0 of 3 so far)" in _page(client, world)


def test_each_learner_reads_only_their_own_sections(client, world):
    other = f.EnrolmentFactory(program=world.program, pathway=world.enrolment.pathway)
    assert "Give feedback on the job" in _page(client, world)
    client.force_login(other.learner)
    assert "Give feedback on the job" not in client.get(reverse("learn:home")).text


@pytest.mark.parametrize("size", [2, 30])
def test_the_pathway_page_reads_the_same_queries_at_any_size_first_and_then(
    client, world, django_assert_num_queries, size
):
    for n in range(size):
        # Approaching: the open step stays open, the objective unmet.
        world.observe(rating=2, observed_at=timezone.now() - timedelta(hours=n + 1))
        _assign(world, title=f"Assignment {n}")
        f.CoachingSessionFactory(enrolment=world.enrolment)
        f.DebriefFactory(enrolment=world.enrolment)
        f.AssessmentFactory(enrolment=world.enrolment, competency=world.competency)
    client.force_login(world.learner)
    # The page's version twice (before and after reading), the navigation; the pathway
    # (enrolments, steps, their objectives (2), sign-offs, observations for the open
    # step's evidence rule, assignments); the latest sessions and debriefs with their
    # commitments and actions (4); where competency stands: the program's rule (3) and
    # its questions (3), and what is missing named (2)
    with django_assert_num_queries(2 + 3 + 7 + 4 + 6 + 2):
        assert client.get(reverse("learn:home")).status_code == 200
    with django_assert_num_queries(QUERIES_KEPT):
        assert client.get(reverse("learn:home")).status_code == 200


def test_a_learner_with_no_program_reads_no_section(client, django_assert_num_queries):
    client.force_login(f.UserFactory())
    with django_assert_num_queries(QUERIES_KEPT + 1):  # and why there is no pathway
        assert "not enrolled in a program yet" in client.get(reverse("learn:home")).text


def test_an_objective_met_in_a_debrief_is_no_longer_what_competency_still_needs(client, world):
    assignment = _assign(world)
    assignment_submit_evidence(assignment=assignment, evidence="Notes from the review")
    assert "Still to be met on the job" in _page(client, world)
    with world.capture(execute=True):
        debrief_record(
            enrolment=world.enrolment,
            facilitator=world.supervisor,
            held_at=timezone.now(),
            what_happened="Ran it.",
            what_went_well="Clear owners.",
            what_to_change="Shorter.",
            lessons="Name owners early.",
            assignment=assignment,
            criteria_verdicts={assignment.success_criteria.get().pk: True},
        )
    assert "Still to be met on the job" not in _page(client, world)


def _objectives(client, world):
    client.force_login(world.learner)
    return client.get(reverse("learn:objectives")).text


def _observed_by(world, person, **fields):
    with world.capture(execute=True):
        return observation_log(
            enrolment=world.enrolment,
            observer=person,
            performance_objective=world.what,
            rating=3,
            behaviour="Named the hand-off.",
            **fields,
        )


class Peer:
    """Someone who is neither the learner's supervisor nor their coach: their name shows
    on the objectives page only as an observer or a giver of feedback."""

    def __init__(self, world):
        self.person = f.UserFactory(first_name="Noor", last_name="Aziz")
        self.observation = _observed_by(world, self.person)
        self.feedback = f.FeedbackFactory(
            observation=self.observation,
            giver=self.person,
            specific_example="You named the owner in the stand-up.",
        )


def _level_assessed(world):
    f.AssessmentFactory(
        enrolment=world.enrolment, competency=world.competency, assessed_on=dt.date(2026, 2, 3)
    )
    return world.competency.scale.levels.first()


# (what is there before, what changes, what the next view of the objectives page shows)
OBJECTIVES_CHANGES = {
    "an observation is logged": (
        None,
        lambda w, _: w.observe(rating=4),
        "Latest rating: <strong>Exceeds",
    ),
    "feedback is given on an observation": (
        lambda w: w.observe(),
        lambda w, observation: f.FeedbackFactory(
            observation=observation, specific_example="Clear and on time."
        ),
        "Clear and on time.",
    ),
    "feedback is reworded": (
        Peer,
        lambda w, peer: (
            setattr(peer.feedback, "specific_example", "You named both owners."),
            peer.feedback.save(),
        ),
        "You named both owners.",
    ),
    "the name of an observer and giver of feedback changes": (
        Peer,
        lambda w, peer: person_update(person=peer.person, last_name="Aziz-Khan"),
        "observed by Noor Aziz-Khan",
    ),
    "an assessment is made": (
        None,
        lambda w, _: _level_assessed(w),
        "(3 Feb)",
    ),
    "a level is renamed": (
        _level_assessed,
        lambda w, level: (
            type(level)
            .objects.filter(pk=level.pk)
            .update(name="Getting started", updated_at=timezone.now())
        ),
        "Baseline Getting started",
    ),
    "the objective is reworded": (
        None,
        lambda w, _: performance_objective_update(objective=w.what, statement="Same day"),
        "Same day",
    ),
    "a performance objective is derived from the learning objective": (
        lambda w: w.what.learning_objectives.remove(w.why),
        lambda w, _: performance_objective_update(objective=w.what, learning_objectives=[w.why]),
        "Feedback within a day",
    ),
}


@pytest.mark.parametrize("change", OBJECTIVES_CHANGES)
def test_the_next_view_of_my_objectives_shows_any_change_to_them(client, world, change):
    before, act, shown = OBJECTIVES_CHANGES[change]
    world.what.learning_objectives.add(world.why)
    there = before(world) if before else None
    assert shown not in _objectives(client, world)
    act(world, there)
    assert shown in _objectives(client, world)


def test_my_objectives_seen_again_unchanged_read_only_their_version(
    client, world, django_assert_num_queries
):
    world.what.learning_objectives.add(world.why)
    Peer(world)
    first = _objectives(client, world)
    assert "Feedback within a day" in first
    with django_assert_num_queries(QUERIES_KEPT):
        second = client.get(reverse("learn:objectives")).text
    start = first.index('<section class="mb-4"')
    assert second[start:] == first[start:]
