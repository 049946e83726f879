"""The learner's self-assessment against a competency's scale and its behaviours."""

import datetime as dt

import pytest
from django.urls import reverse

from measurement.models import Assessment
from objectives.models import BehaviouralIndicator
from tests import factories as f

pytestmark = pytest.mark.django_db


def _enrolment_with_competency():
    enrolment = f.EnrolmentFactory()
    lo = f.LearningObjectiveFactory(program=enrolment.program)
    return enrolment, lo.competency


def test_a_learner_assesses_themselves_against_the_scale_and_its_behaviours(client):
    enrolment, competency = _enrolment_with_competency()
    level = competency.scale.levels.get(rank=3)
    BehaviouralIndicator.objects.create(
        competency=competency, level=level, description="Same-day feedback with an example."
    )
    client.force_login(enrolment.learner)
    url = reverse("learn:self_assessment")
    page = client.get(url)
    assert competency.name in page.text
    assert "Same-day feedback with an example." in page.text
    response = client.post(url, {"level": level.pk, "notes": "Mostly"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.assessed_level, assessment.assessor) == (
        "self",
        level,
        enrolment.learner,
    )
    assert assessment.notes == "Mostly"
    assert "Self-assessment saved." in client.get(response["Location"]).text


def test_choosing_no_level_is_refused_keeping_the_notes(client):
    enrolment, _ = _enrolment_with_competency()
    client.force_login(enrolment.learner)
    response = client.post(reverse("learn:self_assessment"), {"notes": "I still slip"})
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "I still slip" in response.text
    assert not Assessment.objects.exists()


def test_a_level_from_another_scale_is_refused(client):
    enrolment, _ = _enrolment_with_competency()
    foreign = f.ScaleFactory().levels.first()
    client.force_login(enrolment.learner)
    response = client.post(reverse("learn:self_assessment"), {"level": foreign.pk})
    assert "Select a valid choice" in response.text
    assert not Assessment.objects.exists()


def test_the_learner_picks_which_competency_of_their_programs_to_assess(client):
    enrolment, first = _enrolment_with_competency()
    second = f.LearningObjectiveFactory(program=enrolment.program).competency
    client.force_login(enrolment.learner)
    url = reverse("learn:self_assessment")
    page = client.get(url, {"competency": second.pk})
    assert f'<option value="{second.pk}" selected>' in page.text
    level = second.scale.levels.get(rank=2)
    client.post(f"{url}?competency={second.pk}", {"level": level.pk})
    assert Assessment.objects.get().competency == second


def test_another_programs_competency_is_neither_shown_nor_assessed(client):
    enrolment, mine = _enrolment_with_competency()
    _, theirs = _enrolment_with_competency()
    client.force_login(enrolment.learner)
    url = reverse("learn:self_assessment")
    page = client.get(url, {"competency": theirs.pk})
    assert theirs.name not in page.text
    assert mine.name in page.text
    client.post(f"{url}?competency={theirs.pk}", {"level": mine.scale.levels.first().pk})
    assert Assessment.objects.get().competency == mine


def test_a_person_without_a_program_has_nothing_to_assess(client):
    _, competency = _enrolment_with_competency()
    client.force_login(f.UserFactory())
    url = reverse("learn:self_assessment")
    assert "name no competency to assess yet" in client.get(url).text
    client.post(url, {"level": competency.scale.levels.first().pk})
    assert not Assessment.objects.exists()


def test_a_supervisor_cannot_self_assess_for_their_learner(client):
    enrolment, competency = _enrolment_with_competency()
    client.force_login(enrolment.supervisor)
    client.post(reverse("learn:self_assessment"), {"level": competency.scale.levels.first().pk})
    assert not Assessment.objects.exists()


def test_self_assessment_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("learn:self_assessment"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("size", [2, 50])
def test_the_self_assessment_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    enrolment, competency = _enrolment_with_competency()
    for _ in range(size):
        f.LearningObjectiveFactory(program=enrolment.program)
        f.AssessmentFactory(enrolment=enrolment, competency=competency)
    for level in competency.scale.levels.all():
        for n in range(size):
            BehaviouralIndicator.objects.create(
                competency=competency, level=level, description=f"Behaviour {n}"
            )
    client.force_login(enrolment.learner)
    # the page shell (3); the competencies, the enrolment building the one asked for, its
    # behaviours and levels; a count and a page of its assessments
    with django_assert_num_queries(9):
        page = client.get(reverse("learn:self_assessment"), {"competency": competency.pk})
        assert page.status_code == 200


def _assessed(enrolment, competency, count):
    """`count` assessments of the competency a day apart, the last the newest."""
    for n in range(1, count + 1):
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            assessed_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )


def test_my_assessments_of_a_competency_come_ten_at_a_time_newest_first(client):
    enrolment, competency = _enrolment_with_competency()
    _assessed(enrolment, competency, 15)
    client.force_login(enrolment.learner)
    url = reverse("learn:self_assessment")
    first = client.get(url).text
    assert "15 assessments, newest first." in first
    assert "<li>16 Jan 2026:" in first
    assert "<li>7 Jan 2026:" in first
    assert "<li>6 Jan 2026:" not in first  # the eleventh newest: on the next page
    assert "Page 1 of 2" in first
    # The pages stay on the competency chosen.
    assert f'?competency={competency.pk}&amp;page=2">Next</a>' in first
    second = client.get(url, {"competency": competency.pk, "page": "2"}).text
    assert "<li>6 Jan 2026:" in second
    assert "<li>2 Jan 2026:" in second
    assert "<li>7 Jan 2026:" not in second
    assert "Save self-assessment" in second  # the form is on every page


@pytest.mark.parametrize(("asked", "shown"), [("99", "Page 2 of 2"), ("soon", "Page 1 of 2")])
def test_an_assessment_page_out_of_range_shows_the_last_and_one_not_a_number_the_first(
    client, asked, shown
):
    enrolment, competency = _enrolment_with_competency()
    _assessed(enrolment, competency, 15)
    client.force_login(enrolment.learner)
    response = client.get(reverse("learn:self_assessment"), {"page": asked})
    assert response.status_code == 200
    assert shown in response.text


def test_only_my_assessments_of_the_chosen_competency_are_listed(client):
    enrolment, competency = _enrolment_with_competency()
    other = f.LearningObjectiveFactory(program=enrolment.program).competency
    _assessed(enrolment, competency, 1)
    f.AssessmentFactory(enrolment=enrolment, competency=other, assessed_on=dt.date(2026, 3, 9))
    peer = f.EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    f.AssessmentFactory(enrolment=peer, competency=competency, assessed_on=dt.date(2026, 3, 8))
    client.force_login(enrolment.learner)
    text = client.get(reverse("learn:self_assessment"), {"competency": competency.pk}).text
    assert "1 assessment, newest first." in text
    assert "<li>2 Jan 2026:" in text
    assert "9 Mar 2026" not in text
    assert "8 Mar 2026" not in text
