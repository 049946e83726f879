"""A designer writes a performance objective, its learning objective, then a step, and
watches the audit clear, in a real browser."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_designer_designs_backwards_and_the_audit_clears(page, login):
    framework = f.FrameworkFactory()
    competency = f.CompetencyFactory(framework=framework, code="FB", name="Feedback")
    program = f.ProgramFactory(name="Timely Feedback", framework=framework)
    f.PathwayFactory(program=program)
    f.OutcomeMetricFactory(program=program, name="Feedback within 24 hours")

    login(program.owner)
    page.goto(f"/design/programs/{program.pk}/audit/")
    findings = page.locator("#findings li")
    assert "no performance objectives" in findings.first.inner_text()

    page.goto(f"/design/programs/{program.pk}/")
    page.get_by_role("link", name="Write a performance objective").click()
    page.get_by_label("The objective, as people will read it").fill(
        "Participants will understand feedback"
    )
    page.get_by_label("Action").fill("understand feedback")
    page.get_by_label("Condition").click()  # leaving the field asks what is still missing
    page.get_by_text("'understand' cannot be observed").wait_for()
    assert page.get_by_text("Say what is measured").is_visible()

    page.get_by_label("The objective, as people will read it").fill(
        "Participants will deliver feedback within 24 hours of observing a behavior"
    )
    page.get_by_label("Action").fill("deliver feedback")
    page.get_by_label("Condition").fill("after observing a team member's behaviour")
    page.get_by_label("Measure", exact=True).fill("hours from the behaviour to the feedback")
    page.get_by_label("Measure unit").fill("hours")
    page.get_by_label("Target comparator").select_option("lte")
    page.get_by_label("Target value").fill("24")
    page.get_by_label("Time window (hours)").fill("24")
    page.get_by_label("Time window anchor").fill("of observing the behaviour")
    page.get_by_label("Evidence method").select_option("observation")
    page.get_by_label("Feedback within 24 hours").check()
    page.get_by_role("button", name="Save performance objective").click()

    page.get_by_role("heading", name="What do they need to understand to do this well?").wait_for()
    page.get_by_label("What do they need to understand to do this well?").fill(
        "Participants will be able to distinguish the benefits of timely, specific feedback."
    )
    page.get_by_label("Competency").select_option(label=str(competency))
    page.get_by_label("Cognitive level").select_option("analyze")
    page.get_by_label("How understanding is assessed").select_option("case_analysis")
    page.get_by_role("button", name="Save learning objective").click()

    page.get_by_role("link", name="Add a step").click()
    page.get_by_label("Kind").select_option("role_play")
    page.get_by_label("Title").fill("Role-play: feedback after a tense stand-up")
    page.get_by_label("Difficulty").fill("2")
    page.get_by_label("Participants will be able to distinguish").check()
    page.get_by_label("Participants will deliver feedback within 24 hours").check()
    page.get_by_role("button", name="Save step").click()
    page.get_by_text("Step added to version 2.").wait_for()  # v1 is published: a new draft

    page.get_by_role("link", name="Line-of-sight audit").click()
    assert page.get_by_text("Line of sight is unbroken").is_visible()
