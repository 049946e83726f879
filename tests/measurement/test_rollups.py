"""Sponsor review rollups, checked against figures tallied here as generated data is made:
learners and steps as they stood at the period's end, inside its UTC bounds."""

import datetime as dt
import random
import statistics
import zoneinfo
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from coaching.models import FeedbackWindow
from measurement.dashboard import competency_time_distribution, completion_funnel
from measurement.models import Assessment, Measurement, SponsorReview
from measurement.overview import sponsor_overview
from measurement.rollups import (
    last_full_week,
    program_snapshot,
    sponsor_review_rollup,
    sponsor_reviews_roll_up,
    utc_today,
)
from people.models import Notification
from programs.models import Assignment, Step
from programs.services import enrolment_create, enrolment_update, step_sign_off
from tests import factories as f

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 9)
# The period's bounds: from its first day's start to its end day's start, in UTC.
START_AT = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
END_AT = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
JUST_BEFORE = END_AT - timedelta(microseconds=1)


def _around_end(rng):
    """A moment from four weeks before the period's end to a week after it; the instants
    either side of the end come up often."""
    return rng.choice(
        [
            JUST_BEFORE,
            END_AT,
            END_AT - timedelta(minutes=rng.randint(1, 28 * 24 * 60)),
            END_AT + timedelta(minutes=rng.randint(1, 7 * 24 * 60)),
        ]
    )


def _generated_program(seed=7, learners=12):
    """A program whose learners pause, withdraw, complete steps and the pathway and reach
    competency before and after the period's end. Returns the program, its competency and
    what each learner's state was at the end, tallied here as the records are made."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    steps = [f.StepFactory(pathway=pathway, position=i + 1, skippable=True) for i in range(4)]
    competency = f.CompetencyFactory()
    levels = list(competency.scale.levels.order_by("rank"))
    po = f.PerformanceObjectiveFactory(program=program)
    people = []
    for i in range(learners):
        fate = rng.choice(["active", "active", "completed", "withdrawn", "paused"])
        enrolled = START - timedelta(days=rng.randint(1, 240))
        completed_on = _around_end(rng).date() if fate == "completed" else None
        # every third learner reached competency well before the end; others around it
        competent_on = _around_end(rng).date() if i % 3 else START - timedelta(days=1)
        if i == learners - 1:  # starts on the end day: not yet a learner in this period
            fate, enrolled, completed_on, competent_on = "active", END, None, None
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            status="completed" if fate == "completed" else "active",
            enrolled_on=enrolled,
            completed_on=completed_on,
            competent_on=competent_on,
        )
        then = "active"
        if completed_on:  # completion is recorded at noon (UTC) of its day
            then = "completed" if completed_on < END else "active"
        if fate in ("withdrawn", "paused"):
            moment = _around_end(rng)
            enrolment_update(enrolment=enrolment, status=fate, at=moment)
            then = fate if moment < END_AT else "active"
        person = SimpleNamespace(
            begun=enrolled < END,
            then=then,
            days=(competent_on - enrolled).days if competent_on and competent_on < END else None,
            steps=[],
        )
        for step in steps:
            outcome = rng.choice(
                ["not_started", "in_progress", "completed", "completed", "skipped"]
            )
            done_at = _around_end(rng) if outcome == "completed" else None
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status=outcome,
                started_at=None if outcome == "not_started" else START_AT - timedelta(days=30),
                completed_at=done_at,
            )
            person.steps.append(done_at is not None and done_at < END_AT)
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
        # assessed on the end day: after the period
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            kind="checkpoint",
            assessed_level=levels[3],
            assessed_on=END,
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
        for _ in range(rng.randint(0, 2)):
            submitted = rng.random() < 0.7
            f.AssignmentFactory(
                enrolment=enrolment,
                status=rng.choice(["submitted", "completed"]) if submitted else "assigned",
                submitted_at=_around_end(rng) if submitted else None,
            )
        people.append(person)
    metric = f.OutcomeMetricFactory(program=program, baseline=Decimal("70"), target=Decimal("80"))
    for moment, value in [
        (dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC), "71"),
        (dt.datetime(2026, 11, 5, 12, tzinfo=dt.UTC), "74"),
        (END_AT, "90"),  # the end's first instant is after the period
        (dt.datetime(2026, 11, 12, 12, tzinfo=dt.UTC), "79"),
    ]:
        f.MeasurementFactory(metric=metric, value=Decimal(value), measured_at=moment)
    return program, competency, people


def test_the_snapshot_matches_figures_computed_independently():
    program, competency, people = _generated_program()
    snapshot = program_snapshot(program=program, period_start=START, period_end=END)

    begun = [person for person in people if person.begun]
    assert len(begun) < len(people)
    for status in ("active", "completed", "withdrawn", "paused"):
        assert snapshot["enrolments"][status] == sum(p.then == status for p in begun)

    current = [person for person in begun if person.then != "withdrawn"]
    total = sum(len(p.steps) for p in current)
    done = sum(sum(p.steps) for p in current)
    assert snapshot["pathway_completion"] == {
        "steps_completed": done,
        "steps_total": total,
        "share": round(done / total, 4),
    }

    days = [p.days for p in begun if p.days is not None]
    assert snapshot["median_days_to_competency"] == statistics.median(days)
    assert snapshot["competency_reached"] == len(days)

    inside = [w for w in FeedbackWindow.objects.all() if START_AT <= w.closes_at < END_AT]
    met = sum(w.status == "met" for w in inside)
    missed = sum(w.status == "missed" for w in inside)
    assert snapshot["feedback_window_compliance"] == {
        "met": met,
        "missed": missed,
        "share": round(met / (met + missed), 4),
    }

    assert snapshot["assignments"]["completed"] == sum(
        a.submitted_at is not None and a.submitted_at < END_AT for a in Assignment.objects.all()
    )

    pairs = {}
    for a in Assessment.objects.filter(assessed_on__lt=END).order_by("assessed_on"):
        pairs.setdefault(a.enrolment_id, []).append(a.assessed_level.rank)
    baseline = statistics.mean(ranks[0] for ranks in pairs.values())
    latest = statistics.mean(ranks[-1] for ranks in pairs.values())
    change = snapshot["proficiency_change"][competency.code]
    assert change["learners"] == len(pairs)
    assert change["baseline"] == round(baseline, 2)
    assert change["latest"] == round(latest, 2)
    assert change["change"] == round(latest - baseline, 2)

    (metric,) = snapshot["outcome_metrics"]
    assert metric["latest"] == 74.0  # the values from the end's first instant on are after it
    assert metric["progress_to_target"] == 0.4

    assert snapshot["period"] == {
        "start": "2026-11-02",
        "end": "2026-11-09",
        "start_utc": "2026-11-02T00:00:00+00:00",
        "end_utc": "2026-11-09T00:00:00+00:00",
    }


def test_proficiency_reads_each_learners_newest_level_before_the_end_once_per_code():
    """Each baseline is set beside the newest baseline or checkpoint of its learner and
    competency dated before the end day (of two on one day, the later recorded); a learner
    counts once per code, even across two competencies that share it."""
    program = f.ProgramFactory()
    lead = f.CompetencyFactory(code="LEAD")
    lead_too = f.CompetencyFactory(code="LEAD")  # of another framework, the same code
    coach = f.CompetencyFactory(code="COACH")
    pathway = f.PathwayFactory(program=program)
    first, second, third = (f.EnrolmentFactory(program=program, pathway=pathway) for _ in range(3))

    def assess(enrolment, competency, kind, rank, day):
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            kind=kind,
            assessed_level=competency.scale.levels.get(rank=rank),
            assessed_on=day,
        )

    april, october = dt.date(2026, 4, 1), dt.date(2026, 10, 1)
    assess(first, lead, "baseline", 1, april)
    assess(first, lead, "checkpoint", 2, october)
    assess(first, lead, "checkpoint", 3, october)  # the same day, recorded later: newest
    assess(first, lead, "checkpoint", 4, END)  # on the end day: after the period
    assess(first, lead, "self", 4, END - timedelta(days=1))  # not a baseline or checkpoint
    assess(first, lead_too, "baseline", 2, april)
    assess(second, lead, "baseline", 1, dt.date(2026, 3, 1))
    assess(second, lead, "baseline", 2, dt.date(2026, 5, 1))
    assess(second, lead, "checkpoint", 4, dt.date(2026, 9, 1))
    assess(second, coach, "baseline", 3, april)
    assess(second, coach, "checkpoint", 1, END - timedelta(days=1))  # the period's last day
    assess(third, lead, "checkpoint", 4, april)  # no baseline: not counted
    assess(third, coach, "baseline", 1, END)  # after the period

    snapshot = program_snapshot(program=program, period_start=START, period_end=END)
    # LEAD: baselines 1 (newest 3), 2 (newest 2: itself), 1 and 2 (both newest 4)
    assert snapshot["proficiency_change"] == {
        "COACH": {"learners": 1, "baseline": 3.0, "latest": 1.0, "change": -2.0},
        "LEAD": {"learners": 2, "baseline": 1.5, "latest": 3.25, "change": 1.75},
    }
    other = f.ProgramFactory()  # another program's learners are not this one's
    elsewhere = f.EnrolmentFactory(program=other, pathway=f.PathwayFactory(program=other))
    assess(elsewhere, lead, "baseline", 4, april)
    again = program_snapshot(program=program, period_start=START, period_end=END)
    assert again["proficiency_change"] == snapshot["proficiency_change"]
    assert program_snapshot(program=other, period_start=START, period_end=END)[
        "proficiency_change"
    ] == {"LEAD": {"learners": 1, "baseline": 4.0, "latest": 4.0, "change": 0.0}}


def test_the_dashboard_and_the_overview_count_as_a_review_ending_now_does():
    """All read the progress history: the dashboard and overview as of now, a review as of
    its end; a review ending tomorrow holds everything recorded so far."""
    program, _, _ = _generated_program(seed=21, learners=30)
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    tomorrow = utc_today() + timedelta(days=1)
    snapshot = program_snapshot(
        program=program, period_start=tomorrow - timedelta(days=7), period_end=tomorrow
    )
    completion = snapshot["pathway_completion"]
    learners = sum(n for status, n in snapshot["enrolments"].items() if status != "withdrawn")

    funnel = completion_funnel(program=program)
    assert {row["learners"] for row in funnel} == {learners}
    assert sum(row["completed"] for row in funnel) == completion["steps_completed"]
    assert sum(row["learners"] for row in funnel) == completion["steps_total"]
    reached = sum(row["learners"] for row in competency_time_distribution(program=program))
    assert reached == snapshot["competency_reached"]
    (row,) = sponsor_overview(user=sponsor)["rows"]
    assert (row["learners"], row["completed"]) == (learners, snapshot["enrolments"]["completed"])
    assert row["steps_share"] == completion["share"]


def _enrolled(program, **fields):
    return f.EnrolmentFactory(
        program=program, pathway=program.pathways.get(), enrolled_on=dt.date(2026, 10, 1), **fields
    )


def test_learners_count_as_they_stood_at_the_periods_end_not_as_they_stand_now(
    django_capture_on_commit_callbacks,
):
    """A withdrawal, a pause and a completion after the end leave the learner active in the
    period's review; a pause before the end counts; competency reached after the end is
    not counted. The completion and competency are progression's, on a sign-off."""
    program = f.ProgramFactory(competency_needs_objectives=False)  # the pathway is the rule
    pathway = f.PathwayFactory(program=program)
    step = f.StepFactory(pathway=pathway, position=1, completed_by=Step.Completion.LEARNER)
    after, before = END_AT + timedelta(hours=2), END_AT - timedelta(hours=2)
    withdrawn_after, paused_after, paused_before = (_enrolled(program) for _ in range(3))
    enrolment_update(enrolment=withdrawn_after, status="withdrawn", at=after)
    enrolment_update(enrolment=paused_after, status="paused", at=after)
    enrolment_update(enrolment=paused_before, status="paused", at=before)
    with django_capture_on_commit_callbacks(execute=True):
        finisher = enrolment_create(
            learner=f.UserFactory(), program=program, enrolled_on=dt.date(2026, 10, 1)
        )
    progress = finisher.progress.get(step=step)
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=progress, by=finisher.learner, note="Done.", at=after)
    finisher.refresh_from_db()
    assert (finisher.status, finisher.competent_on) == ("completed", after.date())

    snapshot = program_snapshot(program=program, period_start=START, period_end=END)

    assert snapshot["enrolments"] == {"active": 3, "paused": 1, "completed": 0, "withdrawn": 0}
    assert snapshot["pathway_completion"]["steps_completed"] == 0
    assert (snapshot["competency_reached"], snapshot["median_days_to_competency"]) == (0, None)
    # the week after counts them as they stand now
    later = program_snapshot(program=program, period_start=END, period_end=END + timedelta(7))
    assert later["enrolments"] == {"active": 0, "paused": 2, "completed": 1, "withdrawn": 1}
    assert later["pathway_completion"] == {"steps_completed": 1, "steps_total": 1, "share": 1.0}
    assert (later["competency_reached"], later["median_days_to_competency"]) == (1, 39.0)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def test_feedback_windows_count_in_the_period_they_close_in_utc_whatever_the_time_zone(
    settings, zone
):
    """A window closing at 23:30 UTC on the period's last day is in the period, one at
    00:30 UTC the next day is not, however far the server's zone is from UTC."""
    program = f.ProgramFactory()
    f.PathwayFactory(program=program)
    enrolment = _enrolled(program)
    closing = {
        "first instant": (START_AT, "met"),
        "last evening": (END_AT - timedelta(minutes=30), "missed"),
        "before the start": (START_AT - timedelta(minutes=30), "met"),
        "the next day": (END_AT + timedelta(minutes=30), "missed"),
    }
    for closes_at, status in closing.values():
        window = f.FeedbackWindowFactory(
            observation__enrolment=enrolment,
            opens_at=closes_at - timedelta(hours=24),
            closes_at=closes_at,
        )
        FeedbackWindow.objects.filter(pk=window.pk).update(status=status, resolved_at=closes_at)
    settings.TIME_ZONE = zone
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        snapshot = program_snapshot(program=program, period_start=START, period_end=END)
    assert snapshot["feedback_window_compliance"] == {"met": 1, "missed": 1, "share": 0.5}


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
    program, _, _ = _generated_program(learners=size)
    with django_assert_num_queries(7):
        program_snapshot(program=program, period_start=START, period_end=END)


def _three_learners():
    program = f.ProgramFactory()
    f.PathwayFactory(program=program)
    return program, [_enrolled(program) for _ in range(3)]


def test_rerunning_a_period_updates_the_same_review_and_tells_sponsors_once():
    program, learners = _three_learners()
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    first = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert first.snapshot["enrolments"]["active"] == 3
    # a withdrawal inside the period, recorded after the first rollup
    enrolment_update(enrolment=learners[0], status="withdrawn", at=START_AT + timedelta(days=1))
    again = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert first.pk == again.pk
    assert SponsorReview.objects.count() == 1
    assert (again.snapshot["enrolments"]["active"], again.snapshot["enrolments"]["withdrawn"]) == (
        2,
        1,
    )
    notice = Notification.objects.get(kind="review_ready", recipient=sponsor)
    # The link opens the review in the sponsor's area, which the sponsor may open.
    assert notice.url == f"/sponsor/reviews/{first.pk}/"
    last_day = END - timedelta(days=1)  # the period stops at the start of END
    assert notice.title == f"{program}: the review for {START} to {last_day} is ready"


def test_a_reviewed_review_keeps_the_figures_sponsors_decided_on():
    program, learners = _three_learners()
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    SponsorReview.objects.filter(pk=review.pk).update(
        status="reviewed", reviewed_at=timezone.now(), reviewed_by=f.UserFactory()
    )
    before = SponsorReview.objects.get().snapshot
    for enrolment in learners:
        enrolment_update(enrolment=enrolment, status="withdrawn", at=START_AT)
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert SponsorReview.objects.get().snapshot == before
    # what a refresh would have counted
    assert (
        program_snapshot(program=program, period_start=START, period_end=END)["enrolments"][
            "withdrawn"
        ]
        == 3
    )


def test_the_command_rolls_up_on_demand_and_refuses_bad_periods(capsys):
    program, _, _ = _generated_program(learners=2)
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


@pytest.mark.parametrize(
    "zone",
    [
        "America/Los_Angeles",  # still Sunday 8 November there
        "Pacific/Kiritimati",  # already Monday afternoon there
    ],
)
def test_the_scheduled_rollup_counts_the_week_in_utc_and_runs_again_harmlessly(settings, zone):
    """At 00:30 UTC on Monday 9 November every worker rolls up 2 to 9 November, whatever
    its zone; a second run, from a worker in another zone, refreshes the same reviews."""
    programs = [f.ProgramFactory() for _ in range(2)]
    f.ProgramFactory(status="draft")  # only active programs are rolled up
    monday = END_AT + timedelta(minutes=30)
    settings.TIME_ZONE = zone
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert sponsor_reviews_roll_up(now=monday) == 2
    with timezone.override(zoneinfo.ZoneInfo("Asia/Kolkata")):
        assert sponsor_reviews_roll_up(now=monday) == 2
    reviews = SponsorReview.objects.values_list("program", "period_start", "period_end")
    assert sorted(reviews) == [(program.pk, START, END) for program in programs]


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

    program, learners = _three_learners()
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    for enrolment in learners[:2]:
        enrolment_update(enrolment=enrolment, status="paused", at=START_AT)
    response = admin_client.post(
        reverse("admin:measurement_sponsorreview_changelist"),
        {"action": "refresh_figures", "_selected_action": [review.pk]},
        follow=True,
    )
    assert "Figures rolled up again" in response.text
    review.refresh_from_db()
    assert review.snapshot["enrolments"]["paused"] == 2


def _tallied(program, people):
    """The figures of a generated program, tallied from what was made for it."""
    begun = [person for person in people if person.begun]
    current = [person for person in begun if person.then != "withdrawn"]
    days = [person.days for person in begun if person.days is not None]
    windows = [
        w
        for w in FeedbackWindow.objects.filter(observation__enrolment__program=program)
        if START_AT <= w.closes_at < END_AT
    ]
    return {
        "enrolments": {
            status: sum(person.then == status for person in begun)
            for status in ("active", "paused", "completed", "withdrawn")
        },
        "steps": (sum(sum(p.steps) for p in current), sum(len(p.steps) for p in current)),
        "competency": (len(days), statistics.median(days) if days else None),
        "windows": (
            sum(w.status == "met" for w in windows),
            sum(w.status == "missed" for w in windows),
        ),
        "assignments_completed": sum(
            a.submitted_at is not None and a.submitted_at < END_AT
            for a in Assignment.objects.filter(enrolment__program=program)
        ),
        "proficiency": _proficiency_tallied(program),
    }


def _proficiency_tallied(program):
    ranks = {}
    for a in Assessment.objects.filter(enrolment__program=program, assessed_on__lt=END).order_by(
        "assessed_on"
    ):
        ranks.setdefault(a.enrolment_id, []).append(a.assessed_level.rank)
    baseline = statistics.mean(each[0] for each in ranks.values())
    latest = statistics.mean(each[-1] for each in ranks.values())
    return {
        "learners": len(ranks),
        "baseline": round(baseline, 2),
        "latest": round(latest, 2),
        "change": round(latest - baseline, 2),
    }


def test_programs_rolled_up_together_each_get_their_own_figures():
    """The weekly rollup counts every program in the same queries, grouped by program: each
    review holds its own program's figures, tallied independently."""
    generated = [_generated_program(seed=seed, learners=n) for seed, n in [(3, 9), (5, 14)]]
    empty = f.ProgramFactory()
    assert sponsor_reviews_roll_up(now=END_AT + timedelta(hours=6)) == 3

    for program, competency, people in generated:
        snapshot = SponsorReview.objects.get(program=program, period_start=START).snapshot
        tally = _tallied(program, people)
        assert snapshot["proficiency_change"] == {competency.code: tally["proficiency"]}
        assert snapshot["enrolments"] == tally["enrolments"]
        steps = snapshot["pathway_completion"]
        assert (steps["steps_completed"], steps["steps_total"]) == tally["steps"]
        reached = (snapshot["competency_reached"], snapshot["median_days_to_competency"])
        assert reached == tally["competency"]
        windows = snapshot["feedback_window_compliance"]
        assert (windows["met"], windows["missed"]) == tally["windows"]
        assert snapshot["assignments"]["completed"] == tally["assignments_completed"]
        assert snapshot == program_snapshot(program=program, period_start=START, period_end=END)
    assert SponsorReview.objects.get(program=empty).snapshot == program_snapshot(
        program=empty, period_start=START, period_end=END
    )


def test_the_median_of_an_even_number_of_learners_is_between_the_middle_two():
    program = f.ProgramFactory()
    f.PathwayFactory(program=program)
    for days in (10, 30, 20, 41):
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=program.pathways.get(),
            enrolled_on=dt.date(2026, 9, 1),
            competent_on=dt.date(2026, 9, 1) + timedelta(days=days),
        )
        assert enrolment.events.filter(type="enrolment.competent").exists()
    snapshot = program_snapshot(program=program, period_start=START, period_end=END)
    assert (snapshot["competency_reached"], snapshot["median_days_to_competency"]) == (4, 25.0)


def _sponsored_programs(programs, learners):
    for seed in range(programs):
        program, _, _ = _generated_program(seed=seed, learners=learners)
        program.sponsors.add(f.UserFactory(), f.UserFactory())


@pytest.mark.parametrize(("programs", "learners"), [(1, 2), (4, 16)])
def test_the_weekly_rollup_runs_the_same_queries_whatever_the_programs_and_learners(
    django_assert_num_queries, programs, learners
):
    _sponsored_programs(programs, learners)
    monday = END_AT + timedelta(hours=6)
    # the programs; a savepoint around seven figures, the reviews written and read, and
    # their sponsors told; on PostgreSQL, JIT turned off for the figures
    queries = 16 if connection.vendor == "postgresql" else 15
    # and the new reviews' audit history, in one insert
    with django_assert_num_queries(queries + 1):
        assert sponsor_reviews_roll_up(now=monday) == programs
    with django_assert_num_queries(queries):
        sponsor_reviews_roll_up(now=monday)  # again: refreshes the same reviews
    assert SponsorReview.objects.count() == programs
    assert Notification.objects.filter(kind="review_ready").count() == 2 * programs


def test_the_history_records_each_review_created_once_by_the_run_that_created_it():
    # (tests/measurement/test_rollup_concurrency.py: two runs at once, on PostgreSQL)
    first, second = _three_learners()[0], _three_learners()[0]
    monday = END_AT + timedelta(hours=6)
    sponsor_review_rollup(program=first, period_start=START, period_end=END)
    sponsor_review_rollup(program=first, period_start=START, period_end=END)  # found, refreshed
    sponsor_reviews_roll_up(now=monday)  # the first refreshed, the second created

    created = SponsorReview.history.filter(history_type="+").values_list("program_id", flat=True)
    assert sorted(created) == sorted([first.pk, second.pk])
    assert SponsorReview.objects.count() == 2


def test_a_rerun_refreshes_open_reviews_keeps_reviewed_ones_and_tells_sponsors_once():
    programs = [_three_learners()[0] for _ in range(3)]
    for program in programs:
        program.sponsors.add(f.UserFactory())
    monday = END_AT + timedelta(hours=6)
    sponsor_reviews_roll_up(now=monday)
    reviewed = SponsorReview.objects.get(program=programs[0])
    SponsorReview.objects.filter(pk=reviewed.pk).update(
        status="reviewed", reviewed_at=timezone.now(), reviewed_by=f.UserFactory()
    )
    for program in programs:
        enrolment_update(
            enrolment=program.enrolments.first(), status="withdrawn", at=START_AT + timedelta(1)
        )
    sponsor_reviews_roll_up(now=monday)

    withdrawn = dict(
        SponsorReview.objects.values_list("program", "snapshot__enrolments__withdrawn")
    )
    assert withdrawn == {programs[0].pk: 0, programs[1].pk: 1, programs[2].pk: 1}
    notices = Notification.objects.filter(kind="review_ready")
    assert sorted(notices.values_list("recipient__sponsored_programs", flat=True)) == sorted(
        program.pk for program in programs
    )
