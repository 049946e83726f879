"""Services for pathways (versioned), enrolments, step progress and assignments."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.services import reflection_write
from programs.models import Assignment, Enrolment, Pathway, ProgressEvent, Step, StepProgress
from programs.progression import progress_evaluate
from programs.services import (
    assignment_record_presentation,
    assignment_submit_evidence,
    assignment_update,
    cohort_enrol,
    cohort_update,
    enrolment_create,
    enrolment_update,
    pathway_create,
    pathway_publish,
    step_add,
    step_progress_due_set,
    step_sign_off,
)
from tests.factories import (
    AssignmentFactory,
    CohortFactory,
    LearningObjectiveFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    StepProgressFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENROLLED_ON = dt.date(2026, 2, 1)


def _published_pathway(program, *, steps=2):
    """Version 1 of the program's pathway, published, with steps serving one of each objective."""
    lo = LearningObjectiveFactory(program=program)
    po = PerformanceObjectiveFactory(program=program)
    pathway = pathway_create(program=program)
    for n in range(steps):
        step_add(
            pathway=pathway,
            kind=Step.Kind.ROLE_PLAY,
            title=f"Practice {n + 1}",
            difficulty=n + 1,
            learning_objectives=[lo],
            performance_objectives=[po],
        )
    return pathway_publish(pathway=pathway), lo, po


# pathway versions


def test_the_first_pathway_of_a_program_is_an_empty_draft_version_1():
    pathway = pathway_create(program=ProgramFactory(), change_note="First cut")

    assert pathway.version == 1
    assert pathway.status == Pathway.Status.DRAFT
    assert pathway.change_note == "First cut"
    assert not pathway.steps.exists()


def test_a_new_version_copies_the_latest_versions_steps_and_their_objectives_into_a_draft():
    program = ProgramFactory()
    v1, lo, po = _published_pathway(program)

    v2 = pathway_create(program=program, change_note="Add a debrief")

    assert v2.version == 2
    assert v2.status == Pathway.Status.DRAFT
    old_steps = list(v1.steps.order_by("position"))
    new_steps = list(v2.steps.order_by("position"))
    assert [(s.position, s.title, s.kind, s.difficulty) for s in new_steps] == [
        (s.position, s.title, s.kind, s.difficulty) for s in old_steps
    ]
    assert {s.pk for s in new_steps}.isdisjoint({s.pk for s in old_steps})
    for step in new_steps:
        assert list(step.learning_objectives.all()) == [lo]
        assert list(step.performance_objectives.all()) == [po]
    # The copy is a new draft; the published version is untouched until the draft is published.
    v1.refresh_from_db()
    assert v1.status == Pathway.Status.PUBLISHED


def test_a_new_version_is_refused_while_the_latest_is_still_a_draft():
    program = ProgramFactory()
    pathway_create(program=program)

    with pytest.raises(ValidationError) as excinfo:
        pathway_create(program=program)

    assert excinfo.value.messages == ["Version 1 is still a draft: edit it."]
    assert program.pathways.count() == 1


def test_publishing_a_new_version_retires_the_previous_published_version():
    program = ProgramFactory()
    v1, _, _ = _published_pathway(program)
    v2 = pathway_create(program=program)

    published = pathway_publish(pathway=v2)

    assert published.status == Pathway.Status.PUBLISHED
    assert published.published_at is not None
    v1.refresh_from_db()
    assert v1.status == Pathway.Status.RETIRED
    assert v1.published_at is not None


def test_an_enrolment_on_v1_stays_on_v1_after_v2_is_published():
    program = ProgramFactory()
    v1, lo, po = _published_pathway(program)
    enrolment = enrolment_create(learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON)
    v1_step_ids = set(v1.steps.values_list("id", flat=True))

    v2 = pathway_create(program=program, change_note="Harder finale")
    step_add(
        pathway=v2,
        kind=Step.Kind.ON_THE_JOB,
        title="Lead the escalation review",
        difficulty=4,
        performance_objectives=[po],
    )
    pathway_publish(pathway=v2)

    enrolment.refresh_from_db()
    assert enrolment.pathway_id == v1.pk
    assert set(enrolment.progress.values_list("step_id", flat=True)) == v1_step_ids
    assert v1.steps.count() == 2
    # A learner enrolled now gets v2, with its three steps.
    later = enrolment_create(learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON)
    assert later.pathway_id == v2.pk
    assert set(later.progress.values_list("step_id", flat=True)) == set(
        v2.steps.values_list("id", flat=True)
    )
    assert later.progress.count() == 3


def test_adding_a_step_to_a_published_pathway_is_refused():
    program = ProgramFactory()
    v1, _, _ = _published_pathway(program)

    with pytest.raises(ValidationError) as excinfo:
        step_add(pathway=v1, kind=Step.Kind.DEBRIEF, title="Debrief")

    assert excinfo.value.messages == [
        "Version 1 is published: learners are on it, so start a new version."
    ]
    assert v1.steps.count() == 2


def test_adding_a_step_through_a_stale_copy_of_a_since_published_pathway_is_refused():
    program = ProgramFactory()
    draft = pathway_create(program=program)
    step_add(pathway=draft, kind=Step.Kind.ROLE_PLAY, title="Practice")
    pathway_publish(pathway=draft)  # `draft` in memory still says "draft"

    with pytest.raises(ValidationError) as excinfo:
        step_add(pathway=draft, kind=Step.Kind.DEBRIEF, title="Debrief")

    assert excinfo.value.messages == [
        "Version 1 is published: learners are on it, so start a new version."
    ]
    assert draft.steps.count() == 1


def test_a_pathway_published_earlier_records_when():
    program = ProgramFactory()
    pathway, _, _ = _published_pathway(program)
    draft = pathway_create(program=program)
    at = timezone.now() - timedelta(days=100)

    published = pathway_publish(pathway=draft, at=at)

    assert published.published_at == at
    pathway.refresh_from_db()
    assert pathway.status == Pathway.Status.RETIRED


def test_publishing_an_empty_pathway_is_refused():
    pathway = pathway_create(program=ProgramFactory())

    with pytest.raises(ValidationError) as excinfo:
        pathway_publish(pathway=pathway)

    assert excinfo.value.messages == ["A pathway needs at least one step before it is published."]
    pathway.refresh_from_db()
    assert pathway.status == Pathway.Status.DRAFT
    assert pathway.published_at is None


def test_publishing_a_pathway_that_is_already_published_is_refused():
    program = ProgramFactory()
    v1, _, _ = _published_pathway(program)

    with pytest.raises(ValidationError) as excinfo:
        pathway_publish(pathway=v1)

    assert excinfo.value.messages == [
        "Version 1 is published: learners are on it, so start a new version."
    ]


# steps


def test_steps_are_appended_in_order_serving_their_objectives():
    program = ProgramFactory()
    pathway = pathway_create(program=program)
    lo = LearningObjectiveFactory(program=program)
    po = PerformanceObjectiveFactory(program=program)

    first = step_add(pathway=pathway, kind=Step.Kind.MICRO_LEARNING, title="Why feedback")
    second = step_add(
        pathway=pathway,
        kind=Step.Kind.ROLE_PLAY,
        title="Give feedback",
        difficulty=2,
        learning_objectives=[lo],
        performance_objectives=[po],
    )

    assert (first.position, second.position) == (1, 2)
    assert list(second.learning_objectives.all()) == [lo]
    assert list(second.performance_objectives.all()) == [po]


@pytest.mark.parametrize("kind", ["learning", "performance"])
def test_a_step_serving_an_objective_of_another_program_is_refused_and_nothing_is_saved(kind):
    pathway = pathway_create(program=ProgramFactory())
    other_program = ProgramFactory()
    if kind == "learning":
        objectives = {"learning_objectives": [LearningObjectiveFactory(program=other_program)]}
    else:
        objectives = {
            "performance_objectives": [PerformanceObjectiveFactory(program=other_program)]
        }

    with pytest.raises(ValidationError) as excinfo:
        step_add(pathway=pathway, kind=Step.Kind.ROLE_PLAY, title="Practice", **objectives)

    assert excinfo.value.messages == ["A step can only serve objectives of its own program."]
    assert not Step.objects.exists()


def test_a_step_with_a_difficulty_above_5_is_refused_with_the_fields_message():
    pathway = pathway_create(program=ProgramFactory())

    with pytest.raises(ValidationError) as excinfo:
        step_add(pathway=pathway, kind=Step.Kind.ROLE_PLAY, title="Practice", difficulty=6)

    assert excinfo.value.message_dict["difficulty"] == [
        "Ensure this value is less than or equal to 5."
    ]
    assert not Step.objects.exists()


def test_a_step_with_a_half_set_evidence_gate_is_refused():
    pathway = pathway_create(program=ProgramFactory())

    with pytest.raises(ValidationError) as excinfo:
        step_add(pathway=pathway, kind=Step.Kind.ON_THE_JOB, title="Lead", gate_min_observations=3)

    assert excinfo.value.messages[0].startswith("An evidence rule needs a number of observations")
    assert not Step.objects.exists()


# enrolments


def test_enrolling_puts_the_learner_on_the_published_pathway_with_a_progress_row_per_step():
    program = ProgramFactory()
    v1, _, _ = _published_pathway(program, steps=3)
    learner, supervisor = UserFactory(), UserFactory()

    enrolment = enrolment_create(
        learner=learner, program=program, enrolled_on=ENROLLED_ON, supervisor=supervisor
    )

    assert enrolment.pathway_id == v1.pk
    assert enrolment.supervisor == supervisor
    progress = list(enrolment.progress.all())
    assert len(progress) == 3
    assert {p.step_id for p in progress} == set(v1.steps.values_list("id", flat=True))
    assert {p.status for p in progress} == {StepProgress.Status.NOT_STARTED}


def test_enrolling_without_a_published_pathway_is_refused_and_creates_nothing():
    program = ProgramFactory()
    draft = pathway_create(program=program)
    step_add(pathway=draft, kind=Step.Kind.ROLE_PLAY, title="Practice")

    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON)

    assert excinfo.value.messages == ["Publish the program's pathway before enrolling learners."]
    assert not Enrolment.objects.exists()
    assert not StepProgress.objects.exists()


def test_enrolling_a_learner_twice_is_refused_with_the_message():
    program = ProgramFactory()
    _published_pathway(program)
    learner = UserFactory()
    enrolment_create(learner=learner, program=program, enrolled_on=ENROLLED_ON)

    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(learner=learner, program=program, enrolled_on=ENROLLED_ON)

    assert excinfo.value.messages == ["This person is already enrolled in this program."]
    assert Enrolment.objects.count() == 1
    assert StepProgress.objects.count() == 2


@pytest.mark.parametrize(
    ("enrolled_on", "message"),
    [
        (dt.date(2025, 6, 1), "Feedback on the job starts on 10 Jan 2026: enrol from that day on."),
        (
            dt.date(2026, 7, 1),
            "Feedback on the job ends on 30 Jun 2026: enrol on that day at the latest.",
        ),
    ],
)
def test_an_enrolment_outside_the_programs_dates_is_refused_beside_the_date(enrolled_on, message):
    program = ProgramFactory(
        name="Feedback on the job", starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 6, 30)
    )
    _published_pathway(program)

    for enrol in (enrolment_create, _cohort_enrol):
        with pytest.raises(ValidationError) as excinfo:
            enrol(learner=UserFactory(), program=program, enrolled_on=enrolled_on)
        assert excinfo.value.message_dict == {"enrolled_on": [message]}
    assert not Enrolment.objects.exists()
    assert not StepProgress.objects.exists()
    assert not program.cohorts.exists()
    first, last = (
        enrolment_create(learner=UserFactory(), program=program, enrolled_on=day)
        for day in (program.starts_on, program.ends_on)
    )
    assert (first.enrolled_on, last.enrolled_on) == (program.starts_on, program.ends_on)


def _cohort_enrol(*, learner, **fields):
    return cohort_enrol(learners=[learner], new_cohort="Spring", **fields)


def test_a_learner_supervising_themselves_is_refused():
    program = ProgramFactory()
    _published_pathway(program)
    learner = UserFactory()

    with pytest.raises(ValidationError) as excinfo:
        enrolment_create(
            learner=learner, program=program, enrolled_on=ENROLLED_ON, supervisor=learner
        )

    assert excinfo.value.messages == ["A learner cannot supervise their own enrolment."]
    assert not Enrolment.objects.exists()


def test_a_step_due_from_enrolment_is_due_its_days_after_enrolling_whenever_it_opens():
    program = ProgramFactory()
    pathway, _, _ = _published_pathway(program, steps=2)
    pathway.steps.filter(position=2).update(due_days=30, due_from=Step.DueFrom.ENROLMENT)
    enrolment = enrolment_create(learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON)
    first, second = enrolment.progress.order_by("step__position")
    assert (first.due_on, second.due_on) == (None, ENROLLED_ON + timedelta(days=30))

    progress_evaluate(enrolment_ids=[enrolment.pk])
    step_sign_off(progress=first, by=enrolment.learner, note="Done.")
    progress_evaluate(enrolment_ids=[enrolment.pk])

    second.refresh_from_db()
    assert second.status == StepProgress.Status.IN_PROGRESS
    assert second.due_on == ENROLLED_ON + timedelta(days=30)


# enrolment_update


@pytest.fixture
def enrolment():
    program = ProgramFactory()
    _published_pathway(program, steps=3)
    return enrolment_create(
        learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON, supervisor=UserFactory()
    )


def _statuses(enrolment):
    return list(enrolment.progress.order_by("step__position").values_list("status", flat=True))


def test_a_person_changes_the_coach_and_cohort_and_pauses_the_enrolment_as_their_change(
    enrolment,
):
    coach, cohort, admin = UserFactory(), CohortFactory(program=enrolment.program), UserFactory()
    paused_at = timezone.now() - timedelta(days=2)

    enrolment_update(
        enrolment=enrolment,
        by=admin,
        at=paused_at,
        coach=coach,
        cohort=cohort,
        status=Enrolment.Status.PAUSED,
    )

    enrolment.refresh_from_db()
    assert (enrolment.coach, enrolment.cohort) == (coach, cohort)
    assert enrolment.status == Enrolment.Status.PAUSED
    event = ProgressEvent.objects.get(enrolment=enrolment)
    assert (event.type, event.from_status, event.to_status) == (
        ProgressEvent.Type.ENROLMENT_STATUS,
        Enrolment.Status.ACTIVE,
        Enrolment.Status.PAUSED,
    )
    assert (event.cause, event.actor, event.occurred_at) == (
        ProgressEvent.Cause.PERSON,
        admin,
        paused_at,
    )


def test_changing_only_the_people_records_no_status_event(enrolment):
    enrolment_update(enrolment=enrolment, coach=UserFactory())

    assert not ProgressEvent.objects.filter(enrolment=enrolment).exists()


def test_resuming_a_paused_enrolment_moves_the_learner_on_what_was_recorded_meanwhile(
    enrolment, django_capture_on_commit_callbacks
):
    progress_evaluate(enrolment_ids=[enrolment.pk])  # the first step opens
    enrolment_update(enrolment=enrolment, status=Enrolment.Status.PAUSED)
    first = enrolment.progress.order_by("step__position").first()
    # nobody signs off a paused learner's step…
    with pytest.raises(ValidationError, match="its steps do not move until it is active"):
        step_sign_off(progress=first, by=enrolment.learner, note="Done while on leave.")
    # …but evidence recorded meanwhile counts once they resume
    Step.objects.filter(pk=first.step_id).update(completed_by=Step.Completion.REFLECTION)
    reflection_write(enrolment=enrolment, step=first.step, body="Tried it while on leave.")
    progress_evaluate(enrolment_ids=[enrolment.pk])
    assert _statuses(enrolment)[0] == StepProgress.Status.IN_PROGRESS  # paused: stands still

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_update(enrolment=enrolment, status=Enrolment.Status.ACTIVE)

    assert _statuses(enrolment) == [
        StepProgress.Status.COMPLETED,
        StepProgress.Status.IN_PROGRESS,
        StepProgress.Status.NOT_STARTED,
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"status": Enrolment.Status.COMPLETED},
            {
                "status": [
                    "An enrolment is completed by progression once every step is done; it "
                    "cannot be completed by hand."
                ]
            },
        ),
        (
            {"completed_on": ENROLLED_ON + timedelta(days=40), "coach": None},
            {
                "completed_on": [
                    "The completion day is when progression found every step done; it cannot "
                    "be set by hand."
                ]
            },
        ),
        (
            {"competent_on": ENROLLED_ON + timedelta(days=30), "status": "paused"},
            {
                "competent_on": [
                    "Competency is reached by the program's rule, on the evidence; its day "
                    "cannot be set by hand."
                ]
            },
        ),
    ],
)
def test_completion_and_competency_set_by_hand_are_refused_and_nothing_changes(
    enrolment, fields, errors
):
    enrolment.coach = coach = UserFactory()
    enrolment.save()

    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, **fields)

    assert excinfo.value.message_dict == errors
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.coach) == (Enrolment.Status.ACTIVE, coach)
    assert (enrolment.completed_on, enrolment.competent_on) == (None, None)
    assert not ProgressEvent.objects.filter(enrolment=enrolment).exists()


def test_a_completed_enrolment_keeps_its_status_and_may_change_coach():
    program = ProgramFactory()
    _published_pathway(program, steps=1)
    enrolment = enrolment_create(learner=UserFactory(), program=program, enrolled_on=ENROLLED_ON)
    progress_evaluate(enrolment_ids=[enrolment.pk])
    step_sign_off(progress=enrolment.progress.get(), by=enrolment.learner, note="Done.")
    progress_evaluate(enrolment_ids=[enrolment.pk])

    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN)
    coach = UserFactory()
    enrolment_update(enrolment=enrolment, coach=coach)

    assert excinfo.value.message_dict == {
        "status": [
            "Progression completed this enrolment when every step was done: its status stays "
            "completed."
        ]
    }
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.coach) == (Enrolment.Status.COMPLETED, coach)


def test_an_unknown_status_is_refused_with_the_models_message(enrolment):
    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, status="finished")

    assert excinfo.value.message_dict == {"status": ["Value 'finished' is not a valid choice."]}


def test_a_learner_coaching_themselves_is_refused(enrolment):
    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, coach=enrolment.learner)

    assert excinfo.value.messages == ["A learner cannot coach themselves."]


def test_a_cohort_of_another_program_is_refused(enrolment):
    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, cohort=CohortFactory())

    assert excinfo.value.message_dict == {
        "cohort": ["The cohort must belong to the enrolment's program."]
    }


def test_a_pause_records_its_reason_with_the_person_who_paused(enrolment):
    designer = UserFactory()

    enrolment_update(
        enrolment=enrolment, by=designer, status=Enrolment.Status.PAUSED, reason=" On leave. "
    )

    event = ProgressEvent.objects.get(enrolment=enrolment)
    assert (event.to_status, event.actor, event.detail) == (
        Enrolment.Status.PAUSED,
        designer,
        {"reason": "On leave."},
    )


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("active", "active", "This enrolment is already active."),
        ("paused", "paused", "This enrolment is already paused."),
        ("withdrawn", "withdrawn", "This enrolment is already withdrawn."),
        ("withdrawn", "paused", "A withdrawn enrolment cannot be paused."),
    ],
)
def test_a_status_move_that_changes_nothing_or_skips_a_stage_is_refused(
    enrolment, before, after, message
):
    if before != Enrolment.Status.ACTIVE:
        enrolment_update(enrolment=enrolment, status=before)
    events = ProgressEvent.objects.filter(enrolment=enrolment).count()

    with pytest.raises(ValidationError) as excinfo:
        enrolment_update(enrolment=enrolment, status=after, reason="Again.")

    assert excinfo.value.message_dict == {"status": [message]}
    enrolment.refresh_from_db()
    assert enrolment.status == before
    assert ProgressEvent.objects.filter(enrolment=enrolment).count() == events


def test_a_withdrawal_made_by_mistake_is_taken_back(enrolment):
    enrolment_update(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN)

    enrolment_update(enrolment=enrolment, status=Enrolment.Status.ACTIVE)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert list(
        ProgressEvent.objects.filter(enrolment=enrolment).values_list("from_status", "to_status")
    ) == [("active", "withdrawn"), ("withdrawn", "active")]


# cohort_update


def test_a_cohort_is_renamed_and_moved():
    cohort = CohortFactory(starts_on=dt.date(2026, 1, 1))

    cohort_update(cohort=cohort, name="Wave 2", starts_on=dt.date(2026, 2, 1))

    cohort.refresh_from_db()
    assert (cohort.name, cohort.starts_on) == ("Wave 2", dt.date(2026, 2, 1))


def test_a_cohort_ending_before_it_starts_is_refused():
    cohort = CohortFactory(starts_on=dt.date(2026, 1, 1))

    with pytest.raises(ValidationError) as excinfo:
        cohort_update(cohort=cohort, ends_on=dt.date(2025, 12, 31))

    assert excinfo.value.messages == ["A cohort cannot end before it starts."]
    cohort.refresh_from_db()
    assert cohort.ends_on is None


# assignments


def test_submitting_evidence_marks_the_assignment_submitted_and_stamps_the_time():
    assignment = AssignmentFactory()
    at = timezone.now() - timedelta(minutes=5)

    assignment_submit_evidence(
        assignment=assignment,
        evidence="Ran the review with support and sales; agreed three actions.",
        outcome="Two escalations closed within the week.",
        evidence_url="https://example.com/notes",
        at=at,
    )

    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.submitted_at == at
    assert assignment.evidence.startswith("Ran the review")
    assert assignment.outcome == "Two escalations closed within the week."
    assert assignment.evidence_url == "https://example.com/notes"


@pytest.mark.parametrize("evidence", ["", "   \n"])
def test_submitting_empty_evidence_is_refused_and_changes_nothing(evidence):
    assignment = AssignmentFactory()

    with pytest.raises(ValidationError) as excinfo:
        assignment_submit_evidence(assignment=assignment, evidence=evidence, outcome="Done")

    assert excinfo.value.message_dict == {"evidence": ["Describe what you did and produced."]}
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ASSIGNED
    assert assignment.submitted_at is None
    assert assignment.evidence == ""
    assert assignment.outcome == ""


def test_empty_evidence_and_a_bad_link_are_refused_together_leaving_the_callers_copy():
    assignment = AssignmentFactory()

    with pytest.raises(ValidationError) as excinfo:
        assignment_submit_evidence(
            assignment=assignment, evidence="", evidence_url="https://exa mple.com"
        )

    assert excinfo.value.message_dict == {
        "evidence": ["Describe what you did and produced."],
        "evidence_url": ["Enter a valid URL."],
    }
    assert (assignment.status, assignment.submitted_at) == (Assignment.Status.ASSIGNED, None)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_url) == (Assignment.Status.ASSIGNED, "")


@pytest.mark.parametrize(
    ("status", "label"),
    [(Assignment.Status.COMPLETED, "completed"), (Assignment.Status.CANCELLED, "cancelled")],
)
def test_a_closed_assignment_refuses_evidence(status, label):
    submitted_at = timezone.now() - timedelta(days=3)
    assignment = AssignmentFactory(status=status, evidence="Old", submitted_at=submitted_at)

    with pytest.raises(ValidationError) as excinfo:
        assignment_submit_evidence(assignment=assignment, evidence="New evidence")

    assert excinfo.value.messages == [
        f"This assignment is {label}; evidence can no longer be submitted."
    ]
    assignment.refresh_from_db()
    assert assignment.status == status
    assert assignment.evidence == "Old"
    assert assignment.submitted_at == submitted_at


# assignment_record_presentation


def _submitted(at):
    return AssignmentFactory(status=Assignment.Status.SUBMITTED, evidence="Done", submitted_at=at)


def test_a_presentation_is_judged_against_the_given_now():
    now = timezone.now() - timedelta(days=60)
    assignment = _submitted(now - timedelta(days=2))

    assignment_record_presentation(
        assignment=assignment,
        presented_on=timezone.localdate(now),
        presented_to="Head of Platform",
        now=now,
    )

    assignment.refresh_from_db()
    assert assignment.presented_on == timezone.localdate(now)


def test_a_presentation_after_the_given_now_is_refused():
    now = timezone.now() - timedelta(days=60)
    assignment = _submitted(now - timedelta(days=2))

    with pytest.raises(ValidationError) as excinfo:
        assignment_record_presentation(
            assignment=assignment,
            presented_on=timezone.localdate(now) + timedelta(days=1),
            presented_to="Head of Platform",
            now=now,
        )

    assert excinfo.value.message_dict == {
        "presented_on": ["A presentation date cannot be in the future."]
    }
    assignment.refresh_from_db()
    assert assignment.presented_on is None


def test_a_steps_due_date_is_moved_and_cleared():
    progress = StepProgressFactory()

    step_progress_due_set(progress=progress, due_on=dt.date(2026, 5, 4))
    progress.refresh_from_db()
    assert progress.due_on == dt.date(2026, 5, 4)

    step_progress_due_set(progress=progress, due_on=None)
    progress.refresh_from_db()
    assert progress.due_on is None


def test_an_assignments_brief_and_due_date_change_and_its_evidence_stays():
    assignment = AssignmentFactory()
    assignment_submit_evidence(assignment=assignment, evidence="Ran the review.")

    later = timezone.localdate() + timedelta(days=21)
    assignment_update(assignment=assignment, brief="Run the weekly review.", due_on=later)

    assignment.refresh_from_db()
    assert (assignment.brief, assignment.due_on) == ("Run the weekly review.", later)
    assert assignment.evidence == "Ran the review."


def test_an_assignments_due_date_does_not_move_into_the_past():
    assignment = AssignmentFactory(due_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        assignment_update(assignment=assignment, due_on=timezone.localdate() - timedelta(days=1))
    assert refused.value.message_dict == {
        "due_on": ["The due date has passed: choose a day from today."]
    }
    assignment.refresh_from_db()
    assert assignment.due_on == timezone.localdate() + timedelta(days=3)


def test_a_completed_assignment_keeps_its_brief():
    assignment = AssignmentFactory(status=Assignment.Status.COMPLETED, submitted_at=timezone.now())

    with pytest.raises(ValidationError, match="This assignment is completed"):
        assignment_update(assignment=assignment, brief="Something else")

    assignment.refresh_from_db()
    assert assignment.brief != "Something else"


def test_an_assignment_takes_no_evidence_through_its_brief_update():
    with pytest.raises(TypeError, match="evidence"):
        assignment_update(assignment=AssignmentFactory(), evidence="Written for the learner")


def test_a_coach_who_is_the_supervisor_is_refused_yet_an_older_such_row_still_pauses(
    enrolment,
):
    with pytest.raises(ValidationError) as refused:
        enrolment_update(enrolment=enrolment, coach=enrolment.supervisor)
    assert refused.value.message_dict == {
        "coach": ["The coach is already the supervisor: choose someone else, or none."]
    }
    Enrolment.objects.filter(pk=enrolment.pk).update(coach=enrolment.supervisor)  # from before
    enrolment.refresh_from_db()
    paused = enrolment_update(enrolment=enrolment, status="paused", reason="Leave")
    assert paused.status == "paused"
