"""Observer calibration: a lenient or harsh rater stands out against the others."""

import random
import re
import statistics
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.calibration import (
    DEFAULT_PERIOD,
    calibration_rows,
    calibration_since,
    observer_calibration,
)
from coaching.kept_calibration import calibration_page
from coaching.models import KeptCalibrationRow, Observation
from measurement.refresh import refresh_program_figures
from tests import factories as f

pytestmark = pytest.mark.django_db

# The page's queries: the session, the user, the program and its access, and one read of the
# calibration when it is kept; counted live, the kept rows are looked for first.
PAGE_QUERIES = {"kept": 7, "live": 8}


@pytest.fixture(params=["live", "kept"])
def calibration_over(request):
    """A program's calibration rows over the last `days`: computed now (as of `now`), or
    counted and kept by the sponsor figures' job and read as the page reads them."""

    def over(program, days=90, *, now=None):
        if request.param == "live":
            return observer_calibration(program=program, since=calibration_since(days, now=now))
        assert refresh_program_figures(program_ids=[program.pk]) == 1
        page = calibration_page(program=program, days=days, offset=0, limit=10_000)
        kept = KeptCalibrationRow.objects.filter(program=program, days=days)
        assert page.as_of == kept.values_list("computed_at", flat=True).first()  # read kept
        assert page.found == kept.count() == len(page.rows)
        return page.rows

    return over


@pytest.fixture(params=["live", "kept"])
def counted(request):
    """How the page reads the calibration: "live", or "kept" by the job once `count` ran."""

    def count(program):
        if request.param == "kept":
            refresh_program_figures(program_ids=[program.pk])

    count.source = request.param
    return count


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


def test_each_observer_is_compared_with_the_others_on_the_same_learners(calibration_over):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2, "Fairer": 2}, learners=3)
    rows = {r["observer__last_name"]: r for r in calibration_over(program)}
    assert rows["Lenient"]["mean"] == 4
    assert rows["Lenient"]["others"] == 2
    assert rows["Lenient"]["gap"] == 2
    assert rows["Fair"]["others"] == 3  # mean of Lenient (4) and Fairer (2)
    assert rows["Fair"]["gap"] == -1
    assert rows["Fair"]["learners"] == 3


def test_an_observer_alone_on_their_learners_has_no_comparison(calibration_over):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Solo": 3}, learners=2)
    (row,) = calibration_over(program)
    assert (row["others"], row["gap"], row["shared"]) == (None, None, 0)


def test_the_calibration_page_flags_raters_and_is_for_designers_only(client, counted):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2}, learners=2)
    counted(program)
    url = reverse("design:calibration", args=[program.pk])
    client.force_login(program.owner)
    page = client.get(url).text
    assert "+2.0 lenient" in page
    assert "-2.0 harsh" in page
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("learners", [2, 30])
def test_calibration_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, learners, counted
):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"A": 3, "B": 2}, learners=learners)
    counted(program)
    client.force_login(program.owner)
    with django_assert_num_queries(PAGE_QUERIES[counted.source]):
        assert client.get(reverse("design:calibration", args=[program.pk])).status_code == 200


def _counted_by_hand(made):
    """From (objective, observer, learner, rating) of each observation, per objective and
    observer: observations, learners, observations someone else's also cover, the mean
    rating and the mean over those of the others' mean (None when nobody else rated)."""
    counted = {}
    for po, observer in {(po, observer) for po, observer, _l, _r in made}:
        mine = [(learner, r) for p, o, learner, r in made if (p, o) == (po, observer)]
        others = []
        for learner, _rating in mine:
            theirs = [r for p, o, l2, r in made if p == po and l2 == learner and o != observer]
            if theirs:
                others.append(statistics.mean(theirs))
        counted[(po, observer)] = (
            len(mine),
            len({learner for learner, _r in mine}),
            len(others),
            statistics.mean(r for _l, r in mine),
            statistics.mean(others) if others else None,
        )
    return counted


@pytest.mark.parametrize("seed", [2, 9])
def test_calibration_matches_a_hand_count_on_generated_ratings(seed, calibration_over):
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

    expected = {
        key: {
            "observations": count,
            "learners": learners,
            "mean": round(mean, 2),
            "shared": shared,
            "gap": None if others is None else round(mean - others, 2),
        }
        for key, (count, learners, shared, mean, others) in _counted_by_hand(made).items()
    }

    rows = calibration_over(program)
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


def test_observations_before_the_period_are_left_out(calibration_over):
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
    rows = {r["observer__last_name"]: r for r in calibration_over(program, 90, now=now)}
    assert (rows["Early"]["observations"], rows["Early"]["mean"], rows["Early"]["gap"]) == (1, 2, 0)
    every = {r["observer__last_name"]: r for r in observer_calibration(program=program)}
    assert (every["Early"]["observations"], every["Early"]["gap"]) == (2, 1)


@pytest.mark.parametrize("seed", [4, 11])
def test_calibration_over_a_period_matches_a_hand_count(seed, calibration_over):
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

    expected = _counted_by_hand(made)

    rows = calibration_over(program, 30, now=now)
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


def test_the_page_shows_the_period_chosen_a_page_at_a_time(client, monkeypatch, counted):
    monkeypatch.setattr("areas.design.views.calibration.PAGE_SIZE", 2)
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Middling": 3, "Fair": 2}, learners=2)
    counted(program)
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


def test_the_period_offered_first_is_the_one_the_table_shows(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)
    page = client.get(reverse("design:calibration", args=[program.pk])).text
    selected = re.findall(r'<option value="(\d+)"[^>]*selected', page)
    assert selected == [str(DEFAULT_PERIOD)]
    assert f"observations of the last {DEFAULT_PERIOD} days" in page


@pytest.mark.parametrize("observers", [2, 60])
def test_a_page_of_many_raters_runs_the_same_queries(
    client, django_assert_num_queries, observers, counted
):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {f"Rater {n}": 1 + n % 4 for n in range(observers)}, learners=2)
    counted(program)
    client.force_login(program.owner)
    url = reverse("design:calibration", args=[program.pk])
    with django_assert_num_queries(PAGE_QUERIES[counted.source]):
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


# Calibration kept by the sponsor figures' job, as the page reads it.


def _generated(seed, *, ratings=80):
    """A program with ratings spread over the last four months by several observers."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    objectives = [f.PerformanceObjectiveFactory(program=program) for _ in range(3)]
    enrolments = [f.EnrolmentFactory(program=program, pathway=pathway) for _ in range(6)]
    observers = [f.UserFactory() for _ in range(5)]
    now = timezone.now()
    for _ in range(ratings):
        f.ObservationFactory(
            enrolment=rng.choice(enrolments),
            observer=rng.choice(observers),
            performance_objective=rng.choice(objectives),
            rating=rng.randint(1, 4),
            observed_at=now - timedelta(days=rng.uniform(0, 120)),
        )
    return program


@pytest.mark.parametrize("days", [30, 90])
def test_kept_rows_are_the_live_rows_of_the_same_instant_in_the_same_order(days):
    program = _generated(seed=5)
    assert refresh_program_figures(program_ids=[program.pk]) == 1
    kept = calibration_page(program=program, days=days, offset=0, limit=1_000)
    live = calibration_rows(program=program, since=calibration_since(days, now=kept.as_of))
    assert kept.rows  # something to compare
    assert kept.rows == live.rows
    assert kept.found == live.found == len(live.rows)
    middle = calibration_page(program=program, days=days, offset=3, limit=4)
    assert middle.rows == live.rows[3:7]
    assert middle.found == live.found


def test_the_page_reads_live_once_kept_rows_are_older_than_the_limit(client, settings):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    _rated(program, po, {"Lenient": 4, "Fair": 2}, learners=2)
    refresh_program_figures(program_ids=[program.pk])
    counted_at = KeptCalibrationRow.objects.filter(program=program).first().computed_at
    # after the count: the kept rows do not know of this rater
    late = f.UserFactory(last_name="Late")
    f.ObservationFactory(
        enrolment=program.enrolments.first(), observer=late, performance_objective=po
    )
    url = reverse("design:calibration", args=[program.pk])
    client.force_login(program.owner)

    kept = client.get(url)
    assert "Late" not in {r["observer__last_name"] for r in kept.context["page"]}
    assert kept.context["page"].as_of == counted_at
    assert f"Ratings as of {timezone.localtime(counted_at):%-d %b %Y, %H:%M}" in kept.text

    KeptCalibrationRow.objects.filter(program=program).update(
        computed_at=timezone.now() - settings.PROGRAM_FIGURES_MAX_AGE - timedelta(seconds=1)
    )
    stale = client.get(url)
    assert "Late" in {r["observer__last_name"] for r in stale.context["page"]}
    assert timezone.now() - stale.context["page"].as_of < timedelta(seconds=5)


def test_a_program_without_ratings_in_the_period_reads_live_and_says_so(client):
    program = f.ProgramFactory()
    po = f.PerformanceObjectiveFactory(program=program)
    enrolment = f.EnrolmentFactory(program=program)
    f.ObservationFactory(
        enrolment=enrolment,
        performance_objective=po,
        observed_at=timezone.now() - timedelta(days=60),
    )
    refresh_program_figures(program_ids=[program.pk])
    assert KeptCalibrationRow.objects.filter(program=program, days=30).count() == 0
    assert KeptCalibrationRow.objects.filter(program=program, days=90).count() == 1
    client.force_login(program.owner)
    page = client.get(reverse("design:calibration", args=[program.pk]), {"days": 30}).text
    assert "No observations in the last 30 days." in page


def test_counting_again_keeps_one_set_of_rows_per_program_and_period():
    program = _generated(seed=8)
    other = _generated(seed=9, ratings=20)
    refresh_program_figures()
    first = {(r.days, r.rank) for r in KeptCalibrationRow.objects.filter(program=program)}
    others = KeptCalibrationRow.objects.filter(program=other).count()
    # a new rater on a new objective: one more row in each period
    po = f.PerformanceObjectiveFactory(program=program)
    f.ObservationFactory(enrolment=program.enrolments.first(), performance_objective=po)

    refresh_program_figures()
    again = KeptCalibrationRow.objects.filter(program=program)
    assert {row.computed_at for row in again} == {
        KeptCalibrationRow.objects.filter(program=other).first().computed_at
    }
    for days in (30, 90):
        live = calibration_rows(
            program=program, since=calibration_since(days, now=again.first().computed_at)
        )
        ranks = sorted(row.rank for row in again if row.days == days)
        assert ranks == list(range(live.found))  # one row at each rank, no leftovers
        assert {row.found for row in again if row.days == days} == {live.found}
        assert len(ranks) == 1 + len({rank for period, rank in first if period == days})
    assert KeptCalibrationRow.objects.filter(program=other).count() == others
