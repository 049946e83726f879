"""The learner's objectives, feedback received, self-assessment and reflections pages."""

import pytest
from django.urls import reverse

from coaching.models import Reflection
from measurement.models import Assessment
from objectives.models import BehaviouralIndicator
from tests import factories as f

pytestmark = pytest.mark.django_db


def _learner_world():
    enrolment = f.EnrolmentFactory()
    program = enrolment.program
    lo = f.LearningObjectiveFactory(program=program, statement="Why feedback works")
    po = f.PerformanceObjectiveFactory(program=program, statement="Deliver feedback in 24h")
    po.learning_objectives.add(lo)
    return enrolment, lo, po


def _observe(enrolment, po, anonymous_peer=False):
    observation = f.ObservationFactory(enrolment=enrolment, performance_objective=po)
    f.FeedbackWindowFactory(observation=observation)
    f.FeedbackFactory(observation=observation, specific_example="The Tuesday stand-up.")
    return observation


def test_my_objectives_pairs_each_why_with_its_whats_and_the_evidence(client):
    enrolment, lo, po = _learner_world()
    _observe(enrolment, po)
    f.AssessmentFactory(enrolment=enrolment, competency=lo.competency)
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "Why feedback works" in text
    assert "Deliver feedback in 24h" in text
    assert "1 observation, 1 with feedback." in text
    assert "your levels: Baseline Foundational" in text


@pytest.mark.parametrize("size", [2, 50])
def test_learner_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    enrolment, lo, po = _learner_world()
    for _ in range(size):
        _observe(enrolment, po)
        f.AssessmentFactory(enrolment=enrolment, competency=lo.competency)
        Reflection.objects.create(enrolment=enrolment, written_at=enrolment.created_at, body="…")
    client.force_login(enrolment.learner)
    with django_assert_num_queries(12):
        assert client.get(reverse("learn:objectives")).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("learn:feedback")).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(reverse("learn:reflections")).status_code == 200
    with django_assert_num_queries(13):
        assert client.get(reverse("learn:self_assessment")).status_code == 200


def test_feedback_received_shows_mine_only_and_hides_anonymous_peers(client):
    enrolment, _, po = _learner_world()
    _observe(enrolment, po)
    other, _, other_po = _learner_world()
    f.FeedbackFactory(
        observation=f.ObservationFactory(enrolment=other, performance_objective=other_po),
        specific_example="Someone else's moment.",
    )
    from coaching.models import PeerFeedbackRequest

    reviewer = f.UserFactory(first_name="Priya", last_name="Nair")
    PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=reviewer,
        prompt="How specific?",
        due_at=enrolment.created_at,
        anonymous=True,
        status="submitted",
        response="Very specific.",
        responded_at=enrolment.created_at,
    )
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:feedback")).text
    assert "The Tuesday stand-up." in text
    assert "Someone else&#x27;s moment." not in text
    assert "Very specific." in text
    assert "A peer" in text
    assert "Priya Nair" not in text


def test_a_learner_writes_a_reflection_and_bad_input_keeps_the_text(client):
    enrolment, _, _ = _learner_world()
    client.force_login(enrolment.learner)
    url = reverse("learn:reflections")
    response = client.post(url, {"enrolment": enrolment.pk, "body": "", "next_action": "Try X"})
    assert "This field is required." in response.text
    assert "Try X" in response.text
    assert not Reflection.objects.exists()
    response = client.post(url, {"enrolment": enrolment.pk, "body": "Naming the moment helped."})
    assert response.status_code == 302
    assert Reflection.objects.get().body == "Naming the moment helped."


def test_nobody_writes_in_another_learners_journal(client):
    enrolment, _, _ = _learner_world()
    client.force_login(f.UserFactory())
    response = client.post(
        reverse("learn:reflections"), {"enrolment": enrolment.pk, "body": "Not mine."}
    )
    assert "Select a valid choice" in response.text
    assert not Reflection.objects.exists()


def test_a_learner_assesses_themselves_against_the_scale_and_its_behaviours(client):
    enrolment, lo, _ = _learner_world()
    level = lo.competency.scale.levels.get(rank=3)
    BehaviouralIndicator.objects.create(
        competency=lo.competency, level=level, description="Same-day feedback with an example."
    )
    client.force_login(enrolment.learner)
    url = reverse("learn:self_assessment")
    page = client.get(url)
    assert "Same-day feedback with an example." in page.text
    response = client.post(url, {"notes": "I still slip"})
    assert "This field is required." in response.text
    assert "I still slip" in response.text
    assert not Assessment.objects.exists()
    client.post(url, {"level": level.pk, "notes": "Mostly"})
    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.assessed_level, assessment.assessor) == (
        "self",
        level,
        enrolment.learner,
    )


def test_a_level_from_another_scale_is_refused(client):
    enrolment, _, _ = _learner_world()
    foreign = f.ScaleFactory().levels.first()
    client.force_login(enrolment.learner)
    response = client.post(reverse("learn:self_assessment"), {"level": foreign.pk})
    assert "Select a valid choice" in response.text
    assert not Assessment.objects.exists()


def test_learner_pages_ask_anonymous_visitors_to_log_in(client):
    for name in ("objectives", "feedback", "reflections", "self_assessment"):
        response = client.get(reverse(f"learn:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
