"""Observer calibration: a lenient or harsh rater stands out against the others."""

import pytest
from django.urls import reverse

from coaching.selectors import observer_calibration
from tests import factories as f

pytestmark = pytest.mark.django_db


def _rated(program, po, ratings_by_observer, learners):
    pathway = f.PathwayFactory(program=program)
    enrolments = [f.EnrolmentFactory(program=program, pathway=pathway) for _ in range(learners)]
    observers = {name: f.UserFactory(last_name=name) for name in ratings_by_observer}
    for name, rating in ratings_by_observer.items():
        for enrolment in enrolments:
            f.ObservationFactory(
                enrolment=enrolment,
                observer=observers[name],
                performance_objective=po,
                rating=rating,
            )
    return observers


def test_each_observer_is_compared_with_the_others_on_the_same_learners():
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2, "Fairer": 2}, learners=3)
    rows = {r["observer__last_name"]: r for r in observer_calibration(program=program)}
    assert rows["Lenient"]["mean"] == 4
    assert rows["Lenient"]["others"] == 2
    assert rows["Lenient"]["gap"] == 2
    assert rows["Fair"]["others"] == 3  # mean of Lenient (4) and Fairer (2)
    assert rows["Fair"]["gap"] == -1
    assert rows["Fair"]["learners"] == 3


def test_an_observer_alone_on_their_learners_has_no_comparison():
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Solo": 3}, learners=2)
    (row,) = observer_calibration(program=program)
    assert (row["others"], row["gap"], row["shared"]) == (None, None, 0)


def test_the_calibration_page_flags_raters_and_is_for_designers_only(client):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2}, learners=2)
    url = reverse("design:calibration", args=[program.pk])
    client.force_login(program.owner)
    page = client.get(url).text
    assert "+2.0 lenient" in page
    assert "-2.0 harsh" in page
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("learners", [2, 30])
def test_calibration_runs_the_same_queries_at_any_size(client, django_assert_num_queries, learners):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"A": 3, "B": 2}, learners=learners)
    client.force_login(program.owner)
    with django_assert_num_queries(8):
        assert client.get(reverse("design:calibration", args=[program.pk])).status_code == 200
