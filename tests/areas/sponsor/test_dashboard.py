"""The sponsor's dashboards and the review workflow."""

import csv
import datetime as dt
import io
import math
import re
import statistics
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.sponsor.views.dashboard import CSV_TABLES
from measurement import exports
from measurement.exports import DASHBOARD_TABLES
from measurement.models import (
    BenefitEstimate,
    CostItem,
    ReviewComment,
    ReviewDecision,
    SponsorReview,
    SuccessStory,
)
from measurement.refresh import refresh_program_figures
from measurement.rollups import sponsor_review_rollup
from measurement.services import (
    benefit_estimate_set,
    cost_item_add,
    review_comment_add,
    review_decision_add,
)
from people.models import Notification
from tests import factories as f

# A decision is due ahead of the day it is taken.
NEXT_MONTH = (dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=30)).isoformat()

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


def _program(learners):
    program = f.ProgramFactory(name="Leading Through Real Work")
    pathway = f.PathwayFactory(program=program)
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    for _ in range(learners):
        f.EnrolmentFactory(program=program, pathway=pathway, competent_on=dt.date(2026, 4, 5))
    return program, sponsor


def test_a_sponsor_sees_their_programs_and_nobody_elses(client):
    mine, sponsor = _program(5)
    theirs, _ = _program(5)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:home")).text
    assert reverse("sponsor:dashboard", args=[mine.pk]) in page
    assert reverse("sponsor:dashboard", args=[theirs.pk]) not in page
    assert client.get(reverse("sponsor:dashboard", args=[theirs.pk])).status_code == 404


def test_learners_and_unrelated_managers_are_refused_the_dashboard(client):
    program, _ = _program(5)
    enrolment = program.enrolments.first()
    url = reverse("sponsor:dashboard", args=[program.pk])
    client.force_login(enrolment.learner)  # sees the program, may not read its dashboard
    assert client.get(url).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404


def test_figures_from_fewer_than_five_learners_are_suppressed(client):
    small, sponsor = _program(4)
    sponsor_review_rollup(program=small, period_start=START, period_end=END)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[small.pk])).text
    assert "figures about learners are suppressed" in page
    assert "days" not in page.split("Latest review")[1].split("Outcome metrics")[0]
    ttc = page.split('id="ttc-heading"')[1].split("</section>")[0]
    assert "Suppressed: fewer than 5 learners take part." in " ".join(ttc.split())

    big, sponsor = _program(5)
    sponsor_review_rollup(program=big, period_start=START, period_end=END)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[big.pk])).text
    assert "suppressed" not in page
    days = (dt.date(2026, 4, 5) - f.EnrolmentFactory._meta.declarations["enrolled_on"]).days
    assert f"{days} days" in page


@pytest.mark.parametrize("months", [2, 50])
@pytest.mark.parametrize(("counted", "queries"), [("live", 20), ("kept", 14)])
def test_the_dashboard_runs_the_same_queries_with_years_of_measurements(
    client, django_assert_num_queries, months, counted, queries
):
    program, sponsor = _program(5)
    metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("40"))
    benefit_estimate_set(
        metric=metric,
        isolation_method=BenefitEstimate.Isolation.TREND_LINE,
        attribution_percent=Decimal("50"),
    )
    for i in range(months):  # the cost ledger grows with the program too
        cost_item_add(
            program=program,
            category=CostItem.Category.DELIVERY,
            description=f"Session {i}",
            incurred_on=dt.date(2022, 1, 1),
            amount=Decimal(100 + i),
        )
    moments = [
        dt.datetime(2022, 1, 15, tzinfo=dt.UTC) + dt.timedelta(days=30 * i) for i in range(months)
    ]
    for i, moment in enumerate(moments):
        f.MeasurementFactory(metric=metric, value=Decimal(70 + i % 10), measured_at=moment)
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    if counted == "kept":
        refresh_program_figures()
    client.force_login(sponsor)
    with django_assert_num_queries(queries):
        response = client.get(reverse("sponsor:dashboard", args=[program.pk]))
    assert response.status_code == 200
    assert "Benefit-cost ratio" in response.text
    # one point per calendar month, values of the same month aggregated
    assert response.text.count("<circle") == len({(m.year, m.month) for m in moments})
    assert "<svg" in response.text
    assert "<caption" in response.text  # the data table beside each chart


def test_a_review_period_is_shown_by_its_last_day_not_the_day_after(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)

    page = " ".join(client.get(reverse("sponsor:review", args=[review.pk])).text.split())
    dashboard = " ".join(client.get(reverse("sponsor:dashboard", args=[program.pk])).text.split())

    assert "Review: 2 Nov – 8 Nov 2026</h1>" in page
    assert "Latest review: 2 Nov – 8 Nov 2026" in dashboard
    assert "2 Nov – 8 Nov 2026</a>" in dashboard  # among the past reviews
    assert "9 Nov" not in dashboard.split("Latest review")[1]
    assert _csv(client, program, "reviews")[1][:2] == ["2026-11-02", "2026-11-08"]


def test_a_sponsor_comments_decides_and_closes_a_review(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    url = reverse("sponsor:review", args=[review.pk])
    client.post(url, {"form": "comment", "body": "Specific examples lag."})
    response = client.post(
        url, {"form": "decision", "description": "Add a practice step", "due_on": NEXT_MONTH}
    )
    assert "This field is required." in response.text
    assert "Add a practice step" in response.text
    assert not ReviewDecision.objects.exists()
    client.post(
        url,
        {
            "form": "decision",
            "description": "Add a practice step",
            "owner": program.owner.username,
            "due_on": NEXT_MONTH,
        },
    )
    review.refresh_from_db()
    assert review.status == SponsorReview.Status.IN_REVIEW
    client.post(reverse("sponsor:review_close", args=[review.pk]))
    review.refresh_from_db()
    assert (review.status, review.reviewed_by) == ("reviewed", sponsor)
    response = client.post(url, {"form": "comment", "body": "Too late."})
    assert "This review is closed" in response.text
    assert ReviewComment.objects.count() == 1
    assert "Reviewed by" in client.get(url).text


def test_a_decision_is_marked_done_once_after_the_review_is_closed(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    _decide(client, review, sponsor.username)
    decision = ReviewDecision.objects.get()
    client.post(reverse("sponsor:review_close", args=[review.pk]))
    done = reverse("sponsor:decision_settle", args=[decision.pk, "done"])
    # follow-up outlives the review: the decision is settled after it is closed
    assert f'action="{done}"' in client.get(reverse("sponsor:review", args=[review.pk])).text

    response = client.post(done, follow=True)

    decision.refresh_from_db()
    assert decision.status == "done"
    assert [str(m) for m in response.context["messages"]] == ["Decision marked done."]
    assert f'action="{done}"' not in response.text
    response = client.post(
        reverse("sponsor:decision_settle", args=[decision.pk, "dropped"]), follow=True
    )
    decision.refresh_from_db()
    assert decision.status == "done"
    assert [str(m) for m in response.context["messages"]] == [
        "This decision is already marked Done."
    ]


def test_a_decision_is_settled_only_as_done_or_dropped_and_only_by_the_programs_sponsors(
    client,
):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    _decide(client, review, sponsor.username)
    decision = ReviewDecision.objects.get()
    response = client.post(
        reverse("sponsor:decision_settle", args=[decision.pk, "open"]), follow=True
    )
    assert [str(m) for m in response.context["messages"]][-1] == (
        "Say whether the decision was done or dropped."
    )
    client.force_login(f.UserFactory())
    url = reverse("sponsor:decision_settle", args=[decision.pk, "done"])
    assert client.post(url).status_code == 404
    decision.refresh_from_db()
    assert decision.status == "open"


def test_the_owner_of_a_decision_is_told_reads_the_review_and_marks_it_done(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    url = reverse("sponsor:review", args=[review.pk])
    client.force_login(sponsor)
    _decide(client, review, sponsor.username)  # their own: nobody else to tell
    assert not Notification.objects.filter(kind="decision_owned").exists()
    _decide(client, review, program.owner.username)

    told = Notification.objects.get(kind="decision_owned")
    assert (told.recipient, told.url) == (program.owner, url)
    assert "Add a practice step" in told.body
    client.force_login(program.owner)
    page = client.get(url).text
    assert "Add a practice step" in page
    # they follow up on the decision; commenting, deciding and closing stay the sponsors'
    assert "Add comment" not in page
    assert "Mark as reviewed" not in page
    # their way back is the program's design, not the sponsor pages that refuse them
    assert f'href="{reverse("design:program", args=[program.pk])}"' in page
    assert reverse("sponsor:dashboard", args=[program.pk]) not in page
    assert client.post(url, {"form": "comment", "body": "Noted."}).status_code == 403
    theirs = ReviewDecision.objects.get(owner=program.owner)
    done = reverse("sponsor:decision_settle", args=[theirs.pk, "done"])
    assert f'action="{done}"' in page
    mine = ReviewDecision.objects.get(owner=sponsor)
    assert reverse("sponsor:decision_settle", args=[mine.pk, "done"]) not in page
    client.post(done)
    theirs.refresh_from_db()
    assert theirs.status == "done"
    assert (
        client.post(reverse("sponsor:decision_settle", args=[mine.pk, "done"])).status_code == 403
    )


def _decide(client, review, owner):
    return client.post(
        reverse("sponsor:review", args=[review.pk]),
        {
            "form": "decision",
            "description": "Add a practice step",
            "owner": owner,
            "due_on": NEXT_MONTH,
        },
    )


def test_a_decision_owned_by_someone_outside_the_program_is_refused_and_kept(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    outsider = f.UserFactory(username="outsider", first_name="Quentin", last_name="Hidden")
    client.force_login(sponsor)

    response = _decide(client, review, outsider.username)

    assert response.status_code == 200
    assert response.context["decision_form"].errors["owner"] == [
        "A decision is owned by the program's owner, one of its sponsors or yourself: "
        "choose one of them."
    ]
    assert 'value="outsider"' in response.text
    # refusing does not reveal who an identifier belongs to
    assert "Quentin" not in response.text
    assert not ReviewDecision.objects.exists()


@pytest.mark.parametrize("who", ["owner", "sponsor", "another sponsor", "HR admin deciding"])
def test_a_decision_may_be_owned_by_the_programs_owner_a_sponsor_or_whoever_decides(client, who):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    other = f.UserFactory()
    program.sponsors.add(other)
    hr_admin = f.HRAdminFactory()
    deciding = hr_admin if who == "HR admin deciding" else sponsor
    owner = {
        "owner": program.owner,
        "sponsor": sponsor,
        "another sponsor": other,
        "HR admin deciding": hr_admin,
    }[who]
    client.force_login(deciding)

    _decide(client, review, owner.username)

    assert ReviewDecision.objects.get().owner == owner


@pytest.mark.parametrize("who", ["learner", "supervisor"])
def test_a_sponsor_cannot_name_a_learner_or_their_supervisor_as_owner(client, who):
    # Sponsors read a program's results in aggregate: its learners are not theirs to name.
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    enrolment = program.enrolments.first()
    person = enrolment.learner if who == "learner" else enrolment.supervisor
    client.force_login(sponsor)

    response = _decide(client, review, person.username)

    assert "owner" in response.context["decision_form"].errors
    assert not ReviewDecision.objects.exists()


def test_decision_owner_suggestions_are_the_owner_the_sponsors_and_the_decider(client):
    program, sponsor = _program(3)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    learner = program.enrolments.first().learner
    learner.first_name = "Zora"
    learner.save(update_fields=["first_name"])
    co_sponsor = f.UserFactory(first_name="Zora")
    program.sponsors.add(co_sponsor)
    stranger = f.UserFactory(first_name="Zora")
    client.force_login(sponsor)
    url = reverse("sponsor:review_owners", args=[review.pk])

    text = client.get(url, {"owner": "zora"}).text

    assert f'<option value="{co_sponsor.username}">' in text
    assert learner.username not in text
    assert stranger.username not in text
    client.force_login(f.UserFactory())
    assert client.get(url, {"owner": "zora"}).status_code == 404


@pytest.mark.parametrize("size", [2, 50])
def test_decision_owner_suggestions_are_few_and_run_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    program, sponsor = _program(0)
    for _ in range(size):
        program.sponsors.add(f.UserFactory(first_name="Sam"))
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    url = reverse("sponsor:review_owners", args=[review.pk])
    # the session, the person and their permissions (2), the review, the sponsor check (2),
    # the suggestions
    with django_assert_num_queries(7):
        text = client.get(url, {"owner": "sam"}).text
    assert text.count("<option") == min(size, 10)


def test_only_sponsors_of_the_program_may_work_on_its_review(client):
    program, _ = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(program.owner)  # sees the review, is not its sponsor
    url = reverse("sponsor:review", args=[review.pk])
    assert client.post(url, {"form": "comment", "body": "x"}).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404
    assert not ReviewComment.objects.exists()


def test_dashboard_tables_export_as_csv_with_the_same_suppression(client):
    small, sponsor = _program(3)
    competency = f.CompetencyFactory(code="FB")
    for enrolment in small.enrolments.all():
        f.AssessmentFactory(
            enrolment=enrolment, competency=competency, assessed_on=dt.date(2026, 4, 1)
        )
    metric = f.OutcomeMetricFactory(program=small, name="CSAT")
    f.MeasurementFactory(
        metric=metric, value=Decimal("72"), measured_at=dt.datetime(2026, 10, 3, tzinfo=dt.UTC)
    )
    sponsor_review_rollup(program=small, period_start=START, period_end=END)
    client.force_login(sponsor)
    response = client.get(reverse("sponsor:export", args=[small.pk, "proficiency"]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [
        "competency,learners,baseline,latest,change",
        "FB,suppressed,,,",
    ]
    rows = client.get(reverse("sponsor:export", args=[small.pk, "metrics"])).content.decode()
    assert "CSAT,points,increase,Oct 2026,72.0,70.0000,80.0000" in rows
    assert client.get(reverse("sponsor:export", args=[small.pk, "secrets"])).status_code == 404
    client.force_login(f.UserFactory())
    assert client.get(reverse("sponsor:export", args=[small.pk, "metrics"])).status_code == 404


def _csv(client, program, table):
    response = client.get(reverse("sponsor:export", args=[program.pk, table]))
    assert response.status_code == 200, table
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_table_on_the_dashboard_downloads_as_csv(client):
    program, sponsor = _program(6)
    step = f.StepFactory(pathway=program.pathways.get(), title="Role-play", position=1)
    for enrolment in program.enrolments.all():
        f.StepProgressFactory(enrolment=enrolment, step=step)
    metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("10"))
    f.MeasurementFactory(metric=metric, value=Decimal("75"))
    benefit_estimate_set(
        metric=metric,
        isolation_method=BenefitEstimate.Isolation.CONTROL_GROUP,
        attribution_percent=Decimal("100"),
    )
    cost_item_add(
        program=program,
        category=CostItem.Category.DELIVERY,
        description="Workshop",
        incurred_on=dt.date(2026, 3, 1),
        amount=Decimal("300"),
    )
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    for table, _label in CSV_TABLES:
        assert reverse("sponsor:export", args=[program.pk, table]) in page
    assert {table for table, _ in CSV_TABLES} == set(DASHBOARD_TABLES)

    assert _csv(client, program, "funnel") == [
        ["position", "step", "learners", "completed"],
        ["1", "Role-play", "6", "0"],
    ]
    assert _csv(client, program, "time_to_competency")[1:] == [
        ["≤ 30 days", "0"],
        ["≤ 60 days", "0"],
        ["≤ 90 days", "6"],
        ["≤ 180 days", "0"],
        ["> 180 days", "0"],
    ]
    snapshot = {row[0]: row[1:] for row in _csv(client, program, "snapshot")[1:]}
    assert snapshot["steps completed"] == ["0", "6"]
    assert snapshot["median days to competency"] == ["90.0", "6"]  # the median of 6
    roi = {(row[0], row[1]): row[2] for row in _csv(client, program, "roi")[1:]}
    # 5 points better than baseline × 10 a point × 12 a year (the default), all credited
    assert roi[("benefit", metric.name)] == "600.00"
    assert roi[("total", "costs")] == "300.00"
    assert roi[("total", "benefit-cost ratio")] == "2.00"
    assert roi[("total", "ROI %")] == "100.0"
    for table in ("knows_and_does", "experiences", "stories", "reviews"):
        assert len(_csv(client, program, table)[0]) > 1


def test_figures_hidden_on_screen_are_hidden_in_every_csv(client):
    small, sponsor = _program(3)
    step = f.StepFactory(pathway=small.pathways.get(), title="Role-play", position=1)
    for enrolment in small.enrolments.all():
        f.StepProgressFactory(enrolment=enrolment, step=step)
    sponsor_review_rollup(program=small, period_start=START, period_end=END)
    client.force_login(sponsor)
    assert _csv(client, small, "funnel")[1] == ["1", "Role-play", "suppressed", ""]
    assert {row[1] for row in _csv(client, small, "time_to_competency")[1:]} == {"suppressed"}
    assert {row[1] for row in _csv(client, small, "snapshot")[1:]} == {"suppressed"}


def test_times_to_competency_of_fewer_than_five_are_hidden_though_the_program_is_large(client):
    program, sponsor = _program(0)
    pathway = program.pathways.get()
    for days in (30, 200, None, None, None, None, None):
        f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            competent_on=dt.date(2026, 1, 5) + dt.timedelta(days=days) if days else None,
        )
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    assert "figures about learners are suppressed" not in page  # seven learners take part
    assert "115 days" not in page  # the median of two people
    ttc = " ".join(page.split('id="ttc-heading"')[1].split("</section>")[0].split())
    assert (
        "Suppressed: fewer than 5 learners have reached competency, too few to show how long "
        "each took."
    ) in ttc
    assert "<td>1</td>" not in ttc
    latest = page.split("Latest review:")[1].split("Open the review")[0]
    assert latest.count(">suppressed<") == 1  # the median, of two: the rest is shown
    assert "Fewer than 5 learners reached competency." in latest
    snapshot = {row[0]: row[1:] for row in _csv(client, program, "snapshot")[1:]}
    assert snapshot["median days to competency"] == ["suppressed", ""]
    assert snapshot["steps completed"][0] != "suppressed"
    assert {row[1] for row in _csv(client, program, "time_to_competency")[1:]} == {"suppressed"}


def test_the_funnel_and_time_to_competency_match_the_learners(client):
    program, sponsor = _program(0)
    pathway = program.pathways.get()
    first, second = (f.StepFactory(pathway=pathway, position=i, title=f"S{i}") for i in (1, 2))
    enrolled = dt.date(2026, 1, 1)
    for i, days in enumerate([20, 45, 45, 100, 300, None]):
        enrolment = f.EnrolmentFactory(
            program=program,
            pathway=pathway,
            enrolled_on=enrolled,
            competent_on=enrolled + dt.timedelta(days=days) if days else None,
        )
        for step in (first, second):
            done = step is first or i % 2 == 0
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status="completed" if done else "not_started",
                started_at=enrolment.created_at if done else None,
                completed_at=enrolment.created_at if done else None,
            )
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    assert "1. S1</td><td>6 of 6" in page
    assert "2. S2</td><td>3 of 6" in page
    for label, count in [
        ("≤ 30 days", 1),
        ("≤ 60 days", 2),
        ("≤ 90 days", 0),
        ("≤ 180 days", 1),
        ("&gt; 180 days", 1),
    ]:
        assert f"<td>{label}</td><td>{count}</td>" in page


def test_knows_and_does_sets_assessed_level_beside_observed_rating(client):
    program, sponsor = _program(0)
    pathway = program.pathways.get()
    competency = f.CompetencyFactory(code="FB", name="Feedback")
    lo = f.LearningObjectiveFactory(program=program, competency=competency)
    po = f.PerformanceObjectiveFactory(program=program)
    po.learning_objectives.add(lo)
    levels = list(competency.scale.levels.order_by("rank"))
    for i in range(5):
        enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
        f.AssessmentFactory(
            enrolment=enrolment,
            competency=competency,
            kind="checkpoint",
            assessed_level=levels[3 if i < 3 else 1],
        )
        f.ObservationFactory(enrolment=enrolment, performance_objective=po, rating=2)
    from measurement.models import SuccessStory

    SuccessStory.objects.create(
        program=program,
        step=f.StepFactory(pathway=pathway),
        title="Three days, not eight",
        story="…",
        result="-5 days",
        published=True,
    )
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    # assessed: (4 + 4 + 4 + 2 + 2) / 5 = 3.2; observed: 2 on every observation
    assert '<th scope="row">FB Feedback</th>\n      <td>3.2</td><td>2.0</td>' in page
    assert "Three days, not eight" in page


def test_text_a_spreadsheet_would_run_as_a_formula_is_exported_inert(client):
    program, sponsor = _program(6)
    step = f.StepFactory(pathway=program.pathways.get())
    SuccessStory.objects.create(
        program=program,
        step=step,
        title='=HYPERLINK("http://example.invalid","click")',
        story="Led the review.",
        result="-3 days to decide",
        published=True,
    )
    client.force_login(sponsor)
    rows = _csv(client, program, "stories")
    assert rows[1][:2] == ['\'=HYPERLINK("http://example.invalid","click")', "'-3 days to decide"]
    # numbers stay numbers, negative ones included
    assert exports.safe_row([Decimal("-10.0"), -2, "Team -2"]) == [Decimal("-10.0"), -2, "Team -2"]


def test_every_csv_table_starts_with_its_header(client):
    program, sponsor = _program(5)
    client.force_login(sponsor)
    headers = {table: _csv(client, program, table)[0] for table in DASHBOARD_TABLES}
    assert headers == {
        "snapshot": ["figure", "value", "of"],
        "proficiency": ["competency", "learners", "baseline", "latest", "change"],
        "funnel": ["position", "step", "learners", "completed"],
        "time_to_competency": ["reached_within", "learners"],
        "knows_and_does": [
            "competency",
            "name",
            "assessed_learners",
            "assessed_level",
            "observed_learners",
            "observed_rating",
        ],
        "experiences": [
            "metric",
            "type",
            "experience",
            "completed_n",
            "others_n",
            "completed_mean_change",
            "others_mean_change",
            "effect_size_d",
        ],
        "stories": ["title", "result", "story", "metric"],
        "roi": ["section", "item", "amount", "currency", "how"],
        "metrics": ["metric", "unit", "direction", "month", "value", "baseline", "target"],
        "reviews": ["first_day", "last_day", "status", "generated_at"],
    }


def test_learners_and_managers_download_no_table_of_a_program_they_do_not_sponsor(client):
    program, _ = _program(5)
    learner = program.enrolments.first().learner
    learner.manager = f.UserFactory()
    learner.save()
    elsewhere = f.EnrolmentFactory()  # a manager of someone on another program only
    elsewhere.learner.manager = f.UserFactory()
    elsewhere.learner.save()
    refused = {learner: 403, learner.manager: 403, elsewhere.learner.manager: 404}
    for person, status in refused.items():
        client.force_login(person)
        for table in DASHBOARD_TABLES:
            url = reverse("sponsor:export", args=[program.pk, table])
            assert client.get(url).status_code == status, (person, table)
    client.force_login(f.UserFactory())
    assert client.get(reverse("sponsor:export", args=[program.pk, "nothing"])).status_code == 404


def test_the_snapshot_export_shows_the_review_cards_figures(client):
    program, sponsor = _program(6)
    enrolments = list(program.enrolments.all())
    closes = dt.datetime(2026, 11, 4, 12, tzinfo=dt.UTC)
    for enrolment, status in zip(enrolments, ["met", "met", "met", "missed"], strict=False):
        f.FeedbackWindowFactory(
            observation__enrolment=enrolment,
            opens_at=closes - dt.timedelta(hours=24),
            closes_at=closes,
            status=status,
            resolved_at=closes,
        )
    for enrolment in enrolments[:2]:
        f.AssignmentFactory(enrolment=enrolment, status="submitted", submitted_at=closes)
    f.AssignmentFactory(enrolment=enrolments[2], presented_on=dt.date(2026, 11, 5))
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    assert _csv(client, program, "snapshot") == [
        ["figure", "value", "of"],
        ["steps completed", "0", "0"],
        ["median days to competency", "90.0", "6"],
        ["feedback windows met", "3", "4"],
        ["assignments submitted", "2", ""],
        ["assignments presented", "1", ""],
    ]


def test_knows_and_does_exports_both_levels_and_hides_a_competency_of_few_learners(client):
    program, sponsor = _program(6)
    feedback = f.CompetencyFactory(code="FB", name="Feedback")
    coaching = f.CompetencyFactory(code="CO", name="Coaching")
    po = f.PerformanceObjectiveFactory(program=program)
    po.learning_objectives.add(f.LearningObjectiveFactory(program=program, competency=feedback))
    levels = {level.rank: level for level in feedback.scale.levels.all()}
    ranks, ratings = [4, 4, 3, 2, 1], [2, 3, 3, 4, 4]
    enrolments = list(program.enrolments.all())
    for enrolment, rank, rating in zip(enrolments, ranks, ratings, strict=False):
        f.AssessmentFactory(
            enrolment=enrolment, competency=feedback, kind="checkpoint", assessed_level=levels[rank]
        )
        f.ObservationFactory(enrolment=enrolment, performance_objective=po, rating=rating)
    for enrolment in enrolments[:2]:
        f.AssessmentFactory(enrolment=enrolment, competency=coaching)
    client.force_login(sponsor)
    rows = _csv(client, program, "knows_and_does")[1:]
    assert rows == [
        ["CO", "Coaching", "suppressed", "", "", ""],
        ["FB", "Feedback", "5", str(round(sum(ranks) / 5, 2)), "5", str(sum(ratings) / 5)],
    ]


def test_the_experiences_export_names_the_type_and_hides_groups_of_few(client):
    program, sponsor = _program(0)
    pathway = program.pathways.get()
    role_play = f.StepFactory(pathway=pathway, position=1, kind="role_play")
    case_study = f.StepFactory(pathway=pathway, position=2, kind="case_study")
    metric = f.OutcomeMetricFactory(program=program, name="Resolution rate")
    changes = {True: [], False: []}
    for i in range(10):
        enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
        for step, did in ((role_play, i < 5), (case_study, i < 2)):
            f.StepProgressFactory(
                enrolment=enrolment,
                step=step,
                status="completed" if did else "not_started",
                completed_at=enrolment.created_at if did else None,
            )
        change = (8 + i % 3) if i < 5 else (i % 4)
        changes[i < 5].append(change)
        for month, value in ((1, 60), (3, 60 + change)):
            f.MeasurementFactory(
                metric=metric,
                enrolment=enrolment,
                value=Decimal(value),
                measured_at=dt.datetime(2026, month, 1, tzinfo=dt.UTC),
            )
    client.force_login(sponsor)
    case_row, role_row = _csv(client, program, "experiences")[1:]
    # two completed the case study: the group's size and every figure stay hidden
    assert case_row == [
        "Resolution rate",
        "Step kind",
        "Practice: case study",
        "<5",
        "8",
        "suppressed",
        "",
        "",
    ]
    done, others = changes[True], changes[False]
    pooled = math.sqrt(
        (len(done) * statistics.pvariance(done) + len(others) * statistics.pvariance(others))
        / (len(done) + len(others))
    )
    assert role_row[:5] == ["Resolution rate", "Step kind", "Practice: role-play", "5", "5"]
    assert [float(cell) for cell in role_row[5:]] == pytest.approx(
        [
            statistics.mean(done),
            statistics.mean(others),
            (statistics.mean(done) - statistics.mean(others)) / pooled,
        ],
        abs=0.01,
    )


def test_stories_and_past_reviews_export_what_the_page_lists(client):
    program, sponsor = _program(3)  # stories are told by choice and shown at any size
    metric = f.OutcomeMetricFactory(program=program, name="CSAT")
    step = f.StepFactory(pathway=program.pathways.get())
    for title, published in (("Escalations halved", True), ("Draft", False)):
        SuccessStory.objects.create(
            program=program,
            step=step,
            metric=metric,
            title=title,
            story="Ran the weekly review.",
            result="6 escalations, not 12",
            published=published,
        )
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    assert _csv(client, program, "stories") == [
        ["title", "result", "story", "metric"],
        ["Escalations halved", "6 escalations, not 12", "Ran the weekly review.", "CSAT"],
    ]
    assert _csv(client, program, "reviews")[1:] == [
        ["2026-11-02", "2026-11-08", SponsorReview.Status.READY, str(review.generated_at)],
    ]


def _completed_everything(program):
    """Every learner completes the pathway's one step inside the review's period."""
    step = f.StepFactory(pathway=program.pathways.get())
    inside = dt.datetime.combine(START, dt.time(9), tzinfo=dt.UTC)
    for enrolment in program.enrolments.all():
        f.StepProgressFactory(
            enrolment=enrolment, step=step, status="completed", completed_at=inside
        )


def test_a_review_of_one_learner_shows_no_figure_on_its_own_page_or_in_its_csv(client):
    program, sponsor = _program(1)
    _completed_everything(program)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    assert review.snapshot["pathway_completion"]["share"] == 1.0  # stored as it is
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:review", args=[review.pk])).text
    cards = page.split("Pathway completion")[1].split("Comments")[0]
    assert "100%" not in cards
    assert "counted fewer than 5 learners" in page
    assert cards.count(">suppressed<") == 4
    rows = {row[0]: row[1:] for row in _csv(client, program, "snapshot")[1:]}
    assert rows["steps completed"] == ["suppressed", ""]


def test_a_review_shows_its_outcome_metrics_as_rolled_up_even_when_few_learners_took_part(
    client,
):
    program, sponsor = _program(1)
    metric = f.OutcomeMetricFactory(
        program=program,
        name="Escalation resolution time",
        direction="decrease",
        unit="hours",
        baseline=48,
        target=33,
    )
    inside = dt.datetime.combine(START, dt.time(9), tzinfo=dt.UTC)
    f.MeasurementFactory(metric=metric, value=Decimal("39"), measured_at=inside)
    f.MeasurementFactory(
        metric=metric, value=Decimal("30"), measured_at=inside + dt.timedelta(days=9)
    )
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)

    page = " ".join(client.get(reverse("sponsor:review", args=[review.pk])).text.split())

    assert "counted fewer than 5 learners" in page  # the learners' figures stay withheld
    table = re.sub(r"\s*([<>])\s*", r"\1", page.split("Outcome metrics")[1].split("Comments")[0])
    # the program's own figure at the end of the period, not a later one
    assert "Escalation resolution time" in table
    assert "<td>48</td><td>33</td><td>39</td><td>60%</td>" in table


def test_a_review_of_five_learners_shows_its_figures_on_its_page(client):
    program, sponsor = _program(5)
    _completed_everything(program)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:review", args=[review.pk])).text
    assert "100%" in page.split("Pathway completion")[1].split("Comments")[0]
    assert "suppressed" not in page


def test_a_review_shows_the_utc_instants_it_counted_between_in_any_time_zone(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    sponsor.time_zone = "Pacific/Auckland"  # 13 hours ahead of UTC in November
    sponsor.save()
    client.force_login(sponsor)
    page = " ".join(client.get(reverse("sponsor:review", args=[review.pk])).text.split())
    assert (
        "They count from 2 Nov 2026, 00:00 to 9 Nov 2026, 00:00 UTC, the end not included" in page
    )


def test_an_old_review_of_few_learners_stays_hidden_after_the_program_grew(client):
    program, sponsor = _program(2)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    for _ in range(5):
        f.EnrolmentFactory(program=program, pathway=program.pathways.get())
    client.force_login(sponsor)
    dashboard = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    latest = dashboard.split("Latest review:")[1].split("Open the review")[0]
    assert latest.count(">suppressed<") == 4  # the review counted two, whatever today's size
    assert "counted fewer than 5" in client.get(reverse("sponsor:review", args=[review.pk])).text


def test_a_review_of_six_is_hidden_on_the_dashboard_once_the_program_shrinks_below_five(client):
    program, sponsor = _program(6)
    _completed_everything(program)
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    for enrolment in list(program.enrolments.all())[:3]:
        enrolment.status = "withdrawn"
        enrolment.save()
    client.force_login(sponsor)
    dashboard = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    latest = dashboard.split("Latest review:")[1].split("Open the review")[0]
    assert "100%" not in latest
    assert latest.count(">suppressed<") == 4
    rows = {row[0]: row[1:] for row in _csv(client, program, "snapshot")[1:]}
    assert rows["steps completed"] == ["suppressed", ""]


def test_the_service_refuses_a_decision_owner_outside_the_program():
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    with pytest.raises(ValidationError) as refused:
        review_decision_add(
            review=review,
            decided_by=sponsor,
            description="Add a practice step",
            owner=f.UserFactory(),
            due_on=dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=30),
        )
    assert "owned by the program's owner, one of its sponsors or yourself" in str(refused.value)
    assert not ReviewDecision.objects.exists()


def test_a_decision_due_on_a_day_already_gone_is_refused_keeping_what_was_typed(client):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    client.force_login(sponsor)
    response = client.post(
        reverse("sponsor:review", args=[review.pk]),
        {
            "form": "decision",
            "description": "Add a practice step",
            "owner": program.owner.username,
            "due_on": "2020-01-01",
        },
    )
    assert "The due date has passed: choose a day from today." in response.text
    assert "Add a practice step" in response.text
    assert not ReviewDecision.objects.exists()
    with pytest.raises(ValidationError, match="due date has passed"):
        review_decision_add(
            review=review,
            decided_by=sponsor,
            description="Add a practice step",
            owner=program.owner,
            due_on=dt.date(2020, 1, 1),
        )


@pytest.mark.parametrize("size", [1, 8])
def test_a_review_page_runs_the_same_queries_however_many_sponsors_comments_and_decisions(
    client, django_assert_num_queries, size
):
    program, sponsor = _program(5)
    review = sponsor_review_rollup(program=program, period_start=START, period_end=END)
    for _ in range(size):
        other = f.UserFactory()
        program.sponsors.add(other)
        review_comment_add(review=review, author=other, body="Seen.")
        review_decision_add(
            review=review,
            decided_by=sponsor,
            description="Follow up",
            owner=other,
            due_on=dt.date.fromisoformat(NEXT_MONTH),
        )
    f.UserFactory.create_batch(size * 5)  # the rest of the staff is never listed as owners
    client.force_login(sponsor)
    # session, person, permissions, the review, its program's sponsors for the rule,
    # comments, decisions, and the navigation (one query); owners are searched, not listed
    with django_assert_num_queries(9):
        response = client.get(reverse("sponsor:review", args=[review.pk]))
    assert response.status_code == 200
    assert "<option" not in response.text


@pytest.mark.parametrize("table", list(DASHBOARD_TABLES))
def test_each_csv_reads_its_table_in_the_same_queries_at_any_size(
    client, django_assert_num_queries, table
):
    program, sponsor = _program(5)
    f.OutcomeMetricFactory(program=program)
    sponsor_review_rollup(program=program, period_start=START, period_end=END)
    refresh_program_figures(program_ids=[program.pk])
    client.force_login(sponsor)
    url = reverse("sponsor:export", args=[program.pk, table])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    f.EnrolmentFactory.create_batch(20, program=program, pathway=program.pathways.get())
    refresh_program_figures(program_ids=[program.pk])
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    # a table reads what it shows, never the whole dashboard: at most the kept figures,
    # the metrics and their months, and the latest review beside the page's own queries
    assert len(small.captured_queries) <= 10
