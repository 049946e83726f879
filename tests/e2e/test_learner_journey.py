"""A learner opens their pathway and submits assignment evidence, in a real browser."""

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import Assignment
from programs.services import assignment_create
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_follows_the_pathway_and_submits_evidence(page, login):
    program = f.ProgramFactory(name="Leading Through Real Work")
    pathway = f.PathwayFactory(program=program)
    po = f.PerformanceObjectiveFactory(program=program)
    enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
    gated = f.StepFactory(
        pathway=pathway,
        position=1,
        title="Stretch assignment",
        gate_min_observations=3,
        gate_min_rating=3,
        gate_min_observers=2,
        gate_within_days=60,
    )
    gated.performance_objectives.add(po)
    f.StepProgressFactory(
        enrolment=enrolment, step=gated, status="in_progress", started_at=timezone.now()
    )
    assignment = assignment_create(
        enrolment=enrolment,
        title="Lead the escalation review",
        brief="Run it with support.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        criteria=[{"description": "Options in writing", "performance_objective": po}],
    )

    login(enrolment.learner)
    assert page.get_by_role("heading", name="My pathway").is_visible()
    assert (
        page.get_by_role("status")
        .filter(has_text="Now:")
        .get_by_role("link", name="Stretch assignment")
        .is_visible()
    )
    assert page.get_by_text("3 more observations rated meets or better").is_visible()

    page.get_by_role("link", name="Lead the escalation review").click()
    assert page.get_by_text("Options in writing").is_visible()

    # Bad input first: nothing typed is lost.
    page.get_by_label("What result did it achieve?").fill("Decision in 3 days")
    page.get_by_role("button", name="Submit evidence").click()
    assert page.get_by_text("Describe what you did and produced.").is_visible()
    assert page.get_by_label("What result did it achieve?").input_value() == "Decision in 3 days"

    page.get_by_label("What did you do and produce?").fill("Options paper and review notes.")
    page.get_by_role("button", name="Submit evidence").click()
    assert page.get_by_text("Evidence submitted. Your supervisor can see it now.").is_visible()
    assert page.locator("#assignment-status").inner_text() == "Evidence submitted"
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
