"""Notices of a moving pathway and of assignments: who is told, in what words, with a link
they can open; nobody else, nobody twice, and nobody about another learner."""

import datetime as dt
import math
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coaching.services import coaching_session_record, debrief_record
from people.models import Notification
from people.notifications import _enqueue_delivery, notification_emails_deliver, notify_many
from programs.models import Assignment, ProgressEvent, Step, StepProgress
from programs.notices import progress_notices, progress_notify
from programs.progression import progress_evaluate
from programs.services import (
    assignment_create,
    assignment_submit_evidence,
    enrolment_create,
    enrolment_update,
    step_sign_off,
    step_skip,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S, E, K = Step.Completion, StepProgress.Status, ProgressEvent.Type, Notification.Kind
ENROLLED = timezone.localdate() - timedelta(days=20)


def _program(*rules, **program_fields):
    """A published pathway of one step per rule: a rule, or (rule, step fields)."""
    program = f.ProgramFactory(competency_needs_objectives=False, **program_fields)
    pathway = f.PathwayFactory(program=program)
    for position, rule in enumerate(rules, start=1):
        rule, fields = rule if isinstance(rule, tuple) else (rule, {})
        fields = {"title": f"Step {position}", **fields}
        f.StepFactory(pathway=pathway, position=position, completed_by=rule, **fields)
    return program


def _enrol(capture, program, **people):
    with capture(execute=True):
        return enrolment_create(
            learner=people.pop("learner", None) or f.UserFactory(),
            program=program,
            enrolled_on=ENROLLED,
            supervisor=people.pop("supervisor", None) or f.UserFactory(),
        )


def _row(enrolment, position):
    return enrolment.progress.get(step__position=position)


def _told(person):
    """What a person was told, oldest first: (kind, title)."""
    notices = Notification.objects.filter(recipient=person).order_by("created_at", "pk")
    return [(n.kind, n.title) for n in notices]


def _opens(client, person, notification):
    client.force_login(person)
    return client.get(notification.url).status_code


def test_a_step_that_opens_tells_its_learner_with_a_link_only_they_open(
    client, django_capture_on_commit_callbacks
):
    program = _program((C.LEARNER, {"due_days": 7}), C.LEARNER)
    enrolment = _enrol(django_capture_on_commit_callbacks, program)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.title) == (
        enrolment.learner,
        K.STEP_OPEN,
        "Step open: Step 1",
    )
    due = ENROLLED + timedelta(days=7)
    assert notice.body == (
        f"“Step 1” on your {program.name} pathway is open. It is due {due:%a} {due.day} "
        f"{due:%b %Y}. See what it asks and what completes it."
    )
    assert notice.url == reverse("learn:step", args=[_row(enrolment, 1).pk])
    assert _opens(client, enrolment.learner, notice) == 200
    assert _opens(client, f.UserFactory(), notice) == 404  # another learner's step
    assert _told(enrolment.supervisor) == _told(program.owner) == []


def test_a_supervisors_sign_off_tells_the_learner_and_not_the_one_who_signed(
    client, django_capture_on_commit_callbacks
):
    enrolment = _enrol(django_capture_on_commit_callbacks, _program(C.SUPERVISOR, C.LEARNER))
    supervisor = enrolment.supervisor
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_row(enrolment, 1), by=supervisor, note="Ran the review well.")
    assert _told(enrolment.learner) == [
        (K.STEP_OPEN, "Step open: Step 1"),
        (K.STEP_COMPLETED, "Step completed: Step 1"),
        (K.STEP_OPEN, "Step open: Step 2"),
    ]
    done = Notification.objects.get(kind=K.STEP_COMPLETED)
    assert done.body == (
        f"{supervisor} signed off “Step 1” on your {enrolment.program.name} pathway. "
        "Their note: “Ran the review well.”"
    )
    assert done.url == reverse("learn:step", args=[_row(enrolment, 1).pk])
    assert _opens(client, enrolment.learner, done) == 200
    assert _told(supervisor) == _told(enrolment.program.owner) == []


def test_a_learner_is_not_told_of_the_step_they_marked_done_themselves(
    django_capture_on_commit_callbacks,
):
    enrolment = _enrol(django_capture_on_commit_callbacks, _program(C.LEARNER, C.LEARNER))
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_row(enrolment, 1), by=enrolment.learner, note="Read it.")
    assert _told(enrolment.learner) == [
        (K.STEP_OPEN, "Step open: Step 1"),
        (K.STEP_OPEN, "Step open: Step 2"),
    ]


def test_a_skipped_step_tells_the_learner_who_skipped_it_and_why(
    client, django_capture_on_commit_callbacks
):
    program = _program((C.SUPERVISOR, {"skippable": True}), C.LEARNER)
    enrolment = _enrol(django_capture_on_commit_callbacks, program)
    with django_capture_on_commit_callbacks(execute=True):
        step_skip(progress=_row(enrolment, 1), by=enrolment.supervisor, reason="Done it before.")
    skipped = Notification.objects.get(kind=K.STEP_SKIPPED)
    assert skipped.recipient == enrolment.learner
    assert skipped.body == (
        f"{enrolment.supervisor} skipped “Step 1” on your {program.name} pathway. The steps "
        "after it go on without it. Their reason: “Done it before.”"
    )
    assert _opens(client, enrolment.learner, skipped) == 200
    assert Notification.objects.filter(recipient=enrolment.supervisor).count() == 0


def test_a_step_opened_and_done_at_once_is_told_once_as_done():
    program = _program(C.COACHING, C.LEARNER)
    enrolment = enrolment_create(  # its evaluation after commit has not run yet
        learner=f.UserFactory(), program=program, enrolled_on=ENROLLED, supervisor=f.UserFactory()
    )
    coaching_session_record(
        enrolment=enrolment,
        coach=enrolment.supervisor,
        held_at=timezone.now() - timedelta(days=2),
        focus="Feedback",
        commitments=[
            {
                "description": "Same-day feedback",
                "measure": "hours",
                "target_value": 24,
                "target_unit": "hours",
                "due_on": ENROLLED + timedelta(days=30),
            }
        ],
    )
    progress_evaluate(enrolment_ids=[enrolment.pk])
    assert _told(enrolment.learner) == [
        (K.STEP_COMPLETED, "Step completed: Step 1"),
        (K.STEP_OPEN, "Step open: Step 2"),
    ]
    done = Notification.objects.get(kind=K.STEP_COMPLETED)
    assert done.body == (
        f"“Step 1” on your {program.name} pathway is complete: what it asks is done."
    )


def test_finishing_the_pathway_tells_learner_supervisor_and_owner_each_with_their_link(
    client, django_capture_on_commit_callbacks
):
    program = _program(C.SUPERVISOR)
    enrolment = _enrol(django_capture_on_commit_callbacks, program)
    learner, supervisor, owner = enrolment.learner, enrolment.supervisor, program.owner
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_row(enrolment, 1), by=supervisor, note="Seen it.")
    assert _told(learner) == [
        (K.STEP_OPEN, "Step open: Step 1"),
        (K.STEP_COMPLETED, "Step completed: Step 1"),
        (K.PATHWAY_COMPLETED, f"Pathway complete: {program.name}"),
        (K.COMPETENCY_REACHED, f"Competency reached: {program.name}"),
    ]
    for follower in (supervisor, owner):
        assert _told(follower) == [
            (K.PATHWAY_COMPLETED, f"{learner} completed the {program.name} pathway"),
            (K.COMPETENCY_REACHED, f"{learner} reached competency on {program.name}"),
        ]
    record = reverse("team:learner", args=[enrolment.pk])
    step_page = reverse("learn:step", args=[_row(enrolment, 1).pk])
    assert [n.url for n in Notification.objects.filter(recipient=learner).order_by("pk")] == [
        step_page,
        step_page,
        reverse("learn:home"),
        reverse("learn:home"),
    ]
    for person in (learner, supervisor, owner):
        for notice in Notification.objects.filter(recipient=person):
            assert notice.url == record or person == learner
            assert _opens(client, person, notice) == 200
    bystander = f.UserFactory()
    for notice in Notification.objects.filter(recipient=owner):
        assert _opens(client, bystander, notice) == 404
    assert Notification.objects.filter(recipient=bystander).count() == 0


def test_a_supervisor_who_owns_the_program_is_told_once(django_capture_on_commit_callbacks):
    owner = f.UserFactory()
    program = _program(C.LEARNER, owner=owner)
    enrolment = _enrol(django_capture_on_commit_callbacks, program, supervisor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_row(enrolment, 1), by=enrolment.learner, note="Done.")
    assert [kind for kind, _ in _told(owner)] == [K.PATHWAY_COMPLETED, K.COMPETENCY_REACHED]


def test_evaluating_again_or_telling_the_same_events_twice_tells_nobody_twice(
    django_capture_on_commit_callbacks,
):
    enrolment = _enrol(django_capture_on_commit_callbacks, _program(C.SUPERVISOR))
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_row(enrolment, 1), by=enrolment.supervisor, note="Seen it.")
    told = Notification.objects.count()
    assert told == 8  # learner 4, supervisor 2, owner 2
    assert progress_evaluate(enrolment_ids=[enrolment.pk]) == []
    # The same events again, as a retry or a second worker would send them.
    progress_notify(list(ProgressEvent.objects.all()))
    assert Notification.objects.count() == told


def test_history_recorded_after_the_fact_and_a_step_opened_by_hand_tell_nobody(
    django_capture_on_commit_callbacks,
):
    enrolment = _enrol(django_capture_on_commit_callbacks, _program(C.LEARNER, C.LEARNER))
    second = _row(enrolment, 2).step

    def event(event_type, cause, step=None):
        return ProgressEvent(
            type=event_type,
            enrolment=enrolment,
            step=step,
            occurred_at=timezone.now() - timedelta(days=30),
            cause=cause,
        )

    backfill, person = ProgressEvent.Cause.BACKFILL, ProgressEvent.Cause.PERSON
    quiet = [
        event(E.STEP_UNLOCKED, backfill, second),
        event(E.STEP_COMPLETED, backfill, second),
        event(E.ENROLMENT_COMPLETED, backfill),
        event(E.COMPETENCY_REACHED, backfill),
        event(E.STEP_UNLOCKED, person, second),
        # a status event that names no move people are told of (a pause, a resumption or
        # a withdrawal: test_a_pause_and_a_withdrawal_tell…)
        event(E.ENROLMENT_STATUS, person),
    ]
    assert progress_notices(quiet) == []
    # the same step opened by the pathway's rule is news
    [notice] = progress_notices([event(E.STEP_UNLOCKED, ProgressEvent.Cause.RULE, second)])
    assert (notice.recipient_id, notice.title) == (enrolment.learner_id, "Step open: Step 2")


def test_learners_evaluated_together_are_each_told_only_of_their_own_steps(
    client, django_capture_on_commit_callbacks
):
    program = _program(C.SUPERVISOR, C.LEARNER)
    supervisor = f.UserFactory()
    first, second = (
        _enrol(django_capture_on_commit_callbacks, program, supervisor=supervisor) for _ in range(2)
    )
    for enrolment in (first, second):
        step_sign_off(progress=_row(enrolment, 1), by=supervisor, note="Seen it.")
    Notification.objects.all().delete()
    progress_evaluate(enrolment_ids=[first.pk, second.pk])
    for mine, theirs in ((first, second), (second, first)):
        notices = list(Notification.objects.filter(recipient=mine.learner))
        assert {n.kind for n in notices} == {K.STEP_COMPLETED, K.STEP_OPEN}
        own_rows = {reverse("learn:step", args=[row.pk]) for row in mine.progress.all()}
        for notice in notices:
            assert notice.url in own_rows
            assert _opens(client, mine.learner, notice) == 200
            assert _opens(client, theirs.learner, notice) == 404


def test_a_step_title_too_long_for_a_notice_is_shortened_and_the_step_still_opens(
    django_capture_on_commit_callbacks,
):
    long = "A" * 200
    enrolment = _enrol(django_capture_on_commit_callbacks, _program((C.LEARNER, {"title": long})))
    notice = Notification.objects.get()
    assert len(notice.title) == 200
    assert notice.title == f"Step open: {'A' * 188}…"
    assert _row(enrolment, 1).status == S.IN_PROGRESS


@pytest.mark.parametrize("size", [2, 20])
def test_telling_any_number_of_events_runs_the_same_queries(
    django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    program = _program((C.SUPERVISOR, {"skippable": True}), C.SUPERVISOR)
    enrolments = [_enrol(django_capture_on_commit_callbacks, program) for _ in range(size)]
    for enrolment in enrolments:
        step_skip(progress=_row(enrolment, 1), by=enrolment.supervisor, reason="Done before.")
    progress_evaluate(enrolment_ids=[e.pk for e in enrolments])
    for enrolment in enrolments:
        step_sign_off(progress=_row(enrolment, 2), by=enrolment.supervisor, note="Seen it.")
    events = progress_evaluate(enrolment_ids=[e.pk for e in enrolments])
    assert {e.type for e in events} == {
        E.STEP_COMPLETED,
        E.ENROLMENT_COMPLETED,
        E.COMPETENCY_REACHED,
    }
    Notification.objects.all().delete()
    every = list(ProgressEvent.objects.all())  # opened, skipped, completed, finished, competent
    # their enrolments with learner and program; their progress rows; the people who acted
    with django_assert_num_queries(3):
        notices = progress_notices(every)
    # then one insert: one statement on PostgreSQL; SQLite takes 999 parameters at most, so
    # there Django splits it, 90 rows a statement
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    rows_per_insert = connection.ops.bulk_batch_size(fields, notices)
    with django_assert_num_queries(math.ceil(len(notices) / rows_per_insert)):
        notify_many(notices)
    # told together, the steps' opening is passed over for their being done: the skip and the
    # completion to the learner, the pathway and competency to three people each
    assert Notification.objects.count() == size * (1 + 1 + 3 + 3)


def test_one_evaluation_sends_the_emails_once_after_it_commits(
    django_capture_on_commit_callbacks,
):
    program = _program(C.SUPERVISOR)
    enrolments = [_enrol(django_capture_on_commit_callbacks, program) for _ in range(3)]
    for enrolment in enrolments:
        step_sign_off(progress=_row(enrolment, 1), by=enrolment.supervisor, note="Seen it.")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks() as callbacks:
        progress_evaluate(enrolment_ids=[e.pk for e in enrolments])
    assert callbacks.count(_enqueue_delivery) == 1
    # each learner: their step and pathway completed, competency reached; the supervisor and
    # the owner: the pathway completed and competency reached
    assert notification_emails_deliver() == Notification.objects.count() == 3 * 7
    learner = enrolments[0].learner
    [message] = [m for m in mail.outbox if m.subject.startswith("Pathway complete")][:1]
    assert message.to[0].endswith("@example.com")
    mine = [m for m in mail.outbox if m.to == [learner.email]]
    assert {m.subject for m in mine} == {
        "Step completed: Step 1",
        f"Pathway complete: {program.name}",
        f"Competency reached: {program.name}",
    }
    assert any(f"http://127.0.0.1:8000{reverse('learn:home')}" in m.body for m in mine)


def test_the_notifications_page_lists_a_learners_pathway_notices(
    client, django_capture_on_commit_callbacks
):
    enrolment = _enrol(django_capture_on_commit_callbacks, _program(C.LEARNER))
    client.force_login(enrolment.learner)
    page = client.get(reverse("notifications")).text
    assert "Step open: Step 1" in page
    assert f'href="{reverse("learn:step", args=[_row(enrolment, 1).pk])}"' in page


# Assignments


@pytest.fixture
def enrolment():
    enrolment = f.EnrolmentFactory()
    f.PerformanceObjectiveFactory(program=enrolment.program)
    return enrolment


def _give(enrolment, by=None):
    objective = enrolment.program.performance_objectives.get()
    return assignment_create(
        enrolment=enrolment,
        title="Lead the escalation review",
        brief="Run it.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=dt.date(2099, 3, 2),
        criteria=[
            {"description": "Options in writing", "performance_objective": objective},
            {"description": "Owner for every hand-off", "performance_objective": objective},
        ],
        by=by,
    )


def test_an_assignment_given_on_the_team_page_tells_the_learner_who_gave_it(client, enrolment):
    objective = enrolment.program.performance_objectives.get()
    supervisor = enrolment.supervisor
    client.force_login(supervisor)
    response = client.post(
        reverse("team:assignment_new", args=[enrolment.pk]),
        {
            "title": "Agree owners for hand-offs",
            "brief": "Two teams disagree on who owns the hand-off.",
            "scenario_kind": Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            "stakeholders": "",
            "due_on": "2099-03-02",
            "step": "",
            "criteria-TOTAL_FORMS": "1",
            "criteria-INITIAL_FORMS": "0",
            "criteria-0-description": "Every hand-off has a named owner",
            "criteria-0-performance_objective": objective.pk,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.key) == (
        enrolment.learner,
        K.ASSIGNMENT_GIVEN,
        f"assignment-given:{assignment.pk}",
    )
    assert notice.title == "New assignment: Agree owners for hand-offs"
    assert notice.body == (
        f"{supervisor} gave you an on-the-job assignment, “Agree owners for hand-offs”, due "
        "Mon 2 Mar 2099. Read the brief and the success criteria it will be judged on."
    )
    assert _opens(client, enrolment.learner, notice) == 200
    assert _opens(client, f.UserFactory(), notice) == 404


def test_an_assignment_refused_tells_nobody(enrolment):
    with pytest.raises(ValidationError, match="due date has passed"):
        assignment_create(
            enrolment=enrolment,
            title="Late",
            brief="Run it.",
            scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
            due_on=dt.date(2000, 1, 1),
            criteria=[
                {
                    "description": "Options in writing",
                    "performance_objective": enrolment.program.performance_objectives.get(),
                }
            ],
            by=enrolment.supervisor,
        )
    assert not Notification.objects.exists()


def test_an_assignment_given_with_no_one_named_still_tells_the_learner(enrolment):
    _give(enrolment)
    notice = Notification.objects.get(kind=K.ASSIGNMENT_GIVEN)
    assert notice.body.startswith(
        "You have a new on-the-job assignment, “Lead the escalation review”"
    )


def _debrief(assignment, by, verdicts):
    first, second = assignment.success_criteria.order_by("position")
    return debrief_record(
        enrolment=assignment.enrolment,
        assignment=assignment,
        facilitator=by,
        held_at=timezone.now(),
        what_happened="Led the review.",
        what_went_well="Fast decision.",
        what_to_change="Involve finance.",
        lessons="Name the customer impact.",
        criteria_verdicts={first.pk: verdicts[0], second.pk: verdicts[1]},
    )


def test_a_debrief_tells_the_learner_back_for_rework_then_completed(client, enrolment):
    supervisor = enrolment.supervisor
    assignment = _give(enrolment, by=supervisor)
    assignment_submit_evidence(assignment=assignment, evidence="Ran it.")
    rework = _debrief(assignment, supervisor, (True, False))
    notice = Notification.objects.get(kind=K.ASSIGNMENT_DEBRIEFED)
    assert notice.key == f"assignment-debriefed:{assignment.pk}:{rework.pk}"
    assert notice.title == "Assignment back for rework: Lead the escalation review"
    assert notice.body == (
        f"{supervisor} debriefed “Lead the escalation review”: 1 of 2 success criteria is not "
        "met yet. Read the verdicts, rework it and submit your evidence again."
    )
    assert _opens(client, enrolment.learner, notice) == 200
    assignment.refresh_from_db()
    assignment_submit_evidence(assignment=assignment, evidence="Named every owner.")
    _debrief(assignment, supervisor, (True, True))
    assert _told(enrolment.learner) == [
        (K.ASSIGNMENT_GIVEN, "New assignment: Lead the escalation review"),
        (K.ASSIGNMENT_DEBRIEFED, "Assignment back for rework: Lead the escalation review"),
        (K.ASSIGNMENT_DEBRIEFED, "Assignment completed: Lead the escalation review"),
    ]
    assert not Notification.objects.filter(recipient=supervisor, kind=K.ASSIGNMENT_DEBRIEFED)


def test_a_second_debrief_refused_tells_the_learner_nothing_more(enrolment):
    supervisor = enrolment.supervisor
    assignment = _give(enrolment, by=supervisor)
    assignment_submit_evidence(assignment=assignment, evidence="Ran it.")
    _debrief(assignment, supervisor, (True, True))
    told = Notification.objects.count()
    with pytest.raises(ValidationError, match="already debriefed"):
        _debrief(assignment, supervisor, (True, False))
    assert Notification.objects.count() == told


def test_a_debrief_naming_another_learners_enrolment_tells_nobody(enrolment):
    supervisor = enrolment.supervisor
    assignment = _give(enrolment, by=supervisor)
    assignment_submit_evidence(assignment=assignment, evidence="Ran it.")
    other = f.EnrolmentFactory(supervisor=supervisor)
    first, second = assignment.success_criteria.order_by("position")
    with pytest.raises(ValidationError, match="must be this learner"):
        debrief_record(
            enrolment=other,
            assignment=assignment,
            facilitator=supervisor,
            held_at=timezone.now(),
            what_happened="Led the review.",
            what_went_well="Fast.",
            what_to_change="Less.",
            lessons="More.",
            criteria_verdicts={first.pk: True, second.pk: True},
        )
    assert not Notification.objects.filter(kind=K.ASSIGNMENT_DEBRIEFED).exists()
    assert not Notification.objects.filter(recipient=other.learner).exists()


def test_a_pause_and_a_withdrawal_tell_the_learner_and_supervisor_why_not_who_did_it():
    enrolment = f.EnrolmentFactory()
    owner = enrolment.program.owner
    enrolment_update(enrolment=enrolment, by=owner, status="paused", reason="Parental leave")
    told = {n.recipient: n for n in Notification.objects.filter(kind="enrolment_status")}
    assert set(told) == {enrolment.learner, enrolment.supervisor}  # not the owner who did it
    assert told[enrolment.learner].title == f"Your {enrolment.program.name} enrolment is paused"
    assert "your steps stand still until it resumes. Reason: Parental leave." in (
        told[enrolment.learner].body
    )
    assert told[enrolment.supervisor].url == reverse("team:learner", args=[enrolment.pk])
    enrolment_update(enrolment=enrolment, by=owner, status="withdrawn", reason="Left the company")
    withdrawn = Notification.objects.filter(kind="enrolment_status", title__endswith="withdrawn")
    assert withdrawn.count() == 2
    with pytest.raises(ValidationError):  # a move that changes nothing tells nobody
        enrolment_update(enrolment=enrolment, by=owner, status="withdrawn", reason="Again")
    assert Notification.objects.filter(kind="enrolment_status").count() == 4
