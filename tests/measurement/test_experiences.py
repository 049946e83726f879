"""Which experiences go with better results, checked against figures computed here."""

import datetime as dt
import math
import random
import statistics
from decimal import Decimal

import pytest
from django.urls import reverse

from measurement.experiences import experience_effects
from measurement.models import Measurement
from programs.models import Assignment
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
    assert row["experience_type"] == "Step kind"
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


def _assign(enrolment, scenario, status):
    submitted = status in Assignment.DONE_STATUSES
    f.AssignmentFactory(
        enrolment=enrolment,
        scenario_kind=scenario,
        status=status,
        submitted_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC) if submitted else None,
    )


def test_a_scenario_counts_as_completed_once_its_work_is_submitted_or_signed_off():
    program, _ = _program(learners=12)
    statuses = ["submitted", "completed", "assigned", "in_progress", "cancelled"]
    done = set()
    for i, enrolment in enumerate(program.enrolments.order_by("pk")):
        status = statuses[i % len(statuses)]
        _assign(enrolment, "customer_escalation", status)
        if status in ("submitted", "completed"):
            done.add(enrolment.pk)
    rows = [
        row
        for row in experience_effects(program=program)
        if row["experience_type"] == "Assignment scenario"
    ]
    # only the scenario the program's assignments use is compared
    assert [row["kind"] for row in rows] == ["Customer escalation"]
    assert (rows[0]["completed_n"], rows[0]["others_n"]) == (len(done), 12 - len(done))
    assert not rows[0]["suppressed"]


def test_scenario_rows_follow_the_step_kinds_with_their_own_figures():
    program, _ = _program(learners=20, seed=5)
    for i, enrolment in enumerate(program.enrolments.order_by("pk")):
        _assign(enrolment, "project_tradeoff", "completed" if i % 2 else "assigned")
    rows = experience_effects(program=program)
    assert [(str(r["experience_type"]), str(r["kind"])) for r in rows] == [
        ("Step kind", "Reflection"),  # by stored value: "reflection" before "role_play"
        ("Step kind", "Practice: role-play"),
        ("Assignment scenario", "Project trade-offs"),
    ]
    scenario = rows[-1]
    assert (scenario["completed_n"], scenario["others_n"]) == (10, 10)
    assert not scenario["suppressed"]
    assert scenario["completed_change"] is not None


@pytest.mark.parametrize("scenarios", [1, 4])
def test_each_metric_costs_one_query_however_many_experiences_are_compared(
    django_assert_num_queries, scenarios
):
    program, _ = _program(learners=6)
    second = f.OutcomeMetricFactory(program=program)
    kinds = Assignment.ScenarioKind.values[:scenarios]
    for i, enrolment in enumerate(program.enrolments.all()):
        _assign(enrolment, kinds[i % scenarios], "completed")
        f.MeasurementFactory(metric=second, enrolment=enrolment, value=Decimal(i))
    # the experiences, the metrics, then one aggregate per metric
    with django_assert_num_queries(2 + 2):
        rows = experience_effects(program=program)
    assert len(rows) == 2 * (2 + scenarios)


def test_the_sponsor_dashboard_names_what_each_row_compares(client):
    program, _ = _program(learners=10)
    for i, enrolment in enumerate(program.enrolments.order_by("pk")):
        _assign(enrolment, "stakeholder_communication", "submitted" if i % 2 else "cancelled")
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    section = page.split('id="experiences-heading"')[1].split("</section>")[0]
    assert "step kind or assignment scenario" in section
    assert "<td>Step kind</td><td>Practice: role-play</td>" in section
    assert "<td>Assignment scenario</td><td>Stakeholder communication</td>" in section


def test_a_metric_nobody_has_own_values_for_is_left_out():
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    f.StepFactory(pathway=pathway)
    program_wide = f.OutcomeMetricFactory(program=program, name="Program-wide only")
    f.MeasurementFactory(metric=program_wide, value=Decimal("75"))
    per_learner = f.OutcomeMetricFactory(program=program, name="Per learner")
    enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
    for value in ("70", "74"):
        f.MeasurementFactory(metric=per_learner, enrolment=enrolment, value=Decimal(value))
    rows = experience_effects(program=program)
    assert {row["metric"].name for row in rows} == {"Per learner"}
    assert rows[0]["others_n"] == 1


def test_a_group_too_small_to_show_is_not_counted_out_either(client):
    program, _ = _program(learners=8)
    for i, enrolment in enumerate(program.enrolments.order_by("pk")):
        _assign(enrolment, "project_tradeoff", "completed" if i < 2 else "cancelled")
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    page = client.get(reverse("sponsor:dashboard", args=[program.pk])).text
    section = page.split('id="experiences-heading"')[1].split("</section>")[0]
    row = section.split("<td>Project trade-offs</td>")[1].split("</tr>")[0]
    assert row.startswith("<td>&lt; 5</td><td>6</td>")
    export = client.get(reverse("sponsor:export", args=[program.pk, "experiences"]))
    line = next(line for line in export.text.splitlines() if "Project trade-offs" in line)
    assert ",Project trade-offs,<5,6,suppressed,," in line
