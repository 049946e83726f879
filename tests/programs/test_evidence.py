"""Evidence-gated steps: "3 observations rated meets or better, from 2 observers, in 60 days"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from programs.evidence import step_gate_evaluate
from programs.models import Rating, Step
from tests.factories import (
    EnrolmentFactory,
    ObservationFactory,
    PerformanceObjectiveFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MISSING_OBSERVATIONS = (
    "3 more observations rated meets or better in the last 60 days (0 of 3 so far)."
)
MISSING_OBSERVERS = "Evidence from 2 more observers (0 of 2 so far)."


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def objective(enrolment):
    return PerformanceObjectiveFactory(program=enrolment.program)


@pytest.fixture
def gated_step(enrolment, objective):
    step = StepFactory(
        pathway=enrolment.pathway,
        kind=Step.Kind.ON_THE_JOB,
        gate_min_observations=3,
        gate_min_rating=Rating.MEETS,
        gate_min_observers=2,
        gate_within_days=60,
    )
    step.performance_objectives.add(objective)
    return step


def observe(enrolment, objective, *, observer, now, days_ago=1, rating=Rating.MEETS):
    return ObservationFactory(
        enrolment=enrolment,
        performance_objective=objective,
        observer=observer,
        rating=rating,
        observed_at=now - timedelta(days=days_ago),
    )


def test_a_step_without_an_evidence_rule_is_met_without_evidence(enrolment):
    step = StepFactory(pathway=enrolment.pathway)

    result = step_gate_evaluate(enrolment=enrolment, step=step)

    assert result.gated is False
    assert result.met is True
    assert result.missing == []


def test_with_no_evidence_the_gate_says_how_many_observations_and_observers_are_missing(
    enrolment, gated_step, now
):
    result = step_gate_evaluate(enrolment=enrolment, step=gated_step, now=now)

    assert result.gated is True
    assert result.met is False
    assert (result.observations, result.observers) == (0, 0)
    assert result.missing == [MISSING_OBSERVATIONS, MISSING_OBSERVERS]


def test_three_good_observations_from_one_observer_miss_only_the_second_observer(
    enrolment, objective, gated_step, now
):
    observer = UserFactory()
    for days_ago in (1, 10, 30):
        observe(enrolment, objective, observer=observer, now=now, days_ago=days_ago)

    result = step_gate_evaluate(enrolment=enrolment, step=gated_step, now=now)

    assert result.met is False
    assert (result.observations, result.observers) == (3, 1)
    assert result.missing == ["Evidence from 1 more observer (1 of 2 so far)."]


@pytest.mark.parametrize(
    "weak",
    ["rated_below_minimum", "older_than_the_span", "against_another_objective", "in_the_future"],
)
def test_observations_outside_the_rule_do_not_count(enrolment, objective, gated_step, now, weak):
    first, second = UserFactory(), UserFactory()
    observe(enrolment, objective, observer=first, now=now)
    observe(enrolment, objective, observer=second, now=now)
    if weak == "rated_below_minimum":
        observe(enrolment, objective, observer=second, now=now, rating=Rating.APPROACHING)
    elif weak == "older_than_the_span":
        observe(enrolment, objective, observer=second, now=now, days_ago=61)
    elif weak == "against_another_objective":
        other = PerformanceObjectiveFactory(program=enrolment.program)
        observe(enrolment, other, observer=second, now=now)
    else:
        observe(enrolment, objective, observer=second, now=now + timedelta(days=2), days_ago=1)

    result = step_gate_evaluate(enrolment=enrolment, step=gated_step, now=now)

    assert result.met is False
    assert (result.observations, result.observers) == (2, 2)
    assert result.missing == [
        "1 more observation rated meets or better in the last 60 days (2 of 3 so far)."
    ]


def test_observations_of_another_enrolment_do_not_count(enrolment, objective, gated_step, now):
    someone_else = EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    for _ in range(3):
        observe(someone_else, objective, observer=UserFactory(), now=now)

    result = step_gate_evaluate(enrolment=enrolment, step=gated_step, now=now)

    assert result.missing == [MISSING_OBSERVATIONS, MISSING_OBSERVERS]


def test_the_gate_is_met_by_enough_good_recent_observations_from_enough_observers(
    enrolment, objective, gated_step, now
):
    first, second = UserFactory(), UserFactory()
    observe(enrolment, objective, observer=first, now=now, days_ago=59)
    observe(enrolment, objective, observer=first, now=now, rating=Rating.EXCEEDS)
    observe(enrolment, objective, observer=second, now=now)

    result = step_gate_evaluate(enrolment=enrolment, step=gated_step, now=now)

    assert result.gated is True
    assert result.met is True
    assert (result.observations, result.observers) == (3, 2)
    assert result.missing == []


def test_a_gated_step_with_no_performance_objective_says_there_is_nothing_to_observe(enrolment):
    step = StepFactory(
        pathway=enrolment.pathway,
        gate_min_observations=3,
        gate_min_rating=Rating.MEETS,
        gate_min_observers=2,
        gate_within_days=60,
    )

    result = step_gate_evaluate(enrolment=enrolment, step=step)

    assert result.gated is True
    assert result.met is False
    assert result.missing == [
        "This step names no performance objective to gather evidence against."
    ]


@pytest.mark.parametrize("count", [2, 50])
def test_evaluating_a_gate_runs_two_queries_however_much_evidence_there_is(
    enrolment, objective, gated_step, now, count, django_assert_num_queries
):
    observers = [UserFactory(), UserFactory()]
    for n in range(count):
        observe(enrolment, objective, observer=observers[n % 2], now=now, days_ago=n % 50 + 1)
    step = Step.objects.get(pk=gated_step.pk)

    # the step's objectives, then one aggregate over the observations
    with django_assert_num_queries(2):
        result = step_gate_evaluate(enrolment=enrolment, step=step, now=now)

    assert (result.observations, result.observers) == (count, 2)
