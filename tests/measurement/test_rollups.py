"""Sponsor review rollups, checked against figures computed here from generated data."""

import datetime as dt
import random
import statistics
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from coaching.models import FeedbackWindow
from measurement.models import Assessment, Measurement, SponsorReview
from measurement.rollups import last_full_week, program_snapshot, sponsor_review_rollup
from people.models import Notification
from programs.models import Enrolment, StepProgress
from tests import factories as f

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


def _generated_program(seed=7, learners=12):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    steps = [f.StepFactory(pathway=pathway, position=i + 1) for i in range(4)]
    competency = f.CompetencyFactory()
    levels = list(competency.scale.levels.order_by("rank"))
    po = f.PerformanceObjectiveFactory(program=program)
    for i in range(learners):
        status = rng.choice(["active", "active", "completed", "withdrawn", "paused"])
        enrolled = dt.date(2026, 3, 1) + timedelta(days=rng.randint(0, 60))
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            status=status,
            enrolled_on=enrolled,
            completed_on=enrolled + timedelta(days=200) if status == "completed" else None,
            competent_on=enrolled + timedelta(days=rng.randint(30, 150)) if i % 3 else None,
        )
        for step in steps:
            done = rng.random() < 0.5
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status="completed" if done else "not_started",
                started_at=timezone.now() if done else None,
                completed_at=timezone.now() if done else None,
            )
        base = rng.randint(0, 1)
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            kind="baseline",
            assessed_level=levels[base],
            assessed_on=dt.date(2026, 4, 1),
        )
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            kind="checkpoint",
            assessed_level=levels[base + rng.randint(0, 2)],
            assessed_on=dt.date(2026, 10, 1),
        )
        for _ in range(rng.randint(0, 3)):
            closes = dt.datetime.combine(START, dt.time(9), dt.UTC) + timedelta(
                days=rng.randint(-3, 9)
            )
            window = f.FeedbackWindowFactory(
                observation=f.ObservationFactory(enrolment=enrolment, performance_objective=po),
                opens_at=closes - timedelta(hours=24),
                closes_at=closes,
            )
            decided = rng.choice(["met", "missed", "open"])
            if decided != "open":
                FeedbackWindow.objects.filter(pk=window.pk).update(
                    status=decided, resolved_at=closes
                )
    metric = f.OutcomeMetricFactory(program=program, baseline=Decimal("70"), target=Decimal("80"))
    for day, value in [(1, "71"), (5, "74"), (12, "79")]:
        f.MeasurementFactory(
            metric=metric,
            value=Decimal(value),
            measured_at=dt.datetime(2026, 11, day, 12, tzinfo=dt.UTC),
        )
    return program, competency


def test_the_snapshot_matches_figures_computed_independently():
    program, competency = _generated_program()
    snapshot = program_snapshot(program=program, period_start=START, period_end=END)

    enrolments = list(Enrolment.objects.filter(program=program))
    for status in ("active", "completed", "withdrawn", "paused"):
        assert snapshot["enrolments"][status] == sum(e.status == status for e in enrolments)

    counted = [p for p in StepProgress.objects.all() if p.enrolment.status != "withdrawn"]
    done = sum(p.status == "completed" for p in counted)
    assert snapshot["pathway_completion"]["steps_completed"] == done
    assert snapshot["pathway_completion"]["share"] == round(done / len(counted), 4)

    days = [(e.competent_on - e.enrolled_on).days for e in enrolments if e.competent_on]
    assert snapshot["median_days_to_competency"] == statistics.median(days)
    assert snapshot["competency_reached"] == len(days)

    inside = [w for w in FeedbackWindow.objects.all() if START <= w.closes_at.date() < END]
    met = sum(w.status == "met" for w in inside)
    missed = sum(w.status == "missed" for w in inside)
    assert snapshot["feedback_window_compliance"] == {
        "met": met,
        "missed": missed,
        "share": round(met / (met + missed), 4),
    }

    pairs = {}
    for a in Assessment.objects.order_by("assessed_on"):
        pairs.setdefault(a.enrolment_id, []).append(a.assessed_level.rank)
    baseline = statistics.mean(ranks[0] for ranks in pairs.values())
    latest = statistics.mean(ranks[-1] for ranks in pairs.values())
    change = snapshot["proficiency_change"][competency.code]
    assert change["learners"] == len(pairs)
    assert change["baseline"] == round(baseline, 2)
    assert change["latest"] == round(latest, 2)
    assert change["change"] == round(latest - baseline, 2)

    (metric,) = snapshot["outcome_metrics"]
    assert metric["latest"] == 74.0  # the value on the 12th is after the period
    assert metric["progress_to_target"] == 0.4


def test_an_empty_program_and_a_period_with_no_data_say_so_rather_than_invent():
    program = f.ProgramFactory()
    snapshot = program_snapshot(program=program, period_start=START, period_end=END)
    assert set(snapshot["enrolments"].values()) == {0}
    assert snapshot["pathway_completion"] == {"steps_completed": 0, "steps_total": 0, "share": None}
    assert snapshot["median_days_to_competency"] is None
    assert snapshot["feedback_window_compliance"]["share"] is None
    assert snapshot["proficiency_change"] == {}
    assert snapshot["outcome_metrics"] == []
    assert snapshot["assignments"] == {"completed": 0, "presented": 0}


@pytest.mark.parametrize("size", [2, 40])
def test_the_rollup_runs_the_same_queries_at_any_size(django_assert_num_queries, size):
    program, _ = _generated_program(learners=size)
    with django_assert_num_queries(9):
        program_snapshot(program=program, period_start=START, period_end=END)


def test_rerunning_a_period_updates_the_same_review_and_tells_sponsors_once():
    program, _ = _generated_program(learners=3)
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    first = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    Enrolment.objects.filter(program=program).update(status="active")
    again = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert first.pk == again.pk
    assert SponsorReview.objects.count() == 1
    assert again.snapshot["enrolments"]["active"] == 3
    notice = Notification.objects.get(kind="review_ready", recipient=sponsor)
    # The link opens the review in the sponsor's area, which the sponsor may open.
    assert notice.url == f"/sponsor/reviews/{first.pk}/"


def test_a_reviewed_review_keeps_the_figures_sponsors_decided_on():
    program, _ = _generated_program(learners=3)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    SponsorReview.objects.filter(pk=review.pk).update(
        status="reviewed", reviewed_at=timezone.now(), reviewed_by=f.UserFactory()
    )
    before = SponsorReview.objects.get().snapshot
    Enrolment.objects.filter(program=program).update(status="withdrawn")
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert SponsorReview.objects.get().snapshot == before


def test_the_command_rolls_up_on_demand_and_refuses_bad_periods(capsys):
    program, _ = _generated_program(learners=2)
    call_command(
        "roll_up_reviews", "--program", program.slug, "--start", "2026-11-02", "--end", "2026-11-09"
    )
    assert SponsorReview.objects.filter(program=program, period_start=START).exists()
    with pytest.raises(CommandError, match="--end must come after --start"):
        call_command("roll_up_reviews", "--start", "2026-11-09", "--end", "2026-11-02")
    with pytest.raises(CommandError, match="No program with the slug"):
        call_command("roll_up_reviews", "--program", "nope")


def test_last_full_week_runs_monday_to_monday():
    assert last_full_week(dt.date(2026, 11, 11)) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))
    assert last_full_week(dt.date(2026, 11, 9)) == (dt.date(2026, 11, 2), dt.date(2026, 11, 9))


def test_measurements_of_one_learner_do_not_count_as_the_programs_value():
    program = f.ProgramFactory()
    metric = f.OutcomeMetricFactory(program=program)
    enrolment = f.EnrolmentFactory(program=program)
    Measurement.objects.create(
        metric=metric,
        enrolment=enrolment,
        value=Decimal("99"),
        measured_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
    )
    snapshot = program_snapshot(program=program, period_start=START, period_end=END)
    assert snapshot["outcome_metrics"][0]["latest"] is None


def test_an_admin_rolls_up_a_review_again_from_the_admin(admin_client):
    from django.urls import reverse

    program, _ = _generated_program(learners=2)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    Enrolment.objects.filter(program=program).update(status="paused")
    response = admin_client.post(
        reverse("admin:measurement_sponsorreview_changelist"),
        {"action": "refresh_figures", "_selected_action": [review.pk]},
        follow=True,
    )
    assert "Figures rolled up again" in response.text
    review.refresh_from_db()
    assert review.snapshot["enrolments"]["paused"] == 2
