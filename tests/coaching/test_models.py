"""Invariants of observations, feedback windows, feedback, debriefs, sessions and peer requests."""

from datetime import timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from coaching.models import CoachingSession, Debrief, Feedback, Observation, PeerFeedbackRequest
from tests.factories import (
    AssignmentFactory,
    EnrolmentFactory,
    FeedbackFactory,
    FeedbackWindowFactory,
    ObservationFactory,
    PerformanceObjectiveFactory,
    UserFactory,
)
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def objective(enrolment):
    return PerformanceObjectiveFactory(program=enrolment.program)


@pytest.fixture
def observation(enrolment, objective):
    return ObservationFactory(enrolment=enrolment, performance_objective=objective)


def observation_of(enrolment, objective, **changes):
    """An unsaved observation of the enrolment's learner by their supervisor."""
    return ObservationFactory.build(enrolment=enrolment, performance_objective=objective, **changes)


# Observations


def test_a_learner_observing_themselves_is_refused_by_the_database(enrolment, objective):
    with pytest.raises(IntegrityError), transaction.atomic():
        observation_of(enrolment, objective, observer=enrolment.learner).save()


def test_a_learner_observing_themselves_is_reported_to_the_user(enrolment, objective):
    own = observation_of(enrolment, objective, observer=enrolment.learner)

    assert full_clean_errors(own) == {
        NON_FIELD_ERRORS: ["Learners cannot observe themselves; write a reflection."]
    }


def test_an_observation_by_the_supervisor_is_stored(enrolment, objective):
    seen = observation_of(enrolment, objective)

    seen.full_clean()
    seen.save()


@pytest.mark.parametrize("rating", [0, 5])
def test_a_rating_outside_the_four_levels_is_refused_by_the_database(observation, rating):
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=observation.pk).update(rating=rating)


@pytest.mark.parametrize("rating", [0, 5])
def test_a_rating_outside_the_four_levels_is_reported_to_the_user(observation, rating):
    observation.rating = rating

    assert full_clean_errors(observation) == {"rating": [f"Value {rating} is not a valid choice."]}
    assert constraint_errors(observation) == {
        NON_FIELD_ERRORS: ["Rating must be one of the four levels."]
    }


@pytest.mark.parametrize("rating", [1, 4])
def test_a_rating_on_the_four_levels_is_stored(enrolment, objective, rating):
    seen = observation_of(enrolment, objective, rating=rating)

    seen.full_clean()
    seen.save()


def test_an_observation_of_someone_other_than_the_enrolled_learner_is_rejected(
    enrolment, objective
):
    seen = observation_of(enrolment, objective, learner=UserFactory())

    assert full_clean_errors(seen) == {"learner": ["The learner must be the enrolment's learner."]}


def test_an_observation_against_another_programs_objective_is_rejected(enrolment):
    seen = observation_of(enrolment, PerformanceObjectiveFactory())

    assert full_clean_errors(seen) == {
        "performance_objective": ["Choose a performance objective of the learner's program."]
    }


def test_an_observation_on_another_learners_assignment_is_rejected(enrolment, objective):
    seen = observation_of(enrolment, objective, assignment=AssignmentFactory())

    assert full_clean_errors(seen) == {
        "assignment": ["The assignment must be one of this learner's assignments."]
    }


def test_an_observation_on_the_learners_own_assignment_is_accepted(enrolment, objective):
    seen = observation_of(enrolment, objective, assignment=AssignmentFactory(enrolment=enrolment))

    seen.full_clean()


def test_the_performance_objective_of_an_observation_cannot_be_deleted(observation):
    with pytest.raises(ProtectedError) as excinfo:
        observation.performance_objective.delete()

    assert observation in excinfo.value.protected_objects
    assert Observation.objects.filter(pk=observation.pk).exists()


def test_the_enrolment_of_an_observation_cannot_be_deleted(observation):
    with pytest.raises(ProtectedError) as excinfo:
        observation.enrolment.delete()

    assert observation in excinfo.value.protected_objects


def test_an_observation_with_feedback_cannot_be_deleted(observation):
    feedback = FeedbackFactory(observation=observation)

    with pytest.raises(ProtectedError) as excinfo:
        observation.delete()

    assert feedback in excinfo.value.protected_objects


# Feedback windows


@pytest.mark.parametrize("closes_in", [timedelta(0), timedelta(hours=-1)])
def test_a_window_closing_when_or_before_it_opens_is_refused_by_the_database(
    observation, closes_in
):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackWindowFactory(
            observation=observation, closes_at=observation.observed_at + closes_in
        )


def test_a_window_closing_when_it_opens_is_reported_to_the_user(observation):
    window = FeedbackWindowFactory.build(observation=observation, closes_at=observation.observed_at)

    assert full_clean_errors(window) == {
        NON_FIELD_ERRORS: ["A feedback window must close after it opens."]
    }


def test_a_window_closing_after_it_opens_is_stored(observation):
    window = FeedbackWindowFactory.build(observation=observation)

    window.full_clean()
    window.save()


def test_a_second_window_for_one_observation_is_refused_by_the_database(observation):
    FeedbackWindowFactory(observation=observation)

    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackWindowFactory(observation=observation)


def test_a_second_window_for_one_observation_is_reported_to_the_user(observation):
    FeedbackWindowFactory(observation=observation)

    assert full_clean_errors(FeedbackWindowFactory.build(observation=observation)) == {
        "observation": ["Feedback window with this Observation already exists."]
    }


RESOLUTION_MISMATCHES = [
    pytest.param("open", timezone.now(), id="open with a resolution time"),
    pytest.param("met", None, id="met without a resolution time"),
    pytest.param("missed", None, id="missed without a resolution time"),
]


@pytest.mark.parametrize(("status", "resolved_at"), RESOLUTION_MISMATCHES)
def test_a_resolution_time_that_disagrees_with_the_status_is_refused_by_the_database(
    observation, status, resolved_at
):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackWindowFactory(observation=observation, status=status, resolved_at=resolved_at)


@pytest.mark.parametrize(("status", "resolved_at"), RESOLUTION_MISMATCHES)
def test_a_resolution_time_that_disagrees_with_the_status_is_reported_to_the_user(
    observation, status, resolved_at
):
    window = FeedbackWindowFactory.build(
        observation=observation, status=status, resolved_at=resolved_at
    )

    assert full_clean_errors(window) == {
        NON_FIELD_ERRORS: ["A met or missed window records when; an open one not."]
    }


@pytest.mark.parametrize(
    ("status", "resolved_at"),
    [("open", None), ("met", timezone.now()), ("missed", timezone.now())],
)
def test_an_open_window_or_a_resolved_one_with_its_time_is_stored(observation, status, resolved_at):
    window = FeedbackWindowFactory.build(
        observation=observation, status=status, resolved_at=resolved_at
    )

    window.full_clean()
    window.save()


# Feedback


@pytest.mark.parametrize("field", ["specific_example", "impact_on_team_goals"])
def test_feedback_without_an_example_or_impact_is_refused_by_the_database(observation, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(observation=observation, **{field: ""})


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("specific_example", "Cite a specific example of the behaviour."),
        ("impact_on_team_goals", "Describe the behaviour's impact on team goals."),
    ],
)
@pytest.mark.parametrize("blank", ["", "   "], ids=["empty", "only spaces"])
def test_feedback_with_a_blank_example_or_impact_is_reported_to_the_user(
    observation, field, message, blank
):
    feedback = FeedbackFactory.build(observation=observation, **{field: blank})

    assert full_clean_errors(feedback) == {field: [message]}


def test_the_example_and_impact_constraint_explains_itself(observation):
    feedback = FeedbackFactory.build(observation=observation, specific_example="")

    assert constraint_errors(feedback) == {
        NON_FIELD_ERRORS: ["Feedback cites a specific example and its impact on team goals."]
    }


def test_feedback_before_the_observation_is_rejected(observation):
    early = FeedbackFactory.build(
        observation=observation, delivered_at=observation.observed_at - timedelta(minutes=1)
    )

    assert full_clean_errors(early) == {
        "delivered_at": ["Feedback cannot come before the behaviour was observed."]
    }


@pytest.mark.parametrize("after", [timedelta(0), timedelta(hours=3)])
def test_feedback_with_example_and_impact_at_or_after_the_observation_is_stored(observation, after):
    feedback = FeedbackFactory.build(
        observation=observation, delivered_at=observation.observed_at + after
    )

    feedback.full_clean()
    feedback.save()

    assert Feedback.objects.filter(observation=observation).count() == 1


# Debriefs


def debrief(enrolment, assignment):
    return Debrief(
        enrolment=enrolment,
        assignment=assignment,
        facilitator=enrolment.supervisor,
        held_at=timezone.now(),
        what_happened="The escalation review ran over by twenty minutes.",
        what_went_well="Every action had an owner.",
        what_to_change="Send the agenda the day before.",
        lessons="Preparation shortens the meeting.",
    )


def test_a_debrief_of_another_learners_assignment_is_rejected(enrolment):
    assert full_clean_errors(debrief(enrolment, AssignmentFactory())) == {
        "assignment": ["The assignment must be this learner's."]
    }


def test_a_debrief_of_the_learners_own_assignment_is_accepted(enrolment):
    debrief(enrolment, AssignmentFactory(enrolment=enrolment)).full_clean()


# Coaching sessions


def session(enrolment, focus):
    return CoachingSession(
        enrolment=enrolment, coach=UserFactory(), held_at=timezone.now(), focus=focus
    )


def test_a_session_without_a_focus_is_refused_by_the_database(enrolment):
    with pytest.raises(IntegrityError), transaction.atomic():
        session(enrolment, focus="").save()


def test_a_session_without_a_focus_is_reported_to_the_user(enrolment):
    unfocused = session(enrolment, focus="")

    assert full_clean_errors(unfocused) == {"focus": ["This field cannot be blank."]}
    assert constraint_errors(unfocused) == {NON_FIELD_ERRORS: ["Say what the session focused on."]}


def test_a_session_with_a_focus_is_stored(enrolment):
    focused = session(enrolment, focus="Timely feedback in stand-ups")

    focused.full_clean()
    focused.save()


# Peer feedback requests


def peer_request(enrolment, **changes):
    fields = {
        "enrolment": enrolment,
        "requested_by": enrolment.supervisor,
        "reviewer": UserFactory(),
        "prompt": "How did the learner handle the escalation review?",
        "due_at": timezone.now() + timedelta(days=7),
        **changes,
    }
    return PeerFeedbackRequest(**fields)


SUBMISSIONS_WITHOUT_RESPONSE = [
    pytest.param({"response": "", "responded_at": None}, id="no response and no time"),
    pytest.param({"response": "", "responded_at": timezone.now()}, id="no response"),
    pytest.param({"response": "Clear and calm.", "responded_at": None}, id="no time"),
]


@pytest.mark.parametrize("answer", SUBMISSIONS_WITHOUT_RESPONSE)
def test_a_submitted_request_without_its_response_is_refused_by_the_database(enrolment, answer):
    with pytest.raises(IntegrityError), transaction.atomic():
        peer_request(enrolment, status="submitted", **answer).save()


@pytest.mark.parametrize("answer", SUBMISSIONS_WITHOUT_RESPONSE)
def test_a_submitted_request_without_its_response_is_reported_to_the_user(enrolment, answer):
    request = peer_request(enrolment, status="submitted", **answer)

    assert full_clean_errors(request) == {
        NON_FIELD_ERRORS: ["A submitted request carries the response and its time."]
    }


@pytest.mark.parametrize(
    "answer",
    [
        {"status": "requested"},
        {"status": "declined"},
        {"status": "submitted", "response": "Clear and calm.", "responded_at": timezone.now()},
    ],
    ids=["requested", "declined", "submitted with response and time"],
)
def test_an_open_declined_or_answered_request_is_stored(enrolment, answer):
    request = peer_request(enrolment, **answer)

    request.full_clean()
    request.save()


def test_a_learner_asked_for_peer_feedback_on_themselves_is_rejected(enrolment):
    request = peer_request(enrolment, reviewer=enrolment.learner)

    assert full_clean_errors(request) == {
        "reviewer": ["Learners cannot give peer feedback to themselves."]
    }
