"""The learner's pathway and assignment pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Assignment, StepProgress
from programs.services import assignment_create
from tests import factories as f

pytestmark = pytest.mark.django_db

# 3 for the page shell (session, user, the navigation's roles and unread count), the count,
# one page
QUERIES_ASSIGNMENTS = 5


def _enrolment_with_steps(steps=3, gated=True):
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    po = f.PerformanceObjectiveFactory(program=program)
    enrolment = f.EnrolmentFactory(program=program, pathway=pathway)
    for position in range(1, steps + 1):
        gate = (
            {
                "gate_min_observations": 3,
                "gate_min_rating": 3,
                "gate_min_observers": 2,
                "gate_within_days": 60,
            }
            if gated and position == 2
            else {}
        )
        step = f.StepFactory(pathway=pathway, position=position, title=f"Step {position}", **gate)
        step.performance_objectives.add(po)
        f.StepProgressFactory(
            enrolment=enrolment, step=step, due_on=dt.date(2020, 1, 1) + dt.timedelta(days=position)
        )
    return enrolment, po


def _assignment(enrolment, po):
    return assignment_create(
        enrolment=enrolment,
        title="Lead the escalation review",
        brief="Run it.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        criteria=[{"description": "Options in writing", "performance_objective": po}],
    )


def test_the_pathway_shows_steps_next_overdue_and_missing_evidence(client):
    enrolment, po = _enrolment_with_steps()
    first = enrolment.progress.get(step__position=1)
    first.status, first.started_at, first.completed_at = "completed", timezone.now(), timezone.now()
    first.save()
    second = enrolment.progress.get(step__position=2)
    second.status, second.started_at = "in_progress", timezone.now()
    second.save()
    f.ObservationFactory(enrolment=enrolment, performance_objective=po, rating=3)
    client.force_login(enrolment.learner)
    response = client.get(reverse("learn:home"))
    assert response.status_code == 200
    text = response.text
    assert enrolment.program.name in text
    assert "1 of 3 steps done" in text
    step_page = reverse("learn:step", args=[second.pk])
    assert "<strong>Now:</strong>" in text
    assert f'<a class="alert-link" href="{step_page}">Step 2</a>' in text
    assert "Overdue:</strong> Step 2; Step 3" in text
    assert "2 more observations rated meets or better in the last 60 days (1 of 3 so far)." in text
    assert "Evidence from 1 more observer (1 of 2 so far)." in text
    assert po.statement in text


def test_the_pathway_never_shows_another_learners_enrolment(client):
    mine, _ = _enrolment_with_steps()
    theirs, _ = _enrolment_with_steps()
    client.force_login(mine.learner)
    text = client.get(reverse("learn:home")).text
    assert mine.program.name in text
    assert theirs.program.name not in text


def test_the_pathway_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("learn:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_with_no_enrolment_is_told_so(client):
    client.force_login(f.UserFactory())
    assert "not enrolled in a program yet" in client.get(reverse("learn:home")).text


@pytest.mark.parametrize("steps", [2, 50])
def test_the_pathway_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, steps
):
    enrolment, po = _enrolment_with_steps(steps=steps)
    for _ in range(steps):
        f.ObservationFactory(enrolment=enrolment, performance_objective=po)
    _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    # the page shell (3), the page's version before and after reading it (2); enrolments,
    # steps, their objectives (2), sign-offs, observations for the evidence rules,
    # assignments, latest coaching sessions and debriefs; where the learner stands on
    # competency: the program's rule (3) and its questions (3)
    with django_assert_num_queries(20):
        assert client.get(reverse("learn:home")).status_code == 200


def test_a_learner_submits_evidence_and_the_assignment_is_marked_submitted(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    url = reverse("learn:assignment", args=[assignment.pk])
    page = client.get(url)
    assert "Options in writing" in page.text
    assert po.statement in page.text
    response = client.post(url, {"evidence": "Options paper and notes", "outcome": "3 days"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.evidence == "Options paper and notes"
    assert "Evidence submitted" in client.get(url).text


def test_empty_evidence_is_refused_keeping_what_was_typed(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    response = client.post(
        reverse("learn:assignment", args=[assignment.pk]),
        {"evidence": "  ", "outcome": "Decision in 3 days"},
    )
    assert response.status_code == 200
    assert "Describe what you did and produced." in response.text
    assert "Decision in 3 days" in response.text
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    assert assignment.outcome == ""


def test_empty_evidence_and_a_bad_link_are_reported_together_beside_their_fields(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    url = reverse("learn:assignment", args=[assignment.pk])
    sent = {"evidence": "", "outcome": "Decision in 3 days", "evidence_url": "not a link"}

    response = client.post(url, sent)

    assert response.context["evidence_form"].errors == {
        "evidence": ["Describe what you did and produced."],
        "evidence_url": ["Enter a valid URL."],
    }
    assert 'value="not a link"' in response.text
    assert "Decision in 3 days" in response.text
    assert "Submit your evidence" in response.text  # not shown as submitted meanwhile
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_url) == (Assignment.Status.ASSIGNED, "")
    fixed = {**sent, "evidence": "Options paper", "evidence_url": "example.com/paper"}
    assert client.post(url, fixed).status_code == 302
    assignment.refresh_from_db()
    assert assignment.evidence_url == "https://example.com/paper"


def test_a_presentation_is_recorded_after_the_evidence(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    url = reverse("learn:assignment", args=[assignment.pk])
    client.post(url, {"evidence": "Options paper"})
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {"presented_on": tomorrow, "presented_to": "Head of Support"})
    assert "A presentation date cannot be in the future." in response.text
    response = client.post(
        url, {"presented_on": timezone.localdate(), "presented_to": "Head of Support"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.presented_to == "Head of Support"


def test_another_learners_assignment_answers_404(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(f.UserFactory())
    url = reverse("learn:assignment", args=[assignment.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"evidence": "Not mine"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.evidence == ""


def test_the_supervisor_may_read_but_not_submit_the_evidence(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    assignment = _assignment(enrolment, po)
    client.force_login(enrolment.supervisor)
    url = reverse("learn:assignment", args=[assignment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Submit evidence" not in page.text
    assert client.post(url, {"evidence": "On their behalf"}).status_code == 403
    assert StepProgress.objects.filter(enrolment=enrolment).count() == 1
    assignment.refresh_from_db()
    assert assignment.evidence == ""


def test_my_assignments_lists_mine_with_due_dates_and_marks_the_overdue(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    _assignment(enrolment, po)
    late = f.AssignmentFactory(enrolment=enrolment, title="Write the hand-off guide")
    late.due_on = timezone.localdate() - dt.timedelta(days=1)
    late.save()
    f.AssignmentFactory(title="Someone else's work")
    client.force_login(enrolment.learner)
    response = client.get(reverse("learn:assignments"))
    assert response.status_code == 200
    text = response.text
    assert "Lead the escalation review" in text
    assert "1 success criterion" in text
    assert "Write the hand-off guide" in text
    assert text.count(">Overdue<") == 1
    assert "Someone else" not in text


def test_my_assignments_says_so_when_there_are_none(client):
    client.force_login(f.UserFactory())
    assert "No assignments yet." in client.get(reverse("learn:assignments")).text


def test_my_assignments_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("learn:assignments"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("rows", [2, 50])
def test_my_assignments_runs_the_same_queries_at_any_size(client, django_assert_num_queries, rows):
    enrolment, po = _enrolment_with_steps(steps=1)
    for _ in range(rows):
        _assignment(enrolment, po)
    client.force_login(enrolment.learner)
    with django_assert_num_queries(QUERIES_ASSIGNMENTS):
        assert client.get(reverse("learn:assignments")).status_code == 200


def test_the_pathway_says_what_competency_still_needs_and_then_since_when(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    enrolment.program.competency_needs_objectives = True
    enrolment.program.save()
    client.force_login(enrolment.learner)
    page = client.get(reverse("learn:home")).text
    assert "Competency not reached yet." in page
    assert "Still to be met on the job" in page
    assert po.statement in page

    enrolment.competent_on = timezone.localdate()
    enrolment.save()
    page = client.get(reverse("learn:home")).text
    assert "Competency not reached yet." not in page
    assert f"Competent since {timezone.localdate():%-d %b %Y}" in page


def test_a_pathway_still_under_way_comes_before_one_finished(client):
    finished, _ = _enrolment_with_steps(steps=1)
    finished.status, finished.completed_on = "completed", dt.date(2026, 2, 1)
    finished.competent_on = dt.date(2026, 2, 1)
    finished.save()
    program = f.ProgramFactory(name="Still going")
    going = f.EnrolmentFactory(
        learner=finished.learner,
        program=program,
        pathway=f.PathwayFactory(program=program),
        enrolled_on=dt.date(2025, 6, 1),  # enrolled earlier than the finished one
    )
    client.force_login(going.learner)
    page = client.get(reverse("learn:home")).text
    assert page.index("Still going") < page.index(finished.program.name)


def test_my_assignments_keep_cancelled_work_and_come_a_page_at_a_time(client):
    enrolment, po = _enrolment_with_steps(steps=1)
    f.AssignmentFactory(enrolment=enrolment, title="Taken back", status="cancelled")
    for n in range(20):
        f.AssignmentFactory(enrolment=enrolment, title=f"Work {n}", due_on=dt.date(2027, 1, 1))
    client.force_login(enrolment.learner)
    first = client.get(reverse("learn:assignments")).text
    assert len(re.findall(r'href="/learn/assignments/\d+/"', first)) == 20
    assert "Page 1 of 2" in first
    second = client.get(reverse("learn:assignments"), {"page": 2}).text
    assert "Taken back" in first + second  # cancelled work stays in the list, marked so
    assert ">Cancelled<" in first + second


def test_a_withdrawn_learner_reads_that_they_were_withdrawn_not_that_they_never_enrolled(client):
    enrolment = f.EnrolmentFactory(status="withdrawn")
    client.force_login(enrolment.learner)
    page = client.get(reverse("learn:home")).text
    assert f"You were withdrawn from {enrolment.program.name}" in page
    assert "You are not enrolled in a program yet." not in page
    client.force_login(f.UserFactory())
    assert "You are not enrolled in a program yet." in client.get(reverse("learn:home")).text
