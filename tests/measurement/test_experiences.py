"""Which experiences go with better results, checked against figures computed here."""

import datetime as dt
import math
import random
import statistics
from decimal import Decimal

import pytest

from measurement.experiences import experience_effects
from measurement.models import Measurement
from tests import factories as f

pytestmark = pytest.mark.django_db


def _program(learners, seed=3):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    role_play = f.StepFactory(pathway=pathway, position=1, kind="role_play")
    f.StepFactory(pathway=pathway, position=2, kind="reflection")
    metric = f.OutcomeMetricFactory(program=program)
    changes = {True: [], False: []}
    for _ in range(learners):
        enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
        did = rng.random() < 0.5
        f.StepProgressFactory(
            enrolment=enrolment,
            step=role_play,
            status="completed" if did else "not_started",
            started_at=enrolment.created_at if did else None,
            completed_at=enrolment.created_at if did else None,
        )
        first, last = rng.randint(60, 70), rng.randint(60, 80) + (5 if did else 0)
        for month, value in ((1, first), (3, last)):
            Measurement.objects.create(
                metric=metric,
                enrolment=enrolment,
                value=Decimal(value),
                measured_at=dt.datetime(2026, month, 1, tzinfo=dt.UTC),
            )
        changes[did].append(last - first)
    return program, changes


def test_completers_and_others_are_compared_with_sizes_and_effect_size():
    program, changes = _program(learners=30)
    row = next(r for r in experience_effects(program=program) if r["kind"] == "Practice: role-play")
    done, others = changes[True], changes[False]
    assert (row["completed_n"], row["others_n"]) == (len(done), len(others))
    assert row["completed_change"] == round(statistics.mean(done), 2)
    assert row["others_change"] == round(statistics.mean(others), 2)
    pooled = math.sqrt(
        (len(done) * statistics.pvariance(done) + len(others) * statistics.pvariance(others))
        / (len(done) + len(others))
    )
    expected = round((statistics.mean(done) - statistics.mean(others)) / pooled, 2)
    assert row["effect_size"] == pytest.approx(expected, abs=0.01)


def test_groups_below_the_privacy_threshold_are_suppressed():
    program, _ = _program(learners=6)
    for row in experience_effects(program=program):
        if min(row["completed_n"], row["others_n"]) < 5:
            assert row["suppressed"]
            assert row["completed_change"] is None
            assert row["effect_size"] is None


def test_a_program_without_steps_or_values_reports_nothing_to_compare():
    program = f.ProgramFactory()
    f.OutcomeMetricFactory(program=program)
    assert experience_effects(program=program) == []
