"""The sponsor's overview: every sponsored program's headline figures and their totals."""

import csv
import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import FeedbackWindow
from measurement.models import OutcomeMetric
from measurement.overview import sponsor_overview
from measurement.refresh import refresh_program_figures
from programs.models import Enrolment, Program, StepProgress
from tests import factories as f

pytestmark = pytest.mark.django_db

STATUSES = [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN]

# What the test tallies while it generates records.
TALLY = [
    "learners",
    "completed",
    "competent",
    "steps_total",
    "steps_done",
    "met",
    "missed",
    "measured",
    "on_target",
]


def _share(part, whole):
    return round(part / whole, 4) if whole else None


def _generate(rng, sponsor, learners):
    """A program with random learners, step progress, feedback windows and metrics; returns it
    with the counts the overview should show, tallied here as the records are made."""
    program = f.ProgramFactory()
    program.sponsors.add(sponsor)
    pathway = f.PathwayFactory(program=program)
    steps = [f.StepFactory(pathway=pathway, position=i + 1) for i in range(3)]
    tally = dict.fromkeys(
        ["learners", "completed", "competent", "steps_total", "steps_done", "met", "missed"], 0
    )
    for _ in range(learners):
        status = rng.choice(STATUSES)
        competent = rng.random() < 0.4
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            status=status,
            completed_on=dt.date(2026, 6, 1) if status == Enrolment.Status.COMPLETED else None,
            competent_on=dt.date(2026, 5, 1) if competent else None,
        )
        current = status != Enrolment.Status.WITHDRAWN
        tally["learners"] += current
        tally["completed"] += status == Enrolment.Status.COMPLETED
        tally["competent"] += current and competent
        for step in steps[: rng.randint(0, 3)]:
            done = rng.random() < 0.6
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status=StepProgress.Status.COMPLETED if done else StepProgress.Status.IN_PROGRESS,
                completed_at=timezone.now() if done else None,
            )
            tally["steps_total"] += current
            tally["steps_done"] += current and done
        for _ in range(rng.randint(0, 2)):
            status = rng.choice(list(FeedbackWindow.Status))
            f.FeedbackWindowFactory(
                observation__enrolment=enrolment,
                status=status,
                resolved_at=None if status == FeedbackWindow.Status.OPEN else timezone.now(),
            )
            tally["met"] += status == FeedbackWindow.Status.MET
            tally["missed"] += status == FeedbackWindow.Status.MISSED
    tally["measured"] = tally["on_target"] = 0
    for index in range(rng.randint(0, 3)):
        increase = rng.random() < 0.5
        aggregation = rng.choice(["mean", "sum", "latest"])
        metric = f.OutcomeMetricFactory(
            program=program,
            direction="increase" if increase else "decrease",
            aggregation=aggregation,
            baseline=Decimal(50),
            target=Decimal(60 if increase else 40),
        )
        # values on random days of the last three months; the newest month is judged,
        # combined as the metric says
        points = sorted(
            (
                dt.datetime(2026, rng.choice([8, 9, 10]), rng.randint(1, 28), 12, tzinfo=dt.UTC),
                Decimal(rng.randint(10, 40)),
            )
            for _ in range(rng.randint(0, 4))
        )
        for moment, value in points:
            f.MeasurementFactory(metric=metric, value=value, measured_at=moment)
        # a learner's own value never counts as the program's
        if index == 0 and program.enrolments.exists():
            f.MeasurementFactory(
                metric=metric, enrolment=program.enrolments.first(), value=Decimal(99)
            )
        if points:
            newest = [v for m, v in points if m.month == points[-1][0].month]
            value = {
                "mean": sum(newest) / len(newest),
                "sum": sum(newest),
                "latest": newest[-1],
            }[aggregation]
            tally["measured"] += 1
            tally["on_target"] += value >= 60 if increase else value <= 40
    return program, tally


def _expected_row(tally):
    hidden = tally["learners"] < 5
    return {
        "learners": tally["learners"],
        "suppressed": hidden,
        "completion_share": None if hidden else _share(tally["completed"], tally["learners"]),
        "competent_share": None if hidden else _share(tally["competent"], tally["learners"]),
        "steps_share": None if hidden else _share(tally["steps_done"], tally["steps_total"]),
        "compliance": None if hidden else _share(tally["met"], tally["met"] + tally["missed"]),
        "metrics_measured": tally["measured"],
        "metrics_on_target": tally["on_target"],
    }


def _shown(row):
    return {key: row[key] for key in _expected_row(dict.fromkeys(TALLY, 0))}


@pytest.mark.parametrize("counted", ["live", "kept"])
@pytest.mark.parametrize("seed", [5, 17])
def test_each_program_and_the_totals_match_counts_tallied_from_generated_data(seed, counted):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    sponsor = f.UserFactory()
    tallies = {}
    for size in (0, 3, rng.randint(6, 14), rng.randint(15, 25)):
        program, tally = _generate(rng, sponsor, size)
        tallies[program.pk] = tally
        if size == 3:
            small = program
    _generate(rng, f.UserFactory(), 8)  # another sponsor's program counts nowhere here
    if counted == "kept":  # the figures a job counted, as the page reads them
        assert refresh_program_figures() == len(tallies) + 1

    overview = sponsor_overview(user=sponsor)

    assert {row["program"].pk: _shown(row) for row in overview["rows"]} == {
        pk: _expected_row(tally) for pk, tally in tallies.items()
    }
    # The total covers the programs shown: a hidden one would be the total minus the rest.
    shown = [t for t in tallies.values() if t["learners"] >= 5]
    total = {key: sum(t[key] for t in shown) for key in TALLY}
    assert _shown(overview["totals"]) == _expected_row(total)
    assert overview["hidden"] == len(tallies) - len(shown)
    # A small program hides its figures but still adds its learners to the total.
    (row,) = [row for row in overview["rows"] if row["program"] == small]
    assert row["suppressed"]
    assert row["completion_share"] is None
    assert overview["totals"]["learners"] == sum(t["learners"] for t in shown)


def test_with_every_program_hidden_there_is_no_total_to_work_one_out_from():
    sponsor = f.UserFactory()
    for _ in range(2):
        program = f.ProgramFactory()
        program.sponsors.add(sponsor)
        f.EnrolmentFactory.create_batch(
            2,
            program=program,
            pathway=f.PathwayFactory(program=program),
            status="completed",
            completed_on=dt.date(2026, 6, 1),
        )
    overview = sponsor_overview(user=sponsor)
    assert [row["suppressed"] for row in overview["rows"]] == [True, True]
    assert overview["totals"] is None
    assert overview["hidden"] == 2


def test_a_sponsor_sees_only_their_programs_and_others_see_none(client):
    sponsor, other_sponsor = f.UserFactory(), f.UserFactory()
    mine, _ = _generate(random.Random(1), sponsor, 6)  # noqa: S311
    theirs, _ = _generate(random.Random(2), other_sponsor, 6)  # noqa: S311
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:home")).text
    assert mine.name in page
    assert theirs.name not in page
    assert "All programs" in page
    learner = mine.enrolments.first().learner
    manager = f.UserFactory()
    learner.manager = manager
    learner.save()
    for person in (learner, manager):
        client.force_login(person)
        page = client.get(reverse("sponsor:home")).text
        assert "You sponsor no program yet." in page
        assert mine.name not in page
        rows = list(csv.reader(io.StringIO(client.get(reverse("sponsor:overview_export")).text)))
        assert len(rows) == 1  # the header, nothing else


def test_the_overview_exports_as_csv_with_the_same_suppression(client):
    sponsor = f.UserFactory()
    big = f.ProgramFactory(name="Big")
    small = f.ProgramFactory(name="Small")
    for program, size in ((big, 6), (small, 2)):
        program.sponsors.add(sponsor)
        f.EnrolmentFactory.create_batch(
            size, program=program, pathway=f.PathwayFactory(program=program)
        )
    metric = f.OutcomeMetricFactory(program=big, direction=OutcomeMetric.Direction.INCREASE)
    f.MeasurementFactory(metric=metric, value=metric.target)
    client.force_login(sponsor)
    response = client.get(reverse("sponsor:overview_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["program", "status", "learners"]
    assert rows[1][:5] == ["Big", "active", "6", "0", "0"]
    assert rows[1][7:9] == ["1", "1"]
    assert rows[2][:4] == ["Small", "active", "suppressed", ""]
    # Small is left out of the total, or Big's figures would give its own away.
    assert rows[3][:4] == ["Programs shown", "", "6", "0"]
    anonymous = client.__class__()
    assert anonymous.get(reverse("sponsor:overview_export")).status_code == 302


@pytest.mark.parametrize(("programs", "learners"), [(2, 5), (6, 14)])
@pytest.mark.parametrize(("counted", "queries"), [("live", 13), ("kept", 8)])
def test_the_overview_runs_the_same_queries_however_many_programs_and_learners(
    client, django_assert_num_queries, programs, learners, counted, queries
):
    rng = random.Random(programs)  # noqa: S311 - reproducible test data, not security
    sponsor = f.UserFactory()
    for _ in range(programs):
        program, _ = _generate(rng, sponsor, learners)
        f.SponsorReviewFactory(program=program)
    if counted == "kept":
        refresh_program_figures()
    client.force_login(sponsor)
    # the page with its navigation, the programs not counted lately, the kept figures and
    # the page of programs; counted live, one grouped query per source of figures and the
    # newest month of each metric
    with django_assert_num_queries(queries):
        response = client.get(reverse("sponsor:home"))
    assert response.status_code == 200
    assert response.text.count('href="/sponsor/programs/') == programs


@pytest.mark.parametrize("counted", ["live", "kept", "some kept"])
def test_the_overview_pages_its_programs_and_totals_every_page(client, monkeypatch, counted):
    monkeypatch.setattr("measurement.overview.OVERVIEW_PAGE_SIZE", 2)
    rng = random.Random(23)  # noqa: S311 - reproducible test data, not security
    sponsor = f.UserFactory()
    tallies = [_generate(rng, sponsor, size)[1] for size in (6, 7, 3, 9, 8)]
    if counted != "live":
        refresh_program_figures()
    if counted == "some kept":  # a program started after the last count is counted live
        tallies.append(_generate(rng, sponsor, 5)[1])
    by_name = sorted(Program.objects.filter(sponsors=sponsor).values_list("name", flat=True))
    client.force_login(sponsor)

    pages = [client.get(reverse("sponsor:home"), {"page": n}) for n in ("1", "2", "3", "4")]

    listed = [[row["program"].name for row in page.context["rows"]] for page in pages]
    assert listed[:3] == [by_name[0:2], by_name[2:4], by_name[4:6]]
    assert listed[3] == listed[0]  # past the last page reads the first
    shown = [t for t in tallies if t["learners"] >= 5]
    assert 0 < len(shown) < len(tallies)
    for page in pages:
        assert page.context["totals"]["learners"] == sum(t["learners"] for t in shown)
        assert page.context["totals"]["windows"] == sum(t["met"] + t["missed"] for t in shown)
        assert page.context["hidden"] == len(tallies) - len(shown)
        assert "The total covers the programs on every page." in page.text
    assert 'href="?page=2">Next</a>' in pages[0].text
    assert 'href="?page=2">Previous</a>' in pages[2].text
    for bad in ("abc", "-1", "0"):
        assert client.get(reverse("sponsor:home"), {"page": bad}).context["page"].number == 1


def test_an_hr_admin_sees_every_program_and_a_total_over_all_of_them():
    rng = random.Random(11)  # noqa: S311 - reproducible test data, not security
    tallies = [_generate(rng, f.UserFactory(), size)[1] for size in (12, 15)]
    overview = sponsor_overview(user=f.HRAdminFactory())
    assert [row["suppressed"] for row in overview["rows"]] == [False, False]
    assert overview["totals"]["learners"] == sum(t["learners"] for t in tallies)
