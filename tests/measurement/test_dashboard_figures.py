"""The sponsor dashboard's figures, checked against values computed here in plain Python
from generated data (never from the aggregates under test)."""

import datetime as dt
import math
import random
import statistics
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from measurement.dashboard import (
    competency_time_distribution,
    completion_funnel,
    knows_and_does,
    program_dashboard,
)
from measurement.experiences import effects_from_numbers, experience_effects
from measurement.models import Measurement, OutcomeMetric, ProgramFigures
from measurement.privacy import MIN_GROUP
from measurement.refresh import refresh_program_figures
from measurement.selectors import metric_series
from programs.models import Assignment, Program, Step, StepProgress
from tests import factories as f

pytestmark = pytest.mark.django_db

# Two steps share a kind: completing either counts as completing the kind.
STEPS = [
    ("baseline_assessment", "Where you start"),
    ("role_play", "Hard conversation"),
    ("case_study", "The lost account"),
    ("role_play", "Second conversation"),
    ("on_the_job", "Run the review"),
    ("reflection", "What changed"),
]
SCENARIOS = ["customer_escalation", "project_tradeoff", "stakeholder_communication"]
DONE = {"submitted", "completed"}
BUCKETS = [
    ("≤ 30 days", 0, 30),
    ("≤ 60 days", 31, 60),
    ("≤ 90 days", 61, 90),
    ("≤ 180 days", 91, 180),
    ("> 180 days", 181, math.inf),
]
# Competencies each performance objective derives from (through its learning objectives).
# "fb" derives from two learning objectives of FB: its observations must count once for FB.
OBJECTIVES = {"fb": ["fb1", "fb2"], "both": ["fb1", "cm"], "cm": ["cm"], "ob": ["ob"], "none": []}
LEARNING = {"fb1": "FB", "fb2": "FB", "cm": "CM", "ob": "OB"}
COMPETENCIES = {"CM": "Communication", "FB": "Feedback", "OB": "Observing", "XX": "Rarely seen"}
T0 = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def _generate(*, seed, learners, withdrawn_share=0.25):
    """A program with `learners` enrolments and the records behind every dashboard figure.

    Returns the program and, per learner, what was generated, so the expected figures can be
    computed without asking the database. The first three learners are never withdrawn: they
    are the only ones assessed on XX; the first two alone completed an "other" assignment.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    steps = [
        f.StepFactory(pathway=pathway, position=position, kind=kind, title=title)
        for position, (kind, title) in enumerate(STEPS, start=1)
    ]
    metrics = {
        "CSAT": f.OutcomeMetricFactory(program=program, name="CSAT"),
        "Cycle time": f.OutcomeMetricFactory(
            program=program,
            name="Cycle time",
            direction="decrease",
            baseline=Decimal(10),
            target=Decimal(5),
        ),
    }
    # a program-level value is no learner's change
    f.MeasurementFactory(metric=metrics["CSAT"], value=Decimal(99), measured_at=T0)
    competencies = {
        code: f.CompetencyFactory(code=code, name=name) for code, name in COMPETENCIES.items()
    }
    levels = {
        code: {level.rank: level for level in competency.scale.levels.all()}
        for code, competency in competencies.items()
    }
    learning = {
        key: f.LearningObjectiveFactory(program=program, competency=competencies[code])
        for key, code in LEARNING.items()
    }
    objectives = {}
    for key, derived_from in OBJECTIVES.items():
        objectives[key] = f.PerformanceObjectiveFactory(program=program)
        objectives[key].learning_objectives.set([learning[k] for k in derived_from])

    people, sequence = [], 0
    for i in range(learners):
        withdrawn = i >= 3 and rng.random() < withdrawn_share
        status = "withdrawn" if withdrawn else rng.choice(["active", "paused", "completed"])
        enrolled_on = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 200))
        days = None
        if rng.random() < 0.8:  # boundaries of the buckets come up often
            days = rng.choice([0, 30, 31, 60, 61, 90, 91, 180, 181, 300, rng.randint(0, 300)])
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            status=status,
            enrolled_on=enrolled_on,
            completed_on=enrolled_on + dt.timedelta(days=320) if status == "completed" else None,
            competent_on=None if days is None else enrolled_on + dt.timedelta(days=days),
        )
        person = SimpleNamespace(
            withdrawn=withdrawn,
            days=days,
            progress={},
            assignments=[],
            values=defaultdict(list),
            assessments=[],
            observations=[],
        )
        for step in steps:
            progress = rng.choice(StepProgress.Status.values)
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status=progress,
                started_at=T0 if progress in ("in_progress", "completed") else None,
                completed_at=T0 if progress == "completed" else None,
            )
            person.progress[step.position] = progress
        scenarios = [
            (rng.choice(SCENARIOS), rng.choice(Assignment.Status.values)) for _ in range(3)
        ]
        scenarios = scenarios[: rng.randint(0, 3)] + ([("other", "completed")] if i < 2 else [])
        for scenario, state in scenarios:
            f.AssignmentFactory(
                enrolment=enrolment,
                scenario_kind=scenario,
                status=state,
                submitted_at=T0 if state in DONE else None,
            )
        person.assignments = scenarios
        # Cycle time is measured for four learners at most: every comparison on it is hidden.
        counts = {
            "CSAT": rng.choice([0, 1, 2, 2, 3, 4]),
            "Cycle time": rng.choice([0, 2]) * (i < 4),
        }
        for name, count in counts.items():
            days_in = rng.sample(range(0, 300), count)
            rng.shuffle(days_in)  # created out of time order: first and last go by time
            for day in days_in:
                value = rng.randint(40, 95)
                Measurement.objects.create(
                    metric=metrics[name],
                    enrolment=enrolment,
                    value=Decimal(value),
                    measured_at=T0 + dt.timedelta(days=day),
                )
                person.values[name].append((day, value))
        for code in ["FB", "CM"] + (["XX"] if i < 3 else []):
            planned = []
            if rng.random() < 0.85:
                planned.append(("baseline", 0, rng.randint(1, 2)))
            for _ in range(rng.randint(0, 2) if code != "XX" else 0):
                # a checkpoint on the baseline's day is the later assessment of that day
                planned.append(("checkpoint", rng.choice([0, 60, 120]), rng.randint(1, 4)))
            if rng.random() < 0.3:
                planned.append(("self", 200, 4))  # a self-assessment is not the learning level
            for kind, day, rank in planned:
                f.AssessmentFactory(
                    enrolment=enrolment,
                    competency=competencies[code],
                    kind=kind,
                    assessed_level=levels[code][rank],
                    assessor=enrolment.learner if kind == "self" else enrolment.supervisor,
                    assessed_on=enrolled_on + dt.timedelta(days=day),
                )
                sequence += 1
                person.assessments.append((code, kind, day, sequence, rank))
        for _ in range(rng.randint(0, 4)):
            key, rating = rng.choice(list(OBJECTIVES)), rng.randint(1, 4)
            f.ObservationFactory(
                enrolment=enrolment, performance_objective=objectives[key], rating=rating
            )
            person.observations.append((key, rating))
        people.append(person)

    _other_program(competencies["FB"])
    return program, SimpleNamespace(steps=steps, people=people)


def _other_program(competency):
    """Another program's learner, on a shared competency: none of it is ours to count."""
    enrolment = f.EnrolmentFactory(competent_on=dt.date(2026, 1, 6))
    step = f.StepFactory(pathway=enrolment.pathway, position=1, kind="coaching")
    f.StepProgressFactory(
        enrolment=enrolment, step=step, status="completed", started_at=T0, completed_at=T0
    )
    f.AssignmentFactory(
        enrolment=enrolment, scenario_kind="cross_functional", status="completed", submitted_at=T0
    )
    f.AssessmentFactory(
        enrolment=enrolment, competency=competency, assessed_level=competency.scale.levels.last()
    )
    objective = f.PerformanceObjectiveFactory(program=enrolment.program)
    objective.learning_objectives.add(
        f.LearningObjectiveFactory(program=enrolment.program, competency=competency)
    )
    f.ObservationFactory(enrolment=enrolment, performance_objective=objective, rating=4)


# What the figures should be, from the generated records alone.


def _current(data):
    return [person for person in data.people if not person.withdrawn]


def _expected_funnel(data):
    current = _current(data)
    if not current:
        return []
    return [
        {
            "step__position": step.position,
            "learners": len(current),
            "completed": sum(p.progress[step.position] == "completed" for p in current),
            "title": step.title,
        }
        for step in data.steps
    ]


def _expected_time_to_competency(data):
    # Withdrawn learners who reached competency count, as in the review's median.
    days = [person.days for person in data.people if person.days is not None]
    return [
        {"label": label, "learners": sum(low <= d <= high for d in days)}
        for label, low, high in BUCKETS
    ]


def _shown(values, learners):
    """The mean, rounded as shown, or None when too few learners stand behind it."""
    return round(statistics.mean(values), 2) if learners >= MIN_GROUP else None


def _expected_knows_and_does(data):
    levels, ratings, observed = defaultdict(list), defaultdict(list), defaultdict(set)
    for index, person in enumerate(_current(data)):
        latest = {}  # by day, then by the order recorded: the last one written wins
        for code, kind, _day, _sequence, rank in sorted(person.assessments, key=lambda a: a[2:4]):
            if kind != "self":
                latest[code] = rank
        for code, rank in latest.items():
            levels[code].append(rank)
        for key, rating in person.observations:
            for code in {LEARNING[k] for k in OBJECTIVES[key]}:
                ratings[code].append(rating)
                observed[code].add(index)
    rows = []
    for code in sorted(set(levels) | set(ratings)):
        assessed_n, observed_n = len(levels[code]), len(observed[code])
        rows.append(
            {
                "code": code,
                "name": COMPETENCIES[code],
                "assessed_learners": assessed_n,
                "level": _shown(levels[code], assessed_n),
                "observed_learners": observed_n,
                "rating": _shown(ratings[code], observed_n),
                "suppressed": any(0 < n < MIN_GROUP for n in (assessed_n, observed_n)),
            }
        )
    return rows


def _change(values):
    if not values:
        return None
    ordered = [value for _day, value in sorted(values)]
    return ordered[-1] - ordered[0]


def _cohens_d(done, others):
    """Mean difference over the pooled population standard deviation, unrounded."""
    if min(len(done), len(others)) < 2:
        return None
    pooled = math.sqrt(
        (len(done) * statistics.pvariance(done) + len(others) * statistics.pvariance(others))
        / (len(done) + len(others))
    )
    return None if pooled == 0 else (statistics.mean(done) - statistics.mean(others)) / pooled


def _expected_effects(data):
    """Rows as experience_effects returns them, with the effect size left unrounded."""
    kinds = sorted({kind for kind, _title in STEPS})
    scenarios = sorted({s for person in data.people for s, _state in person.assignments})
    experiences = [
        ("Step kind", Step.Kind(kind).label, lambda p, kind=kind: _did_kind(p, data, kind))
        for kind in kinds
    ] + [
        (
            "Assignment scenario",
            Assignment.ScenarioKind(scenario).label,
            lambda p, scenario=scenario: any(
                s == scenario and state in DONE for s, state in p.assignments
            ),
        )
        for scenario in scenarios
    ]
    rows = []
    for metric in ["CSAT", "Cycle time"]:
        changes = [(p, _change(p.values[metric])) for p in _current(data)]
        changes = [(p, change) for p, change in changes if change is not None]
        if not changes:
            continue  # nobody's own change on this metric: nothing to compare
        for experience_type, label, did in experiences:
            done = [change for p, change in changes if did(p)]
            others = [change for p, change in changes if not did(p)]
            hidden = min(len(done), len(others)) < MIN_GROUP
            rows.append(
                {
                    "metric": metric,
                    "experience_type": experience_type,
                    "kind": label,
                    "completed_n": len(done),
                    "others_n": len(others),
                    "suppressed": hidden,
                    "completed_change": None if hidden else round(statistics.mean(done), 2),
                    "others_change": None if hidden else round(statistics.mean(others), 2),
                    "effect_size": None if hidden else _cohens_d(done, others),
                }
            )
    return rows


def _did_kind(person, data, kind):
    return any(
        person.progress[step.position] == "completed" for step in data.steps if step.kind == kind
    )


def _plain(rows):
    """Rows with lazy labels and metric objects turned into what they read as."""
    return [
        {
            **row,
            "metric": row["metric"].name,
            "experience_type": str(row["experience_type"]),
            "kind": str(row["kind"]),
        }
        for row in rows
    ]


def _assert_effects_match(actual, expected):
    actual = _plain(actual)
    assert [{**row, "effect_size": None} for row in actual] == [
        {**row, "effect_size": None} for row in expected
    ]
    for got, want in zip(actual, expected, strict=True):
        if want["effect_size"] is None:
            assert got["effect_size"] is None, got
        else:  # rounded to two places from a mean of squares: within half a hundredth
            assert abs(got["effect_size"] - want["effect_size"]) <= 0.005 + 1e-9, (got, want)


# Generated programs.


def test_the_funnel_counts_current_learners_and_completions_at_each_step():
    program, data = _generate(seed=11, learners=24)
    assert any(person.withdrawn for person in data.people)
    assert completion_funnel(program=program) == _expected_funnel(data)


def test_time_to_competency_puts_each_learner_in_the_bucket_of_the_days_they_took():
    program, data = _generate(seed=12, learners=26)
    assert {0, 30, 31, 60, 61, 90, 91, 180, 181} & {p.days for p in data.people}
    expected = _expected_time_to_competency(data)
    assert competency_time_distribution(program=program) == expected
    assert sum(row["learners"] for row in expected) == sum(p.days is not None for p in data.people)


@pytest.mark.parametrize("learners", [2, 50])
def test_the_funnel_and_time_to_competency_are_one_query_each_at_any_size(
    django_assert_num_queries, learners
):
    program, _data = _generate(seed=learners, learners=learners)
    with django_assert_num_queries(1):
        completion_funnel(program=program)
    with django_assert_num_queries(1):
        competency_time_distribution(program=program)


def test_knows_and_does_sets_each_learners_latest_level_beside_every_rating_counted_once():
    program, data = _generate(seed=13, learners=28)
    expected = _expected_knows_and_does(data)
    by_code = {row["code"]: row for row in expected}
    # the generated data holds every case: both sides shown, a side too small, one side only
    assert None not in (by_code["FB"]["level"], by_code["FB"]["rating"])
    assert (by_code["XX"]["suppressed"], by_code["XX"]["level"]) == (True, None)
    assert (by_code["OB"]["assessed_learners"], by_code["OB"]["suppressed"]) == (0, False)
    assert knows_and_does(program=program) == expected


def test_experience_effects_compare_step_kinds_and_scenarios_as_computed_by_hand():
    program, data = _generate(seed=14, learners=30)
    expected = _expected_effects(data)
    # shown and hidden comparisons of both types, and an effect size, are all generated
    for experience_type in ("Step kind", "Assignment scenario"):
        rows = [row for row in expected if row["experience_type"] == experience_type]
        assert any(row["suppressed"] for row in rows)
        assert any(row["effect_size"] is not None for row in rows)
    _assert_effects_match(experience_effects(program=program), expected)


# Figures kept by the job, as the sponsor pages read them.


def test_kept_figures_are_the_figures_counted_by_hand():
    program, data = _generate(seed=17, learners=30)
    assert refresh_program_figures(program_ids=[program.pk]) == 1
    kept = ProgramFigures.objects.get(program=program)
    assert kept.dashboard["funnel"] == _expected_funnel(data)
    assert kept.dashboard["time_to_competency"] == _expected_time_to_competency(data)
    assert kept.dashboard["knows_and_does"] == _expected_knows_and_does(data)

    metrics = OutcomeMetric.objects.in_bulk()
    _assert_effects_match(
        effects_from_numbers(kept.dashboard["experiences"], metrics), _expected_effects(data)
    )
    dashboard = program_dashboard(program=program)
    assert dashboard["figures_at"] == kept.computed_at  # read from what was kept
    assert dashboard["learners"] == len(_current(data))
    kept.delete()
    live = program_dashboard(program=program)
    for section in ("learners", "funnel", "time_to_competency", "knows_and_does", "experiences"):
        assert live[section] == dashboard[section], section


def test_the_dashboard_counts_live_once_kept_figures_are_older_than_the_limit(settings):
    program, data = _generate(seed=18, learners=12)
    refresh_program_figures(program_ids=[program.pk])
    # after the count: the kept figures do not know of this learner
    f.EnrolmentFactory(program=program, pathway=data.steps[0].pathway)

    assert program_dashboard(program=program)["learners"] == len(_current(data))
    ProgramFigures.objects.filter(program=program).update(
        computed_at=timezone.now() - settings.PROGRAM_FIGURES_MAX_AGE - dt.timedelta(seconds=1)
    )
    stale = program_dashboard(program=program)
    assert stale["learners"] == len(_current(data)) + 1
    assert timezone.now() - stale["figures_at"] < dt.timedelta(seconds=5)


def test_counting_again_replaces_a_programs_figures_and_skips_none():
    program, data = _generate(seed=19, learners=6)
    other = f.ProgramFactory()
    programs = Program.objects.count()
    assert refresh_program_figures() == programs
    first = ProgramFigures.objects.get(program=program).computed_at
    f.EnrolmentFactory(program=program, pathway=data.steps[0].pathway)
    assert refresh_program_figures() == programs
    again = ProgramFigures.objects.get(program=program)
    assert ProgramFigures.objects.count() == programs
    assert again.computed_at >= first
    assert again.dashboard["learners"] == len(_current(data)) + 1
    assert ProgramFigures.objects.get(program=other).dashboard["learners"] == 0


# Programs too small to show anything.


def test_a_program_without_learners_returns_no_figures():
    program, data = _generate(seed=15, learners=0)
    assert completion_funnel(program=program) == []
    assert competency_time_distribution(program=program) == [
        {"label": label, "learners": 0} for label, _low, _high in BUCKETS
    ]
    assert knows_and_does(program=program) == []
    assert experience_effects(program=program) == []  # nobody's change to compare
    assert program_dashboard(program=program)["suppressed"]


def test_a_program_of_three_learners_returns_nothing_computed_from_so_few():
    program, data = _generate(seed=16, learners=3)
    # Counts are correct, and the dashboard hides them all behind its program-wide flag.
    assert program_dashboard(program=program)["suppressed"]
    assert completion_funnel(program=program) == _expected_funnel(data)
    assert competency_time_distribution(program=program) == _expected_time_to_competency(data)
    rows = knows_and_does(program=program)
    assert rows == _expected_knows_and_does(data)
    assert rows
    for row in rows:
        assert (row["suppressed"], row["level"], row["rating"]) == (True, None, None)
    effects = experience_effects(program=program)
    _assert_effects_match(effects, _expected_effects(data))
    assert any(row["experience_type"] == "Assignment scenario" for row in effects)
    for row in effects:
        assert row["suppressed"]
        assert row["completed_change"] is row["others_change"] is row["effect_size"] is None


# The outcome metric chart and its table.


@pytest.mark.parametrize("aggregation", ["mean", "sum", "latest"])
def test_each_month_of_a_metric_combines_its_program_values_as_the_metric_says(aggregation):
    rng = random.Random(len(aggregation))  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    metric = f.OutcomeMetricFactory(program=program, aggregation=aggregation)
    enrolment = f.EnrolmentFactory(program=program)
    by_month = defaultdict(list)  # (year, month) -> [(moment, value)]
    for _ in range(40):
        moment = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randint(0, 700), hours=rng.randint(0, 23)
        )
        value = Decimal(rng.randint(0, 10_000)) / 100
        f.MeasurementFactory(metric=metric, value=value, measured_at=moment)
        by_month[(moment.year, moment.month)].append((moment, value))
        # a learner's own value is never part of the program's line
        f.MeasurementFactory(metric=metric, enrolment=enrolment, value=999, measured_at=moment)

    def combine(points):
        values = [value for _moment, value in points]
        if aggregation == "mean":
            return float(statistics.mean(values))
        if aggregation == "sum":
            return float(sum(values))
        return float(max(points)[1])

    expected = [
        (dt.date(year, month, 1).strftime("%b %Y"), combine(points))
        for (year, month), points in sorted(by_month.items())
    ]
    (item,) = metric_series(program=program)
    assert [label for label, _value in item["series"]] == [label for label, _ in expected]
    for (_label, value), (_same, want) in zip(item["series"], expected, strict=True):
        assert value == pytest.approx(want, abs=1e-6)
