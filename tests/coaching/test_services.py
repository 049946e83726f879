"""Observations, the feedback windows they open, and feedback given inside or after them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    CoachingSession,
    Debrief,
    Feedback,
    FeedbackWindow,
    Observation,
    PeerFeedbackRequest,
)
from coaching.services import (
    coaching_session_record,
    debrief_record,
    feedback_give,
    feedback_window_decide,
    feedback_windows_mark_missed,
    observation_log,
    peer_feedback_request_create,
    peer_feedback_respond,
)
from people.models import Notification
from programs.models import Rating
from tests.factories import (
    EnrolmentFactory,
    FeedbackWindowFactory,
    ObservationFactory,
    PerformanceObjectiveFactory,
    UserFactory,
    colleague_of,
)

pytestmark = pytest.mark.django_db

EXAMPLE = "In Tuesday's stand-up you named the missed hand-off."
IMPACT = "The release stayed on track for the quarter's goal."


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def objective(enrolment):
    return PerformanceObjectiveFactory(program=enrolment.program)


def log(enrolment, objective, **kwargs):
    kwargs.setdefault("observer", enrolment.supervisor)
    kwargs.setdefault("rating", Rating.MEETS)
    kwargs.setdefault("behaviour", "Named the missed hand-off in stand-up and proposed a fix.")
    return observation_log(enrolment=enrolment, performance_objective=objective, **kwargs)


def give(observation, **kwargs):
    kwargs.setdefault("giver", observation.observer)
    kwargs.setdefault("specific_example", EXAMPLE)
    kwargs.setdefault("impact_on_team_goals", IMPACT)
    return feedback_give(observation=observation, **kwargs)


# observation_log


def test_an_observation_opens_a_feedback_window_of_24_hours_by_default(enrolment, objective):
    observed_at = timezone.now() - timedelta(hours=1)

    observation = log(enrolment, objective, observed_at=observed_at)

    assert observation.learner_id == enrolment.learner_id
    window = FeedbackWindow.objects.get(observation=observation)
    assert window.status == FeedbackWindow.Status.OPEN
    assert window.opens_at == observed_at
    assert window.closes_at == observed_at + timedelta(hours=24)
    assert window.resolved_at is None


def test_an_observation_opens_a_window_as_long_as_its_objectives_feedback_window(enrolment):
    objective = PerformanceObjectiveFactory(
        program=enrolment.program, feedback_window=timedelta(hours=4)
    )
    observed_at = timezone.now() - timedelta(minutes=10)

    observation = log(enrolment, objective, observed_at=observed_at)

    assert observation.feedback_window.closes_at == observed_at + timedelta(hours=4)


def test_an_observation_without_a_time_is_observed_now(enrolment, objective):
    before = timezone.now()

    observation = log(enrolment, objective)

    assert before <= observation.observed_at <= timezone.now()
    assert observation.feedback_window.opens_at == observation.observed_at


def test_an_observation_in_the_future_is_refused_and_nothing_is_saved(enrolment, objective):
    with pytest.raises(ValidationError) as excinfo:
        log(enrolment, objective, observed_at=timezone.now() + timedelta(hours=1))

    assert excinfo.value.message_dict == {
        "observed_at": ["An observation cannot be in the future."]
    }
    assert not Observation.objects.exists()
    assert not FeedbackWindow.objects.exists()


def test_an_observation_is_judged_against_the_given_now(enrolment, objective):
    now = timezone.now() - timedelta(days=30)

    observation = log(enrolment, objective, observed_at=now - timedelta(hours=1), now=now)

    assert observation.feedback_window.closes_at == now + timedelta(hours=23)
    with pytest.raises(ValidationError) as excinfo:
        log(enrolment, objective, observed_at=now + timedelta(minutes=1), now=now)
    assert excinfo.value.message_dict == {
        "observed_at": ["An observation cannot be in the future."]
    }
    assert Observation.objects.count() == 1


def test_an_observation_against_another_programs_objective_is_refused(enrolment):
    foreign = PerformanceObjectiveFactory()

    with pytest.raises(ValidationError) as excinfo:
        log(enrolment, foreign)

    assert excinfo.value.message_dict == {
        "performance_objective": ["Choose a performance objective of the learner's program."]
    }
    assert not Observation.objects.exists()
    assert not FeedbackWindow.objects.exists()


def test_a_learner_observing_themselves_is_told_to_write_a_reflection(enrolment, objective):
    with pytest.raises(ValidationError) as excinfo:
        log(enrolment, objective, observer=enrolment.learner)

    assert excinfo.value.messages == ["Learners cannot observe themselves; write a reflection."]
    assert not Observation.objects.exists()


# feedback_give


def test_feedback_inside_the_window_marks_it_met_when_delivered(enrolment, objective):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=2))
    delivered_at = timezone.now() - timedelta(hours=1)

    feedback = give(observation, delivered_at=delivered_at, suggestion="Keep doing it.")

    assert feedback.pk is not None
    assert feedback.inside_window is True
    window = FeedbackWindow.objects.get(observation=observation)
    assert window.status == FeedbackWindow.Status.MET
    assert window.resolved_at == delivered_at


def test_feedback_after_the_window_marks_it_missed_at_closing_and_keeps_the_feedback(
    enrolment, objective
):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=30))
    closes_at = observation.feedback_window.closes_at

    feedback = give(observation)

    window = FeedbackWindow.objects.get(observation=observation)
    assert window.status == FeedbackWindow.Status.MISSED
    assert window.resolved_at == closes_at
    assert Feedback.objects.filter(pk=feedback.pk, observation=observation).exists()
    assert feedback.inside_window is False


def test_a_second_feedback_on_an_observation_is_refused_and_the_first_stands(enrolment, objective):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=30))
    first_at = observation.observed_at + timedelta(hours=3)
    first = give(observation, delivered_at=first_at)

    with pytest.raises(ValidationError) as excinfo:
        give(observation, giver=UserFactory(), specific_example="Contradicting it.")

    day = timezone.localtime(first_at).strftime("%-d %b %Y")
    assert excinfo.value.messages == [
        f"{observation.observer} already gave feedback on this observation on {day}."
    ]
    assert list(observation.feedback.all()) == [first]
    window = FeedbackWindow.objects.get(observation=observation)
    assert (window.status, window.resolved_at) == (FeedbackWindow.Status.MET, first_at)


def test_the_database_holds_one_feedback_per_observation(enrolment, objective):
    observation = log(enrolment, objective)
    give(observation)

    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            observation=observation,
            giver=observation.observer,
            specific_example=EXAMPLE,
            impact_on_team_goals=IMPACT,
            delivered_at=timezone.now(),
        )

    assert observation.feedback.count() == 1


@pytest.mark.parametrize(
    ("missing", "field", "message"),
    [
        ("specific_example", "specific_example", "Cite a specific example of the behaviour."),
        (
            "impact_on_team_goals",
            "impact_on_team_goals",
            "Describe the behaviour's impact on team goals.",
        ),
    ],
)
def test_feedback_without_an_example_or_its_impact_is_refused_and_nothing_is_saved(
    enrolment, objective, missing, field, message
):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=2))

    with pytest.raises(ValidationError) as excinfo:
        give(observation, **{missing: "  "})

    assert excinfo.value.message_dict[field] == [message]
    assert not Feedback.objects.exists()
    window = FeedbackWindow.objects.get(observation=observation)
    assert window.status == FeedbackWindow.Status.OPEN
    assert window.resolved_at is None


def test_feedback_missing_both_example_and_impact_names_both(enrolment, objective):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=2))

    with pytest.raises(ValidationError) as excinfo:
        give(observation, specific_example="", impact_on_team_goals="")

    errors = excinfo.value.message_dict
    # an empty field also carries Django's "This field cannot be blank."
    assert "Cite a specific example of the behaviour." in errors["specific_example"]
    assert "Describe the behaviour's impact on team goals." in errors["impact_on_team_goals"]
    assert not Feedback.objects.exists()


def test_feedback_before_the_behaviour_was_observed_is_refused(enrolment, objective):
    observation = log(enrolment, objective, observed_at=timezone.now() - timedelta(hours=2))

    with pytest.raises(ValidationError) as excinfo:
        give(observation, delivered_at=observation.observed_at - timedelta(minutes=1))

    assert excinfo.value.message_dict == {
        "delivered_at": ["Feedback cannot come before the behaviour was observed."]
    }
    assert not Feedback.objects.exists()


# feedback_windows_mark_missed


def _window(*, closed_hours_ago, status=FeedbackWindow.Status.OPEN):
    closes_at = timezone.now() - timedelta(hours=closed_hours_ago)
    return FeedbackWindowFactory(
        observation=ObservationFactory(observed_at=closes_at - timedelta(hours=24)),
        closes_at=closes_at,
        status=status,
        resolved_at=None if status == FeedbackWindow.Status.OPEN else closes_at,
    )


def test_marking_missed_closes_only_open_windows_past_their_close_and_only_once():
    overdue = _window(closed_hours_ago=2)
    still_open = _window(closed_hours_ago=-3)
    met = _window(closed_hours_ago=5, status=FeedbackWindow.Status.MET)
    met_resolved_at = met.resolved_at

    assert feedback_windows_mark_missed() == 1
    assert feedback_windows_mark_missed() == 0

    overdue.refresh_from_db()
    still_open.refresh_from_db()
    met.refresh_from_db()
    assert overdue.status == FeedbackWindow.Status.MISSED
    assert overdue.resolved_at == overdue.closes_at
    assert still_open.status == FeedbackWindow.Status.OPEN
    assert still_open.resolved_at is None
    assert met.status == FeedbackWindow.Status.MET
    assert met.resolved_at == met_resolved_at


def test_marking_missed_at_a_given_time_leaves_windows_closing_after_it_open():
    window = _window(closed_hours_ago=2)

    assert feedback_windows_mark_missed(now=window.closes_at - timedelta(minutes=1)) == 0
    assert feedback_windows_mark_missed(now=window.closes_at) == 0  # closes at, not before

    window.refresh_from_db()
    assert window.status == FeedbackWindow.Status.OPEN


# feedback_window_decide


def test_deciding_a_window_again_reopens_one_whose_close_moved_past_now():
    window = _window(closed_hours_ago=2, status=FeedbackWindow.Status.MISSED)
    FeedbackWindow.objects.filter(pk=window.pk).update(
        closes_at=timezone.now() + timedelta(hours=3)
    )

    decided = feedback_window_decide(window=window)

    assert decided.status == FeedbackWindow.Status.OPEN
    assert decided.resolved_at is None


def test_deciding_a_window_again_marks_it_met_by_its_first_feedback_inside_it():
    window = _window(closed_hours_ago=2)
    observation = window.observation
    first = give(observation, delivered_at=observation.observed_at + timedelta(hours=1))
    FeedbackWindow.objects.filter(pk=window.pk).update(
        status=FeedbackWindow.Status.OPEN, resolved_at=None
    )

    decided = feedback_window_decide(window=window)

    assert decided.status == FeedbackWindow.Status.MET
    assert decided.resolved_at == first.delivered_at


def test_deciding_a_window_again_marks_late_feedback_missed_at_the_close():
    window = _window(closed_hours_ago=-5)
    give(window.observation, delivered_at=timezone.now())
    FeedbackWindow.objects.filter(pk=window.pk).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    window.refresh_from_db()

    decided = feedback_window_decide(window=window)

    assert decided.status == FeedbackWindow.Status.MISSED
    assert decided.resolved_at == window.closes_at


# peer_feedback_request_create


def _ask(enrolment, **kwargs):
    kwargs.setdefault("reviewer", colleague_of(enrolment.learner))
    return peer_feedback_request_create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        prompt="How specific was the feedback you received this month?",
        **kwargs,
    )


def test_a_peer_feedback_request_is_due_after_the_given_now(enrolment):
    now = timezone.now() - timedelta(days=10)

    request = _ask(enrolment, due_at=now + timedelta(days=1), now=now)

    assert request.status == PeerFeedbackRequest.Status.REQUESTED
    assert request.due_at == now + timedelta(days=1)


def test_the_colleague_asked_is_told_at_once_what_is_asked_and_where_to_answer(enrolment):
    due = timezone.now() + timedelta(days=9)

    request = _ask(enrolment, due_at=due)

    told = Notification.objects.get()
    assert told.recipient == request.reviewer
    assert told.kind == Notification.Kind.PEER_FEEDBACK_DUE
    assert str(enrolment.learner) in told.title
    assert "How specific was the feedback you received this month?" in told.body
    assert told.url == reverse("team:peer_inbox")
    # asked again about the same, they are told again: each request is its own
    _ask(enrolment, reviewer=request.reviewer, due_at=due)
    assert Notification.objects.filter(recipient=request.reviewer).count() == 2


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_learner_and_whoever_asked_are_told_when_the_colleague_answers(enrolment, anonymous):
    request = _ask(enrolment, due_at=timezone.now() + timedelta(days=3), anonymous=anonymous)
    Notification.objects.all().delete()

    peer_feedback_respond(request=request, response="Clear and specific.")

    learner = Notification.objects.get(recipient=enrolment.learner)
    asker = Notification.objects.get(recipient=enrolment.supervisor)
    assert learner.kind == asker.kind == Notification.Kind.PEER_FEEDBACK_GIVEN
    assert learner.url == reverse("learn:feedback")
    assert asker.url == reverse("team:learner", args=[enrolment.pk])
    assert learner.body.startswith("Asked for you: “How specific was the feedback")
    assert asker.body.startswith("You asked: ")
    named = str(request.reviewer) in learner.title
    assert named is not anonymous  # an anonymous colleague is never named
    assert Notification.objects.count() == 2


def test_a_learner_who_asked_for_themselves_is_told_once(enrolment):
    request = peer_feedback_request_create(
        enrolment=enrolment,
        requested_by=enrolment.learner,
        reviewer=colleague_of(enrolment.learner),
        prompt="Was my update clear?",
        due_at=timezone.now() + timedelta(days=3),
    )
    Notification.objects.all().delete()

    peer_feedback_respond(request=request, response="Yes.")

    assert list(Notification.objects.values_list("recipient", flat=True)) == [enrolment.learner.pk]


def test_an_empty_answer_tells_nobody(enrolment):
    request = _ask(enrolment, due_at=timezone.now() + timedelta(days=3))
    Notification.objects.all().delete()

    with pytest.raises(ValidationError):
        peer_feedback_respond(request=request, response="   ")

    assert not Notification.objects.exists()


def test_nobody_is_asked_about_a_learner_who_left_the_program(enrolment):
    enrolment.status = "withdrawn"
    enrolment.save(update_fields=["status"])

    with pytest.raises(ValidationError) as excinfo:
        _ask(enrolment, due_at=timezone.now() + timedelta(days=3))

    assert excinfo.value.messages == [f"{enrolment.learner} has left this program."]
    assert not PeerFeedbackRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_peer_feedback_request_due_before_now_is_refused(enrolment):
    now = timezone.now() - timedelta(days=10)

    with pytest.raises(ValidationError) as excinfo:
        _ask(enrolment, due_at=now - timedelta(minutes=1), now=now)

    assert excinfo.value.message_dict == {"due_at": ["The due date must be in the future."]}
    assert not PeerFeedbackRequest.objects.exists()
    assert not Notification.objects.exists()


def test_a_learner_is_never_asked_for_peer_feedback_on_themselves(enrolment):
    with pytest.raises(ValidationError) as excinfo:
        _ask(enrolment, reviewer=enrolment.learner, due_at=timezone.now() + timedelta(days=1))

    assert excinfo.value.message_dict == {
        "reviewer": ["Learners cannot give peer feedback to themselves."]
    }
    assert not PeerFeedbackRequest.objects.exists()


def test_someone_who_has_left_is_not_asked_for_peer_feedback(enrolment):
    gone = UserFactory(first_name="Rosa", last_name="Gone", is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        _ask(enrolment, reviewer=gone, due_at=timezone.now() + timedelta(days=1))

    assert excinfo.value.message_dict == {
        "reviewer": ["Rosa Gone is no longer active: ask someone who is."]
    }
    assert not PeerFeedbackRequest.objects.exists()


# What a debrief or a coaching session agrees is due from the day it is held


PASSED = "The due date has passed: choose a day from today."


def _debrief(enrolment, held_at, due_on):
    return debrief_record(
        enrolment=enrolment,
        facilitator=enrolment.supervisor,
        held_at=held_at,
        what_happened="Ran the review.",
        what_went_well="Clear actions.",
        what_to_change="Start on time.",
        lessons="Prepare the data the day before.",
        actions=[
            {"description": "Share the notes", "owner": enrolment.learner, "due_on": day}
            for day in due_on
        ],
    )


def _session(enrolment, held_at, due_on):
    return coaching_session_record(
        enrolment=enrolment,
        coach=enrolment.supervisor,
        held_at=held_at,
        focus="Same-day feedback",
        commitments=[
            {
                "description": "Give feedback the same day",
                "measure": "hours to feedback",
                "target_value": 24,
                "target_unit": "hours",
                "due_on": due_on,
            }
        ],
    )


def test_a_debrief_with_a_next_action_due_before_today_is_refused_and_nothing_is_saved(
    enrolment,
):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as excinfo:
        _debrief(enrolment, timezone.now(), [today, today - timedelta(days=1)])

    assert excinfo.value.message_dict == {"due_on": [PASSED]}
    assert not Debrief.objects.exists()
    debrief = _debrief(enrolment, timezone.now(), [today, today + timedelta(days=7)])
    assert debrief.actions.count() == 2


def test_a_coaching_commitment_due_before_today_is_refused_and_nothing_is_saved(enrolment):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as excinfo:
        _session(enrolment, timezone.now(), today - timedelta(days=1))

    assert excinfo.value.message_dict == {"due_on": [PASSED]}
    assert not CoachingSession.objects.exists()
    assert _session(enrolment, timezone.now(), today).commitments.get().due_on == today


def test_what_was_agreed_earlier_is_judged_from_the_day_it_was_agreed(enrolment):
    held_at = timezone.now() - timedelta(days=30)
    agreed_due = timezone.localdate(held_at) + timedelta(days=14)  # passed since

    debrief = _debrief(enrolment, held_at, [agreed_due])
    session = _session(enrolment, held_at, agreed_due)

    assert debrief.actions.get().due_on == session.commitments.get().due_on == agreed_due
    with pytest.raises(ValidationError):
        _session(enrolment, held_at, agreed_due - timedelta(days=15))
