"""From an empty pathway to competency in the browser: the designer builds a three-step
pathway (an evidence rule, an on-the-job assignment, a reflection) and enrols a learner;
the manager and a coach observe, the manager gives and debriefs the assignment, the learner
reflects; the learner sees each step complete and reaches competency; the sponsor's funnel
and time to competency count them. Nothing is written behind the browser's back except four
classmates, who follow the same road through the same services, so the sponsor's figures
rest on a group large enough to show."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.services import debrief_record, observation_log, reflection_write
from programs.models import Assignment, Enrolment, StepProgress
from programs.services import assignment_create, assignment_submit_evidence, enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

OBJECTIVE = "Participants will deliver feedback within 24 hours of observing a behavior"


@pytest.fixture
def people():
    program = f.ProgramFactory(name="Timely Feedback", owner=f.UserFactory(username="dana"))
    sponsor = f.UserFactory(username="sam")
    program.sponsors.add(sponsor)
    f.PerformanceObjectiveFactory(program=program, statement=OBJECTIVE)
    return {
        "program": program,
        "sponsor": sponsor,
        "learner": f.UserFactory(username="lena", first_name="Lena", last_name="Fischer"),
        "manager": f.UserFactory(username="maya", first_name="Maya", last_name="Ortiz"),
        "coach": f.UserFactory(username="carl", first_name="Carl", last_name="Berg"),
    }


def _add_step(page, program, *, kind, title, rule=None, gate=None):
    page.goto(f"/design/programs/{program.pk}/steps/new/")
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Title").fill(title)
    page.get_by_label(OBJECTIVE).check()
    if rule:
        page.get_by_label(rule).check()
    for label, value in (gate or {}).items():
        field = page.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_label("Due within (days)").fill("14")
    page.get_by_role("button", name="Save step").click()
    page.get_by_text("Step added").wait_for()


def _observe(page, rating_label, behaviour):
    page.goto("/team/")
    page.locator("select#id_enrolment").select_option(label="Lena Fischer — Timely Feedback")
    objective = page.get_by_label("Performance objective")
    objective.locator("option", has_text=OBJECTIVE[:40]).wait_for(state="attached")
    objective.select_option(label=OBJECTIVE)
    page.get_by_label(rating_label).check()
    page.get_by_label("What did you see or hear?").fill(behaviour)
    page.get_by_role("button", name="Log observation").click()
    page.get_by_text("Observation of Lena Fischer logged").wait_for()


def _classmate_reaches_competency(program, manager, coach):
    """A classmate through the same services the pages call, to competency."""
    learner = f.UserFactory()
    enrolment = enrolment_create(
        learner=learner,
        program=program,
        enrolled_on=timezone.localdate(),
        supervisor=manager,
        coach=coach,
    )
    objective = program.performance_objectives.get()
    for observer in (manager, coach):
        observation_log(
            observer=observer,
            enrolment=enrolment,
            performance_objective=objective,
            rating=3,
            behaviour="Gave same-day feedback.",
            observed_at=timezone.now() - timedelta(minutes=5),
        )
    step = enrolment.pathway.steps.get(position=2)
    assignment = assignment_create(
        enrolment=enrolment,
        step=step,
        title="Escalation review",
        brief="Agree owners.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + timedelta(days=7),
        criteria=[{"description": "Owners named", "performance_objective": objective}],
    )
    assignment_submit_evidence(assignment=assignment, evidence="Owners named for all.")
    criterion = assignment.success_criteria.get()
    debrief_record(
        enrolment=enrolment,
        assignment=assignment,
        facilitator=manager,
        held_at=timezone.now(),
        what_happened="Ran it.",
        what_went_well="Owners named.",
        what_to_change="Earlier.",
        lessons="Ask early.",
        actions=[],
        criteria_verdicts={criterion.pk: True},
    )
    reflection_write(enrolment=enrolment, step=enrolment.pathway.steps.get(position=3), body="Ok.")


def test_a_learner_is_taken_from_enrolment_to_competency_in_the_browser(page, login, people):
    program, learner, manager, coach = (
        people["program"], people["learner"], people["manager"], people["coach"]
    )  # fmt: skip

    # The designer builds the pathway and publishes it.
    login(program.owner)
    _add_step(
        page,
        program,
        kind="on_the_job",
        title="Give feedback on the job",
        gate={
            "Observations needed": "2",
            "Each rated at least": "3",
            "From how many different observers": "2",
            "Within how many days": "30",
        },
    )
    _add_step(
        page,
        program,
        kind="on_the_job",
        title="Lead the escalation review",
        rule="Its on-the-job assignment is debriefed as done",
    )
    _add_step(
        page,
        program,
        kind="reflection",
        title="What changed",
        rule="The learner writes a reflection",
    )
    page.goto(f"/design/programs/{program.pk}/")
    expect(
        page.get_by_text("2 observations rated Meets or better from 2 different observers")
    ).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()

    # …and enrols the learner with their manager and coach.
    page.get_by_role("link", name="Enrol learners").click()
    page.get_by_label("Learners").fill("lena")
    page.get_by_label("Supervisor").fill("maya")
    page.get_by_label("Coach (optional)").fill("carl")
    page.get_by_role("button", name="Enrol").click()
    page.get_by_text("Enrolled 1 learner").wait_for()
    enrolment = Enrolment.objects.get(learner=learner)

    # The manager observes and goes straight on to give feedback; the coach observes too.
    login(manager)
    _observe(page, "Meets", "Named the missed hand-off at the stand-up, same morning.")
    page.get_by_role("link", name="Give feedback now").click()
    page.get_by_label("Specific example").fill("This morning you named the hand-off.")
    page.get_by_label("Impact on team goals").fill("The release stayed on track.")
    page.get_by_role("button", name="Give feedback").click()
    page.get_by_text("Feedback delivered inside the window.").wait_for()
    login(coach)
    _observe(page, "Exceeds", "Cited the ticket and its impact on the response target.")

    # The evidence rule is met: the first step is done and the assignment step is open.
    login(learner)
    page.goto("/learn/")
    now = page.get_by_role("status").filter(has_text="Now:")
    expect(now.get_by_role("link", name="Lead the escalation review")).to_be_visible()
    page.get_by_role("link", name="Give feedback on the job").click()
    expect(page.get_by_text("Completed", exact=True).first).to_be_visible()

    # The manager gives the assignment from the learner's record.
    login(manager)
    page.goto("/team/")
    page.get_by_role("link", name="Lena Fischer", exact=True).click()
    page.get_by_role("link", name="Give an assignment").click()
    page.get_by_label("Title").fill("Lead the Friday escalation review")
    page.get_by_label("Brief").fill("Two teams disagree on who owns the hand-off; agree owners.")
    page.get_by_label("Due").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    # the step its debrief completes is chosen already
    expect(page.get_by_label("Pathway step").locator("option:checked")).to_have_text(
        "2. Lead the escalation review (its debrief completes it)"
    )
    page.get_by_label("Success criterion").first.fill("Every hand-off has a named owner")
    page.get_by_label("Shows the performance objective").first.select_option(label=OBJECTIVE)
    page.get_by_role("button", name="Give assignment").click()
    page.get_by_text("Assignment given to Lena Fischer.").wait_for()

    # The learner submits evidence from the step's page.
    login(learner)
    page.goto("/learn/")
    page.get_by_role("link", name="Lead the escalation review").first.click()
    page.get_by_role("link", name="Submit your evidence").click()
    page.get_by_label("What did you do and produce?").fill("Ran the review; owners agreed.")
    page.get_by_role("button", name="Submit evidence").click()
    page.get_by_text("Evidence submitted.").wait_for()

    # The manager debriefs it once: every criterion met completes it.
    login(manager)
    page.goto("/team/")
    page.get_by_role("link", name="Run debrief").click()
    page.get_by_label("How did it go against: Every hand-off has a named owner").fill("All named.")
    page.get_by_label("Verdict").select_option("yes")
    page.get_by_label("What happened?").fill("Ran the review with both teams.")
    page.get_by_label("What went well?").fill("Owners agreed in 20 minutes.")
    page.get_by_label("What would you change next time?").fill("Invite the account lead.")
    page.get_by_label("Lessons learned").fill("Name the owner before the meeting ends.")
    page.get_by_role("button", name="Record debrief").click()
    page.get_by_text("Debrief recorded").wait_for()
    expect(page.get_by_text("No evidence is waiting for you.")).to_be_visible()

    # The learner writes the reflection the last step asks for, and is competent.
    login(learner)
    page.goto("/learn/")
    page.get_by_role("status").get_by_role("link", name="What changed").click()
    page.get_by_role("button", name="Save reflection").click()  # empty first: refused
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("What did you try, and what did you notice?").fill(
        "Naming the owner before we left the room changed everything."
    )
    page.get_by_role("button", name="Save reflection").click()
    page.get_by_text("Reflection saved with this step.").wait_for()
    page.goto("/learn/")
    expect(page.get_by_text("3 of 3 steps done")).to_be_visible()
    expect(page.get_by_text(f"Competent since {timezone.localdate():%-d %b %Y}")).to_be_visible()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.competent_on == timezone.localdate()
    assert not enrolment.progress.exclude(status=StepProgress.Status.COMPLETED).exists()

    # Four classmates take the same road; the sponsor then reads the figures.
    for _ in range(4):
        _classmate_reaches_competency(program, manager, coach)
    login(people["sponsor"])
    page.goto(f"/sponsor/programs/{program.pk}/")
    funnel = page.get_by_role("table", name="Pathway completion by step")
    for step in ("1. Give feedback on the job", "2. Lead the escalation review", "3. What changed"):
        expect(funnel.get_by_role("row").filter(has_text=step)).to_contain_text("5 of 5")
    ttc = page.locator("section", has=page.get_by_role("heading", name="Time to competency"))
    expect(ttc).not_to_contain_text("fewer than")
    assert ttc.locator("tbody td").nth(1).inner_text() == "5"
