"""Observer calibration: a lenient or harsh rater stands out against the others."""

import random
import statistics

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
    with django_assert_num_queries(7):
        assert client.get(reverse("design:calibration", args=[program.pk])).status_code == 200


@pytest.mark.parametrize("seed", [2, 9])
def test_calibration_matches_a_hand_count_on_generated_ratings(seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    objectives = [f.PerformanceObjectiveFactory(program=program) for _ in range(2)]
    enrolments = [f.EnrolmentFactory(program=program, pathway=pathway) for _ in range(8)]
    observers = [f.UserFactory() for _ in range(4)]
    made = []  # (objective, observer, learner, rating)
    for _ in range(60):
        po, observer, enrolment = (
            rng.choice(objectives),
            rng.choice(observers),
            rng.choice(enrolments),
        )
        rating = rng.randint(1, 4)
        f.ObservationFactory(
            enrolment=enrolment, observer=observer, performance_objective=po, rating=rating
        )
        made.append((po.pk, observer.pk, enrolment.learner_id, rating))
    f.ObservationFactory(rating=1)  # another program's observation counts nowhere here

    expected = {}
    for po, observer in {(po, observer) for po, observer, _l, _r in made}:
        mine = [(learner, r) for p, o, learner, r in made if (p, o) == (po, observer)]
        others = []
        for learner, _rating in mine:
            theirs = [r for p, o, l2, r in made if p == po and l2 == learner and o != observer]
            if theirs:
                others.append(statistics.mean(theirs))
        mean = statistics.mean(r for _l, r in mine)
        expected[(po, observer)] = {
            "observations": len(mine),
            "learners": len({learner for learner, _r in mine}),
            "mean": round(mean, 2),
            "shared": len(others),
            "gap": round(mean - statistics.mean(others), 2) if others else None,
        }

    rows = observer_calibration(program=program)
    got = {
        (row["performance_objective_id"], row["observer_id"]): {
            key: row[key] for key in ("observations", "learners", "mean", "shared")
        }
        | {"gap": row["gap"]}
        for row in rows
    }
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        have = got[key]
        assert {k: have[k] for k in ("observations", "learners", "shared")} == {
            k: want[k] for k in ("observations", "learners", "shared")
        }
        assert have["mean"] == pytest.approx(want["mean"], abs=0.005)
        if want["gap"] is None:
            assert have["gap"] is None
        else:
            assert have["gap"] == pytest.approx(want["gap"], abs=0.011)
