"""A designer follows the audit to a broken program, writes a performance objective (a vague
one first), the learning objective behind it and a step that practises both, and watches the
audit clear, in a real browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from measurement.models import CostItem
from objectives.models import PerformanceObjective
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broken_program():
    """A program with its purpose, framework and outcome metric in place but nothing designed:
    no objectives and a published pathway without steps. Everything else is clean."""
    framework = f.FrameworkFactory()
    competency = f.CompetencyFactory(framework=framework, code="FB", name="Feedback")
    program = f.ProgramFactory(name="Timely Feedback", framework=framework)
    f.PathwayFactory(program=program)
    f.OutcomeMetricFactory(program=program, name="Feedback within 24 hours", unit="%")
    return program, competency


def test_a_designer_designs_backwards_and_the_audit_clears(page, login, broken_program):
    program, competency = broken_program
    login(program.owner)

    page.goto("/design/")
    row = page.get_by_role("row").filter(has_text="Timely Feedback")
    row.get_by_role("link", name="3 breaks").wait_for()  # each row's audit loads on its own
    row.get_by_role("link", name="3 breaks").click()

    findings = page.locator("#findings li")
    assert findings.count() == 3
    texts = findings.all_inner_texts()
    assert any("no performance objectives" in text for text in texts)
    assert any("no learning objectives" in text for text in texts)
    assert any("has no steps" in text for text in texts)
    findings.filter(has_text="no performance objectives").get_by_role("link").click()

    # A vague objective: what is missing shows beside each field while it is written.
    page.get_by_role("heading", name="What will people do differently on the job?").wait_for()
    statement = page.get_by_label("The objective, as people will read it")
    statement.fill("Participants will understand feedback")
    page.get_by_label("Action").fill("understand feedback")
    condition = page.get_by_label("Condition")
    condition.click()
    condition.press_sequentially("after a stand-up", delay=40)  # the check runs meanwhile
    expect(page.locator("#check-action")).to_contain_text("'understand' cannot be observed")
    expect(page.locator("#check-statement")).to_contain_text("happens inside the head")
    expect(page.locator("#check-measure")).to_contain_text("Say what is measured")
    expect(page.locator("#check-time_window")).to_contain_text("Make it time-bound")
    expect(page.locator("#check-condition")).to_be_empty()  # checked once typing paused
    assert condition.input_value() == "after a stand-up"  # nothing typed was lost

    # Saving it anyway keeps everything typed and says the same next to the fields.
    page.get_by_role("button", name="Save performance objective").click()
    page.get_by_text("Not yet SMART.").wait_for()
    assert statement.input_value() == "Participants will understand feedback"
    expect(page.locator("#check-action")).to_contain_text("cannot be observed")
    assert not PerformanceObjective.objects.exists()

    statement.fill("Participants will deliver feedback within 24 hours of observing a behavior")
    page.get_by_label("Action").fill("deliver feedback")
    condition.fill("after observing a team member's behaviour")
    page.get_by_label("Measure", exact=True).fill("hours from the behaviour to the feedback")
    page.get_by_label("Measure unit").fill("hours")
    page.get_by_label("Target comparator").select_option("lte")
    page.get_by_label("Target value").fill("24")
    page.get_by_label("Time window (hours)").fill("24")
    page.get_by_label("Time window anchor").fill("of observing the behaviour")
    page.get_by_label("Evidence method").select_option("observation")
    page.get_by_label("Feedback within 24 hours (%)").check()
    page.locator("#smart-summary").get_by_text("observable, measurable and time-bound").wait_for()
    page.get_by_role("button", name="Save performance objective").click()

    # Then the understanding behind it.
    page.get_by_role("heading", name="What do they need to understand to do this well?").wait_for()
    page.get_by_label("What do they need to understand to do this well?").fill(
        "Participants will be able to distinguish the benefits of timely, specific feedback."
    )
    page.get_by_label("Competency").select_option(label=str(competency))
    page.get_by_label("Cognitive level").select_option("analyze")
    page.get_by_label("How understanding is assessed").select_option("case_analysis")
    page.get_by_role("button", name="Save learning objective").click()

    # Then the experience that bridges both: it comes with both objectives ticked.
    page.get_by_text("Learning objective saved.").wait_for()
    page.get_by_role("link", name="Add a step that practises this").click()
    assert page.get_by_label("Participants will be able to distinguish").is_checked()
    assert page.get_by_label("Participants will deliver feedback within 24 hours").is_checked()
    page.get_by_label("Kind").select_option("role_play")
    page.get_by_label("Title").fill("Role-play: feedback after a tense stand-up")
    page.get_by_label("Difficulty").fill("2")
    page.get_by_role("button", name="Save step").click()
    page.get_by_text("Step added to version 2.").wait_for()  # v1 is published: a new draft

    page.get_by_role("link", name="Line-of-sight audit: unbroken").click()
    assert page.get_by_text("Line of sight is unbroken").is_visible()
    assert page.locator("#findings li").count() == 0


def test_a_designer_costs_the_program_and_reads_its_return(page, login):
    program = f.ProgramFactory(name="Leading Through Real Work", currency="EUR")
    f.PathwayFactory(program=program)
    metric = f.OutcomeMetricFactory(
        program=program, name="Repeat calls", baseline=Decimal("70"), target=Decimal("80")
    )
    f.MeasurementFactory(metric=metric, value=Decimal("76"))
    login(program.owner)

    page.goto(f"/design/programs/{program.pk}/")
    page.get_by_role("link", name="Costs and return on investment").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add to the ledger"))
    form.get_by_label("Category").select_option(label="Participants' time")
    form.get_by_label("Description").fill("Workshops away from the job")
    form.get_by_label("Incurred on").fill("2026-03-02")
    form.get_by_label("Amount").fill("5000")
    form.get_by_role("button", name="Add to the ledger").click()
    # Time is costed from hours, people and a rate; what was typed stays.
    expect(
        page.get_by_text("Cost people's time from hours, people and a loaded hourly rate")
    ).to_be_visible()
    expect(form.get_by_label("Description")).to_have_value("Workshops away from the job")
    form.get_by_label("Amount").fill("")
    form.get_by_label("Hours").fill("10")
    form.get_by_label("People").fill("8")
    form.get_by_label("Hourly rate").fill("50")
    form.get_by_role("button", name="Add to the ledger").click()
    expect(page.get_by_text("10 h × 8 people × 50 EUR an hour = 4,000 EUR")).to_be_visible()
    assert CostItem.objects.get().people == 8

    # Give the metric a money value, then say how its improvement is isolated.
    page.goto(f"/design/programs/{program.pk}/metrics/{metric.pk}/")
    page.get_by_label("Money value per unit").fill("100")
    page.get_by_role("button", name="Save").click()
    page.goto(f"/design/programs/{program.pk}/roi/")
    page.get_by_role("link", name="Estimate the benefit of Repeat calls").click()
    page.get_by_label("Isolation method").select_option(label="Control group")
    page.get_by_label("Share credited to the program (%)").fill("50")
    page.get_by_label("Times a year").fill("12")
    page.get_by_role("button", name="Save").click()
    # 6 points × 100 × 12 a year × 50 % = 3,600 against 4,000 of costs
    expect(page.get_by_text("3,600 ÷ 4,000 = 0.9")).to_be_visible()
    expect(page.get_by_text("(3,600 − 4,000) ÷ 4,000 × 100 = -10.0 %")).to_be_visible()
