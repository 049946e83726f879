"""A manager logs an observation and gives feedback inside the window, in a real browser."""

import pytest

from coaching.models import FeedbackWindow, Observation
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_manager_observes_and_gives_feedback_inside_the_window(page, login):
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    f.PerformanceObjectiveFactory(program=program, statement="Deliver feedback within 24h")
    f.PerformanceObjectiveFactory(statement="Objective of another program")
    manager = f.UserFactory(username="maya")
    learner = f.UserFactory(username="lena", first_name="Lena", last_name="Fischer")
    f.EnrolmentFactory(program=program, pathway=pathway, supervisor=manager, learner=learner)

    login(manager)
    assert page.url.endswith("/team/")
    team_url = page.url
    assert page.get_by_text("No feedback is due.").is_visible()

    page.get_by_label("Learner", exact=False).and_(page.locator("select")).select_option(
        label=f"Lena Fischer — {program.name}"
    )
    objective = page.get_by_label("Performance objective")
    objective.locator("option", has_text="Deliver feedback within 24h").wait_for(state="attached")
    assert objective.locator("option", has_text="another program").count() == 0
    objective.select_option(label="Deliver feedback within 24h")
    page.get_by_label("Meets").check()
    page.get_by_label("What did you see or hear?").fill("Named the missed hand-off in stand-up.")
    page.get_by_role("button", name="Log observation").click()

    page.get_by_text("Observation of Lena Fischer logged").wait_for()
    assert page.url == team_url  # no page load: htmx swapped the form and the windows
    window = page.locator("#open-windows li").first
    assert "Lena Fischer" in window.inner_text()
    assert "closes in 23" in window.locator(".time-left").inner_text()

    window.get_by_role("link", name="Give feedback").click()
    page.get_by_label("Specific example").fill("In today's stand-up you named the hand-off.")
    page.get_by_role("button", name="Give feedback").click()
    assert page.get_by_text("Describe the behaviour's impact on team goals.").is_visible()
    assert page.get_by_label("Specific example").input_value().startswith("In today's stand-up")

    page.get_by_label("Impact on team goals").fill("It kept the release on track.")
    page.get_by_role("button", name="Give feedback").click()
    assert page.get_by_text("Feedback delivered inside the window.").is_visible()
    assert page.get_by_text("No feedback is due.").is_visible()
    assert Observation.objects.get().feedback_window.status == FeedbackWindow.Status.MET
