"""A learner with a long history: the objectives page shows the newest evidence and the
feedback, observation and reflection lists come a page at a time, never whole."""

import datetime as dt

import pytest
from django.urls import reverse

from coaching.models import Reflection
from tests import factories as f
from tests.areas.learn.test_feedback_and_journal import _learner_world, _peer_response

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def _observations(enrolment, po, count, rating=3, example="Moment {n}."):
    """`count` observations a day apart, the last one the newest, each with its feedback."""
    for n in range(1, count + 1):
        observation = f.ObservationFactory(
            enrolment=enrolment,
            performance_objective=po,
            rating=rating,
            observed_at=START + dt.timedelta(days=n),
        )
        f.FeedbackFactory(
            observation=observation,
            specific_example=example.format(n=n),
            delivered_at=START + dt.timedelta(days=n, hours=1),
        )


def test_my_objectives_show_the_newest_three_observations_and_count_them_all(client):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 24)
    f.ObservationFactory(
        enrolment=enrolment,
        performance_objective=po,
        rating=2,
        observed_at=START + dt.timedelta(days=30),
    )
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "25 observations, 24 with feedback." in text
    assert "Latest rating: <strong>Approaching</strong>" in text
    assert "Moment 24." in text
    assert "Moment 23." in text
    assert "Moment 22." not in text  # the fourth newest: one link away
    assert reverse("learn:objective", args=[po.pk]) in text
    assert "All 25 observations and their feedback" in text


def test_my_objectives_show_the_newest_assessments_of_a_competency(client):
    enrolment, lo, _ = _learner_world()
    for day in range(1, 6):
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=lo.competency,
            kind="checkpoint",
            assessed_on=dt.date(2026, 2, day),
        )
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "(3 Feb)" in text
    assert "(5 Feb)" in text
    assert "(2 Feb)" not in text


def test_another_learners_observations_never_show_on_my_objectives(client):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 2)
    peer = f.EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    _observations(peer, po, 5, example="Their moment {n}.")
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "2 observations, 2 with feedback." in text
    assert "Their moment" not in text
    history = client.get(reverse("learn:objective", args=[po.pk])).text
    assert "2 observations, newest first." in history
    assert "Their moment" not in history


def test_an_objectives_history_comes_twenty_at_a_time_newest_first(client):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 45)
    client.force_login(enrolment.learner)
    url = reverse("learn:objective", args=[po.pk])
    first = client.get(url).text
    assert "45 observations, newest first." in first
    assert "Moment 45." in first
    assert "Moment 26." in first
    assert "Moment 25." not in first
    assert "Page 1 of 3" in first
    assert '?page=2">Next</a>' in first
    last = client.get(url, {"page": "3"}).text
    assert "Moment 5." in last
    assert "Moment 6." not in last


@pytest.mark.parametrize(("asked", "shown"), [("99", "Page 3 of 3"), ("soon", "Page 1 of 3")])
def test_a_page_out_of_range_shows_the_last_and_one_not_a_number_the_first(client, asked, shown):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 45)
    for n in range(45):
        Reflection.objects.create(
            enrolment=enrolment, written_at=START + dt.timedelta(days=n), body=f"Entry {n}."
        )
        _peer_response(enrolment, f"Peer {n}.")
    client.force_login(enrolment.learner)
    for url in (
        reverse("learn:objective", args=[po.pk]),
        reverse("learn:reflections"),
        reverse("learn:feedback"),
    ):
        response = client.get(url, {"page": asked, "peer_page": asked})
        assert response.status_code == 200
        assert shown in response.text


def test_the_history_of_an_objective_outside_my_programs_answers_404(client):
    enrolment, _, _ = _learner_world()
    other, _, their_po = _learner_world()
    _observations(other, their_po, 2)
    client.force_login(enrolment.learner)
    assert client.get(reverse("learn:objective", args=[their_po.pk])).status_code == 404
    assert client.get(reverse("learn:objective", args=[999_999])).status_code == 404


def test_feedback_and_peer_responses_are_paged_apart_and_each_keeps_the_others_page(client):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 25)
    for n in range(1, 26):
        request = _peer_response(enrolment, f"Peer {n}.")
        request.responded_at = START + dt.timedelta(days=n)
        request.save(update_fields=["responded_at"])
    client.force_login(enrolment.learner)
    url = reverse("learn:feedback")
    first = client.get(url).text
    assert "Moment 25." in first
    assert "Moment 5." not in first
    assert "Peer 25." in first
    assert "Peer 5." not in first
    assert '?peer_page=1&amp;page=2">Next</a>' in first
    assert '?page=1&amp;peer_page=2">Next</a>' in first
    peers_turned = client.get(url, {"peer_page": "2"}).text
    assert "Moment 25." in peers_turned  # the feedback stays on its first page
    assert "Peer 5." in peers_turned
    assert "Peer 6." not in peers_turned
    assert '?page=1&amp;peer_page=1">Previous</a>' in peers_turned


def test_another_learners_feedback_and_peer_responses_never_show_on_mine(client):
    enrolment, _, po = _learner_world()
    _observations(enrolment, po, 21)
    other, _, other_po = _learner_world()
    _observations(other, other_po, 21, example="Their moment {n}.")
    _peer_response(other, "Their peer word.")
    client.force_login(enrolment.learner)
    for page in ("1", "2"):
        text = client.get(reverse("learn:feedback"), {"page": page}).text
        assert "Their moment" not in text
        assert "Their peer word." not in text


def test_the_journal_comes_twenty_at_a_time_and_the_form_stays_on_the_first_page(client):
    enrolment, _, _ = _learner_world()
    for n in range(1, 26):
        Reflection.objects.create(
            enrolment=enrolment, written_at=START + dt.timedelta(days=n), body=f"Entry {n}."
        )
    other, _, _ = _learner_world()
    Reflection.objects.create(enrolment=other, written_at=START, body="Their entry.")
    client.force_login(enrolment.learner)
    url = reverse("learn:reflections")
    first = client.get(url).text
    assert "Save reflection" in first
    assert "Entry 25." in first
    assert "Entry 6." in first
    assert "Entry 5." not in first
    assert "Their entry." not in first
    second = client.get(url, {"page": "2"}).text
    assert "Save reflection" not in second
    assert "Write a new entry" in second
    assert "Entry 5." in second
    assert "Entry 6." not in second
    assert "Their entry." not in second


def test_a_refused_entry_sent_from_a_later_page_comes_back_on_the_first_with_its_text(client):
    enrolment, _, _ = _learner_world()
    for n in range(1, 26):
        Reflection.objects.create(
            enrolment=enrolment, written_at=START + dt.timedelta(days=n), body=f"Entry {n}."
        )
    client.force_login(enrolment.learner)
    response = client.post(
        reverse("learn:reflections") + "?page=2",
        {"enrolment": enrolment.pk, "body": "", "next_action": "Ask Sam"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Ask Sam" in response.text
    assert "Entry 25." in response.text
    assert Reflection.objects.count() == 25


def _met_in_debriefs(enrolment, po, count, title="Work {n}", met=True, status="completed"):
    """`count` assignments a day apart, the last the newest, each with a criterion tied to
    `po` judged `met` in its debrief."""
    for n in range(1, count + 1):
        work = f.AssignmentFactory(
            enrolment=enrolment,
            title=title.format(n=n),
            status=status,
            submitted_at=START + dt.timedelta(days=n),
        )
        work.success_criteria.create(
            position=1, description="Owners named", performance_objective=po, met=met
        )
        f.DebriefFactory(enrolment=enrolment, assignment=work, held_at=work.submitted_at)


def test_my_objectives_name_the_newest_debriefs_that_met_one_and_link_the_rest(client):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, 5)
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "met in the debrief of" in text
    for shown in ("Work 5</a>", "Work 4</a>", "Work 3</a>"):
        assert shown in text
    assert "Work 2</a>" not in text
    assert "Work 1</a>" not in text
    history = reverse("learn:objective", args=[po.pk])
    assert f'and <a href="{history}#debriefs">2 more</a>' in text


def test_my_objectives_name_every_debrief_that_met_one_when_there_are_few(client):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, 2)
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:objectives")).text
    assert "Work 2</a>" in text
    assert "Work 1</a>" in text
    assert "more</a>" not in text


def test_an_objectives_page_lists_the_debriefs_that_met_it_twenty_at_a_time(client):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, 25)
    _observations(enrolment, po, 45)
    client.force_login(enrolment.learner)
    url = reverse("learn:objective", args=[po.pk])
    first = client.get(url).text
    assert "25 completed assignments, newest first." in first
    assert "Work 25</a>" in first
    assert "Work 6</a>" in first
    assert "Work 5</a>" not in first
    assert '?debrief_page=2">Next</a>' in first
    second = client.get(url, {"debrief_page": "2"}).text
    assert "Work 5</a>" in second
    assert "Work 6</a>" not in second
    assert "Moment 45." in second  # the observations stay on their first page
    # Turning the observations' page keeps the debriefs' page, and the other way round.
    assert '?debrief_page=2&amp;page=2">Next</a>' in second
    observations_turned = client.get(url, {"page": "2", "debrief_page": "2"}).text
    assert '?page=2&amp;debrief_page=1">Previous</a>' in observations_turned


@pytest.mark.parametrize(("asked", "shown"), [("99", "Work 1</a>"), ("soon", "Work 25</a>")])
def test_a_debrief_page_out_of_range_shows_the_last_and_one_not_a_number_the_first(
    client, asked, shown
):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, 25)
    client.force_login(enrolment.learner)
    response = client.get(reverse("learn:objective", args=[po.pk]), {"debrief_page": asked})
    assert response.status_code == 200
    assert shown in response.text


def test_only_my_completed_work_whose_debrief_met_the_objective_is_listed_with_it(client):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, 1, title="Mine, met")
    _met_in_debriefs(enrolment, po, 1, title="Mine, not met", met=False)
    _met_in_debriefs(enrolment, po, 1, title="Mine, still open", status="submitted")
    peer = f.EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    _met_in_debriefs(peer, po, 1, title="Theirs, met")
    client.force_login(enrolment.learner)
    for url in (reverse("learn:objectives"), reverse("learn:objective", args=[po.pk])):
        text = client.get(url).text
        assert "Mine, met</a>" in text
        for hidden in ("Mine, not met", "Mine, still open", "Theirs, met"):
            assert hidden not in text


@pytest.mark.parametrize("size", [2, 30])
def test_an_objectives_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    enrolment, _, po = _learner_world()
    _met_in_debriefs(enrolment, po, size)
    _observations(enrolment, po, size)
    client.force_login(enrolment.learner)
    # the page shell with the permissions the objective's access rule reads (5), the
    # objective; a count and a page of observations with their feedback, a count and a page
    # of the assignments whose debrief met it
    with django_assert_num_queries(11):
        assert client.get(reverse("learn:objective", args=[po.pk])).status_code == 200
    # the page shell (3), the page's version before and after reading it (2); enrolments,
    # objectives (2), each objective's counts, its newest observations with their feedback,
    # the newest assessments; when each objective was met on the job (observations,
    # debriefed criteria) and the newest debriefs that met it
    with django_assert_num_queries(15):
        assert client.get(reverse("learn:objectives")).status_code == 200
    # Seen again unchanged: the page shell and its version.
    with django_assert_num_queries(4):
        assert client.get(reverse("learn:objectives")).status_code == 200
