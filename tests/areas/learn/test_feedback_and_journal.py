"""The learner's objectives, feedback received and reflections pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Reflection
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


def test_my_objectives_say_since_when_each_is_met_on_the_job(client):
    enrolment, lo, po = _learner_world()
    other = f.PerformanceObjectiveFactory(program=enrolment.program)
    lo.performance_objectives.add(other)
    f.ObservationFactory(
        enrolment=enrolment,
        performance_objective=po,
        rating=3,
        observed_at=dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC),
    )
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert text.count("Met on the job") == 1
    assert "since 4 Mar 2026" in text
    assert "No evidence yet." in text  # the other objective

    work = f.AssignmentFactory(
        enrolment=enrolment,
        title="Run the hand-off review",
        status="completed",
        submitted_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
    )
    work.success_criteria.create(
        position=1, description="Owners", performance_objective=other, met=True
    )
    f.DebriefFactory(
        enrolment=enrolment, assignment=work, held_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
    )
    text = client.get(reverse("learn:objectives")).text
    assert text.count("Met on the job") == 2
    assert "met in the debrief of" in text
    assert "Run the hand-off review</a>" in text


@pytest.mark.parametrize("size", [2, 60])
def test_learner_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    enrolment, lo, po = _learner_world()
    for _ in range(size):
        _observe(enrolment, po)
        f.AssessmentFactory(enrolment=enrolment, competency=lo.competency)
        Reflection.objects.create(enrolment=enrolment, written_at=enrolment.created_at, body="…")
        _peer_response(enrolment, "Clear.")
    client.force_login(enrolment.learner)
    # the page shell, the page's version before and after reading it (2), enrolments,
    # objectives, each objective's counts, its newest observations with their feedback, the
    # newest assessments; when each objective was met on the job (observations, debriefed
    # criteria) and in which debriefs
    with django_assert_num_queries(15):
        assert client.get(reverse("learn:objectives")).status_code == 200
    # the page shell; a count and a page of feedback, a count and a page of peer responses;
    # the programs to ask a colleague about
    with django_assert_num_queries(8):
        assert client.get(reverse("learn:feedback")).status_code == 200
    # the page shell, the form's choices; a count and a page of entries
    with django_assert_num_queries(7):
        assert client.get(reverse("learn:reflections")).status_code == 200
    # the page shell, the objective; a count, a page of observations and their feedback; the
    # count of assignments whose debrief met it (none here)
    with django_assert_num_queries(10):
        assert client.get(reverse("learn:objective", args=[po.pk])).status_code == 200


def _peer_response(enrolment, response, anonymous=False, reviewer=None):
    from coaching.models import PeerFeedbackRequest

    return PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=reviewer or f.UserFactory(),
        prompt="How specific?",
        due_at=enrolment.created_at,
        anonymous=anonymous,
        status="submitted",
        response=response,
        responded_at=enrolment.created_at,
    )


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


def test_learner_pages_ask_anonymous_visitors_to_log_in(client):
    for name in ("objectives", "feedback", "reflections"):
        response = client.get(reverse(f"learn:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_reflection_about_a_step_of_another_program_is_refused(client):
    enrolment, _, _ = _learner_world()
    other = f.EnrolmentFactory(learner=enrolment.learner)
    their_step = f.StepFactory(pathway=other.pathway, title="Other program step")
    client.force_login(enrolment.learner)
    response = client.post(
        reverse("learn:reflections"),
        {"enrolment": enrolment.pk, "step": their_step.pk, "body": "Kept text."},
    )
    assert response.status_code == 200
    assert "Choose a step of your own pathway." in response.text
    assert "Kept text." in response.text
    assert not Reflection.objects.exists()


def test_a_reflection_can_be_tied_to_a_step_and_the_only_program_is_already_chosen(client):
    enrolment, _, _ = _learner_world()
    step = f.StepFactory(pathway=enrolment.pathway, title="Role-play")
    client.force_login(enrolment.learner)
    url = reverse("learn:reflections")
    page = client.get(url).text
    assert "---------" not in page  # no blank choice: the only program is the one shown
    assert "No particular step" in page
    client.post(url, {"enrolment": enrolment.pk, "step": step.pk, "body": "It went well."})
    assert Reflection.objects.get().step == step
    assert "Role-play" in client.get(url).text


def test_a_learner_asks_a_colleague_for_feedback_from_their_feedback_page_and_returns_there(
    client,
):
    from coaching.models import PeerFeedbackRequest

    enrolment, _, po = _learner_world()
    colleague = f.EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway).learner
    left = f.EnrolmentFactory(learner=enrolment.learner, status="withdrawn")
    client.force_login(enrolment.learner)
    ask = reverse("team:peer_request", args=[enrolment.pk])

    page = client.get(reverse("learn:feedback")).text
    assert f'href="{ask}"' in page
    assert reverse("team:peer_request", args=[left.pk]) not in page

    form = client.get(ask).text
    assert f'href="{reverse("learn:feedback")}"' in form  # the way back is the learner's own
    assert "Keep the reviewer" not in form  # a learner asking knows whom they asked
    response = client.post(
        ask,
        {
            "reviewer": colleague.username,
            "performance_objective": po.pk,
            "prompt": "Did I name an owner in the first minute?",
            "due_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "anonymous": "on",
        },
    )
    assert response["Location"] == reverse("learn:feedback")
    asked = PeerFeedbackRequest.objects.get()
    assert (asked.reviewer, asked.requested_by, asked.anonymous) == (
        colleague,
        enrolment.learner,
        False,
    )
