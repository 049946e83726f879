"""A learner's record for the people who work with them: the pathway step by step, signing
off and skipping steps, and giving on-the-job assignments."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Assignment, Enrolment, ProgressEvent, Step, StepProgress, StepSignOff
from programs.services import enrolment_create, step_sign_off
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status


@pytest.fixture
def enrolment(django_capture_on_commit_callbacks):
    """A learner whose first step the supervisor signs off and may skip; an on-the-job step
    its assignment's debrief completes comes next."""
    program = f.ProgramFactory(competency_needs_objectives=False, ends_on=date(2098, 12, 31))
    pathway = f.PathwayFactory(program=program)
    f.StepFactory(
        pathway=pathway,
        position=1,
        title="Run a review",
        completed_by=C.SUPERVISOR,
        skippable=True,
    )
    f.StepFactory(pathway=pathway, position=2, title="Stretch", completed_by=C.DEBRIEF)
    f.PerformanceObjectiveFactory(program=program, statement="Agree owners for hand-offs")
    with django_capture_on_commit_callbacks(execute=True):
        return enrolment_create(
            learner=f.UserFactory(first_name="Lena"),
            program=program,
            enrolled_on=timezone.localdate() - timedelta(days=5),
            supervisor=f.UserFactory(),
        )


def _first(enrolment):
    return enrolment.progress.get(step__position=1)


def _record(enrolment):
    return reverse("team:learner", args=[enrolment.pk])


def test_the_supervisor_reads_the_record_with_the_steps_rules_and_actions(client, enrolment):
    client.force_login(enrolment.supervisor)
    response = client.get(_record(enrolment))
    assert response.status_code == 200
    text = response.text
    assert "Run a review" in text
    assert "Stretch" in text
    assert "The supervisor, coach or line manager signs it off" in text
    assert "Sign off" in text
    assert "Skip this step" in text
    assert "Give an assignment" in text


def test_someone_outside_the_learners_work_cannot_open_the_record(client, enrolment):
    client.force_login(f.UserFactory())
    assert client.get(_record(enrolment)).status_code == 404
    sign_off = reverse("team:step_sign_off", args=[_first(enrolment).pk])
    assert client.post(sign_off, {f"s{_first(enrolment).pk}-note": "x"}).status_code == 404


def test_the_supervisor_signs_a_step_off_and_the_next_opens(
    client, enrolment, django_capture_on_commit_callbacks
):
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    url = reverse("team:step_sign_off", args=[first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"s{first.pk}-note": "Ran the weekly review well."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == S.COMPLETED
    event = ProgressEvent.objects.get(type=ProgressEvent.Type.STEP_COMPLETED, step=first.step)
    assert event.actor == enrolment.supervisor
    assert enrolment.progress.get(step__position=2).status == S.IN_PROGRESS
    text = client.get(_record(enrolment)).text
    assert f"Signed off</strong> by {enrolment.supervisor}" in text


def _sent_back(response):
    """The errors of the one step form sent back, as the page shows them beside its field."""
    (form,) = (
        form
        for row in response.context["rows"]
        for form in (row.sign_off_form, row.skip_form)
        if form is not None and form.is_bound
    )
    return form.errors


def test_a_sign_off_without_a_note_is_refused_keeping_the_form(client, enrolment):
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    response = client.post(
        reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "   "}
    )
    assert response.status_code == 400
    assert _sent_back(response) == {"note": ["Say what was done."]}
    assert not StepSignOff.objects.exists()


def test_the_learner_cannot_sign_off_their_own_supervisor_step(client, enrolment):
    first = _first(enrolment)
    client.force_login(enrolment.learner)
    response = client.post(
        reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "Done it."}
    )
    assert response.status_code == 403
    assert not StepSignOff.objects.exists()


def test_a_step_is_skipped_with_a_reason_and_skipping_without_one_is_refused(
    client, enrolment, django_capture_on_commit_callbacks
):
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    url = reverse("team:step_skip", args=[first.pk])
    blank = client.post(url, {f"k{first.pk}-reason": ""})
    assert blank.status_code == 400
    assert _sent_back(blank) == {"reason": ["Say why it is skipped."]}
    assert _first(enrolment).status == S.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {f"k{first.pk}-reason": "She already runs these reviews."})
    assert _first(enrolment).status == S.SKIPPED
    assert "She already runs these reviews." in client.get(_record(enrolment)).text


def test_a_step_its_designer_requires_cannot_be_skipped(client, enrolment):
    Step.objects.filter(pathway=enrolment.pathway).update(skippable=False)
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    assert "Skip this step" not in client.get(_record(enrolment)).text
    response = client.post(
        reverse("team:step_skip", args=[first.pk]), {f"k{first.pk}-reason": "Not needed."}
    )
    assert response.status_code == 400
    assert "This step may not be skipped: its designer requires it." in response.text
    assert not StepSignOff.objects.exists()


def _assignment_form(objective, **changes):
    return {
        "title": "Lead the Friday escalation review",
        "brief": "Two teams disagree on who owns the hand-off; agree owners by Friday.",
        "scenario_kind": Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        "stakeholders": "Support lead, platform lead",
        "due_on": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "step": "",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-description": "Every hand-off has a named owner",
        "criteria-0-performance_objective": objective.pk,
        **changes,
    }


def test_the_supervisor_gives_an_assignment_the_learner_then_sees(client, enrolment):
    objective = enrolment.program.performance_objectives.get()
    stretch = enrolment.pathway.steps.get(position=2)
    client.force_login(enrolment.supervisor)
    url = reverse("team:assignment_new", args=[enrolment.pk])
    assert "Agree owners for hand-offs" in client.get(url).text
    response = client.post(url, _assignment_form(objective, step=stretch.pk))
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.step, assignment.enrolment) == (stretch, enrolment)
    [criterion] = assignment.success_criteria.all()
    assert criterion.performance_objective == objective
    client.force_login(enrolment.learner)
    assert "Lead the Friday escalation review" in client.get(reverse("learn:home")).text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on": "2020-01-01"}, "The due date has passed: choose a day from today."),
        ({"due_on": "2099-01-01"}, "ends on 31 Dec 2098: set a due date by then."),
        ({"criteria-0-description": "", "criteria-0-performance_objective": ""},
         "Name at least one success criterion."),
        ({"criteria-0-performance_objective": "foreign"},
         "Select a valid choice. That choice is not one of the available choices."),
    ],
)  # fmt: skip
def test_an_assignment_with_bad_input_is_refused_keeping_what_was_typed(
    client, enrolment, changes, message
):
    objective = enrolment.program.performance_objectives.get()
    if changes.get("criteria-0-performance_objective") == "foreign":
        changes["criteria-0-performance_objective"] = f.PerformanceObjectiveFactory().pk
    client.force_login(enrolment.supervisor)
    response = client.post(
        reverse("team:assignment_new", args=[enrolment.pk]), _assignment_form(objective, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert "Two teams disagree on who owns the hand-off" in response.text
    assert not Assignment.objects.exists()


def test_only_people_working_with_the_learner_give_assignments(client, enrolment):
    url = reverse("team:assignment_new", args=[enrolment.pk])
    client.force_login(enrolment.learner)
    assert client.get(url).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [2, 12])
def test_the_record_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    """`size` steps signed off in turn, and as many assignments, coaching sessions with a
    commitment each, debriefs with a next action each and assessments."""
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    objective = f.PerformanceObjectiveFactory(program=program)
    for position in range(1, size + 2):
        f.StepFactory(pathway=pathway, position=position, completed_by=C.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=timezone.localdate(),
            supervisor=f.UserFactory(),
        )
    for position in range(1, size + 1):
        with django_capture_on_commit_callbacks(execute=True):
            step_sign_off(
                progress=enrolment.progress.get(step__position=position),
                by=enrolment.supervisor,
                note="Seen.",
            )
    for _ in range(size):
        assignment = f.AssignmentFactory(enrolment=enrolment)
        assignment.success_criteria.create(description="Done", performance_objective=objective)
        session = f.CoachingSessionFactory(enrolment=enrolment)
        session.commitments.create(
            description="Same day",
            measure="hours",
            target_value=24,
            target_unit="h",
            due_on=timezone.localdate(),
        )
        debrief = f.DebriefFactory(enrolment=enrolment)
        debrief.actions.create(
            description="Share notes", owner=enrolment.learner, due_on=timezone.localdate()
        )
        f.AssessmentFactory(enrolment=enrolment, assessed_on=timezone.localdate())
    client.force_login(enrolment.supervisor)
    # the page shell (6, the enrolment with its pathway among them); its steps, their
    # objectives (2) and sign-offs; the latest assignments; the latest sessions with their
    # commitments and debriefs with their next actions (4); where the learner stands on
    # competency: the program's rule (3), its questions (3) and the objectives still
    # missing; the latest assessments with their competency, level and assessor
    with django_assert_num_queries(23):
        assert client.get(_record(enrolment)).status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_the_assignment_form_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    """`size` steps ahead, performance objectives to choose from and assignments given."""
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    for position in range(1, size + 1):
        f.StepFactory(pathway=pathway, position=position, completed_by=C.DEBRIEF)
        f.PerformanceObjectiveFactory(program=program)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=timezone.localdate(),
            supervisor=f.UserFactory(),
        )
    for _ in range(size):
        f.AssignmentFactory(enrolment=enrolment)
    client.force_login(enrolment.supervisor)
    url = reverse("team:assignment_new", args=[enrolment.pk])
    # the page shell (6); the enrolment; the steps ahead and the one chosen already; the
    # performance objectives, read once for every criterion row
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.text.count("<option value=") >= 3 * size + size


@pytest.mark.parametrize("status", [Enrolment.Status.PAUSED, Enrolment.Status.WITHDRAWN])
def test_steps_of_a_paused_or_withdrawn_enrolment_do_not_move(client, enrolment, status):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    assert "Sign off" not in client.get(_record(enrolment)).text
    for name, field in (("team:step_sign_off", "s"), ("team:step_skip", "k")):
        response = client.post(reverse(name, args=[first.pk]), {f"{field}{first.pk}-note": "x"})
        assert response.status_code == 400
        assert "its steps do not move until it is active" in response.text
    assert not StepSignOff.objects.exists()


def test_a_step_is_decided_once_a_skip_after_a_sign_off_is_refused(client, enrolment):
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    client.post(reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "Ran it."})
    response = client.post(
        reverse("team:step_skip", args=[first.pk]), {f"k{first.pk}-reason": "Not needed."}
    )
    assert response.status_code == 400
    assert f"{enrolment.supervisor} already signed off this step on" in response.text
    assert StepSignOff.objects.count() == 1


def test_a_step_its_evidence_completes_takes_nobodys_sign_off(client, enrolment):
    Step.objects.filter(pathway=enrolment.pathway, position=1).update(
        completed_by=C.REFLECTION, skippable=False
    )
    first = _first(enrolment)
    client.force_login(enrolment.supervisor)
    assert "Sign off" not in client.get(_record(enrolment)).text
    response = client.post(
        reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "Looks done."}
    )
    assert response.status_code == 403
    # the refusal page says why, in the step's own words, with the navigation around it
    assert "this step is not yours to decide" in response.text
    assert "A reflection the learner writes on this step while it is open" in response.text
    assert 'aria-label="Main"' in response.text
    assert not StepSignOff.objects.exists()


def test_the_program_owner_reads_the_record_but_does_not_act_on_the_learners_steps(
    client, enrolment
):
    first = _first(enrolment)
    client.force_login(enrolment.program.owner)
    text = client.get(_record(enrolment)).text
    assert "Run a review" in text
    assert "Sign off" not in text
    assert "Give an assignment" not in text
    assert "Log an observation" not in text
    # back to the roster they came from, not to a team they do not have
    roster = reverse("design:roster", args=[enrolment.program_id])
    assert f'href="{roster}">Roster</a>' in text
    assert ">My team</a>" not in text
    sign_off = client.post(
        reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "x"}
    )
    skip = client.post(reverse("team:step_skip", args=[first.pk]), {f"k{first.pk}-reason": "x"})
    given = client.get(reverse("team:assignment_new", args=[enrolment.pk]))
    assert (sign_off.status_code, skip.status_code, given.status_code) == (403, 403, 403)


def test_a_sponsor_and_a_stranger_cannot_reach_the_record_or_its_actions(client, enrolment):
    sponsor = f.UserFactory()
    enrolment.program.sponsors.add(sponsor)
    first = _first(enrolment)
    for person in (sponsor, f.UserFactory()):
        client.force_login(person)
        assert client.get(_record(enrolment)).status_code == 404
        skip = reverse("team:step_skip", args=[first.pk])
        assert client.post(skip, {f"k{first.pk}-reason": "x"}).status_code == 404
    client.force_login(enrolment.learner)
    skip = reverse("team:step_skip", args=[first.pk])
    assert client.post(skip, {f"k{first.pk}-reason": "x"}).status_code == 403
    assert not StepSignOff.objects.exists()


def test_the_coach_and_the_line_manager_sign_off_too(
    client, enrolment, django_capture_on_commit_callbacks
):
    coach, manager = f.UserFactory(), f.UserFactory()
    Enrolment.objects.filter(pk=enrolment.pk).update(coach=coach)
    enrolment.learner.manager = manager
    enrolment.learner.save()
    first = _first(enrolment)
    client.force_login(manager)
    assert "Sign off" in client.get(_record(enrolment)).text
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("team:step_sign_off", args=[first.pk]), {f"s{first.pk}-note": "Saw it."}
        )
    assert response.status_code == 302
    assert _first(enrolment).status == S.COMPLETED


def test_an_assignment_is_refused_to_an_ended_enrolment_or_on_a_step_of_another_pathway(
    client, enrolment
):
    objective = enrolment.program.performance_objectives.get()
    url = reverse("team:assignment_new", args=[enrolment.pk])
    client.force_login(enrolment.supervisor)
    foreign_step = f.StepFactory()
    response = client.post(url, _assignment_form(objective, step=foreign_step.pk))
    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    response = client.post(url, _assignment_form(objective))
    assert "enrolment is withdrawn: it takes no new assignments." in response.text
    assert not Assignment.objects.exists()


def test_more_than_ten_success_criteria_are_refused(client, enrolment):
    objective = enrolment.program.performance_objectives.get()
    criteria = {"criteria-TOTAL_FORMS": "11"}
    for index in range(11):
        criteria[f"criteria-{index}-description"] = f"Criterion {index}"
        criteria[f"criteria-{index}-performance_objective"] = objective.pk
    client.force_login(enrolment.supervisor)
    response = client.post(
        reverse("team:assignment_new", args=[enrolment.pk]), _assignment_form(objective, **criteria)
    )
    assert response.status_code == 400
    assert "Please submit at most 10 forms." in response.text
    assert not Assignment.objects.exists()


def test_a_record_outside_ones_team_is_a_plain_not_found_page(client, enrolment):
    stranger = f.UserFactory()
    client.force_login(stranger)
    response = client.get(_record(enrolment))
    assert response.status_code == 404
    assert "Nothing here for you" in response.text
    assert str(enrolment.learner) not in response.text  # nothing about the learner leaks


def test_the_assignment_form_offers_the_steps_ahead_the_debrief_step_chosen(
    client, enrolment, django_capture_on_commit_callbacks
):
    first, stretch = enrolment.pathway.steps.order_by("position")
    client.force_login(enrolment.supervisor)
    url = reverse("team:assignment_new", args=[enrolment.pk])
    page = client.get(url).text
    assert (
        f'<option value="{stretch.pk}" selected>2. Stretch (its debrief completes it)</option>'
        in page
    )
    assert f'<option value="{first.pk}">1. Run a review</option>' in page
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_first(enrolment), by=enrolment.supervisor, note="Ran it well.")
    page = client.get(url).text
    assert "1. Run a review</option>" not in page  # done: nothing to give work on
    # a step already done is refused, not quietly accepted
    objective = enrolment.program.performance_objectives.get()
    response = client.post(url, _assignment_form(objective, step=first.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not Assignment.objects.exists()


def test_a_past_due_date_is_reported_with_the_other_mistakes_at_once(client, enrolment):
    objective = enrolment.program.performance_objectives.get()
    client.force_login(enrolment.supervisor)
    response = client.post(
        reverse("team:assignment_new", args=[enrolment.pk]),
        _assignment_form(objective, due_on="2020-01-01", **{"criteria-0-description": ""}),
    )
    assert response.status_code == 400
    assert "The due date has passed: choose a day from today." in response.text
    assert "This field is required." in response.text  # the criterion, in the same answer
    assert not Assignment.objects.exists()


def test_a_withdrawn_learners_record_offers_no_new_work(client, enrolment):
    client.force_login(enrolment.supervisor)
    assert "Give an assignment" in client.get(_record(enrolment)).text
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    text = client.get(_record(enrolment)).text
    for action in ("Give an assignment", "Record a coaching session", "Ask for peer feedback"):
        assert action not in text
