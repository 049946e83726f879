"""The manager's team page: open windows, logging observations, giving feedback."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Feedback, FeedbackWindow, Observation
from coaching.services import observation_log
from tests import factories as f

pytestmark = pytest.mark.django_db


def _team(size=1):
    """A supervisor with `size` learners on one program with one objective."""
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    po = f.PerformanceObjectiveFactory(program=program)
    supervisor = f.UserFactory(username="maya")
    enrolments = [
        f.EnrolmentFactory(program=program, pathway=pathway, supervisor=supervisor)
        for _ in range(size)
    ]
    return supervisor, enrolments, po


def _observe(enrolment, po, hours_ago=2):
    return observation_log(
        observer=enrolment.supervisor,
        enrolment=enrolment,
        performance_objective=po,
        rating=3,
        behaviour="Named the missed hand-off.",
        observed_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_the_team_page_lists_learners_and_open_windows_soonest_first(client):
    supervisor, (a, b), po = _team(size=2)
    later = _observe(a, po, hours_ago=1)
    sooner = _observe(b, po, hours_ago=22)
    client.force_login(supervisor)
    response = client.get(reverse("team:home"))
    assert response.status_code == 200
    text = response.text
    assert str(a.learner) in text
    assert str(b.learner) in text
    assert text.index(f"window-{sooner.feedback_window.pk}") < text.index(
        f"window-{later.feedback_window.pk}"
    )
    assert "closes in 1\xa0hour" in text  # timeuntil keeps its numbers with their units
    assert "0 of 0 steps" in text


def test_the_team_page_shows_submitted_evidence_at_once(client):
    supervisor, (enrolment,), _ = _team()
    assignment = f.AssignmentFactory(
        enrolment=enrolment, status="submitted", submitted_at=timezone.now(), title="Escalation"
    )
    client.force_login(supervisor)
    text = client.get(reverse("team:home")).text
    assert "Evidence awaiting your review" in text
    assert reverse("learn:assignment", args=[assignment.pk]) in text


def test_a_learners_page_shows_no_one_elses_team(client):
    supervisor, (enrolment,), po = _team()
    _observe(enrolment, po)
    client.force_login(f.UserFactory())
    text = client.get(reverse("team:home")).text
    assert str(enrolment.learner) not in text
    assert "No feedback is due." in text


@pytest.mark.parametrize("size", [2, 50])
def test_the_team_page_runs_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    supervisor, enrolments, po = _team(size=size)
    for enrolment in enrolments:
        _observe(enrolment, po)
        f.AssignmentFactory(enrolment=enrolment, status="submitted", submitted_at=timezone.now())
    client.force_login(supervisor)
    with django_assert_num_queries(7):
        assert client.get(reverse("team:home")).status_code == 200


def test_the_team_page_lists_learners_a_page_at_a_time(client):
    supervisor, enrolments, _ = _team(size=52)
    by_name = sorted(
        enrolments, key=lambda e: (e.learner.last_name, e.learner.first_name, e.program.name, e.pk)
    )
    client.force_login(supervisor)
    url = reverse("team:home")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert len(first.context["learners"]) == 50
    assert [e.pk for e in second.context["learners"]] == [e.pk for e in by_name[50:]]
    assert "Page 1 of 2" in first.text
    assert reverse("team:learner", args=[by_name[51].pk]) not in first.text
    # The observation form offers the learners shown.
    choices = [value for value, _ in first.context["form"].fields["enrolment"].widget.choices]
    assert choices == ["", *(e.pk for e in by_name[:50])]


def test_a_learner_asked_for_from_their_record_is_offered_whatever_the_page(client):
    supervisor, enrolments, _ = _team(size=52)
    last = max(
        enrolments, key=lambda e: (e.learner.last_name, e.learner.first_name, e.program.name, e.pk)
    )
    client.force_login(supervisor)

    response = client.get(reverse("team:home"), {"learner": last.pk})

    form = response.context["form"]
    assert last.pk in [value for value, _ in form.fields["enrolment"].widget.choices]
    assert f'<option value="{last.pk}" selected>' in response.text


def test_a_long_list_of_open_windows_and_evidence_shows_the_most_urgent(client):
    supervisor, (enrolment,), po = _team()
    observations = [_observe(enrolment, po, hours_ago=1 + hour / 10) for hour in range(51)]
    for day in range(51):
        f.AssignmentFactory(
            enrolment=enrolment,
            status="submitted",
            submitted_at=timezone.now() - timedelta(days=day),
        )
    client.force_login(supervisor)

    response = client.get(reverse("team:home"))

    windows = response.context["windows"]
    assert len(windows) == 50
    assert observations[0].feedback_window not in windows  # observed last, it closes last
    assert "The 50 closing soonest are shown; more are open behind them." in response.text
    assert len(response.context["awaiting_review"]) == 50
    assert "The 50 submitted longest ago are shown; more wait behind them." in response.text


@pytest.mark.parametrize("size", [2, 50])
def test_the_feedback_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    """`size` other observations of the learner, each with its feedback."""
    supervisor, (enrolment,), po = _team()
    for _ in range(size):
        other = _observe(enrolment, po)
        f.FeedbackFactory(observation=other, giver=supervisor)
    observation = _observe(enrolment, po)
    client.force_login(supervisor)
    url = reverse("team:feedback", args=[observation.pk])
    # the page shell (6), the observation with what the page shows of it, its feedback
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


def test_logging_an_observation_with_htmx_opens_its_window_without_a_reload(client):
    supervisor, (enrolment,), po = _team()
    client.force_login(supervisor)
    response = client.post(
        reverse("team:observe"),
        {
            "enrolment": enrolment.pk,
            "performance_objective": po.pk,
            "rating": 3,
            "behaviour": "Cited the ticket when coaching a new joiner.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    observation = Observation.objects.get()
    assert observation.observer == supervisor
    window = observation.feedback_window
    assert window.status == FeedbackWindow.Status.OPEN
    assert window.closes_at == observation.observed_at + timedelta(hours=24)
    assert 'id="observe-form"' in response.text
    assert 'hx-swap-oob="true"' in response.text
    assert f"window-{window.pk}" in response.text
    assert "Observation of" in response.text
    # straight on to the feedback on it
    feedback = reverse("team:feedback", args=[observation.pk])
    assert f'<a class="alert-link" href="{feedback}">Give feedback now</a>' in response.text


def test_without_javascript_logging_an_observation_redirects_to_the_team_page(client):
    supervisor, (enrolment,), po = _team()
    client.force_login(supervisor)
    response = client.post(
        reverse("team:observe"),
        {
            "enrolment": enrolment.pk,
            "performance_objective": po.pk,
            "rating": 4,
            "behaviour": "Ran a feedback round.",
        },
    )
    assert response.status_code == 302
    observation = Observation.objects.get()
    page = client.get(response["Location"]).text
    feedback = reverse("team:feedback", args=[observation.pk])
    assert f'<a class="alert-link" href="{feedback}">Give feedback now</a>' in page
    # on a phone the open windows come before the form
    assert page.index('id="open-windows"') < page.index('id="observe-form"')


def test_an_observation_missing_what_was_seen_keeps_the_choices_and_saves_nothing(client):
    supervisor, (enrolment,), po = _team()
    client.force_login(supervisor)
    response = client.post(
        reverse("team:observe"),
        {"enrolment": enrolment.pk, "performance_objective": po.pk, "rating": 2, "behaviour": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert f'<option value="{po.pk}" selected>' in response.text
    assert not Observation.objects.exists()


def test_an_objective_of_another_program_is_not_accepted(client):
    supervisor, (enrolment,), _ = _team()
    foreign = f.PerformanceObjectiveFactory()
    client.force_login(supervisor)
    response = client.post(
        reverse("team:observe"),
        {
            "enrolment": enrolment.pk,
            "performance_objective": foreign.pk,
            "rating": 3,
            "behaviour": "Something.",
        },
    )
    assert "Select a valid choice" in response.text
    assert not Observation.objects.exists()


def test_nobody_can_observe_a_learner_outside_their_team(client):
    _, (enrolment,), po = _team()
    client.force_login(f.UserFactory())
    response = client.post(
        reverse("team:observe"),
        {
            "enrolment": enrolment.pk,
            "performance_objective": po.pk,
            "rating": 3,
            "behaviour": "Not my learner.",
        },
    )
    assert "Select a valid choice" in response.text
    assert not Observation.objects.exists()


def test_the_objectives_offered_come_from_the_chosen_learners_program(client):
    supervisor, (enrolment,), po = _team()
    other = f.PerformanceObjectiveFactory(statement="Another program's objective")
    client.force_login(supervisor)
    response = client.get(reverse("team:objective_options"), {"enrolment": enrolment.pk})
    assert po.statement in response.text
    assert other.statement not in response.text
    client.force_login(f.UserFactory())
    response = client.get(reverse("team:objective_options"), {"enrolment": enrolment.pk})
    assert po.statement not in response.text


def test_feedback_inside_the_window_is_recorded_and_the_window_met(client):
    supervisor, (enrolment,), po = _team()
    observation = _observe(enrolment, po)
    client.force_login(supervisor)
    url = reverse("team:feedback", args=[observation.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "specific_example": "In Tuesday's stand-up you named the hand-off.",
            "impact_on_team_goals": "It kept the release on track.",
        },
        follow=True,
    )
    assert "Feedback delivered inside the window." in response.text
    observation.feedback_window.refresh_from_db()
    assert observation.feedback_window.status == FeedbackWindow.Status.MET


def test_late_feedback_is_kept_and_said_to_be_late(client):
    supervisor, (enrolment,), po = _team()
    observation = _observe(enrolment, po, hours_ago=30)
    client.force_login(supervisor)
    response = client.post(
        reverse("team:feedback", args=[observation.pk]),
        {"specific_example": "The call on Monday.", "impact_on_team_goals": "Missed SLA."},
        follow=True,
    )
    assert "after the window closed" in response.text
    assert Feedback.objects.count() == 1
    observation.feedback_window.refresh_from_db()
    assert observation.feedback_window.status == FeedbackWindow.Status.MISSED


def test_feedback_is_given_once_and_the_page_then_shows_it_instead_of_the_form(client):
    supervisor, (enrolment,), po = _team()
    observation = _observe(enrolment, po)
    client.force_login(supervisor)
    url = reverse("team:feedback", args=[observation.pk])
    first = {
        "specific_example": "In Tuesday's stand-up you named the hand-off.",
        "impact_on_team_goals": "It kept the release on track.",
    }
    client.post(url, first)

    page = client.get(url).text

    assert "Feedback given" in page
    assert "In Tuesday&#x27;s stand-up you named the hand-off." in page
    assert "Give feedback</button>" not in page
    response = client.post(
        url, {"specific_example": "Contradicting.", "impact_on_team_goals": "None at all."}
    )
    assert response.status_code == 200
    day = timezone.localdate().strftime("%-d %b %Y")
    assert f"{supervisor} already gave feedback on this observation on {day}." in response.text
    assert "In Tuesday&#x27;s stand-up you named the hand-off." in response.text
    assert "What you wrote, not saved" in response.text  # nothing typed is lost
    assert "Contradicting." in response.text
    assert "None at all." in response.text
    feedback = Feedback.objects.get()
    assert feedback.specific_example == first["specific_example"]


def test_feedback_without_its_impact_keeps_the_example_and_saves_nothing(client):
    supervisor, (enrolment,), po = _team()
    observation = _observe(enrolment, po)
    client.force_login(supervisor)
    response = client.post(
        reverse("team:feedback", args=[observation.pk]),
        {"specific_example": "The call on Monday.", "impact_on_team_goals": ""},
    )
    assert response.status_code == 200
    assert "Describe the behaviour&#x27;s impact on team goals." in response.text
    assert "The call on Monday." in response.text
    assert not Feedback.objects.exists()


def test_feedback_on_someone_elses_observation_is_refused(client):
    supervisor, (enrolment,), po = _team()
    observation = _observe(enrolment, po)
    client.force_login(f.UserFactory())
    url = reverse("team:feedback", args=[observation.pk])
    assert client.get(url).status_code == 404
    # The learner sees the observation but may not give feedback on it.
    client.force_login(enrolment.learner)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"specific_example": "x", "impact_on_team_goals": "y"}).status_code == 403
    )
    assert not Feedback.objects.exists()


def test_the_team_pages_ask_anonymous_visitors_to_log_in(client):
    for url in (reverse("team:home"), reverse("team:objective_options")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_learners_who_reached_competency_leave_the_team_page_and_cannot_be_observed(client):
    supervisor, (active, done), po = _team(size=2)
    done.status, done.completed_on = "completed", timezone.localdate()
    done.competent_on = timezone.localdate()
    done.save()
    client.force_login(supervisor)
    page = client.get(reverse("team:home")).text
    assert str(active.learner) in page
    assert str(done.learner) not in page
    response = client.post(
        reverse("team:observe"),
        {
            "enrolment": done.pk,
            "performance_objective": po.pk,
            "rating": 3,
            "behaviour": "After the program ended.",
        },
    )
    assert "Select a valid choice" in response.text
    assert not Observation.objects.exists()


def test_a_learner_through_the_pathway_but_not_yet_competent_stays_and_is_observed(
    client, django_capture_on_commit_callbacks
):
    """Evidence still counts for them: the objective still missing is observed from the
    record's link, and competency follows."""
    supervisor, (through,), po = _team(size=1)
    through.program.competency_needs_objectives = True
    through.program.save()
    through.status, through.completed_on = "completed", timezone.localdate()
    through.save()
    client.force_login(supervisor)
    record = client.get(reverse("team:learner", args=[through.pk])).text
    assert "Competency not reached yet." in record
    assert po.statement in record  # the objective still to be met on the job
    link = f"{reverse('team:home')}?learner={through.pk}#observe-heading"
    assert f'href="{link}"' in record
    page = client.get(reverse("team:home"), {"learner": through.pk}).text
    assert str(through.learner) in page
    assert f'<option value="{through.pk}" selected>' in page  # chosen for the observation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("team:observe"),
            {
                "enrolment": through.pk,
                "performance_objective": po.pk,
                "rating": 3,
                "behaviour": "Named an owner for every hand-off.",
            },
        )
    through.refresh_from_db()
    assert through.competent_on == timezone.localdate()
    record = client.get(reverse("team:learner", args=[through.pk])).text
    assert "Competency not reached yet." not in record
    assert "Log an observation" not in record  # nothing left to observe them for
