"""Observer calibration: a lenient or harsh rater stands out against the others."""

import random
import statistics
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.calibration import calibration_since, observer_calibration
from coaching.models import Observation
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


def test_observations_before_the_period_are_left_out():
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    enrolment = f.EnrolmentFactory(program=program)
    early, late = f.UserFactory(last_name="Early"), f.UserFactory(last_name="Late")
    now = timezone.now()
    for observer, rating, days_ago in ((early, 4, 120), (early, 2, 10), (late, 2, 5)):
        f.ObservationFactory(
            enrolment=enrolment,
            observer=observer,
            performance_objective=po,
            rating=rating,
            observed_at=now - timedelta(days=days_ago),
        )
    since = calibration_since(90, now=now)
    rows = {r["observer__last_name"]: r for r in observer_calibration(program=program, since=since)}
    assert (rows["Early"]["observations"], rows["Early"]["mean"], rows["Early"]["gap"]) == (1, 2, 0)
    every = {r["observer__last_name"]: r for r in observer_calibration(program=program)}
    assert (every["Early"]["observations"], every["Early"]["gap"]) == (2, 1)


@pytest.mark.parametrize("seed", [4, 11])
def test_calibration_over_a_period_matches_a_hand_count(seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    objectives = [f.PerformanceObjectiveFactory(program=program) for _ in range(2)]
    enrolments = [f.EnrolmentFactory(program=program, pathway=pathway) for _ in range(6)]
    observers = [f.UserFactory() for _ in range(4)]
    now = timezone.now()
    since = calibration_since(30, now=now)
    made = []  # (objective, observer, learner, rating) of the observations in the period
    for _ in range(70):
        po, observer, enrolment = (
            rng.choice(objectives),
            rng.choice(observers),
            rng.choice(enrolments),
        )
        rating, observed_at = rng.randint(1, 4), now - timedelta(days=rng.uniform(0, 60))
        f.ObservationFactory(
            enrolment=enrolment,
            observer=observer,
            performance_objective=po,
            rating=rating,
            observed_at=observed_at,
        )
        if observed_at >= since:
            made.append((po.pk, observer.pk, enrolment.learner_id, rating))

    expected = {}
    for po, observer in {(po, observer) for po, observer, _l, _r in made}:
        mine = [(learner, r) for p, o, learner, r in made if (p, o) == (po, observer)]
        others = []
        for learner, _rating in mine:
            theirs = [r for p, o, l2, r in made if p == po and l2 == learner and o != observer]
            if theirs:
                others.append(statistics.mean(theirs))
        mean = statistics.mean(r for _l, r in mine)
        expected[(po, observer)] = (
            len(mine),
            len({learner for learner, _r in mine}),
            len(others),
            mean,
            statistics.mean(others) if others else None,
        )

    rows = observer_calibration(program=program, since=since)
    got = {
        (r["performance_objective_id"], r["observer_id"]): (
            r["observations"],
            r["learners"],
            r["shared"],
            r["mean"],
            r["others"],
        )
        for r in rows
    }
    assert got.keys() == expected.keys()
    for key, (count, learners, shared, mean, others) in expected.items():
        assert got[key][:3] == (count, learners, shared)
        assert got[key][3] == pytest.approx(mean, abs=0.005)
        assert got[key][4] == (None if others is None else pytest.approx(others, abs=1e-9))
    # largest gap first, raters nobody else compared with last
    spreads = [abs(r["mean"] - r["others"]) if r["others"] is not None else -1 for r in rows]
    assert spreads == sorted(spreads, reverse=True)


def test_the_page_shows_the_period_chosen_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr("areas.design.views.calibration.PAGE_SIZE", 2)
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Middling": 3, "Fair": 2}, learners=2)
    url = reverse("design:calibration", args=[program.pk])
    client.force_login(program.owner)
    first = client.get(url)
    assert first.context["days"] == 90
    assert [r["observer__last_name"] for r in first.context["page"]] == ["Lenient", "Fair"]
    assert "Page 1 of 2" in first.text
    second = client.get(url, {"days": 30, "page": 2})
    assert [r["observer__last_name"] for r in second.context["page"]] == ["Middling"]
    assert "days=30&amp;page=1" in second.text
    past_the_end = client.get(url, {"page": 99999999999})
    assert past_the_end.context["page"].number == 2


def test_a_period_not_offered_is_refused_with_a_message(client):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2}, learners=2)
    client.force_login(program.owner)
    page = client.get(reverse("design:calibration", args=[program.pk]), {"days": "7"}).text
    assert "Select a valid choice. 7 is not one of the available choices." in page
    assert "+2.0 lenient" not in page


@pytest.mark.parametrize("observers", [2, 60])
def test_a_page_of_many_raters_runs_the_same_queries(client, django_assert_num_queries, observers):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {f"Rater {n}": 1 + n % 4 for n in range(observers)}, learners=2)
    client.force_login(program.owner)
    url = reverse("design:calibration", args=[program.pk])
    with django_assert_num_queries(7):
        response = client.get(url, {"days": 30, "page": 2 if observers > 50 else 1})
    assert len(response.context["page"].object_list) == (10 if observers > 50 else 2)


def test_the_page_shows_each_objective_cut_to_sixty_characters(client):
    program = f.ProgramFactory()
    long = f.PerformanceObjectiveFactory(program=program, statement="Give feedback " * 10)
    short = f.PerformanceObjectiveFactory(program=program, statement="Log a call")
    observers = _rated(program, long, {"Rater": 3, "Other": 2}, learners=2)
    for observation in list(Observation.objects.filter(performance_objective=long)):
        f.ObservationFactory(
            enrolment=observation.enrolment,
            observer=observers["Rater"] if observation.rating == 3 else observers["Other"],
            performance_objective=short,
            rating=observation.rating,
        )
    client.force_login(program.owner)
    page = client.get(reverse("design:calibration", args=[program.pk])).text
    assert page.count(f"{('Give feedback ' * 5)[:59]}…") == 2  # each rater's row of it
    assert "Give feedback " * 5 not in page
    assert page.count(">Log a call</td>") == 2
